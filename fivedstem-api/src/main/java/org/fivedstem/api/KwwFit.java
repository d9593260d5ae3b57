/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.Objects;

import org.fivedstem.api.internal.Checks;
import org.fivedstem.api.internal.KwwModel;

/**
 * A fit of the Kohlrausch–Williams–Watts form, the paper's eq. 3, to a correlation curve:
 * <pre>
 *   g(t) − 1 = β · exp(−2 (t/τ)^γ) + c
 * </pre>
 * with contrast β, relaxation time τ in seconds, stretching exponent γ (1: simple exponential;
 * &lt; 1 stretched; &gt; 1 compressed) and an optional baseline c (0 unless fitted).
 *
 * <p>Standard errors come from the covariance of the least-squares fit (scaled by the reduced χ²
 * when the fit was unweighted). A fixed γ has error 0; a baseline that was not fitted has value 0
 * and error NaN. Parameters of a fit that did not converge are NaN
 * ({@link FitStatus#hasParameters()} is false). Records compare doubles bit-wise: NaN equals NaN.
 *
 * @param beta contrast β (dimensionless)
 * @param betaError standard error of β
 * @param tauSeconds relaxation time τ in s
 * @param tauErrorSeconds standard error of τ in s
 * @param gamma stretching exponent γ
 * @param gammaError standard error of γ (0 when fixed)
 * @param gammaFixed whether γ was held fixed
 * @param baseline baseline c (0 when not fitted)
 * @param baselineError standard error of c (NaN when not fitted)
 * @param baselineFitted whether c was a free parameter
 * @param reducedChiSquare χ² per degree of freedom (with unit weights: the residual variance)
 * @param iterations iterations the optimiser took
 * @param status the outcome
 * @param firstLag first lag index of the fit window, inclusive
 * @param lastLag last lag index of the fit window, inclusive
 * @param tauLimitSeconds for a fit whose τ is {@linkplain FitStatus#isCensored() right-censored}
 *     ({@link FitStatus#UNRESOLVED_SLOW}): the limit τ is known to exceed, in s (the one-sided 95 %
 *     lower confidence bound of τ, see {@code KwwFitter}); NaN for every other status
 */
