/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.ArrayStorage;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.PatternVisitor;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.fitting.FitOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's lean data path (issue 17): recordings of whole counts whose binned values stay at
 * or below 2²⁴ are reduced and kept in {@code float}; everything must come out bit for bit as on
 * the {@code double} path, which the others (32-bit counts, floating-point data, sums that may pass
 * 2²⁴) keep.
 */
class FloatSeriesTest {

    /** Counts of a declared range, as the io module's unsigned integer storages declare them. */
    static final class Counts implements PatternStorage {
        final PatternStorage inner;
        final long limit;
        final String type;

        Counts(PatternStorage inner, long limit, String type) {
            this.inner = inner;
            this.limit = limit;
            this.type = type;
        }

        @Override
        public Shape5D shape() {
            return inner.shape();
        }

        @Override
        public AxisOrder axisOrder() {
            return inner.axisOrder();
        }

        @Override
        public String description() {
            return type + " test counts";
        }

        @Override
        public void visit(Selection s, PatternVisitor visitor) throws IOException {
            inner.visit(s, visitor);
        }

        @Override
        public OptionalLong countLimit() {
            return OptionalLong.of(limit);
        }

        @Override
        public String toString() {
            return description();
        }
    }

    /**
     * AnalysisTest's speckle recording, its counts scaled and clipped to a stored type's range, so
     * that (for 16 bits) many values sit near the top of the range.
     */
    static Dataset5D counts(long seed, int frames, int sy, int sx, int k, String type) {
        Dataset5D base = AnalysisTest.recording(seed, frames, sy, sx, k);
        Shape5D s = base.shape();
        float[] v = new float[(int) s.valueCount()];
        int[] i = {0};
        long limit = type.equals("uint8") ? 255 : type.equals("uint16") ? 65535 : 0xFFFF_FFFFL;
        double scale = type.equals("uint8") ? 2 : type.equals("uint16") ? 600 : 1;
        try {
            base.forEachPattern((t, y, x, p) -> {
                for (double d : p) {
                    v[i[0]++] = (float) Math.min(limit, Math.rint(d * scale));
                }
            });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return Dataset5D.of(new Counts(ArrayStorage.of(s, v), limit, type), base.calibration());
    }

    static Stream<Arguments> cases() {
        return Stream.of(
            Arguments.of("uint8", 1, false, 1, 1, Double.NaN),
            Arguments.of("uint16", 1, false, 1, 2, Double.NaN),
            Arguments.of("uint16", 2, false, 1, 2, Double.NaN),
            Arguments.of("uint16", 1, true, 3, 2, Double.NaN),
            Arguments.of("uint8", 2, true, 3, 3, Double.NaN),
            Arguments.of("uint8", 1, false, 3, 2, 1.0),
            Arguments.of("uint16", 1, true, 1, 1, 3.0));
    }

    @ParameterizedTest(name = "{0}, bin {1}, mask {2}, {3} rings, {4} threads, gain {5}")
    @MethodSource("cases")
    void floatPathGivesTheDoublePathsBits(String type, int bin, boolean masked, int rings, int threads, double gain)
        throws IOException {
        Dataset5D ds = counts(11 + bin + rings, 40, 12, 6, 28 * bin, type).bin(bin);   // 28 × 28 patterns
        if (masked) {
            int k = ds.shape().kx();
            boolean[] valid = new boolean[k * k];
            java.util.Arrays.fill(valid, true);
            for (int p = 0; p < valid.length; p += 7) {
                valid[p] = false;   // a sprinkling of dead pixels, in both annuli
            }
            ds = ds.withMask(DetectorMask.of(k, k, valid));
        }
        assertTrue(StreamingPass.narrowable(ds), ds.toString());
        AnnulusMask structure = AnnulusMask.of(ds, AnalysisTest.STRUCT, rings);
        Analysis analysis = Analysis.of(ds).dynamics(AnalysisTest.DYN, CorrelationOptions.defaults(),
            FitOptions.defaults().withGammaFixed(1.0)).structure(structure, gain).withThreads(threads);
        assertSameBits(analysis.run(false), analysis.run(true), type);
        // several blocks (overlapped with two threads), and fits after pooling
        int pixels = AnnulusMask.of(ds, AnalysisTest.DYN).pixelCount();
        long workspaces = threads * org.fivedstem.core.correlation.CorrelationKernel.workspaceBytes(
            CorrelationOptions.defaults(), 40, pixels);
        // 1 MiB (the least budget) for the kept data: about half of the scan's 12 rows
        Analysis blocked = analysis.withMemoryBudgetBytes(workspaces + (1 << 20));
        AnalysisResult narrowBlocked = blocked.run(true);
        // (binned 2 × 2, the annuli hold a quarter of the pixels and the scan fits the least budget)
        assertTrue(bin > 1 || narrowBlocked.blockCount() > 1, "blocks: " + narrowBlocked.blockCount());
        assertSameBits(analysis.run(false), narrowBlocked, type + " in blocks");
        assertSameBits(analysis.withPooling(3).run(false), analysis.withPooling(3).run(true), type + " pooled");
    }

    static void assertSameBits(AnalysisResult expected, AnalysisResult actual, String where) {
        assertEquals(expected.maps(), actual.maps(), where);
        assertArrayEquals(expected.correlationValues(), actual.correlationValues(), where);
        assertArrayEquals(expected.correlationStdErrs(), actual.correlationStdErrs(), where);
        assertArrayEquals(expected.meanSpeckleVarianceProfile(), actual.meanSpeckleVarianceProfile(), where);
        for (int y = 0; y < expected.maps().scanY(); y++) {
            for (int x = 0; x < expected.maps().scanX(); x++) {
                assertArrayEquals(expected.speckleVarianceProfile(y, x), actual.speckleVarianceProfile(y, x), where);
                assertEquals(expected.fit(y, x), actual.fit(y, x), where);
            }
        }
        assertEquals(expected.spearman(), actual.spearman(), where);
        assertEquals(expected.excludedStructureFrames(), actual.excludedStructureFrames(), where);
        assertEquals(expected.blankDynamicsFrames(), actual.blankDynamicsFrames(), where);
    }

    @Test
    void theBoundIsTheStoredMaximumTimesTheBinnedPixels() {
        // 2²⁴ itself is a float; 2²⁴ + 1 is not. 65536 × 16² = 2²⁴ stays on the float path.
        Shape5D s = Shape5D.of(2, 1, 1, 32, 32);
        Dataset5D u16 = Dataset5D.of(new Counts(ArrayStorage.of(s, new float[(int) s.valueCount()]), 65535, "uint16"),
            AnalysisTest.recording(1, 2, 1, 1, 14).calibration());
        assertTrue(StreamingPass.narrowable(u16));
        assertTrue(StreamingPass.narrowable(u16.bin(16)), "65535 × 256 < 2²⁴");
        Dataset5D edge = Dataset5D.of(new Counts(ArrayStorage.of(s, new float[(int) s.valueCount()]), 65536, "edge"),
            u16.calibration());
        assertTrue(StreamingPass.narrowable(edge.bin(16)), "65536 × 256 = 2²⁴");
        Dataset5D over = Dataset5D.of(new Counts(ArrayStorage.of(s, new float[(int) s.valueCount()]), 65537, "over"),
            u16.calibration());
        assertFalse(StreamingPass.narrowable(over.bin(16)), "65537 × 256 > 2²⁴");
        assertFalse(StreamingPass.narrowable(counts(1, 4, 1, 1, 14, "uint32")), "32-bit counts");
        assertFalse(StreamingPass.narrowable(AnalysisTest.recording(1, 4, 1, 1, 14)), "no declared bound (float data)");
    }

    @Test
    void sumsBeyondTwoToTheTwentyFourTakeTheExactPath() throws IOException {
        // 32-bit counts around 2²⁴ + 1, which float cannot hold: the pass keeps doubles, and the
        // results differ from those of the values rounded to float.
        Dataset5D base = counts(21, 30, 3, 3, 20, "uint16");
        Shape5D s = base.shape();
        double[] big = new double[(int) s.valueCount()];
        double[] rounded = new double[big.length];
        int[] i = {0};
        base.forEachPattern((t, y, x, p) -> {
            for (double d : p) {
                big[i[0]] = (1 << 24) + 1 + 2 * d;   // odd: every value off the float grid
                rounded[i[0]] = (float) big[i[0]];
                i[0]++;
            }
        });
        Dataset5D exact = Dataset5D.of(new Counts(ArrayStorage.of(s, big), 0xFFFF_FFFFL, "uint32"), base.calibration());
        Dataset5D lossy = Dataset5D.of(ArrayStorage.of(s, rounded), base.calibration());
        assertFalse(StreamingPass.narrowable(exact));
        Analysis a = Analysis.of(exact).dynamics(AnalysisTest.DYN, CorrelationOptions.defaults(),
            FitOptions.defaults().withGammaFixed(1.0)).structure(AnalysisTest.STRUCT);
        AnalysisResult r = a.run(true);
        assertSameBits(a.run(false), r, "uint32 beyond 2²⁴");
        AnalysisResult l = Analysis.of(lossy).dynamics(AnalysisTest.DYN, CorrelationOptions.defaults(),
            FitOptions.defaults().withGammaFixed(1.0)).structure(AnalysisTest.STRUCT).run(false);
        assertNotEquals(l.maps().speckleVariance(), r.maps().speckleVariance(), "float rounding would have changed V");
    }

    @Test
    void excludedPatternsAndWholeStepDriftKeepTheFloatPath() throws IOException {
        // The views that deliver the source's values (or zeros) unchanged pass its count limit on;
        // the analysis through them gives the double path's bits.
        Dataset5D ds = counts(31, 30, 6, 5, 28, "uint16");
        java.util.BitSet excluded = new java.util.BitSet();
        for (int i = 3; i < 30 * 6 * 5; i += 17) {
            excluded.set(i);
        }
        Dataset5D zeroed = Dataset5D.of(new org.fivedstem.core.preparation.internal.ZeroedPatternsStorage(ds.storage(), excluded),
            ds.calibration());
        int[] offY = new int[30];
        int[] offX = new int[30];
        for (int t = 0; t < 30; t++) {
            offY[t] = t / 12;
            offX[t] = (t / 8) % 2;
        }
        Dataset5D shifted = Dataset5D.of(new org.fivedstem.core.preparation.internal.ShiftedStorage(ds.storage(), offY, offX, 4, 4),
            ds.calibration());
        for (Dataset5D view : java.util.List.of(zeroed, shifted)) {
            assertEquals(OptionalLong.of(65535), view.countLimit(), view.toString());
            assertTrue(StreamingPass.narrowable(view));
            Analysis a = Analysis.of(view).dynamics(AnalysisTest.DYN, CorrelationOptions.defaults(),
                FitOptions.defaults().withGammaFixed(1.0)).structure(AnalysisTest.STRUCT).withThreads(2);
            assertSameBits(a.run(false), a.run(true), view.toString());
        }
    }
}
