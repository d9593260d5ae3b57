/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting.internal;

/**
 * Standard errors of the four KWW parameters, as a fit reports them: NaN where unknown, 0 for a
 * γ held fixed, NaN for a baseline that was not fitted.
 *
 * @param beta error of β
 * @param tauSeconds error of τ in s
 * @param gamma error of γ
 * @param baseline error of c
 */
public record ParameterErrors(double beta, double tauSeconds, double gamma, double baseline) {

    /**
     * @param layout which parameters were fitted
     * @return unknown errors: NaN, and 0 for a fixed γ
     */
    public static ParameterErrors unknown(KwwParameters layout) {
        double nan = Double.NaN;
        return new ParameterErrors(nan, nan, layout.gammaFree() ? nan : 0, nan);
    }
}
