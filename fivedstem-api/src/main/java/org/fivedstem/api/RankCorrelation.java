/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.Objects;

import org.fivedstem.api.internal.Checks;

/**
 * Spearman's rank correlation between two maps (e.g. τ and V) over the positions valid in both,
 * with its significance and a confidence interval.
 *
 * <p>Two p-values are kept: {@link #pValue()} treats the n positions as independent (exact
 * permutation for small n, asymptotic otherwise — {@link #pValueMethod()} says which), and
 * {@link #spatialPValue()} respects the spatial autocorrelation of the maps (neighbouring scan
 * positions overlap, so fewer than n samples are independent; {@link #effectiveSampleSize()} and
 * {@link #spatialMethod()} say how it was accounted for). Two-sided. NaN where not computed.
 *
 * @param rho Spearman's ρ in [−1, 1], NaN if undefined (fewer than 2 positions or a constant map)
 * @param n number of positions valid in both maps
 * @param pValue two-sided p-value for ρ = 0 assuming independent positions
 * @param pValueMethod how {@code pValue} was computed
 * @param confidenceLow lower end of the confidence interval for ρ
 * @param confidenceHigh upper end of the confidence interval for ρ
 * @param confidenceLevel the interval's confidence level, e.g. 0.95
 * @param spatialPValue two-sided p-value respecting spatial autocorrelation
 * @param effectiveSampleSize number of effectively independent positions used for it
 * @param spatialMethod how spatial autocorrelation was accounted for
 */
public record RankCorrelation(double rho, int n, double pValue, String pValueMethod,
                              double confidenceLow, double confidenceHigh, double confidenceLevel,
                              double spatialPValue, double effectiveSampleSize, String spatialMethod) {

    /**
     * Validates the ranges of ρ, the p-values and the interval.
     *
     * @param rho Spearman's ρ in [−1, 1], NaN if undefined (fewer than 2 positions or a constant map)
     * @param n number of positions valid in both maps
     * @param pValue two-sided p-value for ρ = 0 assuming independent positions
     * @param pValueMethod how {@code pValue} was computed
     * @param confidenceLow lower end of the confidence interval for ρ
     * @param confidenceHigh upper end of the confidence interval for ρ
     * @param confidenceLevel the interval's confidence level, e.g. 0.95
     * @param spatialPValue two-sided p-value respecting spatial autocorrelation
     * @param effectiveSampleSize number of effectively independent positions used for it
     * @param spatialMethod how spatial autocorrelation was accounted for
     */
    public RankCorrelation {
        if (!Double.isNaN(rho) && !(rho >= -1 && rho <= 1)) {
            throw new IllegalArgumentException(Checks.format("rho is outside [-1, 1]: %s", rho));
        }
        if (n < 0) {
            throw new IllegalArgumentException(Checks.format("n is negative: %d", n));
        }
        checkProbability("pValue", pValue);
        checkProbability("spatialPValue", spatialPValue);
        Objects.requireNonNull(pValueMethod, "pValueMethod");
        Objects.requireNonNull(spatialMethod, "spatialMethod");
        if (!Double.isNaN(confidenceLevel) && !(confidenceLevel > 0 && confidenceLevel < 1)) {
            throw new IllegalArgumentException(Checks.format("confidenceLevel is outside (0, 1): %s", confidenceLevel));
        }
        if (confidenceLow > confidenceHigh) {
            throw new IllegalArgumentException(Checks.format(
                "confidence interval is reversed: [%s, %s]", confidenceLow, confidenceHigh));
        }
    }

    /**
     * @return the p-value to report: {@link #spatialPValue()} where it was computed, else
     *     {@link #pValue()} (NaN if neither)
     */
    public double reportedPValue() {
        return Double.isNaN(spatialPValue) ? pValue : spatialPValue;
    }

    /**
     * @return {@link #reportedPValue()} in words for a summary line: {@code "spatial p 0.29, n_eff 12"},
     *     or, where no spatial test ran, {@code "naive p (independent positions) 7.6e-06"} — labelled,
     *     as it is far too small for overlapping scan positions
     */
    public String reportedPText() {
        return Double.isNaN(spatialPValue)
            ? Checks.format("naive p (independent positions) %.2g", pValue)
            : Checks.format("spatial p %.2g, n_eff %.0f", spatialPValue, effectiveSampleSize);
    }

    private static void checkProbability(String name, double p) {
        if (!Double.isNaN(p) && !(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(Checks.format("%s is outside [0, 1]: %s", name, p));
        }
    }

    @Override
    public String toString() {
        // The naive p treats the positions as independent, which neighbouring positions of a map are not:
        // labelled as such, beside the spatial p that accounts for it (issue 19).
        StringBuilder sb = new StringBuilder(Checks.format("RankCorrelation[rho = %.4f, n = %d, naive p = %.3g (%s, "
            + "positions as independent)", rho, n, pValue, pValueMethod));
        if (!Double.isNaN(confidenceLevel)) {
            sb.append(Checks.format(", %.0f%% CI [%.3f, %.3f]", 100 * confidenceLevel, confidenceLow, confidenceHigh));
        }
        if (!Double.isNaN(spatialPValue)) {
            sb.append(Checks.format(", spatial p = %.3g (n_eff = %.1f, %s)", spatialPValue, effectiveSampleSize, spatialMethod));
        }
        return sb.append(']').toString();
    }
}
