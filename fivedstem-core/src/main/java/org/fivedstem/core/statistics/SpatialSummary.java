/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.TauSummary;

/**
 * Standard errors of a map's summary (mean, median, geometric mean of τ) that respect spatial
 * autocorrelation.
 *
 * <p>Neighbouring scan positions see overlapping volumes, so the n values of a map are not n
 * independent samples and {@code s/√n} is too small. The variance of a mean is
 * {@code (1/n²) Σ_i Σ_j C(i − j)}; it is estimated from the centred values {@code d = v − v̄} by
 * summing {@code d_i d_j} over the ordered pairs P whose lag lies in a window
 * {@code |Δy|, |Δx| ≤ W}:
 * <pre>
 *   var(v̄) ≈ Σ_P d_i d_j / (n² − |P|)
 * </pre>
 * The denominator removes the bias of centring on v̄ (each pair loses ≈ var(v̄)); with
 * {@code W = 0} it is the familiar {@code s²/n}. The window is {@code W = 2L}, twice the
 * {@linkplain #blockSide correlation lag L} (where the row and column autocorrelation first fall
 * below e⁻²), capped at a quarter of the smaller scan extent; correlation beyond the window is
 * neglected (for an exponential correlation about 9 % of the variance, for a Gaussian one nothing).
 *
 * <ul>
 * <li>mean: that estimate, {@code SE = √var(v̄)};</li>
 * <li>geometric mean {@code g = exp(mean ln v)}: {@code SE = g · SE(mean of ln v)} (delta method);</li>
 * <li>median m: its Bahadur representation, {@code m ≈ median + mean(sign(v − m)) / (2 f(m))}, gives
 *   {@code SE = SE(mean of sign(v − m)) / (2 f̂(m))}, with f̂ a Gaussian kernel density estimate at m
 *   (Silverman's bandwidth {@code 0.9 min(s, IQR/1.34) n^(−1/5)}).</li>
 * </ul>
 * NaN positions are skipped. Deterministic: no resampling.
 */
public final class SpatialSummary {

    private static final double THRESHOLD = Math.exp(-2);

    private SpatialSummary() {
    }

    /**
     * @param map a map
     * @return the block side in positions (&ge; 1), see the class notes
     */
    public static int blockSide(ScalarMap map) {
        Objects.requireNonNull(map, "map");
        int ny = map.scanY();
        int nx = map.scanX();
        double[] v = map.values();
        double m = map.mean();
        double var = 0;
        int n = 0;
        for (double d : v) {
            if (!Double.isNaN(d)) {
                var += (d - m) * (d - m);
                n++;
            }
        }
        if (n < 2 || !(var > 0)) {
            return 1;
        }
        var /= n;
        int cap = Math.max(1, Math.min(ny, nx) / 3);
        for (int k = 1; k <= cap; k++) {
            double ry = lagCorrelation(v, ny, nx, k, 0, m, var);
            double rx = lagCorrelation(v, ny, nx, 0, k, m, var);
            // NaN (no pairs at this lag along an axis) does not hold the search back.
            if (!(ry >= THRESHOLD) && !(rx >= THRESHOLD)) {
                return k;
            }
        }
        return cap;
    }

