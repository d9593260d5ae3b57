/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.preparation.BadFrameDetector;
import org.fivedstem.core.preparation.CenterEstimate;
import org.fivedstem.core.preparation.CenterFinder;
import org.fivedstem.core.preparation.CenterOptions;
import org.fivedstem.core.preparation.DriftEstimator;
import org.fivedstem.core.preparation.DriftTrajectory;
import org.fivedstem.core.preparation.FrameExclusion;
import org.fivedstem.core.preparation.MaskFinder;
import org.fivedstem.core.preparation.PatternStatistics;
import org.fivedstem.core.preparation.PreparedMask;
import org.fivedstem.io.figures.DriftFigure;
import org.fivedstem.io.results.Preparation;

/**
 * The preparation pass of {@code analyze} ({@code --center auto}, {@code --mask auto},
 * {@code --exclude-bad-frames}, {@code --drift-correct}): one streaming pass for the pattern statistics, then bad patterns,
 * the mask and the centre, in that order (the mean pattern without the bad patterns finds the
 * mask; the masked mean pattern finds the centre), and the drift from the per-frame virtual images of the
 * same pass. Works on the whole unbinned recording.
 *
 * <p>In two halves: {@link #find} runs the finders on the statistics and returns what they found as plain data
 * ({@link FoundPreparation}); {@link #apply} makes the prepared recording, the record and the summary from it
 * without running a finder, so that a distributed engine finds once on its driver and applies on every worker.
 */
final class PrepareStep {

    /**
     * @param dataset the prepared recording (whole, unbinned): estimated centre, mask, excluded patterns zeroed
     * @param record what to store in the results file
     * @param summary one line for the user
     * @param drift the drift corrected, or null
     * @param found what the preparation found, from which the rest was made
     */
    record Outcome(Dataset5D dataset, Preparation record, String summary, DriftTrajectory drift, FoundPreparation found) {

        /** Writes the preparation's figures (the drift trajectory) into a directory. */
        void writeFigures(Path dir) throws IOException {
            if (drift != null) {
                DriftFigure.of(drift.timeSeconds(), drift.dyNm(), drift.dxNm()).writePng(dir.resolve("drift.png"));
            }
        }
    }

    private PrepareStep() {
    }

    private static CenterEstimate centre(CenterOptions options, double[] mean, int ky, int kx, DetectorMask mask) {
        try {
            return CenterFinder.of(options).estimate(mean, ky, kx, mask);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--center auto: " + e.getMessage(), e);
        }
    }

    /**
     * The finding half of the preparation, from the statistics pass's result: bad patterns, mask, centre and drift,
     * found the same way wherever the statistics were computed (one machine, or the parts of a distributed pass).
     * Of the recording only the excluded patterns are read (to take them out of the statistics).
     *
     * @param raw the recording as opened (whole, unbinned)
     * @param stats the statistics of {@code raw}
     * @param driftCorrect how to correct the drift, or null not to estimate it
     * @return what was found, as plain data for {@link #apply}
     * @throws IOException if an excluded pattern fails to read
     */
    static FoundPreparation find(Dataset5D raw, PatternStatistics stats, boolean centerAuto, boolean ellipse, boolean maskAuto,
                                 boolean excludeBad, DriftTrajectory.Resampling driftCorrect) throws IOException {
        return findings(raw, stats, centerAuto, ellipse, maskAuto, excludeBad, driftCorrect)
            .found(raw.shape(), ellipse, driftCorrect);
    }

    /**
     * What the finders found, as the library's types.
     *
     * @param bad the excluded patterns, or null without {@code --exclude-bad-frames}
     * @param mask the mask, or null without {@code --mask auto}
     * @param refitFailure why the centre's refit without flares failed (the first estimate kept), or null
     * @param centre the centre, or null without {@code --center auto}
     * @param drift the drift, or null without {@code --drift-correct}
     */
    record Findings(FrameExclusion bad, PreparedMask mask, String refitFailure, CenterEstimate centre, DriftTrajectory drift) {

        /** @return the findings as plain data */
        FoundPreparation found(Shape5D shape, boolean ellipse, DriftTrajectory.Resampling driftCorrect) {
            return FoundPreparation.of(shape, ellipse, driftCorrect, bad, mask, refitFailure, centre, drift);
        }
    }

    /** {@link #find}, the findings as the library's types. */
    static Findings findings(Dataset5D raw, PatternStatistics stats, boolean centerAuto, boolean ellipse, boolean maskAuto,
                             boolean excludeBad, DriftTrajectory.Resampling driftCorrect) throws IOException {
        FrameExclusion bad = null;
        if (excludeBad) {
            bad = BadFrameDetector.defaults().detect(stats);
            if (bad.excludedCount() > 0) {
                stats = stats.without(raw, bad);
            }
        }
        PreparedMask m = null;
        DetectorMask centreMask = raw.maskOrAllValid();
        if (maskAuto) {
            m = MaskFinder.defaults().find(stats, raw.mask().orElse(null));
            if (raw.storage().saturationLevel().isPresent()) {
                m = MaskFinder.defaults().withSaturation(m, stats, raw.storage().saturationLevel().getAsDouble());
            }
            centreMask = m.mask();
        }
        CenterEstimate c = null;
        int ky = raw.shape().ky();
        int kx = raw.shape().kx();
        double[] mean = stats.meanPattern();
        CenterOptions options = CenterOptions.defaults().withEllipse(ellipse)
            .withPixelSizeInverseNm(raw.calibration().pixelSizeInverseNm());
        if (centerAuto) {
            c = centre(options, mean, ky, kx, centreMask);
        }
        String refitFailure = null;
        if (maskAuto) {
            // Flares are found about the centre: the one just found, or the calibration's.
            double cy = c != null ? c.centerKyPx() : raw.calibration().centerKyPx();
            double cx = c != null ? c.centerKxPx() : raw.calibration().centerKxPx();
            m = MaskFinder.defaults().withFlares(m, mean, ky, kx, cy, cx);
            if (c != null && m.flarePixels() > 0) {
                try {
                    c = CenterFinder.of(options).estimate(mean, ky, kx, m.mask());
                } catch (IllegalArgumentException e) {
                    // the first estimate stands: the refit without the flares found no better-supported ring
                    refitFailure = e.getMessage();
                }
            }
        }
        DriftTrajectory drift = null;
        if (driftCorrect != null) {
            // With --exclude-bad-frames the bad patterns are also left out of the registration's virtual images.
            drift = bad == null ? DriftEstimator.defaults().estimate(stats, raw.calibration())
                : DriftEstimator.defaults().estimate(stats, bad, raw.calibration());
        }
        return new Findings(bad, m, refitFailure, c, drift);
    }

