/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.TauSummary;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;

class SpatialSummaryTest {

    private static ScalarMap map(double[] v, int ny, int nx) {
        return ScalarMap.of("tau_s", "s", ny, nx, v, 0.16, 0.16);
    }

    @Test
    void summariesAgreeWithTauSummary() {
        UniformRandomProvider rng = SeededCases.rng(3);
        for (int n : new int[] {1, 2, 5, 30}) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextDouble(0.1, 100);
            }
            for (TauSummary s : TauSummary.values()) {
                assertEquals(s.of(map(v, 1, n)), SpatialSummary.summarise(v, n, s), 1e-12 * s.of(map(v, 1, n)), s + " of " + n);
            }
        }
    }

    @Test
    void blockSideFollowsTheCorrelationLength() {
        UniformRandomProvider rng = SeededCases.rng(11);
        assertEquals(1, SpatialSummary.blockSide(map(SmoothFields.field(rng, 40, 40, 0.01), 40, 40)), "white noise");
        // correlation exp(−d²/(4σ²)) < e⁻² ⇔ d > 2√2 σ: 5.7 for σ = 2 (estimates scatter by a lag or so)
        int l = SpatialSummary.blockSide(map(SmoothFields.field(rng, 60, 60, 2), 60, 60));
        assertTrue(l >= 4 && l <= 8, "block side for σ = 2 px: " + l);
        double[] c = new double[16];
        java.util.Arrays.fill(c, 2);
        assertEquals(1, SpatialSummary.blockSide(map(c, 4, 4)), "constant map");
    }

    /**
     * Over many independent smooth fields the spatial error of the mean should match the
     * actual scatter of the mean; the naive s/√n should not.
     */
    @Test
    void blockBootstrapErrorMatchesTheScatterOfTheMeanOnSmoothFields() {
        int replicates = 200;
        int ny = 32;
        int nx = 32;
        UniformRandomProvider rng = SeededCases.rng(0x5E5EL);
        double[] means = new double[replicates];
        double seBlock2 = 0;
        double seNaive2 = 0;
        for (int r = 0; r < replicates; r++) {
            double[] f = SmoothFields.field(rng, ny, nx, 1.5);
            for (int i = 0; i < f.length; i++) {
                f[i] = Math.exp(0.3 * f[i]); // positive, τ-like
            }
            ScalarMap m = map(f, ny, nx);
            means[r] = m.mean();
            double se = SpatialSummary.standardError(m, TauSummary.MEAN);
            seBlock2 += se * se;
            double s2 = 0;
            for (double x : f) {
                s2 += (x - means[r]) * (x - means[r]);
            }
            seNaive2 += s2 / (f.length - 1) / f.length;
        }
        double mm = 0;
        for (double x : means) {
            mm += x;
        }
        mm /= replicates;
        double sd = 0;
        for (double x : means) {
            sd += (x - mm) * (x - mm);
        }
        sd = Math.sqrt(sd / (replicates - 1));
        double ratioBlock = Math.sqrt(seBlock2 / replicates) / sd;
        double ratioNaive = Math.sqrt(seNaive2 / replicates) / sd;
        // The SD over 200 replicates is itself uncertain by ≈ 1/√400 = 5 %: accept 0.85–1.15 (3 SD).
        // The naive error is ≈ √(n_eff/n) ≈ 0.3.
        assertTrue(ratioBlock > 0.85 && ratioBlock < 1.15, "spatial SE / actual SD = " + ratioBlock);
        assertTrue(ratioNaive < 0.5, "naive SE / actual SD = " + ratioNaive);
    }

    @Test
    void whiteNoiseGivesTheTextbookErrorsAndDegenerateMapsAreHandled() {
        ScalarMap m = map(new double[] {1, 2, 3, 4}, 2, 2);
        // window 0 on a 2×2 scan: s/√n = √(5/3)/2
        assertEquals(Math.sqrt(5.0 / 3) / 2, SpatialSummary.standardError(m, TauSummary.MEAN), 1e-15);
        assertTrue(Double.isNaN(SpatialSummary.standardError(
            map(new double[] {1, Double.NaN, Double.NaN, Double.NaN}, 2, 2), TauSummary.MEAN)));
        assertEquals(0.0, SpatialSummary.standardError(map(new double[] {3, 3, 3, 3}, 2, 2), TauSummary.MEDIAN));
        assertThrows(NullPointerException.class, () -> SpatialSummary.standardError(m, null));
    }

    @Test
    void medianAndGeometricMeanErrorsMatchTheirScatter() {
        int replicates = 200;
        UniformRandomProvider rng = SeededCases.rng(0x3ED1L);
        for (TauSummary s : new TauSummary[] {TauSummary.MEDIAN, TauSummary.GEOMETRIC_MEAN}) {
            double[] est = new double[replicates];
            double se2 = 0;
            for (int r = 0; r < replicates; r++) {
                double[] f = SmoothFields.field(rng, 40, 40, 1.5);
                for (int i = 0; i < f.length; i++) {
                    f[i] = Math.exp(0.5 * f[i]);
                }
                ScalarMap m = map(f, 40, 40);
                est[r] = s.of(m);
                double se = SpatialSummary.standardError(m, s);
                se2 += se * se;
            }
            double mm = java.util.Arrays.stream(est).average().getAsDouble();
            double sd = Math.sqrt(java.util.Arrays.stream(est).map(x -> (x - mm) * (x - mm)).sum() / (replicates - 1));
            double ratio = Math.sqrt(se2 / replicates) / sd;
            // SD over 200 replicates uncertain by ≈ 5 %; the median's density estimate adds a little: 0.8–1.2.
            assertTrue(ratio > 0.8 && ratio < 1.2, s + ": spatial SE / actual SD = " + ratio);
        }
    }
}
