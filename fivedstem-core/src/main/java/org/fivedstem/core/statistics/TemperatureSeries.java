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
     * Options of the series. Immutable.
     *
     * @param summary how each τ map is summarised (default {@link TauSummary#MEAN}, as the paper)
     * @param spearman options of the τ–V rank correlation
     * @param scaling how the Arrhenius fit uses χ²_ν (default {@link Arrhenius.Scaling#IF_ABOVE_ONE})
     */
    public record Options(TauSummary summary, SpearmanOptions spearman, Arrhenius.Scaling scaling) {

        /** Validates. */
        public Options {
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(spearman, "spearman");
            Objects.requireNonNull(scaling, "scaling");
        }

        /** @return mean τ, default Spearman options, errors scaled when χ²_ν &gt; 1 */
        public static Options defaults() {
            return new Options(TauSummary.MEAN, SpearmanOptions.defaults(), Arrhenius.Scaling.IF_ABOVE_ONE);
        }

        /**
         * @param s the τ summary
         * @return a copy
         */
        public Options withSummary(TauSummary s) {
            return new Options(s, spearman, scaling);
        }

        /**
         * @param o options of the rank correlation
         * @return a copy
         */
        public Options withSpearman(SpearmanOptions o) {
            return new Options(summary, o, scaling);
        }

        /**
         * @param s the Arrhenius covariance scaling
         * @return a copy
         */
        public Options withScaling(Arrhenius.Scaling s) {
            return new Options(summary, spearman, s);
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

        /** Validates. */
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

    private TemperatureSeries(List<Row> rows, ArrheniusFit arrhenius, Options options) {
        this.rows = rows;
        this.arrhenius = arrhenius;
        this.options = options;
    }

    /**
     * @param maps the analysed maps, one per temperature, each knowing its temperature
     * @return the series with the default options
     */
    public static TemperatureSeries of(List<HeterogeneityMaps> maps) {
        Objects.requireNonNull(maps, "maps");
        double[] t = new double[maps.size()];
        for (int i = 0; i < t.length; i++) {
            HeterogeneityMaps m = Objects.requireNonNull(maps.get(i), "maps[" + i + "]");
            int idx = i;
            t[i] = m.temperatureKelvin().orElseThrow(() -> new IllegalArgumentException(Checks.format(
                "maps[%d] has no temperature; set it on the maps or pass temperaturesKelvin", idx)));
        }
        return of(maps, t, Options.defaults());
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
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
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
        }
        rows.sort(Comparator.comparingDouble(Row::temperatureKelvin));
        List<Row> usable = new ArrayList<>();
        for (Row r : rows) {
            if (r.tauSeconds() > 0 && Double.isFinite(r.tauSeconds())) {
                usable.add(r);
            }
        }
        ArrheniusFit fit = null;
        if (usable.size() >= 2 && usable.stream().mapToDouble(Row::temperatureKelvin).distinct().count() >= 2) {
            double[] t = usable.stream().mapToDouble(Row::temperatureKelvin).toArray();
            double[] tau = usable.stream().mapToDouble(Row::tauSeconds).toArray();
            double[] err = usable.stream().mapToDouble(Row::tauErrorSeconds).toArray();
            boolean allKnown = true;
            for (double e : err) {
                allKnown &= e > 0 && Double.isFinite(e);
            }
            if (!allKnown) {
                java.util.Arrays.fill(err, Double.NaN); // unweighted rather than a partial weighting
            }
            fit = Arrhenius.fit(t, tau, err, options.summary(), options.scaling());
        }
        return new TemperatureSeries(Collections.unmodifiableList(rows), fit, options);
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
        } else {
            sb.append("  Arrhenius: not fitted (fewer than 2 temperatures with a tau summary)").append(System.lineSeparator());
        }
        return sb.toString();
    }
}
