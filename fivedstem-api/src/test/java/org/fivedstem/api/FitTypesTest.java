/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** KwwFit, FitStatus, CorrelationCurve, TwoTimeCorrelation. */
class FitTypesTest {

    static KwwFit fit() {
        return new KwwFit(0.2, 0.01, 800, 40, 1, 0, true, 0, Double.NaN, false, 1.1, 7, FitStatus.CONVERGED, 1, 50);
    }

    @Test
    void evaluatesTheKwwForm() {
        KwwFit f = fit();
        assertEquals(1.2, f.evaluate(0), 1e-15);
        assertEquals(1 + 0.2 * Math.exp(-2), f.evaluate(800), 1e-15);
        KwwFit stretched = new KwwFit(0.3, 0, 100, 0, 0.5, 0.01, false, 0.01, 0.001, true, 1, 3, FitStatus.CONVERGED, 1, 9);
        assertEquals(1.01 + 0.3 * Math.exp(-2 * 2), stretched.evaluate(400), 1e-15);
    }

    @Test
    void failedFitsAreNaN() {
        KwwFit f = KwwFit.failed(FitStatus.MAX_ITERATIONS, true, false, 200, 1, 50);
        assertTrue(Double.isNaN(f.tauSeconds()));
        assertTrue(Double.isNaN(f.evaluate(10)));
        assertEquals("KwwFit[no convergence within the iteration limit, lags 1–50, 200 iterations]", f.toString());
        assertThrows(IllegalArgumentException.class, () -> KwwFit.failed(FitStatus.CONVERGED, true, false, 1, 1, 2));
    }

    @Test
    void convergedFitsNeedValidParameters() {
        assertEquals("tauSeconds is not a finite, strictly positive number: -5.0",
            assertThrows(IllegalArgumentException.class, () -> new KwwFit(0.2, 0, -5, 0, 1, 0, true, 0, Double.NaN, false,
                1, 1, FitStatus.CONVERGED, 1, 5)).getMessage());
    }

    @Test
    void toStringForJShell() {
        assertEquals("KwwFit[tau = 800.00 ± 40 s, beta = 0.2000 ± 0.010, gamma = 1.000 (fixed), χ²/ν = 1.10, lags 1–50, converged]",
            fit().toString());
        KwwFit censored = fit().withCensoring(500);
        assertEquals(FitStatus.UNRESOLVED_SLOW, censored.status());
        assertEquals(500, censored.tauLimitSeconds());
        assertTrue(censored.toString().endsWith("right-censored): tau > 500.0 s]"), censored.toString());
        // A censored status needs its limit, and only a censored status has one.
        assertThrows(IllegalArgumentException.class, () -> fit().withStatus(FitStatus.UNRESOLVED_SLOW));
        assertThrows(IllegalArgumentException.class, () -> fit().withCensoring(Double.NaN));
        assertEquals("tauLimitSeconds is 500.0 for status CONVERGED; only a censored (unresolved slow) fit has a limit",
            assertThrows(IllegalArgumentException.class, () -> new KwwFit(0.2, 0, 800, 0, 1, 0, true, 0, Double.NaN,
                false, 1, 1, FitStatus.CONVERGED, 1, 5, 500)).getMessage());
        assertTrue(Double.isNaN(censored.withStatus(FitStatus.CONVERGED).tauLimitSeconds()));
    }

    @Test
    void statusCodesRoundTrip() {
        for (FitStatus s : FitStatus.values()) {
            assertEquals(s, FitStatus.ofCode(s.code()));
        }
        assertTrue(FitStatus.CONVERGED.isReliable());
        assertTrue(FitStatus.UNRESOLVED_FAST.hasParameters());
        assertFalse(FitStatus.UNRESOLVED_FAST.isReliable());
        assertThrows(IllegalArgumentException.class, () -> FitStatus.ofCode(42));
        // Code 8 was appended: the earlier codes 0–7 in results files keep their meaning.
        assertEquals(8, FitStatus.NO_CONTRAST.code());
        assertEquals(FitStatus.NOT_FITTED, FitStatus.ofCode(7));
        assertTrue(FitStatus.NO_CONTRAST.hasParameters());
        assertFalse(FitStatus.NO_CONTRAST.isReliable());
        // Code 9 was appended too; only code 2 is censored.
        assertEquals(9, FitStatus.IMPRECISE.code());
        assertTrue(FitStatus.IMPRECISE.hasParameters() && !FitStatus.IMPRECISE.isReliable());
        for (FitStatus s : FitStatus.values()) {
            assertEquals(s == FitStatus.UNRESOLVED_SLOW, s.isCensored(), s.toString());
        }
        assertEquals("fit status code 10 is unknown; expected 0–9",
            assertThrows(IllegalArgumentException.class, () -> FitStatus.ofCode(10)).getMessage());
        assertEquals(FitStatus.NO_CONTRAST, fit().withStatus(FitStatus.NO_CONTRAST).status());
    }

