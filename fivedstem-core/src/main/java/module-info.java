/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * fivedstem's algorithms: correlation, fitting, speckle variance, statistics, simulation, preparation and
 * the streaming engine ({@link org.fivedstem.core.engine.Analysis}). Never depends on the io module.
 *
 * <p>The {@code internal} packages are not exported. Libraries: EJML (dense linear algebra), Commons
 * Statistics (probability distributions), Commons Numbers (special functions), Commons RNG (random numbers),
 * JTransforms (FFT); see docs/design.md.
 */
module org.fivedstem.core {
    requires transitive org.fivedstem.api;
    requires org.apache.commons.numbers.gamma;
    requires org.apache.commons.rng.api;
    requires org.apache.commons.rng.simple;
    requires org.apache.commons.rng.sampling;
    requires org.apache.commons.statistics.distribution;
    requires JTransforms;
    requires ejml.core;
    requires ejml.ddense;

    exports org.fivedstem.core.correlation;
    exports org.fivedstem.core.engine;
    exports org.fivedstem.core.fitting;
    exports org.fivedstem.core.fluctuation;
    exports org.fivedstem.core.preparation;
    exports org.fivedstem.core.simulation;
    exports org.fivedstem.core.statistics;
}
