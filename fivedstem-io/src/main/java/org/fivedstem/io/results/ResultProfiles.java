/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.results;

import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.QRange;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.fluctuation.SpeckleVariance;

/**
 * The speckle-variance profile V(Q) of every scan position: the time-averaged V (eq. 5) of each Q bin
 * of the structure annulus — {@code /profiles} of a results file. What a reader looks at beside a
 * position's g(t) to see at which Q its structure differs from its neighbours'. Immutable; arrays are
 * copied in and out.
 */
public final class ResultProfiles {

    private final int scanY;
    private final int scanX;
    private final QRange[] bins;
    private final double[] values;

    private ResultProfiles(int scanY, int scanX, QRange[] bins, double[] values) {
        this.scanY = scanY;
        this.scanX = scanX;
        this.bins = bins;
        this.values = values;
    }

    /**
     * @param scanY scan rows
     * @param scanX scan columns
     * @param bins the Q bins, in nm⁻¹, in increasing order of Q (copied)
     * @param values V per position and bin, {@code (y * scanX + x) * bins + bin}, NaN where no frame was
     *     usable (copied)
     * @return the profiles
     */
    public static ResultProfiles of(int scanY, int scanX, QRange[] bins, double[] values) {
        check(scanY, scanX, bins, values);
        return new ResultProfiles(scanY, scanX, bins.clone(), values.clone());
    }

    /** As {@link #of}, taking the arrays over instead of copying them: for this package, whose arrays are fresh. */
    static ResultProfiles adopt(int scanY, int scanX, QRange[] bins, double[] values) {
        check(scanY, scanX, bins, values);
        return new ResultProfiles(scanY, scanX, bins, values);
    }

    private static void check(int scanY, int scanX, QRange[] bins, double[] values) {
        Checks.positive("scanY", scanY);
        Checks.positive("scanX", scanX);
        Objects.requireNonNull(bins, "bins");
        if (bins.length == 0) {
            throw new IllegalArgumentException("bins is empty; expected at least one Q bin");
        }
        for (int i = 0; i < bins.length; i++) {
            Objects.requireNonNull(bins[i], "bins[" + i + "]");
            if (i > 0 && !(bins[i].qMinInverseNm() >= bins[i - 1].qMinInverseNm())) {
                throw new IllegalArgumentException(Checks.format("bins are not in increasing order of Q at [%d]: %s after %s",
                    i, bins[i], bins[i - 1]));
            }
        }
        long n = (long) scanY * scanX * bins.length;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(Checks.format("%d profile values exceed one Java array", n));
        }
        Checks.length("values", (int) n, values.length);
    }

    /** @return scan rows */
    public int scanY() {
        return scanY;
    }

    /** @return scan columns */
    public int scanX() {
        return scanX;
    }

    /** @return number of Q bins */
    public int binCount() {
        return bins.length;
    }

    /** @return the Q bins in nm⁻¹ (a copy) */
    public QRange[] bins() {
        return bins.clone();
    }

    /** @return all values, {@code (y * scanX + x) * bins + bin} (a copy) */
    public double[] values() {
        return values.clone();
    }

    /**
     * @param y scan row
     * @param x scan column
     * @return V per Q bin at the position (NaN where no frame was usable)
     */
    public double[] profile(int y, int x) {
        int from = (Checks.index("y", y, scanY) * scanX + Checks.index("x", x, scanX)) * bins.length;
        return Arrays.copyOfRange(values, from, from + bins.length);
    }

    /**
     * @return V(Q) averaged over the positions, per bin, each over the positions where it is finite
     *     ({@link SpeckleVariance#meanProfile}, as {@code AnalysisResult.meanSpeckleVarianceProfile()} computes
     *     it); NaN for a bin finite nowhere
     */
    public double[] meanProfile() {
        return SpeckleVariance.meanProfile(values, bins.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResultProfiles && scanY == ((ResultProfiles) o).scanY && scanX == ((ResultProfiles) o).scanX
            && Arrays.equals(bins, ((ResultProfiles) o).bins) && Arrays.equals(values, ((ResultProfiles) o).values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scanY, scanX, Arrays.hashCode(bins), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return Checks.format("ResultProfiles[%d×%d positions × %d Q bins %.4g–%.4g nm⁻¹]", scanY, scanX, bins.length,
            bins[0].qMinInverseNm(), bins[bins.length - 1].qMaxInverseNm());
    }
}
