/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The eigendecomposition fallback for compressed (γ &gt; 1), slow correlations. */
class ToeplitzFactorTest {

    static Stream<Arguments> samplingCases() {
        return SeededCases.of(0x70E1L, 10, rng -> new Object[] {
            rng.nextDouble(1.2, 2.0), rng.nextDouble(3, 300)});
    }

    /**
     * The realised correlation of many independent series matches exp(−(k/τ)^γ) at several lags,
     * and the pseudo-covariance E[E_0 E_k] is zero (circular field).
     */
    @ParameterizedTest(name = "seed {0}: gamma={1}, tau={2} frames")
    @MethodSource("samplingCases")
    void realisedCorrelationMatches(long seed, double gamma, double tauFrames) {
        int frames = 24;
        ToeplitzFactor e = ToeplitzFactor.of(frames, k -> Math.exp(-Math.pow(k / tauFrames, gamma)));
        assertTrue(e.maxCovarianceError() < 1e-12, e.toString());
        UniformRandomProvider rng = SeededCases.rng(seed);
        NormalizedGaussianSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] buf = new double[2 * frames];
        RealisedCorrelation.assertMatches(frames, tauFrames, gamma, (re, im) -> e.sample(g, buf, re, im, 0, 1));
    }
}
