/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation.internal;

import org.fivedstem.core.simulation.Replicates;
import org.fivedstem.testing.Tolerance;

/**
 * The realised-correlation check shared by the exact Gaussian-process samplers (circulant
 * embedding, Toeplitz factor): over many independent series, the field correlation
 * E[E_t E*_{t+k}] matches exp(−(k/τ)^γ) at several lags and the pseudo-covariance E[E_t E_{t+k}]
 * is zero (circular field).
 */
final class RealisedCorrelation {

    /** Fills one complex series of {@code frames} values. */
    @FunctionalInterface
    interface Sampler {
        void sample(double[] re, double[] im);
    }

    private static final int SERIES = 4000;
    private static final int[] LAGS = {0, 1, 3, 7, 15};

    private RealisedCorrelation() {
    }

    static void assertMatches(int frames, double tauFrames, double gamma, Sampler sampler) {
        double[] re = new double[frames];
        double[] im = new double[frames];
        double[][] perSeries = new double[LAGS.length][SERIES];
        double[][] pseudo = new double[LAGS.length][SERIES];
        for (int s = 0; s < SERIES; s++) {
            sampler.sample(re, im);
            for (int l = 0; l < LAGS.length; l++) {
                int k = LAGS[l];
                double c = 0;
                double p = 0;
                for (int t = 0; t + k < frames; t++) {
                    c += re[t] * re[t + k] + im[t] * im[t + k];   // Re(E_t E*_{t+k})
                    p += re[t] * re[t + k] - im[t] * im[t + k];   // Re(E_t E_{t+k})
                }
                perSeries[l][s] = c / (frames - k);
                pseudo[l][s] = p / (frames - k);
            }
        }
        for (int l = 0; l < LAGS.length; l++) {
            double expected = Math.exp(-Math.pow(LAGS[l] / tauFrames, gamma));
            // Independent series are the replicates: SE from their spread. 4.5σ per assertion,
            // false failure 7e-6 (CLT over 4000 series).
            Tolerance.sigmas(4.5, Replicates.standardError(perSeries[l])).because("4000 independent series; false failure 7e-6")
                .assertClose(expected, Replicates.mean(perSeries[l]), "field correlation at lag " + LAGS[l]);
            Tolerance.sigmas(4.5, Replicates.standardError(pseudo[l])).because("4000 independent series; false failure 7e-6")
                .assertClose(0, Replicates.mean(pseudo[l]), "pseudo-covariance at lag " + LAGS[l]);
        }
    }
}
