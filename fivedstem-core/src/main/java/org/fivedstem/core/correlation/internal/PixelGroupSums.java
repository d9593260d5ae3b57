/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import java.util.Arrays;


/**
 * The pixel-group jackknife's sums on the direct route. The bin's pixels, in their given order, are
 * cut into G = min(B, P) contiguous groups of (nearly) equal size; for group r
 * <pre>
 *   S_r(t1,t2) = Σ_{p∈r} x_p(t1) x_p(t2)   (the group's Gram matrix, {@link GramKernel#gramUpper}),
 *   M_r(t) = Σ_{p∈r} x_p(t),   S = Σ_r S_r,   M = Σ_r M_r
 * </pre>
 * from the raw intensities. From them the full ensemble g, G(t1,t2) = S·P / (M(t1) M(t2)), and the
 * replicate without group r,
 * <pre>
 *   G₋r(t1,t2) = [(S − S_r)(t1,t2) / (P − P_r)] / (m₋r(t1) m₋r(t2)),   m₋r(t) = (M − M_r)(t) / (P − P_r),
 * </pre>
 * each averaged over the pairs usable in it (both frames with a non-zero mean) at each lag. Every
 * value is a sum in a fixed order (pixels ascending within a group, groups ascending, first frames
 * ascending within a lag), so no thread count changes it.
 *
 * <p>The sums stay readable after the correlation as the two-time sums of the normalised
 * intensities ({@link #normalisedSums}), which the quasi-likelihood fit reads. A reusable
 * workspace; not thread-safe.
 */
public final class PixelGroupSums {

    /**
     * Above this many doubles (32 MB) the per-group Gram matrices are not all kept: each is
     * computed twice (once for the full sum S, once for its replicate) instead, which doubles the
     * direct route's cost but bounds its memory at two T × T matrices (T ≳ 600 frames with 10 groups).
     */
    public static final long GROUP_GRAMS_KEPT_MAX = 4L << 20;

    private int frames;
    private int pixels;
    private int groups;
    private boolean kept;
    private boolean[] usable = new boolean[0]; // T, the bin's usable frames
    private int[] groupStart = new int[0];     // G + 1
    private double[] xg = new double[0];       // P × T, group-major, pixel-major within a group
    private double[] msum = new double[0];     // (G + 1) × T: M_r(t), then M(t)
    private double[] grams = new double[0];    // G × T × T (or one T × T when not kept)
    private double[] gsum = new double[0];     // T × T: S
    private double[] w = new double[0];        // T: 1/M(t) or 1/(M − M_r)(t), 0 on unusable frames
    private double[] acc = new double[0];      // T: lag sums
    private int[] repCount = new int[0];       // T: pairs usable in a replicate

