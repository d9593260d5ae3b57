/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import java.util.Objects;

import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.internal.Checks;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The τ–V scatter of the paper's Fig. 4: one point per scan position valid in both maps, τ on a
 * logarithmic horizontal axis, V vertical, with Spearman's ρ and its p-value in the legend: the
 * spatial p with its effective sample size n_eff ({@link RankCorrelation#spatialPValue()}), or, when
 * no spatial test was run, the p for independent positions labelled as such (it is far too small
 * for overlapping scan positions). Immutable.
 */
public final class ScatterFigure extends ChartFigure {

    private final ScalarMap tau;
    private final ScalarMap v;
    private final RankCorrelation correlation;
    private final String title;

    private ScatterFigure(ScalarMap tau, ScalarMap v, RankCorrelation correlation, String title, int width, int height) {
        super(width, height);
        this.tau = tau;
        this.v = v;
        this.correlation = correlation;
        this.title = title;
    }

    /**
     * @param tauSeconds the τ map (s)
     * @param speckleVariance the V map, same scan
     * @param correlation their rank correlation, or {@code null} to leave it out of the legend
     * @return the figure, 800×600 pixels
     */
    public static ScatterFigure of(ScalarMap tauSeconds, ScalarMap speckleVariance, RankCorrelation correlation) {
        Objects.requireNonNull(tauSeconds, "tauSeconds");
        Objects.requireNonNull(speckleVariance, "speckleVariance");
        if (tauSeconds.scanY() != speckleVariance.scanY() || tauSeconds.scanX() != speckleVariance.scanX()) {
            throw new IllegalArgumentException(Checks.format("τ map %d×%d and V map %d×%d differ in size",
                tauSeconds.scanY(), tauSeconds.scanX(), speckleVariance.scanY(), speckleVariance.scanX()));
        }
        return new ScatterFigure(tauSeconds, speckleVariance, correlation, "τ–V scatter", 800, 600);
    }

    /**
     * @param newTitle the title
     * @return a copy with this title
     */
    public ScatterFigure withTitle(String newTitle) {
        return new ScatterFigure(tau, v, correlation, Objects.requireNonNull(newTitle, "title"), width, height);
    }

    /**
     * @param w width in pixels
     * @param h height in pixels
     * @return a copy of this size
     */
    public ScatterFigure withSize(int w, int h) {
        return new ScatterFigure(tau, v, correlation, title, w, h);
    }

    /** @return number of positions plotted (valid in both maps, τ &gt; 0) */
    public int pointCount() {
        return pairs()[0].length;
    }

    private double[][] pairs() {
        double[] t = tau.values();
        double[] s = v.values();
        int n = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] > 0 && Double.isFinite(t[i]) && Double.isFinite(s[i])) {
                n++;
            }
        }
        double[] x = new double[n];
        double[] y = new double[n];
        int k = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] > 0 && Double.isFinite(t[i]) && Double.isFinite(s[i])) {
                x[k] = t[i];
                y[k++] = s[i];
            }
        }
        return new double[][] {x, y};
    }

    /**
     * The legend's description of ρ: n, ρ and the spatial p with n_eff; the naive p only when there
     * is no spatial one, and then labelled as assuming independent positions.
     *
     * @param c the rank correlation
     * @return e.g. {@code "n = 576, ρ = 0.417, spatial p = 0.29 (n_eff = 12.3)"}
     */
    static String legendText(RankCorrelation c) {
        String p = Double.isNaN(c.spatialPValue())
            ? Checks.format("naive p (independent positions) = %.2g", c.pValue())
            : Checks.format("spatial p = %.2g (n_eff = %.1f)", c.spatialPValue(), c.effectiveSampleSize());
        return Checks.format("n = %d, ρ = %.3f, %s", c.n(), c.rho(), p);
    }

    @Override
    XYChart chart() {
        TickedChart c = newChart(width, height, title, "relaxation time τ (s)", "speckle variance V");
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(4);
        double[][] p = pairs();
        String name = correlation == null
            ? Checks.format("%d positions", p[0].length)
            : legendText(correlation);
        if (p[0].length == 0) {
            c.addSeries(name + " (no valid positions)", new double[] {0}, new double[] {0}).setMarker(SeriesMarkers.NONE);
            return c;
        }
        double[] x = paddedLogRange(java.util.Arrays.stream(p[0]).min().getAsDouble(),
            java.util.Arrays.stream(p[0]).max().getAsDouble());
        c.logX(x[0], x[1]);
        double vLow = java.util.Arrays.stream(p[1]).min().getAsDouble();
        double vHigh = java.util.Arrays.stream(p[1]).max().getAsDouble();
        double[] y = paddedRange(vLow, vHigh, Math.max(1e-3 * Math.abs(vHigh), 1e-12));
        c.getStyler().setYAxisMin(y[0]);
        c.getStyler().setYAxisMax(y[1]);
        XYSeries s = c.addSeries(name, p[0], p[1]);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(new java.awt.Color(0x44, 0x01, 0x54, 110));
        return c;
    }

    @Override
    public String toString() {
        return Checks.format("ScatterFigure[%s, %d points%s, %d×%d px]", title, pointCount(),
            correlation == null ? "" : Checks.format(", ρ = %.3f", correlation.rho()), width, height);
    }
}
