/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Selection;
import org.fivedstem.io.testing.Fixtures;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Dataset5D#forEachPattern(Selection, int[], org.fivedstem.api.PatternVisitor)}: the
 * selected pixels, in the order asked for, must equal those picked from whole patterns — bit for
 * bit, in the same pattern order — for every layout, sample type and byte order the readers know
 * (contiguous storages decode the subset from the stored bytes; the others gather).
 */
class PixelSubsetTest {

    /** Each pattern as (t, y, x, values) in delivery order. */
    private static List<double[]> viaWholePatterns(Dataset5D ds, Selection part, int[] pixels) throws IOException {
        List<double[]> out = new ArrayList<>();
        ds.forEachPattern(part, (t, y, x, p) -> {
            double[] row = new double[3 + pixels.length];
            row[0] = t;
            row[1] = y;
            row[2] = x;
            for (int i = 0; i < pixels.length; i++) {
                row[3 + i] = p[pixels[i]];
            }
            out.add(row);
        });
        return out;
    }

    private static List<double[]> viaSubset(Dataset5D ds, Selection part, int[] pixels) throws IOException {
        List<double[]> out = new ArrayList<>();
        ds.forEachPattern(part, pixels, (t, y, x, v) -> {
            assertEquals(pixels.length, v.length);
            double[] row = new double[3 + pixels.length];
            row[0] = t;
            row[1] = y;
            row[2] = x;
            System.arraycopy(v, 0, row, 3, pixels.length);
            out.add(row);
        });
        return out;
    }

    /**
     * The float path ({@link Dataset5D#forEachPatternAsFloat}): each pattern's values where its
     * claim put them (here with a gap before and after each pattern, which must stay untouched),
     * widened back to double.
     */
    private static List<double[]> viaFloat(Dataset5D ds, Selection part, int[] pixels) throws IOException {
        int n = pixels.length;
        int stride = n + 2;
        int count = (int) part.patternCount();
        float[] buffer = new float[count * stride];
        java.util.Arrays.fill(buffer, -1);
        List<int[]> coords = new ArrayList<>();
        ds.forEachPatternAsFloat(part, pixels, new org.fivedstem.api.FloatPixelSink() {
            @Override
            public int claim(int t, int y, int x) {
                coords.add(new int[] {t, y, x});
                return (coords.size() - 1) * stride + 1;
            }

            @Override
            public float[] array() {
                return buffer;
            }
        });
        List<double[]> out = new ArrayList<>();
        for (int k = 0; k < coords.size(); k++) {
            double[] row = new double[3 + n];
            row[0] = coords.get(k)[0];
            row[1] = coords.get(k)[1];
            row[2] = coords.get(k)[2];
            for (int i = 0; i < n; i++) {
                row[3 + i] = buffer[k * stride + 1 + i];
            }
            assertEquals(-1, buffer[k * stride], "gap before pattern " + k);
            assertEquals(-1, buffer[k * stride + 1 + n], "gap after pattern " + k);
            out.add(row);
        }
        return out;
    }

    /** A seeded random subset of pixel indices in random order, with a repeat. */
    private static int[] pixels(UniformRandomProvider rng, int patternSize) {
        int n = rng.nextInt(1, patternSize);
        int[] p = new int[n + 1];
        for (int i = 0; i < n; i++) {
            p[i] = rng.nextInt(patternSize);
        }
        p[n] = p[0];
        return p;
    }

