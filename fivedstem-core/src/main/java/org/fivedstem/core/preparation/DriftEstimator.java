/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import java.util.Objects;

import org.fivedstem.api.Calibration;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.preparation.internal.PhaseCorrelation;

/**
 * Estimates scan drift from a virtual image per time step — each scan position's total
 * intensity, {@link PatternStatistics#totals()} — by phase correlation with sub-pixel refinement
 * (see {@code internal.PhaseCorrelation}: Hann window moved with the estimate, JTransforms FFT,
 * cross-power spectrum normalised by {@code |C|^p}, upsampled DFT). The default p = 0 is plain
 * cross-correlation; p = 1 is phase correlation, sharper on images with a white spectrum (the
 * independent speckle of neighbouring positions) but noisier on smooth (mass-thickness) images.
 *
 * <pre>{@code
 * DriftTrajectory d = DriftEstimator.defaults().estimate(stats, dataset.calibration());
 * }</pre>
 *
 * <p><b>Reference.</b> {@link Reference#FIRST} registers every frame against frame 0: errors do
 * not accumulate, but the virtual image may change over a long series. {@link Reference#PREVIOUS}
 * registers each frame against the one before and sums the steps (a running reference): robust
 * to slow change of the image, but the errors add up as a random walk.
 *
 * <p><b>Bad patterns.</b> {@link #estimate(PatternStatistics, FrameExclusion, Calibration)} leaves
 * excluded patterns (flashes, blanked positions) out of the virtual images and interpolates the
 * drift of bad frames in time: a few flashed positions can outshine weak structure and throw the
 * registration off by many steps.
 */
public final class DriftEstimator {

    /** What each frame is registered against. */
    public enum Reference {
        /** Frame 0. */
        FIRST,
        /** The previous frame; the shifts are summed. */
        PREVIOUS
    }

    private final Reference reference;
    private final int upsample;
    private final double whitening;

    private DriftEstimator(Reference reference, int upsample, double whitening) {
        this.reference = reference;
        this.upsample = upsample;
        this.whitening = whitening;
    }

    /**
     * @return registration against frame 0, refined to 1/20 step, by plain cross-correlation
     *     (whitening 0): on smooth virtual images with 2 % noise, pure phase correlation
     *     (whitening 1) misses by up to 0.4 step and ½ by up to 0.15, while 0 stays within 0.05
     *     (measured; see docs/preparation.md)
     */
    public static DriftEstimator defaults() {
        return new DriftEstimator(Reference.FIRST, 20, 0);
    }

    /**
     * @param reference what each frame is registered against
     * @param upsample refinement factor: shifts are resolved to 1/upsample step (1–100)
     * @param whitening exponent p of the cross-power normalisation {@code C/|C|^p}: 1 = phase
     *     correlation, 0 = cross-correlation (in [0, 1])
     * @return an estimator
     */
    public static DriftEstimator of(Reference reference, int upsample, double whitening) {
        if (!(whitening >= 0 && whitening <= 1)) {
            throw new IllegalArgumentException(Checks.format("whitening is outside [0, 1]: %s", whitening));
        }
        return of(reference, upsample).withWhitening(whitening);
    }

    private DriftEstimator withWhitening(double p) {
        return new DriftEstimator(reference, upsample, p);
    }

    /**
     * @param reference what each frame is registered against
     * @param upsample refinement factor: shifts are resolved to 1/upsample step (1–100)
     * @return an estimator
     */
    public static DriftEstimator of(Reference reference, int upsample) {
        if (upsample < 1 || upsample > 100) {
            throw new IllegalArgumentException(Checks.format("upsample is outside 1–100: %d", upsample));
        }
        return new DriftEstimator(Objects.requireNonNull(reference, "reference"), upsample, 0);
    }

    /**
     * @param stats statistics of the recording (its per-pattern totals are the virtual images)
     * @param calibration the recording's calibration (frame times, scan steps)
     * @return the drift trajectory
     */
    public DriftTrajectory estimate(PatternStatistics stats, Calibration calibration) {
        Shape5D s = stats.shape();
        float[] totals = stats.totals();
        int per = s.positionCount();
        double[][] images = new double[s.frames()][per];
        for (int t = 0; t < s.frames(); t++) {
            for (int i = 0; i < per; i++) {
                images[t][i] = totals[t * per + i];
            }
        }
        return estimate(images, s.scanY(), s.scanX(), calibration);
    }

