/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.TauSummary;
import org.fivedstem.api.internal.Checks;

/**
 * A τ map with right-censored positions: where τ is measured it is known, where τ is slower than the
 * recording resolves it is only known to exceed a limit ({@link HeterogeneityMaps#tauLimitSeconds()}).
 * Summaries, their spatial standard errors and rank correlations that keep the censored positions
 * instead of dropping them — dropping them is a cut on τ and biases every summary of a slow map low.
 *
 * <p><b>Estimator.</b> The Kaplan–Meier product-limit estimator of the distribution of τ over the map
 * (E. L. Kaplan and P. Meier, J. Am. Stat. Assoc. 53, 457 (1958)), the standard nonparametric
 * estimator for right-censored data and the one astronomy uses for data with limits (E. D. Feigelson
 * and P. I. Nelson, Astrophys. J. 293, 192 (1985)). With the survival function Ŝ(t) = P̂(τ &gt; t):
 * <ul>
 * <li>median: where Ŝ crosses ½ (the midpoint of a flat stretch at exactly ½, as R's
 *   {@code survfit}); without censoring the sample median;</li>
 * <li>mean and geometric mean: the means of τ and of ln τ under the Kaplan–Meier distribution, with
 *   Efron's convention that a largest value that is censored carries the remaining mass
 *   (B. Efron, Proc. 5th Berkeley Symp. 4, 831 (1967)) — then a lower bound, flagged by
 *   {@link #tailCensored()}; without censoring the sample mean and geometric mean.</li>
 * </ul>
 * Both means equal the plain mean of the <i>self-consistent imputation</i>: each censored τ replaced by
 * its Kaplan–Meier conditional expectation E[τ | τ &gt; limit] (Efron 1967: the Kaplan–Meier estimator is
 * the self-consistent one, "redistribution to the right"), which is how they are computed.
 *
 * <p><b>Standard errors</b> follow {@link SpatialSummary}, applied to the imputed map: the spatially
 * aware variance of its mean (mean, geometric mean of the imputed ln τ), and for the median the
 * Bahadur representation with sign(τ − m) replaced at a censored position by its conditional
 * expectation 1 − 2Ŝ(m)/Ŝ(limit) (or 1 when limit ≥ m) and the density at m a Gaussian kernel
 * estimate over the Kaplan–Meier masses. The imputation's own uncertainty is not added, so with many
 * censored positions the errors are somewhat small; documented in docs/structure-statistics.md with
 * their measured coverage.
 *
 * <p><b>Rank scores.</b> {@link #rankScores()} gives each measured τ its mid-distribution value
 * 1 − (Ŝ(τ⁻) + Ŝ(τ))/2 and each censored one its conditional expectation 1 − Ŝ(limit)/2: the
 * Peto–Prentice generalisation of ranks to censored data (R. Peto and J. Peto, J. R. Stat. Soc. A 135,
 * 185 (1972); R. L. Prentice, Biometrika 65, 167 (1978)). Spearman's ρ computed on these scores is
 * Spearman's ρ of τ when nothing is censored, and places censored positions at their expected rank.
 *
 * <p>Immutable. Positions with neither a measured τ nor a limit (not fitted, failed, unmeasured) are
 * left out.
 */
public final class CensoredSample {

    private final ScalarMap measured;
    private final ScalarMap limits;
    /** Distinct times with mass, ascending. */
    private final double[] times;
    /** Kaplan–Meier probability mass at each time (Efron's convention at a censored largest value). */
    private final double[] mass;
    private final int measuredCount;
    private final int censoredCount;
    private final boolean tailCensored;

