/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting.internal;

import org.fivedstem.core.fitting.FitOptions;

/**
 * The parameter vector the KWW fit iterates on, θ = [ln β, ln τ, (γ), (c)] (τ in s), and its box:
 * ln β in [ln 10⁻¹², ln 10⁴], ln τ in [ln(t_min/100), ln(100·t_max)] of the window's positive lags,
 * γ in [γmin, γmax] when free, c unbounded when fitted.
 *
 * @param gammaIndex where γ is in θ, −1 when γ is fixed
 * @param baselineIndex where c is in θ (last), −1 when c is not fitted
 * @param count the length of θ (2–4)
 */
public record KwwParameters(int gammaIndex, int baselineIndex, int count) {

    /** β and τ only: γ fixed, no baseline (the quasi-likelihood's parameters). */
    public static final KwwParameters BETA_TAU = new KwwParameters(-1, -1, 2);

    /** Lower bound of β. */
    public static final double BETA_MIN = 1e-12;
    /** Upper bound of β. */
    public static final double BETA_MAX = 1e4;

    /**
     * @param options the fit's options (whether γ is free, whether c is fitted)
     * @return the layout
     */
    public static KwwParameters of(FitOptions options) {
        boolean gammaFree = options.gammaFree();
        boolean baseline = options.baseline();
        return new KwwParameters(gammaFree ? 2 : -1, baseline ? (gammaFree ? 3 : 2) : -1, options.parameterCount());
    }

    /** @return whether γ is a free parameter */
    public boolean gammaFree() {
        return gammaIndex >= 0;
    }

    /** @return whether c is a free parameter */
    public boolean baselineFitted() {
        return baselineIndex >= 0;
    }

    /**
     * Writes the box of θ.
     *
     * @param tMin the shortest positive lag of the window, s
     * @param tMax the longest lag, s
     * @param options γmin, γmax
     * @param lower lower bounds (count values). Modified.
     * @param upper upper bounds. Modified.
     */
    public void bounds(double tMin, double tMax, FitOptions options, double[] lower, double[] upper) {
        lower[0] = Math.log(BETA_MIN);
        upper[0] = Math.log(BETA_MAX);
        lower[1] = Math.log(tMin / 100);
        upper[1] = Math.log(tMax * 100);
        if (gammaIndex >= 0) {
            lower[gammaIndex] = options.gammaMin();
            upper[gammaIndex] = options.gammaMax();
        }
        if (baselineIndex >= 0) {
            lower[baselineIndex] = Double.NEGATIVE_INFINITY;
            upper[baselineIndex] = Double.POSITIVE_INFINITY;
        }
    }
}
