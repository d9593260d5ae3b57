package org.fivedstem.core.preparation;

import java.util.Objects;

import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Selection;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.preparation.internal.ShiftedStorage;

/**
 * The scan drift of a recording over time: for each frame, how far (in scan steps and nm) the
 * sample has moved relative to frame 0 — a feature seen at scan position {@code (y, x)} in frame 0
 * is seen at {@code (y + dy(t), x + dx(t))} in frame t — and the correction that undoes it.
 *
 * <pre>{@code
 * DriftTrajectory d = DriftEstimator.defaults().estimate(stats, dataset.calibration());
 * Dataset5D fixed = d.correct(dataset);     // re-indexed by whole steps, cropped to the common field of view
 * }</pre>
 *
 * <p><b>Correction by re-indexing.</b> Each frame's positions are taken from the source shifted by
 * the drift rounded to whole steps; the scan is cropped to the region that every frame covers.
 * A residual of up to half a step per frame remains (documented in {@code docs/preparation.md});
 * sub-step interpolation is not done here because interpolating speckle patterns between
 * independent positions lowers their contrast and would bias V.
 *
 * <p>Immutable; arrays are copied in and out.
 */
public final class DriftTrajectory {

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
        int[][] w = wholeSteps();
        int minY = 0;
        int maxY = 0;
        int minX = 0;
        int maxX = 0;
        for (int t = 0; t < w[0].length; t++) {
            minY = Math.min(minY, w[0][t]);
            maxY = Math.max(maxY, w[0][t]);
            minX = Math.min(minX, w[1][t]);
            maxX = Math.max(maxX, w[1][t]);
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
     * The drift-corrected view of a whole recording: frame t's position {@code (y, x)} is the
     * source's {@code (y0 + y + dy_t, x0 + x + dx_t)} with the drift rounded to whole steps and
     * {@code (y0, x0)} the corner of the common field of view. Apply it to the whole unbinned
     * recording (after {@link FrameExclusion#applyTo}, if any), then crop and bin.
     *
     * @param dataset the whole recording, with as many frames as the trajectory
     * @return the corrected, cropped view with the same calibration and mask
     */
    public Dataset5D correct(Dataset5D dataset) {
        Objects.requireNonNull(dataset, "dataset");
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
        int[] fov = commonFieldOfView(dataset.shape().scanY(), dataset.shape().scanX());
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
