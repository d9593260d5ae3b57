/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import io.jhdf.checksum.JenkinsLookup3HashLittle;
import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Lookup3Test {

    static Stream<Arguments> inputs() {
        return SeededCases.of(0x100C3L, 60, rng -> new Object[] {rng.nextInt(0, 80)});
    }

    /** Every length 0…79 class (tail lengths 0–12, several 12-byte blocks) against jhdf's implementation. */
    @ParameterizedTest(name = "seed {0}: {1} bytes")
    @MethodSource("inputs")
    void agreesWithJhdf(long seed, int length) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        byte[] b = new byte[length + 3];
        rng.nextBytes(b);
        byte[] slice = java.util.Arrays.copyOfRange(b, 3, b.length);
        assertEquals(JenkinsLookup3HashLittle.hash(slice), Lookup3.hash(b, 3, length));
    }

    @Test
    void knownValueOfEmptyInput() {
        // lookup3.c: hashlittle("", 0, 0) = 0xdeadbeef
        assertEquals(0xdeadbeef, Lookup3.hash(new byte[0], 0, 0));
    }
}
