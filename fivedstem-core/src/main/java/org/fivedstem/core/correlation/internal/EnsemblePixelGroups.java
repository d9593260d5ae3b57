/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import org.fivedstem.core.correlation.CorrelationAlgorithm;

/**
 * {@code ENSEMBLE} with {@code PIXEL_GROUP_JACKKNIFE}: the ensemble g and its delete-a-group
 * replicates from {@link PixelGroupSums} (direct route only), whose two-time sums the result
 * keeps for the quasi-likelihood fit.
 */
final class EnsemblePixelGroups implements CorrelationRoute {

    private final FrameBlocks blocks;
    private final PixelGroupSums groups;
    private final GramKernel kernel;
    private final BinResult result;

    EnsemblePixelGroups(FrameBlocks blocks, PixelGroupSums groups, GramKernel kernel, BinResult result) {
        this.blocks = blocks;
        this.groups = groups;
        this.kernel = kernel;
        this.result = result;
    }

    @Override
    public BinResult correlate(BinSeries bin, CorrelationAlgorithm algorithm, LagZero lagZero, int b) {
        if (!result.begin(bin, blocks, 1, b)) {
            return result;
        }
        groups.compute(bin, b, blocks, lagZero, kernel, result.g(), result.replicates());
        result.groupErrors(groups.groups());
        result.twoTimeSums(groups);
        return result;
    }
}
