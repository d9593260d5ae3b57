/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting.internal;

import java.util.Arrays;

import org.fivedstem.api.internal.KwwModel;

/**
 * Standard errors of a KWW fit from its covariance in the reported parameters (β, τ, γ, c):
 * C = (JᵀWJ)⁻¹ · scale, J the Jacobian of f = β e + c ({@link KwwModel}) at the fit over the
 * window's points, W the squared weights, scale 1 for weights from standard errors or the reduced
 * χ² for uniform ones. One instance is one thread's scratch space; not thread-safe.
 */
public final class KwwCovariance {

    private final double[] normal = new double[16];
    private final double[] row = new double[4];
    private final double[] inverse = new double[16];

    /**
     * @param points the window's points
     * @param layout θ's layout (which of γ, c were fitted; their rows in J)
     * @param beta β̂
     * @param tauSeconds τ̂ in s
     * @param gamma γ̂ (or the fixed γ)
     * @param scale the factor of the covariance
     * @return the errors of β, τ (s), γ (0 when fixed) and c (NaN when not fitted); null when JᵀWJ
     *     is singular or the errors of β or τ are not finite
     */
    public ParameterErrors errors(FitPoints points, KwwParameters layout, double beta, double tauSeconds, double gamma,
                                  double scale) {
        int np = layout.count();
        int gi = layout.gammaIndex();
        int ci = layout.baselineIndex();
        double tau = tauSeconds;
        double[] a = normal;
        Arrays.fill(a, 0, np * np, 0);
        double[] j = row;
        double lnTau = Math.log(tau);
        for (int i = 0; i < points.size(); i++) {
            double t = points.lag(i);
            double s = t > 0 ? KwwModel.stretchFromLogs(points.logLag(i), lnTau, gamma) : 0;
            double e = KwwModel.decay(s);
            double wi = points.weight(i);
            j[0] = e * wi;
            j[1] = KwwModel.dTau(beta, gamma, s, e, tau) * wi;
            if (gi >= 0) {
                j[gi] = KwwModel.dGamma(t, beta, e, s, points.logLag(i) - lnTau) * wi;
            }
            if (ci >= 0) {
                j[ci] = wi;
            }
            for (int r = 0; r < np; r++) {
                for (int c = 0; c < np; c++) {
                    a[r * np + c] += j[r] * j[c];
                }
            }
        }
        double[] inv = inverse;
        if (!invert(a, np, inv)) {
            return null;
        }
        double betaError = Math.sqrt(scale * inv[0]);
        double tauError = Math.sqrt(scale * inv[np + 1]);
        if (!(Double.isFinite(betaError) && Double.isFinite(tauError))) {
            return null;
        }
        return new ParameterErrors(betaError, tauError, gi >= 0 ? Math.sqrt(scale * inv[gi * np + gi]) : 0,
            ci >= 0 ? Math.sqrt(scale * inv[ci * np + ci]) : Double.NaN);
    }

    /**
     * Gauss–Jordan inversion with partial pivoting of the n × n matrix (n ≤ 4). By hand rather than
     * EJML's {@code CommonOps_DDRM.invert}: EJML's LU takes other steps, which would change the
     * last bits of every published error, and at n ≤ 4 the call's set-up costs more than the work.
     *
     * @return false when a pivot is 0 or not finite
     */
    private static boolean invert(double[] a, int n, double[] inv) {
        double[] m = a.clone();
        Arrays.fill(inv, 0, n * n, 0);
        for (int i = 0; i < n; i++) {
            inv[i * n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r * n + col]) > Math.abs(m[piv * n + col])) {
                    piv = r;
                }
            }
            double p = m[piv * n + col];
            if (!(Math.abs(p) > 0) || !Double.isFinite(p)) {
                return false;
            }
            if (piv != col) {
                for (int c = 0; c < n; c++) {
                    double t = m[col * n + c];
                    m[col * n + c] = m[piv * n + c];
                    m[piv * n + c] = t;
                    t = inv[col * n + c];
                    inv[col * n + c] = inv[piv * n + c];
                    inv[piv * n + c] = t;
                }
            }
            for (int c = 0; c < n; c++) {
                m[col * n + c] /= p;
                inv[col * n + c] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = m[r * n + col];
                    for (int c = 0; c < n; c++) {
                        m[r * n + c] -= f * m[col * n + c];
                        inv[r * n + c] -= f * inv[col * n + c];
                    }
                }
            }
        }
        return true;
    }
}
