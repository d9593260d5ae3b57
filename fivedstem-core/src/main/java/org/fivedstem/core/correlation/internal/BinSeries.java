/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

/**
 * One Q bin's intensities over the recording, as the routes read them: x_p(t) of the bin's P pixels,
 * frame-major ({@code x[t·P + p]}), their frame means m(t) = Σ_p x_p(t) / P, and which frames are
 * <i>usable</i> (m(t) ≠ 0) or <i>blank</i> (m(t) = 0: beam blanked; every pair containing a blank
 * frame is left out). The intensities can be turned once, in place, into the relative intensities
 * J_p(t) = x_p(t)/m(t) (0 on blank frames) of the ensemble normalisation ({@link #relative()}).
 *
 * <p>A reusable workspace: arrays grow to the largest bin seen and are then reused, so gathering
 * allocates nothing. Not thread-safe.
 */
public final class BinSeries {

    private int frames;
    private int pixels;
    private double[] x = new double[0];          // T × P frame-major: raw, or J after relative()
    private double[] mean = new double[0];       // T
    private boolean[] usable = new boolean[0];   // T
    private double[] usableMask = new double[0]; // T: 1 usable, 0 blank
    private int[] blankList = new int[0];
    private int blankCount;
    private boolean finite;
    private boolean relative;
    /**
     * The float series itself when a {@link #gather(float[], int, int, int[], int)} took all of its
     * pixels in order (the engine's single-bin case): then x is not filled until a route asks for it
     * ({@link #raw()}, {@link #relative()}), and the pixel-group route reads the floats directly
     * ({@link #rawFloats()}), which saves a copy of the bin per position. Null otherwise.
     */
    private float[] floats;

    /**
     * Copies one bin's pixels out of a position's series and computes the frame means.
     *
     * @param series intensities, {@code series[t·stride + p]}. Not modified.
     * @param frames T
     * @param stride pixels per frame in {@code series}
     * @param members indices (into a frame's pixels) of this bin's pixels. Not modified.
     * @param pixels P, the number of members used
     * @return this
     */
    public BinSeries gather(double[] series, int frames, int stride, int[] members, int pixels) {
        int t = frames;
        int p = pixels;
        begin(t, p, null);
        boolean allFinite = true;
        for (int f = 0; f < t; f++) {
            int row = f * stride;
            int out = f * p;
            double sum = 0;
            for (int j = 0; j < p; j++) {
                double v = series[row + members[j]];
                x[out + j] = v;
                sum += v;
            }
            allFinite &= frame(f, sum);
        }
        finite = allFinite;
        return this;
    }

    /**
     * Sizes the workspace for a gather of T frames × P pixels ({@code x} only when the bin is copied,
     * {@code floats} null) and clears the blank frames.
     */
    private void begin(int t, int p, float[] floats) {
        this.frames = t;
        this.pixels = p;
        this.relative = false;
        this.floats = floats;
        if (floats == null) {
            x = Grow.of(x, t * p);
        }
        mean = Grow.of(mean, t);
        usableMask = Grow.of(usableMask, t);
        if (usable.length < t) {
            usable = new boolean[t];
            blankList = new int[t];
        }
        blankCount = 0;
    }

    /**
     * Records frame f's mean from the sum of its pixels, and whether it is usable (a blank frame, mean 0,
     * is not).
     *
     * @return whether the sum is finite
     */
    private boolean frame(int f, double sum) {
        double m = sum / pixels;
        mean[f] = m;
        usable[f] = m != 0;
        usableMask[f] = usable[f] ? 1 : 0;
        if (!usable[f]) {
            blankList[blankCount++] = f;
        }
        return Double.isFinite(sum);
    }

