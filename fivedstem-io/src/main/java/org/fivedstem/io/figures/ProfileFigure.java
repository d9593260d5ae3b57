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
 * A speckle-variance profile V(Q) over thin Q rings, with optional error bars. Immutable.
 */
public final class ProfileFigure extends ChartFigure {

    private final double[] q;
    private final double[] v;
    private final double[] err;
    private final String title;

    private ProfileFigure(double[] q, double[] v, double[] err, String title, int width, int height) {
        super(width, height);
        this.q = q;
        this.v = v;
        this.err = err;
        this.title = title;
    }

    /**
     * @param qInverseNm ring centres in nm⁻¹ (copied)
     * @param speckleVariance V per ring (copied; NaN rings are skipped)
     * @param stdErr standard error per ring, or {@code null} for none (copied)
     * @return the figure, 800×600 pixels
     */
    public static ProfileFigure of(double[] qInverseNm, double[] speckleVariance, double[] stdErr) {
        Objects.requireNonNull(qInverseNm, "qInverseNm");
        Objects.requireNonNull(speckleVariance, "speckleVariance");
        Checks.length("speckleVariance", qInverseNm.length, speckleVariance.length);
        if (stdErr != null) {
            Checks.length("stdErr", qInverseNm.length, stdErr.length);
        }
        if (qInverseNm.length == 0) {
            throw new IllegalArgumentException("qInverseNm is empty; a profile needs at least one ring");
        }
        return new ProfileFigure(qInverseNm.clone(), speckleVariance.clone(), stdErr == null ? null : stdErr.clone(),
            "speckle variance profile V(Q)", 800, 600);
    }

    /**
     * @param newTitle the title
     * @return a copy with this title
     */
    public ProfileFigure withTitle(String newTitle) {
        return new ProfileFigure(q, v, err, Objects.requireNonNull(newTitle, "title"), width, height);
    }

    @Override
    XYChart chart() {
        XYChart c = newChart(width, height, title, "Q (nm⁻¹)", "V(Q)");
        c.getStyler().setErrorBarsColorSeriesColor(true);
        c.getStyler().setXAxisDecimalPattern("0.0#");
        int n = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                n++;
            }
        }
        double[] x = new double[Math.max(n, 1)];
        double[] y = new double[Math.max(n, 1)];
        double[] e = new double[Math.max(n, 1)];
        int k = 0;
        for (int i = 0; i < q.length; i++) {
            if (Double.isFinite(v[i])) {
                x[k] = q[i];
                y[k] = v[i];
                e[k++] = err != null && Double.isFinite(err[i]) ? err[i] : 0;
            }
        }
        XYSeries s = err != null ? c.addSeries("V(Q)", x, y, e) : c.addSeries("V(Q)", x, y);
        s.setMarker(n == 0 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        s.setLineColor(SERIES_COLOURS[0]);
        s.setMarkerColor(SERIES_COLOURS[0]);
        return c;
    }

    @Override
    public String toString() {
        return Checks.format("ProfileFigure[%s, %d rings %.3g–%.3g nm⁻¹]", title, q.length, q[0], q[q.length - 1]);
    }
}
