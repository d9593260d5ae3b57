/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting;

import java.util.Locale;
import java.util.Objects;

import org.fivedstem.api.internal.Checks;

/**
 * How a KWW curve (the paper's eq. 3) is fitted: γ free or fixed, optional baseline, weighting,
 * fit window, γ bounds, iteration limit and the resolvable-range rule. Immutable; configure with
 * the {@code with…} methods, which return copies:
 *
 * <pre>{@code
 * FitOptions paper = FitOptions.defaults().withGammaFixed(1.0);   // as the paper's correlation analysis
 * FitOptions free = FitOptions.defaults().withBaseline(true).withLags(1, 60);
 * }</pre>
 *
 * <p>Defaults: γ free in [0.2, 3], no baseline, {@link Weighting#AUTO}, window from the first lag
 * with t &gt; 0 to the default last lag (the last lag with at least a quarter of lag 0's frame
 * pairs, i.e. about 3T/4; the last lag of the curve when pair counts are unknown), 200 iterations,
 * τ measured when its relative error is at most {@value #DEFAULT_MAX_RELATIVE_TAU_ERROR}
 * ({@link #withMaxRelativeTauError}) between one frame interval and a ceiling of
 * {@value #DEFAULT_SLOW_LIMIT_FRACTION} × the recording's longest lag, decay test at level
 * {@value #DEFAULT_DECAY_TEST_LEVEL} ({@link #withDecayTestLevel}).
 */
public final class FitOptions {

    /** Default lower bound of γ. */
    public static final double DEFAULT_GAMMA_MIN = 0.2;
    /** Default upper bound of γ. */
    public static final double DEFAULT_GAMMA_MAX = 3.0;

    /**
     * Default ceiling of a measured τ, as a multiple of the recording length: 10. Below it, whether
     * τ is measured is judged by its precision ({@link #DEFAULT_MAX_RELATIVE_TAU_ERROR}), not by its
     * value: on the paper's geometry τ up to 5× the recording is measured to ≈ 15 % with γ fixed
     * (docs/dynamics.md, "Slow dynamics"). At 10× the recording, g − 1 falls by only
     * 1 − e^(−0.2) ≈ 18 % of β over the recording (γ = 1): τ then rests on the initial slope and the
     * assumed shape, so a τ̂ beyond the ceiling is reported right-censored whatever its error. (The
     * paper reports τ up to about 5× its 975 s recordings.)
     */
    public static final double DEFAULT_SLOW_LIMIT_FRACTION = 10.0;

    /**
     * Default limit of τ's relative standard error σ_τ/τ̂ for τ to count as measured: 0.5, i.e. τ
     * known to within a factor ≈ e^(±0.5) at one standard error. A converged fit above it is
     * {@link org.fivedstem.api.FitStatus#UNRESOLVED_SLOW} (right-censored) when τ̂ exceeds the
     * recording, {@link org.fivedstem.api.FitStatus#IMPRECISE} otherwise.
     */
    public static final double DEFAULT_MAX_RELATIVE_TAU_ERROR = 0.5;

    /**
     * Default level α of the decay test, 0.001: a converged fit whose KWW model is not better than
     * a constant g − 1 = c at this level (extra-sum-of-squares F test, see
     * {@link #withDecayTestLevel}) is flagged {@link org.fivedstem.api.FitStatus#NO_CONTRAST}.
     * Chosen by measurement on simulated curves (docs/dynamics.md, "No significant decay"):
     * contrast-free positions then pass as reliable at a rate of ≲ 1 %, while positions whose τ is
     * measured to ≲ 25 % are flagged at ≲ 1 %.
     */
    public static final double DEFAULT_DECAY_TEST_LEVEL = 0.001;

    private static final FitOptions DEFAULTS = new FitOptions(Double.NaN, false, Weighting.AUTO, -1, -1,
        DEFAULT_GAMMA_MIN, DEFAULT_GAMMA_MAX, 200, DEFAULT_SLOW_LIMIT_FRACTION, DEFAULT_DECAY_TEST_LEVEL,
        DEFAULT_MAX_RELATIVE_TAU_ERROR, Estimator.LEAST_SQUARES, Double.NaN);

    private final double gammaFixed;
    private final boolean baseline;
    private final Weighting weighting;
    private final int firstLag;
    private final int lastLag;
    private final double gammaMin;
    private final double gammaMax;
    private final int maxIterations;
    private final double slowLimitFraction;
    private final double decayTestLevel;
    private final double maxRelativeTauError;
    private final Estimator estimator;
    private final double shotNoiseGain;

