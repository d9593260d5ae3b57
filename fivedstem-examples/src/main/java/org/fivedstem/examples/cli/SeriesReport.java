/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.TauSummary;
import org.fivedstem.core.statistics.ActivationEnergyMap;
import org.fivedstem.core.statistics.SpatialSummary;
import org.fivedstem.core.statistics.TemperatureSeries;
import org.fivedstem.io.figures.ArrheniusFigure;
import org.fivedstem.io.figures.MapFigure;
import org.fivedstem.io.figures.SeriesPanelFigure;
import org.fivedstem.io.figures.SeriesScatterFigure;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.results.ResultsFile;
import org.fivedstem.io.results.SavedAnalysis;
import org.fivedstem.io.results.SeriesResults;

/**
 * What {@code series} and {@code demo} share: a {@link TemperatureSeries} turned into the
 * {@link SeriesResults} of a series file, printed as a table, and drawn as the Arrhenius plot, the
 * temperature-series panel (the paper's Figs. 2f, 3f and ρ) and the superimposed τ–V scatter (Fig. 4f).
 */
final class SeriesReport {

    private SeriesReport() {
    }

    /**
     * Results files of a temperature series, read and put in ascending order of temperature.
     *
     * @param files the files, in that order
     * @param analyses what each holds
     * @param temperaturesKelvin the temperature of each, ascending
     */
    record Loaded(List<Path> files, List<SavedAnalysis> analyses, double[] temperaturesKelvin) {

        /** @return the maps of each file, in the same order */
        List<HeterogeneityMaps> maps() {
            return analyses.stream().map(SavedAnalysis::maps).toList();
        }

        /**
         * @param given the files as the user gave them
         * @return their analyses in that order (settings differences are named against the first file given)
         */
        List<SavedAnalysis> inGivenOrder(List<Path> given) {
            return given.stream().map(f -> analyses.get(files.indexOf(f))).toList();
        }
    }

    /**
     * Reads the results files of a series: what {@code series} and {@code explore} share.
     *
     * @param inputs the files, in any order
     * @param temperatures their temperatures in K in the same order, or {@code null} to take each file's
     *     {@code temperature_K}
     * @return them in ascending order of temperature
     * @throws RecordingException if a file cannot be read
     * @throws IllegalArgumentException naming the file, if one has no positive temperature or no τ map
     */
    static Loaded load(List<Path> inputs, double[] temperatures) throws RecordingException {
        record Input(Path file, SavedAnalysis analysis, double temperatureKelvin) {
        }
        List<Input> read = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Path file = inputs.get(i);
            SavedAnalysis r = ResultsFile.read(file);
            double t = temperatures != null ? temperatures[i] : r.settings().calibration().temperatureKelvin().orElse(Double.NaN);
            if (!(t > 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException(temperatures != null
                    ? Checks.format("--temperatures: %s K for %s is not a positive temperature", t, file)
                    : Checks.format("%s has no temperature (temperature_K is %s); analyse it with --temperature K or give --temperatures",
                        file, t));
            }
            if (!r.maps().hasDynamics()) {
                throw new IllegalArgumentException(file + " holds no tau map (analysed without dynamics); a series needs tau");
            }
            read.add(new Input(file, r, t));
        }
        read.sort(Comparator.comparingDouble(Input::temperatureKelvin));
        return new Loaded(read.stream().map(Input::file).toList(), read.stream().map(Input::analysis).toList(),
            read.stream().mapToDouble(Input::temperatureKelvin).toArray());
    }

