/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
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
 */
final class PrepareStep {

    /**
     * @param dataset the prepared recording (whole, unbinned): estimated centre, mask, excluded patterns zeroed
     * @param record what to store in the results file
     * @param summary one line for the user
     */
    record Outcome(Dataset5D dataset, Preparation record, String summary, DriftTrajectory drift) {

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
     * The preparation from the statistics pass's result: bad patterns, mask, centre and drift, found the same
     * way wherever the statistics were computed (one machine, or the parts of a distributed pass).
     *
     * @param stats the statistics of {@code raw}
     * @param driftCorrect how to correct the drift, or null not to estimate it
     */
    static Outcome run(Dataset5D raw, PatternStatistics stats, boolean centerAuto, boolean ellipse, boolean maskAuto,
                       boolean excludeBad, DriftTrajectory.Resampling driftCorrect) throws IOException {
        Preparation record = Preparation.none();
        StringBuilder summary = new StringBuilder("preparation:");
        Dataset5D ds = raw;
        FrameExclusion bad = null;
        if (excludeBad) {
            bad = BadFrameDetector.defaults().detect(stats);
            if (bad.excludedCount() > 0) {
                stats = stats.without(raw, bad);
            }
            record = record.withExcludedPerFrame(bad.excludedPerFrame());
            summary.append(Checks.format(" %d patterns excluded (%d blank, %d dim, %d flash; %d bad frames);", bad.excludedCount(),
                bad.count(FrameExclusion.Reason.BLANK), bad.count(FrameExclusion.Reason.DIM),
                bad.count(FrameExclusion.Reason.FLASH), bad.badFrames().length));
        }
        PreparedMask m = null;
        String saturated = "";
        if (maskAuto) {
            m = MaskFinder.defaults().find(stats, raw.mask().orElse(null));
            if (raw.storage().saturationLevel().isPresent()) {
                double level = raw.storage().saturationLevel().getAsDouble();
                m = MaskFinder.defaults().withSaturation(m, stats, level);
                saturated = Checks.format(", saturated %d at ≥ %.0f counts", m.saturatedPixels(), level);
            }
            ds = ds.withMask(m.mask());
        }
        CenterEstimate c = null;
        int ky = raw.shape().ky();
        int kx = raw.shape().kx();
        double[] mean = stats.meanPattern();
        CenterOptions options = CenterOptions.defaults().withEllipse(ellipse)
            .withPixelSizeInverseNm(raw.calibration().pixelSizeInverseNm());
        if (centerAuto) {
            c = centre(options, mean, ky, kx, ds.maskOrAllValid());
        }
        if (maskAuto) {
            // Flares are found about the centre: the one just found, or the calibration's.
            double cy = c != null ? c.centerKyPx() : raw.calibration().centerKyPx();
            double cx = c != null ? c.centerKxPx() : raw.calibration().centerKxPx();
            m = MaskFinder.defaults().withFlares(m, mean, ky, kx, cy, cx);
            DetectorMask mask = m.mask();
            ds = ds.withMask(mask);
            if (c != null && m.flarePixels() > 0) {
                try {
                    c = CenterFinder.of(options).estimate(mean, ky, kx, mask);
                } catch (IllegalArgumentException e) {
                    // the first estimate stands: the refit without the flares found no better-supported ring
                    summary.append(" (centre refit without flares failed, first estimate kept: ").append(e.getMessage()).append(')');
                }
            }
            record = record.withMaskCounts(m.beamStopPixels(), m.hotPixels(), m.deadPixels())
                .withArtefactCounts(m.flarePixels(), m.outsideAperturePixels(), m.saturatedPixels());
            summary.append(Checks.format(" mask %d of %d pixels valid (beam stop %d, hot %d, dead %d%s%s);", mask.validCount(),
                raw.shape().patternSize(), m.beamStopPixels(), m.hotPixels(), m.deadPixels(),
                m.flarePixels() + m.outsideAperturePixels() > 0
                    ? Checks.format(", flare %d, outside aperture %d", m.flarePixels(), m.outsideAperturePixels()) : "", saturated));
        }
        if (c != null) {
            ds = ds.withCalibration(c.applyTo(ds.calibration()));
            record = record.withCenter(c.centerKyPx(), c.centerKxPx(), c.stdErrKyPx(), c.stdErrKxPx(), c.axisRatio(),
                c.angleRadians(), ellipse ? "halo ridge, ellipse" : "halo ridge, circle");
            summary.append(Checks.format(" centre (%.3f ± %.3f, %.3f ± %.3f) px", c.centerKyPx(), c.stdErrKyPx(), c.centerKxPx(),
                c.stdErrKxPx()));
            if (ellipse) {
                summary.append(Checks.format(", ellipse %.4f at %.1f°", c.axisRatio(), Math.toDegrees(c.angleRadians())));
            }
            summary.append(';');
        }
        if (bad != null) {
            ds = bad.applyTo(ds);
        }
        DriftTrajectory drift = null;
        if (driftCorrect != null) {
            // With --exclude-bad-frames the bad patterns are also left out of the registration's virtual images.
            drift = bad == null ? DriftEstimator.defaults().estimate(stats, raw.calibration())
                : DriftEstimator.defaults().estimate(stats, bad, raw.calibration());
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
        return new Outcome(ds, record, s.endsWith(";") ? s.substring(0, s.length() - 1) : s, drift);
    }
}