    private static double lagCorrelation(double[] v, int ny, int nx, int dy, int dx, double m, double var) {
        double s = 0;
        int n = 0;
        for (int y = 0; y + dy < ny; y++) {
            for (int x = 0; x + dx < nx; x++) {
                double a = v[y * nx + x];
                double b = v[(y + dy) * nx + x + dx];
                if (!Double.isNaN(a) && !Double.isNaN(b)) {
                    s += (a - m) * (b - m);
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : s / n / var;
    }

    /**
     * @param map a map (e.g. reliable τ)
     * @param summary the summary whose error is wanted
     * @return its standard error, see the class notes; NaN with fewer than 2 valid values (or, for
     *     the geometric mean, a value that is not &gt; 0)
     */
    public static double standardError(ScalarMap map, TauSummary summary) {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(summary, "summary");
        int n = map.validCount();
        if (n < 2) {
            return Double.NaN;
        }
        int ny = map.scanY();
        int nx = map.scanX();
        int window = window(map);
        double[] v = map.values();
        switch (summary) {
            case MEAN:
                return Math.sqrt(varianceOfMean(v, ny, nx, window));
            case GEOMETRIC_MEAN: {
                double g = map.geometricMean();
                if (Double.isNaN(g)) {
                    return Double.NaN;
                }
                double[] lv = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    lv[i] = Math.log(v[i]);
                }
                return g * Math.sqrt(varianceOfMean(lv, ny, nx, window));
            }
            default: {
                double med = map.median();
                double[] u = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    u[i] = Double.isNaN(v[i]) ? Double.NaN : Math.signum(v[i] - med);
                }
                double s = Math.sqrt(sampleVariance(v));
                double iqr = map.quantile(0.75) - map.quantile(0.25);
                double spread = iqr > 0 ? Math.min(s, iqr / 1.34) : s;
                double h = 0.9 * spread * Math.pow(n, -0.2);
                if (!(h > 0)) {
                    return 0; // all values equal: the median does not vary
                }
                double f = 0;
                for (double x : v) {
                    if (!Double.isNaN(x)) {
                        double z = (x - med) / h;
                        f += Math.exp(-0.5 * z * z);
                    }
                }
                f /= n * h * Math.sqrt(2 * Math.PI);
                return Math.sqrt(varianceOfMean(u, ny, nx, window)) / (2 * f);
            }
        }
    }

    /**
     * @param map a map
     * @return the half-width W of the pair window of the variance of its mean: twice its
     *     {@linkplain #blockSide correlation lag}, capped at a quarter of the smaller scan extent
     */
    static int window(ScalarMap map) {
        return Math.min(2 * blockSide(map), Math.max(0, Math.min(map.scanY(), map.scanX()) / 4));
    }

    private static double sampleVariance(double[] v) {
        double m = 0;
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                m += x;
                n++;
            }
        }
        m /= n;
        double s = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                s += (x - m) * (x - m);
            }
        }
        return s / (n - 1);
    }

    /** Σ_P d_i d_j / (n² − |P|) over ordered pairs with |Δy|, |Δx| ≤ window; NaN skipped. */
    static double varianceOfMean(double[] v, int ny, int nx, int window) {
        double m = 0;
        long n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                m += x;
                n++;
            }
        }
        m /= n;
        double sum = 0;
        long pairs = 0;
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                double a = v[y * nx + x];
                if (Double.isNaN(a)) {
                    continue;
                }
                double da = a - m;
                int y1 = Math.min(ny - 1, y + window);
                int x0 = Math.max(0, x - window);
                int x1 = Math.min(nx - 1, x + window);
                for (int yy = Math.max(0, y - window); yy <= y1; yy++) {
                    for (int xx = x0; xx <= x1; xx++) {
                        double b = v[yy * nx + xx];
                        if (!Double.isNaN(b)) {
                            sum += da * (b - m);
                            pairs++;
                        }
                    }
                }
            }
        }
        double den = (double) n * n - pairs;
        return den > 0 ? Math.max(0, sum) / den : Double.NaN;
    }

    /** The summary of the first n values, defined as {@link TauSummary#of} defines it. */
    static double summarise(double[] values, int n, TauSummary summary) {
        if (n == 0) {
            return Double.NaN;
        }
        switch (summary) {
            case MEAN: {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += values[i];
                }
                return s / n;
            }
            case MEDIAN: {
                double[] c = Arrays.copyOf(values, n);
                Arrays.sort(c);
                double h = (n - 1) * 0.5;
                int lo = (int) Math.floor(h);
                int hi = Math.min(lo + 1, n - 1);
                return c[lo] + (h - lo) * (c[hi] - c[lo]);
            }
            default: {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    if (!(values[i] > 0)) {
                        return Double.NaN;
                    }
                    s += Math.log(values[i]);
                }
                return Math.exp(s / n);
            }
        }
    }
}
