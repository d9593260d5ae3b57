/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.List;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.XYStyler;

/**
 * An {@link XYChart} whose logarithmic axes are labelled at 1-2-5 steps ({@link LogTicks}).
 *
 * <p>Why it draws its own labels: XChart 3.8.8's logarithmic tick calculator puts tick marks at
 * every 1…9 × 10ᵏ but labels only the decades (a 300–3000 s axis shows the single label "1000"), and
 * a custom label formatter makes XChart switch to its linear tick calculator, whose positions are
 * wrong on a log axis. So the chart keeps XChart's log axis (its minor tick marks and grid), paints
 * XChart's own tick labels transparent (so that XChart still reserves their room), and after XChart
 * has painted, writes the 1-2-5 labels at {@link #getScreenXFromChart(double)} /
 * {@link #getScreenYFromChart(double)}. The position of the label row needs the plot's edges, which
 * XChart does not publish; they follow from both axes' ranges, which the chart therefore fixes
 * ({@link #logX}, {@link #logY} and the other axis's min/max must be set), and from the styler's plot
 * content size (XChart centres [min, max] in that fraction of the plot). Where the other axis's range
 * is not set, XChart's decade labels are left as they are.
 */
final class TickedChart extends XYChart {

    private static final Color TRANSPARENT = new Color(0, 0, 0, 0);

    private double[] logX;
    private double[] logY;

    TickedChart(int width, int height) {
        super(width, height);
    }

    /**
     * Makes the horizontal axis logarithmic over [low, high], labelled at 1-2-5 steps.
     *
     * @param low lower end (&gt; 0)
     * @param high upper end (&gt; low)
     */
    void logX(double low, double high) {
        LogTicks.between(low, high);
        logX = new double[] {low, high};
        getStyler().setXAxisLogarithmic(true);
        getStyler().setXAxisMin(low);
        getStyler().setXAxisMax(high);
    }

    /**
     * Makes the vertical axis logarithmic over [low, high], labelled at 1-2-5 steps.
     *
     * @param low lower end (&gt; 0)
     * @param high upper end (&gt; low)
     */
    void logY(double low, double high) {
        LogTicks.between(low, high);
        logY = new double[] {low, high};
        getStyler().setYAxisLogarithmic(true);
        getStyler().setYAxisMin(low);
        getStyler().setYAxisMax(high);
    }

    /** @return the labelled values of the log horizontal axis, empty if it is not one */
    List<Double> xTicks() {
        return logX == null ? List.of() : LogTicks.between(logX[0], logX[1]);
    }

    /** @return the labelled values of the log vertical axis, empty if it is not one */
    List<Double> yTicks() {
        return logY == null ? List.of() : LogTicks.between(logY[0], logY[1]);
    }

    @Override
    public void paint(Graphics2D g, int width, int height) {
        XYStyler s = getStyler();
        boolean ownX = logX != null && s.getYAxisMin() != null && s.getYAxisMax() != null;
        boolean ownY = logY != null && s.getXAxisMin() != null && s.getXAxisMax() != null;
        Color xColour = s.getXAxisTickLabelsColor();
        Color yColour = s.getYAxisTickLabelsColor();
        if (ownX) {
            s.setXAxisTickLabelsColor(TRANSPARENT);
        }
        if (ownY) {
            s.setYAxisTickLabelsColor(TRANSPARENT);
        }
        super.paint(g, width, height);
        s.setXAxisTickLabelsColor(xColour);
        s.setYAxisTickLabelsColor(yColour);
        g.setFont(s.getAxisTickLabelsFont());
        g.setColor(xColour == null ? s.getAxisTickLabelsColor() : xColour);
        FontMetrics fm = g.getFontMetrics();
        double inset = (1 - s.getPlotContentSize()) / 2 / s.getPlotContentSize();
        if (ownX) {
            double yLow = getScreenYFromChart(s.getYAxisMin());
            double yHigh = getScreenYFromChart(s.getYAxisMax());
            double plotBottom = yLow + inset * (yLow - yHigh);
            int baseline = (int) Math.round(plotBottom + s.getAxisTickMarkLength() + s.getAxisTickPadding() + fm.getAscent());
            for (double t : xTicks()) {
                String label = LogTicks.label(t);
                int x = (int) Math.round(getScreenXFromChart(t) - fm.stringWidth(label) / 2.0);
                g.drawString(label, x, baseline);
            }
        }
        if (ownY) {
            g.setColor(yColour == null ? s.getAxisTickLabelsColor() : yColour);
            double xLow = getScreenXFromChart(s.getXAxisMin());
            double xHigh = getScreenXFromChart(s.getXAxisMax());
            double plotLeft = xLow - inset * (xHigh - xLow);
            double right = plotLeft - s.getAxisTickMarkLength() - s.getAxisTickPadding();
            for (double t : yTicks()) {
                String label = LogTicks.label(t);
                int y = (int) Math.round(getScreenYFromChart(t) + fm.getAscent() / 2.0 - 1);
                g.drawString(label, (int) Math.round(right - fm.stringWidth(label)), y);
            }
        }
    }
}
