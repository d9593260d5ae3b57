/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import java.util.ArrayList;
import java.util.List;

import org.fivedstem.api.internal.Checks;

/**
 * Tick values of a logarithmic axis at the steps a reader expects: 1-2-5 in every decade (and 3
 * when the axis spans about one decade or less, so that 300–3000 s reads 300, 500, 1000, 2000,
 * 3000), whole decades when the axis spans many, and nice linear steps when it spans so little that
 * fewer than three of those fall inside. Used by the charts' log τ axes ({@link TickedChart}) and
 * the log colour bars of {@link MapFigure}.
 */
final class LogTicks {

    private LogTicks() {
    }

    /**
     * @param low lower end of the axis (finite, &gt; 0)
     * @param high upper end of the axis (finite, &gt; low)
     * @return the tick values inside [low, high], ascending
     */
    static List<Double> between(double low, double high) {
        if (!(low > 0) || !(high > low) || !Double.isFinite(high)) {
            throw new IllegalArgumentException(Checks.format("log axis range is not 0 < low < high < ∞: [%s, %s]", low, high));
        }
        double decades = Math.log10(high / low);
        double[] mult = decades <= 1.2 ? new double[] {1, 2, 3, 5} : decades <= 3.5 ? new double[] {1, 2, 5} : new double[] {1};
        int every = decades <= 8 ? 1 : (int) Math.ceil(decades / 8);
        List<Double> out = new ArrayList<>();
        int first = (int) Math.floor(Math.log10(low));
        int last = (int) Math.ceil(Math.log10(high));
        for (int e = first; e <= last; e++) {
            if (Math.floorMod(e, every) != 0) {
                continue;
            }
            for (double m : mult) {
                // Built from an exact power of ten so that 3e2 prints as 300, not 300.00000000000006.
                double t = e >= 0 ? m * Math.pow(10, e) : m / Math.pow(10, -e);
                if (t >= low * (1 - 1e-12) && t <= high * (1 + 1e-12)) {
                    out.add(t);
                }
            }
        }
        if (out.size() >= 3) {
            return out;
        }
        // Less than a factor ~1.5: the 1-2-3-5 values are too sparse, linear steps inside the range instead.
        out.clear();
        double step = MapFigure.niceLength((high - low) / 4);
        for (double t = Math.ceil(low / step) * step; t <= high * (1 + 1e-12); t += step) {
            out.add(Double.parseDouble(Checks.format("%.12g", t)));
        }
        return out;
    }

    /**
     * @param v a tick value
     * @return its label: plain digits from 0.001 to 99 999 (no trailing zeros), else {@code 1e+06} style
     */
    static String label(double v) {
        return MapFigure.format(v);
    }
}
