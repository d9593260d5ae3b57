/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import java.util.Objects;

import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.internal.Checks;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The Arrhenius plot of eq. 4: ln(τ/s) against 1000/T, the per-temperature τ summaries with error
 * bars σ(ln τ) = σ(τ)/τ, and the fitted line ln τ∞ + E/(RT) labelled with E ± σ. Immutable.
 */
public final class ArrheniusFigure extends ChartFigure {

    private final ArrheniusFit fit;
    private final String title;

    private ArrheniusFigure(ArrheniusFit fit, String title, int width, int height) {
        super(width, height);
        this.fit = fit;
        this.title = title;
    }

    /**
     * @param fit the Arrhenius fit with the data it was fitted to
     * @return the figure, 800×600 pixels
     */
    public static ArrheniusFigure of(ArrheniusFit fit) {
        return new ArrheniusFigure(Objects.requireNonNull(fit, "fit"), "Arrhenius plot", 800, 600);
    }

    /**
     * @param newTitle the title
     * @return a copy with this title
     */
    public ArrheniusFigure withTitle(String newTitle) {
        return new ArrheniusFigure(fit, Objects.requireNonNull(newTitle, "title"), width, height);
    }

    @Override
    XYChart chart() {
        XYChart c = newChart(width, height, title, "1000 / T (K⁻¹)", "ln(τ / s)");
        c.getStyler().setErrorBarsColorSeriesColor(true);
        double[] temps = fit.temperaturesKelvin();
        double[] tau = fit.tauSeconds();
        double[] tauErr = fit.tauErrorSeconds();
        int n = temps.length;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] e = new double[n];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            x[i] = 1000 / temps[i];
            y[i] = Math.log(tau[i]);
            e[i] = Double.isFinite(tauErr[i]) ? tauErr[i] / tau[i] : 0;
            lo = Math.min(lo, x[i]);
            hi = Math.max(hi, x[i]);
        }
        XYSeries data = c.addSeries(Checks.format("%s τ per temperature", fit.summary()), x, y, e);
        data.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        data.setMarker(SeriesMarkers.CIRCLE);
        data.setMarkerColor(SERIES_COLOURS[0]);
        data.setLineColor(SERIES_COLOURS[0]);
        if (Double.isFinite(fit.activationEnergyKJPerMol()) && fit.tauInfSeconds() > 0) {
            double pad = 0.05 * (hi - lo);
            double[] fx = {lo - pad, hi + pad};
            double[] fy = new double[2];
            for (int i = 0; i < 2; i++) {
                fy[i] = Math.log(fit.tauSecondsAt(1000 / fx[i]));
            }
            XYSeries line = c.addSeries(Checks.format("E = %.1f ± %.1f kJ/mol", fit.activationEnergyKJPerMol(),
                fit.activationEnergyErrorKJPerMol()), fx, fy);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(SERIES_COLOURS[1]);
        }
        return c;
    }

    @Override
    public String toString() {
        return Checks.format("ArrheniusFigure[%s, %d temperatures, E = %.1f kJ/mol]", title,
            fit.temperaturesKelvin().length, fit.activationEnergyKJPerMol());
    }
}
