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

import java.util.List;

import org.junit.jupiter.api.Test;

class AnnulusMaskTest {

    /** 5×5 pattern, centre (2, 2), 1 nm⁻¹ per pixel: |Q| is the pixel distance. */
    static final Calibration UNIT = Calibration.builder().frameIntervalSeconds(1).scanStepNm(1)
        .pixelSizeInverseNm(1).centerPx(2, 2).build();

    @Test
    void selectsTheRingOfAHandDrawnPattern() {
        // Distances on the 5×5 grid from (2,2):
        //   2.83 2.24 2.00 2.24 2.83
        //   2.24 1.41 1.00 1.41 2.24
        //   2.00 1.00 0.00 1.00 2.00
        //   ...   (symmetric)
        // 1 ≤ |Q| < 2 holds the 4 pixels at distance 1 and the 4 at √2.
        AnnulusMask a = AnnulusMask.of(5, 5, UNIT, null, List.of(QRange.of(1, 2)));
        assertArrayEquals(new int[] {6, 7, 8, 11, 13, 16, 17, 18}, a.pixelIndices());
        assertEquals(8, a.pixelCount());
        assertTrue(a.contains(1, 2));
        assertFalse(a.contains(0, 2)); // distance exactly 2: excluded (upper bound is exclusive)
        assertFalse(a.contains(2, 2));
    }

    @Test
    void lowerBoundIsInclusive() {
        AnnulusMask a = AnnulusMask.of(5, 5, UNIT, null, List.of(QRange.of(2, 2.5)));
        // distance 2 (4 pixels) and √5 ≈ 2.24 (8 pixels)
        assertEquals(12, a.pixelCount());
        assertTrue(a.contains(0, 2));
    }

    @Test
    void maskedPixelsAreLeftOut() {
        boolean[] valid = new boolean[25];
        java.util.Arrays.fill(valid, true);
        valid[7] = false;
        valid[17] = false;
        AnnulusMask a = AnnulusMask.of(5, 5, UNIT, DetectorMask.of(5, 5, valid), List.of(QRange.of(1, 2)));
        assertArrayEquals(new int[] {6, 8, 11, 13, 16, 18}, a.pixelIndices());
    }

    @Test
    void binsAreSortedAndDisjoint() {
        AnnulusMask a = AnnulusMask.of(5, 5, UNIT, null, List.of(QRange.of(1.2, 2), QRange.of(0.5, 1.2)));
        assertEquals(2, a.binCount());
        assertEquals(QRange.of(0.5, 1.2), a.bin(0));
        assertArrayEquals(new int[] {7, 11, 13, 17}, a.pixelIndices(0));
        assertArrayEquals(new int[] {6, 8, 16, 18}, a.pixelIndices(1));
        assertArrayEquals(new int[] {1, 0, 1, 0, 0, 1, 0, 1}, a.binOfPixels());
        assertEquals(QRange.of(0.5, 2), a.range());
        assertEquals("AnnulusMask[0.5000–2.000 nm⁻¹, 8 pixels of a 5×5 pattern, 2 bins of 4 4 pixels]", a.toString());
        assertThrows(IllegalArgumentException.class,
            () -> AnnulusMask.of(5, 5, UNIT, null, List.of(QRange.of(1, 2), QRange.of(1.5, 3))));
    }

    @Test
    void fromDatasetUsesBinnedCalibration() {
        // 8×8 pattern, 0.5 nm⁻¹/pixel, centre (3.5, 3.5); binned 2×2 → 4×4, 1 nm⁻¹/pixel, centre (1.5, 1.5).
        Calibration c = Calibration.builder().frameIntervalSeconds(1).scanStepNm(1).pixelSizeInverseNm(0.5)
            .centerPx(3.5, 3.5).build();
        Dataset5D ds = Dataset5D.ofArray(Shape5D.of(1, 1, 1, 8, 8), new double[64], c).bin(2);
        AnnulusMask a = AnnulusMask.of(ds, QRange.of(0, 1));
        // Binned pixels at distance √0.5 from (1.5, 1.5): the central four.
        assertArrayEquals(new int[] {5, 6, 9, 10}, a.pixelIndices());
        AnnulusMask split = AnnulusMask.of(ds, QRange.of(0, 3), 3);
        assertEquals(3, split.binCount());
        assertEquals(4, split.pixelCount(0));
        assertEquals(8, split.pixelCount(1)); // distance √2.5 ≈ 1.58
        assertEquals(4, split.pixelCount(2)); // corners, distance √4.5 ≈ 2.12
    }

    @Test
    void emptyAnnulusSaysWhatThePatternCovers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> AnnulusMask.of(5, 5, UNIT, null, List.of(QRange.of(4.2, 4.6))));
        assertEquals("annulus 4.200–4.600 nm⁻¹ holds no valid pixel (the range lies beyond the pattern): "
            + "the valid pixels cover |Q| from 0.00 to 2.83 nm⁻¹ (5×5 pixels of 1.000 nm⁻¹, centre (2.00, 2.00) px)",
            e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> AnnulusMask.of(5, 5, UNIT, null, List.of(QRange.of(0.1, 0.9))));
        assertTrue(e.getMessage().startsWith("annulus 0.1000–0.9000 nm⁻¹ holds no valid pixel: the valid pixels"), e.getMessage());
    }

    @Test
    void reversedRangeIsRejected() {
        assertEquals("Q range 4.6–4.2 nm⁻¹ is empty or reversed: qMax must be greater than qMin",
            assertThrows(IllegalArgumentException.class, () -> QRange.of(4.6, 4.2)).getMessage());
        assertEquals(QRange.of(4.2, 4.6), QRange.parse("4.2:4.6"));
        assertThrows(IllegalArgumentException.class, () -> QRange.parse("4.2-4.6"));
    }
}