    private FitOptions(double gammaFixed, boolean baseline, Weighting weighting, int firstLag, int lastLag,
                       double gammaMin, double gammaMax, int maxIterations, double slowLimitFraction,
                       double decayTestLevel, double maxRelativeTauError, Estimator estimator, double shotNoiseGain) {
        this.gammaFixed = gammaFixed;
        this.baseline = baseline;
        this.weighting = weighting;
        this.firstLag = firstLag;
        this.lastLag = lastLag;
        this.gammaMin = gammaMin;
        this.gammaMax = gammaMax;
        this.maxIterations = maxIterations;
        this.slowLimitFraction = slowLimitFraction;
        this.decayTestLevel = decayTestLevel;
        this.maxRelativeTauError = maxRelativeTauError;
        this.estimator = estimator;
        this.shotNoiseGain = shotNoiseGain;
    }

    /** @return the defaults (see the class notes) */
    public static FitOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param gamma the fixed stretching exponent (finite, &gt; 0; the paper uses 1)
     * @return a copy with γ held fixed
     */
    public FitOptions withGammaFixed(double gamma) {
        Checks.positive("gamma", gamma);
        return new FitOptions(gamma, baseline, weighting, firstLag, lastLag, gammaMin, gammaMax, maxIterations,
            slowLimitFraction, decayTestLevel, maxRelativeTauError, estimator, shotNoiseGain);
    }

    /** @return a copy with γ fitted within the γ bounds */
    public FitOptions withGammaFree() {
        return new FitOptions(Double.NaN, baseline, weighting, firstLag, lastLag, gammaMin, gammaMax, maxIterations,
            slowLimitFraction, decayTestLevel, maxRelativeTauError, estimator, shotNoiseGain);
    }

    /**
     * @param on whether to fit a baseline c: g − 1 = β exp(−2 (t/τ)^γ) + c
     * @return a copy with it
     */
    public FitOptions withBaseline(boolean on) {
        return new FitOptions(gammaFixed, on, weighting, firstLag, lastLag, gammaMin, gammaMax, maxIterations,
            slowLimitFraction, decayTestLevel, maxRelativeTauError, estimator, shotNoiseGain);
    }

    /**
     * @param w the weighting
     * @return a copy with it
     */
    public FitOptions withWeighting(Weighting w) {
        return new FitOptions(gammaFixed, baseline, Objects.requireNonNull(w, "weighting"), firstLag, lastLag,
            gammaMin, gammaMax, maxIterations, slowLimitFraction, decayTestLevel, maxRelativeTauError, estimator, shotNoiseGain);
    }

