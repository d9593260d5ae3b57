/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation.internal;

import org.jtransforms.fft.DoubleFFT_2D;

/**
 * Sub-pixel image registration by phase correlation (Kuglin and Hines 1975) refined by a locally
 * upsampled DFT of the normalised cross-power spectrum (Guizar-Sicairos, Thurman and Fienup 2008,
 * "Efficient subpixel image registration algorithms", Opt. Lett. 33, 156).
 *
 * <p>Both images are apodised with a Hann window (so the image edges do not dominate the spectrum)
 * after subtracting their window-weighted mean, transformed with JTransforms, and the cross-power
 * spectrum {@code B·conj(A)/|B·conj(A)|^p} is inverted (p = 1: pure phase correlation, which
 * amplifies the noise of smooth images' weak high frequencies; p = 0: plain cross-correlation); its integer peak is then refined on a grid of
 * {@code 1/upsample} pixel over ±1.5 px by evaluating the inverse DFT there directly, as two matrix
 * products (separable in y and x) — the upsampled-DFT step is hand-written because JTransforms has
 * no partial (zoomed) DFT.
 *
 * <p>A fixed window biases the shift of smooth images towards 0 (the windowed images are not
 * shifted copies of each other); the registration is therefore repeated with the second image's
 * window moved by the current estimate, so that both windows cover the same part of the sample,
 * until the estimate no longer changes.
 *
 * <p>Convention: if {@code img(y, x) = ref(y − dy, x − dx)} the result is {@code (dy, dx)}.
 * Instances hold workspaces: one per thread.
 */
public final class PhaseCorrelation {

    private final int ny;
    private final int nx;
    private final int upsample;
    private final DoubleFFT_2D fft;
    private final double[] window;
    private final double[] a;
    private final double[] b;
    private final double whitening;

    /**
     * @param ny image rows (≥ 2)
     * @param nx image columns (≥ 2)
     * @param upsample sub-pixel refinement factor (≥ 1; 1 = integer shifts)
     * @param whitening exponent p of the cross-power normalisation {@code C/|C|^p}: 1 = pure phase
     *     correlation, 0 = plain cross-correlation
     */
    public PhaseCorrelation(int ny, int nx, int upsample, double whitening) {
        this.whitening = whitening;
        this.ny = ny;
        this.nx = nx;
        this.upsample = upsample;
        this.fft = new DoubleFFT_2D(ny, nx);
        this.window = new double[ny * nx];
        this.a = new double[2 * ny * nx];
        this.b = new double[2 * ny * nx];
    }

    /**
     * @param ref the reference image, row-major. Not modified.
     * @param img the shifted image. Not modified.
     * @return {dy, dx, peak, z}: the shift, the height of the correlation peak (1 for identical
     *     shifted images, near 0 for unrelated ones) and its significance: the integer peak's
     *     distance from the mean of the rest of the correlation surface in its standard deviations
     *     (for unrelated noise images of N pixels the largest value is about √(2 ln N) ≈ 4)
     */
    public double[] shift(double[] ref, double[] img) {
        // The windows move with the estimate: once img's window sits where ref's content went,
        // both windowed images show the same part of the sample and the estimate is unbiased.
        // Each round shrinks the window bias (a few % of the remaining shift); stop when the
        // estimate repeats (it lives on the 1/upsample grid) or after 10 rounds.
        double[] r = register(ref, img, 0, 0);
        for (int round = 0; round < 10; round++) {
            double[] next = register(ref, img, r[0], r[1]);
            boolean same = next[0] == r[0] && next[1] == r[1];
            r = next;
            if (same) {
                break;
            }
        }
        return r;
    }

