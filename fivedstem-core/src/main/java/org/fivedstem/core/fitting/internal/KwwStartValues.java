/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting.internal;

import org.fivedstem.api.internal.KwwModel;

/**
 * Starting values of the KWW fit. With γ at its fixed value or 1, the model y ≈ β e(τ) (+ c) is
 * linear in β (and c) for a given τ, so a 16-point logarithmic grid of τ over [t_min/4, 4·t_max] is
 * scanned with β (and c) solved in closed form from the weighted normal equations; the grid point
 * with β &gt; 0 and the least weighted residual sum of squares starts the iteration. Robust against
 * any scale of τ and β, cheaper than a multi-start. (The 2 × 2 normal equations are solved by hand:
 * a library call would cost more than the sums.)
 */
public final class KwwStartValues {

    /** Points of the τ grid. */
    public static final int GRID = 16;

    private KwwStartValues() {
    }

    /**
     * Writes ln β, ln τ (and c) of the best grid point into θ; β is clamped into
     * [2·{@link KwwParameters#BETA_MIN}, {@link KwwParameters#BETA_MAX}/2], and is 10⁻³ when no grid
     * point has β &gt; 0 (nothing decays above the baseline; the fit then reports the outcome). γ
     * is not written.
     *
     * @param points the window's points
     * @param tMin the shortest positive lag, s
     * @param tMax the longest lag, s
     * @param gamma γ of the grid (the fixed γ, or 1)
     * @param layout where c goes in θ
     * @param theta θ. Modified.
     */
    public static void search(FitPoints points, double tMin, double tMax, double gamma, KwwParameters layout,
                              double[] theta) {
        int m = points.size();
        boolean base = layout.baselineFitted();
        double lo = Math.log(tMin / 4);
        double hi = Math.log(tMax * 4);
        double best = Double.POSITIVE_INFINITY;
        double bestBeta = Double.NaN;
        double bestLnTau = 0.5 * (lo + hi);
        double bestC = 0;
        for (int k = 0; k < GRID; k++) {
            double lnTau = lo + (hi - lo) * k / (GRID - 1);
            // Weighted normal equations of y ≈ β e (+ c).
            double see = 0;
            double se1 = 0;
            double s11 = 0;
            double sey = 0;
            double s1y = 0;
            double syy = 0;
            for (int i = 0; i < m; i++) {
                double s = points.lag(i) > 0 ? KwwModel.stretchFromLogs(points.logLag(i), lnTau, gamma) : 0;
                double e = KwwModel.decay(s);
                double w = points.weight(i);
                double y = points.y(i);
                double w2 = w * w;
                see += w2 * e * e;
                se1 += w2 * e;
                s11 += w2;
                sey += w2 * e * y;
                s1y += w2 * y;
                syy += w2 * y * y;
            }
            double beta;
            double c = 0;
            double ssr;
            if (base) {
                double det = see * s11 - se1 * se1;
                if (!(det > 1e-300)) {
                    continue;
                }
                beta = (sey * s11 - se1 * s1y) / det;
                c = (see * s1y - se1 * sey) / det;
                ssr = syy - beta * sey - c * s1y;
            } else {
                if (!(see > 0)) {
                    continue;
                }
                beta = sey / see;
                ssr = syy - beta * sey;
            }
            if (beta > 0 && ssr < best) {
                best = ssr;
                bestBeta = beta;
                bestLnTau = lnTau;
                bestC = c;
            }
        }
        if (Double.isNaN(bestBeta)) {
            bestBeta = 1e-3;
        }
        theta[0] = Math.log(Math.min(KwwParameters.BETA_MAX / 2, Math.max(KwwParameters.BETA_MIN * 2, bestBeta)));
        theta[1] = bestLnTau;
        if (base) {
            theta[layout.baselineIndex()] = bestC;
        }
    }
}
