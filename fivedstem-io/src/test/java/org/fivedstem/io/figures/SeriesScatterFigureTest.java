/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.fivedstem.api.ScalarMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesScatterFigureTest {

    @TempDir
    Path dir;

    /** A 5×5 τ map scaled by {@code factor} and a V map that rises with τ. */
    static ScalarMap[] maps(double factor) {
        double[] tau = new double[25];
        double[] v = new double[25];
        for (int i = 0; i < 25; i++) {
            tau[i] = factor * (50 + 20 * i);
            v[i] = 0.4 + 0.01 * i;
        }
        return new ScalarMap[] {ScalarMap.of("tau_s", "s", 5, 5, tau, 0.16, 0.16), ScalarMap.of("V", "", 5, 5, v, 0.16, 0.16)};
    }

    /** Pixels within 12 per channel of the marker colour blended at alpha 150/255 on white, as drawn. */
    static int pixelsNear(BufferedImage img, int rgb) {
        double a = 150 / 255.0;
        int[] want = new int[3];
        for (int c = 0; c < 3; c++) {
            want[c] = (int) Math.round(((rgb >> (16 - 8 * c)) & 0xFF) * a + 255 * (1 - a));
        }
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                boolean near = true;
                for (int c = 0; c < 3; c++) {
                    near &= Math.abs(((p >> (16 - 8 * c)) & 0xFF) - want[c]) <= 12;
                }
                n += near ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void eachTemperatureIsDrawnInItsOwnColour() throws IOException {
        ScalarMap[] cold = maps(1);
        ScalarMap[] mid = maps(0.5);
        ScalarMap[] hot = maps(0.25);
        // Added out of order: sorted by temperature, coldest dark.
        SeriesScatterFigure f = SeriesScatterFigure.of(673, hot[0], hot[1], 0.3).with(633, cold[0], cold[1], 0.5)
            .with(653, mid[0], mid[1], Double.NaN);
        assertEquals(3, f.temperatureCount());
        assertEquals(Colormap.VIRIDIS.rgb(0), f.colourRgb(0));
        assertEquals(Colormap.VIRIDIS.rgb(0.85), f.colourRgb(2));
        Path file = dir.resolve("all.png");
        f.writePng(file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(800, img.getWidth());
        assertEquals(600, img.getHeight());
        for (int i = 0; i < 3; i++) {
            // 25 markers of 5 px and a legend marker: their interiors hold at least a few dozen such pixels.
            int n = pixelsNear(img, f.colourRgb(i));
            assertTrue(n >= 25, "temperature " + i + " colour has " + n + " pixels");
        }
        assertTrue(f.toString().contains("633 K, 653 K, 673 K"), f.toString());
        BufferedImage small = f.withSize(400, 300).render();
        assertEquals(400, small.getWidth());
        assertEquals(300, small.getHeight());
    }

    @Test
    void rejectsMismatchedMapsAndTooManyTemperatures() {
        ScalarMap[] a = maps(1);
        ScalarMap other = ScalarMap.of("V", "", 1, 2, new double[] {1, 2}, 0.16, 0.16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeriesScatterFigure.of(633, a[0], other, 0));
        assertTrue(e.getMessage().contains("5×5") && e.getMessage().contains("1×2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SeriesScatterFigure.of(-1, a[0], a[1], 0));
        SeriesScatterFigure f = SeriesScatterFigure.of(600, a[0], a[1], 0);
        for (int i = 1; i < SeriesScatterFigure.MAX_TEMPERATURES; i++) {
            f = f.with(600 + i, a[0], a[1], 0);
        }
        SeriesScatterFigure full = f;
        assertThrows(IllegalArgumentException.class, () -> full.with(700, a[0], a[1], 0));
    }

    @Test
    void mapsWithoutValidPositionsStillDraw() {
        ScalarMap none = ScalarMap.of("tau_s", "s", 1, 1, new double[] {Double.NaN}, 0.16, 0.16);
        BufferedImage img = SeriesScatterFigure.of(633, none, none, Double.NaN).render();
        assertEquals(800, img.getWidth());
    }
}
