/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

import org.fivedstem.api.internal.Checks;

/**
 * One value per scan position: a relaxation-time map, a speckle-variance map, their errors.
 * {@code scanY × scanX} values, row-major, NaN where a position has no valid value. Knows its name,
 * unit and scan step, and summarises its valid values. Immutable.
 *
 * <p>Summaries ignore NaN. {@link #quantile} interpolates linearly between order statistics
 * (Hyndman–Fan type 7, the default of NumPy and R), so {@link #median()} of an even count is the
 * mean of the two middle values. These few lines are written here rather than taken from Commons
 * Math so that the api module keeps no dependencies.
 */
public final class ScalarMap {

    private final String name;
    private final String unit;
    private final int scanY;
    private final int scanX;
    private final double[] values;
    private final double scanStepYNm;
    private final double scanStepXNm;
    private final double[] sortedValid;

    private ScalarMap(String name, String unit, int scanY, int scanX, double[] values, double scanStepYNm, double scanStepXNm) {
        this.name = name;
        this.unit = unit;
        this.scanY = scanY;
        this.scanX = scanX;
        this.values = values;
        this.scanStepYNm = scanStepYNm;
        this.scanStepXNm = scanStepXNm;
        this.sortedValid = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    }

    /**
     * @param name what the map holds, e.g. {@code "tau_s"} or {@code "V"}
     * @param unit the unit of the values, e.g. {@code "s"}, or {@code ""} if dimensionless
     * @param scanY scan rows
     * @param scanX scan columns
     * @param values {@code scanY * scanX} values, row-major, NaN for invalid (copied)
     * @param scanStepYNm scan step between rows in nm
     * @param scanStepXNm scan step between columns in nm
     * @return the map
     */
    public static ScalarMap of(String name, String unit, int scanY, int scanX, double[] values,
                               double scanStepYNm, double scanStepXNm) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Checks.positive("scanY", scanY);
        Checks.positive("scanX", scanX);
        Objects.requireNonNull(values, "values");
        Checks.length("values", scanY * scanX, values.length);
        Checks.positive("scanStepYNm", scanStepYNm);
        Checks.positive("scanStepXNm", scanStepXNm);
        return new ScalarMap(name, unit, scanY, scanX, values.clone(), scanStepYNm, scanStepXNm);
    }

    /**
     * @param name what the map holds
     * @param unit the unit
     * @param scanY scan rows
     * @param scanX scan columns
     * @param scanStepYNm scan step between rows in nm
     * @param scanStepXNm scan step between columns in nm
     * @return a map with every position invalid (NaN)
     */
    public static ScalarMap empty(String name, String unit, int scanY, int scanX, double scanStepYNm, double scanStepXNm) {
        double[] v = new double[Checks.positive("scanY", scanY) * Checks.positive("scanX", scanX)];
        Arrays.fill(v, Double.NaN);
        return of(name, unit, scanY, scanX, v, scanStepYNm, scanStepXNm);
    }

    /** @return what the map holds */
    public String name() {
        return name;
    }

    /** @return the unit of the values ({@code ""} if dimensionless) */
    public String unit() {
        return unit;
    }

    /** @return scan rows */
    public int scanY() {
        return scanY;
    }

    /** @return scan columns */
    public int scanX() {
        return scanX;
    }

    /** @return scan step between rows in nm */
    public double scanStepYNm() {
        return scanStepYNm;
    }

    /** @return scan step between columns in nm */
    public double scanStepXNm() {
        return scanStepXNm;
    }

    /**
     * @param y scan row
     * @param x scan column
     * @return the value, NaN if invalid
     */
    public double get(int y, int x) {
        return values[Checks.index("y", y, scanY) * scanX + Checks.index("x", x, scanX)];
    }

    /** @return the values, row-major (a copy) */
    public double[] values() {
        return values.clone();
    }

    /**
     * @param y scan row
     * @param x scan column
     * @return whether the position holds a value
     */
    public boolean isValid(int y, int x) {
        return !Double.isNaN(get(y, x));
    }

    /** @return number of valid (non-NaN) positions */
    public int validCount() {
        return sortedValid.length;
    }

    /** @return mean of the valid values, NaN if none */
    public double mean() {
        if (sortedValid.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : sortedValid) {
            s += v;
        }
        return s / sortedValid.length;
    }

    /** @return median of the valid values, NaN if none */
    public double median() {
        return quantile(0.5);
    }

    /**
     * @return geometric mean {@code exp(mean(ln v))} of the valid values; NaN if none or if any
     *     valid value is not strictly positive
     */
    public double geometricMean() {
        if (sortedValid.length == 0 || !(sortedValid[0] > 0)) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : sortedValid) {
            s += Math.log(v);
        }
        return Math.exp(s / sortedValid.length);
    }

    /**
     * @param p probability in [0, 1]
     * @return the p-quantile of the valid values (type 7), NaN if none
     */
    public double quantile(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(Checks.format("quantile probability p is outside [0, 1]: %s", p));
        }
        int n = sortedValid.length;
        if (n == 0) {
            return Double.NaN;
        }
        double h = (n - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, n - 1);
        return sortedValid[lo] + (h - lo) * (sortedValid[hi] - sortedValid[lo]);
    }

    /** @return smallest valid value, NaN if none */
    public double min() {
        return sortedValid.length == 0 ? Double.NaN : sortedValid[0];
    }

    /** @return largest valid value, NaN if none */
    public double max() {
        return sortedValid.length == 0 ? Double.NaN : sortedValid[sortedValid.length - 1];
    }

    /**
     * @param newName the new map's name
     * @param newUnit the new map's unit
     * @param f applied to every value (NaN stays NaN unless f says otherwise)
     * @return a new map of the transformed values
     */
    public ScalarMap map(String newName, String newUnit, DoubleUnaryOperator f) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(values[i]);
        }
        return new ScalarMap(newName, newUnit, scanY, scanX, v, scanStepYNm, scanStepXNm);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ScalarMap)) {
            return false;
        }
        ScalarMap m = (ScalarMap) o;
        return name.equals(m.name) && unit.equals(m.unit) && scanY == m.scanY && scanX == m.scanX
            && Double.compare(scanStepYNm, m.scanStepYNm) == 0 && Double.compare(scanStepXNm, m.scanStepXNm) == 0
            && Arrays.equals(values, m.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, unit, scanY, scanX, scanStepYNm, scanStepXNm, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        String u = unit.isEmpty() ? "" : " " + unit;
        StringBuilder sb = new StringBuilder("ScalarMap[").append(name);
        sb.append(Checks.format(", %d×%d, step %.4g nm, %d valid", scanY, scanX, scanStepYNm, sortedValid.length));
        if (sortedValid.length > 0) {
            sb.append(Checks.format(": median %.4g%s, range %.4g–%.4g%s", median(), u, min(), max(), u));
        }
        return sb.append(']').toString();
    }
}
