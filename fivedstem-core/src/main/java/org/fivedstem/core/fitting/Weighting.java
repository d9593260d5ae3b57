/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting;

/**
 * How the points of a g(t) curve are weighted in the KWW fit.
 */
public enum Weighting {
    /** {@link #STD_ERR} when every lag of the window has a finite, positive standard error, else {@link #UNIFORM}. */
    AUTO,
    /**
     * Weights 1/SE²: χ² = Σ ((g − model)/SE)². Parameter errors come from the covariance
     * (JᵀWJ)⁻¹ unscaled, so they trust the SEs. A lag without a finite positive SE makes the
     * fit {@link org.fivedstem.api.FitStatus#NON_FINITE_DATA}.
     */
    STD_ERR,
    /** Equal weights; parameter errors are scaled by the reduced χ² (the residual variance). */
    UNIFORM
}
