/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import java.util.Arrays;

import org.fivedstem.core.correlation.CorrelationAlgorithm;
import org.fivedstem.core.internal.Jackknife;

/**
 * The ensemble normalisation's pair sums per frame block (see {@link FrameBlocks}), from the
 * relative intensities J_p(t) = x_p(t)/m(t): for block b and lag k, over usable pairs
 * (t1, t2 = t1 + k),
 * <pre>
 *   s1[b][k] = Σ_{t1 ∈ b} Σ_p J_p(t1) J_p(t2),   s2[b][k] = the same over t2 ∈ b,   s3[b][k] over t1, t2 ∈ b
 * </pre>
 * The full sum is S(k) = Σ_b s1[b][k], the ensemble g(k) = S(k) / (P n(k)) (eq. 1 averaged over
 * the usable t1), and the delete-a-block replicate without block b is
 * g₋b(k) = (S − s1 − s2 + s3)(k) / (P (n − n1 − n2 + n3)(k)).
 *
 * <p>Two ways to the same sums: {@link #direct} from the two-time Gram matrix (the
 * {@link GramKernel}), {@link #fft} from per-pixel FFTs. A reusable workspace; not thread-safe.
 */
final class BlockSums {

    private int frames;
    private double[] s1 = new double[0];    // B × T
    private double[] s2 = new double[0];
    private double[] s3 = new double[0];
    private double[] total = new double[0]; // T: S(k)
    private double[] gram = new double[0];  // T × T, upper triangle
    private double[] byPixel = new double[0]; // P × T: the relative intensities, pixel-major for the Gram kernel
    private double[] fb = new double[0];    // B × N
    private double[] acc1 = new double[0];  // B × N
    private double[] acc3 = new double[0];  // B × N
    private double[] used = new double[0];  // replicates of one lag over the used blocks

    private void size(int t, int b) {
        frames = t;
        s1 = Grow.of(s1, b * t);
        s2 = Grow.of(s2, b * t);
        s3 = Grow.of(s3, b * t);
    }

    /**
     * The sums by the given route, with the lag-0 correction.
     *
     * @param bin the bin; made relative. Modified.
     * @param blocks its block layout
     * @param algorithm DIRECT or FFT
     * @param lagZero the lag-0 correction
     * @param plan the FFT (FFT route)
     * @param kernel the pair sums (direct route)
     */
    void compute(BinSeries bin, FrameBlocks blocks, CorrelationAlgorithm algorithm, LagZero lagZero, FftPlan plan,
                 GramKernel kernel) {
        if (algorithm == CorrelationAlgorithm.FFT) {
            fft(bin, blocks, plan);
        } else {
            direct(bin, blocks, kernel);
        }
        if (lagZero == LagZero.FACTORIAL) {
            factorial(bin, blocks);
        }
    }

    /**
     * The direct route: every usable pair's Σ_p J_p(t1) J_p(t2) (the upper triangle of the
     * two-time Gram matrix), then the block sums in pair order (t1 ascending, then t2).
     *
     * @param bin the bin; made relative. Modified.
     * @param blocks the block layout of the bin
     * @param kernel the pair sums
     */
    private void direct(BinSeries bin, FrameBlocks blocks, GramKernel kernel) {
        double[] x = bin.relative();
        int t = bin.frames();
        int p = bin.pixels();
        size(t, blocks.count());
        boolean[] usable = bin.usable();
        int[] blockOf = blocks.blockOf();
        int bt = blocks.count() * t;
        Arrays.fill(s1, 0, bt, 0);
        Arrays.fill(s2, 0, bt, 0);
        Arrays.fill(s3, 0, bt, 0);
        gram = Grow.of(gram, t * t);
        byPixel = Grow.of(byPixel, t * p);
        for (int f = 0; f < t; f++) {
            for (int j = 0, row = f * p; j < p; j++) {
                byPixel[j * t + f] = x[row + j];
            }
        }
        kernel.gramUpper(byPixel, 0, t, p, gram, 0);
        for (int t1 = 0; t1 < t; t1++) {
            if (!usable[t1]) {
                continue;
            }
            int b1 = blockOf[t1] * t;
            int r1 = t1 * t;
            for (int t2 = t1; t2 < t; t2++) {
                if (!usable[t2]) {
                    continue;
                }
                double w = gram[r1 + t2];
                int k = t2 - t1;
                int b2 = blockOf[t2] * t;
                s1[b1 + k] += w;
                s2[b2 + k] += w;
                if (b1 == b2) {
                    s3[b1 + k] += w;
                }
            }
        }
    }

