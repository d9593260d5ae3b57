/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.TauSummary;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Kaplan–Meier τ summaries, their errors and the censoring-aware rank scores. */
class CensoredSampleTest {

    private static ScalarMap row(double[] v) {
        return ScalarMap.of("t", "s", 1, v.length, v, 0.16, 0.16);
    }

    /**
     * The 6-MP arm of the Freireich et al. leukaemia trial, remission times in weeks, + censored
     * (E. A. Gehan, Biometrika 52, 203 (1965)), the classic Kaplan–Meier example. Expected values
     * from the product-limit table of J. P. Klein and M. L. Moeschberger, Survival Analysis, 2nd ed.
     * (Springer, 2003), Table 4.1A: Ŝ = 0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448 at
     * 6, 7, 10, 13, 16, 22, 23 weeks; median 23 weeks.
     */
    @Test
    void kaplanMeierMatchesTheTextbook() {
        double[] times = {6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35};
        boolean[] censored = {false, false, false, true, false, true, false, true, true, false, false, true, true, true,
            false, false, true, true, true, true, true};
        double[] measured = new double[times.length];
        double[] limit = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            measured[i] = censored[i] ? Double.NaN : times[i];
            limit[i] = censored[i] ? times[i] : Double.NaN;
        }
        CensoredSample s = CensoredSample.of(row(measured), row(limit));
        double[] at = {6, 7, 10, 13, 16, 22, 23};
        double[] expected = {0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448};
        for (int i = 0; i < at.length; i++) {
            Tolerance.absolute(0.0005).because("table rounded to 3 decimals").assertClose(expected[i], s.survival(at[i]),
                "S(" + at[i] + ")");
        }
        assertEquals(1.0, s.survival(5.9));
        assertEquals(23, s.summary(TauSummary.MEDIAN));
        assertEquals(9, s.measuredCount());
        assertEquals(12, s.censoredCount());
        assertTrue(s.tailCensored(), "the largest time (35) is censored");
        // Efron's convention: the mass beyond 23 weeks (0.448) sits at 35; the mean of the redistributed
        // sample is Σ t ΔŜ (a lower bound of the true mean).
        double mean = 6 * (1 - 0.857143) + 7 * (0.857143 - 0.806723) + 10 * (0.806723 - 0.752941)
            + 13 * (0.752941 - 0.690196) + 16 * (0.690196 - 0.627451) + 22 * (0.627451 - 0.537815)
            + 23 * (0.537815 - 0.448179) + 35 * 0.448179;
        Tolerance.absolute(1e-4).because("hand sum with Ŝ to 6 decimals").assertClose(mean, s.summary(TauSummary.MEAN),
            "Kaplan–Meier mean");
    }

    /** Without censoring every summary, error and the rank scores are exactly the plain ones. */
    @Test
    void withoutCensoringEverythingIsThePlainMap() {
        UniformRandomProvider rng = SeededCases.rng(0xC3A5L);
        double[] t = new double[12 * 15];
        double[] none = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = rng.nextInt(10) == 0 ? Double.NaN : Math.exp(rng.nextDouble(4, 8));
            none[i] = Double.NaN;
        }
        ScalarMap tau = ScalarMap.of("t", "s", 12, 15, t, 0.16, 0.16);
        CensoredSample s = CensoredSample.of(tau, ScalarMap.of("l", "s", 12, 15, none, 0.16, 0.16));
        for (TauSummary m : TauSummary.values()) {
            assertEquals(m.of(tau), s.summary(m), m.toString());
            assertEquals(SpatialSummary.standardError(tau, m), s.standardError(m), m.toString());
        }
        assertSame(tau, s.rankScores());
        assertEquals(0, s.censoredCount());
    }

    /** The Kaplan–Meier median equals the sample median when nothing is censored, for odd and even n. */
    @Test
    void medianConventionMatchesTheSampleMedian() {
        double[] limit = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, 100};
        // one censored value above all others: the median of the other four is unaffected below it
        CensoredSample s = CensoredSample.of(row(new double[] {1, 3, 2, 4, Double.NaN}), row(limit));
        assertEquals(3, s.summary(TauSummary.MEDIAN), "n = 5, the censored value is the largest: median 3");
        CensoredSample even = CensoredSample.of(row(new double[] {1, 3, 2, 4, Double.NaN, 5}),
            row(new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, 100, Double.NaN}));
        assertEquals(3.5, even.summary(TauSummary.MEDIAN), "n = 6: Ŝ is exactly ½ between 3 and 4");
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CensoredSample.of(row(new double[] {1, 2}), row(new double[] {3, Double.NaN})),
            "a position with both");
        assertThrows(IllegalArgumentException.class, () -> CensoredSample.of(row(new double[] {1, Double.NaN}),
            row(new double[] {Double.NaN, -3})), "a limit that is not > 0");
        assertThrows(IllegalArgumentException.class, () -> CensoredSample.of(row(new double[] {1, 2}),
            ScalarMap.of("l", "s", 2, 1, new double[] {1, 2}, 0.16, 0.16)), "shapes differ");
    }

    static Stream<Arguments> randomCensoringCases() {
        return SeededCases.of(0xCE45L, 6, r -> new Object[] {r.nextDouble(0.3, 1.0), r.nextDouble(0.5, 2.0)});
    }

    /**
     * Independent (random) censoring, the Kaplan–Meier model: τ = exp(σZ) (median 1), limits
     * L = exp(μ_L + 0.7 Z') independent of τ, observed min(τ, L), censored where L &lt; τ (20–45 % of
     * positions). The median, mean and geometric mean recovered agree with the true ones
     * (exp(σ²/2), 1) within 4.5 of their own standard errors (iid positions on a 40×40 map, 1600
     * values; the estimators are asymptotically normal, so a calibrated error fails with
     * probability ≈ 7e-6 per check; the errors leave the imputation's uncertainty out, so they may be
     * a little small — the coverage over many cases is measured in docs/structure-statistics.md), and
     * the dropped-censored estimate they replace is biased low by much more.
     */
    @ParameterizedTest(name = "seed {0}: sigma={1}, limit median ln={2}")
    @MethodSource("randomCensoringCases")
    void summariesUnderIndependentCensoringAreUnbiased(long seed, double sigma, double muL) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
        int n = 40 * 40;
        double[] measured = new double[n];
        double[] limit = new double[n];
        double largest = 0;
        boolean largestCensored = false;
        for (int i = 0; i < n; i++) {
            double tau = Math.exp(sigma * z.sample());
            double l = Math.exp(muL + 0.7 * z.sample());
            boolean c = l < tau;
            measured[i] = c ? Double.NaN : tau;
            limit[i] = c ? l : Double.NaN;
            double v = Math.min(tau, l);
            if (v > largest) {
                largest = v;
                largestCensored = c;
            }
        }
        CensoredSample s = CensoredSample.of(ScalarMap.of("t", "s", 40, 40, measured, 0.16, 0.16),
            ScalarMap.of("l", "s", 40, 40, limit, 0.16, 0.16));
        assertEquals(largestCensored, s.tailCensored());
        double k = 4.5;
        Tolerance.sigmas(k, s.standardError(TauSummary.MEDIAN)).because("median of exp(σZ) is 1")
            .assertClose(1, s.summary(TauSummary.MEDIAN), s.toString());
        Tolerance.sigmas(k, s.standardError(TauSummary.GEOMETRIC_MEAN)).because("geometric mean of exp(σZ) is 1")
            .assertClose(1, s.summary(TauSummary.GEOMETRIC_MEAN), s.toString());
        if (!s.tailCensored()) {
            Tolerance.sigmas(k, s.standardError(TauSummary.MEAN)).because("mean of exp(σZ) is exp(σ²/2)")
                .assertClose(Math.exp(sigma * sigma / 2), s.summary(TauSummary.MEAN), s.toString());
        }
        double dropped = ScalarMap.of("t", "s", 40, 40, measured, 0.16, 0.16).median();
        assertTrue(dropped < s.summary(TauSummary.MEDIAN), "dropping the censored positions lowers the median: "
            + dropped + " vs " + s);
    }

    /**
     * Rank scores: measured values keep their order, a censored value ranks above every measured value
     * below its limit, and with one censored value above everything it ranks at the top.
     */
    @Test
    void rankScoresPlaceCensoredValuesAtTheirExpectedRank() {
        double[] measured = {5, 1, 3, Double.NaN, 2, Double.NaN, 4};
        double[] limit = {Double.NaN, Double.NaN, Double.NaN, 2.5, Double.NaN, 10, Double.NaN};
        double[] u = CensoredSample.of(row(measured), row(limit)).rankScores().values();
        assertTrue(u[1] < u[4] && u[4] < u[2] && u[2] < u[6] && u[6] < u[0], Arrays.toString(u));
        assertTrue(u[3] > u[4], "censored above 2.5 ranks above 2: " + Arrays.toString(u));
        assertTrue(u[5] > u[0], "censored above 10 ranks above every measured value: " + Arrays.toString(u));
    }
}
