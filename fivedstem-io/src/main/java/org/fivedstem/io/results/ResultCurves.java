/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.results;

import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.internal.Checks;

/**
 * The correlation curves of every scan position: {@code g(y, x, lag)} and its standard error on a
 * common lag axis (lag 0 included) — {@code /curves} of a results file. Immutable; arrays are
 * copied in and out.
 */
public final class ResultCurves {

    private final int scanY;
    private final int scanX;
    private final double[] lagsSeconds;
    private final double[] g;
    private final double[] gErr;

    private ResultCurves(int scanY, int scanX, double[] lagsSeconds, double[] g, double[] gErr) {
        this.scanY = scanY;
        this.scanX = scanX;
        this.lagsSeconds = lagsSeconds;
        this.g = g;
        this.gErr = gErr;
    }

    /**
     * @param scanY scan rows
     * @param scanX scan columns
     * @param lagsSeconds lag times in s, finite, &ge; 0, strictly increasing (copied)
     * @param g values, {@code (y * scanX + x) * lags + lag}, NaN allowed (copied)
     * @param gErr standard errors, same layout, NaN where unknown (copied)
     * @return the curves
     */
    public static ResultCurves of(int scanY, int scanX, double[] lagsSeconds, double[] g, double[] gErr) {
        check(scanY, scanX, lagsSeconds, g, gErr);
        return new ResultCurves(scanY, scanX, lagsSeconds.clone(), g.clone(), gErr.clone());
    }

    /**
     * As {@link #of}, taking the arrays over instead of copying them: for this package's readers and writers,
     * whose arrays are fresh (a paper-size scan's curves are 12 MB; one copy is enough).
     */
    static ResultCurves adopt(int scanY, int scanX, double[] lagsSeconds, double[] g, double[] gErr) {
        check(scanY, scanX, lagsSeconds, g, gErr);
        return new ResultCurves(scanY, scanX, lagsSeconds, g, gErr);
    }

    private static void check(int scanY, int scanX, double[] lagsSeconds, double[] g, double[] gErr) {
        Checks.positive("scanY", scanY);
        Checks.positive("scanX", scanX);
        Objects.requireNonNull(lagsSeconds, "lagsSeconds");
        if (lagsSeconds.length == 0) {
            throw new IllegalArgumentException("lagsSeconds is empty; expected at least lag 0");
        }
        for (int i = 0; i < lagsSeconds.length; i++) {
            Checks.nonNegative("lagsSeconds[" + i + "]", lagsSeconds[i]);
            if (i > 0 && !(lagsSeconds[i] > lagsSeconds[i - 1])) {
                throw new IllegalArgumentException(Checks.format("lagsSeconds is not strictly increasing at [%d]: %s", i, lagsSeconds[i]));
            }
        }
        long n = (long) scanY * scanX * lagsSeconds.length;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(Checks.format("%d curve values exceed one Java array", n));
        }
        Checks.length("g", (int) n, g.length);
        Checks.length("gErr", (int) n, gErr.length);
    }

    /** @return scan rows */
    public int scanY() {
        return scanY;
    }

    /** @return scan columns */
    public int scanX() {
        return scanX;
    }

    /** @return number of lags */
    public int lagCount() {
        return lagsSeconds.length;
    }

    /** @return lag times in s (a copy) */
    public double[] lagsSeconds() {
        return lagsSeconds.clone();
    }

    /** @return all g values, {@code (y * scanX + x) * lags + lag} (a copy) */
    public double[] values() {
        return g.clone();
    }

    /** @return all standard errors, same layout (a copy) */
    public double[] stdErrs() {
        return gErr.clone();
    }

    /** @return the values themselves, for this package's writer. <i>Not to be modified.</i> */
    double[] valuesShared() {
        return g;
    }

    /** @return the standard errors themselves, for this package's writer. <i>Not to be modified.</i> */
    double[] stdErrsShared() {
        return gErr;
    }

    /**
     * @param y scan row
     * @param x scan column
     * @return the curve at the position (pair counts unknown: 0; Q range and normalisation are in the metadata)
     */
    public CorrelationCurve curve(int y, int x) {
        int from = (Checks.index("y", y, scanY) * scanX + Checks.index("x", x, scanX)) * lagsSeconds.length;
        int to = from + lagsSeconds.length;
        return CorrelationCurve.of(lagsSeconds, Arrays.copyOfRange(g, from, to), Arrays.copyOfRange(gErr, from, to),
            new int[lagsSeconds.length], null, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResultCurves && scanY == ((ResultCurves) o).scanY && scanX == ((ResultCurves) o).scanX
            && Arrays.equals(lagsSeconds, ((ResultCurves) o).lagsSeconds) && Arrays.equals(g, ((ResultCurves) o).g)
            && Arrays.equals(gErr, ((ResultCurves) o).gErr);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scanY, scanX, Arrays.hashCode(lagsSeconds), Arrays.hashCode(g));
    }

    @Override
    public String toString() {
        return Checks.format("ResultCurves[%d×%d positions × %d lags %.4g–%.4g s]", scanY, scanX, lagsSeconds.length,
            lagsSeconds[0], lagsSeconds[lagsSeconds.length - 1]);
    }
}
