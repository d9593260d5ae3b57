/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fluctuation;

import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.internal.Checks;

/**
 * Time averages of the per-frame speckle variance at every scan position: the structural map
 * (the paper: "we measured V for all scanning points and averaged it over time") and, per Q bin,
 * the V(Q) profile of every position.
 *
 * <p>{@link #add(int, double, double[], int)} takes the per-frame values a
 * {@link SpeckleVarianceKernel} produced; {@link #accept(int, double[])} runs an internal kernel
 * on a pattern. A frame whose V is NaN (blank or non-finite, see the kernel) is excluded from the
 * average and counted, for the whole annulus and per bin separately. The average is the plain mean
 * of the included frames, summed in the order they were added — add frames in frame order (as
 * storage delivers them) and results do not depend on how the work was split among threads.
 *
 * <p>Mutable, not thread-safe; the arrays are allocated once.
 */
public final class SpeckleVarianceAccumulator {

    private final int positions;
    private final int bins;
    private final double[] sum;
    private final int[] used;
    private final int[] excluded;
    private final double[] binSum;
    private final int[] binUsed;
    private final SpeckleVarianceKernel kernel;
    private final double[] frameBins;

    /**
     * @param positions number of scan positions ({@code scanY * scanX})
     * @param kernel the kernel whose output is accumulated (its bin count is used; {@link #accept}
     *     runs it)
     */
    public SpeckleVarianceAccumulator(int positions, SpeckleVarianceKernel kernel) {
        this.positions = Checks.positive("positions", positions);
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.bins = kernel.binCount();
        this.sum = new double[positions];
        this.used = new int[positions];
        this.excluded = new int[positions];
        this.binSum = new double[Math.multiplyExact(positions, bins)];
        this.binUsed = new int[Math.multiplyExact(positions, bins)];
        this.frameBins = new double[bins];
    }

    /**
     * Computes V of one pattern with the kernel and adds it.
     *
     * @param position the scan position {@code y * scanX + x}
     * @param pattern the pattern. <i>Not modified.</i>
     * @return the frame's V over the whole annulus (NaN if excluded)
     */
    public double accept(int position, double[] pattern) {
        double v = kernel.variance(pattern, frameBins, 0);
        add(position, v, frameBins, 0);
        return v;
    }

    /**
     * Adds one frame's values at a position.
     *
     * @param position the scan position {@code y * scanX + x}
     * @param variance V over the whole annulus, NaN if the frame is excluded
     * @param binVariance per-bin V at {@code offset + b}, or {@code null} if only the whole annulus is
     *     tracked. <i>Not modified.</i>
     * @param offset where bin 0 lies in {@code binVariance}
     */
    public void add(int position, double variance, double[] binVariance, int offset) {
        Checks.index("position", position, positions);
        if (Double.isNaN(variance)) {
            excluded[position]++;
        } else {
            sum[position] += variance;
            used[position]++;
        }
        if (binVariance != null) {
            int base = position * bins;
            for (int b = 0; b < bins; b++) {
                double v = binVariance[offset + b];
                if (!Double.isNaN(v)) {
                    binSum[base + b] += v;
                    binUsed[base + b]++;
                }
            }
        }
    }

    /** @return number of scan positions */
    public int positionCount() {
        return positions;
    }

    /** @return number of Q bins */
    public int binCount() {
        return bins;
    }

    /** @return the kernel */
    public SpeckleVarianceKernel kernel() {
        return kernel;
    }

    /**
     * @param position scan position
     * @return the time-averaged V over the whole annulus, NaN if no frame was included
     */
    public double mean(int position) {
        Checks.index("position", position, positions);
        return used[position] == 0 ? Double.NaN : sum[position] / used[position];
    }

    /**
     * @param position scan position
     * @param bin Q bin
     * @return the time-averaged V of the bin, NaN if no frame was included
     */
    public double mean(int position, int bin) {
        Checks.index("position", position, positions);
        Checks.index("bin", bin, bins);
        int i = position * bins + bin;
        return binUsed[i] == 0 ? Double.NaN : binSum[i] / binUsed[i];
    }

    /** @return the time-averaged V per position (a new array; NaN where no frame was included) */
    public double[] means() {
        double[] out = new double[positions];
        for (int p = 0; p < positions; p++) {
            out[p] = used[p] == 0 ? Double.NaN : sum[p] / used[p];
        }
        return out;
    }

    /** @return time-averaged V per position and bin, {@code [position * bins + bin]} (a new array) */
    public double[] binMeans() {
        double[] out = new double[binSum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = binUsed[i] == 0 ? Double.NaN : binSum[i] / binUsed[i];
        }
        return out;
    }

    /**
     * @param position scan position
     * @return frames included in the whole-annulus average
     */
    public int usedFrames(int position) {
        return used[Checks.index("position", position, positions)];
    }

    /**
     * @param position scan position
     * @return frames excluded (blank or non-finite) from the whole-annulus average
     */
    public int excludedFrames(int position) {
        return excluded[Checks.index("position", position, positions)];
    }

    /** @return frames excluded over all positions */
    public long excludedFrames() {
        long n = 0;
        for (int e : excluded) {
            n += e;
        }
        return n;
    }

    /** @return frames included over all positions */
    public long usedFrames() {
        long n = 0;
        for (int u : used) {
            n += u;
        }
        return n;
    }

    /** Forgets everything added. */
    public void clear() {
        Arrays.fill(sum, 0);
        Arrays.fill(used, 0);
        Arrays.fill(excluded, 0);
        Arrays.fill(binSum, 0);
        Arrays.fill(binUsed, 0);
    }

    @Override
    public String toString() {
        return Checks.format("SpeckleVarianceAccumulator[%d positions, %d bins, %d frames used, %d excluded]",
            positions, bins, usedFrames(), excludedFrames());
    }
}
