/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.Serializable;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;

import org.fivedstem.api.Calibration;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.Shape5D;
import org.fivedstem.core.preparation.CenterEstimate;
import org.fivedstem.core.preparation.DriftTrajectory;
import org.fivedstem.core.preparation.FrameExclusion;
import org.fivedstem.core.preparation.PreparedMask;

/**
 * What {@code analyze}'s preparation found (bad patterns, mask, centre, drift) as plain data: primitive
 * arrays and strings, so that a distributed engine can send it to its workers, which apply it to their
 * own copy of the recording ({@link AnalyzeCommand#plan(java.nio.file.Path, FoundPreparation, String...)})
 * instead of running the finders again. The library's types it is rebuilt into (the exclusion, the mask,
 * the calibration, the drift trajectory) equal the ones found; none of them is Serializable itself.
 *
 * <p>Built only by the preparation; immutable, its arrays never leave it. A plain class, not a record, for
 * Kryo 4.
 */
public final class FoundPreparation implements Serializable {

    private static final long serialVersionUID = 1L;

    /** frames, scan rows, scan columns, ky, kx of the recording it was found on. */
    private final int[] shape;
    private final boolean centerAuto;
    private final boolean ellipse;
    private final boolean maskAuto;
    private final boolean excludeBad;
    /** The drift correction's {@link DriftTrajectory.Resampling} name, or null without one. */
    private final String resampling;
    /** The blank, dim and flash patterns' bits ({@link BitSet#toLongArray}), or null without bad-pattern detection. */
    private final long[][] excluded;
    /** The mask's valid pixels, row-major, or null without {@code --mask auto}. */
    private final boolean[] maskValid;
    /** Beam stop, hot, dead, flare, outside aperture, saturated pixels of the mask found. */
    private final int[] maskCounts;
    /** Why the centre's refit without the flares failed (the first estimate kept), or null. */
    private final String refitFailure;
    /** Centre ky, kx, their standard errors, axis ratio and angle in rad, all in px; null without {@code --center auto}. */
    private final double[] centre;
    /** Whether the centre's estimate is an ellipse fit (its distortion goes into the calibration). */
    private final boolean ellipseFitted;
    /** Frame times in s, dy and dx in scan steps, peak, significance; null without {@code --drift-correct}. */
    private final double[][] drift;

    private FoundPreparation(int[] shape, boolean centerAuto, boolean ellipse, boolean maskAuto, boolean excludeBad,
                             String resampling, long[][] excluded, boolean[] maskValid, int[] maskCounts, String refitFailure,
                             double[] centre, boolean ellipseFitted, double[][] drift) {
        this.shape = shape;
        this.centerAuto = centerAuto;
        this.ellipse = ellipse;
        this.maskAuto = maskAuto;
        this.excludeBad = excludeBad;
        this.resampling = resampling;
        this.excluded = excluded;
        this.maskValid = maskValid;
        this.maskCounts = maskCounts;
        this.refitFailure = refitFailure;
        this.centre = centre;
        this.ellipseFitted = ellipseFitted;
        this.drift = drift;
    }

    /**
     * @param shape the recording's shape
     * @param ellipse whether {@code --ellipse} was given
     * @param resampling the drift correction, or null without {@code --drift-correct}
     * @param bad the excluded patterns, or null without {@code --exclude-bad-frames}
     * @param mask the mask found, or null without {@code --mask auto}
     * @param refitFailure why the centre's refit without flares failed, or null
     * @param centre the centre found, or null without {@code --center auto}
     * @param drift the drift found, or null without {@code --drift-correct}
     */
    static FoundPreparation of(Shape5D shape, boolean ellipse, DriftTrajectory.Resampling resampling, FrameExclusion bad,
                               PreparedMask mask, String refitFailure, CenterEstimate centre, DriftTrajectory drift) {
        return new FoundPreparation(new int[] {shape.frames(), shape.scanY(), shape.scanX(), shape.ky(), shape.kx()},
            centre != null, ellipse, mask != null, bad != null, resampling == null ? null : resampling.name(),
            bad == null ? null : bits(shape, bad), mask == null ? null : mask.mask().toArray(),
            mask == null ? null : new int[] {mask.beamStopPixels(), mask.hotPixels(), mask.deadPixels(), mask.flarePixels(),
                mask.outsideAperturePixels(), mask.saturatedPixels()},
            refitFailure,
            centre == null ? null : new double[] {centre.centerKyPx(), centre.centerKxPx(), centre.stdErrKyPx(),
                centre.stdErrKxPx(), centre.axisRatio(), centre.angleRadians()},
            centre != null && centre.ellipse(),
            drift == null ? null : new double[][] {drift.timeSeconds(), drift.dySteps(), drift.dxSteps(), drift.peak(),
                drift.significance()});
    }

