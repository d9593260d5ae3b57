/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import java.util.Objects;

import org.fivedstem.api.internal.Checks;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The scan drift trajectory: drift along y and x in nm against time in s, one marker per frame.
 * Immutable.
 *
 * <pre>{@code
 * DriftFigure.of(timeSeconds, dyNm, dxNm).writePng(Path.of("drift.png"));
 * }</pre>
 */
public final class DriftFigure extends ChartFigure {

    private final double[] t;
    private final double[] y;
    private final double[] x;
    private final String title;

    private DriftFigure(double[] t, double[] y, double[] x, String title, int width, int height) {
        super(width, height);
        this.t = t;
        this.y = y;
        this.x = x;
        this.title = title;
    }

    /**
     * @param timeSeconds frame times in s (copied)
     * @param driftYNm drift along the scan rows in nm (copied)
     * @param driftXNm drift along the scan columns in nm (copied)
     * @return the figure, 800×500 pixels
     */
    public static DriftFigure of(double[] timeSeconds, double[] driftYNm, double[] driftXNm) {
        Objects.requireNonNull(timeSeconds, "timeSeconds");
        Checks.length("driftYNm", timeSeconds.length, driftYNm.length);
        Checks.length("driftXNm", timeSeconds.length, driftXNm.length);
        if (timeSeconds.length == 0) {
            throw new IllegalArgumentException("timeSeconds is empty; a drift trajectory needs at least one frame");
        }
        return new DriftFigure(timeSeconds.clone(), driftYNm.clone(), driftXNm.clone(), "scan drift", 800, 500);
    }

    /**
     * @param newTitle the title
     * @return a copy with this title
     */
    public DriftFigure withTitle(String newTitle) {
        return new DriftFigure(t, y, x, Objects.requireNonNull(newTitle, "title"), width, height);
    }

    @Override
    XYChart chart() {
        XYChart c = newChart(width, height, title, "time (s)", "drift (nm)");
        XYSeries sy = c.addSeries("y (rows)", t, y);
        sy.setMarker(SeriesMarkers.CIRCLE);
        sy.setLineColor(SERIES_COLOURS[0]);
        sy.setMarkerColor(SERIES_COLOURS[0]);
        XYSeries sx = c.addSeries("x (columns)", t, x);
        sx.setMarker(SeriesMarkers.DIAMOND);
        sx.setLineColor(SERIES_COLOURS[2]);
        sx.setMarkerColor(SERIES_COLOURS[2]);
        return c;
    }

    @Override
    public String toString() {
        int n = t.length;
        return Checks.format("DriftFigure[%s, %d frames over %.4g s, final (%.3g, %.3g) nm]", title, n, t[n - 1], y[n - 1], x[n - 1]);
    }
}
