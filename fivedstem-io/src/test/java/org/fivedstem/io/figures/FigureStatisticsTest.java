/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.ScalarMap;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** What the charts say about uncertainty: which p-value, which error bars, which axis labels. */
class FigureStatisticsTest {

    /** The issue's case: naive p 7.6e-06, spatial p 0.29 from n_eff = 12.3 of 576 positions. */
    private static final RankCorrelation ISSUE = new RankCorrelation(0.21, 576, 7.6e-6, "asymptotic", 0.05, 0.4, 0.95,
        0.29, 12.3, "toroidal shifts");

    @Test
    void scatterLegendShowsTheSpatialPAndNEffNotTheNaiveP() {
        ScalarMap tau = FiguresTest.tauMap();
        ScalarMap v = tau.map("V", "", t -> 0.4 + 1e-4 * t);
        XYChart c = ScatterFigure.of(tau, v, ISSUE).chart();
        assertEquals(1, c.getSeriesMap().size(), c.getSeriesMap().keySet().toString());
        String legend = c.getSeriesMap().keySet().iterator().next();
        assertEquals("n = 576, ρ = 0.210, spatial p = 0.29 (n_eff = 12.3)", legend);
        assertFalse(legend.contains("7.6e-06"), legend);
    }

    @Test
    void scatterLabelsTheNaivePWhenThereIsNoSpatialOne() {
        RankCorrelation naive = new RankCorrelation(0.21, 576, 7.6e-6, "asymptotic", 0.05, 0.4, 0.95, Double.NaN, Double.NaN,
            "none");
        assertEquals("n = 576, ρ = 0.210, naive p (independent positions) = 7.6e-06", ScatterFigure.legendText(naive));
    }

    @Test
    void scatterTauAxisIsLabelledAtOneTwoFive() {
        // τ from 100 s to 1000 s; the axis is padded by a factor 1.15 on each side.
        ScalarMap tau = FiguresTest.tauMap();
        TickedChart c = (TickedChart) ScatterFigure.of(tau, tau.map("V", "", t -> 0.4 + 1e-4 * t), ISSUE).chart();
        assertEquals(List.of(100.0, 200.0, 300.0, 500.0, 1000.0), c.xTicks());
        c.paint(new java.awt.image.BufferedImage(800, 600, java.awt.image.BufferedImage.TYPE_INT_RGB).createGraphics(), 800, 600);
    }

    @Test
    void seriesPanelsHaveErrorBarsOnEveryPanel() {
        double[] temps = {633, 643, 653, 663, 673};
        double[] tau = {1000, 700, 500, 350, 250};
        double[] tauErr = {80, 60, 40, 30, 20};
        double[] v = {0.4153, 0.4159, 0.4155, 0.4157, 0.4154};
        double[] vErr = {0.0004, 0.0004, 0.0004, 0.0004, 0.0004};
        double[] rho = {0.4, 0.42, 0.39, 0.41, 0.44};
        double[] low = {0.1, 0.12, 0.08, 0.1, 0.15};
        double[] high = {0.62, 0.64, 0.61, 0.63, 0.66};
        XYChart[] panels = SeriesPanelFigure.of(temps, tau, tauErr, v, rho, "mean").withMeanVarianceErrors(vErr)
            .withRhoIntervals(low, high, 0.95).charts();
        assertEquals(3, panels.length);
        double[][] expectedLow = {{920, 640, 460, 320, 230}, {0.4149, 0.4155, 0.4151, 0.4153, 0.4150}, low};
        double[][] expectedHigh = {{1080, 760, 540, 380, 270}, {0.4157, 0.4163, 0.4159, 0.4161, 0.4158}, high};
        for (int p = 0; p < 3; p++) {
            Map<String, XYSeries> series = panels[p].getSeriesMap();
            List<XYSeries> bars = series.values().stream().filter(s -> s.getName().startsWith(SeriesPanelFigure.INTERVAL))
                .toList();
            assertEquals(temps.length, bars.size(), "panel " + p + ": " + series.keySet());
            for (int i = 0; i < temps.length; i++) {
                XYSeries b = bars.get(i);
                assertEquals(temps[i], b.getXData()[0]);
                assertEquals(expectedLow[p][i], b.getYData()[0], 1e-9, "panel " + p + " low " + i);
                assertEquals(expectedHigh[p][i], b.getYData()[1], 1e-9, "panel " + p + " high " + i);
                double yMin = panels[p].getStyler().getYAxisMin();
                double yMax = panels[p].getStyler().getYAxisMax();
                assertTrue(yMin < expectedLow[p][i] && expectedHigh[p][i] < yMax,
                    "panel " + p + ": the axis [" + yMin + ", " + yMax + "] cuts the error bar of " + temps[i] + " K");
            }
        }
        // ⟨V⟩ varies by 0.0006 (0.15 %): the axis spans at least 2 % of it, not the noise.
        double span = panels[1].getStyler().getYAxisMax() - panels[1].getStyler().getYAxisMin();
        assertTrue(span >= 0.02 * 0.4159 * (1 - 1e-12), "V axis span " + span);
        assertTrue(panels[0].getStyler().isYAxisLogarithmic());
        assertEquals(List.of(200.0, 300.0, 500.0, 1000.0), ((TickedChart) panels[0]).yTicks());
    }

    @Test
    void seriesPanelWithoutErrorsDrawsNoBars() {
        double[] temps = {633, 653};
        double[] nan = {Double.NaN, Double.NaN};
        XYChart[] panels = SeriesPanelFigure.of(temps, new double[] {500, 300}, nan, new double[] {0.5, 0.5},
            new double[] {0.3, 0.2}, "median").charts();
        for (XYChart p : panels) {
            assertEquals(1, p.getSeriesMap().size(), p.getSeriesMap().keySet().toString());
        }
        SeriesPanelFigure.of(temps, new double[] {500, 300}, nan, new double[] {0.5, 0.5}, new double[] {0.3, 0.2}, "median")
            .render();
    }
}
