/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.KwwFit;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Student-t intervals of τ on ln τ. */
class TauIntervalsTest {

    private static HeterogeneityMaps maps(int dof) {
        return HeterogeneityMaps.builder(1, 2, 0.16, 0.16)
            .fit(0, 0, new KwwFit(0.2, 0.01, 800, 80, 1, 0, true, 0, Double.NaN, false, 1, 5, FitStatus.CONVERGED, 1, 50))
            .fit(0, 1, new KwwFit(0.2, 0.01, 30, 3, 1, 0, true, 0, Double.NaN, false, 1, 5, FitStatus.NO_CONTRAST, 1, 50))
            .tauErrorDegreesOfFreedom(dof).build();
    }

    /**
     * Expected values (SciPy 1.17: scipy.stats.t.ppf((1 + level)/2, 9)): 1.05875 at level 0.6827 and 2.31981 at 0.9545;
     * normal 2.0000 at 0.9545 (scipy.stats.norm.ppf).
     */
    @Test
    void intervalsUseTheDegreesOfFreedomOnLnTau() {
        TauIntervals t9 = TauIntervals.of(maps(9), 0.6827);
        Tolerance.relative(1e-5).because("SciPy t.ppf").assertClose(1.05875, t9.multiplier(), "t multiplier");
        Tolerance.relative(1e-9).assertClose(800 * Math.exp(-t9.multiplier() * 0.1), t9.lowerSeconds().get(0, 0), "lower");
        Tolerance.relative(1e-9).assertClose(800 * Math.exp(t9.multiplier() * 0.1), t9.upperSeconds().get(0, 0), "upper");
        assertTrue(Double.isNaN(t9.lowerSeconds().get(0, 1)), "no interval for a τ that is not measured");
        Tolerance.relative(1e-5).because("SciPy t.ppf").assertClose(2.31981, TauIntervals.of(maps(9), 0.9545).multiplier(),
            "t multiplier");
        Tolerance.relative(1e-3).because("normal").assertClose(2.0, TauIntervals.of(maps(0), 0.9545).multiplier(), "z");
        assertThrows(IllegalArgumentException.class, () -> TauIntervals.of(maps(9), 1));
    }

    /**
     * The quantiles are exact to a few ulps where a closed form exists: ν = 1 (Cauchy, tan(π(p − ½))), ν = 2
     * ((2p − 1)/√(2p(1 − p))) and the normal at 0.975 (1.959963984540054). Commons Statistics meets this;
     * Commons Math 3, used before, was off by up to 1.2·10⁻¹¹ (ν = 2) and 5·10⁻¹⁰ elsewhere.
     */
    @ParameterizedTest(name = "p {0}")
    @ValueSource(doubles = {0.6, 0.8413447460685429, 0.95, 0.975})   // nearer 1, tan itself loses digits
    void quantilesAreExactWhereAClosedFormExists(double p) {
        Tolerance ulps = Tolerance.relative(8 * Math.ulp(1.0)).because("a few ulps of the closed form");
        ulps.assertClose(Math.tan(Math.PI * (p - 0.5)), TauIntervals.quantile(1, p), "t(1)");
        ulps.assertClose((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), TauIntervals.quantile(2, p), "t(2)");
        ulps.assertClose(1.959963984540054, TauIntervals.quantile(0, 0.975), "normal");
    }
}
