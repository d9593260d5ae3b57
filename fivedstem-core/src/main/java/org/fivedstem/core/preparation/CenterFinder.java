/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.preparation.internal.RingFit;

/**
 * Finds the pattern centre from the amorphous halo of the mean pattern, where a beam stop hides
 * the direct beam: a circle (or an ellipse) fitted to the halo ridge.
 *
 * <pre>{@code
 * CenterEstimate c = CenterFinder.of(CenterOptions.defaults().withEllipse(true))
 *     .estimate(stats.meanPattern(), ky, kx, mask);
 * Calibration cal = c.applyTo(dataset.calibration());
 * }</pre>
 *
 * <p><b>Search.</b> Unless a start point is given, the rings of the pattern about every candidate
 * centre are scored by their support (their excess over both shoulders in each of 8 octants,
 * clipped at the median octant, times the ridge band's pixels; see {@link RingCandidate}) within
 * the radius range — with the pixel size known ({@link CenterOptions#withPixelSizeInverseNm}),
 * only where an amorphous halo can be, 3–6 nm⁻¹ by default. A flare is a ring about the beam stop's
 * tip, bright in one or two octants about the true centre, so it is clipped away there; an aperture
 * edge is a step with no ridge. The best-supported ring is fitted; if its fit fails or drifts off
 * it, the next one is; the others are reported ({@link CenterEstimate#otherRings()}).
 *
 * <p><b>Fit.</b> From the ring's centre (or the start point, with the ridge radius R and half width
 * w of the azimuthal profile about it), along each of N rays the pattern is sampled every ¼ px
 * (bilinear interpolation of valid pixels only) over {@code R ± min(1.5 w + 3, R/2)}; the ridge point
 * on the ray is the vertex of a least-squares parabola through the samples within ±w (shortened
 * symmetrically where the edge or a mask cuts it, down to ±w/2) of the maximum of the profile
 * smoothed over ±w/2. A circle (geometric least squares) or an ellipse (conic least squares) is
 * fitted to the ridge points, and the rays are cast again from the fitted centre until it moves
 * less than 10⁻⁴ px. Along a ray from the true centre the ridge is symmetric (for a circular and
 * for an elliptically distorted halo alike), so the parabola vertex is unbiased at convergence.
 * The fitted ring must be brighter than its shoulders consistently around the circle: the t
 * statistic of its octant excesses, {@code mean(e)/(sd(e)/√n)}, at least 5.
 *
 * <p><b>Uncertainty.</b> Delete-one jackknife over angular sectors (12 by default): the fit is
 * repeated without each sector, and {@code SE² = (G−1)/G Σ (c_g − c̄)²}. Neighbouring rays share
 * pixels, so a formula that treats ridge points as independent would understate the error; the
 * sector jackknife does not.
 *
 * <p>A ray's window is shortened where it meets a masked pixel (beam stop and its arm, hot or dead
 * pixels) or the pattern edge, to the largest symmetric window of valid samples, and the ray is
 * skipped when that is below half the window; at least a quarter of the rays must give a ridge point.
 */
public final class CenterFinder {

    private static final double STEP = 0.25;

    private final CenterOptions options;

    private CenterFinder(CenterOptions options) {
        this.options = options;
    }

    /**
     * @param options how to search
     * @return a finder
     */
    public static CenterFinder of(CenterOptions options) {
        return new CenterFinder(Objects.requireNonNull(options, "options"));
    }

    /** @return a finder with {@link CenterOptions#defaults()} */
    public static CenterFinder defaults() {
        return of(CenterOptions.defaults());
    }

    /** @return the options */
    public CenterOptions options() {
        return options;
    }

