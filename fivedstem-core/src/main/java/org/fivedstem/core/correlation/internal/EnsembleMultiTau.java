/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import org.fivedstem.core.correlation.CorrelationAlgorithm;

/**
 * {@code ENSEMBLE} on the multi-tau route ({@link MultiTauSums}), with the pixel-group jackknife
 * (B groups) or without standard errors (B = 1): g at the multi-tau lags, O(P·T) per bin.
 */
final class EnsembleMultiTau implements CorrelationRoute {

    private final MultiTauSums sums;
    private final GramKernel kernel;
    private final BinResult result;

    EnsembleMultiTau(MultiTauSums sums, GramKernel kernel, BinResult result) {
        this.sums = sums;
        this.kernel = kernel;
        this.result = result;
    }

    @Override
    public BinResult correlate(BinSeries bin, CorrelationAlgorithm algorithm, LagZero lagZero, int b) {
        int lags = MultiTauSums.lagCount(bin.frames());
        boolean finite = result.begin(bin, lags, b);
        sums.pairCounts(bin, result.pairs());
        if (!finite) {
            return result;
        }
        sums.compute(bin, b, lagZero, kernel, result.g(), result.pairs(), result.replicates());
        result.groupErrors(sums.groups());
        return result;
    }
}
