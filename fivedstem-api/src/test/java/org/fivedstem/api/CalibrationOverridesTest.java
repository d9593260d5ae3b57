/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CalibrationOverridesTest {

    private static final Calibration FILE = Calibration.builder().timestampsSeconds(new double[] {0, 9, 19}).scanStepNm(0.5)
        .pixelSizeInverseNm(0.23).centerPx(32, 33).build();

    @Test
    void setValuesReplaceTheFilesAndTheRestStay() {
        CalibrationOverrides o = CalibrationOverrides.none().withPixelSizeInverseNm(0.25).withCenterPx(31.5, 30.25)
            .withTemperatureKelvin(633);
        Calibration c = o.applyTo(FILE);
        assertEquals(0.25, c.pixelSizeInverseNm());
        assertEquals(31.5, c.centerKyPx());
        assertEquals(30.25, c.centerKxPx());
        assertEquals(633, c.temperatureKelvin().orElseThrow());
        assertEquals(0.5, c.scanStepYNm());
        assertTrue(c.hasTimestamps(), "no frame interval given: the file's timestamps stay");
        Calibration even = CalibrationOverrides.none().withFrameIntervalSeconds(4.8).withScanStepNm(0.4, 0.6).applyTo(FILE);
        assertFalse(even.hasTimestamps(), "a frame interval replaces timestamps");
        assertEquals(4.8, even.frameIntervalSeconds());
        assertEquals(0.6, even.scanStepXNm());
        assertEquals(FILE, CalibrationOverrides.none().applyTo(FILE));
    }

    @Test
    void gettersSayWhatWasGivenAndEqualityIsByValue() {
        CalibrationOverrides o = CalibrationOverrides.none().withScanStepNm(0.16);
        assertTrue(CalibrationOverrides.none().isEmpty());
        assertFalse(o.isEmpty());
        assertEquals(0.16, o.scanStepXNm().orElseThrow());
        assertTrue(o.frameIntervalSeconds().isEmpty() && o.centerKyPx().isEmpty() && o.temperatureKelvin().isEmpty());
        assertEquals(o, CalibrationOverrides.none().withScanStepNm(0.16, 0.16));
        assertEquals(o.hashCode(), CalibrationOverrides.none().withScanStepNm(0.16, 0.16).hashCode());
        assertEquals("CalibrationOverrides[scan step 0.16 nm, centre (1.5, 2.0) px]", o.withCenterPx(1.5, 2).toString());
        assertEquals("CalibrationOverrides[none]", CalibrationOverrides.none().toString());
    }

    @Test
    void invalidValuesAreRefusedAsTheCalibrationBuilderRefusesThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CalibrationOverrides.none().withPixelSizeInverseNm(-0.2));
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
            () -> Calibration.builder().pixelSizeInverseNm(-0.2));
        assertEquals(b.getMessage(), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CalibrationOverrides.none().withFrameIntervalSeconds(0));
        assertThrows(IllegalArgumentException.class, () -> CalibrationOverrides.none().withCenterPx(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> CalibrationOverrides.none().withScanStepNm(1, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> CalibrationOverrides.none().withTemperatureKelvin(Double.NaN),
            "NaN would mean 'not given'");
    }
}
