/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** HeterogeneityMaps, RankCorrelation, ArrheniusFit, TauSummary, DetectorMask. */
class ResultTypesTest {

    @Test
    void heterogeneityMapsFromFits() {
        HeterogeneityMaps.Builder b = HeterogeneityMaps.builder(2, 2, 0.16, 0.16).temperatureKelvin(633);
        b.fit(0, 0, new KwwFit(0.2, 0.01, 800, 40, 1, 0, true, 0, Double.NaN, false, 1, 5, FitStatus.CONVERGED, 1, 50));
        b.fit(0, 1, new KwwFit(0.2, 0.01, 5, 1, 1, 0, true, 0, Double.NaN, false, 1, 5, FitStatus.UNRESOLVED_FAST, 1, 50));
        b.fit(1, 0, KwwFit.failed(FitStatus.FAILED, true, false, 3, 1, 50));
        b.speckleVariance(0, 0, 0.5).speckleVariance(1, 1, 0.7);
        HeterogeneityMaps m = b.build();
        assertEquals(800, m.tauSeconds().get(0, 0));
        assertEquals(5, m.tauSeconds().get(0, 1));
        assertTrue(Double.isNaN(m.reliableTauSeconds().get(0, 1)));
        // A fit without significant decay keeps its parameters but is no reliable τ either.
        HeterogeneityMaps flat = HeterogeneityMaps.builder(1, 2, 0.16, 0.16)
            .fit(0, 0, new KwwFit(0.2, 0.01, 800, 40, 1, 0, true, 0, Double.NaN, false, 1, 5, FitStatus.CONVERGED, 1, 50))
            .fit(0, 1, new KwwFit(0.001, 0.01, 30, 40, 1, 0, true, 0, Double.NaN, false, 1, 5, FitStatus.NO_CONTRAST, 1, 50))
            .build();
        assertEquals(30, flat.tauSeconds().get(0, 1));
        assertTrue(Double.isNaN(flat.reliableTauSeconds().get(0, 1)));
        assertEquals(800, flat.reliableTauSeconds().get(0, 0));
        assertEquals(FitStatus.NO_CONTRAST, flat.fitStatus(0, 1));
        assertEquals(1, flat.count(FitStatus.NO_CONTRAST));
        assertEquals(FitStatus.NOT_FITTED, m.fitStatus(1, 1));
        assertEquals(1, m.count(FitStatus.CONVERGED));
        assertEquals(0.6, m.speckleVariance().mean(), 1e-15);
        assertTrue(m.hasDynamics() && m.hasStructure());
        assertEquals("HeterogeneityMaps[2×2 scan, step 0.1600 nm, 633.0 K, 1/4 reliable fits, 0 censored (slower than the recording resolves), "
            + "median reliable tau 800.0 s, median gamma 1.00, mean V 0.6000 (0.5000–0.7000)]", m.toString());
        // Whole-map round trip.
        HeterogeneityMaps copy = HeterogeneityMaps.builder(2, 2, 0.16, 0.16).temperatureKelvin(633)
            .dynamics(m.tauSeconds(), m.tauErrorSeconds(), m.beta(), m.betaError(), m.gamma(), m.gammaError(), m.fitStatusCodes())
            .structure(m.speckleVariance()).build();
        assertEquals(m, copy);
        // Censored positions: their limit is kept, and a whole-map copy must carry it.
        KwwFit slow = new KwwFit(0.2, 0.01, 9000, 6000, 1, 0, true, 0, Double.NaN, false, 1, 5, FitStatus.CONVERGED, 1, 50)
            .withCensoring(3100);
        HeterogeneityMaps c = HeterogeneityMaps.builder(1, 2, 0.16, 0.16)
            .fit(0, 0, new KwwFit(0.2, 0.01, 800, 40, 1, 0, true, 0, Double.NaN, false, 1, 5, FitStatus.CONVERGED, 1, 50))
            .fit(0, 1, slow).build();
        assertEquals(1, c.censoredCount());
        assertEquals(3100, c.tauLimitSeconds().get(0, 1));
        assertTrue(Double.isNaN(c.tauLimitSeconds().get(0, 0)));
        assertTrue(Double.isNaN(c.reliableTauSeconds().get(0, 1)));
        assertEquals(c, HeterogeneityMaps.builder(1, 2, 0.16, 0.16).dynamics(c.tauSeconds(), c.tauErrorSeconds(),
            c.tauLimitSeconds(), c.beta(), c.betaError(), c.gamma(), c.gammaError(), c.fitStatusCodes()).build());
        assertThrows(IllegalArgumentException.class, () -> HeterogeneityMaps.builder(1, 2, 0.16, 0.16).dynamics(
            c.tauSeconds(), c.tauErrorSeconds(), c.beta(), c.betaError(), c.gamma(), c.gammaError(), c.fitStatusCodes()),
            "a censored status without its limit");
    }

