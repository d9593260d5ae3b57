/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.TauSummary;
import org.fivedstem.api.internal.Checks;

/**
 * The paper's temperature study (Figs. 2f, 3f, 4 and eq. 4): for each temperature, the number of
 * reliable τ, the τ summary with its spatial standard error, the mean V, Spearman's ρ between τ
 * and V with its p-values; and the Arrhenius fit of the τ summaries. Immutable.
 *
 * <pre>{@code
 * TemperatureSeries ts = TemperatureSeries.of(List.of(maps633, maps643, maps653));
 * ts.arrhenius();      // E ± σ in kJ/mol
 * System.out.println(ts);
 * }</pre>
 *
 * <p>τ is taken from {@link HeterogeneityMaps#reliableTauSeconds()} together with the right-censored
 * positions (τ slower than the recording resolves, known to exceed
 * {@link HeterogeneityMaps#tauLimitSeconds()}): a {@link CensoredSample}, so that slow positions are
 * kept as "τ &gt; limit" rather than dropped (dropping them biases the summary, and with it E, low).
 * V is {@link HeterogeneityMaps#speckleVariance()}. The τ summary is the mean by default, as in
 * the paper; {@link Options#withSummary} selects the median or geometric mean; with censored positions
 * each is the Kaplan–Meier one ({@link CensoredSample}), without them the plain one. Its standard error
 * accounts for spatial autocorrelation ({@link SpatialSummary}); those errors weight the Arrhenius fit
 * ({@link Arrhenius}, default scaling {@link Arrhenius.Scaling#IF_ABOVE_ONE}). ρ and its p-values
 * come from {@link Spearman#test} on the censoring-aware rank scores
 * ({@link CensoredSample#rankScores()}). Rows are sorted by temperature.
 */
public final class TemperatureSeries {

    /**
     * Whether the temperatures' maps sample the same positions (the same area imaged at every
     * temperature), which decides how the Arrhenius fit treats the errors of the τ summaries.
     */
    public enum Pairing {
        /**
         * Paired when every map has the same scan shape and a V map, and the V maps of each pair of
         * neighbouring temperatures are significantly rank-correlated position by position
         * (spatial p ≤ {@value TemperatureSeries#PAIRING_P_VALUE}, ρ &gt; 0): the structure does not
         * change with temperature, so maps of one area correlate and maps of different areas do not.
         */
        AUTO,
        /** The same positions at every temperature (same scan shape required). */
        PAIRED,
        /** Independent areas: the summaries' errors are independent between temperatures. */
        INDEPENDENT
    }

    /** Spatial p-value at or below which {@link Pairing#AUTO} takes two V maps to show the same area. */
    public static final double PAIRING_P_VALUE = 0.01;

    /**
     * Options of the series. Immutable.
     *
     * @param summary how each τ map is summarised (default {@link TauSummary#MEAN}, as the paper)
     * @param spearman options of the τ–V rank correlation
     * @param scaling how the Arrhenius fit uses χ²_ν (default {@link Arrhenius.Scaling#IF_ABOVE_ONE})
     * @param pairing whether the maps sample the same positions (default {@link Pairing#AUTO})
     */
    public record Options(TauSummary summary, SpearmanOptions spearman, Arrhenius.Scaling scaling, Pairing pairing) {

        /**
         * Validates.
         *
         * @param summary how each τ map is summarised (default {@link TauSummary#MEAN}, as the paper)
         * @param spearman options of the τ–V rank correlation
         * @param scaling how the Arrhenius fit uses χ²_ν (default {@link Arrhenius.Scaling#IF_ABOVE_ONE})
         * @param pairing whether the maps sample the same positions (default {@link Pairing#AUTO})
         */
        public Options {
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(spearman, "spearman");
            Objects.requireNonNull(scaling, "scaling");
            Objects.requireNonNull(pairing, "pairing");
        }

        /** @return mean τ, default Spearman options, errors scaled when χ²_ν &gt; 1, pairing detected */
        public static Options defaults() {
            return new Options(TauSummary.MEAN, SpearmanOptions.defaults(), Arrhenius.Scaling.IF_ABOVE_ONE, Pairing.AUTO);
        }

