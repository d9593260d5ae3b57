/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.PoissonSampler;
import org.fivedstem.api.Normalisation;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CorrelationAlgorithm#MULTI_TAU}: the lag grid; the first 16 lags are the direct route's
 * bit for bit (g, pair counts, replicates, standard errors); the coarser lags are exactly the
 * estimator its Javadoc states, recomputed here literally from explicitly binned frames; and on a
 * decaying speckle series the coarse lags agree with the direct route at the same lags within
 * their standard errors.
 */
class MultiTauTest {

    private static final CorrelationOptions MULTI = CorrelationOptions.defaults().withAlgorithm(CorrelationAlgorithm.MULTI_TAU);
    private static final CorrelationOptions DIRECT = CorrelationOptions.defaults().withAlgorithm(CorrelationAlgorithm.DIRECT);

    /** g, SE, pairs and replicates of one bin. */
    private record Run(double[] g, double[] se, int[] pairs, double[] reps, CorrelationAlgorithm used) {
        static Run of(double[] s, int frames, int pixels, CorrelationOptions o) {
            int n = CorrelationKernel.lagCount(o, frames);
            double[] g = new double[n];
            double[] se = new double[n];
            int[] pairs = new int[n];
            double[] reps = new double[CorrelationKernel.replicateCount(o, frames) * n];
            CorrelationAlgorithm used = CorrelationKernel.correlate(s, frames, pixels, new int[pixels], 1, o,
                CorrelationKernel.newWorkspace(), g, se, pairs, new int[1], reps);
            return new Run(g, se, pairs, reps, used);
        }
    }

    /** Poisson counts about a mean that varies by pixel and frame, a few blank frames. */
    private static double[] counts(UniformRandomProvider rng, int frames, int pixels, double mean, int blanks) {
        double[] s = new double[frames * pixels];
        for (int f = 0; f < frames; f++) {
            double frameMean = mean * (0.7 + 0.6 * rng.nextDouble());
            for (int p = 0; p < pixels; p++) {
                s[f * pixels + p] = PoissonSampler.of(rng, frameMean * (0.5 + rng.nextDouble())).sample();
            }
        }
        for (int i = 0; i < blanks; i++) {
            int f = rng.nextInt(frames);
            Arrays.fill(s, f * pixels, (f + 1) * pixels, 0);
        }
        return s;
    }