    /**
     * @param pattern {@code ky·kx} values, row-major (the mean pattern). Not modified.
     * @param ky pattern rows
     * @param kx pattern columns
     * @param mask valid pixels, or null for all; non-finite values are treated as invalid too
     * @return the centre estimate
     * @throws IllegalArgumentException if no halo ridge is found (the message says why)
     */
    public CenterEstimate estimate(double[] pattern, int ky, int kx, DetectorMask mask) {
        Objects.requireNonNull(pattern, "pattern");
        Checks.positive("ky", ky);
        Checks.positive("kx", kx);
        Checks.length("pattern", ky * kx, pattern.length);
        if (mask != null && (mask.ky() != ky || mask.kx() != kx)) {
            throw new IllegalArgumentException(Checks.format("mask of %d×%d pixels does not match the %d×%d pattern",
                mask.ky(), mask.kx(), ky, kx));
        }
        boolean[] ok = new boolean[pattern.length];
        for (int i = 0; i < ok.length; i++) {
            ok[i] = Double.isFinite(pattern[i]) && (mask == null || mask.isValid(i));
        }
        return new Search(pattern, ok, ky, kx).run();
    }

    /** One estimation: the image, its validity, and the evolving centre. */
    private final class Search {
        final double[] img;
        final boolean[] ok;
        final int ky;
        final int kx;

        /** Running sums of one ray's samples (reused between rays). */
        private double[] prefixSum = new double[0];
        private int[] prefixCount = new int[0];

        Search(double[] img, boolean[] ok, int ky, int kx) {
            this.img = img;
            this.ok = ok;
            this.ky = ky;
            this.kx = kx;
        }

        CenterEstimate run() {
            if (!Double.isNaN(options.startKyPx())) {
                double[] c = {options.startKyPx(), options.startKxPx()};
                double[] ridge = ridgeRadius(c[0], c[1]);
                return refine(c, ridge[0], ridge[1], null, List.of());
            }
            start(); // refuses an empty or flat pattern with its own message
            double[] radii = options.searchRadiiPx();
            RingSearch search = new RingSearch(img, ok, ky, kx, radii[0], radii[1], options.pixelSizeInverseNm());
            List<RingSearch.Found> rings = search.run();
            if (rings.isEmpty()) {
                throw new IllegalArgumentException("no halo ridge (a ring brighter than its inside and outside in at least 5 of 8 "
                    + "octants about one centre) in the pattern; searched " + search.describe());
            }
            List<String> failures = new ArrayList<>();
            for (int k = 0; k < rings.size(); k++) {
                RingSearch.Found r = rings.get(k);
                RingCandidate ring = r.ring();
                List<RingCandidate> others = new ArrayList<>();
                for (int o = 0; o < rings.size(); o++) {
                    if (o != k) {
                        others.add(rings.get(o).ring());
                    }
                }
                double halfWidth = Math.max(2, Math.min(r.halfWidthPx(), ring.radiusPx() / 3));
                try {
                    CenterEstimate e = refine(new double[] {ring.centerKyPx(), ring.centerKxPx()}, ring.radiusPx(), halfWidth, ring,
                        others);
                    // The fit must stay on the ring the search found, not slide onto another one.
                    double moved = Math.hypot(e.centerKyPx() - ring.centerKyPx(), e.centerKxPx() - ring.centerKxPx());
                    double allowed = Math.max(2 * halfWidth, 3.0 * search.blockPx());
                    if (moved > allowed || Math.abs(e.radiusPx() - ring.radiusPx()) > allowed) {
                        throw new IllegalArgumentException(Checks.format("the fit moved to (%.1f, %.1f) px, radius %.1f px, off the ring",
                            e.centerKyPx(), e.centerKxPx(), e.radiusPx()));
                    }
                    // A halo is brighter than its shoulders all around the fitted centre, not by chance.
                    double t = search.uniformity(e.centerKyPx(), e.centerKxPx(), e.radiusPx(), halfWidth);
                    if (!(t >= RingSearch.MIN_T)) {
                        throw new IllegalArgumentException(Checks.format("about the fitted centre (%.1f, %.1f) px the ring of radius %.1f px "
                            + "is not consistently brighter than its shoulders around the circle (t = %.2f over the octants, need %.0f)",
                            e.centerKyPx(), e.centerKxPx(), e.radiusPx(), t, RingSearch.MIN_T));
                    }
                    return e;
                } catch (IllegalArgumentException ex) {
                    failures.add(ring + ": " + ex.getMessage());
                }
            }
            throw new IllegalArgumentException("no ring of the pattern could be fitted as the halo: " + String.join("; ", failures)
                + "; searched " + search.describe());
        }

