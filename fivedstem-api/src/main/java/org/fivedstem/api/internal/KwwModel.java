/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api.internal;

/**
 * The Kohlrausch–Williams–Watts model of the paper's eq. 3, its value and its partial derivatives,
 * written once for {@code KwwFit.evaluate} and the fitter (its least-squares problem, its start
 * values, its covariance and jackknife errors):
 * <pre>
 *   g(t) = 1 + f(t),   f(t) = β·e + c,   e = exp(−2s),   s = (t/τ)^γ
 * </pre>
 * with lag t and relaxation time τ in seconds, contrast β, stretching exponent γ and baseline c
 * dimensionless. The partial derivatives of f, with ln(t/τ) written L:
 * <pre>
 *   ∂f/∂β = e          ∂f/∂τ = 2βγ s e / τ          ∂f/∂γ = −2β e s L (0 at t = 0)      ∂f/∂c = 1
 *   ∂f/∂ln β = β e     ∂f/∂ln τ = 2γ s · βe
 * </pre>
 * the second row in the parameters the fitter iterates on (ln β and ln τ keep β, τ positive and
 * τ's scale, often spanning decades, well conditioned).
 *
 * <p><b>Evaluation order is part of the result.</b> Each method fixes how its expression is
 * evaluated, operation by operation, because fits are compared bit for bit across thread counts
 * and releases; s has two evaluations (from t/τ, or from logarithms the fitter keeps per lag),
 * which agree to within an ulp or two, not bit for bit, so each caller keeps the one it has always
 * used. The same holds for ∂f/∂τ, whose factors the covariance errors ({@link #dTau}) and the
 * jackknife errors ({@link #dTauBetaEFirst}) have always multiplied in different orders.
 *
 * <p>Not part of the public API (see {@link Checks}).
 */
public final class KwwModel {

    private KwwModel() {
    }

    /**
     * @param tSeconds lag t in s
     * @param beta β
     * @param tauSeconds τ in s
     * @param gamma γ
     * @param c baseline c
     * @return g(t) = 1 + c + β exp(−2 (t/τ)^γ), evaluated as {@code (1 + c) + β·decay(stretch(t, τ, γ))}
     */
    public static double g(double tSeconds, double beta, double tauSeconds, double gamma, double c) {
        return 1 + c + beta * decay(stretch(tSeconds, tauSeconds, gamma));
    }

    /**
     * @param tSeconds lag t in s
     * @param tauSeconds τ in s
     * @param gamma γ
     * @return s = (t/τ)^γ by {@link Math#pow}
     */
    public static double stretch(double tSeconds, double tauSeconds, double gamma) {
        return Math.pow(tSeconds / tauSeconds, gamma);
    }

    /**
     * s from logarithms: one {@code exp} per evaluation where ln t is kept per lag and τ, γ change
     * (the fitter's iterations), instead of a {@code pow}.
     *
     * @param lnT ln t (t in s; t &gt; 0)
     * @param lnTau ln τ (τ in s)
     * @param gamma γ
     * @return s = exp(γ (ln t − ln τ))
     */
    public static double stretchFromLogs(double lnT, double lnTau, double gamma) {
        return Math.exp(gamma * (lnT - lnTau));
    }

    /**
     * @param s the stretched time (t/τ)^γ
     * @return e = exp(−2s), the decay of g − 1 relative to β
     */
    public static double decay(double s) {
        return Math.exp(-2 * s);
    }

    /**
     * @param gamma γ
     * @param s (t/τ)^γ
     * @param betaE β·e
     * @return ∂f/∂ln τ = 2γ s · βe, evaluated {@code ((2γ)·s)·βe}
     */
    public static double dLnTau(double gamma, double s, double betaE) {
        return 2 * gamma * s * betaE;
    }

    /**
     * @param tSeconds lag t in s (≥ 0)
     * @param betaE β·e
     * @param s (t/τ)^γ
     * @param lnRatio ln(t/τ) (any value at t = 0)
     * @return ∂f/∂γ = −2 βe · s · ln(t/τ), evaluated {@code ((−2·βe)·s)·ln(t/τ)}; 0 at t = 0
     */
    public static double dGammaOfBetaE(double tSeconds, double betaE, double s, double lnRatio) {
        return tSeconds > 0 ? -2 * betaE * s * lnRatio : 0;
    }

    /**
     * @param beta β
     * @param gamma γ
     * @param s (t/τ)^γ
     * @param e exp(−2s)
     * @param tauSeconds τ in s
     * @return ∂f/∂τ = 2βγ s e / τ in 1/s, evaluated {@code (((2β)·γ)·s)·e / τ}
     */
    public static double dTau(double beta, double gamma, double s, double e, double tauSeconds) {
        return 2 * beta * gamma * s * e / tauSeconds;
    }

    /**
     * ∂f/∂τ as {@link #dTau}, its factors multiplied in the order the jackknife errors have always
     * used, {@code (((2β)·e)·γ)·s / τ}: equal to it within an ulp, kept so that those errors stay
     * bit for bit what they were.
     *
     * @param beta β
     * @param e exp(−2s)
     * @param gamma γ
     * @param s (t/τ)^γ
     * @param tauSeconds τ in s
     * @return ∂f/∂τ in 1/s
     */
    public static double dTauBetaEFirst(double beta, double e, double gamma, double s, double tauSeconds) {
        return 2 * beta * e * gamma * s / tauSeconds;
    }

    /**
     * @param tSeconds lag t in s (≥ 0)
     * @param beta β
     * @param e exp(−2s)
     * @param s (t/τ)^γ
     * @param lnRatio ln(t/τ) (any value at t = 0)
     * @return ∂f/∂γ = −2β e s ln(t/τ), evaluated {@code (((−2β)·e)·s)·ln(t/τ)}; 0 at t = 0
     */
    public static double dGamma(double tSeconds, double beta, double e, double s, double lnRatio) {
        return tSeconds > 0 ? -2 * beta * e * s * lnRatio : 0;
    }
}
