/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import java.util.Arrays;

import org.fivedstem.core.internal.Jackknife;

/**
 * What a {@link CorrelationRoute} returns for one bin: g, its standard errors and usable pair
 * counts per lag, the B jackknife replicates of g, the number of blank frames and, on the
 * pixel-group routes, the two-time sums the quasi-likelihood fit reads. Everything the route
 * computed is here; nothing about the bin is left elsewhere to be asked for later.
 *
 * <p>A reusable buffer owned by {@link CorrelationRoutes}: valid until the next correlation of the
 * same routes, so copy out what is to be kept ({@link #copyTo}, {@link #copyReplicatesTo}).
 */
public final class BinResult {

    private int lags;
    private int replicateCount;
    private double[] g = new double[0];
    private double[] stdErr = new double[0];
    private int[] pairs = new int[0];
    private double[] replicates = new double[0];
    private int blankFrames;
    private PixelGroupSums twoTimeSums;

    /**
     * Starts a bin's result, the same for every route: sizes the buffer for T lags and B replicates,
     * clears the two-time sums, lays the frames out in {@code frameBlocks} blocks and copies the pair
     * counts n(k) out of that layout. A bin with non-finite data is then complete: g, standard errors
     * and replicates NaN (pair counts stay).
     *
     * @param bin the gathered bin
     * @param blocks the block layout to set
     * @param frameBlocks how many frame blocks to lay out (B for the frame-block jackknife, else 1)
     * @param b the replicates B
     * @return whether the bin's data are finite, so that the route has g to compute
     */
    boolean begin(BinSeries bin, FrameBlocks blocks, int frameBlocks, int b) {
        int t = bin.frames();
        boolean finite = begin(bin, t, b);
        blocks.set(bin, frameBlocks);
        for (int k = 0; k < t; k++) {
            pairs[k] = blocks.pairs(k);
        }
        return finite;
    }

    /**
     * Starts a bin's result at lags of the route's own (multi-tau): sizes the buffer for L lags and
     * B replicates and clears the two-time sums; the route fills the pair counts. For a bin with
     * non-finite data g, standard errors and replicates are set to NaN.
     *
     * @param bin the gathered bin
     * @param lagCount L
     * @param b the replicates B
     * @return whether the bin's data are finite, so that the route has g to compute
     */
    boolean begin(BinSeries bin, int lagCount, int b) {
        lags = lagCount;
        replicateCount = b;
        blankFrames = bin.blankFrames();
        twoTimeSums = null;
        g = Grow.of(g, lagCount);
        stdErr = Grow.of(stdErr, lagCount);
        pairs = Grow.of(pairs, lagCount);
        replicates = Grow.of(replicates, b * lagCount);
        if (!bin.finite()) {
            Arrays.fill(g, 0, lagCount, Double.NaN);
            Arrays.fill(stdErr, 0, lagCount, Double.NaN);
            Arrays.fill(replicates, 0, b * lagCount, Double.NaN);
            return false;
        }
        return true;
    }

    /**
     * The delete-a-group standard errors from the pixel-group replicates held here:
     * SE²(k) = (G−1)/G Σ_r (g₋r(k) − mean_r g₋r(k))² where n(k) &gt; 0 and G ≥ 2, else NaN (NaN too
     * when a replicate has no pair at k). For the direct and the multi-tau route alike.
     *
     * @param groups G, the groups whose replicates were computed
     */
    void groupErrors(int groups) {
        for (int k = 0; k < lags; k++) {
            stdErr[k] = groups >= 2 && pairs[k] > 0 ? Jackknife.standardError(replicates, k, lags, groups) : Double.NaN;
        }
    }

    void twoTimeSums(PixelGroupSums sums) {
        twoTimeSums = sums;
    }

    /** @return g per lag, L values. Modified by the routes. */
    double[] g() {
        return g;
    }

    /** @return standard errors per lag, L values. Modified by the routes. */
    double[] stdErr() {
        return stdErr;
    }

    /** @return usable pairs per lag, L values. Modified by the routes. */
    int[] pairs() {
        return pairs;
    }

    /** @return replicate r at lag k at {@code [r·L + k]}, B·L values. Modified by the routes. */
    double[] replicates() {
        return replicates;
    }

    /** @return L, the lags: T on the direct and FFT routes, fewer on the multi-tau route */
    public int lagCount() {
        return lags;
    }

    /** @return B, the replicates per bin (1 when standard errors are off) */
    public int replicateCount() {
        return replicateCount;
    }

    /** @return the frames whose bin mean is exactly 0 */
    public int blankFrames() {
        return blankFrames;
    }

    /**
     * @return the two-time sums of the normalised intensities, over all pixels and without each
     *     group, of a pixel-group correlation of finite data; {@code null} otherwise. Valid until
     *     the next pixel-group correlation of the same routes.
     */
    public PixelGroupSums twoTimeSums() {
        return twoTimeSums;
    }

    /**
     * @param gOut g at {@code gOut[offset + k]}. Modified.
     * @param stdErrOut standard errors, same layout (NaN where unknown). Modified.
     * @param pairsOut usable pairs, same layout. Modified.
     * @param offset where lag 0 goes
     */
    public void copyTo(double[] gOut, double[] stdErrOut, int[] pairsOut, int offset) {
        System.arraycopy(g, 0, gOut, offset, lags);
        System.arraycopy(stdErr, 0, stdErrOut, offset, lags);
        System.arraycopy(pairs, 0, pairsOut, offset, lags);
    }

    /**
     * @param out replicate r at lag k at {@code out[offset + r·L + k]} (B·L values). Modified.
     * @param offset where replicate 0 goes
     */
    public void copyReplicatesTo(double[] out, int offset) {
        System.arraycopy(replicates, 0, out, offset, replicateCount * lags);
    }
}
