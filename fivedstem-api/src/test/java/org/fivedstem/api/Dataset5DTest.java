/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class Dataset5DTest {

    /** Value encodes its coordinates: t·10⁶ + y·10⁵ + x·10⁴ + ky·100 + kx. */
    static double code(int t, int y, int x, int ky, int kx) {
        return t * 1e6 + y * 1e5 + x * 1e4 + ky * 100 + kx;
    }

    static Dataset5D coded(Shape5D s) {
        double[] v = new double[(int) s.valueCount()];
        int i = 0;
        for (int t = 0; t < s.frames(); t++) {
            for (int y = 0; y < s.scanY(); y++) {
                for (int x = 0; x < s.scanX(); x++) {
                    for (int a = 0; a < s.ky(); a++) {
                        for (int b = 0; b < s.kx(); b++) {
                            v[i++] = code(t, y, x, a, b);
                        }
                    }
                }
            }
        }
        return Dataset5D.ofArray(s, v, Calibration.builder().frameIntervalSeconds(2).scanStepNm(0.16)
            .pixelSizeInverseNm(0.1).centerPx(2.5, 2.5).build());
    }

    @Test
    void visitsInStorageOrderWithRelativeCoordinates() throws IOException {
        Dataset5D ds = coded(Shape5D.of(2, 3, 4, 2, 2));
        List<int[]> seen = new ArrayList<>();
        ds.forEachPattern((t, y, x, p) -> {
            seen.add(new int[] {t, y, x});
            assertEquals(code(t, y, x, 1, 0), p[2]);
        });
        assertEquals(24, seen.size());
        assertArrayEquals(new int[] {0, 0, 1}, seen.get(1));
        assertArrayEquals(new int[] {1, 0, 0}, seen.get(12));
    }

    @Test
    void cropAndTimeRangeAreViews() throws IOException {
        Dataset5D ds = coded(Shape5D.of(4, 5, 6, 2, 2));
        Dataset5D v = ds.crop(1, 3, 2, 5).timeRange(1, 3);
        assertEquals(Shape5D.of(2, 2, 3, 2, 2), v.shape());
        // View (t=1, y=0, x=2) is source (2, 1, 4).
        assertEquals(code(2, 1, 4, 1, 1), v.readPattern(1, 0, 2)[3]);
        // Crop of a crop.
        Dataset5D vv = v.crop(1, 2, 1, 3);
        assertEquals(code(1, 2, 3, 0, 1), vv.readPattern(0, 0, 0)[1]);
        assertEquals(new Selection(1, 3, 2, 3, 3, 5), vv.selection());
    }

    @Test
    void binningSumsBlocksAndDropsTrailingPixels() throws IOException {
        // 5×5 pattern binned 2×2 → 2×2; the last row and column are dropped.
        Shape5D s = Shape5D.of(1, 1, 1, 5, 5);
        double[] v = new double[25];
        for (int i = 0; i < 25; i++) {
            v[i] = i;
        }
        Dataset5D ds = Dataset5D.ofArray(s, v, Calibration.builder().frameIntervalSeconds(1).scanStepNm(1)
            .pixelSizeInverseNm(0.1).centerPx(2, 2).build());
        Dataset5D b = ds.bin(2);
        assertEquals(Shape5D.of(1, 1, 1, 2, 2), b.shape());
        // Block (0,0): 0+1+5+6 = 12; (0,1): 2+3+7+8 = 20; (1,0): 10+11+15+16 = 52; (1,1): 12+13+17+18 = 60.
        assertArrayEquals(new double[] {12, 20, 52, 60}, b.readPattern(0, 0, 0));
        assertEquals(0.2, b.calibration().pixelSizeInverseNm(), 1e-15);
        assertEquals(0.75, b.calibration().centerKyPx(), 1e-15); // (2 − 0.5)/2
        assertEquals(2, b.binFactor());
    }

    @Test
    void binningTwiceEqualsBinningByTheProduct() throws IOException {
        Dataset5D ds = coded(Shape5D.of(1, 1, 2, 13, 12));
        Dataset5D twice = ds.bin(2).bin(3);
        Dataset5D once = ds.bin(6);
        assertEquals(once.shape(), twice.shape());
        assertArrayEquals(once.readPattern(0, 0, 1), twice.readPattern(0, 0, 1));
        assertEquals(once.calibration(), twice.calibration());
    }

    @Test
    void masksFollowBinning() {
        boolean[] valid = new boolean[16];
        java.util.Arrays.fill(valid, true);
        valid[5] = false; // pixel (1,1) spoils binned pixel (0,0)
        Dataset5D ds = coded(Shape5D.of(1, 1, 1, 4, 4)).withMask(DetectorMask.of(4, 4, valid));
        DetectorMask m = ds.bin(2).mask().orElseThrow();
        assertFalse(m.isValid(0, 0));
        assertTrue(m.isValid(0, 1));
        assertEquals(3, m.validCount());
    }

    @Test
    void rejectsMismatchedMaskAndBadViews() {
        Dataset5D ds = coded(Shape5D.of(2, 2, 2, 4, 4));
        assertEquals("mask of 3×3 pixels does not match the 4×4 diffraction patterns",
            assertThrows(IllegalArgumentException.class, () -> ds.withMask(DetectorMask.allValid(3, 3))).getMessage());
        assertEquals("scanY range [1, 1) is not a non-empty range within [0, 2)",
            assertThrows(IllegalArgumentException.class, () -> ds.crop(1, 1, 0, 2)).getMessage());
        assertEquals("bin 5 is larger than the 4×4 pattern",
            assertThrows(IllegalArgumentException.class, () -> ds.bin(5)).getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ds.readPattern(2, 0, 0));
    }

    @Test
    void toStringShowsShapeViewAndStorage() {
        Dataset5D ds = coded(Shape5D.of(4, 5, 6, 4, 4)).crop(0, 2, 0, 3).bin(2);
        String s = ds.toString();
        assertTrue(s.startsWith("Dataset5D[4 frames × 2×3 scan × 2×2 pixels, binned 2×2, view of frames 0:4, rows 0:2, columns 0:3"), s);
        assertTrue(s.contains("in-memory float64 array"), s);
    }
}
