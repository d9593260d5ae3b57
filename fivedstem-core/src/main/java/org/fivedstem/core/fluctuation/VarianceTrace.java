/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fluctuation;

import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.statistics.Spearman;

/**
 * V over time at one scan position: a stationarity check. The time average the structural map
 * uses is meaningful only if V does not drift (beam damage, contamination, crystallisation). Gives
 * the per-frame V and a monotone-trend test: Spearman's ρ of V against time with its p-value
 * (exact for ≤ 10 usable frames, t-approximation otherwise; frames are treated as independent).
 * Immutable; equality compares values bit-wise.
 */
public final class VarianceTrace {

    private final int y;
    private final int x;
    private final double[] timesSeconds;
    private final double[] variance;
    private final double trendRho;
    private final double trendPValue;

    private VarianceTrace(int y, int x, double[] timesSeconds, double[] variance) {
        this.y = y;
        this.x = x;
        this.timesSeconds = timesSeconds;
        this.variance = variance;
        this.trendRho = Spearman.rho(timesSeconds, variance);
        this.trendPValue = Spearman.pValue(timesSeconds, variance);
    }

    /**
     * @param y scan row
     * @param x scan column
     * @param timesSeconds time of each frame in s (copied)
     * @param variance V of each frame, NaN for excluded frames (copied)
     * @return the trace
     */
    public static VarianceTrace of(int y, int x, double[] timesSeconds, double[] variance) {
        Objects.requireNonNull(timesSeconds, "timesSeconds");
        Objects.requireNonNull(variance, "variance");
        Checks.length("variance", timesSeconds.length, variance.length);
        return new VarianceTrace(y, x, timesSeconds.clone(), variance.clone());
    }

    /** @return scan row */
    public int y() {
        return y;
    }

    /** @return scan column */
    public int x() {
        return x;
    }

    /** @return frame times in s (a copy) */
    public double[] timesSeconds() {
        return timesSeconds.clone();
    }

    /** @return V per frame, NaN for excluded frames (a copy) */
    public double[] variance() {
        return variance.clone();
    }

    /** @return number of frames with a defined V */
    public int usedFrames() {
        return (int) Arrays.stream(variance).filter(v -> !Double.isNaN(v)).count();
    }

    /** @return mean V over the used frames (the value the map holds), NaN if none */
    public double mean() {
        return Arrays.stream(variance).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    /** @return Spearman's ρ of V against time: near 0 for a stationary trace */
    public double trendRho() {
        return trendRho;
    }

    /** @return two-sided p-value of the trend (small: V drifts) */
    public double trendPValue() {
        return trendPValue;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof VarianceTrace)) {
            return false;
        }
        VarianceTrace t = (VarianceTrace) o;
        return y == t.y && x == t.x && Arrays.equals(timesSeconds, t.timesSeconds) && Arrays.equals(variance, t.variance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(y, x, Arrays.hashCode(variance));
    }

    @Override
    public String toString() {
        return Checks.format("VarianceTrace[(y %d, x %d), %d frames (%d used), mean V %.4g, trend rho %.3f (p = %.3g)]",
            y, x, variance.length, usedFrames(), mean(), trendRho, trendPValue);
    }
}
