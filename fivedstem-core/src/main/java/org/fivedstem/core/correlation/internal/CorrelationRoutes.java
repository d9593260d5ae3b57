/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import java.util.Objects;

import org.fivedstem.api.Normalisation;
import org.fivedstem.core.correlation.StdErrMethod;

/**
 * One thread's correlation machinery: the four {@link CorrelationRoute}s, selected by
 * normalisation × standard-error method, and the multi-tau route, over one shared set of workspace arrays (the gathered
 * bin, the block layout and pair counts, the block, symmetric and pixel-group sums, the FFT) and
 * one {@link GramKernel}. Arrays grow to the largest problem seen and are then reused, so a stream
 * of positions of the same shape allocates nothing. Not thread-safe: one instance per thread.
 */
public final class CorrelationRoutes {

    private final GramKernel kernel;
    private final BinSeries bin = new BinSeries();
    private final CorrelationRoute ensembleFrameBlocks;
    private final CorrelationRoute symmetricFrameBlocks;
    private final CorrelationRoute ensemblePixelGroups;
    private final CorrelationRoute symmetricPixelGroups;
    private final CorrelationRoute ensembleMultiTau;

    /**
     * @param kernel the pair sums to use (see {@link GramKernels#preferred()})
     */
    public CorrelationRoutes(GramKernel kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        BinResult result = new BinResult();
        FrameBlocks blocks = new FrameBlocks();
        BlockSums blockSums = new BlockSums();
        SymmetricSums symmetric = new SymmetricSums();
        PixelGroupSums groups = new PixelGroupSums();
        FftPlan plan = new FftPlan();
        ensembleFrameBlocks = new EnsembleFrameBlocks(blocks, blockSums, plan, kernel, result);
        symmetricFrameBlocks = new SymmetricFrameBlocks(blocks, symmetric, blockSums, plan, kernel, result);
        ensemblePixelGroups = new EnsemblePixelGroups(blocks, groups, kernel, result);
        symmetricPixelGroups = new SymmetricPixelGroups(blocks, symmetric, groups, kernel, result);
        ensembleMultiTau = new EnsembleMultiTau(new MultiTauSums(), kernel, result);
    }

    /**
     * @param normalisation how g is normalised
     * @param stdErr how its standard errors are estimated ({@code NONE} takes the frame-block route
     *     with one block)
     * @return the route
     */
    public CorrelationRoute route(Normalisation normalisation, StdErrMethod stdErr) {
        boolean groups = stdErr == StdErrMethod.PIXEL_GROUP_JACKKNIFE;
        return switch (normalisation) {
            case ENSEMBLE -> groups ? ensemblePixelGroups : ensembleFrameBlocks;
            case SYMMETRIC -> groups ? symmetricPixelGroups : symmetricFrameBlocks;
        };
    }

    /**
     * @return the multi-tau route (ensemble normalisation; pixel-group jackknife or no standard
     *     errors), {@link MultiTauSums}
     */
    public CorrelationRoute multiTau() {
        return ensembleMultiTau;
    }

    /**
     * Gathers one bin into the shared {@link BinSeries} (see {@link BinSeries#gather}).
     *
     * @param series intensities, {@code series[t·stride + p]}. Not modified.
     * @param frames T
     * @param stride pixels per frame in {@code series}
     * @param members this bin's pixel indices. Not modified.
     * @param pixels P, the members used
     * @return the bin, valid until the next gather
     */
    public BinSeries gather(double[] series, int frames, int stride, int[] members, int pixels) {
        return bin.gather(series, frames, stride, members, pixels);
    }

    /**
     * Gathers one bin from {@code float} intensities, widened exactly ({@link BinSeries#gather(float[], int, int, int[], int)}).
     *
     * @param series intensities, {@code series[t·stride + p]}. Not modified.
     * @param frames T
     * @param stride pixels per frame in {@code series}
     * @param members this bin's pixel indices. Not modified.
     * @param pixels P, the members used
     * @return the bin, valid until the next gather
     */
    public BinSeries gather(float[] series, int frames, int stride, int[] members, int pixels) {
        return bin.gather(series, frames, stride, members, pixels);
    }

    /**
     * The two-time matrix G(t1, t2) of a gathered bin ({@link TwoTimeMatrix}).
     *
     * @param gathered the bin. Modified (made relative).
     * @param lagZero the correction of the diagonal
     * @param out T × T, row-major. Modified.
     * @return the number of blank frames
     */
    public int twoTime(BinSeries gathered, LagZero lagZero, double[] out) {
        return TwoTimeMatrix.compute(gathered, lagZero, kernel, out);
    }
}
