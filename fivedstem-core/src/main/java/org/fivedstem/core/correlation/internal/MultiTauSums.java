/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import java.util.Arrays;

/**
 * The multi-tau correlator of X-ray photon correlation spectroscopy (Schätzel's multiple-tau
 * scheme, as XPCS pipelines use it for long series), for the ensemble normalisation with the
 * pixel-group jackknife: g at quasi-logarithmically spaced lags from pairs of progressively binned
 * frames, in O(P·T) per bin instead of the direct route's O(P·T²).
 *
 * <p><b>Lags.</b> With m = {@value #CHANNELS} channels: level 0 holds the lags 0 … m−1 frames
 * from the frames themselves; level l ≥ 1 holds k·2^l for k = m/2 … m−1 from the series binned
 * 2^l frames to a bin (bin b of level l is the sum of bins 2b and 2b+1 of level l−1; a trailing
 * odd bin is dropped), as long as the level has a pair at that lag ({@link #lagFrames}). Each lag
 * is thus resolved to within 1/m … 2/m of itself.
 *
 * <p><b>Estimator.</b> On each level the direct route's ensemble estimator, with bins for frames:
 * for bins b1, b2 = b1 + k, with X_p the binned intensities and M(b) = Σ_p X_p(b),
 * <pre>
 *   G(b1, b2) = P Σ_p X_p(b1) X_p(b2) / (M(b1) M(b2)),    g(k) = mean over the usable pairs of G,
 * </pre>
 * a bin being usable when both its halves are (on level 0: when the frame's mean is not 0), and its
 * pixel-group jackknife replicates exactly as {@link PixelGroupSums} forms them (groups of
 * contiguous pixels, the sums without group r over P − P_r pixels). On level 0 every value is the
 * direct route's with the pixel-group jackknife, bit for bit: the same group Gram sums
 * ({@link GramKernel#gramBand} has {@link GramKernel#gramUpper}'s order), added in the same order
 * (without standard errors the direct route forms its sums from relative intensities instead: the
 * same g to rounding). On level l a binned pair
 * averages the frame pairs at lags k·2^l ± (2^l − 1) with triangular weights, so g is smoothed over
 * at most ±2/m of the lag — far below its statistical error for the smooth decays of eq. 3 (the
 * tests compare with the direct route on simulated data).
 *
 * <p><b>Pair counts.</b> Reported per lag as the frame pairs the level's usable bin pairs span: n·2^l
 * for n usable bin pairs (about T − lag, as on the direct route), so that rules written for frame
 * pairs (the fit window's "a quarter of lag 0's pairs") read the same. g and the replicates divide
 * by the bin pairs themselves.
 *
 * <p>A reusable workspace; not thread-safe.
 */
public final class MultiTauSums {

    /** m, the lags per level 0 (half of them new on each further level). */
    public static final int CHANNELS = 16;

    private int groups;
    private int[] groupStart = new int[0];   // G + 1
    private double[] level = new double[0];  // P × T_l, group-major, pixel-major within a group
    private double[] next = new double[0];
    private boolean[] usable = new boolean[0];
    private double[] msum = new double[0];   // (G + 1) × T_l: M_r(b), then M(b)
    private double[] band = new double[0];   // per group T_l × K, then their total
    private double[] w = new double[0];      // T_l: 1/M(b) or 1/(M − M_r)(b), 0 on unusable bins
    private double[] acc = new double[0];    // K
    private int[] count = new int[0];        // K

    /**
     * The lag grid for T frames: 0 … m−1, then k·2^l for k = m/2 … m−1 on each level l ≥ 1 while
     * k &lt; ⌊T/2^l⌋ (the level has a pair at lag k).
     *
     * @param frames T (≥ 1)
     * @return the lags in frames, ascending
     */
    public static int[] lagFrames(int frames) {
        int[] lags = new int[lagCount(frames)];
        int i = 0;
        for (int k = 0; k < Math.min(CHANNELS, frames); k++) {
            lags[i++] = k;
        }
        for (int l = 1; (frames >> l) > CHANNELS / 2; l++) {
            for (int k = CHANNELS / 2; k < Math.min(CHANNELS, frames >> l); k++) {
                lags[i++] = k << l;
            }
        }
        return lags;
    }

    /**
     * @param frames T (≥ 1)
     * @return the number of lags of {@link #lagFrames}
     */
    public static int lagCount(int frames) {
        int n = Math.min(CHANNELS, frames);
        for (int l = 1; (frames >> l) > CHANNELS / 2; l++) {
            n += Math.min(CHANNELS, frames >> l) - CHANNELS / 2;
        }
        return n;
    }