    /**
     * @param ts the series, built from maps given in ascending temperature (so its rows keep their order)
     * @param sources where each row came from, in the same order
     * @return the rows and fit as stored in a series file, each with its rank correlation whole
     */
    static SeriesResults toResults(TemperatureSeries ts, List<String> sources) {
        List<TemperatureSeries.Row> rows = ts.rows();
        Checks.length("sources", rows.size(), sources.size());
        List<SeriesResults.Row> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            TemperatureSeries.Row r = rows.get(i);
            out.add(new SeriesResults.Row(r.temperatureKelvin(), r.n(), r.censored(), r.tauSeconds(), r.tauErrorSeconds(),
                r.meanVariance(), r.correlation(), sources.get(i)));
        }
        return SeriesResults.of(ts.options().summary(), out, ts.arrhenius().orElse(null))
            .withPairedPositions(ts.pairedPositions());
    }

    /**
     * @param e the activation-energy map
     * @return what a series file stores of it
     */
    static SeriesResults.EnergyMap toEnergyMap(ActivationEnergyMap e) {
        List<SeriesResults.Offset> offsets = e.registrations().stream()
            .map(r -> new SeriesResults.Offset(r.temperatureKelvin(), r.dy(), r.dx(), r.rho(), r.pValue())).toList();
        return new SeriesResults.EnergyMap(e.energyKJPerMol(), e.energyErrorKJPerMol(), e.temperaturesUsed(), e.originY(),
            e.originX(), e.pooledReducedChiSquare(), e.scaling().name(), offsets);
    }

    /**
     * @param e the activation-energy map
     * @return it in one line: median E(r), interquartile range, median σ_E, positions used, offsets
     */
    static String energyMapLine(SeriesResults.EnergyMap e) {
        ScalarMap m = e.energyKJPerMol();
        StringBuilder offsets = new StringBuilder();
        for (SeriesResults.Offset o : e.offsets().subList(1, e.offsets().size())) {
            offsets.append(Checks.format("%s%.0f K (%+d, %+d)", offsets.length() == 0 ? "" : ", ", o.temperatureKelvin(),
                o.dy(), o.dx()));
        }
        return Checks.format("  Activation-energy map E(r): median %.1f kJ/mol, IQR %.1f–%.1f, median σ_E %.1f kJ/mol over %d of "
                + "%d×%d positions (≥ %d measured temperatures), pooled χ²/ν %.3g; scan offsets (dy, dx) onto %.0f K: %s",
            m.median(), m.quantile(0.25), m.quantile(0.75), e.energyErrorKJPerMol().median(), e.fittedPositions(), m.scanY(),
            m.scanX(), ActivationEnergyMap.MIN_TEMPERATURES, e.pooledReducedChiSquare(), e.offsets().get(0).temperatureKelvin(),
            offsets);
    }

    /**
     * Prints one line per temperature and the Arrhenius fit. The p of ρ is the spatial one with its
     * n_eff ("n/a" where no spatial test was run: the p for independent positions is not shown, it is
     * far too small for overlapping scan positions).
     *
     * @param out where to
     * @param s the series
     */
    static void printTable(PrintWriter out, SeriesResults s) {
        String tauHead = s.summary() + " τ (s)";
        out.println(Checks.format("  %7s %6s %8s  %-22s %8s %8s %9s %6s", "T (K)", "n", "censored", tauHead, "mean V",
            "ρ(τ,V)", "spatial p", "n_eff"));
        for (int i = 0; i < s.rows().size(); i++) {
            SeriesResults.Row r = s.rows().get(i);
            RankCorrelation c = r.correlation();
            boolean spatial = !Double.isNaN(c.spatialPValue());
            out.println(Checks.format("  %7.1f %6d %8d  %-22s %8.4f %8.3f %9s %6s", r.temperatureKelvin(), r.n(), r.censored(),
                Checks.format("%.4g ± %.2g", r.tauSeconds(), r.tauErrorSeconds()), r.meanSpeckleVariance(),
                r.spearmanRho(), spatial ? Checks.format("%.2g", c.spatialPValue()) : "n/a",
                spatial ? Checks.format("%.0f", c.effectiveSampleSize()) : "n/a"));
        }
        out.println(arrheniusLine(s));
        s.energyMap().ifPresent(e -> out.println(energyMapLine(e)));
    }

    /**
     * @param s the series
     * @return the Arrhenius fit in one line, or why there is none
     */
    static String arrheniusLine(SeriesResults s) {
        if (s.arrhenius().isEmpty()) {
            return "  Arrhenius fit (eq. 4): not fitted — it needs τ at two or more distinct temperatures";
        }
        ArrheniusFit a = s.arrhenius().get();
        return Checks.format("  Arrhenius fit (eq. 4) of the %s τ: E = %.1f ± %.1f kJ/mol, τ∞ = %.3g s (± %.2g s), χ²/ν = %.3g; "
                + "errors %s",
            s.summary(), a.activationEnergyKJPerMol(), a.activationEnergyErrorKJPerMol(), a.tauInfSeconds(),
            a.tauInfErrorSeconds(), a.reducedChiSquare(), s.pairedPositions()
                ? "for the same positions at every temperature (paired: shared spatial sampling cancels in E)"
                : "independent between temperatures");
    }

    /**
     * Writes {@code arrhenius.png} (when fitted), {@code activation-energy.png} (when the series holds
     * an E map), {@code series.png} and, when the maps hold τ and V, {@code scatter-all.png}.
     *
     * {@code series.png} carries error bars: the τ summary's standard error, the spatially aware standard
     * error of each mean V ({@link SpatialSummary}) and ρ's confidence interval.
     *
     * @param dir the folder (created if missing)
     * @param s the series
     * @param maps the maps of each row, in the same order
     * @return the files written
     * @throws IOException if a figure cannot be written
     */
    static List<Path> writeFigures(Path dir, SeriesResults s, List<HeterogeneityMaps> maps) throws IOException {
        Checks.length("maps", s.rows().size(), maps.size());
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        if (s.arrhenius().isPresent()) {
            Path p = dir.resolve("arrhenius.png");
            ArrheniusFigure.of(s.arrhenius().get()).withTitle("Arrhenius plot (eq. 4), " + s.summary() + " τ").writePng(p);
            written.add(p);
        }
        if (s.energyMap().isPresent()) {
            SeriesResults.EnergyMap e = s.energyMap().get();
            Path p = dir.resolve("activation-energy.png");
            MapFigure.of(e.energyKJPerMol()).withTitle(Checks.format(
                    "activation energy E(r), median σ_E %.0f kJ/mol (grey: < %d measured temperatures)",
                    e.energyErrorKJPerMol().median(), ActivationEnergyMap.MIN_TEMPERATURES))
                .withColourBarLabel("E (kJ/mol)").writePng(p);
            written.add(p);
        }
        Path panel = dir.resolve("series.png");
        int n = s.rows().size();
        double[] vErr = new double[n];
        double[] rhoLow = new double[n];
        double[] rhoHigh = new double[n];
        double level = Double.NaN;
        for (int i = 0; i < n; i++) {
            HeterogeneityMaps m = maps.get(i);
            vErr[i] = m.hasStructure() ? SpatialSummary.standardError(m.speckleVariance(), TauSummary.MEAN) : Double.NaN;
            RankCorrelation c = s.rows().get(i).correlation();
            rhoLow[i] = c.confidenceLow();
            rhoHigh[i] = c.confidenceHigh();
            level = Double.isNaN(level) ? c.confidenceLevel() : level;
        }
        SeriesPanelFigure fig = SeriesPanelFigure.of(s.temperaturesKelvin(), s.tauSeconds(), s.tauErrorSeconds(),
            s.meanSpeckleVariance(), s.spearmanRho(), s.summary().toString()).withMeanVarianceErrors(vErr);
        if (level > 0 && level < 1) {
            fig = fig.withRhoIntervals(rhoLow, rhoHigh, level);
        }
        fig.writePng(panel);
        written.add(panel);
        SeriesScatterFigure scatter = null;
        int layers = 0;
        for (int i = 0; i < maps.size() && layers < SeriesScatterFigure.MAX_TEMPERATURES; i++) {
            HeterogeneityMaps m = maps.get(i);
            if (m.hasDynamics() && m.hasStructure()) {
                SeriesResults.Row r = s.rows().get(i);
                scatter = scatter == null
                    ? SeriesScatterFigure.of(r.temperatureKelvin(), m.reliableTauSeconds(), m.speckleVariance(), r.spearmanRho())
                    : scatter.with(r.temperatureKelvin(), m.reliableTauSeconds(), m.speckleVariance(), r.spearmanRho());
                layers++;
            }
        }
        if (scatter != null) {
            Path p = dir.resolve("scatter-all.png");
            scatter.writePng(p);
            written.add(p);
        }
        return written;
    }
}
