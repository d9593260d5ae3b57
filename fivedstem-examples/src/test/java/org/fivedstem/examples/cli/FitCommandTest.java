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
        Run r = run("fit", p.toString(), "--gamma", "1", "--baseline", "--lags", "2:60");
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
        assertTrue(r.err().startsWith("fivedstem fit: cannot read " + dir.resolve("missing.csv")), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
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
        assertEquals(2, run("fit", p.toString(), "--lags", "5").code());
        assertEquals(2, run("fit", p.toString(), "--lags", "9:3").code());
        assertEquals(2, run("fit").code());
        r = run("fit", p.toString(), "--lags", "500:600");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--lags 500:600 starts beyond the 80 rows"), r.err());
    }
}
