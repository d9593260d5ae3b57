/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.results;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.Optional;

import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.preparation.DriftTrajectory.Resampling;

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

    private static final Preparation NONE = new Preparation(new Fields());

    private final DetectorMask mask;
    private final double[] center;          // {ky, kx, se ky, se kx, axis ratio, angle}
    private final String centerMethod;
    private final int beamStopPixels;
    private final int hotPixels;
    private final int deadPixels;
    private final int flarePixels;
    private final int outsideAperturePixels;
    private final int saturatedPixels;
    private final int[] excludedPerFrame;
    private final double[] driftTimeSeconds;
    private final double[] driftYNm;
    private final double[] driftXNm;
    private final Resampling driftResampling;

    /** The values while a wither changes some: copied from the current object, changed, frozen. */
    private static final class Fields {
        DetectorMask mask;
        double[] center;
        String centerMethod;
        int beamStopPixels;
        int hotPixels;
        int deadPixels;
        int flarePixels;
        int outsideAperturePixels;
        int saturatedPixels;
        int[] excludedPerFrame;
        double[] driftTimeSeconds;
        double[] driftYNm;
        double[] driftXNm;
        Resampling driftResampling;

        Fields() {
        }

        Fields(Preparation p) {
            mask = p.mask;
            center = p.center;
            centerMethod = p.centerMethod;
            beamStopPixels = p.beamStopPixels;
            hotPixels = p.hotPixels;
            deadPixels = p.deadPixels;
            flarePixels = p.flarePixels;
            outsideAperturePixels = p.outsideAperturePixels;
            saturatedPixels = p.saturatedPixels;
            excludedPerFrame = p.excludedPerFrame;
            driftTimeSeconds = p.driftTimeSeconds;
            driftYNm = p.driftYNm;
            driftXNm = p.driftXNm;
            driftResampling = p.driftResampling;
        }
    }

    private Preparation(Fields f) {
        this.mask = f.mask;
        this.center = f.center;
        this.centerMethod = f.centerMethod;
        this.beamStopPixels = f.beamStopPixels;
        this.hotPixels = f.hotPixels;
        this.deadPixels = f.deadPixels;
        this.flarePixels = f.flarePixels;
        this.outsideAperturePixels = f.outsideAperturePixels;
        this.saturatedPixels = f.saturatedPixels;
        this.excludedPerFrame = f.excludedPerFrame;
        this.driftTimeSeconds = f.driftTimeSeconds;
        this.driftYNm = f.driftYNm;
        this.driftXNm = f.driftXNm;
        this.driftResampling = f.driftResampling;
    }

    private Preparation with(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return new Preparation(f);
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
        Objects.requireNonNull(used, "mask");
        return with(f -> f.mask = used);
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
        Objects.requireNonNull(method, "method");
        return with(f -> {
            f.center = new double[] {kyPx, kxPx, stdErrKyPx, stdErrKxPx, axisRatio, angleRadians};
            f.centerMethod = method;
        });
    }

    /**
     * @param beamStop pixels in the found beam-stop shadow (before binning)
     * @param hot hot pixels found
     * @param dead dead pixels found
     * @return a copy with these counts
     */
    public Preparation withMaskCounts(int beamStop, int hot, int dead) {
        return with(f -> {
            f.beamStopPixels = beamStop;
            f.hotPixels = hot;
            f.deadPixels = dead;
        });
    }

    /**
     * @param flare pixels of flares about the beam stop's tip, found brighter than their ring
     * @param outsideAperture pixels outside the condenser aperture's edge
     * @param saturated pixels whose counts reached the detector's saturation level
     * @return a copy with these counts (before binning)
     */
    public Preparation withArtefactCounts(int flare, int outsideAperture, int saturated) {
        return with(f -> {
            f.flarePixels = flare;
            f.outsideAperturePixels = outsideAperture;
            f.saturatedPixels = saturated;
        });
    }

    /**
     * @param perFrame excluded patterns of each analysed frame (copied)
     * @return a copy with them
     */
    public Preparation withExcludedPerFrame(int[] perFrame) {
        int[] copy = perFrame.clone();
        return with(f -> f.excludedPerFrame = copy);
    }

    /**
     * @param timeSeconds frame times in s
     * @param yNm drift along the scan rows in nm, one per frame
     * @param xNm drift along the scan columns in nm
     * @return a copy with the drift trajectory (copied), corrected by {@linkplain Resampling#WHOLE_STEPS whole steps}
     */
    public Preparation withDrift(double[] timeSeconds, double[] yNm, double[] xNm) {
        return withDrift(timeSeconds, yNm, xNm, Resampling.WHOLE_STEPS);
    }

    /**
     * @param timeSeconds frame times in s
     * @param yNm drift along the scan rows in nm, one per frame
     * @param xNm drift along the scan columns in nm
     * @param resampling how the drift was corrected
     * @return a copy with the drift trajectory (copied)
     */
    public Preparation withDrift(double[] timeSeconds, double[] yNm, double[] xNm, Resampling resampling) {
        Checks.length("yNm", timeSeconds.length, yNm.length);
        Checks.length("xNm", timeSeconds.length, xNm.length);
        Objects.requireNonNull(resampling, "resampling");
        double[] t = timeSeconds.clone();
        double[] y = yNm.clone();
        double[] x = xNm.clone();
        return with(f -> {
            f.driftTimeSeconds = t;
            f.driftYNm = y;
            f.driftXNm = x;
            f.driftResampling = resampling;
        });
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

    /** @return flare pixels found automatically (0 in files written before they were counted) */
    public int flarePixels() {
        return flarePixels;
    }

    /** @return pixels found outside the condenser aperture (0 in older files) */
    public int outsideAperturePixels() {
        return outsideAperturePixels;
    }

    /** @return pixels masked because their counts reached the detector's saturation level (0 in older files) */
    public int saturatedPixels() {
        return saturatedPixels;
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

    /** @return how the drift was corrected, if a drift is stored */
    public Optional<Resampling> driftResampling() {
        return Optional.ofNullable(driftResampling);
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
            && beamStopPixels == 0 && hotPixels == 0 && deadPixels == 0 && flarePixels == 0 && outsideAperturePixels == 0
            && saturatedPixels == 0;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Preparation)) {
            return false;
        }
        Preparation p = (Preparation) o;
        return Objects.equals(mask, p.mask) && Arrays.equals(center, p.center) && Objects.equals(centerMethod, p.centerMethod)
            && beamStopPixels == p.beamStopPixels && hotPixels == p.hotPixels && deadPixels == p.deadPixels
            && flarePixels == p.flarePixels && outsideAperturePixels == p.outsideAperturePixels
            && saturatedPixels == p.saturatedPixels
            && Arrays.equals(excludedPerFrame, p.excludedPerFrame) && Arrays.equals(driftTimeSeconds, p.driftTimeSeconds)
            && Arrays.equals(driftYNm, p.driftYNm) && Arrays.equals(driftXNm, p.driftXNm)
            && Objects.equals(driftResampling, p.driftResampling);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mask, Arrays.hashCode(center), centerMethod, beamStopPixels, hotPixels, deadPixels, flarePixels,
            outsideAperturePixels, saturatedPixels,
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
            sb.append(Checks.format(", drift over %d frames corrected by %s", driftTimeSeconds.length, driftResampling.label()));
        }
        return sb.append(']').toString();
    }
}
