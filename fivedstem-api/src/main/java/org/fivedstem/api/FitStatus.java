/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

/**
 * The outcome of a KWW fit at one position. The numeric {@link #code()} is what results files store
 * ({@code /maps/fit_status}, uint8).
 *
 * <p>Only {@link #CONVERGED} fits are {@linkplain #isReliable() reliable}: τ measured, judged by
 * the measurement's own precision (its relative standard error), whatever its value.
 * {@link #UNRESOLVED_SLOW} fits are {@linkplain #isCensored() right-censored}: τ is slower than the
 * recording resolves, and what is known is that it exceeds a limit
 * ({@link KwwFit#tauLimitSeconds()}); statistics keep them as censored observations.
 * {@link #UNRESOLVED_FAST}, {@link #NO_CONTRAST} and {@link #IMPRECISE} fits converged, but τ is not
 * measured: their parameters are kept, but maps and statistics leave them out. Failed fits carry NaN
 * parameters.
 *
 * <p>Codes 0–7 date from the first results format; codes 8 and 9 were added later at the end, so
 * files written before them read unchanged. Files written before code 9 used code 2 for "τ̂ above
 * twice the recording", a cut on the estimate, and hold no censoring limits (docs/results-format.md).
 */
public enum FitStatus {
    /** Converged, τ within the resolvable range. Code 0. */
    CONVERGED(0, "converged"),
    /** Converged, but τ is shorter than the recording resolves (about one frame interval). Code 1. */
    UNRESOLVED_FAST(1, "tau below the time resolution"),
    /**
     * Converged, but τ is slower than the recording resolves: τ̂ lies beyond the recording and its
     * relative error exceeds the fitter's limit, or τ̂ lies beyond the fitter's ceiling (see
     * {@code FitOptions}). Right-censored: τ exceeds {@link KwwFit#tauLimitSeconds()}. Code 2.
     */
    UNRESOLVED_SLOW(2, "tau slower than the recording resolves (right-censored)"),
    /** The iteration limit was reached before convergence. Parameters NaN. Code 3. */
    MAX_ITERATIONS(3, "no convergence within the iteration limit"),
    /** Fewer usable lags than free parameters. Parameters NaN. Code 4. */
    INSUFFICIENT_DATA(4, "too few usable lags"),
    /** The curve held non-finite values where the fit needed finite ones. Parameters NaN. Code 5. */
    NON_FINITE_DATA(5, "non-finite data in the fit window"),
    /** The fit failed otherwise (singular problem, parameter at a bound). Parameters NaN. Code 6. */
    FAILED(6, "fit failed"),
    /** No fit attempted: the position was invalid or excluded. Parameters NaN. Code 7. */
    NOT_FITTED(7, "not fitted"),
    /**
     * Converged, but g − 1 shows no significant decay over the fit window: the fitted
     * KWW model is not significantly better than a constant g − 1 = c (extra-sum-of-squares F test
     * at the fitter's level), so τ is not measured — e.g. no speckle contrast (a hole, vacuum, a
     * crystal-free region, very low dose) or speckle that decorrelates within one frame interval.
     * Parameters are kept. Code 8.
     */
    NO_CONTRAST(8, "no significant decay of g above a constant"),
    /**
     * Converged with a significant decay inside the recording, but τ's relative standard error
     * exceeds the fitter's limit ({@code FitOptions.withMaxRelativeTauError}): τ is not measured
     * precisely enough to enter maps and statistics (low contrast or dose). Parameters are kept.
     * Code 9.
     */
    IMPRECISE(9, "tau's relative error above the limit");

    private final int code;
    private final String description;

    FitStatus(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** @return the code stored in results files (0–255) */
    public int code() {
        return code;
    }

    /** @return a short human-readable description */
    public String description() {
        return description;
    }

    /** @return whether the fit converged (reliable, or flagged as unresolved or without contrast) */
    public boolean hasParameters() {
        return this == CONVERGED || this == UNRESOLVED_FAST || this == UNRESOLVED_SLOW || this == NO_CONTRAST
            || this == IMPRECISE;
    }

    /**
     * @return whether τ is right-censored: slower than the recording resolves, known only to
     *     exceed {@link KwwFit#tauLimitSeconds()} ({@link #UNRESOLVED_SLOW})
     */
    public boolean isCensored() {
        return this == UNRESOLVED_SLOW;
    }

    /** @return whether τ is measured: converged, significant decay, τ̂ above one frame interval, precise enough */
    public boolean isReliable() {
        return this == CONVERGED;
    }

    /**
     * @param code a code from a results file
     * @return the status
     * @throws IllegalArgumentException for an unknown code
     */
    public static FitStatus ofCode(int code) {
        for (FitStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("fit status code " + code + " is unknown; expected 0–"
            + values()[values().length - 1].code);
    }
}