public record KwwFit(double beta, double betaError, double tauSeconds, double tauErrorSeconds,
                     double gamma, double gammaError, boolean gammaFixed,
                     double baseline, double baselineError, boolean baselineFitted,
                     double reducedChiSquare, int iterations, FitStatus status, int firstLag, int lastLag,
                     double tauLimitSeconds) {

    /**
     * Validates the status, window, censoring limit and, for converged fits, the parameters' domains.
     *
     * @param beta contrast β (dimensionless)
     * @param betaError standard error of β
     * @param tauSeconds relaxation time τ in s
     * @param tauErrorSeconds standard error of τ in s
     * @param gamma stretching exponent γ
     * @param gammaError standard error of γ (0 when fixed)
     * @param gammaFixed whether γ was held fixed
     * @param baseline baseline c (0 when not fitted)
     * @param baselineError standard error of c (NaN when not fitted)
     * @param baselineFitted whether c was a free parameter
     * @param reducedChiSquare χ² per degree of freedom (with unit weights: the residual variance)
     * @param iterations iterations the optimiser took
     * @param status the outcome
     * @param firstLag first lag index of the fit window, inclusive
     * @param lastLag last lag index of the fit window, inclusive
     * @param tauLimitSeconds for a fit whose τ is {@linkplain FitStatus#isCensored() right-censored} ({@link FitStatus#UNRESOLVED_SLOW}): the limit τ is known to exceed, in s (the one-sided 95 % lower confidence bound of τ, see {@code KwwFitter}); NaN for every other status
     */
    public KwwFit {
        Objects.requireNonNull(status, "status");
        if (firstLag < 0 || lastLag < firstLag) {
            throw new IllegalArgumentException(Checks.format("fit window [%d, %d] is empty or negative", firstLag, lastLag));
        }
        if (iterations < 0) {
            throw new IllegalArgumentException(Checks.format("iterations is negative: %d", iterations));
        }
        if (status.hasParameters()) {
            Checks.positive("beta", beta);
            Checks.positive("tauSeconds", tauSeconds);
            Checks.positive("gamma", gamma);
            Checks.finite("baseline", baseline);
        }
        if (status.isCensored()) {
            Checks.positive("tauLimitSeconds", tauLimitSeconds);
        } else if (!Double.isNaN(tauLimitSeconds)) {
            throw new IllegalArgumentException(Checks.format(
                "tauLimitSeconds is %s for status %s; only a censored (unresolved slow) fit has a limit", tauLimitSeconds, status));
        }
    }

    /**
     * A fit that is not censored (no τ limit): the canonical constructor with
     * {@code tauLimitSeconds} NaN.
     *
     * @param beta contrast β
     * @param betaError standard error of β
     * @param tauSeconds relaxation time τ in s
     * @param tauErrorSeconds standard error of τ in s
     * @param gamma stretching exponent γ
     * @param gammaError standard error of γ (0 when fixed)
     * @param gammaFixed whether γ was held fixed
     * @param baseline baseline c (0 when not fitted)
     * @param baselineError standard error of c (NaN when not fitted)
     * @param baselineFitted whether c was a free parameter
     * @param reducedChiSquare χ² per degree of freedom
     * @param iterations iterations the optimiser took
     * @param status the outcome (not a censored one)
     * @param firstLag first lag index of the fit window, inclusive
     * @param lastLag last lag index of the fit window, inclusive
     */
    public KwwFit(double beta, double betaError, double tauSeconds, double tauErrorSeconds,
                  double gamma, double gammaError, boolean gammaFixed,
                  double baseline, double baselineError, boolean baselineFitted,
                  double reducedChiSquare, int iterations, FitStatus status, int firstLag, int lastLag) {
        this(beta, betaError, tauSeconds, tauErrorSeconds, gamma, gammaError, gammaFixed, baseline, baselineError,
            baselineFitted, reducedChiSquare, iterations, status, firstLag, lastLag, Double.NaN);
    }

    /**
     * A fit that produced no parameters: every parameter, error and χ² is NaN.
     *
     * @param status why (must not be a converged status)
     * @param gammaFixed whether γ was to be held fixed
     * @param baselineFitted whether c was to be fitted
     * @param iterations iterations taken before giving up
     * @param firstLag first lag index of the window
     * @param lastLag last lag index of the window
     * @return the failed fit
     */
    public static KwwFit failed(FitStatus status, boolean gammaFixed, boolean baselineFitted,
                                int iterations, int firstLag, int lastLag) {
        if (status.hasParameters()) {
            throw new IllegalArgumentException("status " + status + " is not a failure");
        }
        double nan = Double.NaN;
        return new KwwFit(nan, nan, nan, nan, nan, nan, gammaFixed, nan, nan, baselineFitted, nan, iterations,
            status, firstLag, lastLag);
    }

    /**
     * Evaluates the fitted model.
     *
     * @param tSeconds lag time in s (&ge; 0)
     * @return {@code 1 + c + β exp(−2 (t/τ)^γ)}; NaN for a failed fit
     */
    public double evaluate(double tSeconds) {
        return KwwModel.g(tSeconds, beta, tauSeconds, gamma, baseline);
    }

    /**
     * @param newBetaError standard error of β
     * @param newTauErrorSeconds standard error of τ in s
     * @param newGammaError standard error of γ (0 when fixed)
     * @param newBaselineError standard error of c (NaN when not fitted)
     * @return a copy with these standard errors (e.g. from a jackknife instead of the covariance),
     *     everything else — parameters, status, τ limit — unchanged
     */
    public KwwFit withErrors(double newBetaError, double newTauErrorSeconds, double newGammaError,
                             double newBaselineError) {
        return new KwwFit(beta, newBetaError, tauSeconds, newTauErrorSeconds, gamma, newGammaError, gammaFixed, baseline,
            newBaselineError, baselineFitted, reducedChiSquare, iterations, status, firstLag, lastLag, tauLimitSeconds);
    }

    /**
     * @param newStatus another status with parameters that is not censored (e.g. to flag τ outside
     *     the resolvable range); see {@link #withCensoring} for a censored one
     * @return a copy with that status (and no τ limit)
     */
    public KwwFit withStatus(FitStatus newStatus) {
        return new KwwFit(beta, betaError, tauSeconds, tauErrorSeconds, gamma, gammaError, gammaFixed, baseline,
            baselineError, baselineFitted, reducedChiSquare, iterations, newStatus, firstLag, lastLag, Double.NaN);
    }

    /**
     * @param limitSeconds the limit τ is known to exceed, in s (finite, &gt; 0)
     * @return a copy flagged {@link FitStatus#UNRESOLVED_SLOW}, right-censored at that limit
     */
    public KwwFit withCensoring(double limitSeconds) {
        return new KwwFit(beta, betaError, tauSeconds, tauErrorSeconds, gamma, gammaError, gammaFixed, baseline,
            baselineError, baselineFitted, reducedChiSquare, iterations, FitStatus.UNRESOLVED_SLOW, firstLag, lastLag,
            limitSeconds);
    }

    /** @return β with its standard error */
    public Estimate betaEstimate() {
        return new Estimate(beta, betaError);
    }

    /** @return τ in s with its standard error */
    public Estimate tauEstimate() {
        return new Estimate(tauSeconds, tauErrorSeconds);
    }

    /** @return γ with its standard error (0 when fixed) */
    public Estimate gammaEstimate() {
        return new Estimate(gamma, gammaError);
    }

    /** @return the baseline c with its standard error (0 ± NaN when not fitted) */
    public Estimate baselineEstimate() {
        return new Estimate(baseline, baselineError);
    }

    /**
     * A fit assembled by name rather than by sixteen positions: β, τ and γ as estimates ± errors,
     * the baseline only when fitted, the window and status given up front. The record's constructor
     * validates at {@link Builder#build()}.
     *
     * <pre>{@code
     * KwwFit f = KwwFit.builder(FitStatus.CONVERGED, 1, 40)
     *     .beta(new Estimate(0.2, 0.01)).tauSeconds(new Estimate(800, 80)).gammaFixed(1)
     *     .reducedChiSquare(1.1).iterations(12).build();
     * }</pre>
     *
     * @param status the outcome
     * @param firstLag first lag index of the fit window, inclusive
     * @param lastLag last lag index of the fit window, inclusive
     * @return a builder: parameters NaN, γ free, no baseline, χ²/ν NaN, 0 iterations, no censoring limit
     */
    public static Builder builder(FitStatus status, int firstLag, int lastLag) {
        return new Builder(Objects.requireNonNull(status, "status"), firstLag, lastLag);
    }

    /** Assembles a {@link KwwFit} by name; see {@link KwwFit#builder}. */
    public static final class Builder {
        private final FitStatus status;
        private final int firstLag;
        private final int lastLag;
        private Estimate beta = new Estimate(Double.NaN, Double.NaN);
        private Estimate tau = new Estimate(Double.NaN, Double.NaN);
        private Estimate gamma = new Estimate(Double.NaN, Double.NaN);
        private boolean gammaFixed;
        private Estimate baseline = new Estimate(0, Double.NaN);
        private boolean baselineFitted;
        private double reducedChiSquare = Double.NaN;
        private int iterations;
        private double tauLimitSeconds = Double.NaN;

        private Builder(FitStatus status, int firstLag, int lastLag) {
            this.status = status;
            this.firstLag = firstLag;
            this.lastLag = lastLag;
        }

        /**
         * @param e the contrast β ± its standard error
         * @return this builder
         */
        public Builder beta(Estimate e) {
            this.beta = Objects.requireNonNull(e, "beta");
            return this;
        }

        /**
         * @param e τ in s ± its standard error
         * @return this builder
         */
        public Builder tauSeconds(Estimate e) {
            this.tau = Objects.requireNonNull(e, "tauSeconds");
            return this;
        }

        /**
         * @param e the fitted stretching exponent γ ± its standard error
         * @return this builder
         */
        public Builder gamma(Estimate e) {
            this.gamma = Objects.requireNonNull(e, "gamma");
            this.gammaFixed = false;
            return this;
        }

        /**
         * @param value the value γ was held at (error 0)
         * @return this builder
         */
        public Builder gammaFixed(double value) {
            this.gamma = Estimate.exact(value);
            this.gammaFixed = true;
            return this;
        }

        /**
         * @param e the fitted baseline c ± its standard error
         * @return this builder
         */
        public Builder baseline(Estimate e) {
            this.baseline = Objects.requireNonNull(e, "baseline");
            this.baselineFitted = true;
            return this;
        }

        /**
         * @param value χ² per degree of freedom
         * @return this builder
         */
        public Builder reducedChiSquare(double value) {
            this.reducedChiSquare = value;
            return this;
        }

        /**
         * @param count iterations the optimiser took
         * @return this builder
         */
        public Builder iterations(int count) {
            this.iterations = count;
            return this;
        }

        /**
         * @param seconds for a right-censored fit, the limit τ is known to exceed
         * @return this builder
         */
        public Builder tauLimitSeconds(double seconds) {
            this.tauLimitSeconds = seconds;
            return this;
        }

        /**
         * @return the fit
         * @throws IllegalArgumentException as the record's constructor does
         */
        public KwwFit build() {
            return new KwwFit(beta.value(), beta.standardError(), tau.value(), tau.standardError(), gamma.value(),
                gamma.standardError(), gammaFixed, baseline.value(), baseline.standardError(), baselineFitted, reducedChiSquare,
                iterations, status, firstLag, lastLag, tauLimitSeconds);
        }
    }

    @Override
    public String toString() {
        if (!status.hasParameters()) {
            return Checks.format("KwwFit[%s, lags %d–%d, %d iterations]", status.description(), firstLag, lastLag, iterations);
        }
        StringBuilder sb = new StringBuilder("KwwFit[");
        sb.append(Checks.format("tau = %.5g ± %.2g s, beta = %.4g ± %.2g, ", tauSeconds, tauErrorSeconds, beta, betaError));
        sb.append(gammaFixed ? Checks.format("gamma = %.4g (fixed)", gamma) : Checks.format("gamma = %.4g ± %.2g", gamma, gammaError));
        if (baselineFitted) {
            sb.append(Checks.format(", c = %.3g ± %.2g", baseline, baselineError));
        }
        sb.append(Checks.format(", χ²/ν = %.3g, lags %d–%d, %s", reducedChiSquare, firstLag, lastLag, status.description()));
        if (status.isCensored()) {
            sb.append(Checks.format(": tau > %.4g s", tauLimitSeconds));
        }
        sb.append(']');
        return sb.toString();
    }
}
