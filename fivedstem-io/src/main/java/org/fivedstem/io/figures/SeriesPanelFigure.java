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
import java.util.Objects;

import org.fivedstem.api.internal.Checks;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The temperature-series panel of the paper's Figs. 2f, 3f and 4f side by side: the τ summary
 * (with error bars, log axis), the mean V, and Spearman's ρ between the τ and V maps, each against
 * temperature. Immutable.
 */
public final class SeriesPanelFigure {

    private static final int PANEL_WIDTH = 480;
    private static final int PANEL_HEIGHT = 420;

    private final double[] temperatures;
    private final double[] tau;
    private final double[] tauErr;
    private final double[] meanV;
    private final double[] rho;
    private final String tauLabel;

    private SeriesPanelFigure(double[] temperatures, double[] tau, double[] tauErr, double[] meanV, double[] rho, String tauLabel) {
        this.temperatures = temperatures;
        this.tau = tau;
        this.tauErr = tauErr;
        this.meanV = meanV;
        this.rho = rho;
        this.tauLabel = tauLabel;
    }

    /**
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
        return new SeriesPanelFigure(temperaturesKelvin.clone(), tauSeconds.clone(), tauErrorSeconds.clone(),
            meanSpeckleVariance.clone(), spearmanRho.clone(), Objects.requireNonNull(tauLabel, "tauLabel"));
    }

    private XYChart panel(String title, String yTitle, double[] y, double[] err, boolean log) {
        XYChart c = ChartFigure.newChart(PANEL_WIDTH, PANEL_HEIGHT, title, "temperature T (K)", yTitle);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setYAxisLogarithmic(log);
        c.getStyler().setErrorBarsColorSeriesColor(true);
        XYSeries s = err == null ? c.addSeries(title, temperatures, y) : c.addSeries(title, temperatures, y, finiteOrZero(err));
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(ChartFigure.SERIES_COLOURS[0]);
        s.setLineColor(ChartFigure.SERIES_COLOURS[0]);
        return c;
    }

    private static double[] finiteOrZero(double[] a) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                out[i] = 0;
            }
        }
        return out;
    }

    /** @return the three panels side by side */
    public BufferedImage render() {
        XYChart[] charts = {
            panel(tauLabel + " relaxation time", "τ (s)", tau, tauErr, true),
            panel("mean speckle variance", "⟨V⟩", meanV, null, false),
            panel("structure–dynamics correlation", "Spearman ρ(τ, V)", rho, null, false)};
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
