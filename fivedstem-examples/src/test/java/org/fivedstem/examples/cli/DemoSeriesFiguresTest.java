/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import io.jhdf.HdfFile;
import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.TauSummary;
import org.fivedstem.core.correlation.StdErrMethod;
import org.fivedstem.core.engine.AnalysisSettings;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.examples.cli.FivedstemCommandTest.Run;
import org.fivedstem.io.figures.MapFigure;
import org.fivedstem.io.results.ResultsFile;
import org.fivedstem.io.results.SavedAnalysis;
import org.fivedstem.io.results.SeriesFile;
import org.fivedstem.io.results.SeriesResults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --quick} (run once for the class), then {@code series} and {@code figures} on the
 * results files it wrote, and their bad-input paths.
 */
class DemoSeriesFiguresTest {

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static Path demo;
    static Run demoRun;

    @BeforeAll
    static void runDemoOnce() {
        demo = shared.resolve("demo");
        demoRun = Run.of("demo", "--quick", "--out", demo.toString());
    }

    static List<Path> resultFiles() {
        List<Path> files = new ArrayList<>();
        for (double t : DemoCommand.TEMPERATURES_K) {
            files.add(demo.resolve(String.format(java.util.Locale.ROOT, "results-%.0fK.h5", t)));
        }
        return files;
    }