        /**
         * @param s the τ summary
         * @return a copy
         */
        public Options withSummary(TauSummary s) {
            return new Options(s, spearman, scaling, pairing);
        }

        /**
         * @param o options of the rank correlation
         * @return a copy
         */
        public Options withSpearman(SpearmanOptions o) {
            return new Options(summary, o, scaling, pairing);
        }

        /**
         * @param s the Arrhenius covariance scaling
         * @return a copy
         */
        public Options withScaling(Arrhenius.Scaling s) {
            return new Options(summary, spearman, s, pairing);
        }

        /**
         * @param p whether the maps sample the same positions
         * @return a copy
         */
        public Options withPairing(Pairing p) {
            return new Options(summary, spearman, scaling, p);
        }
    }

    /**
     * One temperature of the series.
     *
     * @param temperatureKelvin the temperature in K
     * @param n number of positions with a reliable (measured) τ
     * @param censored number of positions whose τ is right-censored (slower than the recording resolves)
     * @param tauSeconds the τ summary in s, censoring-aware ({@link CensoredSample})
     * @param tauErrorSeconds its spatially aware standard error in s ({@link SpatialSummary})
     * @param meanVariance mean of the V map, NaN if the maps hold no structure part
     * @param correlation Spearman's ρ between τ (censored positions at their expected rank) and V,
     *     NaN parts if no structure part
     */
    public record Row(double temperatureKelvin, int n, int censored, double tauSeconds, double tauErrorSeconds,
                      double meanVariance, RankCorrelation correlation) {

        /**
         * Validates.
         *
         * @param temperatureKelvin the temperature in K
         * @param n number of positions with a reliable (measured) τ
         * @param censored number of positions whose τ is right-censored (slower than the recording resolves)
         * @param tauSeconds the τ summary in s, censoring-aware ({@link CensoredSample})
         * @param tauErrorSeconds its spatially aware standard error in s ({@link SpatialSummary})
         * @param meanVariance mean of the V map, NaN if the maps hold no structure part
         * @param correlation Spearman's ρ between τ (censored positions at their expected rank) and V, NaN parts if no structure part
         */
        public Row {
            Checks.positive("temperatureKelvin", temperatureKelvin);
            if (n < 0 || censored < 0) {
                throw new IllegalArgumentException(Checks.format("counts are negative: n %d, censored %d", n, censored));
            }
            Objects.requireNonNull(correlation, "correlation");
        }
    }

    private final List<Row> rows;
    private final ArrheniusFit arrhenius;
    private final Options options;
    private final boolean paired;

    private TemperatureSeries(List<Row> rows, ArrheniusFit arrhenius, Options options, boolean paired) {
        this.rows = rows;
        this.arrhenius = arrhenius;
        this.options = options;
        this.paired = paired;
    }

    /**
     * @param maps the analysed maps, one per temperature, each knowing its temperature
     * @return the series with the default options
     */
    public static TemperatureSeries of(List<HeterogeneityMaps> maps) {
        return of(maps, temperaturesOf(maps), Options.defaults());
    }

    /**
     * @param maps analysed maps, each knowing its temperature
     * @return each map's temperature in K
     * @throws IllegalArgumentException naming the first map without a temperature
     */
    static double[] temperaturesOf(List<HeterogeneityMaps> maps) {
        Objects.requireNonNull(maps, "maps");
        double[] t = new double[maps.size()];
        for (int i = 0; i < t.length; i++) {
            HeterogeneityMaps m = Objects.requireNonNull(maps.get(i), "maps[" + i + "]");
            int idx = i;
            t[i] = m.temperatureKelvin().orElseThrow(() -> new IllegalArgumentException(Checks.format(
                "maps[%d] has no temperature; set it on the maps or pass temperaturesKelvin", idx)));
        }
        return t;
    }