    /**
     * Computes the groups' sums, the full ensemble g and the G replicates.
     *
     * @param bin the bin, raw (finite)
     * @param requested B, the groups asked for; rows G … B−1 of the replicates are NaN
     * @param pairs the usable pair counts n(k) (one block)
     * @param lagZero the lag-0 correction (the diagonal reduced by M(t), or by (M − M_r)(t))
     * @param kernel the Gram matrices
     * @param g the full ensemble g(k), NaN where n(k) = 0 (T values). Modified.
     * @param rep replicate r at lag k at {@code rep[r·T + k]} (B·T values), NaN where it has no pair. Modified.
     */
    void compute(BinSeries bin, int requested, FrameBlocks pairs, LagZero lagZero, GramKernel kernel, double[] g,
                 double[] rep) {
        int t = bin.frames();
        int p = bin.pixels();
        // The engine's float series is read in place (widened exactly as it is loaded); other bins are doubles.
        float[] xf = bin.rawFloats();
        double[] x = xf == null ? bin.raw() : null;
        frames = t;
        pixels = p;
        groups = Math.min(requested, p);
        usable = usable.length >= t ? usable : new boolean[t];
        System.arraycopy(bin.usable(), 0, usable, 0, t);
        int tt = t * t;
        groupStart = Grow.of(groupStart, groups + 1);
        for (int r = 0; r <= groups; r++) {
            groupStart[r] = (int) ((long) r * p / groups);
        }
        // Group-major, pixel-major copy: group r's P_r × T block starts at T·start(r), so each
        // group's Gram is gramUpper on a contiguous block.
        xg = Grow.of(xg, t * p);
        msum = Grow.of(msum, (groups + 1) * t);
        int mo = groups * t; // M(t), the sum over all pixels, after the groups' M_r(t)
        for (int f = 0; f < t; f++) {
            double all = 0;
            int row = f * p;
            if (xf != null) {
                for (int j = 0; j < p; j++) {
                    all += xf[row + j];
                }
            } else {
                for (int j = 0; j < p; j++) {
                    all += x[row + j];
                }
            }
            msum[mo + f] = all;
        }
        for (int r = 0; r < groups; r++) {
            int lo = groupStart[r];
            int pr = groupStart[r + 1] - lo;
            int base = t * lo;
            for (int f = 0; f < t; f++) {
                double sr = 0;
                int row = f * p + lo;
                // the same loop on either element type (Java has no generics over primitive arrays)
                if (xf != null) {
                    for (int j = 0; j < pr; j++) {
                        double v = xf[row + j];
                        xg[base + j * t + f] = v;
                        sr += v;
                    }
                } else {
                    for (int j = 0; j < pr; j++) {
                        double v = x[row + j];
                        xg[base + j * t + f] = v;
                        sr += v;
                    }
                }
                msum[r * t + f] = sr;
            }
        }
        kept = (long) groups * tt <= GROUP_GRAMS_KEPT_MAX;
        grams = Grow.of(grams, kept ? groups * tt : tt);
        gsum = Grow.of(gsum, tt);
        for (int r = 0; r < groups; r++) {
            int lo = groupStart[r];
            int o = kept ? r * tt : 0;
            kernel.gramUpper(xg, t * lo, t, groupStart[r + 1] - lo, grams, o);
            for (int t1 = 0; t1 < t; t1++) {
                int row = t1 * t + t1;
                if (r == 0) {
                    System.arraycopy(grams, o + row, gsum, row, t - t1);
                } else {
                    addTo(grams, o + row, gsum, row, t - t1);
                }
            }
        }
        w = Grow.of(w, t);
        acc = Grow.of(acc, t);
        repCount = Grow.of(repCount, t);
        // Full g: G(t1,t2) = S·P / (M(t1) M(t2)).
        for (int f = 0; f < t; f++) {
            w[f] = usable[f] ? 1 / msum[mo + f] : 0;
        }
        lagSums(-1, 0, lagZero, kernel);
        for (int k = 0; k < t; k++) {
            int n = pairs.pairs(k);
            g[k] = n > 0 ? acc[k] * p / n : Double.NaN;
        }
        // Replicates: G₋r(t1,t2) = (S − S_r)·(P − P_r) / ((M − M_r)(t1) (M − M_r)(t2)).
        for (int r = 0; r < groups; r++) {
            int lo = groupStart[r];
            int pr = groupStart[r + 1] - lo;
            int o = kept ? r * tt : 0;
            if (!kept) {
                kernel.gramUpper(xg, t * lo, t, pr, grams, 0);
            }
            int ro = r * t;
            for (int f = 0; f < t; f++) {
                double rest = msum[mo + f] - msum[ro + f];
                w[f] = usable[f] && rest != 0 ? 1 / rest : 0;
            }
            lagSums(o, ro, lagZero, kernel);
            countReplicatePairs();
            double pRest = p - pr;
            for (int k = 0; k < t; k++) {
                rep[ro + k] = repCount[k] > 0 ? acc[k] * pRest / repCount[k] : Double.NaN;
            }
        }
        Arrays.fill(rep, groups * t, requested * t, Double.NaN);
    }

    /** @return G, the pixel groups of the last {@link #compute} */
    int groups() {
        return groups;
    }