    static BufferedImage png(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), "missing " + file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertTrue(img != null, "not a PNG: " + file);
        return img;
    }

    static void assertOneLine(Run r) {
        assertEquals(FivedstemCommand.EXIT_FAILURE, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void demoQuickRecoversTheTruth() throws IOException {
        assertEquals(0, demoRun.exitCode(), demoRun.err());
        assertTrue(demoRun.err().isEmpty(), demoRun.err());
        assertTrue(demoRun.out().contains("activation energy: true 97.0 kJ/mol, recovered "), demoRun.out());
        SeriesResults s = SeriesFile.read(demo.resolve("series.h5"));
        assertArrayEquals(DemoCommand.TEMPERATURES_K, s.temperaturesKelvin());
        assertEquals(TauSummary.MEAN, s.summary());
        for (SeriesResults.Row row : s.rows()) {
            SpeckleSimulation sim = DemoCommand.simulation(DemoCommand.Size.QUICK, row.temperatureKelvin(), 1);
            double truth = sim.tauSeconds().mean();
            // The recovered mean is of the same map as the truth, so it differs only by fit noise, far less
            // than the spatial standard error; 4 SE is the bound (false failure < 1e-4 for a normal error).
            assertTrue(Math.abs(row.tauSeconds() - truth) < 4 * row.tauErrorSeconds(),
                row + " against true mean τ " + truth);
            // With τ at most about the recording length, nearly every position is resolved.
            assertTrue(row.n() >= 0.9 * sim.shape().positionCount(), row.toString());
        }
        ArrheniusFit fit = s.arrhenius().orElseThrow();
        // E within 4σ of the truth (false-failure probability 6e-5 under the fit's normal approximation).
        assertTrue(Math.abs(fit.activationEnergyKJPerMol() - DemoCommand.ACTIVATION_ENERGY_KJ_PER_MOL)
            < 4 * fit.activationEnergyErrorKJPerMol(), fit.toString());
        assertTrue(fit.activationEnergyErrorKJPerMol() > 0 && fit.activationEnergyErrorKJPerMol() < 30, fit.toString());
        for (Path f : resultFiles()) {
            SavedAnalysis r = ResultsFile.read(f);
            assertEquals(64, r.maps().scanY() * r.maps().scanX());
            assertTrue(r.provenance().inputFile().startsWith("simulated"), r.provenance().inputFile());
            assertEquals(StdErrMethod.PIXEL_GROUP_JACKKNIFE, r.settings().dynamics().orElseThrow().correlation().stdErrMethod());
            assertEquals(Set.of(), r.unrecordedSettings());
        }
        for (SeriesResults.Row row : s.rows()) {
            assertTrue(demoRun.out().contains(String.format(java.util.Locale.ROOT, "%.4g ± %.2g s", row.tauSeconds(),
                row.tauErrorSeconds())), "the printed table holds the series file's numbers: " + row);
        }
    }

    /** A quick demo does not silently replace a default one: its own default folder, and a refusal in a shared one. */
    @Test
    void aDemoOfTheOtherSizeIsNotOverwrittenSilently() throws IOException {
        assertEquals(0, demoRun.exitCode(), demoRun.err());
        assertEquals("fivedstem-demo", DemoCommand.DEFAULT_FOLDER);
        assertEquals("fivedstem-demo-quick", DemoCommand.QUICK_FOLDER);
        Path first = resultFiles().get(0);
        long before = Files.getLastModifiedTime(first).toMillis();

        Run full = Run.of("demo", "--out", demo.toString(), "--silent");   // the default size into the quick run's folder
        assertOneLine(full);
        assertEquals("fivedstem demo: " + demo + " holds a --quick demo, which this default run would replace; give another "
            + "--out, or --force to replace it\n", full.err().replace("\r", ""));
        assertEquals("", full.out());
        assertEquals(before, Files.getLastModifiedTime(first).toMillis(), "untouched");

        Path other = dir.resolve("not-a-demo");
        Files.createDirectories(other);
        Files.writeString(other.resolve("results-633K.h5"), "my notes");
        Run notDemo = Run.of("demo", "--quick", "--out", other.toString());
        assertOneLine(notDemo);
        assertTrue(notDemo.err().contains("holds results-633K.h5, which is not a demo results file"), notDemo.err());
        assertEquals("my notes", Files.readString(other.resolve("results-633K.h5")));
    }

    @Test
    void demoFiguresArePngsOfTheStatedSizeAndContent() throws IOException {
        BufferedImage arrhenius = png(demo.resolve("arrhenius.png"));
        assertEquals(800, arrhenius.getWidth());
        assertEquals(600, arrhenius.getHeight());
        BufferedImage panel = png(demo.resolve("series.png"));
        assertEquals(3 * 480, panel.getWidth());
        assertEquals(420, panel.getHeight());
        BufferedImage all = png(demo.resolve("scatter-all.png"));
        assertEquals(800, all.getWidth());
        assertEquals(600, all.getHeight());
        for (String name : new String[] {"tau.png", "tau-true.png", "V.png", "scatter.png", "g.png", "profile.png"}) {
            png(demo.resolve("figures-633K").resolve(name));
        }
        // The recovered and the true τ map share the colour range: same size, different pixels.
        SavedAnalysis r = ResultsFile.read(demo.resolve("results-633K.h5"));
        BufferedImage expected = MapFigure.of(r.maps().reliableTauSeconds()).render();
        BufferedImage tau = png(demo.resolve("figures-633K/tau.png"));
        BufferedImage truth = png(demo.resolve("figures-633K/tau-true.png"));
        assertEquals(expected.getWidth(), tau.getWidth());
        assertEquals(expected.getHeight(), tau.getHeight());
        assertEquals(tau.getWidth(), truth.getWidth());
        MapFigure f = MapFigure.of(r.maps().reliableTauSeconds());
        int differing = 0;
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int[] p = f.screenPixelOf(y, x);
                if (tau.getRGB(p[0], p[1]) != truth.getRGB(p[0], p[1])) {
                    differing++;
                }
            }
        }
        assertTrue(differing > 0, "the true map is drawn from the truth, not the fit");
    }

    @Test
    void seriesFromTheResultsFilesEqualsTheDemosSeries() throws IOException {
        List<String> args = new ArrayList<>(List.of("series"));
        resultFiles().forEach(p -> args.add(p.toString()));
        Path out = dir.resolve("s.h5");
        Path figs = dir.resolve("figs");
        args.addAll(List.of("--out", out.toString(), "--figures", figs.toString()));
        Run r = Run.of(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Arrhenius fit (eq. 4) of the mean τ: E = "), r.out());
        SeriesResults back = SeriesFile.read(out);
        // Results files round-trip exactly, so the series from the files is the demo's in-memory series.
        assertEquals(SeriesFile.read(demo.resolve("series.h5")), back);
        try (Stream<Path> s = Files.list(figs)) {
            assertEquals(List.of("arrhenius.png", "scatter-all.png", "series.png"),
                s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // The datasets and attributes the issue names, read with jhdf.
        try (HdfFile h = new HdfFile(out)) {
            assertArrayEquals(back.temperaturesKelvin(), (double[]) h.getDatasetByPath("/temperature_K").getData());
            assertArrayEquals(back.tauSeconds(), (double[]) h.getDatasetByPath("/tau_summary_s").getData());
            assertArrayEquals(back.meanSpeckleVariance(), (double[]) h.getDatasetByPath("/V_mean").getData());
            assertArrayEquals(back.spearmanRho(), (double[]) h.getDatasetByPath("/spearman_rho").getData());
            ArrheniusFit fit = back.arrhenius().orElseThrow();
            assertEquals(fit.activationEnergyKJPerMol(), (double) h.getAttribute("activation_energy_kJ_per_mol").getData());
            assertEquals(fit.activationEnergyErrorKJPerMol(), (double) h.getAttribute("activation_energy_err_kJ_per_mol").getData());
            assertEquals(fit.tauInfSeconds(), (double) h.getAttribute("tau_inf_s").getData());
            assertEquals("mean", h.getAttribute("summary").getData());
        }
    }

    @Test
    void seriesSummaryAndTemperatureOverride() throws IOException {
        List<Path> files = resultFiles();
        Path out = dir.resolve("median.h5");
        Run r = Run.of("series", files.get(4).toString(), files.get(0).toString(), "--summary", "median",
            "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("median τ (s)"), r.out());
        SeriesResults s = SeriesFile.read(out);
        assertArrayEquals(new double[] {633, 673}, s.temperaturesKelvin());
        SavedAnalysis cold = ResultsFile.read(files.get(0));
        assertEquals(cold.maps().reliableTauSeconds().median(), s.rows().get(0).tauSeconds());
        // Overriding the temperatures re-labels the files: the coldest file now stands at the hotter temperature.
        Run swapped = Run.of("series", files.get(0).toString(), files.get(4).toString(), "--temperatures", "700,600",
            "--out", dir.resolve("swapped.h5").toString());
        assertEquals(0, swapped.exitCode(), swapped.err());
        SeriesResults sw = SeriesFile.read(dir.resolve("swapped.h5"));
        assertArrayEquals(new double[] {600, 700}, sw.temperaturesKelvin());
        assertTrue(sw.arrhenius().orElseThrow().activationEnergyKJPerMol() < 0, "slower at the higher temperature: E < 0");
        // One file: the table, no fit, NaN attributes.
        Run one = Run.of("series", files.get(2).toString(), "--out", dir.resolve("one.h5").toString());
        assertEquals(0, one.exitCode(), one.err());
        assertTrue(one.out().contains("not fitted"), one.out());
        SeriesResults single = SeriesFile.read(dir.resolve("one.h5"));
        assertTrue(single.arrhenius().isEmpty());
    }

    @Test
    void figuresCommandDrawsTheMapsOfTheAnalysis() throws IOException {
        Path out = dir.resolve("fig");
        Run r = Run.of("figures", resultFiles().get(0).toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Wrote 5 figure(s)"), r.out());
        // V(Q) is in the results file now: profile.png too is the demo's, pixel for pixel.
        for (String name : new String[] {"tau.png", "V.png", "profile.png"}) {
            BufferedImage fromFile = png(out.resolve(name));
            BufferedImage fromDemo = png(demo.resolve("figures-633K").resolve(name));
            assertEquals(fromDemo.getWidth(), fromFile.getWidth());
            assertEquals(fromDemo.getHeight(), fromFile.getHeight());
            int w = fromDemo.getWidth();
            int h = fromDemo.getHeight();
            assertArrayEquals(fromDemo.getRGB(0, 0, w, h, null, 0, w), fromFile.getRGB(0, 0, w, h, null, 0, w),
                name + " from the results file differs from the demo's");
        }
        BufferedImage g = png(out.resolve("g.png"));
        assertEquals(800, g.getWidth());
        assertEquals(600, g.getHeight());
        BufferedImage scatter = png(out.resolve("scatter.png"));
        assertEquals(800, scatter.getWidth());
    }

    @Test
    void badInputIsOneLineAndExitOne() throws IOException {
        Path missing = dir.resolve("missing.h5");
        Run r = Run.of("series", missing.toString());
        assertOneLine(r);
        assertTrue(r.err().contains(missing.toString()), r.err());

        Path text = Files.writeString(dir.resolve("notes.h5"), "not HDF5");
        Run f = Run.of("figures", text.toString(), "--out", dir.resolve("x").toString());
        assertOneLine(f);
        assertTrue(f.err().contains(text.toString()), f.err());

        // A results file without a temperature.
        SavedAnalysis r0 = ResultsFile.read(resultFiles().get(0));
        Path noT = dir.resolve("no-temperature.h5");
        AnalysisSettings s0 = r0.settings();
        AnalysisSettings noTemperature = AnalysisSettings.builder(s0.calibration().withTemperatureKelvin(Double.NaN))
            .dynamics(s0.dynamics().orElseThrow()).structure(s0.structure().orElseThrow()).build();
        ResultsFile.write(noT, SavedAnalysis.of(r0.maps(), null, noTemperature, null, r0.provenance()));
        Run t = Run.of("series", noT.toString(), resultFiles().get(1).toString());
        assertOneLine(t);
        assertTrue(t.err().contains("has no temperature") && t.err().contains(noT.toString()), t.err());

        // A series file is not a results file.
        Run wrong = Run.of("series", demo.resolve("series.h5").toString());
        assertOneLine(wrong);
        assertTrue(wrong.err().contains("fivedstem-results/1"), wrong.err());

        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Run d = Run.of("demo", "--quick", "--out", file.toString());
        assertOneLine(d);
        assertTrue(d.err().contains("is a file"), d.err());

        Run count = Run.of("series", resultFiles().get(0).toString(), "--temperatures", "600,700");
        assertEquals(FivedstemCommand.EXIT_USAGE, count.exitCode(), count.err());
        assertTrue(count.err().contains("--temperatures gives 2 temperature(s) for 1 file(s)"), count.err());

        Run summary = Run.of("series", resultFiles().get(0).toString(), "--summary", "mode");
        assertEquals(FivedstemCommand.EXIT_USAGE, summary.exitCode(), summary.err());
        assertNotEquals(-1, summary.err().indexOf("not one of mean, median, geometric"), summary.err());
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary files left");
        }
    }
}
