/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class FitCommandTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) { }

    static Run run(String... args) {
        CommandLine cl = FivedstemCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Path curve(String name, boolean header, boolean errors, double beta, double tau, double gamma, double c) throws IOException {
        StringBuilder sb = new StringBuilder("# written by FitCommandTest\n");
        if (header) {
            sb.append(errors ? "lag_s,g,g_err\n" : "lag_s,g\n");
        }
        for (int k = 0; k < 80; k++) {
            double t = 4.8 * k;
            double g = 1 + c + beta * Math.exp(-2 * Math.pow(t / tau, gamma));
            sb.append(String.format(Locale.ROOT, "%.17g,%.17g", t, g));
            if (errors) {
                sb.append(",0.01");
            }
            sb.append("   # row ").append(k).append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void fitsAnExactCurveAndPrintsParameters() throws IOException {
        Path p = curve("g.csv", true, true, 0.3, 120, 0.9, 0);
        Run r = run("fit", p.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("tau_s    = 120.00000"), r.out());
        assertTrue(r.out().contains("errors:   from the fit's covariance, which treats the lags as independent"), r.out());
        assertTrue(r.out().contains("beta     = 0.30000000"), r.out());
        assertTrue(r.out().contains("gamma    = 0.90000000 ±"), r.out());
        assertTrue(r.out().contains("status:   converged (code 0)"), r.out());
        assertTrue(r.out().contains("window:   lags 1–79"), r.out());
    }

    @Test
    void optionsFixGammaFitBaselineAndSetTheWindow() throws IOException {
        Path p = curve("g.csv", false, false, 0.3, 120, 1, 0.01);
        Run r = run("fit", p.toString(), "--gamma", "1", "--baseline", "--fit-lags", "2:60");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("gamma    = 1.0000000 (fixed)"), r.out());
        assertTrue(r.out().contains("baseline = 0.010000000"), r.out());
        assertTrue(r.out().contains("window:   lags 2–60"), r.out());
    }

    @Test
    void badInputIsOneLineNamingFileAndLine() throws IOException {
        Path p = dir.resolve("bad.csv");
        Files.writeString(p, "lag_s,g\n0,1.5\n1,1.4\n2,abc\n", StandardCharsets.UTF_8);
        Run r = run("fit", p.toString());
        assertEquals(1, r.code());
        assertEquals("fivedstem fit: " + p + " line 4: g is not a number: 'abc'\n", r.err().replace("\r", ""));
        assertEquals("", r.out());

        Files.writeString(p, "0,1.5\n1,1.4,0.1\n", StandardCharsets.UTF_8);
        r = run("fit", p.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(p + " line 2: expected 2 values like the rows before, found 3"), r.err());

        Files.writeString(p, "0,1.5\n2,1.4\n1,1.3\n", StandardCharsets.UTF_8);
        r = run("fit", p.toString());
        assertTrue(r.err().contains(p + " line 3: lag_s must increase from row to row, found 1 after 2.0"), r.err());

        Files.writeString(p, "# nothing\n\n", StandardCharsets.UTF_8);
        r = run("fit", p.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no data rows"), r.err());

        r = run("fit", dir.resolve("missing.csv").toString());
        assertEquals(1, r.code());
        assertEquals("fivedstem fit: " + dir.resolve("missing.csv") + ": file does not exist\n", r.err().replace("\r", ""),
            "worded as analyze, info, figures and series word it");

        r = run("fit", dir.toString());
        assertEquals(1, r.code());
        assertEquals("fivedstem fit: " + dir + ": is a folder, not a CSV file\n", r.err().replace("\r", ""));
    }

    @Test
    void aFailedFitExitsOneWithItsStatus() throws IOException {
        Path p = dir.resolve("flat.csv");
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 30; k++) {
            sb.append(k).append(",1\n");
        }
        Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
        Run r = run("fit", p.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().startsWith("fivedstem fit: " + p + ": the fit failed:"), r.err());
    }

    @Test
    void usageErrorsExitTwo() throws IOException {
        Path p = curve("g.csv", true, false, 0.3, 120, 1, 0);
        Run r = run("fit", p.toString(), "--gamma", "fast");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'fast' is neither 'free' nor a number in (0, 10]"), r.err());
        assertEquals(2, run("fit", p.toString(), "--fit-lags", "5").code());
        assertEquals(2, run("fit", p.toString(), "--fit-lags", "9:3").code());
        assertEquals(2, run("fit").code());
        r = run("fit", p.toString(), "--fit-lags", "500:600");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--fit-lags 500:600 starts beyond the 80 rows"), r.err());
    }

    @Test
    void theOldLagsNameStillWorksWithANote() throws IOException {
        Path p = curve("g.csv", false, false, 0.3, 120, 1, 0);
        Run r = run("fit", p.toString(), "--gamma", "1", "--lags", "2:60");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("window:   lags 2–60"), r.out());
        assertEquals("fivedstem fit: --lags is now --fit-lags (as in analyze); --lags will go\n", r.err().replace("\r", ""));
        assertTrue(!run("fit", "--help").out().contains("--lags="), "hidden from the help");
    }

    /** NumPy's savetxt and pandas' to_csv write nan, inf and -inf; pandas writes a missing value as an empty field. */
    @Test
    void readsTheNanAndInfSpellingsOfNumPyAndPandas() throws IOException {
        assertTrue(Double.isNaN(FitCommand.parseValue("nan")));
        assertTrue(Double.isNaN(FitCommand.parseValue("NaN")));
        assertTrue(Double.isNaN(FitCommand.parseValue("-nan")));   // glibc printf
        assertEquals(Double.POSITIVE_INFINITY, FitCommand.parseValue("inf"));
        assertEquals(Double.POSITIVE_INFINITY, FitCommand.parseValue("+inf"));
        assertEquals(Double.POSITIVE_INFINITY, FitCommand.parseValue("Infinity"));
        assertEquals(Double.POSITIVE_INFINITY, FitCommand.parseValue("INF"));
        assertEquals(Double.NEGATIVE_INFINITY, FitCommand.parseValue("-inf"));
        assertEquals(Double.NEGATIVE_INFINITY, FitCommand.parseValue("-Infinity"));
        assertEquals(1.5e-3, FitCommand.parseValue(" 1.5e-3 "));

        // A curve as NumPy writes it (np.savetxt(f, np.c_[lag, g, err], delimiter=',', header='lag_s,g,g_err')):
        // g and its error missing at two lags.
        StringBuilder sb = new StringBuilder("# lag_s,g,g_err\n");
        for (int k = 0; k < 60; k++) {
            double t = 4.8 * k;
            double g = 1 + 0.3 * Math.exp(-2 * t / 120);
            String gs = k == 7 ? "nan" : k == 9 ? "" : String.format(Locale.ROOT, "%.18e", g);
            String es = k == 7 ? "nan" : k == 9 ? "" : "1.000000000000000021e-02";
            sb.append(String.format(Locale.ROOT, "%.18e", t)).append(',').append(gs).append(',').append(es).append('\n');
        }
        Path p = dir.resolve("numpy.csv");
        Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
        Run r = run("fit", p.toString(), "--gamma", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("tau_s    = 120.0000"), r.out());

        // Read, then refused where a value must be finite, with what to write instead.
        Files.writeString(p, "0,1.3,0.01\n4.8,inf,0.01\n", StandardCharsets.UTF_8);
        r = run("fit", p.toString());
        assertEquals(1, r.code());
        assertEquals("fivedstem fit: " + p + " line 2: g must be finite or NaN, found inf (write nan for a missing value)\n",
            r.err().replace("\r", ""));
        Files.writeString(p, "-inf,1.3\n", StandardCharsets.UTF_8);
        r = run("fit", p.toString());
        assertTrue(r.err().contains("line 1: lag_s must be a finite number >= 0, found -inf"), r.err());
    }
}
