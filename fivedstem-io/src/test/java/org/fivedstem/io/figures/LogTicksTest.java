/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class LogTicksTest {

    @Test
    void aDecadeIsLabelledAtOneTwoThreeFive() {
        // The example: XChart labelled a 300–3000 s axis only "1000".
        assertEquals(List.of(300.0, 500.0, 1000.0, 2000.0, 3000.0), LogTicks.between(300, 3000));
        assertEquals(List.of("300", "500", "1000", "2000", "3000"),
            LogTicks.between(300, 3000).stream().map(LogTicks::label).toList());
    }

    @Test
    void twoDecadesAreLabelledAtOneTwoFive() {
        assertEquals(List.of(100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0), LogTicks.between(100, 10000));
        assertEquals(List.of(0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0), LogTicks.between(0.015, 2.5));
    }

    @Test
    void manyDecadesAreLabelledAtDecades() {
        assertEquals(List.of(1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0, 1000.0, 1e4, 1e5), LogTicks.between(1e-3, 1e5));
        // Beyond 8 decades every other decade, so that the labels do not run into each other.
        assertEquals(List.of(1e-2, 1.0, 100.0, 1e4, 1e6), LogTicks.between(1e-3, 1e6));
    }

    @Test
    void aNarrowAxisGetsLinearSteps() {
        // 200–260: only 200 is a 1-2-3-5 value, so nice linear steps of 10 instead.
        assertEquals(List.of(200.0, 210.0, 220.0, 230.0, 240.0, 250.0, 260.0), LogTicks.between(200, 260));
    }

    @Test
    void invalidRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LogTicks.between(0, 10));
        assertThrows(IllegalArgumentException.class, () -> LogTicks.between(10, 10));
        assertThrows(IllegalArgumentException.class, () -> LogTicks.between(Double.NaN, 10));
        assertThrows(IllegalArgumentException.class, () -> LogTicks.between(1, Double.POSITIVE_INFINITY));
    }
}