    /**
     * @param first first lag index of the fit window, inclusive (&ge; 0; 0 includes the
     *     shot-noise-affected lag 0)
     * @param last last lag index, inclusive (&ge; first); clipped to the curve's last lag
     * @return a copy with this window
     */
    public FitOptions withLags(int first, int last) {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException(Checks.format(
                "fit window [%d, %d] is not a range of lag indices with 0 ≤ first ≤ last", first, last));
        }
        return new FitOptions(gammaFixed, baseline, weighting, first, last, gammaMin, gammaMax, maxIterations,
            slowLimitFraction, decayTestLevel, maxRelativeTauError, estimator, shotNoiseGain);
    }

    /** @return a copy with the default window (see the class notes) */
    public FitOptions withDefaultLags() {
        return new FitOptions(gammaFixed, baseline, weighting, -1, -1, gammaMin, gammaMax, maxIterations,
            slowLimitFraction, decayTestLevel, maxRelativeTauError, estimator, shotNoiseGain);
    }

    /**
     * @param min lower bound of a free γ (&gt; 0)
     * @param max upper bound (&gt; min, ≤ 10)
     * @return a copy with these bounds
     */
    public FitOptions withGammaBounds(double min, double max) {
        Checks.positive("gammaMin", min);
        if (!(max > min) || !(max <= 10)) {
            throw new IllegalArgumentException(Checks.format("gammaMax is not in (gammaMin, 10]: %s (gammaMin %s)", max, min));
        }
        return new FitOptions(gammaFixed, baseline, weighting, firstLag, lastLag, min, max, maxIterations,
            slowLimitFraction, decayTestLevel, maxRelativeTauError, estimator, shotNoiseGain);
    }

    /**
     * @param iterations the Levenberg–Marquardt iteration limit (&ge; 1)
     * @return a copy with it
     */
    public FitOptions withMaxIterations(int iterations) {
        Checks.positive("maxIterations", iterations);
        return new FitOptions(gammaFixed, baseline, weighting, firstLag, lastLag, gammaMin, gammaMax, iterations,
            slowLimitFraction, decayTestLevel, maxRelativeTauError, estimator, shotNoiseGain);
    }

    /**
     * The ceiling of a measured τ: a converged fit whose τ̂ exceeds this multiple of the curve's
     * longest lag (the recording length) is flagged {@link org.fivedstem.api.FitStatus#UNRESOLVED_SLOW}
     * (right-censored) however small its error. Below the ceiling, precision decides
     * ({@link #withMaxRelativeTauError}). At τ = 1× the recording, g − 1 has decayed to
     * e^(−2) ≈ 14 % of β over the recording (for γ = 1), at 2× to e^(−1), at 10× (the default,
     * {@link #DEFAULT_SLOW_LIMIT_FRACTION}) to e^(−0.2).
     *
     * @param fraction the fraction (finite, &gt; 0)
     * @return a copy with it
     */
    public FitOptions withSlowLimitFraction(double fraction) {
        Checks.positive("slowLimitFraction", fraction);
        return new FitOptions(gammaFixed, baseline, weighting, firstLag, lastLag, gammaMin, gammaMax, maxIterations,
            fraction, decayTestLevel, maxRelativeTauError, estimator, shotNoiseGain);
    }

    /**
     * The level α of the test for a decaying component. After a converged fit, the weighted sum
     * of squared residuals of the KWW model, S₁ (p parameters), is compared with that of the best
     * constant, S₀ = Σ w²(y − ȳ_w)² (one parameter, y = g − 1, w the fit's weights), by the
     * extra-sum-of-squares F statistic
     * <pre>
     *   F = ((S₀ − S₁)/(p − 1)) / (S₁/(m − p))        (m usable lags)
     * </pre>
     * If its p-value under F(p − 1, m − p) exceeds α, the decay is not significant and the fit is
     * flagged {@link org.fivedstem.api.FitStatus#NO_CONTRAST} (unless τ̂ already lies beyond the
     * slow limit: {@code UNRESOLVED_SLOW} takes precedence, as a flat curve above 0 is what a
     * static or too-slow speckle pattern gives). The null is a constant rather than 0 because the
     * ensemble-normalised g of a contrast-free position is 1 + (κ − 1), not 1, when the mean
     * intensity varies over the annulus (κ = ⟨w²⟩/⟨w⟩², see docs/dynamics.md).
     *
     * @param alpha the level, in (0, 1]; 1 switches the test off (every decay counts as significant)
     * @return a copy with it
     */
    public FitOptions withDecayTestLevel(double alpha) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException(Checks.format("decayTestLevel is not in (0, 1]: %s", alpha));
        }
        return new FitOptions(gammaFixed, baseline, weighting, firstLag, lastLag, gammaMin, gammaMax, maxIterations,
            slowLimitFraction, alpha, maxRelativeTauError, estimator, shotNoiseGain);
    }

    /**
     * The precision a τ needs to count as measured: a converged fit whose relative standard error
     * σ_τ/τ̂ exceeds {@code limit} (or has no error) is not reliable — right-censored
     * ({@link org.fivedstem.api.FitStatus#UNRESOLVED_SLOW}, τ &gt; its one-sided 95 % lower confidence
     * bound) when τ̂ is longer than the recording, {@link org.fivedstem.api.FitStatus#IMPRECISE}
     * otherwise. The errors judged are the ones the fit reports: jackknife errors in maps, covariance
     * errors for a single curve without replicates.
     *
     * @param limit the limit (&gt; 0; {@code Double.POSITIVE_INFINITY} keeps every precision)
     * @return a copy with it
     */
    public FitOptions withMaxRelativeTauError(double limit) {
        if (!(limit > 0)) {
            throw new IllegalArgumentException(Checks.format("maxRelativeTauError is not > 0: %s", limit));
        }
        return new FitOptions(gammaFixed, baseline, weighting, firstLag, lastLag, gammaMin, gammaMax, maxIterations,
            slowLimitFraction, decayTestLevel, limit, estimator, shotNoiseGain);
    }

    /**
     * @param e how the parameters are estimated (see {@link Estimator}: the quasi-likelihood applies to
     *     γ fixed at 1 without baseline, in maps; least squares is used wherever it does not)
     * @return a copy with it
     */
    public FitOptions withEstimator(Estimator e) {
        return new FitOptions(gammaFixed, baseline, weighting, firstLag, lastLag, gammaMin, gammaMax, maxIterations,
            slowLimitFraction, decayTestLevel, maxRelativeTauError, Objects.requireNonNull(e, "estimator"), shotNoiseGain);
    }

    /** @return the estimator asked for; see {@link #withEstimator} */
    public Estimator estimator() {
        return estimator;
    }

    /**
     * The detector's gain for the quasi-likelihood's shot-noise term D_t = G/⟨I(t)⟩φ: detector units
     * per detected electron (1 for counting detectors). Unknown (NaN, the default): G is fitted with β
     * and τ, which costs some precision at short τ and low dose.
     *
     * @param gain G (finite, &gt; 0), or NaN for unknown
     * @return a copy with it
     */
    public FitOptions withShotNoiseGain(double gain) {
        if (!Double.isNaN(gain)) {
            Checks.positive("shotNoiseGain", gain);
        }
        return new FitOptions(gammaFixed, baseline, weighting, firstLag, lastLag, gammaMin, gammaMax, maxIterations,
            slowLimitFraction, decayTestLevel, maxRelativeTauError, estimator, gain);
    }

    /** @return the detector gain G in units per electron, NaN if unknown; see {@link #withShotNoiseGain} */
    public double shotNoiseGain() {
        return shotNoiseGain;
    }

    /**
     * @return whether the quasi-likelihood estimator applies to these options: asked for, γ fixed at 1,
     *     no baseline
     */
    public boolean quasiLikelihood() {
        return estimator == Estimator.QUASI_LIKELIHOOD && gammaFixed == 1 && !baseline;
    }

    /** @return the limit of τ's relative standard error; see {@link #withMaxRelativeTauError} */
    public double maxRelativeTauError() {
        return maxRelativeTauError;
    }

    /** @return the level α of the decay test (1: off); see {@link #withDecayTestLevel} */
    public double decayTestLevel() {
        return decayTestLevel;
    }

    /** @return whether γ is fitted */
    public boolean gammaFree() {
        return Double.isNaN(gammaFixed);
    }

    /** @return the fixed γ, or NaN when free */
    public double gammaFixed() {
        return gammaFixed;
    }

    /** @return whether a baseline is fitted */
    public boolean baseline() {
        return baseline;
    }

    /** @return the weighting */
    public Weighting weighting() {
        return weighting;
    }

    /** @return the first lag index, or −1 for the default (first lag with t &gt; 0) */
    public int firstLag() {
        return firstLag;
    }

    /** @return the last lag index, or −1 for the default rule */
    public int lastLag() {
        return lastLag;
    }

    /** @return lower bound of a free γ */
    public double gammaMin() {
        return gammaMin;
    }

    /** @return upper bound of a free γ */
    public double gammaMax() {
        return gammaMax;
    }

    /** @return the iteration limit */
    public int maxIterations() {
        return maxIterations;
    }

    /** @return the slow limit as a fraction of the recording's longest lag */
    public double slowLimitFraction() {
        return slowLimitFraction;
    }

    /** @return number of free parameters: β, τ, and γ and c when fitted */
    public int parameterCount() {
        return 2 + (gammaFree() ? 1 : 0) + (baseline ? 1 : 0);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FitOptions)) {
            return false;
        }
        FitOptions f = (FitOptions) o;
        return Double.compare(gammaFixed, f.gammaFixed) == 0 && baseline == f.baseline && weighting == f.weighting
            && firstLag == f.firstLag && lastLag == f.lastLag && Double.compare(gammaMin, f.gammaMin) == 0
            && Double.compare(gammaMax, f.gammaMax) == 0 && maxIterations == f.maxIterations
            && Double.compare(slowLimitFraction, f.slowLimitFraction) == 0
            && Double.compare(decayTestLevel, f.decayTestLevel) == 0
            && Double.compare(maxRelativeTauError, f.maxRelativeTauError) == 0 && estimator == f.estimator
            && Double.compare(shotNoiseGain, f.shotNoiseGain) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(gammaFixed, baseline, weighting, firstLag, lastLag, gammaMin, gammaMax, maxIterations,
            slowLimitFraction, decayTestLevel, maxRelativeTauError, estimator, shotNoiseGain);
    }

    @Override
    public String toString() {
        String g = gammaFree() ? Checks.format("gamma free in [%s, %s]", gammaMin, gammaMax)
            : Checks.format("gamma fixed at %s", gammaFixed);
        String lags = firstLag < 0 ? "default lags" : Checks.format("lags %d–%d", firstLag, lastLag);
        return Checks.format("FitOptions[%s, %s, %s weights, %s, max %d iterations, slow limit %s × recording, "
            + "decay test %s, max relative tau error %s, %s%s]", g, baseline ? "with baseline" : "no baseline", weighting.name().toLowerCase(Locale.ROOT),
            lags, maxIterations, slowLimitFraction, decayTestLevel < 1 ? "at level " + decayTestLevel : "off",
            maxRelativeTauError, estimator.name().toLowerCase(Locale.ROOT).replace('_', ' '),
            Double.isNaN(shotNoiseGain) ? "" : Checks.format(", gain %s", shotNoiseGain));
    }
}
