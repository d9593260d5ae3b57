/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class Shape5DTest {

    @Test
    void counts() {
        Shape5D s = Shape5D.of(106, 60, 120, 66, 66);
        assertEquals(4356, s.patternSize());
        assertEquals(7200, s.positionCount());
        assertEquals(106L * 7200, s.patternCount());
        assertEquals(106L * 7200 * 4356, s.valueCount());
        assertEquals("106 frames × 60×120 scan × 66×66 pixels", s.toString());
    }

    @Test
    void rejectsNonPositiveExtents() {
        assertEquals("scanX is not strictly positive: 0",
            assertThrows(IllegalArgumentException.class, () -> Shape5D.of(1, 1, 0, 1, 1)).getMessage());
    }
}
