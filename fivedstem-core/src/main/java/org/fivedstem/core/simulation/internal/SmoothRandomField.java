/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation.internal;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.fivedstem.api.internal.Checks;

/**
 * Smooth stationary Gaussian random fields on the scan grid: white noise filtered by a Gaussian.
 *
 * <p>For a correlation length {@code ℓ} (in scan steps) the field has standard normal marginals and
 * correlation {@code c(d) = exp(−d²/(2ℓ²))} between positions {@code d} steps apart (up to the
 * discretisation of the filter): white noise convolved with a Gaussian of standard deviation
 * {@code ℓ/√2} whose weights are normalised to unit sum of squares. The noise is drawn on a grid
 * padded by {@code ⌈4ℓ/√2⌉} on each side, so every output value has the full filter and exactly
 * unit variance; there are no edge effects. {@code ℓ = 0} gives independent values.
 */
public final class SmoothRandomField {

    private SmoothRandomField() {
    }

    /**
     * @param rng the generator (consumed)
     * @param rows grid rows
     * @param columns grid columns
     * @param correlationLengthSteps ℓ in grid steps (&ge; 0)
     * @return {@code rows × columns} standard normal values, row-major
     */
    public static double[] standardNormal(UniformRandomProvider rng, int rows, int columns, double correlationLengthSteps) {
        Checks.positive("rows", rows);
        Checks.positive("columns", columns);
        Checks.nonNegative("correlationLengthSteps", correlationLengthSteps);
        NormalizedGaussianSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
        if (correlationLengthSteps == 0) {
            double[] out = new double[rows * columns];
            for (int i = 0; i < out.length; i++) {
                out[i] = g.sample();
            }
            return out;
        }
        double sigma = correlationLengthSteps / Math.sqrt(2);
        int r = (int) Math.ceil(4 * sigma);
        double[] k = new double[2 * r + 1];
        double ss = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
            ss += k[i + r] * k[i + r];
        }
        double norm = 1 / Math.sqrt(ss);
        for (int i = 0; i < k.length; i++) {
            k[i] *= norm;
        }
        int pr = rows + 2 * r;
        int pc = columns + 2 * r;
        double[] white = new double[pr * pc];
        for (int i = 0; i < white.length; i++) {
            white[i] = g.sample();
        }
        // Filter along columns (within each padded row), keeping only the output columns.
        double[] pass = new double[pr * columns];
        for (int i = 0; i < pr; i++) {
            for (int j = 0; j < columns; j++) {
                double s = 0;
                int base = i * pc + j;
                for (int t = 0; t < k.length; t++) {
                    s += k[t] * white[base + t];
                }
                pass[i * columns + j] = s;
            }
        }
        double[] out = new double[rows * columns];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                double s = 0;
                for (int t = 0; t < k.length; t++) {
                    s += k[t] * pass[(i + t) * columns + j];
                }
                out[i * columns + j] = s;
            }
        }
        return out;
    }
}