        /** The ray-casting fit from a start centre and ridge radius (see the class notes). */
        private CenterEstimate refine(double[] start, double startRadius, double halfWidth, RingCandidate ring,
                                      List<RingCandidate> others) {
            double[] c = start;
            double radius = startRadius;
            int n = options.rays();
            double[] ys = new double[n];
            double[] xs = new double[n];
            boolean[] found = new boolean[n];
            double[] fit = null;
            int iterations = 0;
            double lastMove = Double.POSITIVE_INFINITY;
            double span = span(halfWidth, radius, 0);
            for (int iter = 0; iter < options.maxIterations(); iter++) {
                iterations++;
                int used = castRays(c[0], c[1], radius, span, halfWidth, ys, xs, found);
                if (used < Math.max(12, n / 4)) {
                    throw new IllegalArgumentException(Checks.format(
                        "the halo ridge at radius %.1f px around (%.1f, %.1f) px was found on only %d of %d rays; "
                            + "too much of the ring is masked or outside the %d×%d pattern", radius, c[0], c[1], used, n, ky, kx));
                }
                double[] f = fitRing(ys, xs, found, c[0], c[1], radius);
                if (f == null) {
                    throw new IllegalArgumentException("the halo ridge points do not determine a "
                        + (options.ellipse() ? "ellipse" : "circle"));
                }
                double move = Math.hypot(f[0] - c[0], f[1] - c[1]);
                lastMove = move;
                fit = f;
                c = new double[] {f[0], f[1]};
                radius = Math.sqrt(f[2] * f[3]);
                // Allow for the ellipse: ridge radii on the rays spread over [b, a].
                span = span(halfWidth, radius, (f[2] - f[3]) / 2);
                if (move < 1e-4) {
                    break;
                }
            }
            // An estimate still moving after the last iteration by more than the centre's statistical
            // error on such rings (0.2–2 px measured, growing with the radius) has not settled on the
            // ring: refused rather than reported as converged. Smaller oscillations are noise.
            if (lastMove > Math.max(0.5, 0.01 * radius)) {
                throw new IllegalArgumentException(Checks.format("the ring fit around (%.1f, %.1f) px did not converge in %d "
                    + "iterations (the last step moved the centre by %.2f px)", c[0], c[1], iterations, lastMove));
            }
            int used = castRays(c[0], c[1], radius, span, halfWidth, ys, xs, found);
            if (used < Math.max(12, n / 4)) {
                throw new IllegalArgumentException(Checks.format(
                    "the halo ridge at radius %.1f px around (%.1f, %.1f) px was found on only %d of %d rays; "
                        + "too much of the ring is masked or outside the %d×%d pattern", radius, c[0], c[1], used, n, ky, kx));
            }
            double[] full = fitRing(ys, xs, found, c[0], c[1], radius);
            if (full == null) {
                full = fit;
            }
            return finish(full, ys, xs, found, iterations, ring, others);
        }

        /**
         * @return the half length of the ray window about the ridge radius: 1.5 w + 3 px (plus the
         *     ellipse's spread), but at most half the radius, so that a flare about a stop's tip near
         *     the centre stays out of the window of a small halo
         */
        private double span(double halfWidth, double radius, double ellipseSpread) {
            return Math.min(1.5 * halfWidth + 3, 0.5 * radius) + ellipseSpread;
        }

        private double[] fitRing(double[] ys, double[] xs, boolean[] use, double cy, double cx, double r) {
            return options.ellipse() ? RingFit.ellipse(ys, xs, use, cy, cx, r) : RingFit.circle(ys, xs, use, cy, cx);
        }

