/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import java.util.Objects;

import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Selection;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.preparation.internal.ResampledStorage;
import org.fivedstem.core.preparation.internal.ShiftedStorage;

/**
 * The scan drift of a recording over time: for each frame, how far (in scan steps and nm) the
 * sample has moved relative to frame 0 — a feature seen at scan position {@code (y, x)} in frame 0
 * is seen at {@code (y + dy(t), x + dx(t))} in frame t — and the correction that undoes it.
 *
 * <pre>{@code
 * DriftTrajectory d = DriftEstimator.defaults().estimate(stats, dataset.calibration());
 * Dataset5D fixed = d.correct(dataset);     // re-indexed by whole steps, cropped to the common field of view
 * Dataset5D smooth = d.correct(dataset, DriftTrajectory.Resampling.BILINEAR);   // interpolated (read the caveat)
 * }</pre>
 *
 * <p><b>Correction.</b> {@link Resampling#WHOLE_STEPS} (the default) takes each frame's positions
 * from the source shifted by the drift rounded to whole steps: no pattern is altered, and a
 * residual of up to half a step per frame remains. {@link Resampling#BILINEAR} interpolates each
 * corrected pattern from the four source positions around the drifted one: no residual beyond
 * the estimate's error, but every pattern becomes a weighted sum {@code Σ w_k I_k} of up to four
 * measured ones, which changes its speckle statistics (see {@link Resampling#BILINEAR}). Either
 * way the scan is cropped to the region that every frame covers.
 *
 * <p>Immutable; arrays are copied in and out.
 */
public final class DriftTrajectory {

    /** How {@link #correct(Dataset5D, Resampling)} moves each frame's patterns back by the drift. */
    public enum Resampling {
        /**
         * Re-index positions by the drift rounded to whole steps; every pattern is a measured one
         * (bit for bit), a residual drift of up to ±0.5 step per frame remains. The default.
         */
        WHOLE_STEPS("whole steps"),
        /**
         * Interpolate bilinearly between the four source positions around the drifted one
         * (weights {@code (1−fy)(1−fx), (1−fy)fx, fy(1−fx), fy·fx} for the fractional drift
         * {@code (fy, fx)}); whole-step drifts give the source patterns bit for bit, and frame 0
         * is never resampled. Each corrected pattern is {@code I = Σ w_k I_k}.
         *
         * <p><b>Caveat — speckle contrast.</b> If the probe does not overlap between neighbouring
         * positions, their speckle is independent, and a weighted sum of independent speckle
         * patterns of equal mean has its intensity variance scaled by {@code Σ w_k²} (1 at whole
         * steps, down to ¼ half-way between four positions). The speckle variance V (eq. 5) and
         * the contrast β of g(t) then drop by about that factor, varying from frame to frame with
         * the fractional drift, which also shows up as spurious decorrelation in g(t). Use it when
         * the probe overlaps between steps (step smaller than the probe, so neighbouring patterns
         * are strongly correlated) or when a sub-step residual matters more than the contrast;
         * otherwise keep {@link #WHOLE_STEPS}.
         */
        BILINEAR("bilinear");

        private final String label;

        Resampling(String label) {
            this.label = label;
        }

        /** @return a short name for messages and results files: {@code "whole steps"} or {@code "bilinear"} */
        public String label() {
            return label;
        }

