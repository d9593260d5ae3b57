/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

/**
 * What lag 0 of g holds: the raw second moment, or the factorial moment that removes the Poisson
 * counting noise of the same frame (⟨I(I−1)⟩φ/⟨I⟩φ² instead of ⟨I²⟩φ/⟨I⟩φ², intensities in counts).
 * The internal form of {@code CorrelationOptions.factorialLag0()}.
 */
public enum LagZero {
    /** Σ_p I_p(t)² at lag 0, as at every other lag. */
    RAW,
    /** Σ_p I_p(t)(I_p(t) − 1) at lag 0. */
    FACTORIAL;

    /**
     * @param factorial {@code CorrelationOptions.factorialLag0()}
     * @return the matching value
     */
    public static LagZero of(boolean factorial) {
        return factorial ? FACTORIAL : RAW;
    }
}
