/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;

import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScalarMapTest {

    static final double NaN = Double.NaN;

    @Test
    void summariesIgnoreNaN() {
        ScalarMap m = ScalarMap.of("tau_s", "s", 2, 3, new double[] {1, NaN, 4, 2, 8, NaN}, 0.16, 0.16);
        assertEquals(4, m.validCount());
        assertEquals(3.75, m.mean());
        assertEquals(3, m.median()); // (2 + 4)/2
        assertEquals(Math.pow(1 * 4 * 2 * 8, 0.25), m.geometricMean(), 1e-15);
        assertEquals(1, m.min());
        assertEquals(8, m.max());
        // type 7: h = 3·0.25 = 0.75 between sorted[0] = 1 and sorted[1] = 2
        assertEquals(1.75, m.quantile(0.25));
        assertEquals(NaN, m.get(0, 1));
        assertEquals("ScalarMap[tau_s, 2×3, step 0.1600 nm, 4 valid: median 3.000 s, range 1.000–8.000 s]", m.toString());
    }

    @Test
    void geometricMeanNeedsPositiveValues() {
        assertTrue(Double.isNaN(ScalarMap.of("v", "", 1, 2, new double[] {-1, 2}, 1, 1).geometricMean()));
        ScalarMap empty = ScalarMap.empty("V", "", 2, 2, 1, 1);
        assertEquals(0, empty.validCount());
        assertTrue(Double.isNaN(empty.mean()));
        assertTrue(Double.isNaN(empty.median()));
    }

    @Test
    void validates() {
        assertEquals("values has length 5, expected 6",
            assertThrows(IllegalArgumentException.class, () -> ScalarMap.of("x", "", 2, 3, new double[5], 1, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScalarMap.of("x", "", 1, 1, new double[1], 1, 1).quantile(1.5));
    }

    static Stream<Arguments> randomMaps() {
        return SeededCases.of(0x5CA1A4L, 40, rng -> {
            int n = 1 + rng.nextInt(200);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextInt(5) == 0 ? NaN : rng.nextDouble() * 10;
            }
            return new Object[] {v, rng.nextDouble()};
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("randomMaps")
    void quantileMatchesNumpyDefinition(long seed, double[] values, double p) {
        ScalarMap m = ScalarMap.of("x", "", 1, values.length, values, 1, 1);
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            assertTrue(Double.isNaN(m.quantile(p)));
            return;
        }
        // numpy.quantile(method="linear"): index (n − 1)·p, linear interpolation.
        double h = (sorted.length - 1) * p;
        int lo = (int) h;
        double expected = lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
        Tolerance.absolute(1e-12).assertClose(expected, m.quantile(p), "quantile");
        assertTrue(m.quantile(p) >= m.min() && m.quantile(p) <= m.max());
    }
}
