/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.internal.Checks;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The τ–V scatter plots of several temperatures superimposed, as the paper's Fig. 4f: one colour
 * per temperature (viridis from the coldest, dark blue, to the hottest, yellow-green), τ on a
 * logarithmic horizontal axis, V vertical; the legend gives each temperature, its number of points
 * and ρ. Immutable.
 *
 * <pre>{@code
 * SeriesScatterFigure.of(633, tau633, v633, rho633).with(653, tau653, v653, rho653).writePng(path);
 * }</pre>
 */
public final class SeriesScatterFigure extends ChartFigure {

    /** At most this many temperatures, so that the colours stay distinguishable. */
    public static final int MAX_TEMPERATURES = 12;

    /** One temperature's maps. */
    private record Layer(double temperatureKelvin, ScalarMap tau, ScalarMap v, double rho) {
    }

    private final List<Layer> layers;
    private final String title;

    private SeriesScatterFigure(List<Layer> layers, String title, int width, int height) {
        super(width, height);
        this.layers = List.copyOf(layers);
        this.title = title;
    }

    /**
     * @param temperatureKelvin the temperature in K
     * @param tauSeconds its τ map (s)
     * @param speckleVariance its V map, same scan
     * @param rho Spearman's ρ between them for the legend, NaN to leave it out
     * @return a figure of one temperature, 800×600 pixels
     */
    public static SeriesScatterFigure of(double temperatureKelvin, ScalarMap tauSeconds, ScalarMap speckleVariance, double rho) {
        return new SeriesScatterFigure(List.of(), "structure–dynamics relation at all temperatures", 800, 600)
            .with(temperatureKelvin, tauSeconds, speckleVariance, rho);
    }

    /**
     * @param temperatureKelvin the temperature in K (finite, &gt; 0)
     * @param tauSeconds its τ map (s)
     * @param speckleVariance its V map, same scan
     * @param rho Spearman's ρ between them for the legend, NaN to leave it out
     * @return a copy with this temperature added
     */
    public SeriesScatterFigure with(double temperatureKelvin, ScalarMap tauSeconds, ScalarMap speckleVariance, double rho) {
        Checks.positive("temperatureKelvin", temperatureKelvin);
        Objects.requireNonNull(tauSeconds, "tauSeconds");
        Objects.requireNonNull(speckleVariance, "speckleVariance");
        if (tauSeconds.scanY() != speckleVariance.scanY() || tauSeconds.scanX() != speckleVariance.scanX()) {
            throw new IllegalArgumentException(Checks.format("τ map %d×%d and V map %d×%d at %.1f K differ in size",
                tauSeconds.scanY(), tauSeconds.scanX(), speckleVariance.scanY(), speckleVariance.scanX(), temperatureKelvin));
        }
        if (layers.size() >= MAX_TEMPERATURES) {
            throw new IllegalArgumentException(Checks.format("a series scatter holds at most %d temperatures", MAX_TEMPERATURES));
        }
        List<Layer> l = new ArrayList<>(layers);
        l.add(new Layer(temperatureKelvin, tauSeconds, speckleVariance, rho));
        l.sort((a, b) -> Double.compare(a.temperatureKelvin, b.temperatureKelvin));
        return new SeriesScatterFigure(l, title, width, height);
    }

    /**
     * @param newTitle the title
     * @return a copy with this title
     */
    public SeriesScatterFigure withTitle(String newTitle) {
        return new SeriesScatterFigure(layers, Objects.requireNonNull(newTitle, "title"), width, height);
    }

    /**
     * @param w width in pixels
     * @param h height in pixels
     * @return a copy of this size
     */
    public SeriesScatterFigure withSize(int w, int h) {
        return new SeriesScatterFigure(layers, title, w, h);
    }

    /** @return number of temperatures */
    public int temperatureCount() {
        return layers.size();
    }

    /**
     * The colour of the i-th temperature (ascending): viridis from 0 to 0.85, so that the hottest
     * stays visible on white.
     *
     * @param i index
     * @param n number of temperatures
     * @return the colour as 0xRRGGBB
     */
    static int colourOf(int i, int n) {
        return Colormap.VIRIDIS.rgb(n == 1 ? 0 : 0.85 * i / (n - 1));
    }

    /**
     * @param i index of a temperature, ascending
     * @return its colour as 0xRRGGBB
     */
    public int colourRgb(int i) {
        Checks.index("i", i, layers.size());
        return colourOf(i, layers.size());
    }

    @Override
    XYChart chart() {
        TickedChart c = newChart(width, height, title, "relaxation time τ (s)", "speckle variance V");
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(5);
        int drawn = 0;
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            double[] t = l.tau.values();
            double[] s = l.v.values();
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int k = 0; k < t.length; k++) {
                if (t[k] > 0 && Double.isFinite(t[k]) && Double.isFinite(s[k])) {
                    x.add(t[k]);
                    y.add(s[k]);
                    range[0] = Math.min(range[0], t[k]);
                    range[1] = Math.max(range[1], t[k]);
                    range[2] = Math.min(range[2], s[k]);
                    range[3] = Math.max(range[3], s[k]);
                }
            }
            String name = Double.isNaN(l.rho) ? Checks.format("%.0f K (n = %d)", l.temperatureKelvin, x.size())
                : Checks.format("%.0f K (n = %d, ρ = %.2f)", l.temperatureKelvin, x.size(), l.rho);
            if (x.isEmpty()) {
                continue;
            }
            XYSeries ser = c.addSeries(name, x, y);
            ser.setMarker(SeriesMarkers.CIRCLE);
            Color col = new Color(colourOf(i, layers.size()));
            ser.setMarkerColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 150));
            drawn++;
        }
        if (drawn == 0) {
            c.addSeries("no valid positions", new double[] {0}, new double[] {0}).setMarker(SeriesMarkers.NONE);
        } else {
            double[] x = paddedLogRange(range[0], range[1]);
            c.logX(x[0], x[1]);
            double[] y = paddedRange(range[2], range[3], Math.max(1e-3 * Math.abs(range[3]), 1e-12));
            c.getStyler().setYAxisMin(y[0]);
            c.getStyler().setYAxisMax(y[1]);
        }
        // Outside the plot, so that it covers no points.
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        return c;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SeriesScatterFigure[").append(title).append(", ");
        for (int i = 0; i < layers.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(Checks.format("%.0f K", layers.get(i).temperatureKelvin));
        }
        return sb.append(Checks.format(", %d×%d px]", width, height)).toString();
    }
}