    @Test
    void lagGridIsSixteenLagsThenEightPerLevelWhileALevelHasAPair() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
            16, 18, 20, 22, 24, 26, 28, 30, 32, 36}, CorrelationKernel.lagFrames(MULTI, 40));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, CorrelationKernel.lagFrames(MULTI, 5));
        int[] long4096 = CorrelationKernel.lagFrames(MULTI, 4096);
        assertEquals(16 + 8 * 8, long4096.length);           // levels 1 … 8 full: 4096 >> 8 = 16 bins
        assertEquals(15 << 8, long4096[long4096.length - 1]); // 3840 frames, 0.94 T
        for (int t = 1; t < 3000; t += 7) {
            int[] lags = CorrelationKernel.lagFrames(MULTI, t);
            assertEquals(CorrelationKernel.lagCount(MULTI, t), lags.length);
            for (int i = 1; i < lags.length; i++) {
                assertTrue(lags[i] > lags[i - 1], "ascending at T = " + t);
            }
            assertTrue(lags[lags.length - 1] < t, "every lag has a pair at T = " + t);
        }
    }

    @Test
    void autoTakesTheMultiTauRouteForLongEnsembleSeriesOnly() {
        CorrelationOptions auto = CorrelationOptions.defaults();
        int m = CorrelationKernel.MULTI_TAU_MIN_FRAMES;
        assertFalse(CorrelationKernel.multiTau(auto, m));
        assertTrue(CorrelationKernel.multiTau(auto, m + 1));
        assertTrue(CorrelationKernel.multiTau(auto.withStdErrMethod(StdErrMethod.NONE), m + 1));
        assertFalse(CorrelationKernel.multiTau(auto.withStdErrMethod(StdErrMethod.FRAME_BLOCK_JACKKNIFE), m + 1));
        assertFalse(CorrelationKernel.multiTau(auto.withNormalisation(Normalisation.SYMMETRIC), m + 1));
        assertEquals(m + 1, CorrelationKernel.lagCount(DIRECT, m + 1));
        assertEquals(CorrelationAlgorithm.MULTI_TAU, CorrelationKernel.resolve(auto, m + 1, 200));
    }

    @Test
    void multiTauRefusesWhatItDoesNotCompute() {
        assertThrows(IllegalArgumentException.class,
            () -> CorrelationKernel.requireCompatible(MULTI.withNormalisation(Normalisation.SYMMETRIC)));
        assertThrows(IllegalArgumentException.class,
            () -> CorrelationKernel.requireCompatible(MULTI.withStdErrMethod(StdErrMethod.FRAME_BLOCK_JACKKNIFE)));
    }

    static Stream<Arguments> series() {
        return SeededCases.of(0x7A0L, 24, rng -> new Object[] {
            rng.nextInt(1, 90),        // T: one level up to five
            rng.nextInt(1, 45),        // P: fewer and more pixels than groups
            rng.nextInt(0, 4),         // blank frames
            rng.nextBoolean(),         // factorial lag 0
            rng.nextBoolean() ? 10 : 1 // groups (1: no standard errors)
        });
    }

    /**
     * Level 0 is the direct route's computation with the pixel-group jackknife — same group Gram sums
     * in the same order, same lag sums — so the same bits: g, pair counts, replicates and standard
     * errors at lags 0 … 15. Without standard errors the direct route forms its sums from relative
     * intensities (the frame-block route with one block): the same g to rounding.
     */
    @ParameterizedTest(name = "seed {0}: T={1}, P={2}, blanks={3}, factorial={4}, B={5}")
    @MethodSource("series")
    void firstSixteenLagsAreTheDirectRoutes(long seed, int t, int p, int blanks, boolean factorial, int b) {
        double[] s = counts(SeededCases.rng(seed), t, p, 3, blanks);
        CorrelationOptions base = CorrelationOptions.defaults().withFactorialLag0(factorial)
            .withStdErrMethod(b > 1 ? StdErrMethod.PIXEL_GROUP_JACKKNIFE : StdErrMethod.NONE).withJackknifeBlocks(Math.max(b, 2));
        Run direct = Run.of(s, t, p, base.withAlgorithm(CorrelationAlgorithm.DIRECT));
        Run multi = Run.of(s, t, p, base.withAlgorithm(CorrelationAlgorithm.MULTI_TAU));
        assertEquals(CorrelationAlgorithm.MULTI_TAU, multi.used());
        int n = multi.g().length;
        int first = Math.min(16, t);
        for (int k = 0; k < first; k++) {
            assertEquals(direct.pairs()[k], multi.pairs()[k], "pairs at lag " + k);
            if (b == 1) {
                assertClose(direct.g()[k], multi.g()[k], "g at lag " + k);
                continue;
            }
            assertEquals(Double.doubleToRawLongBits(direct.g()[k]), Double.doubleToRawLongBits(multi.g()[k]), "g at lag " + k);
            assertEquals(Double.doubleToRawLongBits(direct.se()[k]), Double.doubleToRawLongBits(multi.se()[k]), "SE at lag " + k);
        }
        int reps = b == 1 ? 0 : direct.reps().length / t;
        for (int r = 0; r < reps; r++) {
            for (int k = 0; k < first; k++) {
                assertEquals(Double.doubleToRawLongBits(direct.reps()[r * t + k]), Double.doubleToRawLongBits(multi.reps()[r * n + k]),
                    "replicate " + r + " at lag " + k);
            }
        }
    }

    /**
     * Every lag, every level: the values the class notes define, recomputed literally — bin the
     * frames explicitly, G(b1, b2) = P Σ X(b1) X(b2) / (M(b1) M(b2)) over usable bin pairs, the
     * replicates over the pixels outside each group — to rounding.
     */
    @ParameterizedTest(name = "seed {0}: T={1}, P={2}, blanks={3}, factorial={4}, B={5}")
    @MethodSource("series")
    void everyLagIsTheBinnedEnsembleEstimator(long seed, int t, int p, int blanks, boolean factorial, int b) {
        double[] s = counts(SeededCases.rng(seed), t, p, 3, blanks);
        CorrelationOptions o = MULTI.withFactorialLag0(factorial)
            .withStdErrMethod(b > 1 ? StdErrMethod.PIXEL_GROUP_JACKKNIFE : StdErrMethod.NONE).withJackknifeBlocks(Math.max(b, 2));
        Run multi = Run.of(s, t, p, o);
        int[] lags = CorrelationKernel.lagFrames(o, t);
        int groups = b > 1 ? Math.min(b, p) : 1;
        for (int i = 0; i < lags.length; i++) {
            int level = i < 16 ? 0 : 1 + (i - 16) / 8;
            int k = lags[i] >> level;
            double[] literal = literal(s, t, p, level, k, factorial, -1, groups);
            assertClose(literal[0], multi.g()[i], "g at lag " + lags[i]);
            assertEquals((int) literal[1] << level, multi.pairs()[i], "pairs at lag " + lags[i]);
            for (int r = 0; b > 1 && r < groups; r++) {
                double rep = literal(s, t, p, level, k, factorial, r, groups)[0];
                double got = multi.reps()[r * lags.length + i];
                assertClose(rep, got, "replicate " + r + " at lag " + lags[i]);
            }
        }
    }

    /** Equal to rounding (1e-12 relative: sums of a few thousand terms in another order), or both NaN. */
    private static void assertClose(double expected, double actual, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
        } else {
            assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)), what);
        }
    }

    /** {g, usable bin pairs} at lag k of a level, over all pixels or without group {@code leftOut}. */
    private static double[] literal(double[] s, int t, int p, int level, int k, boolean factorial, int leftOut, int groups) {
        int tl = t;
        double[] x = s.clone();
        boolean[] usable = new boolean[t];
        for (int f = 0; f < t; f++) {
            double m = 0;
            for (int j = 0; j < p; j++) {
                m += x[f * p + j];
            }
            usable[f] = m != 0;
        }
        for (int l = 0; l < level; l++) {
            int half = tl / 2;
            double[] y = new double[half * p];
            boolean[] u = new boolean[half];
            for (int bb = 0; bb < half; bb++) {
                for (int j = 0; j < p; j++) {
                    y[bb * p + j] = x[2 * bb * p + j] + x[(2 * bb + 1) * p + j];
                }
                u[bb] = usable[2 * bb] && usable[2 * bb + 1];
            }
            x = y;
            usable = u;
            tl = half;
        }
        int lo = leftOut < 0 ? 0 : (int) ((long) leftOut * p / groups);
        int hi = leftOut < 0 ? 0 : (int) ((long) (leftOut + 1) * p / groups);
        int kept = p - (hi - lo);
        double sum = 0;
        int n = 0;
        for (int b1 = 0; b1 + k < tl; b1++) {
            int b2 = b1 + k;
            double m1 = 0;
            double m2 = 0;
            double prod = 0;
            for (int j = 0; j < p; j++) {
                if (j >= lo && j < hi) {
                    continue;
                }
                m1 += x[b1 * p + j];
                m2 += x[b2 * p + j];
                prod += x[b1 * p + j] * x[b2 * p + j];
            }
            if (k == 0 && factorial) {
                prod -= m1;
            }
            boolean ok = leftOut < 0 ? usable[b1] && usable[b2] : usable[b1] && usable[b2] && m1 != 0 && m2 != 0;
            if (ok) {
                sum += prod * kept / (m1 * m2);
                n++;
            }
        }
        return new double[] {n > 0 ? sum / n : Double.NaN, n};
    }

    /**
     * On a speckle series decaying as exp(−2k/τ) (τ = 60 frames, 600 frames, 200 pixels, 20 counts per unit intensity), the
     * coarse lags agree with the direct route's g at the same lags: they average the frame pairs
     * within ±2/16 of the lag, a smoothing of relative size (Δ/τ)²/6 ≲ 2·10⁻³ at the longest lags,
     * far below the standard errors, so |Δg| stays within 4 SE at every lag (the SEs are the direct
     * route's; 4 SE makes a false alarm over ~70 lags unlikely, p ≈ 0.004).
     */
    @Test
    void coarseLagsAgreeWithTheDirectRouteOnADecayingSeries() {
        int t = 600;
        int p = 200;
        double tau = 60;
        UniformRandomProvider rng = SeededCases.rng(0x7A1L);
        double[] s = TestFields.poisson(rng, TestFields.ar1(rng, t, p, tau), 20);
        Run direct = Run.of(s, t, p, DIRECT);
        Run multi = Run.of(s, t, p, MULTI);
        int[] lags = CorrelationKernel.lagFrames(MULTI, t);
        int checked = 0;
        for (int i = 16; i < lags.length; i++) {
            int k = lags[i];
            if (direct.pairs()[k] < t / 4 || !(direct.se()[k] > 0)) {
                continue;
            }
            assertEquals(direct.g()[k], multi.g()[i], 4 * direct.se()[k], "g at lag " + k);
            assertTrue(multi.se()[i] > 0.25 * direct.se()[k] && multi.se()[i] < 4 * direct.se()[k], "SE at lag " + k);
            checked++;
        }
        assertTrue(checked >= 30, "coarse lags compared: " + checked);
    }
}
