/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import java.util.Arrays;
import java.util.BitSet;

import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;

/**
 * Finds blanked, dimmed and flashed patterns from their total intensity
 * ({@link PatternStatistics#totals()}), relative to the usual level of the same scan position.
 *
 * <pre>{@code
 * FrameExclusion bad = BadFrameDetector.defaults().detect(stats);
 * Dataset5D clean = bad.applyTo(dataset);   // excluded patterns read as zeros: the kernels skip them
 * }</pre>
 *
 * <p>With {@code T(t, r)} the total of the pattern at frame t and position r and {@code M(r)} the
 * median of {@code T(·, r)} over frames, the relative deviation is {@code d = T/M − 1}; its robust
 * scale {@code σ = 1.4826 · MAD(d)} over all patterns. A pattern is <i>blank</i> when
 * {@code T ≤ f·M} (default f = 0.05: the beam was off), <i>dim</i> when {@code d < −max(kσ, r)},
 * a <i>flash</i> when {@code d > max(kσ, r)} (defaults k = 8, r = 0.25). The totals of good
 * patterns scatter by their counting noise and speckle (about 1 % at the paper's dose), so the
 * thresholds sit far outside that scatter; a whole-frame event (beam blanked for a time step)
 * appears as every position of that frame flagged.
 *
 * <p>Positions whose median total is 0 (never lit) are left alone.
 */
public final class BadFrameDetector {

    private final double blankFraction;
    private final double sigmas;
    private final double minRelative;

    private BadFrameDetector(double blankFraction, double sigmas, double minRelative) {
        this.blankFraction = blankFraction;
        this.sigmas = sigmas;
        this.minRelative = minRelative;
    }

    /** @return the detector with the defaults of the class notes */
    public static BadFrameDetector defaults() {
        return new BadFrameDetector(0.05, 8, 0.25);
    }

    /**
     * @param fraction totals at or below this fraction of the position's median are blank (0–1)
     * @param k robust standard deviations for dim and flash
     * @param relative minimum relative deviation for dim and flash (&gt; 0)
     * @return a detector with these thresholds
     */
    public static BadFrameDetector of(double fraction, double k, double relative) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException(Checks.format("blank fraction is outside [0, 1): %s", fraction));
        }
        return new BadFrameDetector(fraction, Checks.positive("sigmas", k), Checks.positive("minRelative", relative));
    }

    /**
     * @param stats the recording's statistics
     * @return the patterns to exclude, by reason
     */
    public FrameExclusion detect(PatternStatistics stats) {
        Shape5D s = stats.shape();
        float[] totals = stats.totals();
        int frames = s.frames();
        int positions = s.positionCount();
        double[] median = new double[positions];
        double[] series = new double[frames];
        for (int r = 0; r < positions; r++) {
            for (int t = 0; t < frames; t++) {
                series[t] = totals[t * positions + r];
            }
            median[r] = median(series, frames);
        }
        double[] dev = new double[totals.length];
        double[] forScale = new double[totals.length];
        int m = 0;
        for (int t = 0; t < frames; t++) {
            for (int r = 0; r < positions; r++) {
                int i = t * positions + r;
                dev[i] = median[r] > 0 ? totals[i] / median[r] - 1 : Double.NaN;
                if (!Double.isNaN(dev[i])) {
                    forScale[m++] = dev[i];
                }
            }
        }
        BitSet blank = new BitSet();
        BitSet dim = new BitSet();
        BitSet flash = new BitSet();
        if (m == 0) {
            return FrameExclusion.of(s, blank, dim, flash);
        }
        double med = median(forScale, m);
        for (int i = 0; i < m; i++) {
            forScale[i] = Math.abs(forScale[i] - med);
        }
        double sigma = 1.4826 * median(forScale, m);
        double limit = Math.max(sigmas * sigma, minRelative);
        for (int i = 0; i < dev.length; i++) {
            double d = dev[i];
            if (Double.isNaN(d)) {
                continue;
            }
            if (d + 1 <= blankFraction) {
                blank.set(i);
            } else if (d < -limit) {
                dim.set(i);
            } else if (d > limit) {
                flash.set(i);
            }
        }
        return FrameExclusion.of(s, blank, dim, flash);
    }

    private static double median(double[] v, int n) {
        double[] c = Arrays.copyOf(v, n);
        Arrays.sort(c);
        return n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    }

    @Override
    public String toString() {
        return Checks.format("BadFrameDetector[blank ≤ %.3g × median, dim/flash beyond max(%.3g σ, %.0f %%)]", blankFraction,
            sigmas, 100 * minRelative);
    }
}
