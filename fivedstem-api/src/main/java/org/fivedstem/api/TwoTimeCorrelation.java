/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.internal.Checks;

/**
 * The two-time correlation matrix G(t1, t2) of the paper's eq. 1 at one scan position over one Q
 * range: symmetric, T × T, row-major. Rows and columns of excluded frames (blank beam) are NaN.
 * Kept for ageing and non-stationarity diagnostics: in a stationary system G depends on
 * {@code t2 − t1} only. Immutable.
 */
public final class TwoTimeCorrelation {

    private final int frames;
    private final double[] values;
    private final double frameIntervalSeconds;
    private final QRange qRange;

    private TwoTimeCorrelation(int frames, double[] values, double frameIntervalSeconds, QRange qRange) {
        this.frames = frames;
        this.values = values;
        this.frameIntervalSeconds = frameIntervalSeconds;
        this.qRange = qRange;
    }

    /**
     * @param frames T
     * @param values T × T values, row-major, {@code values[t1 * T + t2]} (copied)
     * @param frameIntervalSeconds time between frames in s
     * @param qRange the annulus's Q range, or {@code null}
     * @return the matrix
     */
    public static TwoTimeCorrelation of(int frames, double[] values, double frameIntervalSeconds, QRange qRange) {
        Checks.positive("frames", frames);
        Objects.requireNonNull(values, "values");
        Checks.length("values", frames * frames, values.length);
        Checks.positive("frameIntervalSeconds", frameIntervalSeconds);
        return new TwoTimeCorrelation(frames, values.clone(), frameIntervalSeconds, qRange);
    }

    /** @return T, the number of frames */
    public int frameCount() {
        return frames;
    }

    /** @return time between frames in s */
    public double frameIntervalSeconds() {
        return frameIntervalSeconds;
    }

    /**
     * @param t1 first frame
     * @param t2 second frame
     * @return G(t1, t2)
     */
    public double value(int t1, int t2) {
        return values[Checks.index("t1", t1, frames) * frames + Checks.index("t2", t2, frames)];
    }

    /** @return the T × T values, row-major (a copy) */
    public double[] values() {
        return values.clone();
    }

    /** @return the annulus's Q range, or {@code null} if unknown */
    public QRange qRange() {
        return qRange;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TwoTimeCorrelation && ((TwoTimeCorrelation) o).frames == frames
            && Double.compare(((TwoTimeCorrelation) o).frameIntervalSeconds, frameIntervalSeconds) == 0
            && Arrays.equals(((TwoTimeCorrelation) o).values, values) && Objects.equals(((TwoTimeCorrelation) o).qRange, qRange);
    }

    @Override
    public int hashCode() {
        return Objects.hash(frames, frameIntervalSeconds, Arrays.hashCode(values), qRange);
    }

    @Override
    public String toString() {
        return Checks.format("TwoTimeCorrelation[%d×%d frames, %.4g s apart%s, G(0,0)=%.5g, G(0,%d)=%.5g]",
            frames, frames, frameIntervalSeconds, qRange == null ? "" : ", " + qRange, values[0], frames - 1, values[frames - 1]);
    }
}
