/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.ArrayStorage;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.Shape5D;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The statistics pass: the same bits for any thread count, and the textbook mean and variance. */
class PatternStatisticsTest {

    @ParameterizedTest(name = "seed {0}: integral {1}")
    @MethodSource("cases")
    void sameBitsForAnyThreadCountAndTextbookMoments(long seed, boolean integral) throws IOException {
        UniformRandomProvider rng = SeededCases.rng(seed);
        // more patterns than a few batches, a count that leaves a partial last batch
        Shape5D shape = Shape5D.of(rng.nextInt(3, 9), rng.nextInt(3, 9), rng.nextInt(3, 9), 5, 6);
        int n = shape.patternSize();
        double[] v = new double[(int) shape.valueCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = integral ? rng.nextInt(0, 5000) : 1e3 + rng.nextDouble() * 10;
        }
        Dataset5D ds = Dataset5D.of(ArrayStorage.of(shape, v), Calibration.builder().frameIntervalSeconds(1).scanStepNm(1)
            .pixelSizeInverseNm(0.2).centerPx(2, 2.5).build());
        PatternStatistics one = PatternStatistics.compute(ds, 1, ProgressListener.NONE);
        for (int threads : new int[] {2, 3, 5}) {
            PatternStatistics many = PatternStatistics.compute(ds, threads, ProgressListener.NONE);
            assertArrayEquals(one.meanPattern(), many.meanPattern(), threads + " threads");
            assertArrayEquals(one.variancePattern(), many.variancePattern(), threads + " threads");
            assertArrayEquals(one.totals(), many.totals(), threads + " threads");
            assertArrayEquals(one.maximumPattern(), many.maximumPattern(), threads + " threads");
            assertEquals(one.patternCount(), many.patternCount());
        }
        long count = shape.patternCount();
        assertEquals(count, one.patternCount());
        double[] mean = one.meanPattern();
        double[] var = one.variancePattern();
        double[] max = one.maximumPattern();
        double level = integral ? 4990 : 1e3 + 9.99;
        float[] totals = one.totals();
        for (int i = 0; i < n; i++) {
            double m = 0;
            for (long p = 0; p < count; p++) {
                m += v[(int) (p * n + i)];
            }
            m /= count;
            double s2 = 0;
            for (long p = 0; p < count; p++) {
                double d = v[(int) (p * n + i)] - m;
                s2 += d * d;
            }
            double top = Double.NEGATIVE_INFINITY;
            for (long p = 0; p < count; p++) {
                top = Math.max(top, v[(int) (p * n + i)]);
            }
            assertEquals(top, max[i], "maximum, pixel " + i);
            assertEquals(top < level, one.belowLevel(level).isValid(i), "below the level, pixel " + i);
            // sums of a few hundred values: rounding of order 1e-16·√count relative, 1e-12 is generous
            Tolerance.relative(1e-12).because("the same sums, summed in another order").assertClose(m, mean[i], "mean, pixel " + i);
            Tolerance.relative(1e-9).because("shifted vs two-pass variance; both stable for these data")
                .assertClose(s2 / count, var[i], "variance, pixel " + i);
        }
        for (int p = 0; p < count; p++) {
            double t = 0;
            for (int i = 0; i < n; i++) {
                t += v[p * n + i];
            }
            assertEquals((float) t, totals[p], "total of pattern " + p);
        }
        assertThrows(IllegalArgumentException.class, () -> PatternStatistics.compute(ds, 0, ProgressListener.NONE));
    }

    static Stream<Arguments> cases() {
        return SeededCases.of(0x57A7L, 12, r -> new Object[] {r.nextBoolean()});
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void partsOfIntegerDataAddUpToTheWholesBits(long seed) throws IOException {
        UniformRandomProvider rng = SeededCases.rng(seed);
        Shape5D shape = Shape5D.of(rng.nextInt(3, 9), rng.nextInt(3, 9), rng.nextInt(3, 9), 5, 6);
        double[] v = new double[(int) shape.valueCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(0, 60000);
        }
        Dataset5D ds = Dataset5D.of(ArrayStorage.of(shape, v), Calibration.builder().frameIntervalSeconds(1).scanStepNm(1)
            .pixelSizeInverseNm(0.2).centerPx(2, 2.5).build());
        PatternStatistics whole = PatternStatistics.compute(ds, 2, ProgressListener.NONE);
        // tiles of whole rows with all frames, as a distributed pass reads them, summed in reverse order
        int rows = rng.nextInt(1, shape.scanY() + 1);
        double[] shift = ds.readPattern(0, 0, 0);
        int n = shape.patternSize();
        double[] sums = new double[n];
        double[] squares = new double[n];
        double[] max = new double[n];
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        float[] totals = new float[(int) shape.patternCount()];
        long patterns = 0;
        for (int y0 = (shape.scanY() - 1) / rows * rows; y0 >= 0; y0 -= rows) {
            int y1 = Math.min(shape.scanY(), y0 + rows);
            PatternStatistics part = PatternStatistics.compute(ds.crop(y0, y1, 0, shape.scanX()), shift, 1, ProgressListener.NONE);
            double[] ps = part.shiftedSums();
            double[] pq = part.shiftedSumSquares();
            double[] pm = part.maximumPattern();
            for (int i = 0; i < n; i++) {
                sums[i] += ps[i];
                squares[i] += pq[i];
                max[i] = Math.max(max[i], pm[i]);
            }
            float[] pt = part.totals();
            for (int t = 0; t < shape.frames(); t++) {
                for (int y = y0; y < y1; y++) {
                    for (int x = 0; x < shape.scanX(); x++) {
                        totals[(t * shape.scanY() + y) * shape.scanX() + x] = pt[(t * (y1 - y0) + y - y0) * shape.scanX() + x];
                    }
                }
            }
            patterns += part.patternCount();
        }
        PatternStatistics merged = PatternStatistics.of(shape, patterns, shift, sums, squares, max, totals);
        String where = "seed " + seed + ", tiles of " + rows + " rows";
        assertArrayEquals(whole.shift(), merged.shift(), where);
        assertArrayEquals(whole.shiftedSums(), merged.shiftedSums(), where);
        assertArrayEquals(whole.shiftedSumSquares(), merged.shiftedSumSquares(), where);
        assertArrayEquals(whole.meanPattern(), merged.meanPattern(), where);
        assertArrayEquals(whole.variancePattern(), merged.variancePattern(), where);
        assertArrayEquals(whole.maximumPattern(), merged.maximumPattern(), where);
        assertArrayEquals(whole.totals(), merged.totals(), where);
        assertEquals(whole.patternCount(), merged.patternCount(), where);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PatternStatistics.of(shape, 1, new double[3], sums, squares, max, totals));
        assertEquals("shift has length 3, expected " + n, e.getMessage());
    }

    static java.util.stream.LongStream seeds() {
        return java.util.stream.LongStream.rangeClosed(1, 20);
    }
}
