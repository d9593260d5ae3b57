/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.fivedstem.api.Normalisation;
import org.fivedstem.core.correlation.CorrelationAlgorithm;
import org.fivedstem.core.correlation.StdErrMethod;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link GramKernel} contract: every implementation in {@link GramKernels#all()} gives the
 * bits of the plain loops the interface states, on the same seeded inputs at many sizes and
 * offsets, and writes nothing outside its outputs. The inputs span 2⁴⁰ in magnitude, so that a
 * change in the order of the additions changes some result
 * ({@link #theInputsDetectAChangeOfSummationOrder}); the comparison is of raw bits, no tolerance.
 * A new (e.g. Vector API) kernel is covered by adding it to {@code GramKernels.all()}.
 */
class GramKernelContractTest {

    private static final double SENTINEL = -7.25e300;

    /** Values of both signs spread over 2⁻²⁰ … 2²⁰, some exact zeros. */
    static double[] values(UniformRandomProvider rng, int n) {
        ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextInt(16) == 0 ? 0 : Math.scalb(z.sample(), rng.nextInt(-20, 21));
        }
        return v;
    }

    static Stream<Arguments> cases() {
        return GramKernels.all().stream().flatMap(kernel -> SeededCases.of(0x6EA3L, 150, rng -> new Object[] {
            kernel,
            rng.nextInt(0, 48),   // T: every tile shape (up to 4 × 16 with 8-lane vectors), edge tiles both ways
            rng.nextInt(0, 41),   // P (also 0, and not a multiple of 4)
            rng.nextInt(0, 7),    // offset of the input
            rng.nextInt(0, 7),    // offset of the output
        }));
    }

    private static void assertSameBits(double expected, double actual, String where) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
            () -> where + ": expected " + expected + ", got " + actual);
    }

    @ParameterizedTest(name = "seed {0}: {1}, T={2}, P={3}, xo={4}, oo={5}")
    @MethodSource("cases")
    void gramUpperIsThePlainLoopInPixelOrder(long seed, GramKernel kernel, int t, int p, int xo, int oo) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] x = values(rng, xo + t * p + 3);
        double[] xCopy = x.clone();
        double[] out = new double[oo + t * t + 5];
        Arrays.fill(out, SENTINEL);
        kernel.gramUpper(x, xo, t, p, out, oo);
        for (int t1 = 0; t1 < t; t1++) {
            for (int t2 = t1; t2 < t; t2++) {
                double c = 0;
                for (int j = 0; j < p; j++) {
                    c += x[xo + j * t + t1] * x[xo + j * t + t2];
                }
                assertSameBits(c, out[oo + t1 * t + t2], "entry (" + t1 + ", " + t2 + ")");
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (i < oo || i >= oo + t * t) {
                assertSameBits(SENTINEL, out[i], "outside the T × T block, index " + i);
            }
        }
        assertTrue(Arrays.equals(xCopy, x), "input modified");
    }

    @ParameterizedTest(name = "seed {0}: {1}, T={2}, P={3}, xo={4}, oo={5}")
    @MethodSource("cases")
    void gramBandIsThePlainLoopInPixelOrder(long seed, GramKernel kernel, int t, int p, int xo, int oo) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] x = values(rng, xo + t * p + 3);
        double[] xCopy = x.clone();
        int kLo = rng.nextInt(0, 12);
        int lags = rng.nextInt(0, 21);   // up to two 8-lane vectors and a remainder
        double[] out = new double[oo + t * lags + 5];
        Arrays.fill(out, SENTINEL);
        kernel.gramBand(x, xo, t, p, kLo, lags, out, oo);
        for (int t1 = 0; t1 < t; t1++) {
            for (int i = 0; i < lags; i++) {
                int t2 = t1 + kLo + i;
                double c = 0;
                if (t2 < t) {
                    for (int j = 0; j < p; j++) {
                        c += x[xo + j * t + t1] * x[xo + j * t + t2];
                    }
                }
                assertSameBits(c, out[oo + t1 * lags + i], "entry (" + t1 + ", lag " + (kLo + i) + ")");
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (i < oo || i >= oo + t * lags) {
                assertSameBits(SENTINEL, out[i], "outside the T × K band, index " + i);
            }
        }
        assertTrue(Arrays.equals(xCopy, x), "input modified");
    }

    @ParameterizedTest(name = "seed {0}: {1}, T={2}, P={3}, xo={4}, oo={5}")
    @MethodSource("cases")
    void lagSumsAreThePlainLoop(long seed, GramKernel kernel, int t, int unusedP, int so, int dOff) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        int n = t + 1;
        double[] sums = values(rng, so + n + 3);
        double[] sub = rng.nextBoolean() ? values(rng, dOff + n + 3) : null;
        int wo = rng.nextInt(0, 5);
        double[] w = values(rng, wo + n + 2);
        double w1 = values(rng, 1)[0];
        double[] start = values(rng, n + 2);
        int from = rng.nextInt(0, 3);
        int to = Math.max(from, n - rng.nextInt(0, 3));
        double[] acc = start.clone();
        kernel.lagSums(sums, so, sub, dOff, w, wo, w1, acc, from, to);
        for (int k = 0; k < acc.length; k++) {
            double expected = start[k];
            if (k >= from && k < to) {
                expected += sub == null ? sums[so + k] * w[wo + k] * w1 : (sums[so + k] - sub[dOff + k]) * w[wo + k] * w1;
            }
            assertSameBits(expected, acc[k], "lag " + k);
        }
    }

    @ParameterizedTest(name = "seed {0}: {1}, n={3}")
    @MethodSource("cases")
    void dotIsFourLanesInOrder(long seed, GramKernel kernel, int unusedT, int n, int i, int j) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] a = values(rng, Math.max(i, j) + n + 2);
        double[] lane = new double[4];
        int body = n - n % 4;
        for (int q = 0; q < n; q++) {
            lane[q < body ? q % 4 : 0] += a[i + q] * a[j + q];
        }
        double expected = (lane[0] + lane[1]) + (lane[2] + lane[3]);
        assertSameBits(expected, kernel.dot(a, i, j, n), "dot");
    }

    @ParameterizedTest(name = "seed {0}: {1}, T={2}, xo={4}")
    @MethodSource("cases")
    void lagProductsArePlainLoopsInFrameOrder(long seed, GramKernel kernel, int t, int unusedP, int xo, int slack) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] x = values(rng, xo + t + 2);
        double[] usable = new double[t];
        for (int f = 0; f < t; f++) {
            usable[f] = rng.nextInt(5) == 0 ? 0 : 1;
            if (usable[f] == 0) {
                x[xo + f] = 0; // blank frames are zero in the series, as the contract assumes
            }
        }
        double[] products = new double[t + slack + 1];
        double[] early = new double[t + slack + 1];
        double[] late = new double[t + slack + 1];
        Arrays.fill(products, SENTINEL);
        Arrays.fill(early, SENTINEL);
        Arrays.fill(late, SENTINEL);
        kernel.lagProducts(x, xo, usable, t, products, early, late);
        for (int k = 0; k < t; k++) {
            double n = 0;
            double a = 0;
            double c = 0;
            for (int t1 = 0; t1 + k < t; t1++) {
                n += x[xo + t1] * x[xo + t1 + k];
                a += x[xo + t1] * usable[t1 + k];
                c += x[xo + t1 + k] * usable[t1];
            }
            assertSameBits(n, products[k], "products at lag " + k);
            assertSameBits(a, early[k], "early window at lag " + k);
            assertSameBits(c, late[k], "late window at lag " + k);
        }
        for (int k = t; k < products.length; k++) {
            assertSameBits(SENTINEL, products[k], "products beyond T");
            assertSameBits(SENTINEL, early[k], "early beyond T");
            assertSameBits(SENTINEL, late[k], "late beyond T");
        }
    }

    /**
     * The contract test has teeth: on these inputs the same Gram sums added in descending pixel
     * order differ in some bits from the ascending ones, so an implementation that reordered them
     * would fail above.
     */
    @Test
    void theInputsDetectAChangeOfSummationOrder() {
        UniformRandomProvider rng = SeededCases.rng(0x6EA4L);
        int t = 12;
        int p = 30;
        double[] x = values(rng, t * p);
        double[] out = new double[t * t];
        ScalarGramKernel.INSTANCE.gramUpper(x, 0, t, p, out, 0);
        int differing = 0;
        for (int t1 = 0; t1 < t; t1++) {
            for (int t2 = t1; t2 < t; t2++) {
                double c = 0;
                for (int j = p - 1; j >= 0; j--) {
                    c += x[j * t + t1] * x[j * t + t2];
                }
                differing += c == out[t1 * t + t2] ? 0 : 1;
            }
        }
        assertTrue(differing > 0, "descending order gave the same bits at all 78 entries");
    }

    static Stream<Arguments> routeCases() {
        return SeededCases.of(0x6EA5L, 12, rng -> new Object[] {rng.nextInt(2, 40), rng.nextInt(1, 30),
            rng.nextInt(3) == 0});
    }

    /**
     * Whole correlations through every route agree bit for bit whichever kernel computes the pair
     * sums (trivially so while the scalar kernel is the only one).
     */
    @ParameterizedTest(name = "seed {0}: T={1}, P={2}, blank frames {3}")
    @MethodSource("routeCases")
    void everyRouteGivesTheSameBitsWithEveryKernel(long seed, int t, int p, boolean blanks) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] series = new double[t * p];
        for (int i = 0; i < series.length; i++) {
            series[i] = rng.nextDouble() * 10;
        }
        if (blanks) {
            Arrays.fill(series, 0, p, 0); // frame 0 blank
        }
        int[] members = new int[p];
        for (int j = 0; j < p; j++) {
            members[j] = j;
        }
        List<double[]> reference = null;
        for (GramKernel kernel : GramKernels.all()) {
            List<double[]> results = new ArrayList<>();
            CorrelationRoutes routes = new CorrelationRoutes(kernel);
            for (Normalisation n : Normalisation.values()) {
                for (StdErrMethod m : StdErrMethod.values()) {
                    for (CorrelationAlgorithm a : new CorrelationAlgorithm[] {CorrelationAlgorithm.DIRECT,
                        CorrelationAlgorithm.FFT}) {
                        for (LagZero lagZero : LagZero.values()) {
                            int b = m == StdErrMethod.NONE ? 1 : 4;
                            BinSeries bin = routes.gather(series, t, p, members, p);
                            BinResult r = routes.route(n, m).correlate(bin, a, lagZero, b);
                            double[] g = new double[t];
                            double[] se = new double[t];
                            double[] reps = new double[b * t];
                            r.copyTo(g, se, new int[t], 0);
                            r.copyReplicatesTo(reps, 0);
                            results.add(g);
                            results.add(se);
                            results.add(reps);
                        }
                    }
                }
            }
            double[] two = new double[t * t];
            routes.twoTime(routes.gather(series, t, p, members, p), LagZero.FACTORIAL, two);
            results.add(two);
            if (reference == null) {
                reference = results;
                continue;
            }
            for (int i = 0; i < results.size(); i++) {
                double[] e = reference.get(i);
                double[] g = results.get(i);
                for (int k = 0; k < e.length; k++) {
                    assertSameBits(e[k], g[k], kernel + ", result " + i + ", value " + k);
                }
            }
        }
        assertFalse(reference == null || reference.isEmpty());
    }
}
