/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import org.fivedstem.api.internal.Checks;

/**
 * How {@link CenterFinder} looks for the pattern centre. Immutable; configured with withers.
 *
 * <pre>{@code
 * CenterOptions o = CenterOptions.defaults().withEllipse(true).withRadiusRangePx(10, 30);
 * }</pre>
 *
 * <p>Defaults: a circle; 360 rays; the halo searched at every radius, or, once the pixel size is
 * given, at 3.0–6.0 nm⁻¹ (the best-supported ring about any centre wins, see {@link CenterFinder}); the uncertainty from
 * a delete-one jackknife over 12 angular sectors; at most 10 re-centring iterations, stopping when
 * the centre moves less than 10⁻⁴ px.
 */
public final class CenterOptions {

    /** The Q range in which an amorphous halo (first sharp diffraction peak) is searched by default, in nm⁻¹. */
    public static final double HALO_MIN_INVERSE_NM = 3.0;
    /** Upper end of the default halo range, in nm⁻¹ (q = 2 sin θ / λ, the paper's convention; halo at ≈ 4.4). */
    public static final double HALO_MAX_INVERSE_NM = 6.0;

    private static final CenterOptions DEFAULTS = new CenterOptions(false, 360, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, 12, 10, Double.NaN, HALO_MIN_INVERSE_NM, HALO_MAX_INVERSE_NM);

    private final boolean ellipse;
    private final int rays;
    private final double radiusMinPx;
    private final double radiusMaxPx;
    private final double startKyPx;
    private final double startKxPx;
    private final int sectors;
    private final int maxIterations;
    private final double pixelSizeInverseNm;
    private final double haloMinInverseNm;
    private final double haloMaxInverseNm;

    private CenterOptions(boolean ellipse, int rays, double rMin, double rMax, double sy, double sx, int sectors, int iterations,
                          double pixelSize, double qMin, double qMax) {
        this.ellipse = ellipse;
        this.rays = rays;
        this.radiusMinPx = rMin;
        this.radiusMaxPx = rMax;
        this.startKyPx = sy;
        this.startKxPx = sx;
        this.sectors = sectors;
        this.maxIterations = iterations;
        this.pixelSizeInverseNm = pixelSize;
        this.haloMinInverseNm = qMin;
        this.haloMaxInverseNm = qMax;
    }

    /** @return the defaults (see the class notes) */
    public static CenterOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param fit whether to fit an ellipse (centre, axis ratio, angle) instead of a circle
     * @return a copy
     */
    public CenterOptions withEllipse(boolean fit) {
        return new CenterOptions(fit, rays, radiusMinPx, radiusMaxPx, startKyPx, startKxPx, sectors, maxIterations, pixelSizeInverseNm, haloMinInverseNm, haloMaxInverseNm);
    }

    /**
     * @param count rays from the centre along which the ridge is located (24–7200)
     * @return a copy
     */
    public CenterOptions withRays(int count) {
        if (count < 24 || count > 7200) {
            throw new IllegalArgumentException(Checks.format("rays is outside 24–7200: %d", count));
        }
        return new CenterOptions(ellipse, count, radiusMinPx, radiusMaxPx, startKyPx, startKxPx, sectors, maxIterations, pixelSizeInverseNm, haloMinInverseNm, haloMaxInverseNm);
    }

    /**
     * @param minPx smallest radius of the halo ridge, in pixels (finite, ≥ 1)
     * @param maxPx largest radius (&gt; min)
     * @return a copy that searches the ridge only between these radii
     */
    public CenterOptions withRadiusRangePx(double minPx, double maxPx) {
        if (!(minPx >= 1) || !(maxPx > minPx) || Double.isInfinite(maxPx)) {
            throw new IllegalArgumentException(Checks.format(
                "radius range [%s, %s] px is not finite with 1 ≤ min < max", minPx, maxPx));
        }
        return new CenterOptions(ellipse, rays, minPx, maxPx, startKyPx, startKxPx, sectors, maxIterations, pixelSizeInverseNm, haloMinInverseNm, haloMaxInverseNm);
    }

    /**
     * @param kyPx start row in pixels (finite)
     * @param kxPx start column in pixels (finite)
     * @return a copy that starts from this point instead of the centroid
     */
    public CenterOptions withStartPx(double kyPx, double kxPx) {
        return new CenterOptions(ellipse, rays, radiusMinPx, radiusMaxPx, Checks.finite("startKyPx", kyPx),
            Checks.finite("startKxPx", kxPx), sectors, maxIterations, pixelSizeInverseNm, haloMinInverseNm, haloMaxInverseNm);
    }

