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

class AxisOrderTest {

    @Test
    void parsesAndPrints() {
        AxisOrder o = AxisOrder.parse(" Y, x ,t,KY,kx");
        assertEquals("y,x,t,ky,kx", o.toString());
        assertEquals(List.of(Axis.Y, Axis.X, Axis.T), o.scanOrder());
        assertTrue(o.isPatternContiguous());
        assertEquals(2, o.dimensionOf(Axis.T));
        assertEquals(AxisOrder.parse("t,y,x,ky,kx"), AxisOrder.DEFAULT);
        assertFalse(AxisOrder.parse("t,ky,kx,y,x").isPatternContiguous());
    }

    @Test
    void mapsShapes() {
        AxisOrder o = AxisOrder.parse("y,x,t,ky,kx");
        Shape5D s = Shape5D.of(106, 60, 120, 66, 64);
        assertArrayEquals(new int[] {60, 120, 106, 66, 64}, o.storageDimensions(s));
        assertEquals(s, o.shapeOf(new int[] {60, 120, 106, 66, 64}));
    }

    @Test
    void rejectsBadStrings() {
        assertEquals("axes 't,y,y,ky,kx' names 'y' twice; expected each of t, y, x, ky, kx once",
            assertThrows(IllegalArgumentException.class, () -> AxisOrder.parse("t,y,y,ky,kx")).getMessage());
        assertEquals("axes 't,y,x,ky' names 4 axes; expected the five axes t, y, x, ky, kx separated by commas",
            assertThrows(IllegalArgumentException.class, () -> AxisOrder.parse("t,y,x,ky")).getMessage());
        assertEquals("axes 't,y,x,ky,kz' has an unknown axis 'kz'; expected a permutation of t, y, x, ky, kx",
            assertThrows(IllegalArgumentException.class, () -> AxisOrder.parse("t,y,x,ky,kz")).getMessage());
    }
}
