/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.ScalarMap;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

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
}