    /** The blank, dim and flash patterns of an exclusion as bits, index {@code (t·scanY + y)·scanX + x}. */
    private static long[][] bits(Shape5D shape, FrameExclusion bad) {
        BitSet[] b = {new BitSet(), new BitSet(), new BitSet()};
        int[] perFrame = bad.excludedPerFrame();
        for (int t = 0; t < shape.frames(); t++) {
            if (perFrame[t] == 0) {
                continue;
            }
            for (int y = 0; y < shape.scanY(); y++) {
                for (int x = 0; x < shape.scanX(); x++) {
                    FrameExclusion.Reason r = bad.reason(t, y, x);
                    if (r != null) {
                        b[r.ordinal()].set((t * shape.scanY() + y) * shape.scanX() + x);
                    }
                }
            }
        }
        return new long[][] {b[0].toLongArray(), b[1].toLongArray(), b[2].toLongArray()};
    }

    /** @throws IllegalArgumentException if this was found on a recording of another shape, or for other options */
    void checkFits(Shape5D s, boolean centerAutoAsked, boolean ellipseAsked, boolean maskAutoAsked, boolean excludeBadAsked,
                   DriftTrajectory.Resampling resamplingAsked) {
        int[] other = {s.frames(), s.scanY(), s.scanX(), s.ky(), s.kx()};
        if (!Arrays.equals(shape, other)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                "the preparation was found on a recording of shape %s, not %s", Arrays.toString(shape), Arrays.toString(other)));
        }
        String asked = resamplingAsked == null ? null : resamplingAsked.name();
        if (centerAuto != centerAutoAsked || ellipse != ellipseAsked || maskAuto != maskAutoAsked || excludeBad != excludeBadAsked
            || !java.util.Objects.equals(resampling, asked)) {
            throw new IllegalArgumentException("the preparation was found for other options: " + this);
        }
    }

    /** @return whether {@code --ellipse} was given */
    boolean ellipse() {
        return ellipse;
    }

    /** @return the excluded patterns, or null without bad-pattern detection */
    FrameExclusion exclusion() {
        if (excluded == null) {
            return null;
        }
        return FrameExclusion.of(shape(), BitSet.valueOf(excluded[0]), BitSet.valueOf(excluded[1]), BitSet.valueOf(excluded[2]));
    }

    /** @return the mask found, or null without {@code --mask auto} */
    DetectorMask mask() {
        return maskValid == null ? null : DetectorMask.of(shape[3], shape[4], maskValid);
    }

    /**
     * @param part 0 beam stop, 1 hot, 2 dead, 3 flare, 4 outside aperture, 5 saturated
     * @return that part's pixels of the mask found
     */
    int maskCount(int part) {
        return maskCounts[part];
    }

    /** @return why the centre's refit without flares failed, or null */
    String refitFailure() {
        return refitFailure;
    }

    /** @return whether a centre was found */
    boolean hasCentre() {
        return centre != null;
    }

    /**
     * @param i 0 ky, 1 kx, 2 and 3 their standard errors (px), 4 axis ratio, 5 angle (rad)
     * @return that value of the centre found
     */
    double centre(int i) {
        return centre[i];
    }

    /**
     * As {@link CenterEstimate#applyTo}.
     *
     * @param calibration a calibration of the recording's patterns
     * @return it with the centre found, and the ellipse found as its elliptical distortion when one was fitted
     */
    Calibration centred(Calibration calibration) {
        Calibration c = calibration.withCenterPx(centre[0], centre[1]);
        return ellipseFitted ? c.withEllipticalDistortion(Math.max(1, centre[4]), centre[5]) : c;
    }

    /** @return the drift correction, or null without one */
    DriftTrajectory.Resampling resampling() {
        return resampling == null ? null : DriftTrajectory.Resampling.valueOf(resampling);
    }

    /**
     * @param calibration the recording's calibration (its scan steps)
     * @return the drift found, or null without {@code --drift-correct}
     */
    DriftTrajectory drift(Calibration calibration) {
        return drift == null ? null : DriftTrajectory.of(drift[0], drift[1], drift[2], drift[3], drift[4], calibration);
    }

    private Shape5D shape() {
        return Shape5D.of(shape[0], shape[1], shape[2], shape[3], shape[4]);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("FoundPreparation[").append(Arrays.toString(shape));
        if (excluded != null) {
            s.append(String.format(Locale.ROOT, ", %d patterns excluded", BitSet.valueOf(excluded[0]).cardinality()
                + BitSet.valueOf(excluded[1]).cardinality() + BitSet.valueOf(excluded[2]).cardinality()));
        }
        if (maskValid != null) {
            s.append(", mask ").append(mask().validCount()).append(" of ").append(maskValid.length).append(" pixels valid");
        }
        if (centre != null) {
            s.append(String.format(Locale.ROOT, ", centre (%.3f, %.3f) px%s", centre[0], centre[1], ellipse ? ", ellipse" : ""));
        }
        if (drift != null) {
            s.append(", drift of ").append(drift[0].length).append(" frames, ").append(resampling);
        }
        return s.append(']').toString();
    }
}
