/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.fivedstem.api.Calibration;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.QRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatternFigureTest {

    @TempDir
    Path dir;

    static final int K = 40;

    static Calibration cal() {
        return Calibration.builder().frameIntervalSeconds(1).scanStepNm(1).pixelSizeInverseNm(0.25).centerPx(19.5, 20).build();
    }

    static double[] ring() {
        double[] p = new double[K * K];
        for (int i = 0; i < K; i++) {
            for (int j = 0; j < K; j++) {
                double r = Math.hypot(i - 19.5, j - 20);
                p[i * K + j] = 10 + 100 * Math.exp(-0.5 * Math.pow((r - 14) / 3, 2));
            }
        }
        return p;
    }

    static int rgbAt(BufferedImage img, double[] pt) {
        return img.getRGB((int) Math.round(pt[0]), (int) Math.round(pt[1])) & 0xFFFFFF;
    }

    /** Whether the colour is at the point or one screen pixel from it (antialiased 2-px lines). */
    static boolean near(BufferedImage img, double[] pt, int rgb) {
        for (int dx = -1; dx <= 1; dx++) {
            for (int dy = -1; dy <= 1; dy++) {
                if ((img.getRGB((int) Math.round(pt[0]) + dx, (int) Math.round(pt[1]) + dy) & 0xFFFFFF) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void drawsPixelsMaskAnnuliAndCentre() throws IOException {
        boolean[] valid = new boolean[K * K];
        java.util.Arrays.fill(valid, true);
        valid[3 * K + 4] = false;
        PatternFigure f = PatternFigure.of(ring(), K, K, cal()).withMask(DetectorMask.of(K, K, valid))
            .withAnnulus("dynamics", QRange.of(2.0, 3.0)).withTitle("test");
        Path file = dir.resolve("mean.png");
        f.writePng(file);
        BufferedImage img = FiguresTest.readPng(file);
        assertEquals(f.render().getWidth(), img.getWidth());
        assertTrue(FiguresTest.leftovers(dir).isEmpty());
        // Masked pixel grey; the inner contour of the annulus, |Q| = 2 nm⁻¹ = 8 px right of the
        // centre, is drawn in the first annulus colour (red).
        assertEquals(Colormap.INVALID_RGB, rgbAt(img, f.screenPointOf(3, 4)));
        assertEquals(0xFF4B3E, rgbAt(img, f.screenPointOf(19.5, 28)));
        assertEquals(0xFF4B3E, rgbAt(img, f.screenPointOf(19.5 + 12, 20)));
        // Away from the overlays, a pixel has its viridis colour on the √ scale.
        double[] r = f.range();
        double v = ring()[2 * K + 2];
        int expected = Colormap.VIRIDIS.rgb((Math.sqrt(v) - Math.sqrt(r[0])) / (Math.sqrt(r[1]) - Math.sqrt(r[0])));
        assertEquals(expected, rgbAt(img, f.screenPointOf(2, 2)));
        assertTrue(f.toString().contains("1 annuli"), f.toString());
    }

    @Test
    void colourBarRunsOverTheSquareRootScale() {
        PatternFigure f = PatternFigure.of(ring(), K, K, cal());
        BufferedImage img = f.render();
        int[] bar = f.colourBarBounds();
        assertTrue(bar[0] + 18 < img.getWidth(), "the colour bar lies inside the image");
        // Top of the bar: viridis(1); bottom: viridis(0) (one row in from the frame, half a row of rounding).
        assertEquals(Colormap.VIRIDIS.rgb(1 - 1.5 / bar[2]), img.getRGB(bar[0] + 9, bar[1] + 1) & 0xFFFFFF);
        assertEquals(Colormap.VIRIDIS.rgb(1 - (bar[2] - 1.5) / bar[2]), img.getRGB(bar[0] + 9, bar[1] + bar[2] - 2) & 0xFFFFFF);
    }

    @Test
    void legendSwatchesAreDrawnAsTheAnnuliAndNoEntryTwice() {
        PatternFigure f = PatternFigure.of(ring(), K, K, cal()).withAnnulus("dynamics", QRange.of(2.0, 3.0))
            .withAnnulus("structure", QRange.of(1.0, 4.0)).withAnnulus("V", QRange.of(2.0, 3.0))
            .withAnnulus("dynamics", QRange.of(2.0, 3.0));
        assertEquals(List.of("dynamics = V: " + QRange.of(2.0, 3.0), "structure: " + QRange.of(1.0, 4.0)), f.legendEntries());
        BufferedImage img = f.render();
        // The legend starts 8 px below the pattern; the first swatch's line (solid red) runs 6 px above its text baseline,
        // the second's (dashed white) 18 px lower: its first dash, 7 px long, starts at the swatch's left + 2.
        int legendTop = (int) Math.round(f.screenPointOf(K - 0.5, 0)[1]) + 8;
        int lineY = legendTop + 12 - 6;
        assertEquals(0xFF4B3E, img.getRGB(16 + 5, lineY) & 0xFFFFFF, "first swatch: the first annulus's red");
        assertEquals(0xFFFFFF, img.getRGB(16 + 5, lineY + 18) & 0xFFFFFF, "second swatch: the second annulus's white");
        assertEquals(Colormap.VIRIDIS.rgb(0), img.getRGB(16 + 12, lineY + 18) & 0xFFFFFF, "second swatch: dashed, a gap");
    }

    @Test
    void contoursFollowTheEllipticalDistortion() {
        // Ratio 1.21 along x: |Q| = 2 nm⁻¹ lies at 8·√1.21 = 8.8 px along x and 8/1.1 = 7.27 px along y.
        Calibration c = cal().withEllipticalDistortion(1.21, 0);
        BufferedImage img = PatternFigure.of(ring(), K, K, c).withAnnulus("a", QRange.of(2.0, 2.5)).render();
        PatternFigure f = PatternFigure.of(ring(), K, K, c);
        assertTrue(near(img, f.screenPointOf(19.5, 20 + 8.8), 0xFF4B3E));
        assertFalse(near(img, f.screenPointOf(19.5, 20 + 8.0), 0xFF4B3E)); // where the undistorted circle would be
        assertTrue(near(img, f.screenPointOf(19.5 + 8 / 1.1, 20), 0xFF4B3E));
    }

    @Test
    void rejectsMismatchesAndAnnuliWithoutCalibration() {
        assertThrows(IllegalArgumentException.class, () -> PatternFigure.of(new double[10], K, K, cal()));
        assertThrows(IllegalArgumentException.class, () -> PatternFigure.of(ring(), K, K, cal()).withMask(DetectorMask.allValid(3, 3)));
        assertThrows(IllegalStateException.class, () -> PatternFigure.of(ring(), K, K, null).withAnnulus("a", QRange.of(1, 2)));
        // Without a calibration it still draws the pattern.
        assertTrue(PatternFigure.of(ring(), K, K, null).render().getWidth() > K);
    }

    @Test
    void driftFigureIsAValidPng() throws IOException {
        DriftFigure f = DriftFigure.of(new double[] {0, 9.2, 18.4}, new double[] {0, 0.1, 0.3}, new double[] {0, -0.05, -0.2});
        Path file = dir.resolve("drift.png");
        f.writePng(file);
        assertEquals(800, FiguresTest.readPng(file).getWidth());
        assertTrue(FiguresTest.leftovers(dir).isEmpty());
        assertEquals("DriftFigure[scan drift, 3 frames over 18.40 s, final (0.300, -0.200) nm]", f.toString());
        assertThrows(IllegalArgumentException.class, () -> DriftFigure.of(new double[2], new double[3], new double[2]));
    }
}
