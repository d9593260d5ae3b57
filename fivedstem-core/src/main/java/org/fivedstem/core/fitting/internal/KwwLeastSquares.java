/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting.internal;

import org.fivedstem.api.internal.KwwModel;

/**
 * The weighted least-squares problem of the KWW fit for {@link LevenbergMarquardt}: residuals
 * r_i = (y_i − β e_i − c)·w_i and the Jacobian of f = β e + c in θ = [ln β, ln τ, (γ), (c)]
 * ({@link KwwModel}), each row times w_i. s is evaluated from the kept ln t. Reads the points
 * in place; not thread-safe.
 */
public final class KwwLeastSquares implements LevenbergMarquardt.Problem {

    private final FitPoints points;
    private final KwwParameters layout;
    private final double fixedGamma;

    /**
     * @param points the window's points (read at every evaluation)
     * @param layout θ's layout
     * @param fixedGamma γ when it is not free
     */
    public KwwLeastSquares(FitPoints points, KwwParameters layout, double fixedGamma) {
        this.points = points;
        this.layout = layout;
        this.fixedGamma = fixedGamma;
    }

    @Override
    public void evaluate(double[] x, double[] r, double[] jac) {
        int np = layout.count();
        int gi = layout.gammaIndex();
        int ci = layout.baselineIndex();
        double beta = Math.exp(x[0]);
        double lnTau = x[1];
        double gam = gi >= 0 ? x[gi] : fixedGamma;
        double c = ci >= 0 ? x[ci] : 0;
        for (int i = 0; i < points.size(); i++) {
            double t = points.lag(i);
            double lnRatio = points.logLag(i) - lnTau;
            double s = t > 0 ? KwwModel.stretchFromLogs(points.logLag(i), lnTau, gam) : 0;
            double e = KwwModel.decay(s);
            double be = beta * e;
            double wi = points.weight(i);
            r[i] = (points.y(i) - be - c) * wi;
            if (jac != null) {
                int o = i * np;
                jac[o] = be * wi;
                jac[o + 1] = KwwModel.dLnTau(gam, s, be) * wi;
                if (gi >= 0) {
                    jac[o + gi] = KwwModel.dGammaOfBetaE(t, be, s, lnRatio) * wi;
                }
                if (ci >= 0) {
                    jac[o + ci] = wi;
                }
            }
        }
    }
}
