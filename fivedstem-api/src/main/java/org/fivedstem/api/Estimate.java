/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import org.fivedstem.api.internal.Checks;

/**
 * An estimate with its standard error, in the estimate's units: a fitted parameter as
 * {@link KwwFit#tauEstimate()} gives it, or a value a {@link KwwFit#builder} takes. Records compare
 * doubles bit-wise (NaN equals NaN).
 *
 * @param value the estimate (NaN where there is none)
 * @param standardError its standard error (&ge; 0; 0 for a value held fixed; NaN where unknown)
 */
public record Estimate(double value, double standardError) {

    /**
     * Validates the standard error.
     *
     * @param value the estimate (NaN where there is none)
     * @param standardError its standard error (&ge; 0; 0 for a value held fixed; NaN where unknown)
     */
    public Estimate {
        if (!Double.isNaN(standardError) && !(standardError >= 0)) {
            throw new IllegalArgumentException(Checks.format("standardError is negative: %s", standardError));
        }
    }

    /**
     * @param value a value held fixed, so known exactly
     * @return the value with standard error 0
     */
    public static Estimate exact(double value) {
        return new Estimate(value, 0);
    }

    /** @return standard error over |value| (NaN where either is unknown or the value is 0) */
    public double relativeError() {
        return standardError / Math.abs(value);
    }

    @Override
    public String toString() {
        return Checks.format("%.6g ± %.2g", value, standardError);
    }
}
