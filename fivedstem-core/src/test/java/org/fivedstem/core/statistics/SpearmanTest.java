/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.core.statistics.internal.Ranks;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpearmanTest {

    private static double[] sample(UniformRandomProvider rng, int n, boolean ties) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = ties ? rng.nextInt(0, 6) : rng.nextDouble() * 10 - 5;
        }
        return v;
    }

    static Stream<Arguments> samples() {
        return SeededCases.of(0x5BEA2L, 40, r -> new Object[] {r.nextInt(2, 500), r.nextBoolean()});
    }

    @ParameterizedTest(name = "seed {0}: n = {1}, ties {2}")
    @MethodSource("samples")
    void rhoAndRanksMatchCommonsMath(long seed, int n, boolean ties) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] x = sample(rng, n, ties);
        double[] y = sample(rng, n, ties);
        for (int i = 0; i < n; i++) {
            y[i] += ties ? x[i] : 0.5 * x[i];
        }
        assertArrayEquals(new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(x), Ranks.averageRanks(x),
            "average ranks as Commons Math NaturalRanking(AVERAGE)");
        double expected = new SpearmansCorrelation().correlation(x, y);
        Tolerance.absolute(1e-14).because("both are Pearson of average ranks; summation order differs")
            .assertClose(expected, Spearman.rho(x, y), "rho vs Commons Math SpearmansCorrelation");
    }

    @ParameterizedTest(name = "seed {0}: n = {1}, ties {2}")
    @MethodSource("samples")
    void strictlyMonotoneTransformsGiveOneAndMinusOne(long seed, int n, boolean ties) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] x = sample(rng, n, ties);
        if (Double.isNaN(Spearman.rho(x, x))) {
            return; // a constant sample (possible with ties and tiny n) has no rho; covered below
        }
        double[] up = new double[n];
        double[] down = new double[n];
        for (int i = 0; i < n; i++) {
            up[i] = Math.exp(x[i]) + 3;
            down[i] = -Math.pow(x[i] + 10, 3);
        }
        Tolerance.absolute(4e-16).because("identical rank vectors; rounding of the normalisation only")
            .assertClose(1, Spearman.rho(x, up), "rho of an increasing transform");
        Tolerance.absolute(4e-16).assertClose(-1, Spearman.rho(x, down), "rho of a decreasing transform");
    }

    @Test
    void constantAndNaNHandling() {
        assertTrue(Double.isNaN(Spearman.rho(new double[] {1, 1, 1}, new double[] {1, 2, 3})), "constant x");
        assertTrue(Double.isNaN(Spearman.rho(new double[] {1}, new double[] {1})), "one pair");
        // NaN pairs are skipped: the remaining (1,1),(2,2),(3,3) correlate perfectly.
        assertEquals(1.0, Spearman.rho(new double[] {1, Double.NaN, 2, 3, 4}, new double[] {1, 5, 2, 3, Double.NaN}), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Spearman.rho(new double[2], new double[3]));
    }

    @Test
    void exactPValuesAgreeWithHandEnumeration() {
        // n = 2: both pairings have |rho| = 1 → p = 1.
        assertEquals(1.0, Spearman.exactPValue(new double[] {1, 2}, new double[] {3, 4}));
        // n = 3, rho = 1: the 6 pairings give rho = 1, ½, ½, −½, −½, −1 → P(|rho| ≥ 1) = 2/6.
        assertEquals(1.0 / 3, Spearman.exactPValue(new double[] {1, 2, 3}, new double[] {1, 2, 3}), 1e-15);
        // n = 3, rho = ½ (one adjacent swap): |rho| ≥ ½ for all 6 → p = 1.
        assertEquals(1.0, Spearman.exactPValue(new double[] {1, 2, 3}, new double[] {2, 1, 3}), 1e-15);
        // n = 4, rho = 1: Σd² = 0 only for the identity and its reverse → 2/24.
        assertEquals(1.0 / 12, Spearman.exactPValue(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4}), 1e-15);
        // n = 4, rho = 0.8 (Σd² = 2): Σd² ≤ 2 for the identity and 3 adjacent swaps, and their 4 reverses → 8/24.
        assertEquals(1.0 / 3, Spearman.exactPValue(new double[] {1, 2, 3, 4}, new double[] {2, 1, 3, 4}), 1e-15);
        // Ties: x ranks (1,2,3), y = (1,1,2) ranks (1.5,1.5,3): Σ r_x r_y over pairings is 13.5, 12, 10.5
        // (two pairings each), mean 12; observed 13.5 → 4 of 6 as extreme → 2/3.
        assertEquals(2.0 / 3, Spearman.exactPValue(new double[] {1, 2, 3}, new double[] {1, 1, 2}), 1e-15);
        assertTrue(Double.isNaN(Spearman.exactPValue(new double[] {1, 2, 3}, new double[] {5, 5, 5})));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Spearman.exactPValue(new double[11], new double[11]));
        assertTrue(e.getMessage().contains("n <= 10"), e.getMessage());
    }

    @ParameterizedTest(name = "seed {0}: n = {1}")
    @MethodSource("exactCases")
    void exactPValueEqualsBruteForceOverPermutations(long seed, int n) {
        // Brute force: rho of every permutation (lexicographic), computed from scratch.
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] x = sample(rng, n, rng.nextBoolean());
        double[] y = sample(rng, n, rng.nextBoolean());
        double rho = Spearman.rho(x, y);
        if (Double.isNaN(rho)) {
            return;
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        long hits = 0;
        long total = 0;
        double[] yp = new double[n];
        do {
            for (int i = 0; i < n; i++) {
                yp[i] = y[perm[i]];
            }
            if (Math.abs(Spearman.rho(x, yp)) >= Math.abs(rho) - 1e-12) {
                hits++;
            }
            total++;
        } while (nextPermutation(perm));
        assertEquals((double) hits / total, Spearman.exactPValue(x, y), 1e-15);
        assertEquals(Spearman.exactPValue(x, y), Spearman.pValue(x, y), "n ≤ 10 uses the exact p-value");
    }

    static Stream<Arguments> exactCases() {
        return SeededCases.of(0xE4AC7L, 12, r -> new Object[] {r.nextInt(3, 8)});
    }

    private static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = a.length - 1;
        while (a[j] <= a[i]) {
            j--;
        }
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
            t = a[l];
            a[l] = a[r];
            a[r] = t;
        }
        return true;
    }

    @ParameterizedTest(name = "seed {0}: rho = {1}, n = {2}")
    @MethodSource("asymptoticCases")
    void asymptoticPValueIsTheStudentTTail(long seed, double rho, int n) {
        double t = rho * Math.sqrt((n - 2) / (1 - rho * rho));
        double expected = 2 * new TDistribution(null, n - 2).cumulativeProbability(-Math.abs(t));
        Tolerance.relative(1e-9).because("regularized beta vs Commons Math's t CDF")
            .assertClose(expected, Spearman.asymptoticPValue(rho, n), "two-sided t p-value");
    }

    static Stream<Arguments> asymptoticCases() {
        return SeededCases.of(0xA5F7L, 20, r -> new Object[] {r.nextDouble() * 1.6 - 0.8, r.nextInt(11, 5000)});
    }

    private static ScalarMap map(String name, int ny, int nx, double[] v) {
        return ScalarMap.of(name, "", ny, nx, v, 0.16, 0.16);
    }

    @ParameterizedTest(name = "seed {0}: NaN fraction {1}")
    @MethodSource("shiftCases")
    void shiftedRhosEqualRhoOfShiftedMaps(long seed, double nanFraction) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        int ny = rng.nextInt(2, 9);
        int nx = rng.nextInt(2, 9);
        double[] a = sample(rng, ny * nx, rng.nextBoolean());
        double[] b = sample(rng, ny * nx, rng.nextBoolean());
        for (int i = 0; i < a.length; i++) {
            if (rng.nextDouble() < nanFraction) {
                (rng.nextBoolean() ? a : b)[i] = Double.NaN;
            }
        }
        int[] shifts = new int[ny * nx - 1];
        for (int s = 0; s < shifts.length; s++) {
            shifts[s] = s + 1;
        }
        double[] got = Spearman.shiftedRhos(a, b, ny, nx, shifts);
        for (int s = 0; s < shifts.length; s++) {
            int dy = shifts[s] / nx;
            int dx = shifts[s] % nx;
            double[] shifted = new double[b.length];
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    shifted[y * nx + x] = b[((y + dy) % ny) * nx + (x + dx) % nx];
                }
            }
            double expected = Spearman.rho(a, shifted);
            int valid = 0;
            for (int i = 0; i < a.length; i++) {
                valid += Double.isNaN(a[i]) || Double.isNaN(shifted[i]) ? 0 : 1;
            }
            if (valid < 3) {
                expected = Double.NaN;
            }
            Tolerance.absolute(1e-14).assertClose(expected, got[s], "rho at shift (" + dy + ", " + dx + ")");
        }
    }

    static Stream<Arguments> shiftCases() {
        return SeededCases.of(0x5A1F7L, 16, r -> new Object[] {r.nextBoolean() ? 0.0 : r.nextDouble(0.05, 0.4)});
    }

    @Test
    void testOfMapsReportsAllParts() {
        UniformRandomProvider rng = SeededCases.rng(7);
        int ny = 20;
        int nx = 30;
        double[] a = SmoothFields.field(rng, ny, nx, 2);
        double[] b = a.clone();
        double[] noise = SmoothFields.field(rng, ny, nx, 2);
        for (int i = 0; i < b.length; i++) {
            b[i] = Math.exp(b[i] + noise[i]);
        }
        a[5] = Double.NaN;
        RankCorrelation rc = Spearman.test(map("tau_s", ny, nx, a), map("V", ny, nx, b));
        assertEquals(ny * nx - 1, rc.n());
        assertEquals(Spearman.rho(a, b), rc.rho(), 0.0);
        assertTrue(rc.rho() > 0.5, rc.toString());
        assertTrue(rc.confidenceLow() < rc.rho() && rc.rho() < rc.confidenceHigh(), rc.toString());
        assertTrue(rc.spatialPValue() >= rc.pValue(), rc.toString());
        assertTrue(rc.effectiveSampleSize() > 1 && rc.effectiveSampleSize() < rc.n() / 4.0,
            "smooth maps (σ = 2 px) carry far fewer than n independent samples: " + rc);
        assertTrue(rc.pValueMethod().startsWith("asymptotic t"), rc.pValueMethod());
        assertTrue(rc.spatialMethod().contains("toroidal shifts, 599 of 599"), rc.spatialMethod());
        assertEquals(rc, Spearman.test(map("tau_s", ny, nx, a), map("V", ny, nx, b)), "seeded: reproducible");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Spearman.test(map("tau_s", ny, nx, a), map("V", nx, ny, b)));
        assertTrue(e.getMessage().contains("differ in scan size"), e.getMessage());
    }

    @Test
    void spatialPValueHoldsItsRateOnIndependentSmoothFieldsWhereTheNaiveOneDoesNot() {
        // Independent smooth fields (σ = 2.5 px, correlation exp(−d²/25)) on a 32×32 grid: H0 is true.
        int replicates = 300;
        int naive = 0;
        int spatial = 0;
        SpearmanOptions o = SpearmanOptions.defaults();
        UniformRandomProvider rng = SeededCases.rng(0x0CC5L);
        for (int r = 0; r < replicates; r++) {
            ScalarMap a = map("a", 32, 32, SmoothFields.field(rng, 32, 32, 2.5));
            ScalarMap b = map("b", 32, 32, SmoothFields.field(rng, 32, 32, 2.5));
            RankCorrelation rc = Spearman.test(a, b, o);
            naive += rc.pValue() < 0.05 ? 1 : 0;
            spatial += rc.spatialPValue() < 0.05 ? 1 : 0;
        }
        double sd = Math.sqrt(0.05 * 0.95 / replicates);
        // Nominal 5 %: binomial SD 1.26 % over 300 replicates; allow 3.5 SD above (false failure 2e-4).
        assertTrue(spatial <= replicates * (0.05 + 3.5 * sd),
            "spatial false-positive rate " + spatial + "/" + replicates + " exceeds 5 % + 3.5 SD");
        assertTrue(spatial >= 2, "spatial test is not absurdly conservative: " + spatial + "/" + replicates
            + " (P(≤ 1) under 5 % is 5e-6)");
        // n_eff ≈ 1024/(2πσ²) ≈ 26, so |rho| has SD ≈ 0.2 and the naive test (threshold ≈ 0.06) rejects most.
        assertTrue(naive > replicates * 0.4, "naive rate " + naive + "/" + replicates + " is anti-conservative");
    }

    @ParameterizedTest(name = "seed {0}: rho_normal {1}, field width {2} px")
    @MethodSource("intervalCases")
    void intervalCoversTheTrueRhoOnSmoothCorrelatedFields(long seed, double c, double sigmaPx) {
        // y = c·x + √(1−c²)·z with x, z independent smooth Gaussian fields: the pairs are bivariate
        // normal with correlation c at every position, so Spearman's rho_s = (6/π) asin(c/2).
        int replicates = 200;
        int covered = 0;
        double truth = 6 / Math.PI * Math.asin(c / 2);
        UniformRandomProvider rng = SeededCases.rng(seed);
        SpearmanOptions o = SpearmanOptions.defaults().withMaxShifts(499);
        for (int k = 0; k < replicates; k++) {
            double[] x = SmoothFields.field(rng, 24, 24, sigmaPx);
            double[] z = SmoothFields.field(rng, 24, 24, sigmaPx);
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = c * x[i] + Math.sqrt(1 - c * c) * z[i];
            }
            RankCorrelation rc = Spearman.test(map("x", 24, 24, x), map("y", 24, 24, y), o.withSeed(k));
            covered += rc.confidenceLow() <= truth && truth <= rc.confidenceHigh() ? 1 : 0;
        }
        // Nominal 95 %: binomial SD 1.5 % over 200; allow 4 SD below (false failure 3e-5 if nominal holds;
        // the Fisher-z interval is approximate, so this bound also absorbs a small approximation error).
        double sd = Math.sqrt(0.95 * 0.05 / replicates);
        assertTrue(covered >= replicates * (0.95 - 4 * sd), "coverage " + covered + "/" + replicates);
    }

    static Stream<Arguments> intervalCases() {
        return Stream.of(
            Arguments.of(0x1C1L, 0.0, 0.01), Arguments.of(0x1C2L, 0.6, 0.01),
            Arguments.of(0x1C3L, 0.3, 2.0), Arguments.of(0x1C4L, 0.6, 2.0), Arguments.of(0x1C5L, 0.9, 1.0));
    }

    @Test
    void intervalByHand() {
        // rho = 0.5, n = 103, 95 %: atanh 0.5 = 0.549306, se = √(1.125/100) = 0.106066, z = 1.959964.
        double[] ci = Spearman.confidenceInterval(0.5, 103, 0.95);
        assertEquals(Math.tanh(0.5493061443340549 - 1.959963984540054 * 0.10606601717798213), ci[0], 1e-12);
        assertEquals(Math.tanh(0.5493061443340549 + 1.959963984540054 * 0.10606601717798213), ci[1], 1e-12);
        assertArrayEquals(new double[] {-1, 1}, Spearman.confidenceInterval(0.2, 3, 0.95));
    }

    @Test
    void optionsValidate() {
        assertThrows(IllegalArgumentException.class, () -> SpearmanOptions.defaults().withConfidenceLevel(1));
        assertThrows(IllegalArgumentException.class, () -> SpearmanOptions.defaults().withConfidenceLevel(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> SpearmanOptions.defaults().withMaxShifts(-1));
    }
}
