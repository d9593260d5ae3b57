package org.fivedstem.core.preparation;

import org.fivedstem.api.internal.Checks;

/**
 * How {@link CenterFinder} looks for the pattern centre. Immutable; configured with withers.
 *
 * <pre>{@code
 * CenterOptions o = CenterOptions.defaults().withEllipse(true).withRadiusRangePx(10, 30);
 * }</pre>
 *
 * <p>Defaults: a circle; 360 rays; the halo searched at every radius (the most prominent ridge of
 * the azimuthal profile wins); started from the intensity-weighted centroid; the uncertainty from
 * a delete-one jackknife over 12 angular sectors; at most 10 re-centring iterations, stopping when
 * the centre moves less than 10⁻⁴ px.
 */
public final class CenterOptions {

    private static final CenterOptions DEFAULTS = new CenterOptions(false, 360, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, 12, 10);

    private final boolean ellipse;
    private final int rays;
    private final double radiusMinPx;
    private final double radiusMaxPx;
    private final double startKyPx;
    private final double startKxPx;
    private final int sectors;
    private final int maxIterations;

    private CenterOptions(boolean ellipse, int rays, double rMin, double rMax, double sy, double sx, int sectors, int iterations) {
        this.ellipse = ellipse;
        this.rays = rays;
        this.radiusMinPx = rMin;
        this.radiusMaxPx = rMax;
        this.startKyPx = sy;
        this.startKxPx = sx;
        this.sectors = sectors;
        this.maxIterations = iterations;
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
        return new CenterOptions(fit, rays, radiusMinPx, radiusMaxPx, startKyPx, startKxPx, sectors, maxIterations);
    }

    /**
     * @param count rays from the centre along which the ridge is located (24–7200)
     * @return a copy
     */
    public CenterOptions withRays(int count) {
        if (count < 24 || count > 7200) {
            throw new IllegalArgumentException(Checks.format("rays is outside 24–7200: %d", count));
        }
        return new CenterOptions(ellipse, count, radiusMinPx, radiusMaxPx, startKyPx, startKxPx, sectors, maxIterations);
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
        return new CenterOptions(ellipse, rays, minPx, maxPx, startKyPx, startKxPx, sectors, maxIterations);
    }

    /**
     * @param kyPx start row in pixels (finite)
     * @param kxPx start column in pixels (finite)
     * @return a copy that starts from this point instead of the centroid
     */
    public CenterOptions withStartPx(double kyPx, double kxPx) {
        return new CenterOptions(ellipse, rays, radiusMinPx, radiusMaxPx, Checks.finite("startKyPx", kyPx),
            Checks.finite("startKxPx", kxPx), sectors, maxIterations);
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
        if (!Double.isNaN(startKyPx)) {
            sb.append(Checks.format(", start (%.2f, %.2f) px", startKyPx, startKxPx));
        }
        return sb.append(']').toString();
    }
}
