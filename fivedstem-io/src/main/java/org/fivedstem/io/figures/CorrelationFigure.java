/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.internal.Checks;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Correlation curves g(t) with their standard errors as error bars and, where given, the fitted
 * KWW curve (eq. 3) over its fit window — for chosen positions and for the median curve. The lag
 * axis is logarithmic by default, so lag 0 (shot noise, never fitted) is left out; on a linear
 * axis it is shown. Immutable.
 *
 * <pre>{@code
 * CorrelationFigure.of("g(t) at (10, 20)", curve, fit).with("median", medianCurve, medianFit).writePng(path);
 * }</pre>
 */
public final class CorrelationFigure extends ChartFigure {

    /** One curve and its optional fit. */
    private record Entry(String label, CorrelationCurve curve, KwwFit fit) {
    }

    private final String title;
    private final List<Entry> entries;
    private final boolean logLag;

    private CorrelationFigure(String title, List<Entry> entries, boolean logLag, int width, int height) {
        super(width, height);
        this.title = title;
        this.entries = List.copyOf(entries);
        this.logLag = logLag;
    }

    /**
     * @param label the legend label of the first curve
     * @param curve the curve
     * @param fit its KWW fit, or {@code null}
     * @return a figure of one curve, 800×600 pixels, log lag axis
     */
    public static CorrelationFigure of(String label, CorrelationCurve curve, KwwFit fit) {
        return new CorrelationFigure("intensity autocorrelation g(t)", List.of(), true, 800, 600).with(label, curve, fit);
    }

    /**
     * @param label legend label
     * @param curve another curve
     * @param fit its KWW fit, or {@code null}
     * @return a copy with the curve added
     */
    public CorrelationFigure with(String label, CorrelationCurve curve, KwwFit fit) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(curve, "curve");
        if (entries.size() >= SERIES_COLOURS.length) {
            throw new IllegalArgumentException(Checks.format("a correlation figure holds at most %d curves", SERIES_COLOURS.length));
        }
        List<Entry> e = new ArrayList<>(entries);
        e.add(new Entry(label, curve, fit));
        return new CorrelationFigure(title, e, logLag, width, height);
    }

    /**
     * @param newTitle the title
     * @return a copy with this title
     */
    public CorrelationFigure withTitle(String newTitle) {
        return new CorrelationFigure(Objects.requireNonNull(newTitle, "title"), entries, logLag, width, height);
    }

    /**
     * @param log whether the lag axis is logarithmic (lag 0 then left out)
     * @return a copy
     */
    public CorrelationFigure withLogLagAxis(boolean log) {
        return new CorrelationFigure(title, entries, log, width, height);
    }

    /** @return number of curves */
    public int curveCount() {
        return entries.size();
    }

    @Override
    XYChart chart() {
        XYChart c = newChart(width, height, title, "lag t (s)", "g(t)");
        c.getStyler().setXAxisLogarithmic(logLag);
        c.getStyler().setErrorBarsColorSeriesColor(true);
        int k = 0;
        for (Entry e : entries) {
            java.awt.Color colour = SERIES_COLOURS[k++];
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            for (int i = 0; i < e.curve.lagCount(); i++) {
                double t = e.curve.lagSeconds(i);
                double g = e.curve.g(i);
                if ((logLag && !(t > 0)) || !Double.isFinite(g)) {
                    continue;
                }
                x.add(t);
                y.add(g);
                double s = e.curve.stdErr(i);
                err.add(Double.isFinite(s) ? s : 0.0);
            }
            if (x.isEmpty()) {
                continue;
            }
            XYSeries s = c.addSeries(e.label, x, y, err);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(colour);
            s.setLineColor(colour);
            if (e.fit != null && e.fit.status().hasParameters()) {
                int first = Math.max(e.fit.firstLag(), logLag ? 1 : 0);
                int last = Math.min(e.fit.lastLag(), e.curve.lagCount() - 1);
                if (first <= last) {
                    double t0 = Math.max(e.curve.lagSeconds(first), logLag ? 1e-300 : 0);
                    double t1 = e.curve.lagSeconds(last);
                    int n = 200;
                    double[] fx = new double[n];
                    double[] fy = new double[n];
                    for (int i = 0; i < n; i++) {
                        double u = i / (n - 1.0);
                        fx[i] = logLag && t0 > 0 ? t0 * Math.pow(t1 / t0, u) : t0 + u * (t1 - t0);
                        fy[i] = e.fit.evaluate(fx[i]);
                    }
                    XYSeries f = c.addSeries(Checks.format("%s: KWW τ = %.3g s, γ = %.2f", e.label, e.fit.tauSeconds(),
                        e.fit.gamma()), fx, fy);
                    f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    f.setMarker(SeriesMarkers.NONE);
                    f.setLineColor(colour);
                }
            }
        }
        if (c.getSeriesMap().isEmpty()) {
            c.getStyler().setXAxisLogarithmic(false);
            c.addSeries("no finite values", new double[] {0}, new double[] {1}).setMarker(SeriesMarkers.NONE);
        }
        return c;
    }

    @Override
    public String toString() {
        return Checks.format("CorrelationFigure[%s, %d curves, %s lag axis, %d×%d px]", title, entries.size(),
            logLag ? "log" : "linear", width, height);
    }
}
