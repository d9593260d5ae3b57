/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.TauSummary;
import org.fivedstem.api.internal.Checks;

/**
 * What a series file ({@code fivedstem-series/1}, {@link SeriesFile}) holds: one row per
 * temperature — the τ summary with its standard error, the mean speckle variance V and Spearman's
 * ρ between the τ and V maps — and the Arrhenius fit of the τ summaries (eq. 4). Immutable.
 *
 * <pre>{@code
 * SeriesResults s = SeriesResults.of(TauSummary.MEAN, rows, arrheniusFit);
 * SeriesFile.write(Path.of("series.h5"), s);
 * }</pre>
 *
 * <p>Equality compares doubles bit-wise (NaN equals NaN), as records do.
 */
public final class SeriesResults {

    /**
     * One temperature.
     *
     * @param temperatureKelvin the temperature in K (finite, &gt; 0)
     * @param n number of positions with a reliable (measured) τ (&ge; 0)
     * @param censored number of positions whose τ is right-censored, slower than the recording resolves (&ge; 0)
     * @param tauSeconds the τ summary in s, censoring-aware (Kaplan–Meier when censored &gt; 0; NaN if none)
     * @param tauErrorSeconds its standard error in s (NaN if unknown)
     * @param meanSpeckleVariance mean of the V map (NaN without a V map)
     * @param correlation Spearman's ρ between the τ and V maps with both p-values, n_eff and the
     *     confidence interval (NaN fields where undefined or not computed)
     * @param source where the row came from, e.g. the results file ("" if not known)
     */
    public record Row(double temperatureKelvin, int n, int censored, double tauSeconds, double tauErrorSeconds,
                      double meanSpeckleVariance, RankCorrelation correlation, String source) {

        /**
         * Validates.
         *
         * @param temperatureKelvin the temperature in K (finite, &gt; 0)
         * @param n number of positions with a reliable (measured) τ (&ge; 0)
         * @param censored number of positions whose τ is right-censored, slower than the recording resolves (&ge; 0)
         * @param tauSeconds the τ summary in s, censoring-aware (Kaplan–Meier when censored &gt; 0; NaN if none)
         * @param tauErrorSeconds its standard error in s (NaN if unknown)
         * @param meanSpeckleVariance mean of the V map (NaN without a V map)
         * @param correlation Spearman's ρ between the τ and V maps with both p-values, n_eff and the
         *     confidence interval (NaN fields where undefined or not computed)
         * @param source where the row came from, e.g. the results file ("" if not known)
         */
        public Row {
            Checks.positive("temperatureKelvin", temperatureKelvin);
            if (n < 0 || censored < 0) {
                throw new IllegalArgumentException(Checks.format("counts are negative: n %d, censored %d", n, censored));
            }
            Objects.requireNonNull(correlation, "correlation");
            Objects.requireNonNull(source, "source");
        }

        /** @return Spearman's ρ between the τ and V maps (NaN if undefined) */
        public double spearmanRho() {
            return correlation.rho();
        }

        /**
         * @return the p-value of ρ to report: the spatially aware one where it was computed, else the
         *     one for independent positions (NaN if neither)
         */
        public double spearmanP() {
            return correlation.reportedPValue();
        }
    }

    /**
     * How one temperature's scan sits on the reference (coldest) scan of an {@link EnergyMap}.
     *
     * @param temperatureKelvin the temperature in K (finite, &gt; 0)
     * @param dy reference row y shows the same place as row y + dy of this temperature's maps
     * @param dx reference column x likewise
     * @param rho Spearman's ρ of the V maps at this offset (NaN for the reference)
     * @param pValue its search-corrected p-value (NaN for the reference)
     */
    public record Offset(double temperatureKelvin, int dy, int dx, double rho, double pValue) {

        /**
         * Validates.
         *
         * @param temperatureKelvin the temperature in K (finite, &gt; 0)
         * @param dy reference row y shows the same place as row y + dy of this temperature's maps
         * @param dx reference column x likewise
         * @param rho Spearman's ρ of the V maps at this offset (NaN for the reference)
         * @param pValue its search-corrected p-value (NaN for the reference)
         */
        public Offset {
            Checks.positive("temperatureKelvin", temperatureKelvin);
        }
    }