        private CenterEstimate finish(double[] f, double[] ys, double[] xs, boolean[] found, int iterations, RingCandidate ring,
                                      List<RingCandidate> others) {
            int n = ys.length;
            int g = options.sectors();
            double[][] jack = new double[g][];
            boolean[] use = new boolean[n];
            int valid = 0;
            for (int s = 0; s < g; s++) {
                for (int k = 0; k < n; k++) {
                    use[k] = found[k] && (int) ((long) k * g / n) != s;
                }
                jack[s] = fitRing(ys, xs, use, f[0], f[1], Math.sqrt(f[2] * f[3]));
                if (jack[s] != null) {
                    valid++;
                }
            }
            double[] se = new double[4];
            double[] mean = new double[4];
            for (double[] j : jack) {
                if (j != null) {
                    mean[0] += j[0] / valid;
                    mean[1] += j[1] / valid;
                    mean[2] += j[2] / j[3] / valid;
                    mean[3] += angleOffset(j[4], f[4]) / valid;
                }
            }
            for (double[] j : jack) {
                if (j != null) {
                    se[0] += sq(j[0] - mean[0]);
                    se[1] += sq(j[1] - mean[1]);
                    se[2] += sq(j[2] / j[3] - mean[2]);
                    se[3] += sq(angleOffset(j[4], f[4]) - mean[3]);
                }
            }
            for (int i = 0; i < 4; i++) {
                se[i] = valid > 1 ? Math.sqrt((valid - 1.0) / valid * se[i]) : Double.NaN;
            }
            // Residuals: distance along the ray in the ring's own metric.
            double sum = 0;
            int used = 0;
            double root = Math.sqrt(f[2] / f[3]);
            double r = Math.sqrt(f[2] * f[3]);
            double cs = Math.cos(f[4]);
            double sn = Math.sin(f[4]);
            for (int k = 0; k < n; k++) {
                if (found[k]) {
                    double dy = ys[k] - f[0];
                    double dx = xs[k] - f[1];
                    double q = Math.hypot((dx * cs + dy * sn) / root, (-dx * sn + dy * cs) * root);
                    double d = Math.hypot(dy, dx);
                    sum += sq((q - r) * d / q);
                    used++;
                }
            }
            boolean ell = options.ellipse();
            return new CenterEstimate(f[0], f[1], se[0], se[1], r, ell ? f[2] / f[3] : 1, ell ? se[2] : 0,
                ell ? f[4] : 0, ell ? se[3] : 0, ell, used, n, Math.sqrt(sum / used), iterations,
                r * options.pixelSizeInverseNm(), ring, others);
        }

        /** The start point: given, or the centroid of the intensity above the median. */
        private double[] start() {
            if (!Double.isNaN(options.startKyPx())) {
                return new double[] {options.startKyPx(), options.startKxPx()};
            }
            double[] v = new double[img.length];
            int m = 0;
            for (int i = 0; i < img.length; i++) {
                if (ok[i]) {
                    v[m++] = img[i];
                }
            }
            if (m == 0) {
                throw new IllegalArgumentException("the pattern has no valid pixel: cannot find the centre");
            }
            Arrays.sort(v, 0, m);
            double median = v[m / 2];
            double sw = 0;
            double sy = 0;
            double sx = 0;
            for (int i = 0; i < img.length; i++) {
                if (ok[i] && img[i] > median) {
                    double w = img[i] - median;
                    sw += w;
                    sy += w * (i / kx);
                    sx += w * (i % kx);
                }
            }
            if (!(sw > 0)) {
                throw new IllegalArgumentException("the pattern is flat (no pixel above the median): no halo to find the centre from");
            }
            return new double[] {sy / sw, sx / sw};
        }

