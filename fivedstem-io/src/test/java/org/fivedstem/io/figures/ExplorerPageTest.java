/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.QRange;
import org.fivedstem.api.TauSummary;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.engine.Analysis;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.engine.AnalysisSettings;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.io.results.Provenance;
import org.fivedstem.io.results.ResultCurves;
import org.fivedstem.io.results.ResultProfiles;
import org.fivedstem.io.results.SavedAnalysis;
import org.fivedstem.io.results.SeriesResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ExplorerPage} embeds, checked without a browser (ExploreBrowserTest in fivedstem-examples
 * drives the page in headless Chromium): the data decode to the analysis' own numbers — maps and lags
 * exactly, g(t) and V(Q) as float32 —, the page needs nothing outside itself, text cannot break out of
 * it, and a paper-size scan stays compact.
 */
class ExplorerPageTest {

    @TempDir
    Path dir;

    private static SavedAnalysis analysed(double kelvin, long seed) {
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(4, 5).frames(24).patternSize(32, 32).pixelSizeInverseNm(0.375)
            .temperatureKelvin(kelvin).seed(seed).build();
        AnalysisResult r;
        try {
            r = Analysis.of(sim.dataset()).dynamics(QRange.of(3.0, 5.0), CorrelationOptions.defaults(),
                FitOptions.defaults().withGammaFixed(1)).structure(QRange.of(2.5, 5.5)).run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return SavedAnalysis.of(r, Provenance.of("sim <" + seed + ">.h5"));
    }

    static JsonObject data(String html) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"fivedstem-data\">(.*?)</script>", Pattern.DOTALL)
            .matcher(html);
        assertTrue(m.find(), "the page embeds its data");
        return JsonParser.parseString(m.group(1)).getAsJsonObject();
    }

    private static double[] float64(String base64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(v);
        return v;
    }

    private static double[] float32(String base64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[b.remaining() / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }

    private static double[] asFloat32(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    @Test
    void theEmbeddedDataAreTheAnalysisOwnNumbers() {
        SavedAnalysis s = analysed(640, 3);
        String html = ExplorerPage.builder().add("run.h5", s).build().html();
        JsonObject a = data(html).getAsJsonArray("analyses").get(0).getAsJsonObject();
        HeterogeneityMaps m = s.maps();
        assertEquals(4, a.get("scanY").getAsInt());
        assertEquals(5, a.get("scanX").getAsInt());
        assertEquals(640, a.get("temperatureK").getAsDouble());
        JsonObject maps = a.getAsJsonObject("maps");
        assertArrayEquals(m.tauSeconds().values(), float64(maps.get("tau").getAsString()));
        assertArrayEquals(m.tauErrorSeconds().values(), float64(maps.get("tauErr").getAsString()));
        assertArrayEquals(m.beta().values(), float64(maps.get("beta").getAsString()));
        assertArrayEquals(m.gamma().values(), float64(maps.get("gamma").getAsString()));
        assertArrayEquals(m.speckleVariance().values(), float64(maps.get("v").getAsString()));
        assertArrayEquals(m.fitStatusCodes(), Base64.getDecoder().decode(maps.get("status").getAsString()));
        ResultCurves c = s.curves().orElseThrow();
        JsonObject curves = a.getAsJsonObject("curves");
        assertArrayEquals(c.lagsSeconds(), float64(curves.get("lags").getAsString()));
        assertArrayEquals(asFloat32(c.values()), float32(curves.get("g").getAsString()));
        assertArrayEquals(asFloat32(c.stdErrs()), float32(curves.get("gErr").getAsString()));
        AnalysisSettings.Dynamics d = s.settings().dynamics().orElseThrow();
        assertEquals(d.firstLag(), curves.getAsJsonArray("fitWindow").get(0).getAsInt());
        assertEquals(d.lastLag(), curves.getAsJsonArray("fitWindow").get(1).getAsInt());
        ResultProfiles p = s.profiles().orElseThrow();
        assertArrayEquals(asFloat32(p.values()), float32(a.getAsJsonObject("profiles").get("v").getAsString()));
        assertEquals(p.binCount(), a.getAsJsonObject("profiles").getAsJsonArray("qCenters").size());
        double[] meanV = new double[p.binCount()];
        for (int k = 0; k < meanV.length; k++) {
            meanV[k] = a.getAsJsonObject("profiles").getAsJsonArray("meanV").get(k).getAsDouble();
        }
        assertArrayEquals(p.meanProfile(), meanV, "the scan's V(Q), the library's own");
        assertTrue(a.get("spearmanText").getAsString().contains(s.spearman().orElseThrow().reportedPText()),
            "the page reports the p that accounts for spatial autocorrelation");
        assertEquals(FitStatus.values().length, data(html).getAsJsonArray("statusWords").size());
        assertEquals(256, data(html).getAsJsonArray("colormap").size());
    }

    @Test
    void thePageNeedsNothingOutsideItselfAndTextCannotEndItsScripts() {
        String title = "τ maps </script><script>alert(1)</script> & more";
        String html = ExplorerPage.builder().add("a </script> b.h5", analysed(633, 4)).title(title).build().html();
        assertFalse(html.contains("<script>alert(1)"), "the title is escaped");
        assertTrue(html.contains("<title>τ maps &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</title>"));
        assertEquals(1, html.split("id=\"fivedstem-data\"", -1).length - 1);
        // Two script elements (the data and the code) and nothing that ends one early.
        assertEquals(2, html.split("</script>", -1).length - 1, "labels and titles cannot close a script element");
        assertEquals("τ maps </script><script>alert(1)</script> & more", data(html).get("title").getAsString());
        // A title that reads like a placeholder stays text: the template is filled in one pass.
        String placeholder = ExplorerPage.builder().add("a.h5", analysed(633, 4)).title("@DATA@ @JS@").build().html();
        assertTrue(placeholder.contains("<title>@DATA@ @JS@</title>"));
        assertEquals(1, placeholder.split("id=\"fivedstem-data\"", -1).length - 1);
        // Self-contained: no external script, style sheet, image or font, and no address but the SVG namespace.
        assertFalse(Pattern.compile("<(script|link|img|iframe)[^>]*\\s(src|href)=", Pattern.CASE_INSENSITIVE).matcher(html).find());
        assertFalse(html.contains("@import") || html.contains("url("), "no external CSS");
        Matcher addresses = Pattern.compile("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}", Pattern.CASE_INSENSITIVE).matcher(html);
        while (addresses.find()) {
            assertEquals("http://www.w3.org", addresses.group(), "the only address on the page is the SVG namespace");
        }
    }

    @Test
    void aSeriesMatchesItsRowsToTheAnalysesByTemperature() {
        SavedAnalysis cold = analysed(633, 5);
        SavedAnalysis warm = analysed(653, 6);
        SeriesResults series = SeriesResults.of(TauSummary.MEAN, List.of(
            new SeriesResults.Row(633, 20, 0, 150, 10, 0.4, cold.spearman().orElseThrow(), "cold.h5"),
            new SeriesResults.Row(653, 20, 0, 60, 5, 0.4, warm.spearman().orElseThrow(), "warm.h5")),
            ArrheniusFit.of(120, 8, 1e-8, 1e-8, 1.2, new double[] {633, 653}, new double[] {150, 60}, new double[] {10, 5},
                TauSummary.MEAN));
        ExplorerPage page = ExplorerPage.builder().add("cold.h5", cold).add("warm.h5", warm).series(series).build();
        assertEquals("ExplorerPage[\"Temperature series of 2 analyses\", 2 analyses, Arrhenius plot of 2 temperatures]",
            page.toString());
        JsonObject d = data(page.html());
        assertEquals(1, d.getAsJsonObject("series").getAsJsonArray("rows").get(1).getAsJsonObject().get("analysis").getAsInt());
        assertTrue(d.getAsJsonObject("series").getAsJsonObject("arrhenius").get("text").getAsString().contains("E = 120.0 ± 8.0 kJ/mol"));
        // Not one row per analysis in the order added.
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> ExplorerPage.builder().add("cold.h5", cold).series(series).build());
        assertEquals("the series has 2 rows for 1 analyses; expected one row per analysis, in the order added", e.getMessage());
        e = assertThrows(IllegalStateException.class,
            () -> ExplorerPage.builder().add("warm.h5", warm).add("cold.h5", cold).series(series).build());
        assertEquals("the series' row 0 is at 633.0 K but analysis 0 (warm.h5) at 653.0 K; expected one row per analysis, "
            + "in the order added", e.getMessage());
        // Two files at one temperature: each row still opens its own analysis.
        SeriesResults twice = SeriesResults.of(TauSummary.MEAN, List.of(
            new SeriesResults.Row(633, 20, 0, 150, 10, 0.4, cold.spearman().orElseThrow(), "a.h5"),
            new SeriesResults.Row(633, 20, 0, 140, 10, 0.4, cold.spearman().orElseThrow(), "b.h5")), null);
        JsonObject same = data(ExplorerPage.builder().add("a.h5", cold).add("b.h5", cold).series(twice).build().html());
        assertEquals(1, same.getAsJsonObject("series").getAsJsonArray("rows").get(1).getAsJsonObject().get("analysis").getAsInt());
        assertEquals(653, data(ExplorerPage.builder().add("given.h5", cold, 653).build().html()).getAsJsonArray("analyses")
            .get(0).getAsJsonObject().get("temperatureK").getAsDouble(), "a given temperature replaces the file's");
        assertThrows(IllegalArgumentException.class, () -> ExplorerPage.builder().add("x.h5", cold, -4));
        assertThrows(IllegalStateException.class, () -> ExplorerPage.builder().build());
    }

    /** The paper's scan: 60 × 120 positions × 106 lags, ~1.5 M curve numbers (g and its errors). */
    @Test
    void aPaperSizeScanMakesAPageOfAFewMegabytesWrittenInOnePiece() throws IOException {
        int sy = 60;
        int sx = 120;
        int lags = 106;
        HeterogeneityMaps.Builder b = HeterogeneityMaps.builder(sy, sx, 1, 1);
        for (int y = 0; y < sy; y++) {
            for (int x = 0; x < sx; x++) {
                b.fit(y, x, new KwwFit(0.2, 0.01, 100 + y + x, 5, 1, 0, true, 0, 0, false, 1, 10, FitStatus.CONVERGED, 1, 40,
                    Double.NaN));
                b.speckleVariance(y, x, 0.4 + 1e-3 * x);
            }
        }
        HeterogeneityMaps maps = b.build();
        double[] lag = new double[lags];
        double[] g = new double[sy * sx * lags];
        for (int l = 0; l < lags; l++) {
            lag[l] = 9.2 * l;
        }
        for (int i = 0; i < g.length; i++) {
            g[i] = 1 + 0.2 * Math.exp(-2 * (i % lags) * 9.2 / 150);
        }
        AnalysisSettings settings = AnalysisSettings.builder(org.fivedstem.api.Calibration.builder().scanStepNm(1, 1)
                .pixelSizeInverseNm(0.23).centerPx(33, 33).frameIntervalSeconds(9.2).build())
            .dynamics(new AnalysisSettings.Dynamics(QRange.of(3.5, 4.5), 200, CorrelationOptions.defaults(),
                FitOptions.defaults().withGammaFixed(1), 1, 40, org.fivedstem.core.fitting.Estimator.LEAST_SQUARES))
            .structure(new AnalysisSettings.Structure(QRange.of(2, 6), 800, Double.NaN)).build();
        QRange[] bins = QRange.of(2, 6).split(8);
        SavedAnalysis s = SavedAnalysis.of(maps, ResultCurves.of(sy, sx, lag, g, g), settings, null, Provenance.of("paper.h5"))
            .withProfiles(ResultProfiles.of(sy, sx, bins, new double[sy * sx * bins.length]));
        Path html = dir.resolve("paper.html");
        ExplorerPage.builder().add("paper.h5", s).build().write(html);
        long size = Files.size(html);
        // g and its errors as float32 in base64: 2 × 763 200 × 4 × 4/3 bytes = 8.1 MB, plus the maps and profiles.
        assertTrue(size > 8_000_000 && size < 9_500_000, "page of " + size + " bytes");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(html), files.toList(), "no temporary file left beside the page");
        }
    }
}
