/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import java.util.Arrays;

/**
 * The symmetric normalisation's g, from the raw intensities: per pixel and lag k, over the n(k)
 * usable pairs (t1, t2 = t1 + k),
 * <pre>
 *   N(k) = Σ x(t1) x(t2),   A(k) = Σ x(t1),   C(k) = Σ x(t2),   g_p(k) = n(k) N(k) / (A(k) C(k))
 * </pre>
 * (the pixel's mean product over its early- and late-window means), and g(k) is the mean of g_p(k)
 * over the pixels with A·C ≠ 0. With the factorial lag-0 correction N(0) − A(0) = Σ x(x − 1).
 * {@link #direct} forms the sums pair by pair (the {@link GramKernel}'s lag products),
 * {@link #fft} N by one FFT per pixel and A, C from prefix sums. A reusable workspace; not
 * thread-safe.
 */
final class SymmetricSums {

    private double[] xt = new double[0];      // P × T pixel-major raw intensities, blank frames zeroed
    private double[] sum = new double[0];     // T: Σ_p g_p(k)
    private int[] count = new int[0];         // T: pixels summed
    private double[] pa = new double[0];      // T: A(k)
    private double[] pc = new double[0];      // T: C(k)
    private double[] pn = new double[0];      // T: N(k)
    private double[] prefix = new double[0];  // T + 1

    /** Zeroes the sums and makes the pixel-major copy of the raw intensities, blank frames 0. */
    private void start(BinSeries bin) {
        int t = bin.frames();
        int p = bin.pixels();
        double[] x = bin.raw();
        boolean[] usable = bin.usable();
        xt = Grow.of(xt, t * p);
        for (int f = 0; f < t; f++) {
            int row = f * p;
            boolean u = usable[f];
            for (int j = 0; j < p; j++) {
                xt[j * t + f] = u ? x[row + j] : 0;
            }
        }
        sum = Grow.of(sum, t);
        count = Grow.of(count, t);
        pa = Grow.of(pa, t);
        pc = Grow.of(pc, t);
        pn = Grow.of(pn, t);
        Arrays.fill(sum, 0, t, 0);
        Arrays.fill(count, 0, t, 0);
    }

    /** Adds one pixel's g_p(k) = n(k) N(k) / (A(k) C(k)) where n(k) &gt; 0 and A·C ≠ 0. */
    private void add(int t, FrameBlocks blocks, LagZero lagZero) {
        if (lagZero == LagZero.FACTORIAL) {
            pn[0] -= pa[0];
        }
        for (int k = 0; k < t; k++) {
            int n = blocks.pairs(k);
            double d = pa[k] * pc[k];
            if (n > 0 && d != 0) {
                sum[k] += n * pn[k] / d;
                count[k]++;
            }
        }
    }

    /**
     * The sums pair by pair, O(P·T²).
     *
     * @param bin the bin, raw
     * @param blocks its pair counts
     * @param lagZero the lag-0 correction
     * @param kernel the lag products
     */
    void direct(BinSeries bin, FrameBlocks blocks, LagZero lagZero, GramKernel kernel) {
        start(bin);
        int t = bin.frames();
        double[] mask = bin.usableMask();
        for (int j = 0; j < bin.pixels(); j++) {
            kernel.lagProducts(xt, j * t, mask, t, pn, pa, pc);
            add(t, blocks, lagZero);
        }
    }

    /**
     * N by the zero-padded FFT of each pixel's series (|F|² back-transformed), A and C from its
     * prefix sums, O(P·N log N).
     *
     * @param bin the bin, raw
     * @param blocks its pair counts
     * @param lagZero the lag-0 correction
     * @param plan the FFT
     */
    void fft(BinSeries bin, FrameBlocks blocks, LagZero lagZero, FftPlan plan) {
        start(bin);
        int t = bin.frames();
        plan.prepare(t);
        int n = plan.length();
        double[] tmp = plan.scratch();
        int[] blankList = bin.blankList();
        int blankCount = bin.blankFrames();
        prefix = Grow.of(prefix, t + 1);
        for (int j = 0; j < bin.pixels(); j++) {
            int o = j * t;
            Arrays.fill(tmp, 0, n, 0);
            System.arraycopy(xt, o, tmp, 0, t);
            plan.transform().realForward(tmp);
            tmp[0] *= tmp[0];
            tmp[1] *= tmp[1];
            for (int i = 2; i < n; i += 2) {
                double re = tmp[i];
                double im = tmp[i + 1];
                tmp[i] = re * re + im * im;
                tmp[i + 1] = 0;
            }
            plan.transform().realInverse(tmp, true);
            System.arraycopy(tmp, 0, pn, 0, t);
            // Window sums over usable pairs: A(k) = Σ x(t1), C(k) = Σ x(t1 + k). Blank frames are
            // zero in xt, so only pairs with the *other* frame blank need subtracting.
            prefix[0] = 0;
            for (int f = 0; f < t; f++) {
                prefix[f + 1] = prefix[f] + xt[o + f];
            }
            double total = prefix[t];
            for (int k = 0; k < t; k++) {
                pa[k] = prefix[t - k];
                pc[k] = total - prefix[k];
            }
            for (int i = 0; i < blankCount; i++) {
                int beta = blankList[i];
                for (int k = 0; k <= beta; k++) {
                    pa[k] -= xt[o + beta - k];
                }
                for (int k = 0; beta + k < t; k++) {
                    pc[k] -= xt[o + beta + k];
                }
            }
            add(t, blocks, lagZero);
        }
    }

    /**
     * @param t T
     * @param g g(k) = mean over the pixels summed of g_p(k), NaN where none was (T values). Modified.
     */
    void g(int t, double[] g) {
        for (int k = 0; k < t; k++) {
            g[k] = count[k] > 0 ? sum[k] / count[k] : Double.NaN;
        }
    }
}
