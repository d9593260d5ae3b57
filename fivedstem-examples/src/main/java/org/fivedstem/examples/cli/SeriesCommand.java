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
import java.util.List;
import java.util.concurrent.Callable;

import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.statistics.ActivationEnergyMap;
import org.fivedstem.core.statistics.TemperatureSeries;
import org.fivedstem.io.results.SavedAnalysis;
import org.fivedstem.io.results.SeriesFile;
import org.fivedstem.io.results.SeriesResults;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fivedstem series R1.h5 R2.h5 …}: the paper's temperature study from results files — per
 * temperature the number of reliable τ, the τ summary with its standard error, the mean V and
 * Spearman's ρ with its p-value; the Arrhenius fit (eq. 4) of the τ summaries; optionally a
 * {@code fivedstem-series/1} file and the figures.
 */
@Command(name = "series",
    header = "Per-temperature table and Arrhenius fit over several results files.",
    mixinStandardHelpOptions = true,
    description = {
        "Summarises results files of one sample at several temperatures (the paper's Figs. 2f, 3f, 4f): "
            + "a table per temperature (n reliable positions, n censored (tau slower than the recording resolves), "
            + "tau summary ± standard error, mean V, Spearman rho and p) and the Arrhenius fit "
            + "tau = tau_inf exp(E/RT) with E ± sigma in kJ/mol.",
        ""},
    footer = {"",
        "The temperature of each file is its temperature_K attribute (set with 'analyze --temperature K') "
            + "unless --temperatures gives them. p is the spatial p-value (it respects the maps' autocorrelation) "
            + "when available. The standard error of the tau summary accounts for spatial autocorrelation; those "
            + "errors weight the Arrhenius fit, scaled by sqrt(chi2/nu) when chi2/nu > 1. Censored positions are kept "
            + "(Kaplan-Meier summaries, Peto-Prentice ranks for rho). When every file images the same area (--pairing "
            + "auto: same scan and V maps that correlate position by position), the summaries' spatial sampling "
            + "error is shared between temperatures and moves tau_inf, not E: sigma_E then comes from the positions' "
            + "influence on the fitted slope (docs/structure-statistics.md).",
        "",
        "--energy-map fits the Arrhenius law position by position (weighted by each position's tau error; censored "
            + "temperatures left out; at least 3 measured temperatures per position). It is not automatic: it needs "
            + "one area, registers the scans first, and refuses (exit 1) when a V map does not register onto the "
            + "coldest one.",
        "",
        "The files must have been analysed alike: the same Q ranges, binning, gamma mode, normalisation, "
            + "standard-error method, shot-noise correction of V, pixel size and scan step (the frame interval may "
            + "differ). Otherwise series refuses, naming the two files and the setting, unless --allow-mixed.",
        "",
        "Exit codes: 0 success, 1 bad input or failure (one line on stderr, no partial output), 2 usage error."})
public final class SeriesCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RESULTS.h5", description = "results files written by 'fivedstem analyze', one per temperature")
    private List<Path> inputs;

    @CommandLine.Mixin
    private SeriesOptions seriesOptions;

    @Option(names = {"-o", "--out"}, paramLabel = "SERIES.h5", description = "also write the series as a fivedstem-series/1 file")
    private Path out;

    @Option(names = "--figures", paramLabel = "DIR", description = "also write arrhenius.png, series.png, scatter-all.png "
        + "(and activation-energy.png with --energy-map) into DIR")
    private Path figures;

    @Option(names = "--energy-map", description = "also fit E per scan position, E(r) ± sigma_E(r): the files must image one "
        + "area (scans registered onto the coldest by their V maps, offsets up to ±25 %% of the scan); refused when they do not "
        + "register. Printed as one line, stored in --out, drawn as activation-energy.png with --figures")
    private boolean energyMap;

    @Option(names = "--allow-mixed", description = "combine files analysed with different settings anyway: each difference "
        + "is printed as a warning and stored in the series file's warnings attribute")
    private boolean allowMixed;

    /**
     * Every setting in which a file differs from the first, as {@code "B and A differ in <setting>:
     * <B's value> vs <A's value>"}.
     */
    static List<String> mixedSettings(List<Path> files, List<SavedAnalysis> analyses) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < files.size(); i++) {
            for (String d : analyses.get(i).settingDifferences(analyses.get(0))) {
                out.add(files.get(i) + " and " + files.get(0) + " differ in " + d);
            }
        }
        return out;
    }

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        seriesOptions.checkCount(cl, inputs.size());
        if (out != null) {
            for (Path in : inputs) {
                if (Files.exists(out) && Files.exists(in) && Files.isSameFile(out, in)) {
                    throw new IllegalArgumentException("--out " + out + " is one of the input files; choose another file");
                }
            }
        }
        SeriesReport.Loaded loaded = SeriesReport.load(inputs, seriesOptions.temperatures);
        List<String> mixed = mixedSettings(inputs, loaded.inGivenOrder(inputs));
        if (!mixed.isEmpty() && !allowMixed) {
            throw new IllegalArgumentException(mixed.get(0) + (mixed.size() > 1
                ? Checks.format(" (and %d more difference%s)", mixed.size() - 1, mixed.size() == 2 ? "" : "s") : "")
                + "; analyse them alike, or give --allow-mixed to combine them anyway");
        }
        for (String w : mixed) {
            cl.getErr().println("fivedstem series: warning: " + w);
        }
        cl.getErr().flush();
        List<HeterogeneityMaps> maps = loaded.maps();
        double[] t = loaded.temperaturesKelvin();
        List<String> sources = loaded.files().stream().map(Path::toString).toList();
        TemperatureSeries ts = TemperatureSeries.of(maps, t, seriesOptions.options());
        SeriesResults series = SeriesReport.toResults(ts, sources).withWarnings(mixed);
        if (energyMap) {
            // Before any output: maps that do not register are refused with one line and no files.
            series = series.withEnergyMap(SeriesReport.toEnergyMap(ActivationEnergyMap.of(maps, t)));
        }
        PrintWriter o = cl.getOut();
        o.println(Checks.format("Temperature series of %d results file(s), %s τ over reliable fits:", t.length, seriesOptions.summary));
        SeriesReport.printTable(o, series);
        if (!mixed.isEmpty()) {
            o.println(Checks.format("  warning: the files were analysed with different settings (%d difference%s, listed on "
                + "stderr%s); compare their τ and V with care", mixed.size(), mixed.size() == 1 ? "" : "s",
                out == null ? "" : " and kept in the series file"));
        }
        if (out != null) {
            SeriesFile.write(out, series);
            o.println("Wrote " + out);
        }
        if (figures != null) {
            List<Path> written = SeriesReport.writeFigures(figures, series, maps);
            o.println("Wrote " + written.size() + " figure(s) into " + figures + ": "
                + String.join(", ", written.stream().map(p -> p.getFileName().toString()).toList()));
        }
        o.flush();
        return 0;
    }
}
