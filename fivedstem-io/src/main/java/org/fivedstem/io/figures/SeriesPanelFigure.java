/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.internal.Checks;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The temperature-series panel of the paper's Figs. 2f, 3f and 4f side by side, each against
 * temperature with error bars: the τ summary ± its standard error (log axis labelled at 1-2-5
 * steps), the mean V ± its standard error ({@link #withMeanVarianceErrors}), and Spearman's ρ between
 * the τ and V maps with its confidence interval ({@link #withRhoIntervals}). Each vertical axis holds
 * its error bars and spans at least a sensible minimum (2 % of ⟨V⟩ for V, 0.5 for ρ), so that noise
 * smaller than the error bars does not fill the panel as a trend would. Immutable.
 */
public final class SeriesPanelFigure {

    private static final int PANEL_WIDTH = 480;
    private static final int PANEL_HEIGHT = 420;
    /** Prefix of the names of the error-bar series, one per temperature and panel. */
    static final String INTERVAL = "interval ";

    private final double[] temperatures;
    private final double[] tau;
    private final double[] tauErr;
    private final double[] meanV;
    private final double[] meanVErr;
    private final double[] rho;
    private final double[] rhoLow;
    private final double[] rhoHigh;
    private final double rhoLevel;
    private final String tauLabel;

    private SeriesPanelFigure(double[] temperatures, double[] tau, double[] tauErr, double[] meanV, double[] meanVErr,
                              double[] rho, double[] rhoLow, double[] rhoHigh, double rhoLevel, String tauLabel) {
        this.temperatures = temperatures;
        this.tau = tau;
        this.tauErr = tauErr;
        this.meanV = meanV;
        this.meanVErr = meanVErr;
        this.rho = rho;
        this.rhoLow = rhoLow;
        this.rhoHigh = rhoHigh;
        this.rhoLevel = rhoLevel;
        this.tauLabel = tauLabel;
    }

    /**
     * A panel without errors for V and ρ (add them with {@link #withMeanVarianceErrors} and
     * {@link #withRhoIntervals}).
     *
     * @param temperaturesKelvin the temperatures in K (copied)
     * @param tauSeconds the τ summary per temperature in s (copied)
     * @param tauErrorSeconds its standard error (copied; NaN for none)
     * @param meanSpeckleVariance mean V per temperature (copied)
     * @param spearmanRho ρ between τ and V per temperature (copied)
     * @param tauLabel what the τ summary is, e.g. {@code "mean"}
     * @return the figure
     */
    public static SeriesPanelFigure of(double[] temperaturesKelvin, double[] tauSeconds, double[] tauErrorSeconds,
                                       double[] meanSpeckleVariance, double[] spearmanRho, String tauLabel) {
        int n = Objects.requireNonNull(temperaturesKelvin, "temperaturesKelvin").length;
        if (n == 0) {
            throw new IllegalArgumentException("temperaturesKelvin is empty; a series needs at least one temperature");
        }
        Checks.length("tauSeconds", n, tauSeconds.length);
        Checks.length("tauErrorSeconds", n, tauErrorSeconds.length);
        Checks.length("meanSpeckleVariance", n, meanSpeckleVariance.length);
        Checks.length("spearmanRho", n, spearmanRho.length);
        double[] none = new double[n];
        Arrays.fill(none, Double.NaN);
        return new SeriesPanelFigure(temperaturesKelvin.clone(), tauSeconds.clone(), tauErrorSeconds.clone(),
            meanSpeckleVariance.clone(), none, spearmanRho.clone(), none, none, Double.NaN,
            Objects.requireNonNull(tauLabel, "tauLabel"));
    }

    /**
     * @param standardErrors the standard error of each mean V, e.g. spatially aware
     *     ({@code SpatialSummary.standardError(v, TauSummary.MEAN)}); copied; NaN for none
     * @return a copy that draws them as error bars
     */
    public SeriesPanelFigure withMeanVarianceErrors(double[] standardErrors) {
        Checks.length("standardErrors", temperatures.length, standardErrors.length);
        return new SeriesPanelFigure(temperatures, tau, tauErr, meanV, standardErrors.clone(), rho, rhoLow, rhoHigh, rhoLevel,
            tauLabel);
    }

    /**
     * @param low lower end of each ρ's confidence interval (copied; NaN for none)
     * @param high upper end (copied; NaN for none)
     * @param level their confidence level, e.g. 0.95
     * @return a copy that draws them as error bars
     */
    public SeriesPanelFigure withRhoIntervals(double[] low, double[] high, double level) {
        Checks.length("low", temperatures.length, low.length);
        Checks.length("high", temperatures.length, high.length);
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException(Checks.format("level is outside (0, 1): %s", level));
        }
        return new SeriesPanelFigure(temperatures, tau, tauErr, meanV, meanVErr, rho, low.clone(), high.clone(), level,
            tauLabel);
    }

    /** @return the τ, V and ρ panels, left to right */
    XYChart[] charts() {
        int n = temperatures.length;
        double[] tauLow = new double[n];
        double[] tauHigh = new double[n];
        double[] vLow = new double[n];
        double[] vHigh = new double[n];
        for (int i = 0; i < n; i++) {
            tauLow[i] = tau[i] - tauErr[i];
            tauHigh[i] = tau[i] + tauErr[i];
            vLow[i] = meanV[i] - meanVErr[i];
            vHigh[i] = meanV[i] + meanVErr[i];
        }
        String rhoTitle = Double.isNaN(rhoLevel) ? "Spearman ρ(τ, V)"
            : Checks.format("Spearman ρ(τ, V), %.0f %% interval", 100 * rhoLevel);
        double[] tr = finiteRange(tau, tauLow, tauHigh, true);
        double[] tauAxis = null;
        if (tr != null) {
            tauAxis = ChartFigure.paddedLogRange(tr[0], tr[1]);
            tauAxis[1] = Math.max(tauAxis[1], tauAxis[0] * 1.5);
            for (int i = 0; i < n; i++) {
                // An error as large as τ itself: the bar runs to the bottom of the axis.
                tauLow[i] = Double.isNaN(tauLow[i]) ? Double.NaN : Math.max(tauLow[i], tauAxis[0]);
            }
        }
        TickedChart t = panel(tauLabel + " relaxation time", "τ (s) ± standard error", tau, tauLow, tauHigh);
        if (tauAxis != null) {
            t.logY(tauAxis[0], tauAxis[1]);
        }
        TickedChart v = panel("mean speckle variance", "⟨V⟩ ± standard error", meanV, vLow, vHigh);
        double[] vr = finiteRange(meanV, vLow, vHigh, false);
        if (vr != null) {
            double[] r = ChartFigure.paddedRange(vr[0], vr[1], Math.max(0.02 * Math.max(Math.abs(vr[0]), Math.abs(vr[1])), 1e-9));
            v.getStyler().setYAxisMin(r[0]);
            v.getStyler().setYAxisMax(r[1]);
        }
        TickedChart c = panel("structure–dynamics correlation", rhoTitle, rho, rhoLow, rhoHigh);
        double[] cr = finiteRange(rho, rhoLow, rhoHigh, false);
        if (cr != null) {
            double[] r = ChartFigure.paddedRange(cr[0], cr[1], 0.5);
            c.getStyler().setYAxisMin(Math.max(r[0], -1.05));
            c.getStyler().setYAxisMax(Math.min(r[1], 1.05));
        }
        return new XYChart[] {t, v, c};
    }

    private TickedChart panel(String title, String yTitle, double[] y, double[] low, double[] high) {
        TickedChart c = ChartFigure.newChart(PANEL_WIDTH, PANEL_HEIGHT, title, "temperature T (K)", yTitle);
        c.getStyler().setLegendVisible(false);
        double[] x = ChartFigure.paddedRange(Arrays.stream(temperatures).min().getAsDouble(),
            Arrays.stream(temperatures).max().getAsDouble(), 20);
        c.getStyler().setXAxisMin(x[0]);
        c.getStyler().setXAxisMax(x[1]);
        XYSeries s = c.addSeries(title, temperatures, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(ChartFigure.SERIES_COLOURS[0]);
        s.setLineColor(ChartFigure.SERIES_COLOURS[0]);
        // One vertical segment per temperature: XChart's own error bars are symmetric, ρ's interval is not.
        for (int i = 0; i < temperatures.length; i++) {
            if (Double.isFinite(low[i]) && Double.isFinite(high[i])) {
                XYSeries e = c.addSeries(Checks.format("%s%s %d", INTERVAL, title, i),
                    new double[] {temperatures[i], temperatures[i]}, new double[] {low[i], high[i]});
                e.setMarker(SeriesMarkers.NONE);
                e.setLineColor(ChartFigure.SERIES_COLOURS[0]);
                e.setLineStyle(new java.awt.BasicStroke(1.5f));
            }
        }
        return c;
    }

    /** @return {min, max} over the finite values and interval ends (positive ones only if {@code positive}), or null */
    private static double[] finiteRange(double[] y, double[] low, double[] high, boolean positive) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] a : new double[][] {y, low, high}) {
            for (double d : a) {
                if (Double.isFinite(d) && (!positive || d > 0)) {
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                }
            }
        }
        return lo <= hi ? new double[] {lo, hi} : null;
    }

    /** @return the three panels side by side */
    public BufferedImage render() {
        XYChart[] charts = charts();
        BufferedImage out = new BufferedImage(PANEL_WIDTH * charts.length, PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int i = 0; i < charts.length; i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(charts[i]), i * PANEL_WIDTH, 0, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Writes the panel as PNG (temporary file, then moved into place).
     *
     * @param file the target
     * @throws IOException if writing fails
     */
    public void writePng(Path file) throws IOException {
        FigureFiles.png(render(), file);
    }

    @Override
    public String toString() {
        return Checks.format("SeriesPanelFigure[%d temperatures %.5g–%.5g K, %s τ]", temperatures.length,
            temperatures[0], temperatures[temperatures.length - 1], tauLabel);
    }
}