    /**
     * The activation-energy map E(r) of a series whose scans show one area (computed by the core's
     * {@code ActivationEnergyMap}): the per-position Arrhenius fit over the rectangle every temperature
     * covers. Equality compares doubles bit-wise.
     *
     * @param energyKJPerMol E(r) in kJ/mol, NaN where fewer than 3 temperatures measured τ
     * @param energyErrorKJPerMol σ_E(r) in kJ/mol, same shape
     * @param temperaturesUsed number of temperatures with a measured τ at each position, same shape
     * @param originY the reference-scan row of the maps' first row (&ge; 0)
     * @param originX the reference-scan column of the maps' first column (&ge; 0)
     * @param pooledReducedChiSquare Σχ²/Σν over the fitted positions (NaN if none)
     * @param errorScaling how the pooled χ² scaled σ_E, e.g. {@code IF_ABOVE_ONE} (not blank)
     * @param offsets one per temperature, ascending, the reference first (copied; at least one)
     */
    public record EnergyMap(ScalarMap energyKJPerMol, ScalarMap energyErrorKJPerMol, ScalarMap temperaturesUsed,
                            int originY, int originX, double pooledReducedChiSquare, String errorScaling,
                            List<Offset> offsets) {

        /**
         * Validates.
         *
         * @param energyKJPerMol E(r) in kJ/mol, NaN where fewer than 3 temperatures measured τ
         * @param energyErrorKJPerMol σ_E(r) in kJ/mol, same shape
         * @param temperaturesUsed number of temperatures with a measured τ at each position, same shape
         * @param originY the reference-scan row of the maps' first row (&ge; 0)
         * @param originX the reference-scan column of the maps' first column (&ge; 0)
         * @param pooledReducedChiSquare Σχ²/Σν over the fitted positions (NaN if none)
         * @param errorScaling how the pooled χ² scaled σ_E, e.g. {@code IF_ABOVE_ONE} (not blank)
         * @param offsets one per temperature, ascending, the reference first (copied; at least one)
         */
        public EnergyMap {
            Objects.requireNonNull(energyKJPerMol, "energyKJPerMol");
            for (ScalarMap m : List.of(Objects.requireNonNull(energyErrorKJPerMol, "energyErrorKJPerMol"),
                Objects.requireNonNull(temperaturesUsed, "temperaturesUsed"))) {
                if (m.scanY() != energyKJPerMol.scanY() || m.scanX() != energyKJPerMol.scanX()) {
                    throw new IllegalArgumentException(Checks.format("map %s is %d×%d; the E map is %d×%d", m.name(),
                        m.scanY(), m.scanX(), energyKJPerMol.scanY(), energyKJPerMol.scanX()));
                }
            }
            if (originY < 0 || originX < 0) {
                throw new IllegalArgumentException(Checks.format("origin is negative: (%d, %d)", originY, originX));
            }
            Objects.requireNonNull(errorScaling, "errorScaling");
            if (errorScaling.isBlank()) {
                throw new IllegalArgumentException("errorScaling is blank; expected e.g. IF_ABOVE_ONE");
            }
            offsets = List.copyOf(Objects.requireNonNull(offsets, "offsets"));
            if (offsets.isEmpty()) {
                throw new IllegalArgumentException("offsets is empty; expected one per temperature");
            }
        }

        /** @return number of positions with an E */
        public int fittedPositions() {
            return energyKJPerMol.validCount();
        }
    }

    private final TauSummary summary;
    private final List<Row> rows;
    private final ArrheniusFit arrhenius;
    private final List<String> warnings;
    private final boolean pairedPositions;
    private final EnergyMap energyMap;

    private SeriesResults(TauSummary summary, List<Row> rows, ArrheniusFit arrhenius, List<String> warnings,
                          boolean pairedPositions, EnergyMap energyMap) {
        this.summary = summary;
        this.rows = rows;
        this.arrhenius = arrhenius;
        this.warnings = warnings;
        this.pairedPositions = pairedPositions;
        this.energyMap = energyMap;
    }

