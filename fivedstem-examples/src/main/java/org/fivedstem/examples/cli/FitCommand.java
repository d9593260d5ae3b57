/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.fitting.KwwFitter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fivedstem fit CURVE.csv}: fits the KWW form (the paper's eq. 3) to a g(t) curve from any
 * instrument and prints the parameters with their errors.
 */
@Command(name = "fit",
    header = "KWW fit of a g(t) curve from a CSV file (any instrument).",
    mixinStandardHelpOptions = true,
    description = {
        "Fits g(t) = 1 + c + beta*exp(-2 (t/tau)^gamma) (KWW, eq. 3 of Nakazawa et al. 2024) to a curve "
            + "and prints tau, beta, gamma (and c) with standard errors, chi2/dof and the fit status.",
        "",
        "CURVE.csv: rows 'lag_s,g' or 'lag_s,g,g_err' (lag in seconds, ascending, >= 0). An optional header line "
            + "and comments after '#' are ignored. A missing g or g_err is nan (any case, as NumPy and pandas write "
            + "it) or an empty field; inf, -inf, +inf and Infinity are read too, and refused where a value must be "
            + "finite. With g_err the fit is weighted by 1/g_err^2 (if every lag in the window has one), else "
            + "unweighted. The errors printed are the fit covariance's: with correlated lags (any measured g2 curve) "
            + "they understate the real uncertainty, and the output says so.",
        ""},
    footer = {"",
        "Exit codes: 0 fit converged (possibly flagged unresolved or no significant decay), 1 bad input or failed "
            + "fit, 2 usage error."})
public final class FitCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CURVE.csv", description = "the g(t) curve")
    private Path file;

    @Option(names = "--gamma", paramLabel = "free|VALUE", defaultValue = "free",
        converter = GammaConverter.class,
        description = "stretching exponent: 'free' (fitted in [0.2, 3]) or a fixed value in (0, 10] (default: "
            + "${DEFAULT-VALUE}, unlike analyze, which fixes 1 as the paper does because a curve of ~100 frames per "
            + "position cannot pin gamma down; give --gamma 1 to fit as analyze does)")
    private double gamma;

    @Option(names = "--baseline", description = "also fit a baseline c")
    private boolean baseline;

    @Option(names = "--fit-lags", paramLabel = "FIRST:LAST", converter = LagsConverter.class,
        description = "fit window as lag indices FIRST to LAST inclusive, 0 being the first row, as in analyze "
            + "(default: from the first lag > 0 to the last row)")
    private LagWindow lags;

    /** The former name of {@code --fit-lags}: still accepted, hidden from the help, with a note on stderr. */
    @Option(names = "--lags", paramLabel = "FIRST:LAST", converter = LagsConverter.class, hidden = true)
    private void deprecatedLags(LagWindow window) {
        lags = window;
        spec.commandLine().getErr().println("fivedstem fit: --lags is now --fit-lags (as in analyze); --lags will go");
        spec.commandLine().getErr().flush();
    }

    /** A fit window of row indices. */
    record LagWindow(int first, int last) { }

    /** Parses {@code free} or a positive number. */
    static final class GammaConverter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            if ("free".equalsIgnoreCase(value.trim())) {
                return Double.NaN;
            }
            try {
                double g = Double.parseDouble(value.trim());
                if (g > 0 && g <= 10) {
                    return g;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is neither 'free' nor a number in (0, 10]");
        }
    }

    /** Parses {@code FIRST:LAST}. */
    static final class LagsConverter implements CommandLine.ITypeConverter<LagWindow> {
        @Override
        public LagWindow convert(String value) {
            String[] parts = value.split(":", -1);
            try {
                if (parts.length == 2) {
                    int a = Integer.parseInt(parts[0].trim());
                    int b = Integer.parseInt(parts[1].trim());
                    if (a >= 0 && b >= a) {
                        return new LagWindow(a, b);
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException(
                "'" + value + "' is not FIRST:LAST with 0 <= FIRST <= LAST (0-based row indices)");
        }
    }

    @Override
    public Integer call() throws IOException {
        CorrelationCurve curve = read(file);
        FitOptions o = FitOptions.defaults().withBaseline(baseline);
        if (!Double.isNaN(gamma)) {
            o = o.withGammaFixed(gamma);
        }
        if (lags != null) {
            if (lags.first() >= curve.lagCount()) {
                throw new IllegalArgumentException(Checks.format("--fit-lags %d:%d starts beyond the %d rows of %s",
                    lags.first(), lags.last(), curve.lagCount(), file));
            }
            o = o.withLags(lags.first(), lags.last());
        }
        KwwFit fit = KwwFitter.of(o).fit(curve);
        PrintWriter out = spec.commandLine().getOut();
        out.println(Checks.format("curve:    %s (%d lags, %.6g–%.6g s)", file, curve.lagCount(), curve.lagSeconds(0),
            curve.lagSeconds(curve.lagCount() - 1)));
        out.println(Checks.format("window:   lags %d–%d (%.6g–%.6g s)", fit.firstLag(), fit.lastLag(),
            curve.lagSeconds(fit.firstLag()), curve.lagSeconds(fit.lastLag())));
        out.println("status:   " + fit.status().description() + " (code " + fit.status().code() + ")");
        if (!fit.status().hasParameters()) {
            out.flush();
            spec.commandLine().getErr().println("fivedstem fit: " + file + ": the fit failed: " + fit.status().description());
            return FivedstemCommand.EXIT_FAILURE;
        }
        out.println(Checks.format("tau_s    = %.8g ± %.3g", fit.tauSeconds(), fit.tauErrorSeconds()));
        out.println(Checks.format("beta     = %.8g ± %.3g", fit.beta(), fit.betaError()));
        out.println(fit.gammaFixed() ? Checks.format("gamma    = %.8g (fixed)", fit.gamma())
            : Checks.format("gamma    = %.8g ± %.3g", fit.gamma(), fit.gammaError()));
        if (fit.baselineFitted()) {
            out.println(Checks.format("baseline = %.8g ± %.3g", fit.baseline(), fit.baselineError()));
        }
        out.println(Checks.format("chi2/dof = %.6g", fit.reducedChiSquare()));
        out.println("errors:   from the fit's covariance, which treats the lags as independent; the lags of a g2 curve");
        out.println("          share frames and are correlated, so for such curves these errors are typically 2-6x too");
        out.println("          small (docs/dynamics.md). 'fivedstem analyze' reports jackknife errors over pixel groups.");
        out.println("iterations: " + fit.iterations());
        out.flush();
        return 0;
    }

    /**
     * Reads a curve file.
     *
     * @param path the file
     * @return the curve
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException naming the file, line and what was expected
     */
    static CorrelationCurve read(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(path + ": file does not exist");
        }
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + ": is a folder, not a CSV file");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read " + path + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        List<double[]> rows = new ArrayList<>();
        int columns = -1;
        boolean seenContent = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s*,\\s*", -1);
            boolean first = !seenContent;
            seenContent = true;
            if (first && f.length >= 2 && !isNumber(f[0])) {
                continue; // header line
            }
            String where = path + " line " + (i + 1);
            if (f.length != 2 && f.length != 3) {
                throw new IllegalArgumentException(where + ": expected 2 or 3 comma-separated values (lag_s, g[, g_err]), found "
                    + f.length + ": '" + line + "'");
            }
            if (columns >= 0 && f.length != columns) {
                throw new IllegalArgumentException(Checks.format("%s: expected %d values like the rows before, found %d: '%s'",
                    where, columns, f.length, line));
            }
            columns = f.length;
            double[] r = new double[3];
            r[2] = Double.NaN;
            String[] names = {"lag_s", "g", "g_err"};
            for (int c = 0; c < f.length; c++) {
                if (f[c].isEmpty() && c > 0) {
                    r[c] = Double.NaN; // pandas writes a missing value as an empty field
                    continue;
                }
                try {
                    r[c] = parseValue(f[c]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ": " + names[c] + " is not a number: '" + f[c] + "'");
                }
            }
            if (!(r[0] >= 0) || Double.isInfinite(r[0])) {
                throw new IllegalArgumentException(where + ": lag_s must be a finite number >= 0, found " + f[0]);
            }
            if (!rows.isEmpty() && !(r[0] > rows.get(rows.size() - 1)[0])) {
                throw new IllegalArgumentException(where + ": lag_s must increase from row to row, found " + f[0]
                    + " after " + rows.get(rows.size() - 1)[0]);
            }
            if (Double.isInfinite(r[1])) {
                throw new IllegalArgumentException(where + ": g must be finite or NaN, found " + f[1]
                    + " (write nan for a missing value)");
            }
            if (f.length == 3 && !(r[2] >= 0) && !Double.isNaN(r[2]) || r[2] == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(where + ": g_err must be a finite number >= 0 or NaN, found " + f[2]
                    + " (write nan for a missing error)");
            }
            rows.add(r);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(path + ": no data rows; expected lines 'lag_s,g[,g_err]'");
        }
        int n = rows.size();
        double[] l = new double[n];
        double[] g = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            l[i] = rows.get(i)[0];
            g[i] = rows.get(i)[1];
            e[i] = rows.get(i)[2];
        }
        return CorrelationCurve.of(l, g, e, new int[n], null, null);
    }

    /**
     * Parses one field as Java does, and also the spellings of NaN and infinity that other tools
     * write: {@code nan}, {@code inf}, {@code -inf}, {@code +inf} (NumPy's {@code savetxt}, pandas'
     * {@code to_csv}, C's printf), {@code infinity} and {@code NaN}/{@code Infinity} (Java, R) in any
     * case.
     *
     * @param field the text between commas
     * @return its value
     * @throws NumberFormatException if it is not a number
     */
    static double parseValue(String field) {
        String t = field.strip();
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        boolean signed = lower.startsWith("+") || lower.startsWith("-");
        String magnitude = signed ? lower.substring(1) : lower;
        if (magnitude.equals("nan")) {
            return Double.NaN;
        }
        if (magnitude.equals("inf") || magnitude.equals("infinity")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(t);
    }

    private static boolean isNumber(String s) {
        try {
            parseValue(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