    private double[] register(double[] ref, double[] img, double wy, double wx) {
        load(ref, a, 0, 0);
        load(img, b, wy, wx);
        fft.complexForward(a);
        fft.complexForward(b);
        int n = ny * nx;
        double[] c = new double[2 * n];
        for (int k = 0; k < n; k++) {
            double ar = a[2 * k];
            double ai = a[2 * k + 1];
            double br = b[2 * k];
            double bi = b[2 * k + 1];
            double re = br * ar + bi * ai;
            double im = bi * ar - br * ai;
            double mag = Math.hypot(re, im);
            if (mag > 1e-300) {
                double norm = Math.pow(mag, whitening);
                c[2 * k] = re / norm;
                c[2 * k + 1] = im / norm;
            }
        }
        // Scale so that identical images give a peak of 1.
        double total = 0;
        for (int k = 0; k < n; k++) {
            total += Math.hypot(c[2 * k], c[2 * k + 1]);
        }
        if (total > 0) {
            for (int k = 0; k < 2 * n; k++) {
                c[k] *= n / total;
            }
        }
        double[] r = c.clone();
        fft.complexInverse(r, true);
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (r[2 * k] > r[2 * best]) {
                best = k;
            }
        }
        double py = signed(best / nx, ny);
        double px = signed(best % nx, nx);
        double peak = r[2 * best];
        // Significance: the peak in standard deviations of the rest of the correlation surface.
        double sum = 0;
        double sumSq = 0;
        for (int k = 0; k < n; k++) {
            if (k != best) {
                sum += r[2 * k];
                sumSq += r[2 * k] * r[2 * k];
            }
        }
        double mean = sum / (n - 1);
        double sd = Math.sqrt(Math.max(0, sumSq / (n - 1) - mean * mean));
        // A flat surface (a blank or constant image: nothing to correlate) is not significant.
        double z = sd > 0 ? (peak - mean) / sd : peak > mean ? Double.POSITIVE_INFINITY : 0;
        if (upsample <= 1) {
            return new double[] {py, px, peak, z};
        }
        // Upsampled inverse DFT over ±1.5 px about the integer peak.
        int m = (int) Math.ceil(3.0 * upsample) + 1;
        double[] us = new double[m];
        double[] vs = new double[m];
        for (int i = 0; i < m; i++) {
            us[i] = py - 1.5 + (double) i / upsample;
            vs[i] = px - 1.5 + (double) i / upsample;
        }
        // T[k][v] = Σ_l C[k, l] exp(2πi l v / nx)
        double[] tRe = new double[ny * m];
        double[] tIm = new double[ny * m];
        double[] cosX = new double[nx * m];
        double[] sinX = new double[nx * m];
        for (int l = 0; l < nx; l++) {
            double f = signed(l, nx);
            for (int v = 0; v < m; v++) {
                double ang = 2 * Math.PI * f * vs[v] / nx;
                cosX[l * m + v] = Math.cos(ang);
                sinX[l * m + v] = Math.sin(ang);
            }
        }
        for (int k = 0; k < ny; k++) {
            for (int l = 0; l < nx; l++) {
                double cr = c[2 * (k * nx + l)];
                double ci = c[2 * (k * nx + l) + 1];
                if (cr == 0 && ci == 0) {
                    continue;
                }
                for (int v = 0; v < m; v++) {
                    double co = cosX[l * m + v];
                    double si = sinX[l * m + v];
                    tRe[k * m + v] += cr * co - ci * si;
                    tIm[k * m + v] += cr * si + ci * co;
                }
            }
        }
        double bestValue = Double.NEGATIVE_INFINITY;
        double by = py;
        double bx = px;
        for (int u = 0; u < m; u++) {
            double[] row = new double[m];
            for (int k = 0; k < ny; k++) {
                double ang = 2 * Math.PI * signed(k, ny) * us[u] / ny;
                double co = Math.cos(ang);
                double si = Math.sin(ang);
                for (int v = 0; v < m; v++) {
                    row[v] += co * tRe[k * m + v] - si * tIm[k * m + v];
                }
            }
            for (int v = 0; v < m; v++) {
                if (row[v] > bestValue) {
                    bestValue = row[v];
                    by = us[u];
                    bx = vs[v];
                }
            }
        }
        return new double[] {by, bx, bestValue / n, z};
    }

    /** Hann window over [0, n) at position p (0 outside). */
    private static double hann(double p, int n) {
        double x = (p + 0.5) / n;
        return x <= 0 || x >= 1 ? 0 : 0.5 - 0.5 * Math.cos(2 * Math.PI * x);
    }

    private void load(double[] img, double[] out, double sy, double sx) {
        int n = ny * nx;
        for (int i = 0; i < ny; i++) {
            double wy = hann(i - sy, ny);
            for (int j = 0; j < nx; j++) {
                window[i * nx + j] = wy * hann(j - sx, nx);
            }
        }
        // Subtract the window-weighted mean, so that the window's own shape does not correlate.
        double mean = 0;
        double sw = 0;
        for (int k = 0; k < n; k++) {
            mean += img[k] * window[k];
            sw += window[k];
        }
        mean /= sw;
        for (int k = 0; k < n; k++) {
            out[2 * k] = (img[k] - mean) * window[k];
            out[2 * k + 1] = 0;
        }
    }

    /** Frequency or shift index k of an n-point DFT as a signed value in (−n/2, n/2]. */
    private static double signed(int k, int n) {
        return k > n / 2 ? k - n : k;
    }
}
