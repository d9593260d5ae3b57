/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.fivedstem.io.results.ResultsFile;
import org.fivedstem.io.results.SavedAnalysis;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fivedstem figures RESULTS.h5 --out DIR}: the standard figures of an analysed recording,
 * drawn from its results file (the same as {@code analyze --figures DIR}; files written before
 * results files kept V(Q) get no {@code profile.png}).
 */
@Command(name = "figures",
    header = "PNG figures (maps, tau-V scatter, g(t) curves) of a results file.",
    mixinStandardHelpOptions = true,
    description = {
        "Draws the figures of a results file as PNG: tau.png (relaxation-time map, log colour, grey where no "
            + "reliable fit), V.png (speckle-variance map), scatter.png (tau-V with Spearman rho and p) and g.png "
            + "(g(t) with error bars and the KWW fit at the fastest, median and slowest positions), and profile.png "
            + "(the scan-averaged V(Q)) when the structure annulus has several Q bins.",
        ""},
    footer = {"",
        "Maps have a viridis colour bar with units and a scale bar in nm. 'fivedstem explore' shows the same "
            + "results interactively in a browser.",
        "",
        "Exit codes: 0 success, 1 bad input or failure (one line on stderr), 2 usage error."})
public final class FiguresCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RESULTS.h5", description = "a results file written by 'fivedstem analyze'")
    private Path input;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "folder for the PNG files (created if missing)")
    private Path out;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file; figures go into a folder");
        }
        SavedAnalysis results = ResultsFile.read(input);
        List<Path> written = ResultFigures.write(out, results);
        spec.commandLine().getOut().println("Wrote " + written.size() + " figure(s) into " + out + ": "
            + String.join(", ", written.stream().map(p -> p.getFileName().toString()).toList()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