    /**
     * acc[k] = Σ_t1 S(t1, t1+k)·w(t1)·w(t1+k) over t1 ascending, skipping t1 with w = 0 (a pair
     * with w(t1+k) = 0 adds an exact 0); with the factorial correction the diagonal is reduced by
     * M(t). For a replicate, the same for (S − S_r), the diagonal reduced by (M − M_r)(t).
     *
     * @param go where S_r starts in {@code grams}, or −1 for the full sums
     * @param mro where M_r starts in {@code msum} (ignored for the full sums)
     */
    private void lagSums(int go, int mro, LagZero lagZero, GramKernel kernel) {
        int t = frames;
        int mo = groups * t;
        Arrays.fill(acc, 0, t, 0);
        for (int t1 = 0; t1 < t; t1++) {
            double w1 = w[t1];
            if (w1 == 0) {
                continue;
            }
            int row = t1 * t + t1;
            int rr = go + t1 * t + t1;
            double d = go < 0 ? gsum[row] : gsum[row] - grams[rr];
            if (lagZero == LagZero.FACTORIAL) {
                d -= go < 0 ? msum[mo + t1] : msum[mo + t1] - msum[mro + t1];
            }
            acc[0] += d * w1 * w1;
            kernel.lagSums(gsum, row, go < 0 ? null : grams, rr, w, t1, w1, acc, 1, t - t1);
        }
    }

    /** repCount[k]: the pairs at lag k with w ≠ 0 at both frames. */
    private void countReplicatePairs() {
        int t = frames;
        boolean allUsable = true;
        for (int f = 0; f < t; f++) {
            if (w[f] == 0) {
                allUsable = false;
                break;
            }
        }
        if (allUsable) {
            for (int k = 0; k < t; k++) {
                repCount[k] = t - k;
            }
            return;
        }
        Arrays.fill(repCount, 0, t, 0);
        for (int t1 = 0; t1 < t; t1++) {
            if (w[t1] == 0) {
                continue;
            }
            for (int t2 = t1; t2 < t; t2++) {
                if (w[t2] != 0) {
                    repCount[t2 - t1]++;
                }
            }
        }
    }

    /** b[bo + i] += a[ao + i] for i &lt; n (a loop HotSpot vectorises). */
    private static void addTo(double[] a, int ao, double[] b, int bo, int n) {
        for (int i = 0; i < n; i++) {
            b[bo + i] += a[ao + i];
        }
    }

    /**
     * The two-time sums of the normalised intensities u_p(t) = x_p(t)/x̄(t) − 1 over all pixels
     * ({@code replicate} −1) or over all but group {@code replicate}, for the ensemble
     * normalisation: S(t1, t2) = Σ_p u_p(t1) u_p(t2) = Σ_p x_p(t1) x_p(t2) / (x̄(t1) x̄(t2)) − P
     * (Σ_p u_p(t) = 0), from the Gram matrices of the last {@link #compute}.
     *
     * @param replicate −1 for all pixels, else the group left out
     * @param s {@code s[t1·T + t2]} for t2 ≥ t1; 0 where either frame is not usable. Modified.
     * @param invMean 1/x̄(t) per frame, 0 for a frame that is blank (in the replicate). Modified.
     * @return the number of pixels summed, or 0 when {@code replicate} is not −1 or a group, or the
     *     group Gram matrices were not kept for this many frames ({@link #GROUP_GRAMS_KEPT_MAX})
     */
    public int normalisedSums(int replicate, double[] s, double[] invMean) {
        int t = frames;
        if (replicate < -1 || replicate >= groups) {
            return 0;
        }
        int tt = t * t;
        if (replicate >= 0 && !kept) {
            return 0;
        }
        int mo = groups * t;
        int ro = replicate >= 0 ? replicate * t : -1;
        int go = replicate >= 0 ? replicate * tt : -1;
        int pr = replicate >= 0 ? groupStart[replicate + 1] - groupStart[replicate] : 0;
        double pRest = pixels - pr;
        for (int f = 0; f < t; f++) {
            double m = msum[mo + f] - (ro >= 0 ? msum[ro + f] : 0);
            invMean[f] = usable[f] && m > 0 ? pRest / m : 0;
        }
        for (int t1 = 0; t1 < t; t1++) {
            int row = t1 * t;
            double w1 = invMean[t1];
            for (int t2 = t1; t2 < t; t2++) {
                double w2 = invMean[t2];
                if (w1 == 0 || w2 == 0) {
                    s[row + t2] = 0;
                    continue;
                }
                double raw = gsum[row + t2] - (go >= 0 ? grams[go + row + t2] : 0);
                s[row + t2] = raw * w1 * w2 - pRest;
            }
        }
        return (int) pRest;
    }
}
