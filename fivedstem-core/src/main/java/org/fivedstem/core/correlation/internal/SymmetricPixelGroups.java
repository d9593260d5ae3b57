/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import org.fivedstem.core.correlation.CorrelationAlgorithm;

/**
 * {@code SYMMETRIC} with {@code PIXEL_GROUP_JACKKNIFE}: g from {@link SymmetricSums} (direct),
 * the replicates and standard errors of the ensemble estimate from {@link PixelGroupSums}, as
 * {@code StdErrMethod.PIXEL_GROUP_JACKKNIFE} states; the result keeps the groups' two-time sums.
 */
final class SymmetricPixelGroups implements CorrelationRoute {

    private final FrameBlocks blocks;
    private final SymmetricSums symmetric;
    private final PixelGroupSums groups;
    private final GramKernel kernel;
    private final BinResult result;

    SymmetricPixelGroups(FrameBlocks blocks, SymmetricSums symmetric, PixelGroupSums groups, GramKernel kernel,
                         BinResult result) {
        this.blocks = blocks;
        this.symmetric = symmetric;
        this.groups = groups;
        this.kernel = kernel;
        this.result = result;
    }

    @Override
    public BinResult correlate(BinSeries bin, CorrelationAlgorithm algorithm, LagZero lagZero, int b) {
        if (!result.begin(bin, blocks, 1, b)) {
            return result;
        }
        symmetric.direct(bin, blocks, lagZero, kernel);
        groups.compute(bin, b, blocks, lagZero, kernel, result.g(), result.replicates());
        result.groupErrors(groups.groups());
        symmetric.g(bin.frames(), result.g());
        result.twoTimeSums(groups);
        return result;
    }
}
