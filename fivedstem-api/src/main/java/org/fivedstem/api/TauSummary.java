/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.Locale;

/**
 * How a relaxation-time map is summarised into one τ per temperature for the Arrhenius fit.
 */
public enum TauSummary {
    /** Arithmetic mean of the valid τ, as the paper (Fig. 2f). */
    MEAN,
    /** Median of the valid τ: robust to the long tail of slow positions. */
    MEDIAN,
    /** Geometric mean exp(⟨ln τ⟩): the natural centre when ln τ is what the Arrhenius law is linear in. */
    GEOMETRIC_MEAN;

    /**
     * @param map a τ map
     * @return the summary of its valid values
     */
    public double of(ScalarMap map) {
        switch (this) {
            case MEAN: return map.mean();
            case MEDIAN: return map.median();
            default: return map.geometricMean();
        }
    }

    /**
     * @param text {@code mean}, {@code median} or {@code geometric} (also {@code geometric_mean})
     * @return the summary
     */
    public static TauSummary parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (t) {
            case "mean": return MEAN;
            case "median": return MEDIAN;
            case "geometric":
            case "geometric_mean": return GEOMETRIC_MEAN;
            default:
                throw new IllegalArgumentException("tau summary '" + text + "' is not one of mean, median, geometric");
        }
    }

    @Override
    public String toString() {
        return this == GEOMETRIC_MEAN ? "geometric" : name().toLowerCase(Locale.ROOT);
    }
}
