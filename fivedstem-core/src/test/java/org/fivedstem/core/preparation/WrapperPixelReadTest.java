/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.ArrayStorage;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.core.preparation.internal.ShiftedStorage;
import org.fivedstem.core.preparation.internal.ZeroedPatternsStorage;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The preparation views forward pixel-subset reads to their source (so a file storage decodes only
 * the annulus pixels through them too); what they deliver must equal the whole-pattern route's
 * gather, bit for bit, for any selection and pixel subset.
 */
class WrapperPixelReadTest {

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("cases")
    void pixelReadsEqualGatheredWholePatterns(long seed) throws IOException {
        UniformRandomProvider rng = SeededCases.rng(seed);
        int frames = rng.nextInt(2, 6);
        int sy = rng.nextInt(4, 8);
        int sx = rng.nextInt(4, 8);
        int k = rng.nextInt(3, 7);
        Shape5D shape = Shape5D.of(frames, sy, sx, k, k);
        double[] v = new double[(int) shape.valueCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(0, 1000);
        }
        ArrayStorage source = ArrayStorage.of(shape, v);
        BitSet zeroed = new BitSet();
        for (int i = 0; i < frames * sy * sx; i++) {
            if (rng.nextDouble() < 0.2) {
                zeroed.set(i);
            }
        }
        int[] offY = new int[frames];
        int[] offX = new int[frames];
        for (int t = 0; t < frames; t++) {
            offY[t] = rng.nextInt(0, 3);
            offX[t] = rng.nextInt(0, 3);
        }
        List<PatternStorage> views = List.of(new ZeroedPatternsStorage(source, zeroed),
            new ShiftedStorage(source, offY, offX, sy - 2, sx - 2));
        int[] pixels = new int[rng.nextInt(1, k * k + 1)];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rng.nextInt(0, k * k);
        }
        for (PatternStorage view : views) {
            Shape5D vs = view.shape();
            int y0 = rng.nextInt(0, vs.scanY());
            int x0 = rng.nextInt(0, vs.scanX());
            Selection sel = new Selection(rng.nextInt(0, frames), frames, y0, rng.nextInt(y0 + 1, vs.scanY() + 1), x0,
                rng.nextInt(x0 + 1, vs.scanX() + 1));
            List<double[]> whole = new ArrayList<>();
            List<String> wholeAt = new ArrayList<>();
            view.visit(sel, (t, y, x, p) -> {
                double[] g = new double[pixels.length];
                for (int i = 0; i < pixels.length; i++) {
                    g[i] = p[pixels[i]];
                }
                whole.add(g);
                wholeAt.add(t + "," + y + "," + x);
            });
            List<double[]> subset = new ArrayList<>();
            List<String> subsetAt = new ArrayList<>();
            view.visitPixels(sel, pixels, (t, y, x, p) -> {
                subset.add(p.clone());
                subsetAt.add(t + "," + y + "," + x);
            });
            assertEquals(sel.frames() * sel.rows() * sel.columns(), whole.size(), view.description());
            assertEquals(wholeAt, subsetAt, view.description());
            for (int i = 0; i < whole.size(); i++) {
                assertArrayEquals(whole.get(i), subset.get(i), view.description() + " at " + wholeAt.get(i));
            }
        }
    }

    static Stream<Arguments> cases() {
        return SeededCases.seeds(0x77A9L, 20).mapToObj(Arguments::of);
    }
}
