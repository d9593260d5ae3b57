/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.fivedstem.api.internal.Checks;

/**
 * The global search of {@link CenterFinder}: which rings of the mean pattern are rings about some
 * centre, and how well each is supported ({@link RingCandidate}). It replaces a start at the
 * intensity centroid, which a bright flare or an off-centre aperture pulls away from the halo.
 *
 * <p><b>Method.</b> The pattern is averaged in blocks of f × f pixels (f = ⌊min(ky, kx)/100⌋, at
 * least 1, and at most a quarter of the smallest radius searched), keeping blocks at least half
 * valid. Every second block centre is a candidate centre. About each candidate the valid blocks
 * are binned by radius (bins of f px) and octant; the azimuthal profile's interior maxima within
 * the radius range are rings, each with a half width (at half its prominence) and a support
 * ({@link RingCandidate}). The best ring of every candidate is kept; the best candidates are
 * refined by moving one block at a time while the support grows. Rings whose centres lie within
 * their half width (or 4 blocks) of a better one, at a similar radius, are the same ring.
 *
 * <p>Cost: (blocks) × (candidates) ≈ (ky·kx/f²)²/4 operations, about 3·10⁷ for 512 × 512.
 */
final class RingSearch {

    static final int SECTORS = 8;
    private static final int KEEP = 5;
    /**
     * Smallest t statistic of the octant excesses of the fitted ring, {@code t = mean(e)/(sd(e)/√n)}
     * over the n octants seen. Measured: 22–154 for the halos of radius 25–250 px of
     * CenterFinderRealPatternTest, down to about 6 for 10-px halos whose inner shoulder holds the
     * flare; the fit on a pattern of speckle without halo is refused by it.
     */
    static final double MIN_T = 5;

    /** A ring found: the candidate (in px) and its half width in px. */
    record Found(RingCandidate ring, double halfWidthPx) {
    }

    private final double[] value;
    private final double[] weight;
    private final double[] by;
    private final double[] bx;
    private final int blocks;
    private final int f;
    private final int ny;
    private final int nx;
    private final int ky;
    private final int kx;
    private final int binLo;
    private final int binHi;
    private final int bins;
    private final double pixelSize;
    private final double[][] sum;
    private final double[][] cnt;
    private final int[] blockAt;
    private final int reach;
    private int candidatesTried;
    private double lastT;

    RingSearch(double[] img, boolean[] ok, int ky, int kx, double rMinPx, double rMaxPx, double pixelSizeInverseNm) {
        this.ky = ky;
        this.kx = kx;
        this.pixelSize = pixelSizeInverseNm;
        int auto = Math.max(1, Math.min(ky, kx) / 100);
        this.f = Double.isNaN(rMinPx) ? auto : Math.max(1, Math.min(auto, (int) (rMinPx / 4)));
        ny = (ky + f - 1) / f;
        nx = (kx + f - 1) / f;
        double[] v = new double[ny * nx];
        double[] w = new double[ny * nx];
        double[] yy = new double[ny * nx];
        double[] xx = new double[ny * nx];
        int[] present = new int[ny * nx];
        for (int i = 0; i < ky; i++) {
            for (int j = 0; j < kx; j++) {
                int b = (i / f) * nx + j / f;
                present[b]++;
                if (ok[i * kx + j]) {
                    v[b] += img[i * kx + j];
                    w[b]++;
                    yy[b] += i;
                    xx[b] += j;
                }
            }
        }
        int m = 0;
        blockAt = new int[ny * nx];
        Arrays.fill(blockAt, -1);
        for (int b = 0; b < v.length; b++) {
            if (w[b] > 0 && 2 * w[b] >= present[b]) {
                blockAt[b] = m;
                v[m] = v[b] / w[b];
                yy[m] = yy[b] / w[b];
                xx[m] = xx[b] / w[b];
                w[m] = w[b];
                m++;
            }
        }
        blocks = m;
        value = Arrays.copyOf(v, m);
        weight = Arrays.copyOf(w, m);
        by = Arrays.copyOf(yy, m);
        bx = Arrays.copyOf(xx, m);
        bins = (int) Math.ceil(Math.hypot(ky, kx) / f) + 2;
        binLo = Double.isNaN(rMinPx) ? 3 : Math.max(2, (int) Math.floor(rMinPx / f));
        binHi = Double.isNaN(rMaxPx) ? bins - 3 : Math.min(bins - 3, (int) Math.ceil(rMaxPx / f));
        // A ring of bin b has half width ≤ b/2 and shoulders out to b + 2.5·hw ≤ 2.25·b.
        reach = (int) Math.ceil(2.25 * binHi) + 2;
        sum = new double[SECTORS][bins];
        cnt = new double[SECTORS][bins];
    }

