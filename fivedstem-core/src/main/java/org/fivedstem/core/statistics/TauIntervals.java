/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import java.util.Objects;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.internal.Checks;

/**
 * Confidence intervals of the per-position relaxation times that use the errors' degrees of freedom.
 *
 * <p>A jackknife over B pixel groups estimates each τ error from B replicates: the error is itself
 * uncertain, and the interval that covers its nominal level is Student's, with ν = B − 1 degrees of
 * freedom ({@link HeterogeneityMaps#tauErrorDegreesOfFreedom()}; normal when 0). τ's errors are
 * close to log-normal (τ̂ scatters by a factor, and it is positive), so the interval is built on ln τ
 * with the delta-method error σ_τ/τ̂:
 * <pre>
 *   [τ̂ · exp(−t σ_τ/τ̂),  τ̂ · exp(+t σ_τ/τ̂)],   t = t_{ν}((1 + level)/2)
 * </pre>
 * At level 0.6827 ("1σ") with ν = 9, t = 1.059; at 0.9545 ("2σ"), 2.32. Measured coverage is in
 * docs/dynamics.md, "Parameter errors". Positions whose τ is not measured (not reliable) are NaN.
 */
public final class TauIntervals {

    private final ScalarMap lower;
    private final ScalarMap upper;
    private final double level;
    private final double multiplier;

    private TauIntervals(ScalarMap lower, ScalarMap upper, double level, double multiplier) {
        this.lower = lower;
        this.upper = upper;
        this.level = level;
        this.multiplier = multiplier;
    }

    /**
     * @param maps maps with a dynamics part
     * @param level the confidence level, in (0, 1) (0.6827 for the "1σ" interval)
     * @return the intervals of the reliable τ
     */
    public static TauIntervals of(HeterogeneityMaps maps, double level) {
        Objects.requireNonNull(maps, "maps");
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException(Checks.format("confidence level is not in (0, 1): %s", level));
        }
        double t = quantile(maps.tauErrorDegreesOfFreedom(), 0.5 * (1 + level));
        double[] tau = maps.reliableTauSeconds().values();
        double[] err = maps.tauErrorSeconds().values();
        double[] lo = new double[tau.length];
        double[] hi = new double[tau.length];
        for (int i = 0; i < tau.length; i++) {
            double rel = err[i] / tau[i];
            boolean ok = Double.isFinite(tau[i]) && rel >= 0 && Double.isFinite(rel);
            lo[i] = ok ? tau[i] * Math.exp(-t * rel) : Double.NaN;
            hi[i] = ok ? tau[i] * Math.exp(t * rel) : Double.NaN;
        }
        ScalarMap ref = maps.tauSeconds();
        String pct = Checks.format("%.4g", 100 * level);
        return new TauIntervals(
            ScalarMap.of("tau_lower_" + pct + "_s", "s", maps.scanY(), maps.scanX(), lo, ref.scanStepYNm(), ref.scanStepXNm()),
            ScalarMap.of("tau_upper_" + pct + "_s", "s", maps.scanY(), maps.scanX(), hi, ref.scanStepYNm(), ref.scanStepXNm()),
            level, t);
    }

    /**
     * @param dof degrees of freedom ν (&ge; 0; 0 for the normal distribution)
     * @param p probability in (0, 1)
     * @return the p-quantile of Student's t with ν degrees of freedom (Commons Statistics), of the standard
     *     normal when ν is 0
     */
    public static double quantile(int dof, double p) {
        return dof > 0 ? TDistribution.of(dof).inverseCumulativeProbability(p)
            : NormalDistribution.of(0, 1).inverseCumulativeProbability(p);
    }

    /** @return the lower bounds in s */
    public ScalarMap lowerSeconds() {
        return lower;
    }

    /** @return the upper bounds in s */
    public ScalarMap upperSeconds() {
        return upper;
    }

    /** @return the confidence level */
    public double level() {
        return level;
    }

    /** @return the multiplier t of σ_τ/τ̂ on ln τ */
    public double multiplier() {
        return multiplier;
    }

    @Override
    public String toString() {
        return Checks.format("TauIntervals[%.4g %% level, t = %.4g, %d positions]", 100 * level, multiplier,
            lower.validCount());
    }
}