    /**
     * The drift with bad patterns taken out of the virtual images: in each frame, an excluded
     * position's total is replaced by the mean of its non-excluded neighbours (8-neighbourhood,
     * widened until one is found), so that a flash or a blanked pattern does not pull the
     * registration. Bad frames ({@link FrameExclusion#badFrames()}: at least half excluded) are not
     * registered at all: their drift is interpolated linearly in time between the nearest good
     * frames (held constant before the first and after the last), with the smaller significance
     * of the two and a peak of NaN. If frame 0 is bad, the first good frame is the reference
     * (frame 0's drift is then 0 by definition, like the frames before the reference).
     *
     * @param stats statistics of the recording (its per-pattern totals are the virtual images)
     * @param exclusion the patterns to leave out, of the same shape
     * @param calibration the recording's calibration (frame times, scan steps)
     * @return the drift trajectory
     * @throws IllegalArgumentException if the shapes differ or every frame is bad
     */
    public DriftTrajectory estimate(PatternStatistics stats, FrameExclusion exclusion, Calibration calibration) {
        Shape5D s = stats.shape();
        if (!exclusion.shape().equals(s)) {
            throw new IllegalArgumentException("exclusion " + exclusion.shape() + " does not match the statistics of " + s);
        }
        float[] totals = stats.totals();
        int ny = s.scanY();
        int nx = s.scanX();
        int per = s.positionCount();
        boolean[] good = new boolean[s.frames()];
        java.util.Arrays.fill(good, true);
        for (int f : exclusion.badFrames()) {
            good[f] = false;
        }
        double[][] images = new double[s.frames()][per];
        boolean[] out = new boolean[per];
        for (int t = 0; t < s.frames(); t++) {
            for (int i = 0; i < per; i++) {
                images[t][i] = totals[t * per + i];
                out[i] = exclusion.isExcluded(t, i / nx, i % nx);
            }
            if (good[t]) {
                fillExcluded(images[t], out, ny, nx);
            }
        }
        return estimate(images, ny, nx, calibration, good);
    }

    /**
     * Replaces each excluded value by the mean of the non-excluded ones in the smallest square
     * neighbourhood (radius 1, 2, ...) that has any. Hand-written: a masked mean, nothing to borrow.
     */
    private static void fillExcluded(double[] img, boolean[] out, int ny, int nx) {
        double[] src = img.clone();
        for (int i = 0; i < img.length; i++) {
            if (!out[i]) {
                continue;
            }
            int y = i / nx;
            int x = i % nx;
            for (int r = 1; r < Math.max(ny, nx); r++) {
                double sum = 0;
                int n = 0;
                for (int a = Math.max(0, y - r); a <= Math.min(ny - 1, y + r); a++) {
                    for (int b = Math.max(0, x - r); b <= Math.min(nx - 1, x + r); b++) {
                        if (!out[a * nx + b]) {
                            sum += src[a * nx + b];
                            n++;
                        }
                    }
                }
                if (n > 0) {
                    img[i] = sum / n;
                    break;
                }
            }
        }
    }

    /**
     * @param images one virtual image per frame, {@code scanY·scanX} values row-major. Not modified.
     * @param scanY image rows (≥ 4)
     * @param scanX image columns (≥ 4)
     * @param calibration frame times and scan steps
     * @return the drift trajectory
     */
    public DriftTrajectory estimate(double[][] images, int scanY, int scanX, Calibration calibration) {
        boolean[] all = new boolean[images.length];
        java.util.Arrays.fill(all, true);
        return estimate(images, scanY, scanX, calibration, all);
    }

    /** Registers the good frames; the others are interpolated in time (see the exclusion overload). */
    private DriftTrajectory estimate(double[][] images, int scanY, int scanX, Calibration calibration, boolean[] good) {
        if (scanY < 4 || scanX < 4) {
            throw new IllegalArgumentException(Checks.format("a %d×%d scan is too small to register (at least 4×4)", scanY, scanX));
        }
        int n = images.length;
        double[] t = new double[n];
        double[] dy = new double[n];
        double[] dx = new double[n];
        double[] peak = new double[n];
        double[] z = new double[n];
        int first = -1;
        for (int f = 0; f < n; f++) {
            Checks.length("images[" + f + "]", scanY * scanX, images[f].length);
            t[f] = calibration.frameTimeSeconds(f);
            if (good[f] && first < 0) {
                first = f;
            }
        }
        if (first < 0) {
            throw new IllegalArgumentException(Checks.format("all %d frames are bad: there is no virtual image to register", n));
        }
        PhaseCorrelation pc = new PhaseCorrelation(scanY, scanX, upsample, whitening);
        int previous = first;
        for (int f = first; f < n; f++) {
            if (!good[f]) {
                continue;
            }
            if (f == first) {
                peak[f] = 1;
                z[f] = Double.POSITIVE_INFINITY;
                continue;
            }
            double[] r = pc.shift(reference == Reference.FIRST ? images[first] : images[previous], images[f]);
            dy[f] = r[0] + (reference == Reference.PREVIOUS ? dy[previous] : 0);
            dx[f] = r[1] + (reference == Reference.PREVIOUS ? dx[previous] : 0);
            peak[f] = r[2];
            z[f] = r[3];
            previous = f;
        }
        // Bad frames: linear in time between the nearest good frames, constant beyond them.
        for (int f = 0; f < n; f++) {
            if (good[f]) {
                continue;
            }
            int before = f - 1;
            while (before >= 0 && !good[before]) {
                before--;
            }
            int after = f + 1;
            while (after < n && !good[after]) {
                after++;
            }
            peak[f] = Double.NaN;
            if (before < 0 || after >= n) {
                int g = before < 0 ? after : before;
                dy[f] = dy[g];
                dx[f] = dx[g];
                z[f] = z[g];
            } else {
                double w = (t[f] - t[before]) / (t[after] - t[before]);
                dy[f] = dy[before] + w * (dy[after] - dy[before]);
                dx[f] = dx[before] + w * (dx[after] - dx[before]);
                z[f] = Math.min(z[before], z[after]);
            }
        }
        return DriftTrajectory.of(t, dy, dx, peak, z, calibration);
    }

    @Override
    public String toString() {
        return Checks.format("DriftEstimator[against %s frame, 1/%d step, whitening %.2g]",
            reference == Reference.FIRST ? "the first" : "the previous", upsample, whitening);
    }
}