    /** @return the block size f in px */
    int blockPx() {
        return f;
    }

    /** @return what was searched, for messages */
    String describe() {
        String q = Double.isNaN(pixelSize) ? ""
            : Checks.format(" = %.3g–%.3g nm⁻¹", binLo * f * pixelSize, binHi * f * pixelSize);
        return Checks.format("%d candidate centres every %d px, ring radii %d–%d px%s, %d of %d blocks of %d×%d px valid",
            candidatesTried, 2 * f, binLo * f, binHi * f, q, blocks, ny * nx, f, f);
    }

    /** @return the distinct rings found, best supported first (at most 5; empty if none) */
    List<Found> run() {
        if (binHi <= binLo + 2 || blocks == 0) {
            return List.of();
        }
        List<double[]> scored = new ArrayList<>(); // {support, ci, cj, bin, hw, seen}
        for (int a = 0; a < ny; a += 2) {
            for (int b = 0; b < nx; b += 2) {
                double[] s = score(centre(a, ny, ky), centre(b, nx, kx));
                candidatesTried++;
                if (s != null) {
                    scored.add(new double[] {s[0], a, b, s[1], s[2], s[3]});
                }
            }
        }
        scored.sort(Comparator.comparingDouble((double[] s) -> -s[0]));
        List<Found> found = new ArrayList<>();
        int refined = 0;
        for (double[] s : scored) {
            if (found.size() == KEEP || refined == 4 * KEEP) {
                break;
            }
            if (isKnown(found, centre((int) s[1], ny, ky), centre((int) s[2], nx, kx), s[3] * f)) {
                continue;
            }
            // Climb one block at a time while the support of this ring (its bands fixed, the ridge
            // bin free by ±1) grows: with fixed bands the contrast is largest where the ring is sharpest.
            int a = (int) s[1];
            int b = (int) s[2];
            double hw = s[4];
            double[] best = fixedScore(centre(a, ny, ky), centre(b, nx, kx), (int) s[3], hw);
            refined++;
            if (best == null) {
                continue;
            }
            for (boolean moved = true; moved; ) {
                moved = false;
                int ba = a;
                int bb = b;
                double[] step = best;
                for (int da = -1; da <= 1; da++) {
                    for (int db = -1; db <= 1; db++) {
                        int na = a + da;
                        int nb = b + db;
                        if ((da == 0 && db == 0) || na < 0 || nb < 0 || na >= ny || nb >= nx) {
                            continue;
                        }
                        double[] t = fixedScore(centre(na, ny, ky), centre(nb, nx, kx), (int) best[1], hw);
                        candidatesTried++;
                        if (t != null && t[0] > step[0]) {
                            step = t;
                            ba = na;
                            bb = nb;
                            moved = true;
                        }
                    }
                }
                best = step;
                a = ba;
                b = bb;
            }
            double cy = centre(a, ny, ky);
            double cx = centre(b, nx, kx);
            if (isKnown(found, cy, cx, best[1] * f)) {
                continue;
            }
            double r = best[1] * f;
            found.add(new Found(new RingCandidate(cy, cx, r, Double.isNaN(pixelSize) ? Double.NaN : r * pixelSize, best[0],
                (int) best[3]), best[2] * f));
        }
        found.sort(Comparator.comparingDouble((Found x) -> -x.ring().support()));
        return found;
    }

    private static double centre(int block, int n, int size) {
        return Math.min(size - 1, block * (double) size / n + 0.5 * size / n - 0.5);
    }