    /**
     * The pair counts of {@link #compute} from the frames' usability alone (also for a bin whose
     * data are not finite): per lag, n·2^l for the n pairs of usable bins of its level.
     *
     * @param bin the bin
     * @param pairs usable frame pairs spanned per lag (L values). Modified.
     */
    void pairCounts(BinSeries bin, int[] pairs) {
        int t = bin.frames();
        int lagsTotal = lagCount(t);
        usable = usable.length >= t ? usable : new boolean[t];
        System.arraycopy(bin.usable(), 0, usable, 0, t);
        int tl = t;
        int done = 0;
        for (int l = 0; done < lagsTotal; l++) {
            int kLo = l == 0 ? 0 : CHANNELS / 2;
            int lags = Math.min(CHANNELS, tl) - kLo;
            for (int i = 0; i < lags; i++) {
                int k = kLo + i;
                int n = 0;
                for (int b1 = 0; b1 + k < tl; b1++) {
                    n += usable[b1] && usable[b1 + k] ? 1 : 0;
                }
                pairs[done + i] = n << l;
            }
            done += lags;
            int half = tl / 2;
            for (int b = 0; b < half; b++) {
                usable[b] = usable[2 * b] && usable[2 * b + 1];
            }
            tl = half;
        }
    }

    /**
     * Computes g and the replicates at the lags of {@link #lagFrames}, given the pair counts of
     * {@link #pairCounts}.
     *
     * @param bin the bin, raw (finite)
     * @param requested B, the groups asked for (1: no jackknife); rows G … B−1 of the replicates are NaN
     * @param lagZero the lag-0 correction (the diagonal reduced by M(t), or by (M − M_r)(t))
     * @param kernel the band sums
     * @param g g per lag, NaN where a lag has no usable pair (L values). Modified.
     * @param pairs the pair counts of {@link #pairCounts} (L values). Not modified.
     * @param rep replicate r at lag i at {@code rep[r·L + i]} (B·L values), NaN where it has no pair. Modified.
     */
    void compute(BinSeries bin, int requested, LagZero lagZero, GramKernel kernel, double[] g, int[] pairs,
                 double[] rep) {
        int t = bin.frames();
        int p = bin.pixels();
        int lagsTotal = lagCount(t);
        groups = Math.min(requested, p);
        groupStart = Grow.of(groupStart, groups + 1);
        for (int r = 0; r <= groups; r++) {
            groupStart[r] = (int) ((long) r * p / groups);
        }
        double[] x = bin.raw();
        level = Grow.of(level, t * p);
        next = Grow.of(next, (t / 2) * p);
        usable = usable.length >= t ? usable : new boolean[t];
        System.arraycopy(bin.usable(), 0, usable, 0, t);
        // Level 0: the pixel-major copy PixelGroupSums makes (groups are contiguous pixel ranges, so
        // group r's block starts at T·start(r)).
        for (int f = 0; f < t; f++) {
            for (int j = 0; j < p; j++) {
                level[j * t + f] = x[f * p + j];
            }
        }
        int done = 0;
        int tl = t;
        for (int l = 0; done < lagsTotal; l++) {
            int kLo = l == 0 ? 0 : CHANNELS / 2;
            int lags = Math.min(CHANNELS, tl) - kLo;
            frameSums(tl, p);
            correlateLevel(tl, p, kLo, lags, l, lagZero, kernel, g, pairs, rep, done, lagsTotal);
            done += lags;
            if (done < lagsTotal) {
                tl = halve(tl, p);
            }
        }
        Arrays.fill(rep, groups * lagsTotal, requested * lagsTotal, Double.NaN);
    }

    /**
     * M_r(b) and M(b) of the current level, from its pixel-major copy: each sum over the pixels in
     * ascending order, as {@link PixelGroupSums} sums the frame-major data (the same values in the
     * same order, so level 0 is the direct route's to the bit).
     */
    private void frameSums(int tl, int p) {
        msum = Grow.of(msum, (groups + 1) * tl);
        int mo = groups * tl;
        for (int f = 0; f < tl; f++) {
            double all = 0;
            for (int j = 0; j < p; j++) {
                all += level[j * tl + f];
            }
            msum[mo + f] = all;
        }
        for (int r = 0; r < groups; r++) {
            for (int f = 0; f < tl; f++) {
                double sr = 0;
                for (int j = groupStart[r]; j < groupStart[r + 1]; j++) {
                    sr += level[j * tl + f];
                }
                msum[r * tl + f] = sr;
            }
        }
    }