        /**
         * @param text {@code whole}, {@code whole-steps}, {@code whole steps}, {@code whole_steps} or
         *     {@code bilinear} (case-insensitive)
         * @return the resampling
         * @throws IllegalArgumentException naming the text and the accepted values
         */
        public static Resampling parse(String text) {
            String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT).replace('-', ' ').replace('_', ' ');
            switch (t) {
                case "whole", "whole steps", "whole step" -> {
                    return WHOLE_STEPS;
                }
                case "bilinear" -> {
                    return BILINEAR;
                }
                default -> throw new IllegalArgumentException(Checks.format(
                    "drift resampling '%s' is not one of whole, bilinear", text));
            }
        }
    }

    /** Bytes of source patterns that {@link Resampling#BILINEAR} buffers at a time (per visit). */
    static final long BILINEAR_BUFFER_BYTES = 32L << 20;

    private final double[] timeSeconds;
    private final double[] dySteps;
    private final double[] dxSteps;
    private final double[] peak;
    private final double[] significance;
    private final double stepYNm;
    private final double stepXNm;

    /**
     * Smallest registration significance (correlation peak in standard deviations of the rest of
     * the correlation surface) for which {@link #correct} trusts a frame: unrelated noise images
     * of a few thousand positions reach about 4; 8 leaves a wide margin.
     */
    public static final double MIN_SIGNIFICANCE = 8;

    private DriftTrajectory(double[] t, double[] dy, double[] dx, double[] peak, double[] significance, double stepYNm,
                            double stepXNm) {
        this.timeSeconds = t;
        this.dySteps = dy;
        this.dxSteps = dx;
        this.peak = peak;
        this.significance = significance;
        this.stepYNm = stepYNm;
        this.stepXNm = stepXNm;
    }

    /**
     * @param timeSeconds frame times in s (copied)
     * @param dySteps drift along rows in scan steps, frame 0 = 0 (copied)
     * @param dxSteps drift along columns in scan steps (copied)
     * @param peak registration quality per frame (phase-correlation peak, 1 = perfect; NaN if unknown) (copied)
     * @param calibration gives the scan steps in nm
     * @return the trajectory
     */
    public static DriftTrajectory of(double[] timeSeconds, double[] dySteps, double[] dxSteps, double[] peak,
                                     Calibration calibration) {
        double[] z = new double[timeSeconds.length];
        java.util.Arrays.fill(z, Double.POSITIVE_INFINITY);
        return of(timeSeconds, dySteps, dxSteps, peak, z, calibration);
    }

    /**
     * @param timeSeconds frame times in s (copied)
     * @param dySteps drift along rows in scan steps, frame 0 = 0 (copied)
     * @param dxSteps drift along columns in scan steps (copied)
     * @param peak registration peak height per frame (copied)
     * @param significance registration significance per frame (copied; +∞ for frame 0)
     * @param calibration gives the scan steps in nm
     * @return the trajectory
     */
    public static DriftTrajectory of(double[] timeSeconds, double[] dySteps, double[] dxSteps, double[] peak,
                                     double[] significance, Calibration calibration) {
        int n = timeSeconds.length;
        Checks.length("significance", n, significance.length);
        Checks.length("dySteps", n, dySteps.length);
        Checks.length("dxSteps", n, dxSteps.length);
        Checks.length("peak", n, peak.length);
        if (n == 0) {
            throw new IllegalArgumentException("a drift trajectory needs at least one frame");
        }
        for (int t = 0; t < n; t++) {
            Checks.finite("dySteps[" + t + "]", dySteps[t]);
            Checks.finite("dxSteps[" + t + "]", dxSteps[t]);
        }
        return new DriftTrajectory(timeSeconds.clone(), dySteps.clone(), dxSteps.clone(), peak.clone(), significance.clone(),
            calibration.scanStepYNm(), calibration.scanStepXNm());
    }

    /** @return number of frames */
    public int frames() {
        return timeSeconds.length;
    }

    /** @return frame times in s */
    public double[] timeSeconds() {
        return timeSeconds.clone();
    }

    /** @return drift along rows in scan steps */
    public double[] dySteps() {
        return dySteps.clone();
    }

    /** @return drift along columns in scan steps */
    public double[] dxSteps() {
        return dxSteps.clone();
    }

    /** @return drift along rows in nm */
    public double[] dyNm() {
        double[] v = dySteps.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] *= stepYNm;
        }
        return v;
    }

    /** @return drift along columns in nm */
    public double[] dxNm() {
        double[] v = dxSteps.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] *= stepXNm;
        }
        return v;
    }

    /** @return phase-correlation peak height per frame (registration quality) */
    public double[] peak() {
        return peak.clone();
    }

    /** @return registration significance per frame (see {@link #MIN_SIGNIFICANCE}) */
    public double[] significance() {
        return significance.clone();
    }

    /** @return the frames whose registration is not significant ({@link #MIN_SIGNIFICANCE}), ascending */
    public int[] unreliableFrames() {
        return java.util.stream.IntStream.range(0, significance.length)
            .filter(t -> !(significance[t] >= MIN_SIGNIFICANCE)).toArray();
    }

    /** @return the largest drift from frame 0 in nm */
    public double maxDriftNm() {
        double m = 0;
        for (int t = 0; t < dySteps.length; t++) {
            m = Math.max(m, Math.hypot(dySteps[t] * stepYNm, dxSteps[t] * stepXNm));
        }
        return m;
    }

    /** @return the drift rounded to whole steps, {rows[], columns[]} */
    public int[][] wholeSteps() {
        int[][] w = new int[2][dySteps.length];
        for (int t = 0; t < dySteps.length; t++) {
            w[0][t] = (int) Math.round(dySteps[t]);
            w[1][t] = (int) Math.round(dxSteps[t]);
        }
        return w;
    }

    /**
     * @param scanY rows of the recording
     * @param scanX columns of the recording
     * @return the field of view every frame covers after whole-step correction, in frame-0
     *     coordinates {yStart, yEnd, xStart, xEnd} (end exclusive)
     * @throws IllegalArgumentException if the drift exceeds the scan (no common field of view)
     */
    public int[] commonFieldOfView(int scanY, int scanX) {
        return commonFieldOfView(scanY, scanX, Resampling.WHOLE_STEPS);
    }

    /**
     * @param scanY rows of the recording
     * @param scanX columns of the recording
     * @param resampling the correction: for {@link Resampling#BILINEAR} every frame must cover
     *     the corrected positions with all the neighbours it interpolates from (those of non-zero
     *     weight), so the field of view is one row or column smaller than for whole steps per
     *     direction with a fractional drift
     * @return the field of view every frame covers after correction, in frame-0 coordinates
     *     {yStart, yEnd, xStart, xEnd} (end exclusive)
     * @throws IllegalArgumentException if the drift exceeds the scan (no common field of view)
     */
    public int[] commonFieldOfView(int scanY, int scanX, Resampling resampling) {
        Objects.requireNonNull(resampling, "resampling");
        int minY = 0;
        int maxY = 0;
        int minX = 0;
        int maxX = 0;
        for (int t = 0; t < dySteps.length; t++) {
            int[] ry = sourceSpan(dySteps[t], resampling);
            int[] rx = sourceSpan(dxSteps[t], resampling);
            minY = Math.min(minY, ry[0]);
            maxY = Math.max(maxY, ry[1]);
            minX = Math.min(minX, rx[0]);
            maxX = Math.max(maxX, rx[1]);
        }
        int y0 = -minY;
        int y1 = scanY - maxY;
        int x0 = -minX;
        int x1 = scanX - maxX;
        if (y1 <= y0 || x1 <= x0) {
            throw new IllegalArgumentException(Checks.format(
                "the drift (%d to %d rows, %d to %d columns) is larger than the %d×%d scan: no common field of view",
                minY, maxY, minX, maxX, scanY, scanX));
        }
        return new int[] {y0, y1, x0, x1};
    }

    /**
     * The source offsets (relative to the corrected position) that a drift of d steps reads:
     * {lowest, highest}. Whole steps: the rounded drift. Bilinear: ⌊d⌋ and, when the fraction is
     * not 0, ⌊d⌋ + 1 (the same arithmetic as {@code internal.ResampledStorage}).
     */
    private static int[] sourceSpan(double d, Resampling resampling) {
        if (resampling == Resampling.WHOLE_STEPS) {
            int r = (int) Math.round(d);
            return new int[] {r, r};
        }
        double f = Math.floor(d);
        return new int[] {(int) f, (int) f + (d - f > 0 ? 1 : 0)};
    }

    /**
     * The drift-corrected view of a whole recording by whole steps,
     * {@link #correct(Dataset5D, Resampling) correct(dataset, Resampling.WHOLE_STEPS)}.
     *
     * @param dataset the whole recording, with as many frames as the trajectory
     * @return the corrected, cropped view with the same calibration and mask
     */
    public Dataset5D correct(Dataset5D dataset) {
        return correct(dataset, Resampling.WHOLE_STEPS);
    }

    /**
     * The drift-corrected view of a whole recording: frame t's position {@code (y, x)} is the
     * source's {@code (y0 + y + dy_t, x0 + x + dx_t)}, with {@code (y0, x0)} the corner of the
     * common field of view ({@link #commonFieldOfView(int, int, Resampling)}) and the drift
     * rounded to whole steps ({@link Resampling#WHOLE_STEPS}) or interpolated bilinearly between
     * the four positions around it ({@link Resampling#BILINEAR}; read its caveat). Apply it to the
     * whole unbinned recording (after {@link FrameExclusion#applyTo}, if any), then crop and bin.
     * Without any drift the dataset itself is returned.
     *
     * <p>The view streams with bounded memory: whole steps read, for each block asked for, one
     * box of the file covering it in all frames; bilinear reads tiles of at most 32 MiB of
     * patterns (or of the requested pixels only, through
     * {@link org.fivedstem.api.PatternStorage#visitPixels}) and interpolates them.
     *
     * @param dataset the whole recording, with as many frames as the trajectory
     * @param resampling whole steps or bilinear
     * @return the corrected, cropped view with the same calibration and mask
     * @throws IllegalArgumentException if the dataset is a view (crop, time range, bin), its
     *     frames differ from the trajectory's, a frame's drift is not determined
     *     ({@link #unreliableFrames()}), or no field of view is common to all frames
     */
    public Dataset5D correct(Dataset5D dataset, Resampling resampling) {
        return correct(dataset, resampling, BILINEAR_BUFFER_BYTES);
    }

    /** {@link #correct(Dataset5D, Resampling)} with the bilinear buffer budget given (for tests of the tiling). */
    Dataset5D correct(Dataset5D dataset, Resampling resampling, long bufferBytes) {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(resampling, "resampling");
        if (dataset.binFactor() != 1 || !dataset.selection().equals(Selection.all(dataset.storage().shape()))) {
            throw new IllegalArgumentException("drift correction applies to the whole unbinned recording; apply it before crop, "
                + "timeRange or bin (dataset: " + dataset.shape() + ", view of " + dataset.selection() + ")");
        }
        if (dataset.shape().frames() != frames()) {
            throw new IllegalArgumentException(Checks.format("the trajectory has %d frames, the dataset %d", frames(),
                dataset.shape().frames()));
        }
        int[] bad = unreliableFrames();
        if (bad.length > 0) {
            double worst = Double.POSITIVE_INFINITY;
            for (double z : significance) {
                worst = Math.min(worst, z);
            }
            throw new IllegalArgumentException(Checks.format(
                "the drift of %d of %d frames (first: frame %d) is not determined: their virtual images do not match frame 0's "
                    + "(registration significance down to %.1f, need %.0f); the image has too little lasting structure to "
                    + "correct the drift by", bad.length, frames(), bad[0], worst, MIN_SIGNIFICANCE));
        }
        int[] fov = commonFieldOfView(dataset.shape().scanY(), dataset.shape().scanX(), resampling);
        if (resampling == Resampling.BILINEAR) {
            boolean moved = false;
            for (int t = 0; t < frames(); t++) {
                moved |= dySteps[t] != 0 || dxSteps[t] != 0;
            }
            if (!moved) {
                return dataset;
            }
            return Dataset5D.of(new ResampledStorage(dataset.storage(), fov[0], fov[2], dySteps, dxSteps, fov[1] - fov[0],
                fov[3] - fov[2], bufferBytes), dataset.calibration()).withMask(dataset.mask().orElse(null));
        }
        int[][] w = wholeSteps();
        int[] offY = new int[frames()];
        int[] offX = new int[frames()];
        boolean any = false;
        for (int t = 0; t < frames(); t++) {
            offY[t] = fov[0] + w[0][t];
            offX[t] = fov[2] + w[1][t];
            any |= w[0][t] != 0 || w[1][t] != 0;
        }
        if (!any) {
            return dataset;
        }
        return Dataset5D.of(new ShiftedStorage(dataset.storage(), offY, offX, fov[1] - fov[0], fov[3] - fov[2]),
            dataset.calibration()).withMask(dataset.mask().orElse(null));
    }

    @Override
    public String toString() {
        int n = frames();
        double worst = Double.POSITIVE_INFINITY;
        for (double z : significance) {
            worst = Math.min(worst, z);
        }
        return Checks.format("DriftTrajectory[%d frames over %.4g s, final (%.3f, %.3f) steps = (%.3g, %.3g) nm, max %.3g nm, "
                + "min significance %.1f]", n, timeSeconds[n - 1], dySteps[n - 1], dxSteps[n - 1], dySteps[n - 1] * stepYNm,
            dxSteps[n - 1] * stepXNm, maxDriftNm(), worst);
    }
}