    /**
     * The FFT route: per pixel, the zero-padded transform F_b of each block's stretch of J; then
     * s1[b] = IFFT(Σ_p conj(F_b) · Σ_c F_c) and s3[b] = IFFT(Σ_p |F_b|²), s2[b] from the negative
     * lags of s1[b].
     *
     * @param bin the bin; made relative. Modified.
     * @param blocks the block layout of the bin
     * @param plan the FFT of the bin's length
     */
    private void fft(BinSeries bin, FrameBlocks blocks, FftPlan plan) {
        double[] x = bin.relative();
        int t = bin.frames();
        int p = bin.pixels();
        int b = blocks.count();
        size(t, b);
        plan.prepare(t);
        int n = plan.length();
        double[] tmp = plan.scratch();
        int[] blockStart = blocks.blockStart();
        fb = Grow.of(fb, b * n);
        acc1 = Grow.of(acc1, b * n);
        acc3 = Grow.of(acc3, b * n);
        Arrays.fill(acc1, 0, b * n, 0);
        if (b > 1) {
            Arrays.fill(acc3, 0, b * n, 0);
        }
        for (int j = 0; j < p; j++) {
            Arrays.fill(tmp, 0, n, 0);
            for (int bb = 0; bb < b; bb++) {
                if (!blocks.used(bb)) {
                    continue;
                }
                int o = bb * n;
                Arrays.fill(fb, o, o + n, 0);
                for (int f = blockStart[bb]; f < blockStart[bb + 1]; f++) {
                    fb[o + f] = x[f * p + j];
                }
                plan.transform().realForward(fb, o);
                for (int i = 0; i < n; i++) {
                    tmp[i] += fb[o + i];
                }
            }
            for (int bb = 0; bb < b; bb++) {
                if (!blocks.used(bb)) {
                    continue;
                }
                int o = bb * n;
                conjMulAdd(fb, o, tmp, 0, acc1, o, n);
                if (b > 1) {
                    conjMulAdd(fb, o, fb, o, acc3, o, n);
                }
            }
        }
        for (int bb = 0; bb < b; bb++) {
            int o = bb * n;
            int so = bb * t;
            if (!blocks.used(bb)) {
                Arrays.fill(s1, so, so + t, 0);
                Arrays.fill(s2, so, so + t, 0);
                Arrays.fill(s3, so, so + t, 0);
                continue;
            }
            plan.transform().realInverse(acc1, o, true);
            s1[so] = acc1[o];
            s2[so] = acc1[o];
            for (int k = 1; k < t; k++) {
                s1[so + k] = acc1[o + k];
                s2[so + k] = acc1[o + n - k];
            }
            if (b > 1) {
                plan.transform().realInverse(acc3, o, true);
                System.arraycopy(acc3, o, s3, so, t);
            } else {
                System.arraycopy(s1, so, s3, so, t);
            }
        }
    }

    /** acc += conj(a) · c, all in JTransforms' packed real-FFT format (even length). */
    private static void conjMulAdd(double[] a, int ao, double[] c, int co, double[] acc, int oo, int n) {
        acc[oo] += a[ao] * c[co];
        acc[oo + 1] += a[ao + 1] * c[co + 1];
        for (int i = 2; i < n; i += 2) {
            double ar = a[ao + i];
            double ai = a[ao + i + 1];
            double cr = c[co + i];
            double ci = c[co + i + 1];
            acc[oo + i] += ar * cr + ai * ci;
            acc[oo + i + 1] += ar * ci - ai * cr;
        }
    }

