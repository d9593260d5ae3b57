/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** KwwFit.withErrors: a copy with other standard errors, nothing else changed. */
class KwwFitErrorsTest {

    @Test
    void replacesTheErrorsAndKeepsEverythingElse() {
        KwwFit fit = new KwwFit(0.3, 0.01, 100, 5, 0.8, 0.02, false, 0.01, 0.001, true, 1.2, 9, FitStatus.CONVERGED, 1, 60);
        KwwFit other = fit.withErrors(0.02, 7, 0.03, 0.002);
        assertEquals(new KwwFit(0.3, 0.02, 100, 7, 0.8, 0.03, false, 0.01, 0.002, true, 1.2, 9, FitStatus.CONVERGED, 1, 60),
            other);
        KwwFit censored = fit.withCensoring(80).withErrors(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        assertEquals(FitStatus.UNRESOLVED_SLOW, censored.status());
        assertEquals(80.0, censored.tauLimitSeconds());
        assertEquals(Double.NaN, censored.tauErrorSeconds());
    }
}
