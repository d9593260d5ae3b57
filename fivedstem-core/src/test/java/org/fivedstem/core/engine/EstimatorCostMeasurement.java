/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.engine;

import java.io.IOException;
import java.util.Locale;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.QRange;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.fitting.Estimator;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measurement (not a test): what the quasi-likelihood costs in the engine. A paper-geometry
 * recording (12×12 positions, 106 frames of 66×66, Q 4.2–4.6 nm⁻¹) is held in memory, so the pass is
 * CPU-bound, and analysed with least squares and with the quasi-likelihood, best of 3 each, on 2
 * threads. Run with {@code mvn -B -o test -pl fivedstem-core -Dtest=EstimatorCostMeasurement
 * -Dfivedstem.measure=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "fivedstem.measure", matches = "true")
class EstimatorCostMeasurement {

    @Test
    void measure() throws IOException {
        Dataset5D ds = SpeckleSimulation.builder().scan(12, 12).temperatureKelvin(Double.NaN).seed(5).build()
            .toInMemoryDataset(2);
        FitOptions ls = FitOptions.defaults().withGammaFixed(1);
        FitOptions[] options = {ls, ls.withEstimator(Estimator.QUASI_LIKELIHOOD).withShotNoiseGain(1),
            ls.withEstimator(Estimator.QUASI_LIKELIHOOD)};
        String[] names = {"least squares", "quasi-likelihood, G = 1", "quasi-likelihood, G free"};
        for (int round = 0; round < 2; round++) {
            for (int e = 0; e < options.length; e++) {
                double best = Double.POSITIVE_INFINITY;
                double iterations = 0;
                for (int k = 0; k < 3; k++) {
                    AnalysisResult r = Analysis.of(ds).dynamics(QRange.of(4.2, 4.6), CorrelationOptions.defaults(), options[e])
                        .withThreads(2).run();
                    best = Math.min(best, r.seconds());
                    iterations = 0;
                    for (int i = 0; i < 144; i++) {
                        iterations += r.fit(i / 12, i % 12).iterations() / 144.0;
                    }
                }
                System.out.printf(Locale.ROOT, "round %d, %-26s: best of 3 %.3f s for 144 positions (%.0f µs per position, "
                    + "2 threads), mean iterations or likelihood evaluations %.1f%n", round, names[e], best, best / 144 * 1e6,
                    iterations);
            }
        }
    }
}
