/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import org.fivedstem.core.correlation.CorrelationAlgorithm;

/**
 * One way of correlating a bin: g(k) in one normalisation ({@code Normalisation}) with the
 * standard errors and replicates of one jackknife ({@code StdErrMethod}). The four routes are
 * {@link EnsembleFrameBlocks}, {@link SymmetricFrameBlocks}, {@link EnsemblePixelGroups} and
 * {@link SymmetricPixelGroups}, selected by {@link CorrelationRoutes#route}; the standard errors of
 * the symmetric routes are those of the ensemble estimate at the same lag.
 */
public interface CorrelationRoute {

    /**
     * Correlates one bin.
     *
     * @param bin the gathered bin. Modified (its intensities may be made relative).
     * @param algorithm {@link CorrelationAlgorithm#DIRECT} or {@link CorrelationAlgorithm#FFT}
     *     (resolved, not AUTO); the pixel-group routes are direct only and ignore it
     * @param lagZero the lag-0 correction
     * @param replicates B, the frame blocks or pixel groups asked for (1: no standard errors)
     * @return the result, valid until the next correlation of the same routes
     */
    BinResult correlate(BinSeries bin, CorrelationAlgorithm algorithm, LagZero lagZero, int replicates);
}
