/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.statistics.TemperatureSeries;
import org.fivedstem.io.figures.ExplorerPage;
import org.fivedstem.io.results.ResultsFile;
import org.fivedstem.io.results.SavedAnalysis;
import org.fivedstem.io.results.SeriesResults;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fivedstem explore RESULTS.h5 … [--out report.html]}: an interactive, self-contained HTML page
 * of one results file, or of several as a temperature series ({@link ExplorerPage}).
 */
@Command(name = "explore",
    header = "Interactive HTML explorer of results files (maps, g(t), V(Q), tau-V scatter, Arrhenius plot).",
    mixinStandardHelpOptions = true,
    description = {
        "Writes one self-contained HTML page (no server, no network: open it from disk in a browser, or mail it) "
            + "showing the tau, beta, V and fit-status maps with a shared cursor. Hover or click a position to see "
            + "its g(t) with error bars and the KWW fit (tau ± sigma, beta, gamma, fit status in words) and its "
            + "V(Q) profile; drag across the tau-V scatter to outline those positions on the maps; switch the colour "
            + "scale between log and linear and clip it at percentiles. The calibration and analysis options are "
            + "listed from the file.",
        "",
        "Several files make a temperature series, as 'fivedstem series' reads them: a bar of temperatures and the "
            + "Arrhenius plot (click a temperature to show its maps).",
        ""},
    footer = {"",
        "g(t) and V(Q) are embedded as 32-bit floats (plenty for plotting), the maps as 64-bit: a 60×120 scan "
            + "with 106 lags makes a page of about 9 MB.",
        "",
        "Exit codes: 0 success, 1 bad input or failure (one line on stderr, no partial output), 2 usage error."})
public final class ExploreCommand implements Callable<Integer> {

    /** Above this a page is slow to open (≈ a 200 × 200 scan with 500 lags). */
    static final long LARGE_PAGE_BYTES = 200_000_000L;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RESULTS.h5",
        description = "results files written by 'fivedstem analyze'; several make a temperature series")
    private List<Path> inputs;

    @Option(names = {"-o", "--out"}, paramLabel = "PAGE.html",
        description = "the page to write (default: the results file's name with .html; for a series, series.html beside the "
            + "first file)")
    private Path out;

    /** As in {@code series}; they apply when several files (or {@code --temperatures}) make a series. */
    @CommandLine.Mixin
    private SeriesOptions seriesOptions;

    @Option(names = "--title", paramLabel = "TEXT", description = "the page's title (default: the file's name, or 'Temperature "
        + "series of N analyses')")
    private String title;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        seriesOptions.checkCount(cl, inputs.size());
        double[] temperatures = seriesOptions.temperatures;
        Path target = out != null ? out : defaultTarget();
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException("--out " + target + " is a folder; give the HTML file to write");
        }
        for (Path in : inputs) {
            if (Files.exists(target) && Files.exists(in) && Files.isSameFile(target, in)) {
                throw new IllegalArgumentException("--out " + target + " is one of the input files; choose another file");
            }
        }
        ExplorerPage.Builder page = ExplorerPage.builder();
        if (title != null) {
            page.title(title);
        }
        PrintWriter o = cl.getOut();
        if (inputs.size() == 1 && temperatures == null) {
            SavedAnalysis r = ResultsFile.read(inputs.get(0));
            page.add(inputs.get(0).getFileName().toString(), r);
        } else {
            SeriesReport.Loaded loaded = SeriesReport.load(inputs, temperatures);
            for (String w : SeriesCommand.mixedSettings(inputs, loaded.inGivenOrder(inputs))) {
                cl.getErr().println("fivedstem explore: warning: " + w);
            }
            cl.getErr().flush();
            for (int i = 0; i < loaded.files().size(); i++) {
                // Given temperatures override the files' own, as in 'series': the page shows the ones used.
                page.add(loaded.files().get(i).getFileName().toString(), loaded.analyses().get(i), loaded.temperaturesKelvin()[i]);
            }
            TemperatureSeries ts = TemperatureSeries.of(loaded.maps(), loaded.temperaturesKelvin(), seriesOptions.options());
            SeriesResults series = SeriesReport.toResults(ts, loaded.files().stream().map(Path::toString).toList());
            page.series(series);
            o.println(SeriesReport.arrheniusLine(series));
        }
        ExplorerPage built = page.build();
        built.write(target);
        long bytes = Files.size(target);
        o.println(Checks.format("Wrote %s (%.1f MB): open it in a browser", target, bytes / 1e6));
        if (bytes > LARGE_PAGE_BYTES) {
            // Mostly the g(t) curves (positions × lags × 2 float32): browsers open pages of hundreds of MB slowly.
            cl.getErr().println(Checks.format("fivedstem explore: warning: the page is %.0f MB, mostly g(t) curves; a browser may "
                + "take long to open it. Analyse part of the scan (analyze --crop Y0:Y1,X0:X1) to explore it in detail", bytes / 1e6));
            cl.getErr().flush();
        }
        o.flush();
        return 0;
    }

    private Path defaultTarget() {
        Path first = inputs.get(0).toAbsolutePath();
        if (inputs.size() > 1) {
            return first.resolveSibling("series.html");
        }
        String name = first.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return first.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".html");
    }
}