    private CensoredSample(ScalarMap measured, ScalarMap limits) {
        this.measured = measured;
        this.limits = limits;
        double[] t = measured.values();
        double[] l = limits.values();
        int n = 0;
        int nm = 0;
        for (int i = 0; i < t.length; i++) {
            boolean hasT = Double.isFinite(t[i]);
            boolean hasL = Double.isFinite(l[i]);
            if (hasT && hasL) {
                throw new IllegalArgumentException(Checks.format(
                    "position %d holds both a measured tau (%s s) and a censoring limit (%s s)", i, t[i], l[i]));
            }
            if (hasT || hasL) {
                double v = hasT ? t[i] : l[i];
                if (!(v > 0)) {
                    throw new IllegalArgumentException(Checks.format("position %d: tau or limit is not > 0: %s", i, v));
                }
                n++;
                nm += hasT ? 1 : 0;
            }
        }
        this.measuredCount = nm;
        this.censoredCount = n - nm;
        // Sort (value, censored) with an event before a censoring at the same value (the usual KM tie rule).
        double[] v = new double[n];
        boolean[] c = new boolean[n];
        Integer[] order = new Integer[n];
        int k = 0;
        for (int i = 0; i < t.length; i++) {
            if (Double.isFinite(t[i]) || Double.isFinite(l[i])) {
                v[k] = Double.isFinite(t[i]) ? t[i] : l[i];
                c[k] = !Double.isFinite(t[i]);
                order[k] = k;
                k++;
            }
        }
        Arrays.sort(order, (a, b) -> {
            int cmp = Double.compare(v[a], v[b]);
            return cmp != 0 ? cmp : Boolean.compare(c[a], c[b]);
        });
        double[] ts = new double[n];
        double[] ms = new double[n];
        int nt = 0;
        double s = 1;
        int atRisk = n;
        int i = 0;
        boolean lastCensored = false;
        while (i < n) {
            double time = v[order[i]];
            int events = 0;
            int censoredHere = 0;
            while (i < n && v[order[i]] == time) {
                if (c[order[i]]) {
                    censoredHere++;
                } else {
                    events++;
                }
                i++;
            }
            if (events > 0) {
                double next = s * (1 - (double) events / atRisk);
                ts[nt] = time;
                ms[nt] = s - next;
                nt++;
                s = next;
            }
            atRisk -= events + censoredHere;
            lastCensored = censoredHere > 0 && i == n;
        }
        boolean tail = lastCensored && s > 0;
        if (tail) {
            // Efron: the mass left beyond the largest (censored) value is placed at it.
            double largest = v[order[n - 1]];
            if (nt > 0 && ts[nt - 1] == largest) {
                ms[nt - 1] += s;
            } else {
                ts[nt] = largest;
                ms[nt] = s;
                nt++;
            }
        }
        this.times = Arrays.copyOf(ts, nt);
        this.mass = Arrays.copyOf(ms, nt);
        this.tailCensored = tail;
    }

    /**
     * @param measuredTauSeconds τ in s where measured, NaN elsewhere (e.g.
     *     {@link HeterogeneityMaps#reliableTauSeconds()})
     * @param limitSeconds the censoring limit in s where τ is censored, NaN elsewhere; same shape
     * @return the sample
     * @throws IllegalArgumentException if the shapes differ, a position holds both, or a value is not &gt; 0
     */
    public static CensoredSample of(ScalarMap measuredTauSeconds, ScalarMap limitSeconds) {
        Objects.requireNonNull(measuredTauSeconds, "measuredTauSeconds");
        Objects.requireNonNull(limitSeconds, "limitSeconds");
        if (measuredTauSeconds.scanY() != limitSeconds.scanY() || measuredTauSeconds.scanX() != limitSeconds.scanX()) {
            throw new IllegalArgumentException(Checks.format("limit map is %d×%d, the tau map %d×%d",
                limitSeconds.scanY(), limitSeconds.scanX(), measuredTauSeconds.scanY(), measuredTauSeconds.scanX()));
        }
        return new CensoredSample(measuredTauSeconds, limitSeconds);
    }

    /**
     * @param maps analysed maps with a dynamics part
     * @return their reliable τ with the censored positions' limits
     */
    public static CensoredSample of(HeterogeneityMaps maps) {
        Objects.requireNonNull(maps, "maps");
        return of(maps.reliableTauSeconds(), maps.tauLimitSeconds());
    }

    /** @return scan rows of the maps */
    public int scanY() {
        return measured.scanY();
    }

    /** @return scan columns of the maps */
    public int scanX() {
        return measured.scanX();
    }

    /** @return number of positions with a measured τ */
    public int measuredCount() {
        return measuredCount;
    }

    /** @return number of right-censored positions */
    public int censoredCount() {
        return censoredCount;
    }

    /**
     * @return whether the largest value is censored, so that the Kaplan–Meier mean and geometric mean
     *     are lower bounds (Efron's convention); the median is unaffected unless half the mass is there
     */
    public boolean tailCensored() {
        return tailCensored;
    }

    /**
     * @param t a time in s
     * @return the Kaplan–Meier survival function Ŝ(t) = P̂(τ &gt; t)
     */
    public double survival(double t) {
        double s = 1;
        for (int j = 0; j < times.length && times[j] <= t; j++) {
            s -= mass[j];
        }
        return Math.max(0, s);
    }

    /**
     * @param summary which summary
     * @return the summary of the τ distribution (see the class notes); NaN if nothing is measured
     */
    public double summary(TauSummary summary) {
        Objects.requireNonNull(summary, "summary");
        if (censoredCount == 0) {
            return summary.of(measured);
        }
        if (measuredCount == 0) {
            return Double.NaN;
        }
        switch (summary) {
            case MEAN:
                return expectation(x -> x);
            case GEOMETRIC_MEAN:
                return Math.exp(expectation(Math::log));
            default:
                return median();
        }
    }

