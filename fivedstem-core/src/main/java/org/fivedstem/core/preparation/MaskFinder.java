/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.preparation.internal.RingFit;
import org.ejml.data.DMatrixRMaj;

/**
 * Finds the unusable pixels of a detector from a recording's {@link PatternStatistics}: the
 * beam-stop shadow from the mean pattern, hot and cold pixels as outliers of the mean against
 * their neighbours, and dead (stuck) pixels from a temporal variance of exactly zero; combined with
 * a given mask.
 *
 * <pre>{@code
 * PreparedMask m = MaskFinder.of(MaskOptions.defaults()).find(stats, dataset.mask().orElse(null));
 * Dataset5D masked = dataset.withMask(m.mask());
 * }</pre>
 *
 * <p><b>Beam stop.</b> Connected regions (4-neighbours) of pixels whose mean is below a fraction of
 * the median pixel mean, at least a minimum size (so single dead pixels are not called shadow),
 * grown by a pixel or two to cover the penumbra.
 *
 * <p><b>Hot and cold.</b> With {@code m} a pixel's mean and {@code M} the median of the means of
 * its valid 5×5 neighbours (itself excluded), the relative residual is {@code ρ = m/M − 1}; its
 * robust scale is {@code σ = 1.4826 · MAD(ρ)} over all pixels outside the shadow. A pixel is hot
 * when {@code ρ > max(kσ, r)}, cold when {@code ρ < −max(kσ, r)} (defaults k = 8, r = 0.5). The
 * local median follows the halo's radial gradient, so the residuals of good pixels are noise; the
 * relative floor keeps speckle-rich patterns with few frames from flagging good pixels.
 *
 * <p><b>Dead.</b> A pixel whose value never changed over all patterns (temporal variance exactly
 * 0) while the median variance of its neighbours is positive.
 *
 * <p><b>Outside the aperture.</b> When the condenser aperture's edge lies on the detector, the
 * pixels beyond it are dark too; a dark region at the border whose edge is a circle with the dark
 * side outside is that region (fitted circle, see {@code outsideAperture}), reported apart from the
 * beam stop — a needle stop that enters from the border joins it as one dark region, and the circle
 * fit separates them. Only a dark outside (below the beam-stop threshold) is found; a dim one is not.
 *
 * <p><b>Flares</b> (bright rings or glows about a stop's tip) need the centre:
 * {@link #withFlares} flags pixels much brighter than their ring about it.
 */
public final class MaskFinder {

    private final MaskOptions options;

    private MaskFinder(MaskOptions options) {
        this.options = options;
    }

    /**
     * @param options thresholds
     * @return a finder
     */
    public static MaskFinder of(MaskOptions options) {
        return new MaskFinder(Objects.requireNonNull(options, "options"));
    }

    /** @return a finder with {@link MaskOptions#defaults()} */
    public static MaskFinder defaults() {
        return of(MaskOptions.defaults());
    }

    /**
     * @param stats statistics of the recording (unbinned or binned, as the patterns to mask)
     * @param given a mask to combine with (user or file), or null
     * @return the mask and its parts
     */
    public PreparedMask find(PatternStatistics stats, DetectorMask given) {
        Shape5D s = stats.shape();
        return find(stats.meanPattern(), stats.variancePattern(), s.ky(), s.kx(), given);
    }