    private boolean isKnown(List<Found> found, double cy, double cx, double r) {
        for (Found x : found) {
            double near = Math.max(x.halfWidthPx(), 4 * f);
            if (Math.hypot(cy - x.ring().centerKyPx(), cx - x.ring().centerKxPx()) <= near
                && Math.abs(r - x.ring().radiusPx()) <= 2 * x.halfWidthPx()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The prominence of a radial-profile maximum: its height above the higher of the lowest values
     * reached on either side before the profile ends or turns undefined (NaN).
     *
     * @param prof the radial profile, NaN where a bin is not trusted
     * @param b the bin of the maximum
     * @return the prominence, in the profile's units
     */
    static double prominence(double[] prof, int b) {
        double left = prof[b];
        for (int k = b - 1; k >= 0 && !Double.isNaN(prof[k]); k--) {
            left = Math.min(left, prof[k]);
        }
        double right = prof[b];
        for (int k = b + 1; k < prof.length && !Double.isNaN(prof[k]); k++) {
            right = Math.min(right, prof[k]);
        }
        return prof[b] - Math.max(left, right);
    }

    /**
     * @return {support, ridge bin, half width in bins, octants seen} of the best ring about
     *     (cy, cx) in px, or null if there is none
     */
    private double[] score(double cy, double cx) {
        double[] prof = profile(cy, cx);
        double[] best = null;
        for (int b = Math.max(1, binLo); b <= binHi && b + 1 < bins; b++) {
            if (!(prof[b] >= prof[b - 1]) || !(prof[b] > prof[b + 1])) {
                continue;
            }
            double prom = prominence(prof, b);
            if (!(prom > 0)) {
                continue;
            }
            double half = prof[b] - 0.5 * prom;
            int l = b;
            while (l > 0 && prof[l - 1] > half) {
                l--;
            }
            int r = b;
            while (r < bins - 1 && prof[r + 1] > half) {
                r++;
            }
            double hw = Math.max(1, Math.min(0.5 * (r - l + 1), b / 2.0));
            double[] sup = support(b, hw);
            if (sup != null && (best == null || sup[0] > best[0])) {
                best = new double[] {sup[0], b, hw, sup[1]};
            }
        }
        return best;
    }

    /**
     * @return {support, ridge bin, half width, octants seen} of the ring with the given half width
     *     at bin b0 − 1, b0 or b0 + 1 about (cy, cx), whichever is best supported; null if none is
     */
    private double[] fixedScore(double cy, double cx, int b0, double hw) {
        profile(cy, cx);
        double[] best = null;
        for (int b = Math.max(1, b0 - 1); b <= Math.min(bins - 2, b0 + 1); b++) {
            double[] sup = support(b, hw);
            if (sup != null && (best == null || sup[0] > best[0])) {
                best = new double[] {sup[0], b, hw, sup[1]};
            }
        }
        return best;
    }

    /** Bins the blocks about (cy, cx) by radius and octant; @return the azimuthal profile (NaN: not trusted) */
    private double[] profile(double cy, double cx) {
        for (int s = 0; s < SECTORS; s++) {
            Arrays.fill(sum[s], 0);
            Arrays.fill(cnt[s], 0);
        }
        double inv = 1.0 / f;
        int ca = (int) (cy / f);
        int cb = (int) (cx / f);
        for (int a = Math.max(0, ca - reach); a <= Math.min(ny - 1, ca + reach); a++) {
            for (int g = Math.max(0, cb - reach); g <= Math.min(nx - 1, cb + reach); g++) {
                int k = blockAt[a * nx + g];
                if (k < 0) {
                    continue;
                }
                accumulate(k, cy, cx, inv);
            }
        }
        double[] prof = new double[bins];
        for (int b = 0; b < bins; b++) {
            double sv = 0;
            double sc = 0;
            int seen = 0;
            for (int s = 0; s < SECTORS; s++) {
                sv += sum[s][b];
                sc += cnt[s][b];
                if (cnt[s][b] > 0) {
                    seen++;
                }
            }
            // Bins with less than a quarter of their octants seen are not trusted.
            prof[b] = sc > 0 && seen >= SECTORS / 4 ? sv / sc : Double.NaN;
        }
        return prof;
    }

    private void accumulate(int k, double cy, double cx, double inv) {
        double dy = by[k] - cy;
        double dx = bx[k] - cx;
        int bin = Math.min(bins - 1, (int) (Math.sqrt(dy * dy + dx * dx) * inv + 0.5));
        int s = octant(dy, dx);
        sum[s][bin] += value[k] * weight[k];
        cnt[s][bin] += weight[k];
    }

    /** @return {support, octants seen} of a ring at bin b with half width hw (bins), or null */
    private double[] support(int b, double hw) {
        int ridge = (int) Math.floor(hw / 2);
        int in0 = b - (int) Math.round(2.5 * hw);
        int in1 = b - Math.max(ridge + 1, (int) Math.round(1.5 * hw));
        int out0 = b + Math.max(ridge + 1, (int) Math.round(1.5 * hw));
        int out1 = b + (int) Math.round(2.5 * hw);
        double[] e = new double[SECTORS];
        double[] n = new double[SECTORS];
        int seen = 0;
        for (int s = 0; s < SECTORS; s++) {
            double[] rr = band(s, b - ridge, b + ridge);
            double[] ii = band(s, in0, in1);
            double[] oo = band(s, out0, out1);
            if (rr[1] == 0 || (ii[1] == 0 && oo[1] == 0)) {
                continue;
            }
            double shoulder = ii[1] == 0 ? oo[0] : oo[1] == 0 ? ii[0] : Math.max(ii[0], oo[0]);
            e[seen] = rr[0] - shoulder;
            n[seen] = rr[1];
            seen++;
        }
        double pixels = 0;
        for (int k = 0; k < seen; k++) {
            pixels += n[k];
        }
        // At least half the ridge band's area must be seen (valid, inside the detector): an arc of a
        // ring about a point near the detector's edge is not evidence of a ring about that point.
        if (seen < SECTORS / 2 + 1 || pixels < 0.5 * 2 * Math.PI * b * f * f * (2 * ridge + 1)) {
            return null;
        }
        double[] sorted = Arrays.copyOf(e, seen);
        Arrays.sort(sorted);
        double median = seen % 2 == 1 ? sorted[seen / 2] : 0.5 * (sorted[seen / 2 - 1] + sorted[seen / 2]);
        if (!(median > 0)) {
            return null;
        }
        double meanE = 0;
        for (int s = 0; s < seen; s++) {
            meanE += e[s] / seen;
        }
        double var = 0;
        for (int s = 0; s < seen; s++) {
            var += (e[s] - meanE) * (e[s] - meanE) / (seen - 1);
        }
        lastT = meanE / Math.sqrt(var / seen);
        double total = 0;
        for (int s = 0; s < seen; s++) {
            total += Math.max(0, Math.min(e[s], median)) * n[s];
        }
        return new double[] {total, seen};
    }

    /** @return {mean, pixel count} of sector s over bins lo..hi */
    private double[] band(int s, int lo, int hi) {
        double v = 0;
        double c = 0;
        for (int b = Math.max(0, lo); b <= Math.min(bins - 1, hi); b++) {
            v += sum[s][b];
            c += cnt[s][b];
        }
        return new double[] {c > 0 ? v / c : Double.NaN, c};
    }

    private static int octant(double dy, double dx) {
        if (dx >= 0) {
            if (dy >= 0) {
                return dx >= dy ? 0 : 1;
            }
            return dx >= -dy ? 7 : 6;
        }
        if (dy >= 0) {
            return -dx >= dy ? 3 : 2;
        }
        return -dx >= -dy ? 4 : 5;
    }

    /**
     * @return the t statistic of the octant excesses of the ring of the given radius and half width
     *     (px) about (cy, cx); NaN when fewer than 5 octants see it
     */
    double uniformity(double cy, double cx, double radiusPx, double halfWidthPx) {
        profile(cy, cx);
        lastT = Double.NaN;
        support((int) Math.round(radiusPx / f), Math.max(1, halfWidthPx / f));
        return lastT;
    }

    int candidatesTried() {
        return candidatesTried;
    }
}
