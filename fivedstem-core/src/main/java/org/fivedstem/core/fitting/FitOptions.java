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
 * τ resolvable between one frame interval and {@value #DEFAULT_SLOW_LIMIT_FRACTION} × the recording's longest lag.
 */
public final class FitOptions {

    /** Default lower bound of γ. */
    public static final double DEFAULT_GAMMA_MIN = 0.2;
    /** Default upper bound of γ. */
    public static final double DEFAULT_GAMMA_MAX = 3.0;

    /**
     * Default slow end of the resolvable range, as a multiple of the recording length: 2. At
     * τ = 2 × the recording, g − 1 has decayed to e⁻¹ of β by the last lag (γ = 1) — the decay is
     * seen down to 1/e, the usual criterion for a time constant being measured rather than
     * extrapolated. (The paper reports τ up to about 5× its 975 s recordings; such values are kept
     * but flagged.)
     */
    public static final double DEFAULT_SLOW_LIMIT_FRACTION = 2.0;

    private static final FitOptions DEFAULTS = new FitOptions(Double.NaN, false, Weighting.AUTO, -1, -1,
        DEFAULT_GAMMA_MIN, DEFAULT_GAMMA_MAX, 200, DEFAULT_SLOW_LIMIT_FRACTION);

    private final double gammaFixed;
    private final boolean baseline;
    private final Weighting weighting;
    private final int firstLag;
    private final int lastLag;
    private final double gammaMin;
    private final double gammaMax;
    private final int maxIterations;
    private final double slowLimitFraction;

    private FitOptions(double gammaFixed, boolean baseline, Weighting weighting, int firstLag, int lastLag,
                       double gammaMin, double gammaMax, int maxIterations, double slowLimitFraction) {
        this.gammaFixed = gammaFixed;
        this.baseline = baseline;
        this.weighting = weighting;
        this.firstLag = firstLag;
        this.lastLag = lastLag;
        this.gammaMin = gammaMin;
        this.gammaMax = gammaMax;
        this.maxIterations = maxIterations;
        this.slowLimitFraction = slowLimitFraction;
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
            slowLimitFraction);
    }

    /** @return a copy with γ fitted within the γ bounds */
    public FitOptions withGammaFree() {
        return new FitOptions(Double.NaN, baseline, weighting, firstLag, lastLag, gammaMin, gammaMax, maxIterations,
            slowLimitFraction);
    }

    /**
     * @param on whether to fit a baseline c: g − 1 = β exp(−2 (t/τ)^γ) + c
     * @return a copy with it
     */
    public FitOptions withBaseline(boolean on) {
        return new FitOptions(gammaFixed, on, weighting, firstLag, lastLag, gammaMin, gammaMax, maxIterations,
            slowLimitFraction);
    }

    /**
     * @param w the weighting
     * @return a copy with it
     */
    public FitOptions withWeighting(Weighting w) {
        return new FitOptions(gammaFixed, baseline, Objects.requireNonNull(w, "weighting"), firstLag, lastLag,
            gammaMin, gammaMax, maxIterations, slowLimitFraction);
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
            slowLimitFraction);
    }

    /** @return a copy with the default window (see the class notes) */
    public FitOptions withDefaultLags() {
        return new FitOptions(gammaFixed, baseline, weighting, -1, -1, gammaMin, gammaMax, maxIterations,
            slowLimitFraction);
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
            slowLimitFraction);
    }

    /**
     * @param iterations the Levenberg–Marquardt iteration limit (&ge; 1)
     * @return a copy with it
     */
    public FitOptions withMaxIterations(int iterations) {
        Checks.positive("maxIterations", iterations);
        return new FitOptions(gammaFixed, baseline, weighting, firstLag, lastLag, gammaMin, gammaMax, iterations,
            slowLimitFraction);
    }

    /**
     * The slow end of the resolvable range: a converged fit whose τ exceeds this fraction of the
     * curve's longest lag (the recording length) is flagged
     * {@link org.fivedstem.api.FitStatus#UNRESOLVED_SLOW}. At τ = 1× the recording,
     * g − 1 has decayed to e^(−2) ≈ 14 % of β over the recording (for γ = 1), at 2× (the default,
     * {@link #DEFAULT_SLOW_LIMIT_FRACTION}) to e^(−1).
     *
     * @param fraction the fraction (finite, &gt; 0)
     * @return a copy with it
     */
    public FitOptions withSlowLimitFraction(double fraction) {
        Checks.positive("slowLimitFraction", fraction);
        return new FitOptions(gammaFixed, baseline, weighting, firstLag, lastLag, gammaMin, gammaMax, maxIterations,
            fraction);
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
            && Double.compare(slowLimitFraction, f.slowLimitFraction) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(gammaFixed, baseline, weighting, firstLag, lastLag, gammaMin, gammaMax, maxIterations,
            slowLimitFraction);
    }

    @Override
    public String toString() {
        String g = gammaFree() ? Checks.format("gamma free in [%s, %s]", gammaMin, gammaMax)
            : Checks.format("gamma fixed at %s", gammaFixed);
        String lags = firstLag < 0 ? "default lags" : Checks.format("lags %d–%d", firstLag, lastLag);
        return Checks.format("FitOptions[%s, %s, %s weights, %s, max %d iterations, slow limit %s × recording]", g,
            baseline ? "with baseline" : "no baseline", weighting.name().toLowerCase(Locale.ROOT), lags, maxIterations,
            slowLimitFraction);
    }
}
