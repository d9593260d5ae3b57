/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.QRange;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.engine.AnalysisSettings;
import org.fivedstem.io.results.Provenance;
import org.fivedstem.io.results.ResultCurves;
import org.fivedstem.io.results.ResultProfiles;
import org.fivedstem.io.results.SavedAnalysis;
import org.fivedstem.io.results.SeriesResults;

/**
 * An interactive explorer of one analysis or of a temperature series: a single self-contained HTML
 * page (no server, no network, no external file) that opens from disk in a current browser and can be
 * mailed to a colleague. What {@code fivedstem explore} writes.
 *
 * <p>The page shows the τ, β, V and fit-status maps side by side with one cursor; hovering or clicking
 * a position shows its g(t) with standard errors and the KWW fit (eq. 3), its τ ± σ, β, γ and fit status
 * in words, and its V(Q) profile beside the scan's mean. The τ–V scatter of reliable positions is
 * linked to the maps: the position under the cursor is ringed in it, and dragging a rectangle across it
 * outlines those positions on every map. Colour scales can be linear or logarithmic and clipped at
 * percentiles; the calibration and analysis options come from the results files. For a series, a bar
 * of temperatures and the Arrhenius plot (eq. 4) switch between the analyses.
 *
 * <p><b>Size.</b> The maps are embedded as float64, exact; g(t), its standard errors and V(Q) as
 * float32 (6–7 significant digits, far below their statistical errors), base64-encoded: a paper-size
 * scan (60 × 120 positions × 106 lags) makes a page of about 9 MB.
 *
 * <p>The page's code is {@code explorer.js} and {@code explorer.css} beside this class, plain JavaScript
 * with no library and no build step. Immutable; built with {@link #builder()}.
 */
public final class ExplorerPage {

    private final String title;
    private final List<Entry> analyses;
    private final SeriesResults series;

    /** One analysis on the page, the name it is shown by and its temperature in K (NaN if unknown). */
    private record Entry(String label, SavedAnalysis analysis, double temperatureKelvin) {
    }

    private ExplorerPage(String title, List<Entry> analyses, SeriesResults series) {
        this.title = title;
        this.analyses = analyses;
        this.series = series;
    }

    /** @return a builder of a page */
    public static Builder builder() {
        return new Builder();
    }

    /** @return how many analyses the page shows */
    public int analysisCount() {
        return analyses.size();
    }

    /** @return the page's title */
    public String title() {
        return title;
    }

    /**
     * Writes the page: to a temporary file beside the target, moved into place when complete.
     *
     * @param target the HTML file (replaced if it exists)
     * @throws IOException if writing fails (no file is left behind)
     */
    public void write(Path target) throws IOException {
        byte[] html = html().getBytes(StandardCharsets.UTF_8);
        FigureFiles.atomically(target, out -> out.write(html));
    }

    /** @return the whole page as HTML */
    public String html() {
        JsonObject data = new JsonObject();
        data.addProperty("title", title);
        data.add("colormap", colormap());
        JsonArray words = new JsonArray();
        FitStatus[] statuses = FitStatus.values();
        for (int code = 0; code < statuses.length; code++) {
            words.add(FitStatus.ofCode(code).description());
        }
        data.add("statusWords", words);
        data.addProperty("gasConstant", ArrheniusFit.GAS_CONSTANT_J_PER_MOL_K);
        JsonArray list = new JsonArray();
        for (Entry e : analyses) {
            list.add(analysisJson(e));
        }
        data.add("analyses", list);
        data.add("series", series == null ? JsonNull.INSTANCE : seriesJson());
        // Gson escapes <, > and & as \u003c etc. by default, so no string in the data can end the script element.
        String json = new Gson().toJson(data);
        Map<String, String> parts = Map.of("CSS", resource("explorer.css"), "JS", resource("explorer.js"),
            "GENERATOR", escapeHtml("fivedstem " + Provenance.libraryVersion()), "CREATED", Instant.now().toString(),
            "TITLE", escapeHtml(title), "DATA", json);
        // One pass over the template: text put in (a title that reads "@DATA@") is never substituted again.
        Matcher m = PLACEHOLDER.matcher(resource("explorer.html"));
        StringBuilder page = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(page, Matcher.quoteReplacement(parts.get(m.group(1))));
        }
        return m.appendTail(page).toString();
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("@(CSS|JS|GENERATOR|CREATED|TITLE|DATA)@");