    /**
     * The factorial-moment lag-0 correction, Σ_p I_p(t)(I_p(t) − 1)/m² = Σ_p J_p² − P/m(t):
     * subtracts P/m(t) from each usable frame's lag-0 pair.
     *
     * @param bin the bin the sums are of
     * @param blocks its block layout
     */
    private void factorial(BinSeries bin, FrameBlocks blocks) {
        int t = frames;
        boolean[] usable = bin.usable();
        double[] mean = bin.mean();
        int[] blockOf = blocks.blockOf();
        for (int f = 0; f < t; f++) {
            if (usable[f]) {
                double c = bin.pixels() / mean[f];
                int o = blockOf[f] * t;
                s1[o] -= c;
                s2[o] -= c;
                s3[o] -= c;
            }
        }
    }

    /**
     * Writes the ensemble g, the delete-a-block replicates and their standard errors:
     * <pre>
     *   g(k) = S(k) / (P n(k)),   g₋b(k) = (S − s1 − s2 + s3)(k) / (P (n − n1 − n2 + n3)(k)),
     *   SE²(k) = (B'−1)/B' Σ_b (g₋b(k) − mean_b g₋b(k))²
     * </pre>
     * over the B' blocks with a usable frame. g is NaN at lags without pairs; a replicate is NaN
     * where it has no pair left and for a block without usable frames, all replicates are NaN when
     * B = 1; the SE is NaN when B' &lt; 2 or some replicate has no pair left.
     *
     * @param bin the bin the sums are of
     * @param blocks its block layout
     * @param g g per lag (T values), or {@code null} when another estimate is reported. Modified.
     * @param out replicates and standard errors. Modified.
     */
    void finish(BinSeries bin, FrameBlocks blocks, double[] g, BinResult out) {
        int t = frames;
        int b = blocks.count();
        double p = bin.pixels();
        total = Grow.of(total, t);
        for (int k = 0; k < t; k++) {
            double s = 0;
            for (int bb = 0; bb < b; bb++) {
                s += s1[bb * t + k];
            }
            total[k] = s;
            if (g != null) {
                int n = blocks.pairs(k);
                g[k] = n > 0 ? s / ((double) bin.pixels() * n) : Double.NaN;
            }
        }
        double[] rep = out.replicates();
        for (int bb = 0; bb < b; bb++) {
            int o = bb * t;
            if (b < 2 || !blocks.used(bb)) {
                Arrays.fill(rep, o, o + t, Double.NaN);
                continue;
            }
            for (int k = 0; k < t; k++) {
                int i = bb * t + k;
                int nr = blocks.pairsWithout(bb, k, blocks.pairs(k));
                rep[o + k] = nr > 0 ? (total[k] - s1[i] - s2[i] + s3[i]) / (p * nr) : Double.NaN;
            }
        }
        double[] se = out.stdErr();
        int usedBlocks = blocks.usedCount();
        used = Grow.of(used, b);
        for (int k = 0; k < t; k++) {
            se[k] = b > 1 && usedBlocks >= 2 && blocks.pairs(k) > 0 ? blockError(blocks, rep, k) : Double.NaN;
        }
    }

    /** The jackknife SE at lag k over the used blocks; NaN if one of them has no pair left. */
    private double blockError(FrameBlocks blocks, double[] rep, int k) {
        int t = frames;
        int n = blocks.pairs(k);
        int m = 0;
        for (int bb = 0; bb < blocks.count(); bb++) {
            if (!blocks.used(bb)) {
                continue;
            }
            if (blocks.pairsWithout(bb, k, n) <= 0) {
                return Double.NaN;
            }
            used[m++] = rep[bb * t + k];
        }
        return Jackknife.standardError(used, 0, 1, m);
    }
}
