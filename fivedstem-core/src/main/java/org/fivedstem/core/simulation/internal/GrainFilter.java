/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation.internal;

import org.fivedstem.api.internal.Checks;

/**
 * Separable Gaussian filter of a complex field across the pixels of one diffraction pattern, with
 * the filter truncated at the pattern edges and each output renormalised to unit variance.
 *
 * <p>Filtering the unit-variance, pixel-independent complex Gaussian field {@code E} with weights
 * {@code K_pq = k(i_p − i_q)·k(j_p − j_q)} (in-bounds q only) gives a complex Gaussian field of
 * variance {@code Σ_q K_pq² = (Σ_i k²)(Σ_j k²)} over the in-bounds taps; dividing rows and columns
 * by the square roots of these sums makes every pixel's variance exactly 1. A linear map applied
 * identically at every frame keeps the field circular Gaussian and leaves every temporal
 * correlation unchanged, so the intensity of each mode stays exponential.
 */
public final class GrainFilter {

    private final int rows;
    private final int columns;
    private final int radius;
    private final double[] kernel;
    private final double[] rowNorm;
    private final double[] columnNorm;
    private final double[] tmpRe;
    private final double[] tmpIm;

    /**
     * @param rows pattern rows
     * @param columns pattern columns
     * @param sigmaPx Gaussian standard deviation in pixels (&gt; 0)
     */
    public GrainFilter(int rows, int columns, double sigmaPx) {
        this.rows = rows;
        this.columns = columns;
        Checks.positive("speckleGrainPx", sigmaPx);
        this.radius = Math.max(1, (int) Math.ceil(3 * sigmaPx));
        this.kernel = new double[2 * radius + 1];
        for (int d = -radius; d <= radius; d++) {
            kernel[d + radius] = Math.exp(-0.5 * d * d / (sigmaPx * sigmaPx));
        }
        this.rowNorm = norms(rows);
        this.columnNorm = norms(columns);
        this.tmpRe = new double[rows * columns];
        this.tmpIm = new double[rows * columns];
    }

    private double[] norms(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int d = -radius; d <= radius; d++) {
                int q = i + d;
                if (q >= 0 && q < n) {
                    s += kernel[d + radius] * kernel[d + radius];
                }
            }
            out[i] = 1 / Math.sqrt(s);
        }
        return out;
    }

    /**
     * Filters one frame in place.
     *
     * @param re real parts, frame at {@code offset}, row-major. Modified.
     * @param im imaginary parts likewise. Modified.
     * @param offset index of the frame's first pixel
     */
    public void apply(double[] re, double[] im, int offset) {
        // Along columns (within each row) into tmp.
        for (int i = 0; i < rows; i++) {
            int row = offset + i * columns;
            for (int j = 0; j < columns; j++) {
                int lo = Math.max(-radius, -j);
                int hi = Math.min(radius, columns - 1 - j);
                double sr = 0;
                double si = 0;
                for (int d = lo; d <= hi; d++) {
                    double k = kernel[d + radius];
                    sr += k * re[row + j + d];
                    si += k * im[row + j + d];
                }
                tmpRe[i * columns + j] = sr * columnNorm[j];
                tmpIm[i * columns + j] = si * columnNorm[j];
            }
        }
        // Along rows back into the frame.
        for (int i = 0; i < rows; i++) {
            int lo = Math.max(-radius, -i);
            int hi = Math.min(radius, rows - 1 - i);
            double norm = rowNorm[i];
            for (int j = 0; j < columns; j++) {
                double sr = 0;
                double si = 0;
                for (int d = lo; d <= hi; d++) {
                    double k = kernel[d + radius];
                    sr += k * tmpRe[(i + d) * columns + j];
                    si += k * tmpIm[(i + d) * columns + j];
                }
                re[offset + i * columns + j] = sr * norm;
                im[offset + i * columns + j] = si * norm;
            }
        }
    }
}