    private static void assertSame(Dataset5D ds, long seed) throws IOException {
        UniformRandomProvider rng = SeededCases.rng(seed);
        var s = ds.shape();
        int f0 = rng.nextInt(s.frames());
        int y0 = rng.nextInt(s.scanY());
        int x0 = rng.nextInt(s.scanX());
        Selection part = new Selection(f0, rng.nextInt(f0 + 1, s.frames() + 1), y0, rng.nextInt(y0 + 1, s.scanY() + 1),
            x0, rng.nextInt(x0 + 1, s.scanX() + 1));
        int[] px = pixels(rng, s.patternSize());
        List<double[]> expected = viaWholePatterns(ds, part, px);
        List<double[]> got = viaSubset(ds, part, px);
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), got.get(i), "pattern " + i + " of " + part + ", " + ds.storage().description());
        }
        // Counts that float holds exactly are also delivered as float, the same values; others refuse.
        if (ds.countLimit().isPresent() && ds.countLimit().getAsLong() <= org.fivedstem.api.PatternStorage.FLOAT_EXACT_LIMIT) {
            List<double[]> floats = viaFloat(ds, part, px);
            assertEquals(expected.size(), floats.size());
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), floats.get(i), "float pattern " + i + " of " + part + ", " + ds);
            }
        } else {
            assertThrows(IllegalStateException.class, () -> viaFloat(ds, part, px), ds.toString());
        }
    }

    static Stream<Arguments> layouts() {
        return RecordingsTest.hdf5Fixtures().map(a -> Arguments.of(a.get()[0], a.get()[1]));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("layouts")
    void everyLayoutDeliversTheSamePixels(String name, OpenOptions o) throws IOException {
        try (Dataset5D ds = Recordings.open(Fixtures.path(name), o)) {
            for (long seed = 1; seed <= 4; seed++) {
                assertSame(ds, seed);
            }
            // views: a crop (selection offsets) and a binning (subset of the binned patterns)
            assertSame(ds.crop(1, ds.shape().scanY(), 1, ds.shape().scanX()), 5);
            assertSame(ds.bin(2), 6);
        }
    }

    static Stream<Arguments> types() {
        return Stream.of(SampleType.values()).flatMap(t -> Stream.of(Arguments.of(t, ""), Arguments.of(t, "_be")));
    }

    @ParameterizedTest(name = "{0}{1}")
    @MethodSource("types")
    void everyTypeInEitherByteOrder(SampleType type, String suffix) throws IOException {
        try (Dataset5D ds = Recordings.open(Fixtures.path("types.h5"), OpenOptions.defaults().withDatasetPath("/" + type + suffix))) {
            assertSame(ds, 11);
            assertSame(ds, 12);
        }
    }

    /**
     * Unsigned integer storages declare their values whole counts up to the type's maximum (what
     * lets the engine keep them in float); signed and floating-point ones declare nothing. Binning
     * B × B multiplies the bound by B², and every delivered value lies within it.
     */
    @ParameterizedTest(name = "{0}{1}")
    @MethodSource("types")
    void unsignedTypesDeclareTheirCountLimit(SampleType type, String suffix) throws IOException {
        try (Dataset5D ds = Recordings.open(Fixtures.path("types.h5"), OpenOptions.defaults().withDatasetPath("/" + type + suffix))) {
            java.util.OptionalLong limit = ds.storage().countLimit();
            boolean counts = !type.isSigned() && !type.isFloatingPoint();
            assertEquals(counts, limit.isPresent(), type + ": " + limit);
            if (counts) {
                assertEquals((long) type.maxValue(), limit.getAsLong());
                assertEquals(java.util.OptionalLong.of(4 * limit.getAsLong()), ds.bin(2).countLimit());
                ds.forEachPattern((t, y, x, p) -> {
                    for (double v : p) {
                        assertTrue(v >= 0 && v <= limit.getAsLong() && v == Math.rint(v), type + " value " + v);
                    }
                });
            } else {
                assertTrue(ds.countLimit().isEmpty());
            }
        }
    }

    @Test
    void indicesOutsideThePatternAreRejected() throws IOException {
        try (Dataset5D ds = Recordings.open(Fixtures.path("raw_layout_uint16.h5"))) {
            int size = ds.shape().patternSize();
            Selection all = new Selection(0, 1, 0, 1, 0, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ds.forEachPattern(all, new int[] {0, size}, (t, y, x, v) -> { }));
            assertTrue(e.getMessage().contains("pixelIndices[1] is outside [0, " + size + "): " + size), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ds.forEachPattern(all, new int[] {-1}, (t, y, x, v) -> { }));
        }
    }
}
