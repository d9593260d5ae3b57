/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics.internal;

import java.util.Arrays;

/**
 * Average ranks (ties share the mean of their ranks, 1-based) and the Pearson correlation of two
 * rank vectors.
 *
 * <p>Hand-written rather than Commons Math's {@code NaturalRanking} (which the tests cross-check):
 * that class boxes every value into a pair object, and the permutation procedures
 * rank thousands of shifted maps of thousands of values; sorting a primitive copy and binary searching
 * is several times faster and allocates two arrays. NaN must be removed by the caller.
 */
public final class Ranks {

    private Ranks() {
    }

    /**
     * @param values the values, without NaN. <i>Not modified.</i>
     * @param n how many of {@code values} to rank (the first n)
     * @param sorted workspace of at least n. <i>Modified.</i>
     * @param ranks receives the average rank of each value. <i>Modified.</i>
     */
    public static void averageRanks(double[] values, int n, double[] sorted, double[] ranks) {
        System.arraycopy(values, 0, sorted, 0, n);
        Arrays.sort(sorted, 0, n);
        for (int i = 0; i < n; i++) {
            double v = values[i];
            int lo = lowerBound(sorted, n, v);
            int hi = upperBound(sorted, n, v);
            // values at sorted positions lo..hi-1 tie; their 1-based ranks lo+1..hi average (lo+1+hi)/2
            ranks[i] = 0.5 * (lo + 1 + hi);
        }
    }

    /**
     * @param values the values, without NaN
     * @return their average ranks (a new array)
     */
    public static double[] averageRanks(double[] values) {
        double[] r = new double[values.length];
        averageRanks(values, values.length, new double[values.length], r);
        return r;
    }

    private static int lowerBound(double[] a, int n, double v) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Double.compare(a[mid], v) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] a, int n, double v) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Double.compare(a[mid], v) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Pearson correlation of the first n entries of two vectors (ranks), two-pass.
     *
     * @param x first vector. <i>Not modified.</i>
     * @param y second vector. <i>Not modified.</i>
     * @param n entries used
     * @return the correlation, NaN if either is constant or n &lt; 2
     */
    public static double pearson(double[] x, double[] y, int n) {
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (!(sxx > 0) || !(syy > 0)) {
            return Double.NaN;
        }
        double r = sxy / Math.sqrt(sxx * syy);
        return Math.max(-1, Math.min(1, r));
    }
}