    /**
     * Tells the finder the pixel size, so that it searches the halo only where an amorphous halo
     * can be: radii {@code q_min/p … q_max/p} px for the halo range (default 3.0–6.0 nm⁻¹), and
     * reports the ring's radius in nm⁻¹. An explicit {@link #withRadiusRangePx} takes precedence.
     *
     * @param inverseNm the pixel size p in nm⁻¹ per px (finite, &gt; 0), or NaN for unknown
     * @return a copy
     */
    public CenterOptions withPixelSizeInverseNm(double inverseNm) {
        double p = Double.isNaN(inverseNm) ? inverseNm : Checks.positive("pixelSizeInverseNm", inverseNm);
        return new CenterOptions(ellipse, rays, radiusMinPx, radiusMaxPx, startKyPx, startKxPx, sectors, maxIterations, p,
            haloMinInverseNm, haloMaxInverseNm);
    }

    /**
     * @param qMinInverseNm smallest |Q| of the halo ridge in nm⁻¹ (finite, &gt; 0)
     * @param qMaxInverseNm largest (finite, &gt; min)
     * @return a copy that searches the halo in this Q range when the pixel size is known
     */
    public CenterOptions withHaloRangeInverseNm(double qMinInverseNm, double qMaxInverseNm) {
        if (!(qMinInverseNm > 0) || !(qMaxInverseNm > qMinInverseNm) || Double.isInfinite(qMaxInverseNm)) {
            throw new IllegalArgumentException(Checks.format(
                "halo range [%s, %s] nm⁻¹ is not finite with 0 < min < max", qMinInverseNm, qMaxInverseNm));
        }
        return new CenterOptions(ellipse, rays, radiusMinPx, radiusMaxPx, startKyPx, startKxPx, sectors, maxIterations,
            pixelSizeInverseNm, qMinInverseNm, qMaxInverseNm);
    }

    /** @return the pixel size in nm⁻¹, NaN if not given */
    public double pixelSizeInverseNm() {
        return pixelSizeInverseNm;
    }

    /** @return the halo range's lower end in nm⁻¹ */
    public double haloMinInverseNm() {
        return haloMinInverseNm;
    }

    /** @return the halo range's upper end in nm⁻¹ */
    public double haloMaxInverseNm() {
        return haloMaxInverseNm;
    }

    /** @return the radii searched, {min, max} in px (NaN: every radius) */
    double[] searchRadiiPx() {
        if (!Double.isNaN(radiusMinPx)) {
            return new double[] {radiusMinPx, radiusMaxPx};
        }
        if (!Double.isNaN(pixelSizeInverseNm)) {
            return new double[] {haloMinInverseNm / pixelSizeInverseNm, haloMaxInverseNm / pixelSizeInverseNm};
        }
        return new double[] {Double.NaN, Double.NaN};
    }

    /** @return whether an ellipse is fitted */
    public boolean ellipse() {
        return ellipse;
    }

    /** @return number of rays */
    public int rays() {
        return rays;
    }

    /** @return smallest ridge radius searched in px, NaN = automatic */
    public double radiusMinPx() {
        return radiusMinPx;
    }

    /** @return largest ridge radius searched in px, NaN = automatic */
    public double radiusMaxPx() {
        return radiusMaxPx;
    }

    /** @return start row, NaN = centroid */
    public double startKyPx() {
        return startKyPx;
    }

    /** @return start column, NaN = centroid */
    public double startKxPx() {
        return startKxPx;
    }

    /** @return number of angular sectors of the jackknife */
    public int sectors() {
        return sectors;
    }

    /** @return maximum re-centring iterations */
    public int maxIterations() {
        return maxIterations;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CenterOptions[").append(ellipse ? "ellipse" : "circle");
        sb.append(Checks.format(", %d rays", rays));
        if (!Double.isNaN(radiusMinPx)) {
            sb.append(Checks.format(", radius %.4g–%.4g px", radiusMinPx, radiusMaxPx));
        }
        if (!Double.isNaN(pixelSizeInverseNm)) {
            sb.append(Checks.format(", pixel %.4g nm⁻¹, halo %.3g–%.3g nm⁻¹", pixelSizeInverseNm, haloMinInverseNm, haloMaxInverseNm));
        }
        if (!Double.isNaN(startKyPx)) {
            sb.append(Checks.format(", start (%.2f, %.2f) px", startKyPx, startKxPx));
        }
        return sb.append(']').toString();
    }
}
