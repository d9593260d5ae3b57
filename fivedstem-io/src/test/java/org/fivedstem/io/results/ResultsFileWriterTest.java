/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ResultsFile.Writer}: curves given in parts, in any order of row runs, then the rest, read back as
 * the same analysis as {@link ResultsFile#write} writes; an unfinished or incomplete writer leaves no file.
 */
class ResultsFileWriterTest {

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return SeededCases.of(0x5173AL, 8, rng -> new Object[] {rng.nextBoolean()});
    }

    /** Writes {@code saved} through the writer, its curves as row runs of random length, in random order. */
    private static void streamed(Path file, SavedAnalysis saved, UniformRandomProvider rng) throws IOException {
        ResultCurves c = saved.curves().orElseThrow();
        int lags = c.lagCount();
        double[] g = c.values();
        double[] e = c.stdErrs();
        List<int[]> runs = new ArrayList<>();
        for (int y = 0; y < c.scanY(); y++) {
            for (int x = 0; x < c.scanX(); ) {
                int n = 1 + rng.nextInt(c.scanX() - x);
                runs.add(new int[] {y, x, n});
                x += n;
            }
        }
        Collections.shuffle(runs, new java.util.Random(rng.nextLong()));
        try (ResultsFile.Writer w = ResultsFile.Writer.open(file, c.scanY(), c.scanX(), c.lagsSeconds())) {
            for (int[] r : runs) {
                w.putCurves(r[0], r[1], r[2], g, e, (r[0] * c.scanX() + r[1]) * lags);
            }
            w.finish(SavedAnalysis.of(saved.maps(), null, saved.settings(), saved.spearman().orElse(null), saved.provenance())
                .withPreparation(saved.preparation()).withProfiles(saved.profiles().orElse(null)));
        }
    }

    @ParameterizedTest(name = "seed {0}: gamma free {1}")
    @MethodSource("cases")
    void curvesInPartsReadBackAsTheWholeWritesThem(long seed, boolean gammaFree) throws IOException {
        UniformRandomProvider rng = SeededCases.rng(seed);
        SavedAnalysis saved = ResultsFileTest.random(rng, true, gammaFree);
        Path whole = dir.resolve("whole.h5");
        Path parts = dir.resolve("parts.h5");
        ResultsFile.write(whole, saved);
        streamed(parts, saved, rng);
        assertEquals(ResultsFile.read(whole), ResultsFile.read(parts));
        // One position's curve, read without the others.
        ResultCurves c = saved.curves().orElseThrow();
        int y = rng.nextInt(c.scanY());
        int x = rng.nextInt(c.scanX());
        CorrelationCurve one = ResultsFile.readCurve(parts, y, x);
        assertArrayEquals(c.curve(y, x).values(), one.values());
        assertArrayEquals(c.curve(y, x).stdErrs(), one.stdErrs());
        assertArrayEquals(c.lagsSeconds(), one.lagsSeconds());
    }

    @Test
    void anIncompleteOrUnfinishedWriterLeavesNoFile() throws IOException {
        SavedAnalysis saved = ResultsFileTest.random(SeededCases.rng(3), true, false);
        ResultCurves c = saved.curves().orElseThrow();
        SavedAnalysis rest = SavedAnalysis.of(saved.maps(), null, saved.settings(), null, saved.provenance());
        Path file = dir.resolve("r.h5");
        try (ResultsFile.Writer w = ResultsFile.Writer.open(file, c.scanY(), c.scanX(), c.lagsSeconds())) {
            if (c.scanY() * c.scanX() > 1) {
                w.putCurves(0, 0, 1, c.values(), c.stdErrs(), 0);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.finish(rest));
                assertTrue(e.getMessage().contains("was not given"), e.getMessage());
            }
            IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> w.putCurves(0, 0, 1, c.values(), c.stdErrs(), 0));
            assertTrue(again.getMessage().contains("given before") || c.scanY() * c.scanX() == 1, again.getMessage());
            assertThrows(IllegalArgumentException.class, () -> w.putCurves(0, 0, c.scanX() + 1, c.values(), c.stdErrs(), 0));
            assertThrows(IllegalArgumentException.class, () -> w.finish(saved), "an analysis with curves is refused");
        }
        assertFalse(Files.exists(file), "no results file from an unfinished writer");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "and no temporary file");
        }
    }
}