        /** @return {ridge radius, half width} from the azimuthal profile about (cy, cx) */
        private double[] ridgeRadius(double cy, double cx) {
            double far = 0;
            for (int i = 0; i <= 1; i++) {
                for (int j = 0; j <= 1; j++) {
                    far = Math.max(far, Math.hypot(i * (ky - 1) - cy, j * (kx - 1) - cx));
                }
            }
            int bins = (int) Math.ceil(far) + 1;
            double[] s = new double[bins];
            int[] count = new int[bins];
            for (int i = 0; i < ky; i++) {
                for (int j = 0; j < kx; j++) {
                    if (ok[i * kx + j]) {
                        int b = (int) Math.round(Math.hypot(i - cy, j - cx));
                        s[b] += img[i * kx + j];
                        count[b]++;
                    }
                }
            }
            double[] prof = new double[bins];
            for (int b = 0; b < bins; b++) {
                // Bins with less than a quarter of their circumference seen are not trusted.
                prof[b] = count[b] >= Math.max(3, 0.25 * 2 * Math.PI * b) ? s[b] / count[b] : Double.NaN;
            }
            // the same radii as the ring search: the range given, else 3–6 nm⁻¹ with the pixel size known
            double[] radii = options.searchRadiiPx();
            int lo = Double.isNaN(radii[0]) ? 2 : (int) Math.ceil(radii[0]);
            int hi = Double.isNaN(radii[1]) ? bins - 2 : Math.min(bins - 2, (int) Math.floor(radii[1]));
            int best = -1;
            double bestProminence = 0;
            for (int b = Math.max(1, lo); b <= hi; b++) {
                if (!(prof[b] >= prof[b - 1]) || !(prof[b] >= prof[b + 1])) {
                    continue;
                }
                double prom = RingSearch.prominence(prof, b);
                if (prom > bestProminence) {
                    bestProminence = prom;
                    best = b;
                }
            }
            if (best < 0) {
                throw new IllegalArgumentException(Checks.format(
                    "no halo ridge (a ring brighter than its inside and outside) in the azimuthal profile about (%.1f, %.1f) px%s",
                    cy, cx, Double.isNaN(options.radiusMinPx()) ? ""
                        : Checks.format(" between radii %.4g and %.4g px", options.radiusMinPx(), options.radiusMaxPx())));
            }
            double half = prof[best] - 0.5 * bestProminence;
            int l = best;
            while (l > 0 && prof[l - 1] > half) {
                l--;
            }
            int r = best;
            while (r < bins - 1 && prof[r + 1] > half) {
                r++;
            }
            double halfWidth = Math.max(2, Math.min(0.5 * (r - l + 1), best / 3.0));
            return new double[] {best, halfWidth};
        }

