/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.Normalisation;
import org.fivedstem.api.QRange;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.TauSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiguresTest {

    @TempDir
    Path dir;

    static ScalarMap tauMap() {
        // 6×10 map: τ rising along x from 100 s to 1000 s, one invalid position at (2, 3).
        double[] v = new double[60];
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 10; x++) {
                v[y * 10 + x] = 100 * Math.pow(10, x / 9.0);
            }
        }
        v[2 * 10 + 3] = Double.NaN;
        return ScalarMap.of("tau_s", "s", 6, 10, v, 0.16, 0.16);
    }

    static BufferedImage readPng(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertTrue(img != null, "not a PNG ImageIO can read: " + file);
        return img;
    }

    static List<Path> leftovers(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).collect(Collectors.toList());
        }
    }

    @Test
    void mapIsPixelExactWithGreyInvalidPositions() throws IOException {
        MapFigure f = MapFigure.of(tauMap()).withLogScale(true).withPixelsPerPosition(12).withTitle("τ map");
        Path file = dir.resolve("tau.png");
        f.writePng(file);
        BufferedImage img = readPng(file);
        assertEquals(f.render().getWidth(), img.getWidth());
        // Every screen pixel of a position's block has the colour of its value.
        int[] low = f.screenPixelOf(0, 0);
        int[] high = f.screenPixelOf(5, 9);
        int[] invalid = f.screenPixelOf(2, 3);
        assertEquals(Colormap.VIRIDIS.rgb(0), img.getRGB(low[0], low[1]) & 0xFFFFFF);
        assertEquals(Colormap.VIRIDIS.rgb(0), img.getRGB(low[0] - 5, low[1] + 5) & 0xFFFFFF);
        assertEquals(Colormap.VIRIDIS.rgb(1), img.getRGB(high[0], high[1]) & 0xFFFFFF);
        assertEquals(Colormap.INVALID_RGB, img.getRGB(invalid[0], invalid[1]) & 0xFFFFFF);
        // On the log scale the middle column (x = 4.5 → τ = 10^2.5 s) sits at mid-bar.
        assertEquals(0.5, f.fraction(100 * Math.pow(10, 0.5)), 1e-12);
        assertEquals(List.of(100.0, 200.0, 300.0, 500.0, 1000.0), f.ticks());
        assertTrue(leftovers(dir).isEmpty());
        assertEquals("MapFigure[τ map, 6×10 positions × 12 px, log colour 100–1000 s]", f.toString());
    }

    @Test
    void mapHasScanCoordinateTicks() throws IOException {
        // 12 px per position: a tick every 5 positions (1 and 2 would be closer than 28 px).
        assertEquals(List.of(0, 5, 10, 15, 20), MapFigure.scanTicks(24, 12));
        assertEquals(List.of(0, 1, 2, 3), MapFigure.scanTicks(4, 150));
        assertEquals(List.of(0, 2, 4), MapFigure.scanTicks(6, 25));
        assertEquals(List.of(0, 50, 100), MapFigure.scanTicks(128, 1));
        // The tick of x = 5 sits under the centre of column 5, the tick of y = 5 left of row 5.
        MapFigure f = MapFigure.of(tauMap()).withPixelsPerPosition(12);
        BufferedImage img = f.render();
        int[] below = f.screenPixelOf(5, 5);
        int mapBottom = f.screenPixelOf(5, 0)[1] + 6;
        assertEquals(0, img.getRGB(below[0], mapBottom + 2) & 0xFFFFFF, "x tick mark under column 5");
        assertEquals(0xFFFFFF, img.getRGB(below[0] + 3, mapBottom + 2) & 0xFFFFFF, "white beside the x tick mark");
        int mapLeft = f.screenPixelOf(0, 0)[0] - 6;
        assertEquals(0, img.getRGB(mapLeft - 3, below[1]) & 0xFFFFFF, "y tick mark left of row 5");
    }

    @Test
    void linearScaleAndRange() {
        ScalarMap v = ScalarMap.of("V", "", 1, 3, new double[] {0.4, 0.5, 0.6}, 0.16, 0.16);
        MapFigure f = MapFigure.of(v).withRange(0.45, 0.55);
        assertEquals(0, f.fraction(0.4)); // clamped
        assertEquals(0.5, f.fraction(0.5), 1e-12);
        // Ticks sit on multiples of the 1-2-5 step (0.02) inside the range.
        assertEquals(List.of(0.46, 0.48, 0.5, 0.52, 0.54), f.ticks().stream()
            .map(t -> Math.round(t * 100) / 100.0).collect(Collectors.toList()));
        assertThrows(IllegalArgumentException.class, () -> f.withRange(1, 1));
    }

    @Test
    void niceNumbers() {
        assertEquals(2, MapFigure.niceLength(3.2));
        assertEquals(0.5, MapFigure.niceLength(0.93));
        assertEquals(10, MapFigure.niceLength(10));
        assertEquals("0.25", MapFigure.format(0.25));
        assertEquals("1000", MapFigure.format(1000));
    }

    @Test
    void viridisEndsAndMonotoneLightness() {
        assertEquals(0x440154, Colormap.VIRIDIS.rgb(0));
        assertEquals(0xFDE725, Colormap.VIRIDIS.rgb(1));
        double previous = -1;
        for (int i = 0; i <= 100; i++) {
            int c = Colormap.VIRIDIS.rgb(i / 100.0);
            // Rec. 709 luma rises monotonically along viridis.
            double luma = 0.2126 * (c >> 16) + 0.7152 * ((c >> 8) & 0xFF) + 0.0722 * (c & 0xFF);
            assertTrue(luma >= previous - 0.5, "luma falls at " + i);
            previous = luma;
        }
        assertEquals(Colormap.INVALID_RGB, Colormap.VIRIDIS.rgb(Double.NaN));
    }

    static CorrelationCurve curve(double tau, double beta) {
        int n = 40;
        double[] lags = new double[n];
        double[] g = new double[n];
        double[] e = new double[n];
        int[] pairs = new int[n];
        for (int i = 0; i < n; i++) {
            lags[i] = 9.2 * i;
            g[i] = 1 + beta * Math.exp(-2 * lags[i] / tau) + (i == 0 ? 0.05 : 0);
            e[i] = 0.005;
            pairs[i] = n - i;
        }
        return CorrelationCurve.of(lags, g, e, pairs, QRange.of(4.2, 4.6), Normalisation.ENSEMBLE);
    }

    @Test
    void chartsAreValidPngsAndSvgs() throws IOException {
        KwwFit fit = new KwwFit(0.2, 0.01, 120, 5, 1, 0, true, 0, Double.NaN, false, 1, 4, FitStatus.CONVERGED, 1, 39);
        CorrelationFigure cf = CorrelationFigure.of("(3, 4)", curve(120, 0.2), fit).with("median", curve(200, 0.15), null);
        cf.writePng(dir.resolve("g.png"));
        cf.writeSvg(dir.resolve("g.svg"));
        BufferedImage g = readPng(dir.resolve("g.png"));
        assertEquals(800, g.getWidth());
        assertEquals(600, g.getHeight());
        String svg = Files.readString(dir.resolve("g.svg"));
        assertTrue(svg.contains("<svg"), svg.substring(0, Math.min(200, svg.length())));

        ScalarMap tau = tauMap();
        ScalarMap v = tau.map("V", "", t -> 0.4 + 1e-4 * t);
        RankCorrelation rc = new RankCorrelation(1, 59, 0, "exact", 1, 1, 0.95, Double.NaN, Double.NaN, "none");
        ScatterFigure sf = ScatterFigure.of(tau, v, rc).withTitle("τ–V at 633 K");
        assertEquals(59, sf.pointCount());
        sf.writePng(dir.resolve("scatter.png"));
        assertEquals(600, readPng(dir.resolve("scatter.png")).getHeight());

        ProfileFigure.of(new double[] {3, 3.5, 4, 4.5}, new double[] {0.4, 0.5, Double.NaN, 0.6}, null)
            .writePng(dir.resolve("profile.png"));
        readPng(dir.resolve("profile.png"));

        double[] temps = {633, 643, 653, 663, 673};
        double[] taus = new double[5];
        double[] errs = new double[5];
        for (int i = 0; i < 5; i++) {
            taus[i] = 1e-5 * Math.exp(97000 / (ArrheniusFit.GAS_CONSTANT_J_PER_MOL_K * temps[i]));
            errs[i] = 0.1 * taus[i];
        }
        ArrheniusFit af = ArrheniusFit.of(97, 4, 1e-5, 3e-6, 1, temps, taus, errs, TauSummary.MEAN);
        ArrheniusFigure.of(af).writePng(dir.resolve("arrhenius.png"));
        readPng(dir.resolve("arrhenius.png"));

        SeriesPanelFigure panel = SeriesPanelFigure.of(temps, taus, errs, new double[] {0.56, 0.55, 0.54, 0.53, 0.52},
            new double[] {0.39, 0.37, 0.36, 0.35, 0.33}, "mean");
        panel.writePng(dir.resolve("series.png"));
        BufferedImage p = readPng(dir.resolve("series.png"));
        assertEquals(3 * 480, p.getWidth());
        assertNotEquals(0, p.getRGB(10, 10));
        assertTrue(leftovers(dir).isEmpty());
    }

    @Test
    void emptyDataStillDraws() {
        ScalarMap none = ScalarMap.empty("tau_s", "s", 3, 3, 0.16, 0.16);
        assertEquals(3 * 3, none.values().length);
        MapFigure.of(none).withLogScale(true).render();
        assertEquals(0, ScatterFigure.of(none, none, null).pointCount());
        ScatterFigure.of(none, none, null).render();
    }

    @Test
    void rejectsMismatchedMaps() {
        ScalarMap a = ScalarMap.empty("tau_s", "s", 3, 3, 0.16, 0.16);
        ScalarMap b = ScalarMap.empty("V", "", 3, 4, 0.16, 0.16);
        assertEquals("τ map 3×3 and V map 3×4 differ in size",
            assertThrows(IllegalArgumentException.class, () -> ScatterFigure.of(a, b, null)).getMessage());
    }
}
