package org.fivedstem.io.results;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.internal.Checks;

/**
 * What was done to a recording before the analysis, as stored in a results file: the detector
 * mask the analysis used ({@code /mask}), and under {@code /preparation} the estimated pattern
 * centre, the pixel counts of the automatic mask, the patterns excluded per frame and the scan
 * drift trajectory. Every part is optional. Immutable; arrays are copied in and out.
 *
 * <p>Coordinates are those of the analysed patterns (after binning); drift is in nm against the
 * frame time in s, positive when the sample moved towards larger scan rows or columns.
 */
public final class Preparation {

    private static final Preparation NONE = new Preparation(null, null, null, 0, 0, 0, null, null, null, null, null);

    /** {@link #driftResampling()} of a drift corrected by re-indexing whole scan steps (and of files written before it was stored). */
    public static final String WHOLE_STEPS = "whole steps";

    private final DetectorMask mask;
    private final double[] center;          // {ky, kx, se ky, se kx, axis ratio, angle}
    private final String centerMethod;
    private final int beamStopPixels;
    private final int hotPixels;
    private final int deadPixels;
    private final int[] excludedPerFrame;
    private final double[] driftTimeSeconds;
    private final double[] driftYNm;
    private final double[] driftXNm;
    private final String driftResampling;

    private Preparation(DetectorMask mask, double[] center, String centerMethod, int beamStop, int hot, int dead,
                        int[] excluded, double[] t, double[] y, double[] x, String resampling) {
        this.mask = mask;
        this.center = center;
        this.centerMethod = centerMethod;
        this.beamStopPixels = beamStop;
        this.hotPixels = hot;
        this.deadPixels = dead;
        this.excludedPerFrame = excluded;
        this.driftTimeSeconds = t;
        this.driftYNm = y;
        this.driftXNm = x;
        this.driftResampling = resampling;
    }

    /** @return nothing recorded */
    public static Preparation none() {
        return NONE;
    }

    /**
     * @param used the mask of the analysed patterns (1 = valid in the file)
     * @return a copy with it
     */
    public Preparation withMask(DetectorMask used) {
        return new Preparation(Objects.requireNonNull(used, "mask"), center, centerMethod, beamStopPixels, hotPixels,
            deadPixels, excludedPerFrame, driftTimeSeconds, driftYNm, driftXNm, driftResampling);
    }

    /**
     * @param kyPx centre row in px of the analysed patterns
     * @param kxPx centre column in px
     * @param stdErrKyPx its standard error
     * @param stdErrKxPx its standard error
     * @param axisRatio elliptical distortion axis ratio (1 = none)
     * @param angleRadians its major-axis angle
     * @param method how it was found, e.g. "halo ridge, circle"
     * @return a copy with the centre estimate
     */
    public Preparation withCenter(double kyPx, double kxPx, double stdErrKyPx, double stdErrKxPx, double axisRatio,
                                  double angleRadians, String method) {
        return new Preparation(mask, new double[] {kyPx, kxPx, stdErrKyPx, stdErrKxPx, axisRatio, angleRadians},
            Objects.requireNonNull(method, "method"), beamStopPixels, hotPixels, deadPixels, excludedPerFrame,
            driftTimeSeconds, driftYNm, driftXNm, driftResampling);
    }

    /**
     * @param beamStop pixels in the found beam-stop shadow (before binning)
     * @param hot hot pixels found
     * @param dead dead pixels found
     * @return a copy with these counts
     */
    public Preparation withMaskCounts(int beamStop, int hot, int dead) {
        return new Preparation(mask, center, centerMethod, beamStop, hot, dead, excludedPerFrame, driftTimeSeconds,
            driftYNm, driftXNm, driftResampling);
    }

    /**
     * @param perFrame excluded patterns of each analysed frame (copied)
     * @return a copy with them
     */
    public Preparation withExcludedPerFrame(int[] perFrame) {
        return new Preparation(mask, center, centerMethod, beamStopPixels, hotPixels, deadPixels, perFrame.clone(),
            driftTimeSeconds, driftYNm, driftXNm, driftResampling);
    }

    /**
     * @param timeSeconds frame times in s
     * @param yNm drift along the scan rows in nm, one per frame
     * @param xNm drift along the scan columns in nm
     * @return a copy with the drift trajectory (copied), corrected by {@linkplain #WHOLE_STEPS whole steps}
     */
    public Preparation withDrift(double[] timeSeconds, double[] yNm, double[] xNm) {
        return withDrift(timeSeconds, yNm, xNm, WHOLE_STEPS);
    }