    /**
     * @param mean each pixel's mean, row-major. Not modified.
     * @param variance each pixel's temporal variance. Not modified.
     * @param ky pattern rows
     * @param kx pattern columns
     * @param given a mask to combine with, or null
     * @return the mask and its parts
     */
    public PreparedMask find(double[] mean, double[] variance, int ky, int kx, DetectorMask given) {
        Checks.length("mean", ky * kx, mean.length);
        Checks.length("variance", ky * kx, variance.length);
        DetectorMask g = given == null ? DetectorMask.allValid(ky, kx) : given;
        if (g.ky() != ky || g.kx() != kx) {
            throw new IllegalArgumentException(Checks.format("mask of %d×%d pixels does not match the %d×%d patterns",
                g.ky(), g.kx(), ky, kx));
        }
        int n = ky * kx;
        boolean[] usable = g.toArray();
        boolean[] shadow = beamStop(mean, usable, ky, kx);
        boolean[] outside = outsideAperture(shadow, ky, kx);
        for (int i = 0; i < n; i++) {
            if (outside[i]) {
                shadow[i] = false;
            }
        }
        boolean[] ok = new boolean[n];
        for (int i = 0; i < n; i++) {
            ok[i] = usable[i] && !shadow[i] && !outside[i] && Double.isFinite(mean[i]);
        }
        double[] localMean = localMedian(mean, ok, ky, kx);
        double[] localVar = localMedian(variance, ok, ky, kx);
        double[] rho = new double[n];
        double[] forScale = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            rho[i] = localMean[i] > 0 ? mean[i] / localMean[i] - 1 : Double.NaN;
            if (ok[i] && !Double.isNaN(rho[i])) {
                forScale[m++] = rho[i];
            }
        }
        double sigma = 0;
        if (m > 0) {
            double med = median(forScale, m);
            for (int i = 0; i < m; i++) {
                forScale[i] = Math.abs(forScale[i] - med);
            }
            sigma = 1.4826 * median(forScale, m);
        }
        double limit = Math.max(options.sigmas() * sigma, options.minRelative());
        boolean[] hot = new boolean[n];
        boolean[] dead = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (!ok[i]) {
                continue;
            }
            if (rho[i] > limit) {
                hot[i] = true;
            } else if (rho[i] < -limit || (variance[i] == 0 && localVar[i] > 0)) {
                dead[i] = true;
            }
        }
        boolean[] all = new boolean[n];
        for (int i = 0; i < n; i++) {
            all[i] = usable[i] && !shadow[i] && !outside[i] && !hot[i] && !dead[i];
        }
        return new PreparedMask(DetectorMask.of(ky, kx, all), g, DetectorMask.of(ky, kx, not(shadow)),
            DetectorMask.of(ky, kx, not(hot)), DetectorMask.of(ky, kx, not(dead)), DetectorMask.allValid(ky, kx),
            DetectorMask.of(ky, kx, not(outside)));
    }

    /**
     * Adds the flares to a mask, once the centre is known: pixels much brighter than their ring.
     * With {@code L_b} the lower quartile of the valid pixel means in the 1-px radius bin b about the
     * centre (the ring's level, not lifted by a flare covering up to three quarters of the ring),
     * {@code ρ = m/L_b − 1} and {@code σ_b = (median − L_b)/(0.6745·L_b)} (the quartile spread as a
     * robust relative standard deviation), a pixel is a flare seed when
     * {@code ρ > max(k σ_b, r)}; connected groups of seeds (8-neighbours) of at least
     * {@link MaskOptions#beamStopMinPixels()} pixels are flares (fewer are hot pixels' business), and
     * they grow into neighbours with {@code ρ > max(k σ_b, r)/2}, so the flare's skirt goes too.
     * Defaults k = 6, r = 1 (twice the ring's level). A flare (or glow) that covers more than three
     * quarters of a ring — near the centre, where the rings are short — is not found there.
     *
     * @param found a mask from {@link #find}
     * @param mean each pixel's mean, row-major. Not modified.
     * @param ky pattern rows
     * @param kx pattern columns
     * @param centerKyPx the pattern centre's row in px (from {@link CenterFinder})
     * @param centerKxPx the pattern centre's column in px
     * @return the mask with its flare part
     */
    public PreparedMask withFlares(PreparedMask found, double[] mean, int ky, int kx, double centerKyPx, double centerKxPx) {
        Objects.requireNonNull(found, "found");
        Checks.length("mean", ky * kx, mean.length);
        Checks.finite("centerKyPx", centerKyPx);
        Checks.finite("centerKxPx", centerKxPx);
        int n = ky * kx;
        boolean[] ok = found.mask().toArray();
        int bins = (int) Math.ceil(Math.hypot(Math.max(centerKyPx, ky - 1 - centerKyPx), Math.max(centerKxPx, kx - 1 - centerKxPx))) + 2;
        int[] bin = new int[n];
        int[] count = new int[bins];
        for (int p = 0; p < n; p++) {
            bin[p] = Math.min(bins - 1, (int) Math.round(Math.hypot(p / kx - centerKyPx, p % kx - centerKxPx)));
            if (ok[p] && Double.isFinite(mean[p])) {
                count[bin[p]]++;
            }
        }
        double[][] values = new double[bins][];
        for (int b = 0; b < bins; b++) {
            values[b] = new double[count[b]];
        }
        int[] fill = new int[bins];
        for (int p = 0; p < n; p++) {
            if (ok[p] && Double.isFinite(mean[p])) {
                values[bin[p]][fill[bin[p]]++] = mean[p];
            }
        }
        double[] median = new double[bins];
        double[] limit = new double[bins];
        for (int b = 0; b < bins; b++) {
            int c = count[b];
            if (c < 5) {
                median[b] = Double.NaN;
                continue;
            }
            // The ring's level is its lower quartile, not its median, so that a flare covering up to
            // three quarters of a ring does not lift it; the scale from the quartiles' spread.
            Arrays.sort(values[b], 0, c);
            double q1 = values[b][c / 4];
            double q2 = values[b][c / 2];
            median[b] = q1;
            double sigma = q1 > 0 ? (q2 - q1) / (0.6745 * q1) : 0;
            limit[b] = Math.max(options.flareSigmas() * sigma, options.flareMinRelative());
        }
        double[] rho = new double[n];
        boolean[] seed = new boolean[n];
        for (int p = 0; p < n; p++) {
            double m = median[bin[p]];
            rho[p] = ok[p] && m > 0 ? mean[p] / m - 1 : Double.NaN;
            seed[p] = rho[p] > limit[bin[p]];
        }
        boolean[] flare = new boolean[n];
        int[] members = new int[n];
        boolean[] seen = new boolean[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < n; start++) {
            if (!seed[start] || seen[start]) {
                continue;
            }
            // Hysteresis: a group grows through pixels above half the seed threshold.
            int size = 0;
            int seeds = 0;
            queue.add(start);
            seen[start] = true;
            while (!queue.isEmpty()) {
                int p = queue.poll();
                members[size++] = p;
                if (seed[p]) {
                    seeds++;
                }
                int i = p / kx;
                int j = p % kx;
                for (int di = -1; di <= 1; di++) {
                    for (int dj = -1; dj <= 1; dj++) {
                        int a = i + di;
                        int b = j + dj;
                        if (a < 0 || b < 0 || a >= ky || b >= kx) {
                            continue;
                        }
                        int q = a * kx + b;
                        if (!seen[q] && rho[q] > 0.5 * limit[bin[q]]) {
                            seen[q] = true;
                            queue.add(q);
                        }
                    }
                }
            }
            if (seeds >= options.beamStopMinPixels()) {
                for (int k = 0; k < size; k++) {
                    flare[members[k]] = true;
                }
            }
        }
        boolean[] all = found.mask().toArray();
        for (int p = 0; p < n; p++) {
            all[p] &= !flare[p];
        }
        return new PreparedMask(DetectorMask.of(ky, kx, all), found.given(), found.beamStop(), found.hot(), found.dead(),
            DetectorMask.of(ky, kx, not(flare)), found.outsideAperture(), found.saturated());
    }

    /**
     * Adds the pixels whose counts reach a detector's saturation level in any pattern: their
     * counts are clipped there and must not enter V or g.
     *
     * @param found the mask found so far
     * @param stats the statistics of the (unbinned) recording, whose per-pixel maxima are compared
     * @param level the lowest unreliable value ({@link org.fivedstem.api.PatternStorage#saturationLevel()})
     * @return the mask with those pixels invalid and counted as saturated
     */
    public PreparedMask withSaturation(PreparedMask found, PatternStatistics stats, double level) {
        DetectorMask below = stats.belowLevel(level);
        return new PreparedMask(found.mask().and(below), found.given(), found.beamStop(), found.hot(), found.dead(),
            found.flare(), found.outsideAperture(), below);
    }

    /**
     * The region beyond the condenser aperture: a circle fitted to the edge of the dark regions
     * that touch the detector's border, with the dark side outside. Edge points are the lit pixels
     * 4-adjacent to such a dark region; the circle is fitted to them by algebraic least squares
     * (Kåsa) and refitted to the points within max(2 px, 3 robust SDs) of it until the inliers repeat,
     * which drops a needle stop's straight edges. Accepted when at least 40 % of the edge points and
     * a quarter of the circle's circumference are inliers, the radius is at least a quarter of
     * the detector's smaller side, and the ring just outside the circle is mostly dark (≥ 80 % of
     * its detector pixels in the dark region) while the ring just inside is mostly lit (≤ 20 %).
     * Everything beyond the circle's radius minus {@link MaskOptions#growPx()} is outside.
     *
     * @return outside-aperture pixels (all false when no aperture edge is found)
     */
    private boolean[] outsideAperture(boolean[] shadow, int ky, int kx) {
        int n = ky * kx;
        boolean[] out = new boolean[n];
        // Dark regions that touch the border.
        boolean[] border = new boolean[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int p = 0; p < n; p++) {
            int i = p / kx;
            int j = p % kx;
            if (shadow[p] && (i == 0 || j == 0 || i == ky - 1 || j == kx - 1) && !border[p]) {
                border[p] = true;
                queue.add(p);
                while (!queue.isEmpty()) {
                    int q = queue.poll();
                    int a = q / kx;
                    int b = q % kx;
                    int[] nb = {a > 0 ? q - kx : -1, a < ky - 1 ? q + kx : -1, b > 0 ? q - 1 : -1, b < kx - 1 ? q + 1 : -1};
                    for (int r : nb) {
                        if (r >= 0 && shadow[r] && !border[r]) {
                            border[r] = true;
                            queue.add(r);
                        }
                    }
                }
            }
        }
        int m = 0;
        double[] ys = new double[n];
        double[] xs = new double[n];
        for (int p = 0; p < n; p++) {
            if (shadow[p]) {
                continue;
            }
            int i = p / kx;
            int j = p % kx;
            if ((i > 0 && border[p - kx]) || (i < ky - 1 && border[p + kx]) || (j > 0 && border[p - 1]) || (j < kx - 1 && border[p + 1])) {
                ys[m] = i;
                xs[m] = j;
                m++;
            }
        }
        if (m < 12) {
            return out;
        }
        boolean[] use = new boolean[m];
        Arrays.fill(use, true);
        double[] c = null;
        for (int iter = 0; iter < 20; iter++) {
            c = kasa(ys, xs, use, m);
            if (c == null) {
                return out;
            }
            double[] res = new double[m];
            for (int k = 0; k < m; k++) {
                res[k] = Math.abs(Math.hypot(ys[k] - c[0], xs[k] - c[1]) - c[2]);
            }
            double[] sorted = Arrays.copyOf(res, m);
            double mad = 1.4826 * median(sorted, m);
            double tol = Math.max(2, 3 * mad);
            boolean changed = false;
            for (int k = 0; k < m; k++) {
                boolean u = res[k] <= tol;
                changed |= u != use[k];
                use[k] = u;
            }
            if (!changed) {
                break;
            }
        }
        int inliers = 0;
        for (boolean u : use) {
            if (u) {
                inliers++;
            }
        }
        double r = c[2];
        if (inliers < 0.4 * m || inliers < 0.25 * 2 * Math.PI * r || !(r >= 0.25 * Math.min(ky, kx))) {
            return out;
        }
        int darkOut = 0;
        int allOut = 0;
        int darkIn = 0;
        int allIn = 0;
        for (int p = 0; p < n; p++) {
            double d = Math.hypot(p / kx - c[0], p % kx - c[1]) - r;
            if (d > 1.5 && d <= 4.5) {
                allOut++;
                darkOut += border[p] ? 1 : 0;
            } else if (d < -1.5 && d >= -4.5) {
                allIn++;
                darkIn += border[p] ? 1 : 0;
            }
        }
        if (allOut == 0 || darkOut < 0.8 * allOut || darkIn > 0.2 * allIn) {
            return out;
        }
        for (int p = 0; p < n; p++) {
            out[p] = Math.hypot(p / kx - c[0], p % kx - c[1]) > r - options.growPx();
        }
        return out;
    }

    /** Kåsa's algebraic circle fit {@code x² + y² + D x + E y + F = 0}; @return {cy, cx, r} or null. */
    private static double[] kasa(double[] ys, double[] xs, boolean[] use, int m) {
        double[][] a = new double[3][3];
        double[] b = new double[3];
        double my = 0;
        double mx = 0;
        int c = 0;
        for (int k = 0; k < m; k++) {
            if (use[k]) {
                my += ys[k];
                mx += xs[k];
                c++;
            }
        }
        if (c < 3) {
            return null;
        }
        my /= c;
        mx /= c;
        for (int k = 0; k < m; k++) {
            if (!use[k]) {
                continue;
            }
            double y = ys[k] - my;
            double x = xs[k] - mx;
            double[] row = {x, y, 1};
            double rhs = -(x * x + y * y);
            for (int i = 0; i < 3; i++) {
                b[i] += row[i] * rhs;
                for (int j = 0; j < 3; j++) {
                    a[i][j] += row[i] * row[j];
                }
            }
        }
        double[] sol = RingFit.leastSquares(new DMatrixRMaj(a), b);
        if (sol == null) {
            return null;
        }
        double cx = -sol[0] / 2;
        double cy = -sol[1] / 2;
        double r2 = cx * cx + cy * cy - sol[2];
        if (!(r2 > 0)) {
            return null;
        }
        return new double[] {cy + my, cx + mx, Math.sqrt(r2)};
    }

    private static boolean[] not(boolean[] b) {
        boolean[] r = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = !b[i];
        }
        return r;
    }

    private boolean[] beamStop(double[] mean, boolean[] usable, int ky, int kx) {
        int n = ky * kx;
        double[] v = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (usable[i] && Double.isFinite(mean[i])) {
                v[m++] = mean[i];
            }
        }
        boolean[] shadow = new boolean[n];
        if (m == 0) {
            return shadow;
        }
        double threshold = options.beamStopFraction() * median(v, m);
        boolean[] low = new boolean[n];
        for (int i = 0; i < n; i++) {
            low[i] = !(mean[i] >= threshold);
        }
        // Connected regions of low pixels (4-neighbours), kept if large enough.
        int[] label = new int[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        int[] members = new int[n];
        for (int start = 0; start < n; start++) {
            if (!low[start] || label[start] != 0) {
                continue;
            }
            int size = 0;
            queue.add(start);
            label[start] = 1;
            while (!queue.isEmpty()) {
                int p = queue.poll();
                members[size++] = p;
                int i = p / kx;
                int j = p % kx;
                int[] nb = {i > 0 ? p - kx : -1, i < ky - 1 ? p + kx : -1, j > 0 ? p - 1 : -1, j < kx - 1 ? p + 1 : -1};
                for (int q : nb) {
                    if (q >= 0 && low[q] && label[q] == 0) {
                        label[q] = 1;
                        queue.add(q);
                    }
                }
            }
            if (size >= options.beamStopMinPixels()) {
                for (int k = 0; k < size; k++) {
                    shadow[members[k]] = true;
                }
            }
        }
        for (int g = 0; g < options.growPx(); g++) {
            boolean[] grown = shadow.clone();
            for (int p = 0; p < n; p++) {
                if (shadow[p]) {
                    continue;
                }
                int i = p / kx;
                int j = p % kx;
                if ((i > 0 && shadow[p - kx]) || (i < ky - 1 && shadow[p + kx]) || (j > 0 && shadow[p - 1])
                    || (j < kx - 1 && shadow[p + 1])) {
                    grown[p] = true;
                }
            }
            shadow = grown;
        }
        return shadow;
    }

    /** Median of each pixel's valid 5×5 neighbours (itself excluded); NaN where there are none. */
    private static double[] localMedian(double[] v, boolean[] ok, int ky, int kx) {
        double[] out = new double[v.length];
        double[] buf = new double[24];
        for (int i = 0; i < ky; i++) {
            for (int j = 0; j < kx; j++) {
                int c = 0;
                for (int a = Math.max(0, i - 2); a <= Math.min(ky - 1, i + 2); a++) {
                    for (int b = Math.max(0, j - 2); b <= Math.min(kx - 1, j + 2); b++) {
                        int p = a * kx + b;
                        if ((a != i || b != j) && ok[p]) {
                            buf[c++] = v[p];
                        }
                    }
                }
                out[i * kx + j] = c == 0 ? Double.NaN : median(buf, c);
            }
        }
        return out;
    }

    /** Median of the first n values (reorders them). */
    private static double median(double[] v, int n) {
        Arrays.sort(v, 0, n);
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    @Override
    public String toString() {
        return "MaskFinder[" + options + "]";
    }
}