    private static JsonArray colormap() {
        JsonArray lut = new JsonArray();
        for (int i = 0; i < 256; i++) {
            int rgb = Colormap.VIRIDIS.rgb(i / 255.0);
            JsonArray c = new JsonArray();
            c.add(rgb >> 16 & 0xFF);
            c.add(rgb >> 8 & 0xFF);
            c.add(rgb & 0xFF);
            lut.add(c);
        }
        return lut;
    }

    private JsonObject analysisJson(Entry e) {
        SavedAnalysis s = e.analysis();
        HeterogeneityMaps m = s.maps();
        JsonObject a = new JsonObject();
        a.addProperty("label", e.label());
        a.add("temperatureK", number(e.temperatureKelvin()));
        a.addProperty("scanY", m.scanY());
        a.addProperty("scanX", m.scanX());
        Calibration cal = s.settings().calibration();
        JsonArray step = new JsonArray();
        step.add(cal.scanStepYNm());
        step.add(cal.scanStepXNm());
        a.add("scanStepNm", step);
        JsonObject maps = new JsonObject();
        if (m.hasDynamics()) {
            maps.addProperty("tau", float64(m.tauSeconds().values()));
            maps.addProperty("tauErr", float64(m.tauErrorSeconds().values()));
            maps.addProperty("tauLimit", float64(m.tauLimitSeconds().values()));
            maps.addProperty("beta", float64(m.beta().values()));
            maps.addProperty("betaErr", float64(m.betaError().values()));
            maps.addProperty("gamma", float64(m.gamma().values()));
            maps.addProperty("gammaErr", float64(m.gammaError().values()));
            maps.addProperty("status", Base64.getEncoder().encodeToString(m.fitStatusCodes()));
        }
        if (m.hasStructure()) {
            maps.addProperty("v", float64(m.speckleVariance().values()));
        }
        a.add("maps", maps);
        if (s.curves().isPresent() && s.settings().dynamics().isPresent()) {
            ResultCurves c = s.curves().get();
            AnalysisSettings.Dynamics d = s.settings().dynamics().get();
            JsonObject curves = new JsonObject();
            curves.addProperty("lags", float64(c.lagsSeconds()));
            curves.addProperty("g", float32(c.values()));
            curves.addProperty("gErr", float32(c.stdErrs()));
            JsonArray window = new JsonArray();
            window.add(d.firstLag());
            window.add(d.lastLag());
            curves.add("fitWindow", window);
            curves.addProperty("baselineFitted", d.fit().baseline());
            a.add("curves", curves);
        }
        if (s.profiles().isPresent()) {
            ResultProfiles p = s.profiles().get();
            JsonObject profiles = new JsonObject();
            JsonArray centers = new JsonArray();
            for (QRange q : p.bins()) {
                centers.add(q.centerInverseNm());
            }
            profiles.add("qCenters", centers);
            JsonArray mean = new JsonArray();
            for (double v : p.meanProfile()) {
                mean.add(number(v));
            }
            profiles.add("meanV", mean);
            profiles.addProperty("v", float32(p.values()));
            a.add("profiles", profiles);
        }
        s.spearman().ifPresent(r -> a.addProperty("spearmanText", Checks.format(
            "Spearman's ρ = %.3f over %d reliable positions, %s; the naive p (positions as independent, too small for "
                + "neighbouring positions) is %.2g.", r.rho(), r.n(), r.reportedPText(), r.pValue())));
        a.add("metadata", metadata(e));
        return a;
    }

