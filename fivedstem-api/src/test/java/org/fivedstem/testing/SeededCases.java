/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.testing;

import java.util.function.Function;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Seeded random cases for property tests: JUnit 5 {@code @ParameterizedTest}s fed by
 * {@code @MethodSource}, the way Apache Commons tests its samplers (no property-testing framework).
 *
 * <p>Every case starts with its seed, so the test's display name shows it (use
 * {@code name = "seed {0}: …"}) and a failure replays with {@link #rng(long)}:
 *
 * <pre>{@code
 * static Stream<Arguments> kwwCases() {
 *     return SeededCases.of(0x5EEDL, 50, rng -> new Object[] {rng.nextDouble(0.05, 0.5), ...});
 * }
 *
 * @ParameterizedTest(name = "seed {0}: beta={1}")
 * @MethodSource("kwwCases")
 * void recoversBeta(long seed, double beta, ...) { ... }
 * }</pre>
 */
public final class SeededCases {

    private SeededCases() {
    }

    /**
     * The generator used by all tests: XO_RO_SHI_RO_128_PP, fast with good statistical quality.
     *
     * @param seed the seed
     * @return a generator seeded with it
     */
    public static UniformRandomProvider rng(long seed) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    }

    /**
     * Seeds of {@code count} cases derived from a base seed; the same base gives the same seeds.
     *
     * @param baseSeed the base seed of the property
     * @param count number of cases
     * @return the seeds
     */
    public static LongStream seeds(long baseSeed, int count) {
        UniformRandomProvider r = rng(baseSeed);
        return LongStream.generate(r::nextLong).limit(count);
    }

    /**
     * Cases for a parameterized test: each is {@code (seed, generated...)}, where the generated
     * arguments are drawn from a generator seeded with {@code seed}.
     *
     * @param baseSeed the base seed of the property
     * @param count number of cases
     * @param generator draws one case's arguments (after the seed) from its generator
     * @return the arguments, seed first
     */
    public static Stream<Arguments> of(long baseSeed, int count, Function<UniformRandomProvider, Object[]> generator) {
        return seeds(baseSeed, count).mapToObj(seed -> {
            Object[] drawn = generator.apply(rng(seed));
            Object[] all = new Object[drawn.length + 1];
            all[0] = seed;
            System.arraycopy(drawn, 0, all, 1, drawn.length);
            return Arguments.of(all);
        });
    }
}
