/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import org.fivedstem.core.correlation.CorrelationAlgorithm;

/**
 * {@code ENSEMBLE} with {@code FRAME_BLOCK_JACKKNIFE} (or {@code NONE}: one block): the ensemble g
 * of eqs. 1–2 from the block sums of {@link BlockSums}, by the direct or the FFT route, its
 * delete-a-block replicates and their standard errors.
 */
final class EnsembleFrameBlocks implements CorrelationRoute {

    private final FrameBlocks blocks;
    private final BlockSums sums;
    private final FftPlan plan;
    private final GramKernel kernel;
    private final BinResult result;

    EnsembleFrameBlocks(FrameBlocks blocks, BlockSums sums, FftPlan plan, GramKernel kernel, BinResult result) {
        this.blocks = blocks;
        this.sums = sums;
        this.plan = plan;
        this.kernel = kernel;
        this.result = result;
    }

    @Override
    public BinResult correlate(BinSeries bin, CorrelationAlgorithm algorithm, LagZero lagZero, int b) {
        if (!result.begin(bin, blocks, b, b)) {
            return result;
        }
        sums.compute(bin, blocks, algorithm, lagZero, plan, kernel);
        sums.finish(bin, blocks, result.g(), result);
        return result;
    }
}
