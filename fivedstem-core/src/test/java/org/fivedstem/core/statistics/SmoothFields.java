/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Smooth, stationary, non-periodic Gaussian random fields for the spatial tests: white noise on a
 * padded grid filtered by a separable Gaussian of width σ px and cropped, so the correlation is
 * exp(−d²/(4σ²)) and the crop has no wrap-around.
 */
final class SmoothFields {

    private SmoothFields() {
    }

    static double[] field(UniformRandomProvider rng, int ny, int nx, double sigmaPx) {
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        int r = (int) Math.ceil(3 * sigmaPx);
        int py = ny + 2 * r;
        int px = nx + 2 * r;
        double[] noise = new double[py * px];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = g.sample();
        }
        double[] w = new double[2 * r + 1];
        for (int k = -r; k <= r; k++) {
            w[k + r] = Math.exp(-0.5 * k * k / (sigmaPx * sigmaPx));
        }
        double[] rows = new double[py * nx];
        for (int y = 0; y < py; y++) {
            for (int x = 0; x < nx; x++) {
                double s = 0;
                for (int k = 0; k <= 2 * r; k++) {
                    s += w[k] * noise[y * px + x + k];
                }
                rows[y * nx + x] = s;
            }
        }
        double[] out = new double[ny * nx];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                double s = 0;
                for (int k = 0; k <= 2 * r; k++) {
                    s += w[k] * rows[(y + k) * nx + x];
                }
                out[y * nx + x] = s;
            }
        }
        return out;
    }
}