    /**
     * @param timeSeconds frame times in s
     * @param yNm drift along the scan rows in nm, one per frame
     * @param xNm drift along the scan columns in nm
     * @param resampling how the drift was corrected: {@value #WHOLE_STEPS} or {@code "bilinear"}
     *     (the labels of {@code DriftTrajectory.Resampling}); not blank
     * @return a copy with the drift trajectory (copied)
     */
    public Preparation withDrift(double[] timeSeconds, double[] yNm, double[] xNm, String resampling) {
        Checks.length("yNm", timeSeconds.length, yNm.length);
        Checks.length("xNm", timeSeconds.length, xNm.length);
        if (resampling == null || resampling.isBlank()) {
            throw new IllegalArgumentException("drift resampling is blank; expected e.g. \"" + WHOLE_STEPS + "\" or \"bilinear\"");
        }
        return new Preparation(mask, center, centerMethod, beamStopPixels, hotPixels, deadPixels, excludedPerFrame,
            timeSeconds.clone(), yNm.clone(), xNm.clone(), resampling);
    }

    /** @return the mask used, if stored */
    public Optional<DetectorMask> mask() {
        return Optional.ofNullable(mask);
    }

    /** @return whether a centre estimate is stored */
    public boolean hasCenter() {
        return center != null;
    }

    /** @return {ky, kx, se ky, se kx, axis ratio, angle rad} of the centre estimate (a copy), empty if none */
    public double[] center() {
        return center == null ? new double[0] : center.clone();
    }

    /** @return how the centre was found, empty if not stored */
    public String centerMethod() {
        return centerMethod == null ? "" : centerMethod;
    }

    /** @return beam-stop pixels found automatically */
    public int beamStopPixels() {
        return beamStopPixels;
    }

    /** @return hot pixels found automatically */
    public int hotPixels() {
        return hotPixels;
    }

    /** @return dead pixels found automatically */
    public int deadPixels() {
        return deadPixels;
    }

    /** @return excluded patterns per frame (a copy), empty if not stored */
    public int[] excludedPerFrame() {
        return excludedPerFrame == null ? new int[0] : excludedPerFrame.clone();
    }

    /** @return whether a drift trajectory is stored */
    public boolean hasDrift() {
        return driftTimeSeconds != null;
    }

    /** @return drift frame times in s (a copy), empty if none */
    public double[] driftTimeSeconds() {
        return driftTimeSeconds == null ? new double[0] : driftTimeSeconds.clone();
    }

    /** @return how the drift was corrected ({@value #WHOLE_STEPS} or {@code "bilinear"}), empty if no drift is stored */
    public String driftResampling() {
        return driftResampling == null ? "" : driftResampling;
    }

    /** @return drift along y in nm (a copy), empty if none */
    public double[] driftYNm() {
        return driftYNm == null ? new double[0] : driftYNm.clone();
    }

    /** @return drift along x in nm (a copy), empty if none */
    public double[] driftXNm() {
        return driftXNm == null ? new double[0] : driftXNm.clone();
    }

    /** @return whether anything is recorded */
    public boolean isEmpty() {
        return mask == null && center == null && excludedPerFrame == null && driftTimeSeconds == null
            && beamStopPixels == 0 && hotPixels == 0 && deadPixels == 0;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Preparation)) {
            return false;
        }
        Preparation p = (Preparation) o;
        return Objects.equals(mask, p.mask) && Arrays.equals(center, p.center) && Objects.equals(centerMethod, p.centerMethod)
            && beamStopPixels == p.beamStopPixels && hotPixels == p.hotPixels && deadPixels == p.deadPixels
            && Arrays.equals(excludedPerFrame, p.excludedPerFrame) && Arrays.equals(driftTimeSeconds, p.driftTimeSeconds)
            && Arrays.equals(driftYNm, p.driftYNm) && Arrays.equals(driftXNm, p.driftXNm)
            && Objects.equals(driftResampling, p.driftResampling);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mask, Arrays.hashCode(center), centerMethod, beamStopPixels, hotPixels, deadPixels,
            Arrays.hashCode(excludedPerFrame), Arrays.hashCode(driftTimeSeconds), Arrays.hashCode(driftYNm),
            Arrays.hashCode(driftXNm), driftResampling);
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "Preparation[none]";
        }
        StringBuilder sb = new StringBuilder("Preparation[");
        if (mask != null) {
            sb.append(mask);
        }
        if (center != null) {
            sb.append(Checks.format(", centre (%.3f ± %.3f, %.3f ± %.3f) px by %s", center[0], center[2], center[1], center[3],
                centerMethod));
        }
        if (excludedPerFrame != null) {
            sb.append(", ").append(Arrays.stream(excludedPerFrame).sum()).append(" patterns excluded");
        }
        if (driftTimeSeconds != null) {
            sb.append(Checks.format(", drift over %d frames corrected by %s", driftTimeSeconds.length, driftResampling));
        }
        return sb.append(']').toString();
    }
}
