/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation.internal;

/**
 * Derives independent random streams from a user seed and a few integer keys (scan row, column,
 * a stream tag), so that every scan position has its own generator and a simulation is identical
 * for any thread count and any visiting order.
 *
 * <p>The mixing function is the 64-bit finaliser "Mix13" of David Stafford (the one SplitMix64
 * uses). Keys are folded in one at a time, each first spread by the golden-ratio increment, so that
 * neighbouring keys give unrelated states. The result is the 128-bit state of a
 * {@code XO_RO_SHI_RO_128_PP} generator (its native seed, so Commons RNG uses it unchanged). It is
 * never all zero.
 *
 * <p>Hand-written because Commons RNG's seed conversion of a {@code long[]} longer than the native
 * seed is not documented to use every element: keys beyond the second could be dropped.
 */
public final class SeedMixer {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private SeedMixer() {
    }

    /**
     * Stafford's Mix13 finaliser.
     *
     * @param z a value
     * @return the mixed value
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * @param seed the user seed
     * @param keys stream keys, e.g. a tag, scan row and column
     * @return a two-element native seed for {@code XO_RO_SHI_RO_128_PP}
     */
    public static long[] streamSeed(long seed, long... keys) {
        long h = mix(seed + GOLDEN);
        for (int i = 0; i < keys.length; i++) {
            h = mix(h ^ mix(keys[i] + GOLDEN * (i + 2)));
        }
        long s0 = mix(h + GOLDEN);
        long s1 = mix(h + 2 * GOLDEN);
        if (s0 == 0 && s1 == 0) {
            s1 = GOLDEN;
        }
        return new long[] {s0, s1};
    }
}