        /**
         * Casts the rays; fills the ridge points and flags.
         *
         * @return the number of rays with a ridge point
         */
        private int castRays(double cy, double cx, double radius, double span, double halfWidth, double[] ys, double[] xs,
                             boolean[] found) {
            int n = ys.length;
            int samples = (int) Math.ceil(2 * span / STEP) + 1;
            double r0 = radius - span;
            double[] v = new double[samples];
            int used = 0;
            int half = (int) Math.round(halfWidth / STEP);
            int smooth = half / 2;
            for (int k = 0; k < n; k++) {
                double phi = 2 * Math.PI * k / n;
                double dy = Math.sin(phi);
                double dx = Math.cos(phi);
                for (int s = 0; s < samples; s++) {
                    double r = r0 + s * STEP;
                    v[s] = r > 0 ? sample(cy + r * dy, cx + r * dx) : Double.NaN;
                }
                // The window is centred on the maximum of the profile smoothed over ±w/2, so that one
                // bright speckle does not place it; the parabola then uses the raw samples.
                int best = -1;
                double bestValue = Double.NEGATIVE_INFINITY;
                // running sums of the valid samples: the ±smooth means in O(samples), not O(samples · window)
                if (prefixSum.length < samples + 1) {
                    prefixSum = new double[samples + 1];
                    prefixCount = new int[samples + 1];
                }
                for (int s = 0; s < samples; s++) {
                    boolean valid = !Double.isNaN(v[s]);
                    prefixSum[s + 1] = prefixSum[s] + (valid ? v[s] : 0);
                    prefixCount[s + 1] = prefixCount[s] + (valid ? 1 : 0);
                }
                for (int s = 0; s < samples; s++) {
                    if (Double.isNaN(v[s])) {
                        continue;
                    }
                    int from = Math.max(0, s - smooth);
                    int to = Math.min(samples - 1, s + smooth) + 1;
                    double m = prefixSum[to] - prefixSum[from];
                    int c = prefixCount[to] - prefixCount[from];
                    if (m / c > bestValue) {
                        bestValue = m / c;
                        best = s;
                    }
                }
                found[k] = false;
                // The largest symmetric window of at most ±w about it that holds only valid samples
                // (the detector's edge or a mask may cut it), and at least ±w/2.
                int h = 0;
                while (h < half && best - h - 1 >= 0 && best + h + 1 < samples && !Double.isNaN(v[best - h - 1])
                    && !Double.isNaN(v[best + h + 1])) {
                    h++;
                }
                if (best < 0 || h < Math.max(2, (half + 1) / 2)) {
                    continue;
                }
                // Least-squares parabola through the samples within ±w of the largest.
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                double s4 = 0;
                double t0 = 0;
                double t1 = 0;
                double t2 = 0;
                boolean complete = true;
                for (int s = best - h; s <= best + h; s++) {
                    if (Double.isNaN(v[s])) {
                        complete = false;
                        break;
                    }
                    double u = (s - best) * STEP;
                    double u2 = u * u;
                    s0 += 1;
                    s1 += u;
                    s2 += u2;
                    s3 += u2 * u;
                    s4 += u2 * u2;
                    t0 += v[s];
                    t1 += v[s] * u;
                    t2 += v[s] * u2;
                }
                if (!complete) {
                    continue;
                }
                double[] p = solve3(s0, s1, s2, s1, s2, s3, s2, s3, s4, t0, t1, t2);
                if (p == null || !(p[2] < 0)) {
                    continue;
                }
                double vertex = -p[1] / (2 * p[2]);
                if (!(Math.abs(vertex) <= 0.5 * halfWidth)) {
                    continue;
                }
                double r = r0 + best * STEP + vertex;
                ys[k] = cy + r * dy;
                xs[k] = cx + r * dx;
                found[k] = true;
                used++;
            }
            return used;
        }

        /** Bilinear interpolation of valid pixels; NaN if any of the four is invalid or outside. */
        private double sample(double y, double x) {
            int i = (int) Math.floor(y);
            int j = (int) Math.floor(x);
            if (i < 0 || j < 0 || i + 1 >= ky || j + 1 >= kx) {
                return Double.NaN;
            }
            int a = i * kx + j;
            if (!ok[a] || !ok[a + 1] || !ok[a + kx] || !ok[a + kx + 1]) {
                return Double.NaN;
            }
            double fy = y - i;
            double fx = x - j;
            return (1 - fy) * ((1 - fx) * img[a] + fx * img[a + 1]) + fy * ((1 - fx) * img[a + kx] + fx * img[a + kx + 1]);
        }
    }

    /** Solves a 3×3 system by Cramer's rule (the parabola's normal equations); null if singular. */
    private static double[] solve3(double a, double b, double c, double d, double e, double f, double g, double h, double i,
                                   double r0, double r1, double r2) {
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        if (!(Math.abs(det) > 0)) {
            return null;
        }
        double x = (r0 * (e * i - f * h) - b * (r1 * i - f * r2) + c * (r1 * h - e * r2)) / det;
        double y = (a * (r1 * i - f * r2) - r0 * (d * i - f * g) + c * (d * r2 - r1 * g)) / det;
        double z = (a * (e * r2 - r1 * h) - b * (d * r2 - r1 * g) + r0 * (d * h - e * g)) / det;
        return new double[] {x, y, z};
    }

    /** @return {@code a − b} for axis directions (modulo π), in [−π/2, π/2) */
    private static double angleOffset(double a, double b) {
        double d = (a - b) % Math.PI;
        if (d >= Math.PI / 2) {
            d -= Math.PI;
        } else if (d < -Math.PI / 2) {
            d += Math.PI;
        }
        return d;
    }

    private static double sq(double v) {
        return v * v;
    }

    @Override
    public String toString() {
        return "CenterFinder[" + options + "]";
    }
}
