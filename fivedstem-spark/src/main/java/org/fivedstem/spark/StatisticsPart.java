/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

import org.fivedstem.api.Shape5D;
import org.fivedstem.core.preparation.PatternStatistics;

/**
 * The preparation's pattern statistics as primitive arrays: what a task of the statistics pass sends back
 * for its tile (sums about the whole recording's first pattern, so that they add up exactly for integer
 * data), which the driver puts together for the preparation's finders. A plain
 * class, not a record, for Kryo 4.
 */
final class StatisticsPart implements Serializable {

    private static final long serialVersionUID = 1L;

    /** frames, scan rows, scan columns, ky, kx of the part. */
    final int[] shape;
    /** The part's first scan row in the whole. */
    final int y0;
    final long patterns;
    final double[] shift;
    final double[] sums;
    final double[] squares;
    final double[] maximum;
    final float[] totals;

    private StatisticsPart(int[] shape, int y0, long patterns, double[] shift, double[] sums, double[] squares,
                           double[] maximum, float[] totals) {
        this.shape = shape;
        this.y0 = y0;
        this.patterns = patterns;
        this.shift = shift;
        this.sums = sums;
        this.squares = squares;
        this.maximum = maximum;
        this.totals = totals;
    }

    /**
     * @param s the statistics of a part of whole scan rows
     * @param y0 its first row in the whole
     */
    static StatisticsPart of(PatternStatistics s, int y0) {
        Shape5D sh = s.shape();
        return new StatisticsPart(new int[] {sh.frames(), sh.scanY(), sh.scanX(), sh.ky(), sh.kx()}, y0, s.patternCount(),
            s.shift(), s.shiftedSums(), s.shiftedSumSquares(), s.maximumPattern(), s.totals());
    }

    /**
     * Puts the parts of whole scan rows together, in their order: sums added pixel by pixel (exact for integer
     * data, so the order does not matter there), maxima's maximum, totals in place.
     *
     * @param whole the shape of the whole recording
     * @param parts the parts, covering its rows once
     */
    static StatisticsPart combine(Shape5D whole, Iterable<StatisticsPart> parts) {
        int n = whole.patternSize();
        double[] sums = new double[n];
        double[] squares = new double[n];
        double[] maximum = new double[n];
        Arrays.fill(maximum, Double.NEGATIVE_INFINITY);
        float[] totals = new float[Math.toIntExact(whole.patternCount())];
        double[] shift = null;
        long patterns = 0;
        int scanY = whole.scanY();
        int scanX = whole.scanX();
        for (StatisticsPart p : parts) {
            if (p.shape[0] != whole.frames() || p.shape[2] != scanX || p.shape[3] != whole.ky() || p.shape[4] != whole.kx()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "part at row %d of shape %s is not whole rows of %s",
                    p.y0, Arrays.toString(p.shape), whole));
            }
            shift = p.shift;
            for (int i = 0; i < n; i++) {
                sums[i] += p.sums[i];
                squares[i] += p.squares[i];
                if (p.maximum[i] > maximum[i]) {
                    maximum[i] = p.maximum[i];
                }
            }
            int rows = p.shape[1];
            for (int t = 0; t < whole.frames(); t++) {
                System.arraycopy(p.totals, t * rows * scanX, totals, (t * scanY + p.y0) * scanX, rows * scanX);
            }
            patterns += p.patterns;
        }
        if (shift == null) {
            throw new IllegalArgumentException("no parts to put together");
        }
        return new StatisticsPart(new int[] {whole.frames(), scanY, scanX, whole.ky(), whole.kx()}, 0, patterns, shift, sums,
            squares, maximum, totals);
    }

    /** @return the statistics these arrays hold */
    PatternStatistics toStatistics() {
        return PatternStatistics.of(Shape5D.of(shape[0], shape[1], shape[2], shape[3], shape[4]), patterns, shift, sums,
            squares, maximum, totals);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "StatisticsPart[rows %d–%d of %s, %d patterns]", y0, y0 + shape[1] - 1,
            Arrays.toString(shape), patterns);
    }
}
