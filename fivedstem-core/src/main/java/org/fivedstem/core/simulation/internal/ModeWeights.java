/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation.internal;

import org.fivedstem.api.internal.Checks;

/**
 * Weights {@code w_m} of independent speckle modes with {@code Σ w_m = 1} and a prescribed
 * contrast {@code β = Σ w_m²}.
 *
 * <p>With {@code M = ⌈1/β⌉} modes (the fewest that can reach β), one mode gets
 * {@code a = (1 + √((M − 1)(Mβ − 1)))/M} and the other {@code M − 1} share {@code 1 − a} equally.
 * Then {@code a² + (1 − a)²/(M − 1) = β} exactly (expand: {@code M²·(a² + (1−a)²/(M−1)) =
 * M + M(Mβ − 1)}), and {@code a ≥ 1/M}, so all weights are positive. β = 1/M gives M equal weights.
 */
public final class ModeWeights {

    /** Smallest contrast supported: it needs 100 modes, and generation time grows with the mode count. */
    public static final double MIN_BETA = 0.01;

    private ModeWeights() {
    }

    /**
     * @param beta the contrast, in [0.01, 1]
     * @return the weights, largest first
     */
    public static double[] forContrast(double beta) {
        if (!(beta >= MIN_BETA && beta <= 1)) {
            throw new IllegalArgumentException(Checks.format("beta is outside [%s, 1]: %s", MIN_BETA, beta));
        }
        int m = Math.max(1, (int) Math.ceil(1 / beta - 1e-9));
        double[] w = new double[m];
        if (m == 1) {
            w[0] = 1;
            return w;
        }
        double s = Math.sqrt(Math.max(0, (m - 1) * (m * beta - 1)));
        double a = (1 + s) / m;
        w[0] = a;
        double rest = (1 - a) / (m - 1);
        for (int i = 1; i < m; i++) {
            w[i] = rest;
        }
        return w;
    }

    /**
     * @param beta the contrast
     * @return {@code Σ w_m³} of {@link #forContrast}'s weights (enters third moments of the intensity)
     */
    public static double sumOfCubes(double beta) {
        double s = 0;
        for (double w : forContrast(beta)) {
            s += w * w * w;
        }
        return s;
    }
}