    /**
     * @param summary which summary
     * @return its standard error with spatial autocorrelation (see the class notes)
     */
    public double standardError(TauSummary summary) {
        Objects.requireNonNull(summary, "summary");
        if (censoredCount == 0) {
            return SpatialSummary.standardError(measured, summary);
        }
        if (measuredCount + censoredCount < 2 || measuredCount == 0) {
            return Double.NaN;
        }
        int ny = measured.scanY();
        int nx = measured.scanX();
        switch (summary) {
            case MEAN:
                return SpatialSummary.standardError(imputed(x -> x), TauSummary.MEAN);
            case GEOMETRIC_MEAN: {
                ScalarMap lnImputed = imputed(Math::log);
                double g = summary(TauSummary.GEOMETRIC_MEAN);
                double[] e = lnImputed.values();
                return g * Math.sqrt(SpatialSummary.varianceOfMean(e, ny, nx, SpatialSummary.window(lnImputed)));
            }
            default: {
                double m = median();
                double[] u = conditionalSigns(m);
                double f = densityAt(m);
                if (!(f > 0)) {
                    return Double.NaN;
                }
                return Math.sqrt(SpatialSummary.varianceOfMean(u, ny, nx, SpatialSummary.window(imputed(x -> x))))
                    / (2 * f);
            }
        }
    }

    /**
     * The influence of each position on the logarithm of a summary: values φ(r) over all positions
     * of the map, 0 where a position holds neither a measured τ nor a limit, such that
     * ln(summary) ≈ ln(summary of the population) + mean over all positions of φ (first order). For
     * the mean φ = (N/n)(τ̃ − s)/s, for the geometric mean φ = (N/n)(ln τ̃ − ln s) (τ̃ the
     * self-consistent imputation, s the summary), for the median φ = (N/n) u/(2 f̂(m) m) with u the
     * (conditional) sign of τ − m as in {@link #standardError}; N positions, n of them valid. The
     * spatially aware variance of the mean of φ ({@link SpatialSummary}) reproduces the summary's
     * relative error, and the covariance of two temperatures' φ over the same positions is the
     * covariance of their ln summaries — what a series over one area needs ({@link TemperatureSeries}).
     *
     * @param summary which summary
     * @return φ per position, row-major (a new array); all NaN if the summary is not defined
     */
    public double[] lnInfluence(TauSummary summary) {
        Objects.requireNonNull(summary, "summary");
        double[] t = measured.values();
        double[] l = limits.values();
        int total = t.length;
        double[] phi = new double[total];
        int n = measuredCount + censoredCount;
        double s = summary(summary);
        if (n == 0 || !(s > 0)) {
            Arrays.fill(phi, Double.NaN);
            return phi;
        }
        double scale = (double) total / n;
        switch (summary) {
            case MEAN: {
                double[] v = censoredCount == 0 ? t : imputed(x -> x).values();
                for (int i = 0; i < total; i++) {
                    phi[i] = Double.isNaN(v[i]) ? 0 : scale * (v[i] - s) / s;
                }
                return phi;
            }
            case GEOMETRIC_MEAN: {
                double[] v = imputed(Math::log).values();
                double ls = Math.log(s);
                for (int i = 0; i < total; i++) {
                    phi[i] = Double.isNaN(v[i]) ? 0 : scale * (v[i] - ls);
                }
                return phi;
            }
            default: {
                double f = densityAt(s);
                if (!(f > 0)) {
                    Arrays.fill(phi, Double.NaN);
                    return phi;
                }
                double[] u = conditionalSigns(s);
                for (int i = 0; i < total; i++) {
                    phi[i] = Double.isNaN(u[i]) ? 0 : scale * u[i] / (2 * f * s);
                }
                return phi;
            }
        }
    }

