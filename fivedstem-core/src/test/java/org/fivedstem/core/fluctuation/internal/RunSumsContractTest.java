/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fluctuation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link RunSums} (the scalar one, and the Vector API one, which this module's tests load)
 * keeps the contract the speckle-variance kernel relies on: whole values with Σv² &lt; 2⁵³ give
 * witness 0 and the exact sums (the same numbers from every implementation); a value that is not
 * whole gives a positive witness; a non-finite one NaN.
 */
class RunSumsContractTest {

    static Stream<Arguments> cases() {
        return RunSums.all().stream().flatMap(sums -> SeededCases.of(0x5E5AL, 60, rng -> new Object[] {
            sums, rng.nextInt(0, 3000), rng.nextInt(0, 9), rng.nextInt(0, 5)}));
    }

    @ParameterizedTest(name = "seed {0}: {1}, n={2}, offset {3}, kind {4}")
    @MethodSource("cases")
    void wholeValuesGiveExactSumsAndOthersAreFlagged(long seed, RunSums sums, int n, int offset, int kind) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] a = new double[offset + n + 3];
        long s1 = 0;
        long s2 = 0;
        for (int i = 0; i < n; i++) {
            long v = kind == 1 ? rng.nextInt(-50, 50) : kind == 2 ? rng.nextInt(0, 1 << 20) : rng.nextInt(0, 60);
            a[offset + i] = v;
            s1 += v;
            s2 += v * v;
        }
        double[] out = new double[2];
        if (kind == 3 && n > 0) {
            a[offset + rng.nextInt(n)] += rng.nextBoolean() ? 0.5 : 1e-9;   // one value not whole
            assertTrue(sums.sums(a, offset, offset + n, out) > 0, "witness of a fractional value");
            return;
        }
        if (kind == 4 && n > 0) {
            a[offset + rng.nextInt(n)] = rng.nextBoolean() ? Double.NaN : Double.POSITIVE_INFINITY;
            assertTrue(Double.isNaN(sums.sums(a, offset, offset + n, out)), "witness of a non-finite value");
            return;
        }
        double witness = sums.sums(a, offset, offset + n, out);
        assertEquals(0.0, witness, "whole values");
        assertEquals((double) s1, out[0], "Σv exact");
        assertEquals((double) s2, out[1], "Σv² exact");
    }

    /**
     * The float method is the double method on the widened values, bit for bit, for any input
     * (whole or not, finite or not): the kernel may then take its sums from floats directly.
     */
    @ParameterizedTest(name = "seed {0}: {1}, n={2}, offset {3}, kind {4}")
    @MethodSource("cases")
    void floatInputGivesTheBitsOfTheWidenedDoubles(long seed, RunSums sums, int n, int offset, int kind) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        float[] f = new float[offset + n + 3];
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = switch (kind) {
                case 1 -> rng.nextInt(-50, 50);
                case 2 -> rng.nextInt(0, 1 << 24);
                case 3 -> (float) (rng.nextDouble() * 1000);
                case 4 -> i == offset + n / 2 ? Float.NaN : rng.nextInt(0, 60);
                default -> rng.nextInt(0, 60);
            };
            d[i] = f[i];
        }
        double[] fo = new double[2];
        double[] dOut = new double[2];
        double fw = sums.sums(f, offset, offset + n, fo);
        double dw = sums.sums(d, offset, offset + n, dOut);
        assertEquals(Double.doubleToRawLongBits(dw), Double.doubleToRawLongBits(fw), "witness");
        assertEquals(Double.doubleToRawLongBits(dOut[0]), Double.doubleToRawLongBits(fo[0]), "Σv");
        assertEquals(Double.doubleToRawLongBits(dOut[1]), Double.doubleToRawLongBits(fo[1]), "Σv²");
    }

    @Test
    void theVectorImplementationIsTestedWhenItsModuleIsPresent() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "the tests run with the module");
        assertEquals(2, RunSums.all().size(), RunSums.all().toString());
        assertEquals("PanamaRunSums", RunSums.preferred().getClass().getSimpleName());
    }
}
