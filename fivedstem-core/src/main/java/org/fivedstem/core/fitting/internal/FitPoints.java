/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting.internal;

/**
 * The usable lags of one fit window, as the fit's units read them: lag t in s, ln t (−∞ at t = 0),
 * y = g − 1, and weight w = 1/σ (σ the standard error of g, or 1 for uniform weights). A reusable
 * buffer: arrays grow to the longest window seen. Not thread-safe.
 */
public final class FitPoints {

    private double[] t = new double[0];
    private double[] logT = new double[0];
    private double[] y = new double[0];
    private double[] w = new double[0];
    private int size;

    /**
     * Empties the buffer and makes room for {@code capacity} points.
     *
     * @param capacity the most points that will be added
     */
    public void clear(int capacity) {
        if (t.length < capacity) {
            t = new double[capacity];
            logT = new double[capacity];
            y = new double[capacity];
            w = new double[capacity];
        }
        size = 0;
    }

    /**
     * @param tSeconds lag t in s (≥ 0, finite)
     * @param g g(t)
     * @param stdErr σ, the standard error of g (1 for uniform weights)
     */
    public void add(double tSeconds, double g, double stdErr) {
        t[size] = tSeconds;
        logT[size] = tSeconds > 0 ? Math.log(tSeconds) : Double.NEGATIVE_INFINITY;
        y[size] = g - 1;
        w[size] = 1 / stdErr;
        size++;
    }

    /** @return the number of points m */
    public int size() {
        return size;
    }

    /**
     * @param i a point
     * @return its lag t in s
     */
    public double lag(int i) {
        return t[i];
    }

    /**
     * @param i a point
     * @return ln t (−∞ at t = 0)
     */
    public double logLag(int i) {
        return logT[i];
    }

    /**
     * @param i a point
     * @return y = g − 1
     */
    public double y(int i) {
        return y[i];
    }

    /**
     * @param i a point
     * @return w = 1/σ
     */
    public double weight(int i) {
        return w[i];
    }

    /** @return the shortest positive lag in s, +∞ if none */
    public double minPositiveLag() {
        double tMin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            if (t[i] > 0) {
                tMin = Math.min(tMin, t[i]);
            }
        }
        return tMin;
    }

    /** @return the longest lag in s (0 if none is positive) */
    public double maxLag() {
        double tMax = 0;
        for (int i = 0; i < size; i++) {
            tMax = Math.max(tMax, t[i]);
        }
        return tMax;
    }
}
