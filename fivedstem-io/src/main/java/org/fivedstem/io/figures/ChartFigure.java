/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

/**
 * What the chart figures share: an XChart {@link XYChart} built on demand, rendered to an image,
 * written as PNG or SVG through a temporary file.
 */
abstract class ChartFigure {

    /** Colours of successive series: viridis-like hues that stay distinct when printed in grey. */
    static final Color[] SERIES_COLOURS = {
        new Color(0x440154), new Color(0x21918C), new Color(0xE0A800), new Color(0x3B528B), new Color(0x5EC962),
        new Color(0xB5367A)};

    final int width;
    final int height;

    ChartFigure(int width, int height) {
        if (width < 100 || height < 100 || width > 8000 || height > 8000) {
            throw new IllegalArgumentException(org.fivedstem.api.internal.Checks.format(
                "figure size %d×%d is outside 100–8000 pixels", width, height));
        }
        this.width = width;
        this.height = height;
    }

    /** @return a new chart holding the figure */
    abstract XYChart chart();

    static TickedChart newChart(int width, int height, String title, String xTitle, String yTitle) {
        TickedChart c = new TickedChart(width, height);
        c.setTitle(title);
        c.setXAxisTitle(xTitle);
        c.setYAxisTitle(yTitle);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotBackgroundColor(Color.WHITE);
        c.getStyler().setPlotBorderVisible(true);
        c.getStyler().setPlotGridLinesColor(new Color(0xE6E6E6));
        c.getStyler().setLegendBorderColor(new Color(0xBBBBBB));
        // Below the plot: a legend inside it covers data wherever the data happen to lie.
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        c.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        c.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        c.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        c.getStyler().setChartTitleBoxVisible(false);
        c.getStyler().setAntiAlias(true);
        return c;
    }

    /**
     * A linear axis range that holds [min, max] with 5 % room on each side and spans at least
     * {@code minSpan}, so that an axis is not zoomed onto differences smaller than that.
     *
     * @param min smallest value to show (finite)
     * @param max largest value to show (finite, &ge; min)
     * @param minSpan the smallest span of the axis (&gt; 0)
     * @return {low, high}
     */
    static double[] paddedRange(double min, double max, double minSpan) {
        double mid = (min + max) / 2;
        double half = Math.max((max - min) / 2 * 1.1, minSpan / 2);
        return new double[] {mid - half, mid + half};
    }

    /**
     * A logarithmic axis range that holds [min, max] with a factor 1.15 of room on each side.
     *
     * @param min smallest value to show (finite, &gt; 0)
     * @param max largest value to show (finite, &ge; min)
     * @return {low, high}
     */
    static double[] paddedLogRange(double min, double max) {
        return new double[] {min / 1.15, max * 1.15};
    }

    /** @return the rendered figure */
    public BufferedImage render() {
        return BitmapEncoder.getBufferedImage(chart());
    }

    /**
     * Writes the figure as PNG (temporary file, then moved into place).
     *
     * @param file the target
     * @throws IOException if writing fails
     */
    public void writePng(Path file) throws IOException {
        FigureFiles.png(render(), file);
    }

    /**
     * Writes the figure as SVG (temporary file, then moved into place).
     *
     * @param file the target
     * @throws IOException if writing fails
     */
    public void writeSvg(Path file) throws IOException {
        FigureFiles.svg(chart(), file);
    }
}