    /**
     * @param summary how each τ map was summarised
     * @param rows one row per temperature, ascending in temperature (copied; at least one)
     * @param arrhenius the Arrhenius fit of the rows' τ summaries, or {@code null} if not fitted
     * @return the series
     */
    public static SeriesResults of(TauSummary summary, List<Row> rows, ArrheniusFit arrhenius) {
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(rows, "rows");
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("rows is empty; a series needs at least one temperature");
        }
        List<Row> copy = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = Objects.requireNonNull(rows.get(i), "rows[" + i + "]");
            if (i > 0 && !(r.temperatureKelvin() >= copy.get(i - 1).temperatureKelvin())) {
                throw new IllegalArgumentException(Checks.format(
                    "rows are not in ascending temperature: rows[%d] is %s K after %s K", i, r.temperatureKelvin(),
                    copy.get(i - 1).temperatureKelvin()));
            }
            copy.add(r);
        }
        if (arrhenius != null && arrhenius.summary() != summary) {
            throw new IllegalArgumentException(Checks.format("the Arrhenius fit is of the %s τ but the series of the %s τ",
                arrhenius.summary(), summary));
        }
        return new SeriesResults(summary, List.copyOf(copy), arrhenius, List.of(), false, null);
    }

    /**
     * @param list what a reader should know about how the rows were combined, e.g. that the results
     *     files were analysed with different settings (copied; no entry may be blank or hold a line break)
     * @return a copy with these warnings instead of the current ones
     */
    public SeriesResults withWarnings(List<String> list) {
        Objects.requireNonNull(list, "warnings");
        for (int i = 0; i < list.size(); i++) {
            String w = Objects.requireNonNull(list.get(i), "warnings[" + i + "]");
            if (w.isBlank() || w.contains("\n")) {
                throw new IllegalArgumentException(Checks.format("warnings[%d] is blank or holds a line break: '%s'", i, w));
            }
        }
        return new SeriesResults(summary, rows, arrhenius, List.copyOf(list), pairedPositions, energyMap);
    }

    /**
     * @param paired whether the temperatures' maps sample the same positions, so that the Arrhenius
     *     fit's errors account for the summaries' errors being shared between temperatures
     * @return a copy with it
     */
    public SeriesResults withPairedPositions(boolean paired) {
        return new SeriesResults(summary, rows, arrhenius, warnings, paired, energyMap);
    }

    /**
     * @param map the activation-energy map of the series, or {@code null} for none
     * @return a copy with it
     */
    public SeriesResults withEnergyMap(EnergyMap map) {
        return new SeriesResults(summary, rows, arrhenius, warnings, pairedPositions, map);
    }

    /** @return the activation-energy map E(r), if one was computed (absent in older files) */
    public Optional<EnergyMap> energyMap() {
        return Optional.ofNullable(energyMap);
    }

    /** @return whether the Arrhenius errors treat the temperatures as the same positions (same area) */
    public boolean pairedPositions() {
        return pairedPositions;
    }

    /** @return the warnings (unmodifiable; empty when there are none) */
    public List<String> warnings() {
        return warnings;
    }

    /** @return how each τ map was summarised */
    public TauSummary summary() {
        return summary;
    }

    /** @return the rows, ascending in temperature (unmodifiable) */
    public List<Row> rows() {
        return rows;
    }

    /** @return the Arrhenius fit, if there was one */
    public Optional<ArrheniusFit> arrhenius() {
        return Optional.ofNullable(arrhenius);
    }

    /** @return the temperatures in K (a copy) */
    public double[] temperaturesKelvin() {
        return rows.stream().mapToDouble(Row::temperatureKelvin).toArray();
    }

    /** @return the τ summaries in s (a copy) */
    public double[] tauSeconds() {
        return rows.stream().mapToDouble(Row::tauSeconds).toArray();
    }

    /** @return the standard errors of the τ summaries in s (a copy) */
    public double[] tauErrorSeconds() {
        return rows.stream().mapToDouble(Row::tauErrorSeconds).toArray();
    }

    /** @return the mean V per temperature (a copy) */
    public double[] meanSpeckleVariance() {
        return rows.stream().mapToDouble(Row::meanSpeckleVariance).toArray();
    }

    /** @return Spearman's ρ per temperature (a copy) */
    public double[] spearmanRho() {
        return rows.stream().mapToDouble(Row::spearmanRho).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesResults && summary == ((SeriesResults) o).summary && rows.equals(((SeriesResults) o).rows)
            && Objects.equals(arrhenius, ((SeriesResults) o).arrhenius) && warnings.equals(((SeriesResults) o).warnings)
            && pairedPositions == ((SeriesResults) o).pairedPositions && Objects.equals(energyMap, ((SeriesResults) o).energyMap);
    }

    @Override
    public int hashCode() {
        return Objects.hash(summary, rows, arrhenius, warnings, energyMap);
    }

    /** @return a table, one line per temperature, then the Arrhenius fit */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(Checks.format("SeriesResults[%d temperatures, %s τ", rows.size(), summary));
        for (Row r : rows) {
            sb.append(Checks.format("; %.1f K: n %d (+%d censored), τ %.4g ± %.2g s, ⟨V⟩ %.4g, ρ %.3f (%s)", r.temperatureKelvin(), r.n(), r.censored(),
                r.tauSeconds(), r.tauErrorSeconds(), r.meanSpeckleVariance(), r.spearmanRho(),
                r.correlation().reportedPText()));
        }
        if (arrhenius != null) {
            sb.append(Checks.format("; E = %.4g ± %.2g kJ/mol (%s), τ∞ = %.3g s", arrhenius.activationEnergyKJPerMol(),
                arrhenius.activationEnergyErrorKJPerMol(), pairedPositions ? "paired positions" : "independent temperatures",
                arrhenius.tauInfSeconds()));
        }
        if (energyMap != null) {
            sb.append(Checks.format("; E(r) %d×%d, %d positions, median %.4g kJ/mol", energyMap.energyKJPerMol().scanY(),
                energyMap.energyKJPerMol().scanX(), energyMap.fittedPositions(), energyMap.energyKJPerMol().median()));
        }
        if (!warnings.isEmpty()) {
            sb.append(Checks.format("; %d warning%s: %s", warnings.size(), warnings.size() == 1 ? "" : "s",
                String.join("; ", warnings)));
        }
        return sb.append(']').toString();
    }
}