    /**
     * @return the Peto–Prentice rank scores (see the class notes) as a map, NaN where neither
     *     measured nor censored; the measured τ map itself when nothing is censored
     */
    public ScalarMap rankScores() {
        if (censoredCount == 0) {
            return measured;
        }
        double[] t = measured.values();
        double[] l = limits.values();
        double[] u = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            if (Double.isFinite(t[i])) {
                double after = survival(t[i]);
                double before = survivalBefore(t[i]);
                u[i] = 1 - 0.5 * (before + after);
            } else if (Double.isFinite(l[i])) {
                u[i] = 1 - 0.5 * survival(l[i]);
            } else {
                u[i] = Double.NaN;
            }
        }
        return ScalarMap.of("tau_rank_score", "", measured.scanY(), measured.scanX(), u, measured.scanStepYNm(),
            measured.scanStepXNm());
    }

    /**
     * sign(τ − m) per position, replaced at a censored position by its Kaplan–Meier conditional
     * expectation given τ &gt; limit, 1 − 2Ŝ(m)/Ŝ(limit) (1 when limit ≥ m): the median's Bahadur
     * influence up to the factor 1/(2 f(m)). NaN where a position holds neither.
     */
    private double[] conditionalSigns(double m) {
        double[] t = measured.values();
        double[] l = limits.values();
        double sm = survival(m);
        double[] u = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            if (Double.isFinite(t[i])) {
                u[i] = Math.signum(t[i] - m);
            } else if (Double.isFinite(l[i])) {
                double sl = survival(l[i]);
                u[i] = l[i] >= m || !(sl > 0) ? 1 : 1 - 2 * sm / sl;
            } else {
                u[i] = Double.NaN;
            }
        }
        return u;
    }

    /** Ŝ(t⁻) = P̂(τ ≥ t). */
    private double survivalBefore(double t) {
        double s = 1;
        for (int j = 0; j < times.length && times[j] < t; j++) {
            s -= mass[j];
        }
        return Math.max(0, s);
    }

    /** E[f(τ)] under the Kaplan–Meier distribution. */
    private double expectation(DoubleUnaryOperator f) {
        double e = 0;
        double total = 0;
        for (int j = 0; j < times.length; j++) {
            e += mass[j] * f.applyAsDouble(times[j]);
            total += mass[j];
        }
        return e / total;
    }

    /** The map with each censored value replaced by E[f(τ) | τ &gt; limit], measured ones by f(τ). */
    private ScalarMap imputed(DoubleUnaryOperator f) {
        double[] t = measured.values();
        double[] l = limits.values();
        double[] out = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            if (Double.isFinite(t[i])) {
                out[i] = f.applyAsDouble(t[i]);
            } else if (Double.isFinite(l[i])) {
                double e = 0;
                double w = 0;
                for (int j = 0; j < times.length; j++) {
                    if (times[j] > l[i]) {
                        e += mass[j] * f.applyAsDouble(times[j]);
                        w += mass[j];
                    }
                }
                // Beyond the largest mass point (possible only when the tail is not censored): the
                // limit itself, the least the value can be.
                out[i] = w > 0 ? e / w : f.applyAsDouble(l[i]);
            } else {
                out[i] = Double.NaN;
            }
        }
        return ScalarMap.of("tau_imputed", "", measured.scanY(), measured.scanX(), out, measured.scanStepYNm(),
            measured.scanStepXNm());
    }

    /** The Kaplan–Meier median: where Ŝ crosses ½, the midpoint of a stretch at exactly ½. */
    private double median() {
        double s = 1;
        for (int j = 0; j < times.length; j++) {
            s -= mass[j];
            if (Math.abs(s - 0.5) <= 1e-12) {
                return j + 1 < times.length ? 0.5 * (times[j] + times[j + 1]) : times[j];
            }
            if (s < 0.5) {
                return times[j];
            }
        }
        return Double.NaN;
    }

    /**
     * Gaussian kernel density of the Kaplan–Meier distribution at x, Silverman's bandwidth
     * 0.9 min(s, IQR/1.34) n^(−1/5) from its standard deviation and quartiles, n the positions.
     */
    private double densityAt(double x) {
        double mean = expectation(v -> v);
        double var = expectation(v -> (v - mean) * (v - mean));
        double q1 = quantile(0.25);
        double q3 = quantile(0.75);
        double iqr = q3 - q1;
        double spread = iqr > 0 ? Math.min(Math.sqrt(var), iqr / 1.34) : Math.sqrt(var);
        double h = 0.9 * spread * Math.pow(measuredCount + censoredCount, -0.2);
        if (!(h > 0)) {
            return Double.NaN;
        }
        double f = 0;
        for (int j = 0; j < times.length; j++) {
            double z = (times[j] - x) / h;
            f += mass[j] * Math.exp(-0.5 * z * z);
        }
        return f / (h * Math.sqrt(2 * Math.PI));
    }

    private double quantile(double p) {
        double cum = 0;
        for (int j = 0; j < times.length; j++) {
            cum += mass[j];
            if (cum >= p - 1e-12) {
                return times[j];
            }
        }
        return times[times.length - 1];
    }

    @Override
    public String toString() {
        return Checks.format("CensoredSample[%d measured, %d censored%s, Kaplan–Meier median %.4g s, mean %.4g s]",
            measuredCount, censoredCount, tailCensored ? " (largest censored: means are lower bounds)" : "",
            summary(TauSummary.MEDIAN), summary(TauSummary.MEAN));
    }
}