    /**
     * The applying half of the preparation: the recording with what was found (mask, centre, excluded patterns
     * zeroed, drift corrected), the record for the results file and the summary line. Runs no finder.
     *
     * @param raw the recording as opened (whole, unbinned), of the shape {@code found} was found on
     * @param found what {@link #find} found on it
     * @return the prepared recording, its record and summary
     * @throws IllegalArgumentException if the drift cannot be corrected (no common field of view, a frame's drift
     *     not determined)
     */
    static Outcome apply(Dataset5D raw, FoundPreparation found) {
        Preparation record = Preparation.none();
        StringBuilder summary = new StringBuilder("preparation:");
        Dataset5D ds = raw;
        FrameExclusion bad = found.exclusion();
        if (bad != null) {
            record = record.withExcludedPerFrame(bad.excludedPerFrame());
            summary.append(Checks.format(" %d patterns excluded (%d blank, %d dim, %d flash; %d bad frames);", bad.excludedCount(),
                bad.count(FrameExclusion.Reason.BLANK), bad.count(FrameExclusion.Reason.DIM),
                bad.count(FrameExclusion.Reason.FLASH), bad.badFrames().length));
        }
        DetectorMask mask = found.mask();
        if (mask != null) {
            String saturated = "";
            if (raw.storage().saturationLevel().isPresent()) {
                saturated = Checks.format(", saturated %d at ≥ %.0f counts", found.maskCount(5),
                    raw.storage().saturationLevel().getAsDouble());
            }
            ds = ds.withMask(mask);
            if (found.refitFailure() != null) {
                summary.append(" (centre refit without flares failed, first estimate kept: ").append(found.refitFailure())
                    .append(')');
            }
            record = record.withMaskCounts(found.maskCount(0), found.maskCount(1), found.maskCount(2))
                .withArtefactCounts(found.maskCount(3), found.maskCount(4), found.maskCount(5));
            summary.append(Checks.format(" mask %d of %d pixels valid (beam stop %d, hot %d, dead %d%s%s);", mask.validCount(),
                raw.shape().patternSize(), found.maskCount(0), found.maskCount(1), found.maskCount(2),
                found.maskCount(3) + found.maskCount(4) > 0
                    ? Checks.format(", flare %d, outside aperture %d", found.maskCount(3), found.maskCount(4)) : "", saturated));
        }
        if (found.hasCentre()) {
            ds = ds.withCalibration(found.centred(ds.calibration()));
            record = record.withCenter(found.centre(0), found.centre(1), found.centre(2), found.centre(3), found.centre(4),
                found.centre(5), found.ellipse() ? "halo ridge, ellipse" : "halo ridge, circle");
            summary.append(Checks.format(" centre (%.3f ± %.3f, %.3f ± %.3f) px", found.centre(0), found.centre(2),
                found.centre(1), found.centre(3)));
            if (found.ellipse()) {
                summary.append(Checks.format(", ellipse %.4f at %.1f°", found.centre(4), Math.toDegrees(found.centre(5))));
            }
            summary.append(';');
        }
        if (bad != null) {
            ds = bad.applyTo(ds);
        }
        DriftTrajectory drift = found.drift(raw.calibration());
        if (drift != null) {
            DriftTrajectory.Resampling driftCorrect = found.resampling();
            Dataset5D corrected;
            try {
                corrected = drift.correct(ds, driftCorrect);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--drift-correct: " + e.getMessage(), e);
            }
            record = record.withDrift(drift.timeSeconds(), drift.dyNm(), drift.dxNm(), driftCorrect);
            int n = drift.frames() - 1;
            String last;
            if (driftCorrect == DriftTrajectory.Resampling.WHOLE_STEPS) {
                int[][] w = drift.wholeSteps();
                last = Checks.format("last frame %+d, %+d whole steps in y, x", w[0][n], w[1][n]);
            } else {
                last = Checks.format("last frame %+.2f, %+.2f steps in y, x, interpolated bilinearly", drift.dySteps()[n],
                    drift.dxSteps()[n]);
            }
            summary.append(Checks.format(" drift up to %.3g nm (%s), field of view %d×%d of %d×%d;", drift.maxDriftNm(), last,
                corrected.shape().scanY(), corrected.shape().scanX(), raw.shape().scanY(), raw.shape().scanX()));
            ds = corrected;
        }
        String s = summary.toString();
        return new Outcome(ds, record, s.endsWith(";") ? s.substring(0, s.length() - 1) : s, drift, found);
    }
}