    @Test
    void heterogeneityMapsRejectWrongShapes() {
        ScalarMap wrong = ScalarMap.empty("V", "", 3, 2, 1, 1);
        assertEquals("speckleVariance map is 3×2, expected 2×2",
            assertThrows(IllegalArgumentException.class, () -> HeterogeneityMaps.builder(2, 2, 1, 1).structure(wrong)).getMessage());
        HeterogeneityMaps empty = HeterogeneityMaps.builder(2, 2, 1, 1).build();
        assertFalse(empty.hasDynamics());
    }

    @Test
    void rankCorrelationValidates() {
        RankCorrelation r = new RankCorrelation(0.39, 3600, 1e-12, "asymptotic t", 0.36, 0.42, 0.95, 0.01, 80, "block permutation");
        assertEquals("RankCorrelation[rho = 0.3900, n = 3600, naive p = 1.00e-12 (asymptotic t, positions as independent), "
            + "95% CI [0.360, 0.420], "
            + "spatial p = 0.0100 (n_eff = 80.0, block permutation)]", r.toString());
        assertThrows(IllegalArgumentException.class,
            () -> new RankCorrelation(1.2, 3, 0.5, "x", 0, 1, 0.95, 0.5, 3, "y"));
        assertThrows(IllegalArgumentException.class,
            () -> new RankCorrelation(0.2, 3, 1.5, "x", 0, 1, 0.95, 0.5, 3, "y"));
    }

    @Test
    void arrheniusEvaluatesEq4() {
        double e = 97; // kJ/mol
        double tauInf = 1e-5;
        double[] temps = {633, 643, 653};
        double[] tau = new double[3];
        for (int i = 0; i < 3; i++) {
            tau[i] = tauInf * Math.exp(e * 1000 / (8.314462618 * temps[i]));
        }
        ArrheniusFit a = ArrheniusFit.of(e, 2, tauInf, 1e-6, 0.9, temps, tau, new double[3], TauSummary.MEAN);
        assertEquals(tau[1], a.tauSecondsAt(643), 1e-9 * tau[1]);
        assertArrayEquals(temps, a.temperaturesKelvin());
        assertTrue(a.toString().startsWith("ArrheniusFit[E = 97.00 ± 2.0 kJ/mol"), a.toString());
        assertEquals("an Arrhenius fit needs at least 2 temperatures, got 1",
            assertThrows(IllegalArgumentException.class, () -> ArrheniusFit.of(e, 2, tauInf, 1, 1, new double[] {600},
                new double[] {1}, new double[] {0}, TauSummary.MEAN)).getMessage());
    }

    @Test
    void tauSummaries() {
        ScalarMap m = ScalarMap.of("tau_s", "s", 1, 4, new double[] {100, 200, 400, Double.NaN}, 1, 1);
        assertEquals(700.0 / 3, TauSummary.MEAN.of(m), 1e-12);
        assertEquals(200, TauSummary.MEDIAN.of(m));
        assertEquals(200, TauSummary.GEOMETRIC_MEAN.of(m), 1e-12);
        assertEquals(TauSummary.GEOMETRIC_MEAN, TauSummary.parse("geometric"));
        assertEquals("geometric", TauSummary.GEOMETRIC_MEAN.toString());
        assertThrows(IllegalArgumentException.class, () -> TauSummary.parse("mode"));
    }

    @Test
    void detectorMask() {
        DetectorMask m = DetectorMask.of(2, 2, new boolean[] {true, false, true, true});
        assertEquals(3, m.validCount());
        assertEquals("DetectorMask[2×2, 3 valid (75.0 %)]", m.toString());
        assertEquals(2, m.and(DetectorMask.of(2, 2, new boolean[] {true, true, false, true})).validCount());
        assertThrows(IllegalArgumentException.class, () -> m.and(DetectorMask.allValid(3, 3)));
        assertThrows(IllegalArgumentException.class, () -> DetectorMask.of(2, 2, new boolean[3]));
    }
}
