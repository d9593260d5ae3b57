/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModeWeightsTest {

    static Stream<Arguments> contrasts() {
        return SeededCases.of(0xBE7AL, 60, rng -> new Object[] {ModeWeights.MIN_BETA + (1 - ModeWeights.MIN_BETA) * rng.nextDouble()});
    }

    @ParameterizedTest(name = "seed {0}: beta={1}")
    @MethodSource("contrasts")
    void weightsSumToOneAndSquaresToBeta(long seed, double beta) {
        double[] w = ModeWeights.forContrast(beta);
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (double v : w) {
            assertTrue(v > 0, "weights are positive");
            s1 += v;
            s2 += v * v;
            s3 += v * v * v;
        }
        // Closed form evaluated in double: a few ulps of rounding (at most ~100 terms summed).
        Tolerance.relative(1e-13).because("closed form, rounding only").assertClose(1, s1, "Σ w");
        Tolerance.relative(1e-13).because("closed form, rounding only").assertClose(beta, s2, "Σ w² = β");
        Tolerance.relative(1e-13).because("same weights").assertClose(s3, ModeWeights.sumOfCubes(beta), "Σ w³");
        assertEquals((int) Math.ceil(1 / beta - 1e-9), w.length, "the fewest modes that reach β");
    }

    @Test
    void equalWeightsAtReciprocalIntegers() {
        for (int m = 1; m <= 10; m++) {
            double[] w = ModeWeights.forContrast(1.0 / m);
            assertEquals(m, w.length);
            for (double v : w) {
                Tolerance.relative(1e-12).assertClose(1.0 / m, v, "weight at β = 1/" + m);
            }
        }
    }

    @Test
    void rejectsContrastOutsideRange() {
        assertThrows(IllegalArgumentException.class, () -> ModeWeights.forContrast(0.005));
        assertThrows(IllegalArgumentException.class, () -> ModeWeights.forContrast(1.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModeWeights.forContrast(Double.NaN));
        assertTrue(e.getMessage().contains("beta"), e.getMessage());
    }
}
