/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.statistics.SpearmanOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A scan analysed in regions ({@link Analysis#onRegion}) and assembled ({@link ResultAssembler}) gives
 * the whole scan's run bit for bit: curves, fits, V, V(Q), maps, Spearman's ρ and the settings.
 */
class ResultAssemblerTest {

    private static final int SCAN_Y = 7;
    private static final int SCAN_X = 5;

    static Stream<Arguments> tilings() {
        // rows per tile, columns per tile, pooling
        return Stream.of(Arguments.of(1, SCAN_X, 1), Arguments.of(3, SCAN_X, 1), Arguments.of(2, 2, 1),
            Arguments.of(3, SCAN_X, 3), Arguments.of(2, 3, 3), Arguments.of(SCAN_Y, SCAN_X, 3));
    }

    private static Analysis analysis(Dataset5D ds, int pooling) {
        return Analysis.of(ds).dynamics(AnalysisTest.DYN, CorrelationOptions.defaults(), FitOptions.defaults().withGammaFixed(1.0))
            .structure(AnnulusMask.of(ds, AnalysisTest.STRUCT, 3)).withPooling(pooling).withThreads(2);
    }

    /** Runs every tile (with its pooling halo) and gives its inner positions to the assembler. */
    private static AnalysisResult tiled(Analysis whole, int rows, int cols, int pooling) throws IOException {
        int halo = (pooling - 1) / 2;
        ResultAssembler asm = null;
        int tiles = 0;
        for (int y0 = 0; y0 < SCAN_Y; y0 += rows) {
            for (int x0 = 0; x0 < SCAN_X; x0 += cols) {
                int y1 = Math.min(SCAN_Y, y0 + rows);
                int x1 = Math.min(SCAN_X, x0 + cols);
                int hy0 = Math.max(0, y0 - halo);
                int hx0 = Math.max(0, x0 - halo);
                AnalysisResult r = whole.onRegion(hy0, Math.min(SCAN_Y, y1 + halo), hx0, Math.min(SCAN_X, x1 + halo))
                    .withSpearman(SpearmanOptions.defaults().withMaxShifts(0)).run();
                // the counters of the inner positions only: the halo's positions are counted by their own tile
                AnalysisResult inner = halo == 0 ? r : whole.onRegion(y0, y1, x0, x1).withPooling(1)
                    .withSpearman(SpearmanOptions.defaults().withMaxShifts(0)).run();
                if (asm == null) {
                    asm = ResultAssembler.of(whole, r.quasiLikelihood());
                }
                asm.addCounts(inner.patternsRead(), inner.blankDynamicsFrames(), inner.excludedStructureFrames());
                double[] v = r.maps().speckleVariance().values();
                int w = r.maps().scanX();
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        CorrelationCurve c = r.curve(y - hy0, x - hx0);
                        asm.curve(y, x, c.values(), c.stdErrs(), c.pairCounts(), 0)
                            .fit(y, x, r.fit(y - hy0, x - hx0))
                            .speckleVariance(y, x, v[(y - hy0) * w + x - hx0], r.speckleVarianceProfile(y - hy0, x - hx0), 0);
                    }
                }
                tiles++;
            }
        }
        return asm.build(tiles, 0, Map.of());
    }

    @ParameterizedTest(name = "{0} rows × {1} columns per tile, pooling {2}")
    @MethodSource("tilings")
    void tilesAssembleToTheWholeScansRun(int rows, int cols, int pooling) throws IOException {
        Dataset5D ds = AnalysisTest.recording(11, 36, SCAN_Y, SCAN_X, 14);
        Analysis whole = analysis(ds, pooling);
        AnalysisResult expected = whole.run();
        AnalysisResult actual = tiled(whole, rows, cols, pooling);
        assertEquals(expected.maps(), actual.maps());
        assertEquals(expected.spearman(), actual.spearman());
        assertEquals(expected.settings(), actual.settings());
        assertArrayEquals(expected.correlationValues(), actual.correlationValues());
        assertArrayEquals(expected.correlationStdErrs(), actual.correlationStdErrs());
        assertArrayEquals(expected.meanSpeckleVarianceProfile(), actual.meanSpeckleVarianceProfile());
        assertEquals(expected.medianCurve(), actual.medianCurve());
        for (int y = 0; y < SCAN_Y; y++) {
            for (int x = 0; x < SCAN_X; x++) {
                assertEquals(expected.curve(y, x), actual.curve(y, x));
                assertEquals(expected.fit(y, x), actual.fit(y, x));
                assertArrayEquals(expected.speckleVarianceProfile(y, x), actual.speckleVarianceProfile(y, x));
            }
        }
        assertEquals(expected.patternsRead(), actual.patternsRead());
        assertEquals(expected.blankDynamicsFrames(), actual.blankDynamicsFrames());
        assertEquals(expected.excludedStructureFrames(), actual.excludedStructureFrames());
        assertEquals(expected.quasiLikelihood(), actual.quasiLikelihood());
        assertTrue(expected.spearman().isPresent());
    }

    @Test
    void refusesMissingAndRepeatedPositions() throws IOException {
        Dataset5D ds = AnalysisTest.recording(12, 24, 2, 2, 14);
        Analysis whole = analysis(ds, 1);
        AnalysisResult r = whole.run();
        ResultAssembler asm = ResultAssembler.of(whole, r.quasiLikelihood());
        CorrelationCurve c = r.curve(0, 0);
        asm.curve(0, 0, c.values(), c.stdErrs(), c.pairCounts(), 0);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
            () -> asm.curve(0, 0, c.values(), c.stdErrs(), c.pairCounts(), 0));
        assertEquals("the curve of position (0, 0) was already given", twice.getMessage());
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
            () -> asm.curve(1, 1, c.values(), c.stdErrs(), c.pairCounts(), 1));
        assertTrue(outside.getMessage().startsWith("curve values [1, 25) do not fit an array of 24"), outside.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> asm.build(1, 0, Map.of()));
        assertEquals("3 of 4 positions have no curve, the first (0, 1)", missing.getMessage());
        // built once, the assembler is used up: its arrays are the result's
        ResultAssembler all = ResultAssembler.of(analysis(ds, 1).withThreads(1), r.quasiLikelihood());
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                CorrelationCurve cc = r.curve(y, x);
                all.curve(y, x, cc.values(), cc.stdErrs(), cc.pairCounts(), 0).fit(y, x, r.fit(y, x))
                    .speckleVariance(y, x, r.maps().speckleVariance().get(y, x), r.speckleVarianceProfile(y, x), 0);
            }
        }
        all.addCounts(r.patternsRead(), r.blankDynamicsFrames(), r.excludedStructureFrames());
        assertEquals(r.maps(), all.build(1, 0, Map.of()).maps());
        IllegalStateException used = assertThrows(IllegalStateException.class, () -> all.fit(0, 0, r.fit(0, 0)));
        assertEquals("the result was built: this assembler is used up", used.getMessage());
    }

    @Test
    void onRegionIsTheCroppedScan() throws IOException {
        Dataset5D ds = AnalysisTest.recording(13, 24, 4, 3, 14);
        Analysis whole = analysis(ds, 1);
        AnalysisResult region = whole.onRegion(1, 3, 1, 3).run();
        AnalysisResult cropped = analysis(ds.crop(1, 3, 1, 3), 1).run();
        assertEquals(cropped.maps(), region.maps());
        assertEquals(cropped.spearman(), region.spearman());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> whole.onRegion(2, 5, 0, 3));
        assertEquals("scanY range [2, 5) is not a non-empty range within [0, 4)", e.getMessage());
    }
}
