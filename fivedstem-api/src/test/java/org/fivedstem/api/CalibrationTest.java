/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CalibrationTest {

    static Calibration paper() {
        return Calibration.builder().frameIntervalSeconds(9.2).scanStepNm(0.16)
            .pixelSizeInverseNm(0.058).centerPx(131.5, 131.5).temperatureKelvin(633).build();
    }

    @Test
    void keepsWhatWasSet() {
        Calibration c = paper();
        assertEquals(9.2, c.frameIntervalSeconds());
        assertEquals(0.16, c.scanStepYNm());
        assertEquals(0.16, c.scanStepXNm());
        assertEquals(0.058, c.pixelSizeInverseNm());
        assertEquals(131.5, c.centerKyPx());
        assertEquals(633, c.temperatureKelvin().getAsDouble());
        assertFalse(c.hasTimestamps());
        assertEquals(3 * 9.2, c.frameTimeSeconds(3), 1e-12);
    }

    @Test
    void binningMovesCentreAndScalesPixel() {
        // 264×264 pixels binned 4×4: source pixels 0..3 form binned pixel 0, centred at 1.5.
        // A centre at source 131.5 lies at (131.5 − 1.5)/4 = 32.5 in binned pixels.
        Calibration b = paper().binned(4);
        assertEquals(0.232, b.pixelSizeInverseNm(), 1e-15);
        assertEquals(32.5, b.centerKyPx(), 1e-15);
        assertEquals(32.5, b.centerKxPx(), 1e-15);
        // Source centre 0 (pixel 0's centre) is at −0.375 binned pixels: (0 − 1.5)/4.
        Calibration c = paper().withCenterPx(0, 7).binned(4);
        assertEquals(-0.375, c.centerKyPx(), 1e-15);
        assertEquals(1.375, c.centerKxPx(), 1e-15);
    }

    @Test
    void binningComposes() {
        Calibration twice = paper().binned(2).binned(3);
        Calibration once = paper().binned(6);
        assertEquals(once.centerKyPx(), twice.centerKyPx(), 1e-12);
        assertEquals(once.pixelSizeInverseNm(), twice.pixelSizeInverseNm(), 1e-15);
    }

    @Test
    void qOfPixelIsDistanceTimesPixelSize() {
        Calibration c = Calibration.builder().frameIntervalSeconds(1).scanStepNm(1).pixelSizeInverseNm(0.5)
            .centerPx(2, 2).build();
        assertEquals(0, c.qInverseNm(2, 2));
        assertEquals(2.5, c.qInverseNm(5, 6), 1e-15); // 3-4-5 triangle × 0.5
    }

    @Test
    void timestampsGiveMedianIntervalAndSlice() {
        Calibration c = paper().toBuilder().timestampsSeconds(new double[] {10, 11, 13, 14, 20}).build();
        // The builder kept the explicit interval of paper(); a fresh one derives the median spacing.
        Calibration fresh = Calibration.builder().timestampsSeconds(new double[] {10, 11, 13, 14, 20})
            .scanStepNm(1).pixelSizeInverseNm(1).centerPx(0, 0).build();
        assertEquals(1.5, fresh.frameIntervalSeconds()); // spacings 1, 2, 1, 6 → median 1.5
        assertEquals(4, fresh.frameTimeSeconds(3));
        assertTrue(c.hasTimestamps());
        Calibration sliced = fresh.timeRange(1, 4);
        assertEquals(3, sliced.timestampsSeconds().length);
        assertEquals(3, sliced.frameTimeSeconds(2)); // 14 − 11
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
    void rejectsBadFrameInterval(double v) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Calibration.builder().frameIntervalSeconds(v));
        assertTrue(e.getMessage().contains("frameIntervalSeconds"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(v)), e.getMessage());
    }

    @Test
    void rejectsNonIncreasingTimestamps() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Calibration.builder().timestampsSeconds(new double[] {0, 1, 1}));
        assertEquals("timestampsSeconds is not strictly increasing: [2] = 1.0 follows [1] = 1.0", e.getMessage());
    }

    @Test
    void buildNamesTheMissingValue() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> Calibration.builder().frameIntervalSeconds(1).scanStepNm(1).centerPx(0, 0).build());
        assertTrue(e.getMessage().contains("pixelSizeInverseNm"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Calibration.builder().build());
        assertTrue(e.getMessage().contains("frameIntervalSeconds"), e.getMessage());
    }

    @Test
    void equalityAndToString() {
        assertEquals(paper(), paper());
        assertEquals(paper().hashCode(), paper().hashCode());
        assertEquals("Calibration[frame interval 9.200 s, scan step 0.1600 nm, pixel 0.05800 nm⁻¹, "
            + "centre (131.50, 131.50) px, 633.0 K]", paper().toString());
    }

    static Stream<Arguments> ellipses() {
        return SeededCases.of(0xE111L, 40, r -> new Object[] {1 + 0.2 * r.nextDouble(), Math.PI * r.nextDouble(),
            10 + 20 * r.nextDouble(), 2 * Math.PI * r.nextDouble(), r.nextDouble(20, 40), r.nextDouble(20, 40)});
    }

    @ParameterizedTest(name = "seed {0}: ratio {1}, angle {2}")
    @MethodSource("ellipses")
    void pointsOnTheDistortionEllipseShareOneQ(long seed, double ratio, double angle, double radius, double phi,
                                               double cy, double cx) {
        // A point on the ellipse with semi-axes a = R·√r (along θ) and b = R/√r (a·b = R²) has
        // |Q| = R · pixel size, whatever its polar angle φ on the ellipse.
        double a = radius * Math.sqrt(ratio);
        double b = radius / Math.sqrt(ratio);
        double u = a * Math.cos(phi);
        double v = b * Math.sin(phi);
        double dx = u * Math.cos(angle) - v * Math.sin(angle);
        double dy = u * Math.sin(angle) + v * Math.cos(angle);
        // Put the centre so that the point falls on an integer pixel.
        int i = (int) Math.round(cy + dy);
        int j = (int) Math.round(cx + dx);
        Calibration c = paper().withCenterPx(i - dy, j - dx).withEllipticalDistortion(ratio, angle);
        assertEquals(radius * 0.058, c.qInverseNm(i, j), 1e-12 * radius);
    }

    @Test
    void noDistortionIsTheCircularFormulaExactly() {
        Calibration plain = paper().withCenterPx(30.3, 29.1);
        Calibration unit = plain.withEllipticalDistortion(1, 0.7);
        assertEquals(plain, unit);
        assertFalse(unit.hasEllipticalDistortion());
        for (int i = 0; i < 66; i += 5) {
            for (int j = 0; j < 66; j += 7) {
                assertEquals(Math.hypot(i - 30.3, j - 29.1) * 0.058, unit.qInverseNm(i, j));
            }
        }
    }

    @Test
    void distortionSurvivesBinningAndCopies() {
        Calibration c = paper().withEllipticalDistortion(1.05, Math.PI + 0.3);
        assertEquals(0.3, c.ellipseAngleRadians(), 1e-12); // reduced modulo π
        assertTrue(c.hasEllipticalDistortion());
        Calibration b = c.binned(4);
        assertEquals(1.05, b.ellipseAxisRatio());
        assertEquals(c.ellipseAngleRadians(), b.ellipseAngleRadians());
        // |Q| of binned pixel (i, j) equals |Q| of its centre in source pixels, 4i + 1.5.
        // Binned pixel 40 spans source 160–163 (centre 161.5), 30 source px from the centre 131.5;
        // shifting the source centre by +0.5 puts the same offset on integer source pixel 162.
        Calibration src = c.withCenterPx(131.5 + 0.5, 131.5 + 0.5);
        assertEquals(src.qInverseNm(4 * 40 + 2, 4 * 20 + 2), b.qInverseNm(40, 20), 1e-12);
        assertEquals(c, c.toBuilder().build());
        assertTrue(c.toString().contains("ellipse 1.0500 at 17.2°"), c.toString());
        assertFalse(c.equals(paper()));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.99, 0, -1, Double.NaN, Double.POSITIVE_INFINITY})
    void rejectsBadAxisRatio(double r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> paper().withEllipticalDistortion(r, 0));
        assertTrue(e.getMessage().contains("ellipseAxisRatio") && e.getMessage().contains("≥ 1"), e.getMessage());
    }
}