    /**
     * As {@link #gather(double[], int, int, int[], int)} from intensities held in {@code float}
     * (whole counts below 2²⁴, which the streaming engine keeps so): each value is widened to
     * {@code double} exactly where it is read, so everything computed from the bin has the same
     * bits as from a {@code double} series of the same values. When the bin is the whole series
     * in order (one bin, {@code members} 0 … P−1, {@code stride} P — the engine's case) nothing is
     * copied: the bin refers to {@code series}, which must then stay unchanged while the bin is
     * used, and the doubles are made only if a route asks for them ({@link #rawFloats()}).
     *
     * @param series intensities, {@code series[t·stride + p]}. Not modified.
     * @param frames T
     * @param stride pixels per frame in {@code series}
     * @param members indices (into a frame's pixels) of this bin's pixels. Not modified.
     * @param pixels P, the number of members used
     * @return this
     */
    public BinSeries gather(float[] series, int frames, int stride, int[] members, int pixels) {
        int t = frames;
        int p = pixels;
        boolean whole = stride == p;
        for (int j = 0; whole && j < p; j++) {
            whole = members[j] == j;
        }
        begin(t, p, whole ? series : null);
        boolean allFinite = true;
        for (int f = 0; f < t; f++) {
            int row = f * stride;
            int out = f * p;
            double sum = 0;
            if (whole) {
                for (int j = 0; j < p; j++) {
                    sum += series[row + j];
                }
            } else {
                for (int j = 0; j < p; j++) {
                    double v = series[row + members[j]];
                    x[out + j] = v;
                    sum += v;
                }
            }
            allFinite &= frame(f, sum);
        }
        finite = allFinite;
        return this;
    }

    /** @return T */
    public int frames() {
        return frames;
    }

    /** @return P */
    public int pixels() {
        return pixels;
    }

    /** @return the number of blank frames (mean exactly 0) */
    public int blankFrames() {
        return blankCount;
    }

    /**
     * @return false when some intensity is NaN or infinite (every g of the bin is then NaN); judged
     *     from each frame's sum, so an overflowing sum counts as non-finite too
     */
    public boolean finite() {
        return finite;
    }

    /**
     * @return the raw intensities x, {@code x[t·P + p]}; the array is the workspace's (longer than
     *     T·P). Not to be modified.
     * @throws IllegalStateException after {@link #relative()}
     */
    double[] raw() {
        if (relative) {
            throw new IllegalStateException("the bin's intensities were already made relative");
        }
        materialise();
        return x;
    }

    /**
     * @return the raw intensities as the float series they were gathered from, {@code x[t·P + p]}
     *     widened exactly, when the bin is all of that series in order and was not yet copied
     *     ({@link #gather(float[], int, int, int[], int)}); else null (read {@link #raw()}). Not to be modified.
     */
    float[] rawFloats() {
        return relative ? null : floats;
    }

    /** Widens the float series into x, once, when a route needs the doubles. */
    private void materialise() {
        float[] f = floats;
        if (f == null) {
            return;
        }
        int n = frames * pixels;
        x = Grow.of(x, n);
        for (int i = 0; i < n; i++) {
            x[i] = f[i];
        }
        floats = null;
    }

    /**
     * Turns the intensities into J_p(t) = x_p(t)/m(t), 0 on blank frames, the first time it is
     * called after {@link #gather}.
     *
     * @return J, {@code J[t·P + p]}; the workspace's array. Not to be modified.
     */
    double[] relative() {
        if (!relative) {
            materialise();
            int t = frames;
            int p = pixels;
            for (int f = 0; f < t; f++) {
                double inv = usable[f] ? 1 / mean[f] : 0;
                int row = f * p;
                for (int j = 0; j < p; j++) {
                    x[row + j] *= inv;
                }
            }
            relative = true;
        }
        return x;
    }

    /** @return m(t), the frame means of the raw intensities (T values). Not to be modified. */
    double[] mean() {
        return mean;
    }

    /** @return whether each frame is usable (T values). Not to be modified. */
    boolean[] usable() {
        return usable;
    }

    /** @return 1 for a usable frame, 0 for a blank one (T values). Not to be modified. */
    double[] usableMask() {
        return usableMask;
    }

    /** @return the blank frames, ascending, in the first {@link #blankFrames()} entries. Not to be modified. */
    int[] blankList() {
        return blankList;
    }
}