    @Test
    void correlationCurveValidatesAndCopies() {
        double[] lags = {0, 9.2, 18.4};
        double[] g = {1.3, 1.2, 1.1};
        CorrelationCurve c = CorrelationCurve.of(lags, g, new double[] {0.01, 0.02, Double.NaN}, new int[] {106, 105, 104},
            QRange.of(4.2, 4.6), Normalisation.ENSEMBLE);
        g[0] = 99;
        assertEquals(1.3, c.g(0));
        assertEquals(105, c.pairCount(1));
        assertEquals("CorrelationCurve[4.200–4.600 nm⁻¹, ensemble, 3 lags 0.000–18.40 s: g(0.000 s)=1.3000±0.010 "
            + "g(9.200 s)=1.2000±0.020 g(18.40 s)=1.1000]", c.toString());
        assertEquals("lagsSeconds is not strictly increasing: [1] = 0.0 follows [0] = 0.0",
            assertThrows(IllegalArgumentException.class, () -> CorrelationCurve.of(new double[] {0, 0}, new double[2])).getMessage());
        assertEquals("g has length 1, expected 2",
            assertThrows(IllegalArgumentException.class, () -> CorrelationCurve.of(new double[] {0, 1}, new double[1])).getMessage());
    }

    @Test
    void twoTimeMatrix() {
        TwoTimeCorrelation m = TwoTimeCorrelation.of(2, new double[] {1.3, 1.1, 1.1, 1.3}, 9.2, null);
        assertEquals(1.1, m.value(0, 1));
        assertEquals("TwoTimeCorrelation[2×2 frames, 9.200 s apart, G(0,0)=1.3000, G(0,1)=1.1000]", m.toString());
        assertThrows(IndexOutOfBoundsException.class, () -> m.value(2, 0));
    }

    @Test
    void normalisationParses() {
        assertEquals(Normalisation.SYMMETRIC, Normalisation.parse("Symmetric"));
        assertEquals("ensemble", Normalisation.ENSEMBLE.toString());
        assertThrows(IllegalArgumentException.class, () -> Normalisation.parse("xpcs"));
    }

    @Test
    void aFitBuiltByNameEqualsTheSameFitBuiltByPosition() {
        KwwFit positional = new KwwFit(0.2, 0.01, 800, 80, 1, 0, true, 0, Double.NaN, false, 1.1, 12, FitStatus.CONVERGED, 1, 40);
        KwwFit named = KwwFit.builder(FitStatus.CONVERGED, 1, 40).beta(new Estimate(0.2, 0.01)).tauSeconds(new Estimate(800, 80))
            .gammaFixed(1).reducedChiSquare(1.1).iterations(12).build();
        assertEquals(positional, named);
        assertEquals(new Estimate(800, 80), named.tauEstimate());
        assertEquals(0.1, named.tauEstimate().relativeError(), 1e-15);
        assertEquals(Estimate.exact(1), named.gammaEstimate());
        assertEquals("800.000 ± 80", named.tauEstimate().toString());
        KwwFit censored = KwwFit.builder(FitStatus.UNRESOLVED_SLOW, 1, 40).beta(new Estimate(0.2, 0.01))
            .tauSeconds(new Estimate(9000, 4000)).gamma(new Estimate(0.8, 0.1)).baseline(new Estimate(0.01, 0.002))
            .tauLimitSeconds(3000).build();
        assertTrue(censored.baselineFitted() && !censored.gammaFixed());
        assertEquals(new Estimate(0.01, 0.002), censored.baselineEstimate());
        assertThrows(IllegalArgumentException.class, () -> new Estimate(1, -0.1));
        assertThrows(IllegalArgumentException.class,
            () -> KwwFit.builder(FitStatus.CONVERGED, 5, 2).build(), "the record validates the window");
    }
}
