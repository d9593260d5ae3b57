/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import java.util.Arrays;

import org.fivedstem.core.correlation.CorrelationAlgorithm;

/**
 * {@code SYMMETRIC} with {@code FRAME_BLOCK_JACKKNIFE} (or {@code NONE}: one block): g from
 * {@link SymmetricSums}, by the direct or the FFT route; with B &gt; 1 blocks the replicates and
 * standard errors are those of the ensemble estimate ({@link BlockSums}), as
 * {@code StdErrMethod.FRAME_BLOCK_JACKKNIFE} states.
 */
final class SymmetricFrameBlocks implements CorrelationRoute {

    private final FrameBlocks blocks;
    private final SymmetricSums symmetric;
    private final BlockSums sums;
    private final FftPlan plan;
    private final GramKernel kernel;
    private final BinResult result;

    SymmetricFrameBlocks(FrameBlocks blocks, SymmetricSums symmetric, BlockSums sums, FftPlan plan, GramKernel kernel,
                         BinResult result) {
        this.blocks = blocks;
        this.symmetric = symmetric;
        this.sums = sums;
        this.plan = plan;
        this.kernel = kernel;
        this.result = result;
    }

    @Override
    public BinResult correlate(BinSeries bin, CorrelationAlgorithm algorithm, LagZero lagZero, int b) {
        int t = bin.frames();
        if (!result.begin(bin, blocks, b, b)) {
            return result;
        }
        // The symmetric sums read the raw intensities, before the ensemble part makes them relative.
        if (algorithm == CorrelationAlgorithm.FFT) {
            symmetric.fft(bin, blocks, lagZero, plan);
        } else {
            symmetric.direct(bin, blocks, lagZero, kernel);
        }
        if (b > 1) {
            sums.compute(bin, blocks, algorithm, lagZero, plan, kernel);
            sums.finish(bin, blocks, null, result);
        } else {
            Arrays.fill(result.stdErr(), 0, t, Double.NaN);
            Arrays.fill(result.replicates(), 0, t, Double.NaN);
        }
        symmetric.g(t, result.g());
        return result;
    }
}
