/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every script in {@code fivedstem-examples/jshell/} through the JShell API after
 * {@code startup.jsh}, as {@code jshell --class-path fivedstem.jar startup.jsh SCRIPT} would, and
 * fails on any compiler error, rejected snippet or exception.
 */
class JShellScriptsTest {

    static Path scriptDir() {
        return Path.of(System.getProperty("basedir", "."), "jshell");
    }

    static Stream<Path> scripts() throws IOException {
        try (Stream<Path> s = Files.list(scriptDir())) {
            List<Path> all = s.filter(p -> p.toString().endsWith(".jsh") && !p.getFileName().toString().equals("startup.jsh"))
                .sorted().collect(Collectors.toList());
            assertTrue(!all.isEmpty(), "no scripts in " + scriptDir());
            return all.stream();
        }
    }

    /**
     * Evaluates a script as the {@code jshell} tool loads a file: line by line, each snippet run as
     * soon as the lines read so far form a complete one (so a statement continued on the next line
     * with a leading {@code .} would run early and fail, as it does in {@code jshell}); fails at the
     * first problem.
     *
     * @return the number of snippets evaluated
     */
    static int run(JShell js, Path script) throws IOException {
        SourceCodeAnalysis sca = js.sourceCodeAnalysis();
        StringBuilder buffer = new StringBuilder();
        int count = 0;
        int lineNo = 0;
        for (String line : Files.readAllLines(script, StandardCharsets.UTF_8)) {
            lineNo++;
            buffer.append(line).append('\n');
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(buffer.toString());
            if (ci.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                buffer.setLength(0);
                continue;
            }
            if (!ci.completeness().isComplete()) {
                continue;
            }
            String where = script.getFileName() + ":" + lineNo;
            if (!ci.remaining().isBlank()) {
                fail(where + ": more than one snippet ends on this line: " + line.strip());
            }
            for (SnippetEvent e : js.eval(ci.source())) {
                Snippet sn = e.snippet();
                String what = where + ": `" + sn.source().strip() + "`";
                List<Diag> errors = js.diagnostics(sn).filter(Diag::isError).collect(Collectors.toList());
                if (!errors.isEmpty()) {
                    fail(what + " does not compile: " + errors.stream()
                        .map(d -> d.getMessage(java.util.Locale.ROOT)).collect(Collectors.joining("; ")));
                }
                if (e.status() == Snippet.Status.REJECTED) {
                    fail(what + " was rejected");
                }
                if (e.exception() != null) {
                    fail(what + " threw " + e.exception(), e.exception());
                }
                if (e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED || e.status() == Snippet.Status.RECOVERABLE_DEFINED) {
                    fail(what + " refers to something undefined: " + js.unresolvedDependencies((jdk.jshell.DeclarationSnippet) sn).toList());
                }
            }
            count++;
            buffer.setLength(0);
        }
        if (!buffer.toString().isBlank()) {
            fail(script.getFileName() + ": incomplete snippet at the end: " + buffer.toString().strip());
        }
        return count;
    }

    static JShell newShell(PrintStream out) {
        // In-process execution: the snippets see the test class path, as --class-path fivedstem.jar gives jshell.
        JShell js = JShell.builder().executionEngine("local").out(out).err(out).build();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                js.addToClasspath(entry);
            }
        }
        return js;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void scriptRunsWithoutErrors(Path script) throws IOException {
        // In-process execution prints through System.out: capture it for the checks below.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8); JShell js = newShell(out)) {
            System.setOut(out);
            assertTrue(run(js, scriptDir().resolve("startup.jsh")) > 5);
            assertTrue(run(js, script) > 0);
            if (script.getFileName().toString().equals("walkthrough.jsh")) {
                checkWalkthrough(js, bytes);
            }
        } finally {
            System.setOut(old);
        }
        old.print(bytes.toString(StandardCharsets.UTF_8));
    }

    /** The walk-through defines what it promises, recovers the truth it prints, and writes its figures. */
    private static void checkWalkthrough(JShell js, ByteArrayOutputStream bytes) throws IOException {
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("tau at (7, 7): fitted ") && printed.contains("measured: RankCorrelation[")
            && printed.contains("figures in "), printed);
        for (String v : new String[] {"sim", "ds", "result", "maps", "g", "fit", "free", "tau", "rho", "trueRho"}) {
            assertTrue(js.variables().anyMatch(s -> s.name().equals(v)), "variable " + v + " is defined");
        }
        double median = Double.parseDouble(js.eval("tau.median()").get(0).value());
        double trueMedian = Double.parseDouble(js.eval("sim.tauSeconds().median()").get(0).value());
        // 196 positions, each τ fitted to ~15 % (what the walk-through says); the median of the fitted map
        // moves by a few % at most: 20 % is a loose bound that still catches a wrong unit or scale.
        assertEquals(trueMedian, median, 0.2 * trueMedian, printed);
        // What the walk-through's step 3 says of the errors, measured on its own seeded map: single-position
        // τ scatter "about 15 %" (14.7 %), jackknife errors "1.3× optimistic" (rms of error/σ 1.30), "90 % of
        // positions within ±1.96 σ" (89.8 %). The bounds are what the text's rounding allows, so the test fails
        // when a change of defaults makes the text untrue.
        js.eval("double s2 = 0, z2 = 0;");
        js.eval("int covered = 0;");
        js.eval("for (int y = 0; y < 14; y++) for (int x = 0; x < 14; x++) { var f = result.fit(y, x); double t = sim.tauSeconds(y, x);"
            + " double d = f.tauSeconds() - t; s2 += (d / t) * (d / t); z2 += (d / f.tauErrorSeconds()) * (d / f.tauErrorSeconds());"
            + " if (Math.abs(d) <= 1.96 * f.tauErrorSeconds()) covered++; }");
        double scatter = Math.sqrt(Double.parseDouble(js.eval("s2").get(0).value()) / 196);
        double rmsZ = Math.sqrt(Double.parseDouble(js.eval("z2").get(0).value()) / 196);
        double coverage = Integer.parseInt(js.eval("covered").get(0).value()) / 196.0;
        assertEquals(0.15, scatter, 0.0075, "single-position τ scatter");
        assertEquals(1.3, rmsZ, 0.05, "rms of (τ̂ − τ)/σ");
        assertEquals(0.90, coverage, 0.005, "share within ±1.96 σ");
        String dir = js.eval("dir.toString()").get(0).value().replace("\"", "");
        for (String png : new String[] {"tau.png", "tau-true.png", "V.png", "g.png", "scatter.png"}) {
            assertTrue(Files.size(Path.of(dir, png)) > 1000, png);
        }
    }
}
