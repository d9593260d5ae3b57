/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fluctuation.internal;

/**
 * The plain-Java {@link RunSums}: four independent accumulators for each sum (the sums are exact
 * when it matters, so their order cannot), and the witness Σ|v − rint(v)|.
 */
public final class ScalarRunSums implements RunSums {

    /** The instance; stateless. */
    public static final ScalarRunSums INSTANCE = new ScalarRunSums();

    private ScalarRunSums() {
    }

    @Override
    public double sums(double[] a, int from, int to, double[] out) {
        double a1 = 0;
        double a2 = 0;
        double b1 = 0;
        double b2 = 0;
        double c1 = 0;
        double c2 = 0;
        double d1 = 0;
        double d2 = 0;
        double fracA = 0;
        double fracB = 0;
        int k = from;
        for (; k + 3 < to; k += 4) {
            double v = a[k];
            double w = a[k + 1];
            double x = a[k + 2];
            double y = a[k + 3];
            a1 += v;
            a2 += v * v;
            b1 += w;
            b2 += w * w;
            c1 += x;
            c2 += x * x;
            d1 += y;
            d2 += y * y;
            fracA += Math.abs(v - Math.rint(v)) + Math.abs(w - Math.rint(w));
            fracB += Math.abs(x - Math.rint(x)) + Math.abs(y - Math.rint(y));
        }
        for (; k < to; k++) {
            double v = a[k];
            a1 += v;
            a2 += v * v;
            fracA += Math.abs(v - Math.rint(v));
        }
        out[0] = (a1 + b1) + (c1 + d1);
        out[1] = (a2 + b2) + (c2 + d2);
        return fracA + fracB;
    }

    // The double method's body on float input: each a[k] is widened exactly where it is loaded.
    @Override
    public double sums(float[] a, int from, int to, double[] out) {
        double a1 = 0;
        double a2 = 0;
        double b1 = 0;
        double b2 = 0;
        double c1 = 0;
        double c2 = 0;
        double d1 = 0;
        double d2 = 0;
        double fracA = 0;
        double fracB = 0;
        int k = from;
        for (; k + 3 < to; k += 4) {
            double v = a[k];
            double w = a[k + 1];
            double x = a[k + 2];
            double y = a[k + 3];
            a1 += v;
            a2 += v * v;
            b1 += w;
            b2 += w * w;
            c1 += x;
            c2 += x * x;
            d1 += y;
            d2 += y * y;
            fracA += Math.abs(v - Math.rint(v)) + Math.abs(w - Math.rint(w));
            fracB += Math.abs(x - Math.rint(x)) + Math.abs(y - Math.rint(y));
        }
        for (; k < to; k++) {
            double v = a[k];
            a1 += v;
            a2 += v * v;
            fracA += Math.abs(v - Math.rint(v));
        }
        out[0] = (a1 + b1) + (c1 + d1);
        out[1] = (a2 + b2) + (c2 + d2);
        return fracA + fracB;
    }

    @Override
    public String toString() {
        return "ScalarRunSums";
    }
}
