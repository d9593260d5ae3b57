/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import org.fivedstem.api.internal.Checks;

/**
 * Options of {@link Spearman#test}. Immutable; configure with the {@code withXxx} copies.
 *
 * @param confidenceLevel level of the interval for ρ, in (0, 1) (default 0.95)
 * @param maxShifts at most this many toroidal shifts for the spatial p-value: all
 *     {@code scanY·scanX − 1} non-zero shifts when that is not more, else a seeded random sample
 *     of this many distinct shifts (0 = no spatial test; default 4999)
 * @param seed seed of the shift sampling (default {@link #DEFAULT_SEED})
 */
public record SpearmanOptions(double confidenceLevel, int maxShifts, long seed) {

    /** The default seed: results are reproducible unless a seed is chosen. */
    public static final long DEFAULT_SEED = 0x5EA2_3A17L;
    /**
     * Validates.
     *
     * @param confidenceLevel level of the interval for ρ, in (0, 1) (default 0.95)
     * @param maxShifts at most this many toroidal shifts for the spatial p-value: all {@code scanY·scanX − 1} non-zero shifts when that is not more, else a seeded random sample of this many distinct shifts (0 = no spatial test; default 4999)
     * @param seed seed of the shift sampling (default {@link #DEFAULT_SEED})
     */
    public SpearmanOptions {
        if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
            throw new IllegalArgumentException(Checks.format("confidenceLevel is outside (0, 1): %s", confidenceLevel));
        }
        if (maxShifts < 0) {
            throw new IllegalArgumentException(Checks.format("maxShifts is negative: %d", maxShifts));
        }
    }

    /** @return 95 % interval, up to 4999 shifts, the default seed */
    public static SpearmanOptions defaults() {
        return new SpearmanOptions(0.95, 4999, DEFAULT_SEED);
    }

    /**
     * @param level confidence level in (0, 1)
     * @return a copy
     */
    public SpearmanOptions withConfidenceLevel(double level) {
        return new SpearmanOptions(level, maxShifts, seed);
    }

    /**
     * @param shifts maximum number of toroidal shifts (0 = no spatial test)
     * @return a copy
     */
    public SpearmanOptions withMaxShifts(int shifts) {
        return new SpearmanOptions(confidenceLevel, shifts, seed);
    }

    /**
     * @param newSeed the seed
     * @return a copy
     */
    public SpearmanOptions withSeed(long newSeed) {
        return new SpearmanOptions(confidenceLevel, maxShifts, newSeed);
    }
}