    /**
     * @param maps the analysed maps, one per temperature
     * @param temperaturesKelvin the temperature of each, in K (overrides the maps' own)
     * @param options summary, resamples, correlation and fit options
     * @return the series
     */
    public static TemperatureSeries of(List<HeterogeneityMaps> maps, double[] temperaturesKelvin, Options options) {
        Objects.requireNonNull(maps, "maps");
        Objects.requireNonNull(temperaturesKelvin, "temperaturesKelvin");
        Objects.requireNonNull(options, "options");
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("maps is empty; expected one HeterogeneityMaps per temperature");
        }
        Checks.length("temperaturesKelvin", maps.size(), temperaturesKelvin.length);
        Integer[] order = ascending(temperaturesKelvin);
        List<Row> rows = new ArrayList<>();
        List<CensoredSample> samples = new ArrayList<>();
        List<HeterogeneityMaps> sorted = new ArrayList<>();
        for (int i : order) {
            HeterogeneityMaps m = Objects.requireNonNull(maps.get(i), "maps[" + i + "]");
            double t = Checks.positive("temperaturesKelvin[" + i + "]", temperaturesKelvin[i]);
            if (!m.hasDynamics()) {
                throw new IllegalArgumentException(Checks.format(
                    "maps[%d] (%.1f K) holds no dynamics (τ) part; a temperature series needs τ maps", i, t));
            }
            CensoredSample tau = CensoredSample.of(m);
            double summary = tau.summary(options.summary());
            double err = tau.standardError(options.summary());
            double meanV = Double.NaN;
            RankCorrelation rc = new RankCorrelation(Double.NaN, 0, Double.NaN, "none: no V map", Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, "none");
            if (m.hasStructure()) {
                meanV = m.speckleVariance().mean();
                rc = Spearman.test(tau.rankScores(), m.speckleVariance(), options.spearman());
            }
            rows.add(new Row(t, tau.measuredCount(), tau.censoredCount(), summary, err, meanV, rc));
            samples.add(tau);
            sorted.add(m);
        }
        boolean paired = paired(sorted, options);
        List<Integer> usable = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.tauSeconds() > 0 && Double.isFinite(r.tauSeconds())) {
                usable.add(i);
            }
        }
        ArrheniusFit fit = null;
        if (usable.size() >= 2 && usable.stream().mapToDouble(i -> rows.get(i).temperatureKelvin()).distinct().count() >= 2) {
            double[] t = usable.stream().mapToDouble(i -> rows.get(i).temperatureKelvin()).toArray();
            double[] tau = usable.stream().mapToDouble(i -> rows.get(i).tauSeconds()).toArray();
            double[] err = usable.stream().mapToDouble(i -> rows.get(i).tauErrorSeconds()).toArray();
            boolean allKnown = true;
            for (double e : err) {
                allKnown &= e > 0 && Double.isFinite(e);
            }
            if (!allKnown) {
                java.util.Arrays.fill(err, Double.NaN); // unweighted rather than a partial weighting
            }
            fit = Arrhenius.fit(t, tau, err, options.summary(), options.scaling());
            if (paired) {
                ArrheniusFit p = pairedErrors(fit, usable.stream().map(samples::get).toList(), t, tau, err, options);
                fit = p != null ? p : fit;
            }
        }
        return new TemperatureSeries(Collections.unmodifiableList(rows), fit, options, paired);
    }

    /**
     * @param temperaturesKelvin temperatures in K
     * @return the indices in ascending temperature (stable: equal temperatures keep their order)
     */
    static Integer[] ascending(double[] temperaturesKelvin) {
        Integer[] order = new Integer[temperaturesKelvin.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> temperaturesKelvin[i]));
        return order;
    }

    /** Whether the sorted maps sample the same positions, as {@link Options#pairing()} decides. */
    private static boolean paired(List<HeterogeneityMaps> maps, Options options) {
        if (options.pairing() == Pairing.INDEPENDENT || maps.size() < 2) {
            return false;
        }
        HeterogeneityMaps first = maps.get(0);
        boolean sameShape = maps.stream().allMatch(m -> m.scanY() == first.scanY() && m.scanX() == first.scanX());
        if (options.pairing() == Pairing.PAIRED) {
            if (!sameShape) {
                throw new IllegalArgumentException(Checks.format(
                    "paired positions need the same scan at every temperature; the maps are %s",
                    maps.stream().map(m -> m.scanY() + "×" + m.scanX()).toList()));
            }
            return true;
        }
        if (!sameShape || !maps.stream().allMatch(HeterogeneityMaps::hasStructure)) {
            return false;
        }
        for (int i = 0; i + 1 < maps.size(); i++) {
            RankCorrelation rc = Spearman.test(maps.get(i).speckleVariance(), maps.get(i + 1).speckleVariance(),
                options.spearman());
            if (!(rc.rho() > 0) || !(rc.spatialPValue() <= PAIRING_P_VALUE)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The Arrhenius fit's errors for temperatures that share their positions (the same area): the
     * point estimates are the weighted least-squares ones of {@link Arrhenius#fit}, linear in the
     * ln τ summaries, b = Σ_j c_j ln s_j and a = Σ_j d_j ln s_j with
     * c_j = w_j (x_j − x̄)/Σw(x − x̄)², d_j = w_j/Σw − x̄ c_j (x = 1/T, x̄ = Σwx/Σw, w the fit's weights).
     * Each summary's ln s_j moves with the positions' influence values φ_j(r)
     * ({@link CensoredSample#lnInfluence}), so b moves with the mean over positions of
     * Φ_b(r) = Σ_j c_j φ_j(r): var b is the spatially aware variance of that mean
     * ({@link SpatialSummary}), which keeps the errors shared between temperatures (a common error
     * of all summaries cancels in the contrast) — treating them as independent overstates σ_E many
     * times when one area is imaged at every temperature. Likewise var a from Φ_a = Σ_j d_j φ_j.
     * The lack of fit is judged the same way: with each residual r_j = Σ_k R_jk ln s_k (R = I − hat
     * matrix) and var r_j from Σ_k R_jk φ_k, χ²_ν = (1/n) Σ_j r_j²/var r_j (expectation 1 under
     * the Arrhenius law), and the errors are scaled by it as {@link Options#scaling()} says.
     *
     * @return the fit with paired errors, or null when an influence is undefined
     */
    private static ArrheniusFit pairedErrors(ArrheniusFit wls, List<CensoredSample> samples, double[] temps, double[] tau,
                                             double[] err, Options options) {
        int n = temps.length;
        double[][] phi = new double[n][];
        int ny = samples.get(0).scanY();
        int nx = samples.get(0).scanX();
        for (int j = 0; j < n; j++) {
            phi[j] = samples.get(j).lnInfluence(options.summary());
            for (double v : phi[j]) {
                if (Double.isNaN(v)) {
                    return null;
                }
            }
        }
        Arrhenius.Design design = Arrhenius.Design.of(temps, tau, err, !Double.isNaN(err[0]));
        double[] x = design.x();
        double[] c = design.slopeWeights();
        double[] d = design.interceptWeights();
        double varB = varianceOfMean(combine(phi, c), ny, nx);
        double varA = varianceOfMean(combine(phi, d), ny, nx);
        // Residuals r_j = y_j − a − b x_j = Σ_k (δ_jk − d_k − c_k x_j) y_k.
        double b = wls.activationEnergyKJPerMol() * 1000 / ArrheniusFit.GAS_CONSTANT_J_PER_MOL_K;
        double a = Math.log(wls.tauInfSeconds());
        double chi2 = 0;
        for (int j = 0; j < n; j++) {
            double[] rj = new double[n];
            for (int k = 0; k < n; k++) {
                rj[k] = (j == k ? 1 : 0) - d[k] - c[k] * x[j];
            }
            double r = Math.log(tau[j]) - a - b * x[j];
            double v = varianceOfMean(combine(phi, rj), ny, nx);
            chi2 += v > 0 ? r * r / v : 0;
        }
        double reduced = n > 2 ? chi2 / n : Double.NaN;
        double factor = Arrhenius.varianceFactor(options.scaling(), reduced);
        double rk = ArrheniusFit.GAS_CONSTANT_J_PER_MOL_K / 1000;
        return ArrheniusFit.of(wls.activationEnergyKJPerMol(), rk * Math.sqrt(factor * varB), wls.tauInfSeconds(),
            wls.tauInfSeconds() * Math.sqrt(factor * varA), reduced, temps, tau, err, wls.summary());
    }

    /**
     * The spatially aware variance of the mean of a combination of influence values, with the pair
     * window of the combination's own correlation length ({@link SpatialSummary}): what is shared
     * between temperatures cancels in a contrast, and what remains is usually much less correlated
     * in space than each map.
     */
    private static double varianceOfMean(double[] values, int ny, int nx) {
        return SpatialSummary.varianceOfMean(values, ny, nx, SpatialSummary.window(ScalarMap.of("phi", "", ny, nx, values, 1, 1)));
    }

    /** Σ_j coefficient_j · φ_j(r) per position. */
    private static double[] combine(double[][] phi, double[] coefficient) {
        double[] out = new double[phi[0].length];
        for (int j = 0; j < phi.length; j++) {
            for (int i = 0; i < out.length; i++) {
                out[i] += coefficient[j] * phi[j][i];
            }
        }
        return out;
    }

    /** @return one row per temperature, ascending in temperature (unmodifiable) */
    public List<Row> rows() {
        return rows;
    }

    /**
     * @return the Arrhenius fit of the τ summaries; empty with fewer than two distinct temperatures
     *     holding a valid τ summary
     */
    public Optional<ArrheniusFit> arrhenius() {
        return Optional.ofNullable(arrhenius);
    }

    /** @return the options used */
    public Options options() {
        return options;
    }

    /**
     * @return whether the maps were taken to sample the same positions ({@link Options#pairing()}), so
     *     that the Arrhenius fit used the correlated errors of the summaries
     */
    public boolean pairedPositions() {
        return paired;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TemperatureSeries && rows.equals(((TemperatureSeries) o).rows)
            && Objects.equals(arrhenius, ((TemperatureSeries) o).arrhenius) && options.equals(((TemperatureSeries) o).options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, arrhenius, options);
    }

    /** @return a table, one line per temperature, then the Arrhenius fit */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(Checks.format("TemperatureSeries[%d temperatures, %s tau]%n",
            rows.size(), options.summary()));
        sb.append(Checks.format("  %7s %6s %6s %12s %10s %8s %7s %9s %9s %7s%n",
            "T (K)", "n", "cens.", "tau (s)", "± (s)", "mean V", "rho", "p", "spatial p", "n_eff"));
        for (Row r : rows) {
            RankCorrelation c = r.correlation();
            sb.append(Checks.format("  %7.1f %6d %6d %12.5g %10.3g %8.4f %7.3f %9.3g %9.3g %7.1f%n",
                r.temperatureKelvin(), r.n(), r.censored(), r.tauSeconds(), r.tauErrorSeconds(), r.meanVariance(),
                c.rho(), c.pValue(), c.spatialPValue(), c.effectiveSampleSize()));
        }
        if (arrhenius != null) {
            sb.append(Checks.format("  Arrhenius: E = %.4g ± %.2g kJ/mol, tau_inf = %.3g s (± %.2g), χ²/ν = %.3g (%s)%n",
                arrhenius.activationEnergyKJPerMol(), arrhenius.activationEnergyErrorKJPerMol(),
                arrhenius.tauInfSeconds(), arrhenius.tauInfErrorSeconds(), arrhenius.reducedChiSquare(),
                options.scaling() == Arrhenius.Scaling.IF_ABOVE_ONE ? "errors scaled if χ²/ν > 1"
                    : options.scaling() == Arrhenius.Scaling.ALWAYS ? "errors scaled by χ²/ν" : "stated errors"));
            sb.append(paired ? "  errors: paired positions (same area), correlated between temperatures"
                : "  errors: independent between temperatures").append(System.lineSeparator());
        } else {
            sb.append("  Arrhenius: not fitted (fewer than 2 temperatures with a tau summary)").append(System.lineSeparator());
        }
        return sb.toString();
    }
}
