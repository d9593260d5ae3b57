/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting;

/**
 * How the KWW parameters of a position are estimated from its data.
 */
public enum Estimator {
    /**
     * Weighted least squares of g(k) over the fit window ({@link FitOptions#weighting()}), the
     * familiar fit of eq. 3 to a g2 curve; any γ, baseline and normalisation.
     */
    LEAST_SQUARES,
    /**
     * Quasi-maximum likelihood of β and τ (γ = 1) on the position's normalised pixel series, through
     * the two-time sums the correlation computes (see {@code QuasiLikelihood}): every frame pair with
     * its own weight and the shot noise modelled, so τ is markedly more precise than from a fit of g
     * (docs/dynamics.md, "Estimator"). Used where it applies — γ fixed at 1, no baseline, the ensemble
     * normalisation, pixel-group jackknife, one Q bin, maps computed by the streaming engine
     * ({@code Analysis}) without pooling — and least squares elsewhere (a single g curve has no
     * pixel data; {@code DynamicsMapper} fits after correlating every position).
     */
    QUASI_LIKELIHOOD
}