    /** Bins the level 2 to 1 (a trailing odd bin dropped); a bin is usable when both halves are. */
    private int halve(int tl, int p) {
        int half = tl / 2;
        for (int j = 0; j < p; j++) {
            int from = j * tl;
            int to = j * half;
            for (int b = 0; b < half; b++) {
                next[to + b] = level[from + 2 * b] + level[from + 2 * b + 1];
            }
        }
        for (int b = 0; b < half; b++) {
            usable[b] = usable[2 * b] && usable[2 * b + 1];
        }
        double[] swap = level;
        level = next;
        next = swap;
        return half;
    }

    /**
     * One level's lags: the groups' band sums S_r(b1, k) ({@link GramKernel#gramBand}, group r's
     * block starting at T_l·start(r) as on level 0), S = Σ_r S_r in group order, and the lag sums
     * of the full g and of each replicate in first-bin order — {@link PixelGroupSums}'s formulas.
     */
    private void correlateLevel(int tl, int p, int kLo, int lags, int l, LagZero lagZero, GramKernel kernel,
                                double[] g, int[] pairs, double[] rep, int at, int lagsTotal) {
        int per = tl * lags;
        band = Grow.of(band, (groups + 1) * per);
        int total = groups * per;
        for (int r = 0; r < groups; r++) {
            int lo = groupStart[r];
            kernel.gramBand(level, tl * lo, tl, groupStart[r + 1] - lo, kLo, lags, band, r * per);
            if (r == 0) {
                System.arraycopy(band, 0, band, total, per);
            } else {
                for (int i = 0; i < per; i++) {
                    band[total + i] += band[r * per + i];
                }
            }
        }
        w = Grow.of(w, tl);
        acc = Grow.of(acc, lags);
        count = Grow.of(count, lags);
        int mo = groups * tl;
        // Full g: G(b1, b2) = S·P / (M(b1) M(b2)) over the pairs of usable bins.
        for (int b = 0; b < tl; b++) {
            w[b] = usable[b] ? 1 / msum[mo + b] : 0;
        }
        lagSums(tl, kLo, lags, total, -1, lagZero, kernel);
        for (int i = 0; i < lags; i++) {
            int n = pairs[at + i] >> l;
            g[at + i] = n > 0 ? acc[i] * p / n : Double.NaN;
        }
        // Replicates: G₋r(b1, b2) = (S − S_r)·(P − P_r) / ((M − M_r)(b1) (M − M_r)(b2)).
        for (int r = 0; r < groups; r++) {
            int ro = r * tl;
            for (int b = 0; b < tl; b++) {
                double rest = msum[mo + b] - msum[ro + b];
                w[b] = usable[b] && rest != 0 ? 1 / rest : 0;
            }
            lagSums(tl, kLo, lags, total, r, lagZero, kernel);
            double pRest = p - (groupStart[r + 1] - groupStart[r]);
            for (int i = 0; i < lags; i++) {
                int n = 0;
                for (int b1 = 0; b1 + kLo + i < tl; b1++) {
                    n += w[b1] != 0 && w[b1 + kLo + i] != 0 ? 1 : 0;
                }
                rep[r * lagsTotal + at + i] = n > 0 ? acc[i] * pRest / n : Double.NaN;
            }
        }
    }

    /**
     * acc[i] = Σ_b1 (S − S_r)(b1, kLo + i)·w(b1)·w(b1 + kLo + i) over b1 ascending, skipping b1
     * with w = 0 (S alone when {@code r} is −1); at lag 0 the diagonal reduced by M(b1), or
     * (M − M_r)(b1), with the factorial correction — {@link PixelGroupSums}'s lag sums, by
     * {@link GramKernel#lagSums}.
     */
    private void lagSums(int tl, int kLo, int lags, int total, int r, LagZero lagZero, GramKernel kernel) {
        int per = tl * lags;
        int mo = groups * tl;
        Arrays.fill(acc, 0, lags, 0);
        for (int b1 = 0; b1 < tl; b1++) {
            double w1 = w[b1];
            if (w1 == 0) {
                continue;
            }
            int row = b1 * lags;
            int i = 0;
            if (kLo == 0) {
                double d = r < 0 ? band[total + row] : band[total + row] - band[r * per + row];
                if (lagZero == LagZero.FACTORIAL) {
                    d -= r < 0 ? msum[mo + b1] : msum[mo + b1] - msum[r * tl + b1];
                }
                acc[0] += d * w1 * w1;
                i = 1;
            }
            kernel.lagSums(band, total + row, r < 0 ? null : band, r * per + row, w, b1 + kLo, w1, acc, i,
                Math.min(lags, tl - b1 - kLo));
        }
    }

    /** @return G, the pixel groups of the last computation */
    int groups() {
        return groups;
    }
}