    private static JsonArray metadata(Entry e) {
        SavedAnalysis s = e.analysis();
        Provenance p = s.provenance();
        Calibration c = s.settings().calibration();
        HeterogeneityMaps m = s.maps();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"results", e.label()});
        rows.add(new String[] {"recording", p.inputFile() + (p.inputDataset().isEmpty() ? "" : " : " + p.inputDataset())
            + " (axes " + p.axes() + ")"});
        int[] crop = p.crop(m.scanY(), m.scanX());
        rows.add(new String[] {"scan", Checks.format("%d × %d positions (rows %d–%d, columns %d–%d of the recording), step %s × %s nm",
            m.scanY(), m.scanX(), crop[0], crop[1] - 1, crop[2], crop[3] - 1, c.scanStepYNm(), c.scanStepXNm())});
        rows.add(new String[] {"frames", c.hasTimestamps()
            ? Checks.format("%d timestamped frames, median interval %.4g s", c.timestampsSeconds().length, c.frameIntervalSeconds())
            : Checks.format("interval %.4g s", c.frameIntervalSeconds())});
        rows.add(new String[] {"patterns", Checks.format("binned %d × %d, %.4g nm⁻¹ per pixel, centre (%.2f, %.2f) px%s", p.bin(), p.bin(),
            c.pixelSizeInverseNm(), c.centerKyPx(), c.centerKxPx(), c.ellipseAxisRatio() == 1 ? ""
                : Checks.format(", ellipse ratio %.4f at %.3f rad", c.ellipseAxisRatio(), c.ellipseAngleRadians()))});
        rows.add(new String[] {"temperature", Double.isNaN(e.temperatureKelvin()) ? "unknown"
            : Checks.format("%.4g K", e.temperatureKelvin()) + (c.temperatureKelvin().orElse(Double.NaN) == e.temperatureKelvin()
                ? "" : Checks.format(" (given; the file says %s)", c.temperatureKelvin().isPresent()
                    ? Checks.format("%.4g K", c.temperatureKelvin().getAsDouble()) : "nothing"))});
        s.settings().dynamics().ifPresent(d -> {
            rows.add(new String[] {"dynamics annulus", Checks.format("%s, %d pixels", d.range(), d.pixelCount())});
            rows.add(new String[] {"correlation", d.correlation().toString()});
            rows.add(new String[] {"fit", Checks.format("%s; lags %d–%d; %s, %s weights", d.fit(), d.firstLag(), d.lastLag(),
                d.estimator(), d.effectiveWeighting())});
            rows.add(new String[] {"reliable fits", Checks.format("%d of %d positions", s.validCount(), m.scanY() * m.scanX())});
        });
        s.settings().structure().ifPresent(st -> rows.add(new String[] {"structure annulus",
            Checks.format("%s, %d pixels; V %s", st.range(), st.pixelCount(), st.shotNoiseCorrection())}));
        if (s.settings().pooling() > 1) {
            rows.add(new String[] {"pooling", Checks.format("g averaged over %d × %d positions before fitting",
                s.settings().pooling(), s.settings().pooling())});
        }
        rows.add(new String[] {"written by", "fivedstem " + p.softwareVersion() + " on " + p.created()});
        JsonArray out = new JsonArray();
        for (String[] r : rows) {
            JsonArray pair = new JsonArray();
            pair.add(r[0]);
            pair.add(r[1]);
            out.add(pair);
        }
        return out;
    }

    private JsonObject seriesJson() {
        JsonObject o = new JsonObject();
        o.addProperty("summary", series.summary().toString());
        JsonArray rows = new JsonArray();
        for (SeriesResults.Row r : series.rows()) {
            JsonObject row = new JsonObject();
            row.add("temperatureK", number(r.temperatureKelvin()));
            row.add("tauS", number(r.tauSeconds()));
            row.add("tauErrS", number(r.tauErrorSeconds()));
            row.addProperty("n", r.n());
            row.addProperty("analysis", rows.size());
            rows.add(row);
        }
        o.add("rows", rows);
        series.arrhenius().ifPresent(f -> {
            JsonObject fit = new JsonObject();
            fit.add("energyKJPerMol", number(f.activationEnergyKJPerMol()));
            fit.add("tauInfS", number(f.tauInfSeconds()));
            fit.addProperty("text", Checks.format("Arrhenius fit of the %s τ: E = %.1f ± %.1f kJ/mol, τ∞ = %.3g s%s",
                f.summary(), f.activationEnergyKJPerMol(), f.activationEnergyErrorKJPerMol(), f.tauInfSeconds(),
                Double.isNaN(f.reducedChiSquare()) ? " (two temperatures: no χ² to judge the fit by)"
                    : Checks.format(", χ²/dof = %.2f", f.reducedChiSquare())));
            o.add("arrhenius", fit);
        });
        return o;
    }

    private static JsonElement number(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    private static String float64(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static String float32(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putFloat((float) d);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static String resource(String name) {
        try (InputStream in = ExplorerPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from fivedstem-io's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public String toString() {
        return Checks.format("ExplorerPage[\"%s\", %d analys%s%s]", title, analyses.size(), analyses.size() == 1 ? "is" : "es",
            series == null ? "" : ", Arrhenius plot of " + series.rows().size() + " temperatures");
    }

    /** Assembles an {@link ExplorerPage}; each part is checked when added. */
    public static final class Builder {
        private final List<Entry> analyses = new ArrayList<>();
        private SeriesResults series;
        private String title;

        private Builder() {
        }

        /**
         * Adds an analysis; a series shows them in the order added (ascending temperature is the reader's
         * expectation).
         *
         * @param label the name it is shown by, typically its results file's name
         * @param analysis the analysis, as {@code ResultsFile.read} gives it, at the temperature it records
         * @return this builder
         */
        public Builder add(String label, SavedAnalysis analysis) {
            Objects.requireNonNull(analysis, "analysis");
            return add(label, analysis, analysis.maps().temperatureKelvin().orElse(Double.NaN));
        }

        /**
         * Adds an analysis at a temperature given from elsewhere (a file that records none, or a wrong one).
         *
         * @param label the name it is shown by
         * @param analysis the analysis
         * @param kelvin its temperature in K, positive, or NaN if unknown
         * @return this builder
         */
        public Builder add(String label, SavedAnalysis analysis, double kelvin) {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(analysis, "analysis");
            if (!Double.isNaN(kelvin) && !(kelvin > 0 && kelvin < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(Checks.format("temperature of %s is %s K; expected a positive number or NaN",
                    label, kelvin));
            }
            analyses.add(new Entry(label, analysis, kelvin));
            return this;
        }

        /**
         * @param s the temperature series of the analyses added, for the Arrhenius plot: one row per analysis,
         *     in the order they were added (as {@code TemperatureSeries} keeps the order of its maps)
         * @return this builder
         */
        public Builder series(SeriesResults s) {
            this.series = Objects.requireNonNull(s, "series");
            return this;
        }

        /**
         * @param text the page's title (default: the first analysis' label, or "Temperature series of N
         *     analyses")
         * @return this builder
         */
        public Builder title(String text) {
            this.title = Objects.requireNonNull(text, "title");
            return this;
        }

        /**
         * @return the page
         * @throws IllegalStateException if no analysis was added, or the series has not one row per analysis,
         *     in the order added and at its temperature
         */
        public ExplorerPage build() {
            if (analyses.isEmpty()) {
                throw new IllegalStateException("no analysis added; an explorer page shows at least one");
            }
            String t = title != null ? title : analyses.size() == 1 ? analyses.get(0).label()
                : Checks.format("Temperature series of %d analyses", analyses.size());
            if (series != null) {
                List<SeriesResults.Row> rows = series.rows();
                if (rows.size() != analyses.size()) {
                    throw new IllegalStateException(Checks.format("the series has %d rows for %d analyses; expected one row per "
                        + "analysis, in the order added", rows.size(), analyses.size()));
                }
                for (int i = 0; i < rows.size(); i++) {
                    if (rows.get(i).temperatureKelvin() != analyses.get(i).temperatureKelvin()) {
                        throw new IllegalStateException(Checks.format("the series' row %d is at %s K but analysis %d (%s) at %s K; "
                            + "expected one row per analysis, in the order added", i, rows.get(i).temperatureKelvin(), i,
                            analyses.get(i).label(), analyses.get(i).temperatureKelvin()));
                    }
                }
            }
            return new ExplorerPage(t, List.copyOf(analyses), series);
        }
    }
}
