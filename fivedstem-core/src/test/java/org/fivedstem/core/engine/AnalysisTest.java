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
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.ArrayStorage;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.PatternVisitor;
import org.fivedstem.api.QRange;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.fitting.DynamicsMapper;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.fluctuation.SpeckleVariance;
import org.fivedstem.core.fluctuation.VarianceOptions;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine against the per-part mappers (same kernels, independent plumbing), and its
 * determinism over threads, memory budgets and storage orders.
 */
class AnalysisTest {

    static final QRange DYN = QRange.of(1.0, 1.6);
    static final QRange STRUCT = QRange.of(0.6, 2.2);

    /**
     * A small recording of exponential speckle (one mode) whose pixels decorrelate as AR(1) with a
     * per-position τ, counted with Poisson noise — enough structure for fits to converge. The
     * equality tests below do not depend on its statistics.
     */
    static Dataset5D recording(long seed, int frames, int sy, int sx, int k) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        Shape5D s = Shape5D.of(frames, sy, sx, k, k);
        float[] v = new float[(int) s.valueCount()];
        int n = k * k;
        double[] re = new double[n];
        double[] im = new double[n];
        for (int y = 0; y < sy; y++) {
            for (int x = 0; x < sx; x++) {
                double tau = 20 * Math.exp(0.5 * rng.nextDouble() - 0.25 + 0.1 * x);
                double r = Math.exp(-1 / tau);
                double q = Math.sqrt(1 - r * r);
                for (int t = 0; t < frames; t++) {
                    for (int p = 0; p < n; p++) {
                        double a = gauss(rng);
                        double b = gauss(rng);
                        re[p] = t == 0 ? a : r * re[p] + q * a;
                        im[p] = t == 0 ? b : r * im[p] + q * b;
                        double intensity = 50 * (re[p] * re[p] + im[p] * im[p]) / 2;
                        v[(int) ((((long) t * sy + y) * sx + x) * n + p)] = poisson(rng, intensity);
                    }
                }
            }
        }
        Calibration cal = Calibration.builder().frameIntervalSeconds(1).scanStepNm(0.16).pixelSizeInverseNm(0.2)
            .centerPx((k - 1) / 2.0, (k - 1) / 2.0).temperatureKelvin(640).build();
        return Dataset5D.of(ArrayStorage.of(s, v), cal);
    }

    static double gauss(UniformRandomProvider rng) {
        // Box–Muller: enough for a test field.
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    static float poisson(UniformRandomProvider rng, double mean) {
        double l = Math.exp(-mean);
        if (mean > 30) {
            return (float) Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss(rng)));
        }
        int k = 0;
        double p = rng.nextDouble();
        while (p > l) {
            k++;
            p *= rng.nextDouble();
        }
        return k;
    }

    static Analysis paperLike(Dataset5D ds) {
        return Analysis.of(ds)
            .dynamics(DYN, CorrelationOptions.defaults(), FitOptions.defaults().withGammaFixed(1.0))
            .structure(STRUCT);
    }

    @Test
    void mapsEqualThePerPartMappers() throws IOException {
        Dataset5D ds = recording(1, 40, 4, 5, 14);
        AnalysisResult r = paperLike(ds).withThreads(2).run();
        DynamicsMapper.Result dyn = DynamicsMapper.of(CorrelationOptions.defaults(), FitOptions.defaults().withGammaFixed(1.0))
            .withThreads(1).map(ds, AnnulusMask.of(ds, DYN), null);
        HeterogeneityMaps m = r.maps();
        assertArrayEquals(dyn.maps().tauSeconds().values(), m.tauSeconds().values());
        assertArrayEquals(dyn.maps().betaError().values(), m.betaError().values());
        assertArrayEquals(dyn.maps().fitStatusCodes(), m.fitStatusCodes());
        assertEquals(dyn.curve(2, 3), r.curve(2, 3));
        double[] v = SpeckleVariance.compute(ds, VarianceOptions.defaults().withRange(STRUCT).withThreads(1)).variance().values();
        assertArrayEquals(v, m.speckleVariance().values());
        assertTrue(m.count(org.fivedstem.api.FitStatus.CONVERGED) > 10, m.toString());
        assertEquals(640, m.temperatureKelvin().getAsDouble());
        assertEquals(40L * 20, r.patternsRead());
        assertTrue(r.spearman().isPresent());
        assertEquals(1, r.blockCount());
    }

    @Test
    void bitIdenticalForThreadsBudgetsAndPooling() throws IOException {
        Dataset5D ds = recording(2, 32, 5, 4, 14);
        long perRow = 8L * 4 * 32 * AnnulusMask.of(ds, DYN).pixelCount();
        // pooling 1 fits inside the correlation tasks, pooling 3 after the pass
        for (int pooling : new int[] {1, 3}) {
            AnalysisResult one = paperLike(ds).withThreads(1).withPooling(pooling).run();
            for (int threads : new int[] {2, 3}) {
                for (long budget : new long[] {1L << 30, Math.max(1 << 20, perRow)}) {
                    AnalysisResult r = paperLike(ds).withThreads(threads).withPooling(pooling).withMemoryBudgetBytes(budget).run();
                    String where = "pooling " + pooling + ", threads " + threads + ", budget " + budget;
                    assertEquals(one.maps(), r.maps(), where);
                    assertArrayEquals(one.correlationValues(), r.correlationValues(), where);
                    assertEquals(one.spearman(), r.spearman(), where);
                }
            }
        }
    }

    @Test
    void smallBudgetSplitsIntoRowBlocks() throws IOException {
        // 1 MiB for kept data (beyond the two threads' correlation workspaces) with ~3 MiB of kept
        // series forces several blocks; results unchanged.
        Dataset5D ds = recording(3, 64, 6, 8, 20);
        long workspaces = 2 * org.fivedstem.core.correlation.CorrelationKernel.workspaceBytes(CorrelationOptions.defaults(), 64,
            AnnulusMask.of(ds, DYN).pixelCount());
        AnalysisResult whole = paperLike(ds).withThreads(2).run();
        AnalysisResult blocked = paperLike(ds).withThreads(2).withMemoryBudgetBytes((1 << 20) + workspaces).run();
        assertTrue(blocked.blockCount() > 1, "blocks: " + blocked.blockCount());
        assertEquals(whole.maps(), blocked.maps());
    }

    @Test
    void perFrameVarianceIsFoldedBlockByBlock() throws IOException {
        // V(Q) in 3 rings: each block's per-frame V (and per-ring V) is folded into the time
        // averages before the next block is read; the averages must not depend on the blocks.
        Dataset5D ds = recording(5, 48, 9, 6, 18);
        AnnulusMask rings = AnnulusMask.of(ds, STRUCT, 3);
        long perRow = 8L * 6 * 48 * (AnnulusMask.of(ds, DYN).pixelCount() + 1 + 3);
        Analysis analysis = Analysis.of(ds).dynamics(DYN, CorrelationOptions.defaults(), FitOptions.defaults().withGammaFixed(1.0))
            .structure(rings);
        AnalysisResult whole = analysis.withThreads(2).run();
        AnalysisResult blocked = analysis.withThreads(2).withMemoryBudgetBytes(Math.max(1 << 20, 8 * perRow)).run();
        AnalysisResult rowByRow = analysis.withThreads(1).withMemoryBudgetBytes(Math.max(1 << 20, perRow)).run();
        assertEquals(1, whole.blockCount());
        assertTrue(blocked.blockCount() >= 2 && blocked.blockCount() < 9 && rowByRow.blockCount() == 9,
            blocked.blockCount() + " and " + rowByRow.blockCount() + " blocks");
        for (AnalysisResult r : List.of(blocked, rowByRow)) {
            assertEquals(whole.maps(), r.maps());
            assertArrayEquals(whole.meanSpeckleVarianceProfile(), r.meanSpeckleVarianceProfile());
            for (int y = 0; y < 9; y++) {
                for (int x = 0; x < 6; x++) {
                    assertArrayEquals(whole.speckleVarianceProfile(y, x), r.speckleVarianceProfile(y, x));
                }
            }
        }
    }

    @Test
    void overlappedReadingAndCorrelatingGiveTheSameBits() throws IOException {
        // A budget of 4 rows' series with 2 threads: blocks of 2 rows, each correlated while the
        // next is read (two blocks in flight). One thread reads and correlates in turn.
        Dataset5D ds = recording(4, 48, 9, 6, 18);
        // kept per row: the dynamics series and the per-frame V (one Q bin); the budget is first
        // charged with the two correlation threads' workspaces
        int pixels = AnnulusMask.of(ds, DYN).pixelCount();
        long perRow = 8L * 6 * 48 * (pixels + 1);
        long workspaces = 2 * org.fivedstem.core.correlation.CorrelationKernel.workspaceBytes(CorrelationOptions.defaults(),
            48, pixels);
        long budget = Math.max(1 << 20, 4 * perRow + workspaces);
        int rowsFit = (int) ((budget - workspaces) / perRow);
        AnalysisResult serial = paperLike(ds).withThreads(1).withMemoryBudgetBytes(budget).run();
        AnalysisResult overlapped = paperLike(ds).withThreads(2).withMemoryBudgetBytes(budget).run();
        AnalysisResult whole = paperLike(ds).withThreads(2).run();
        int rows = Math.min(rowsFit / 2, (9 + 3) / 4);
        assertEquals((9 + rows - 1) / rows, overlapped.blockCount(), "blocks of half the budget's rows");
        assertTrue(overlapped.blockCount() >= 3, "blocks: " + overlapped.blockCount());
        assertEquals(whole.maps(), overlapped.maps());
        assertEquals(serial.maps(), overlapped.maps());
        assertArrayEquals(whole.correlationValues(), overlapped.correlationValues());
        assertArrayEquals(whole.correlationStdErrs(), overlapped.correlationStdErrs());
        assertEquals(whole.spearman(), overlapped.spearman());
        // Unpooled, each position is fitted inside its correlation task: no separate fitting stage.
        assertEquals(java.util.List.of("reading", "correlating", "maps", "statistics"),
            java.util.List.copyOf(overlapped.stageSeconds().keySet()), overlapped.stageSeconds().toString());
    }

    /** The same values stored position-major (y, x, t, ky, kx). */
    static final class PositionMajor implements PatternStorage {
        final Dataset5D inner;

        PositionMajor(Dataset5D inner) {
            this.inner = inner;
        }

        @Override
        public Shape5D shape() {
            return inner.shape();
        }

        @Override
        public AxisOrder axisOrder() {
            return AxisOrder.parse("y,x,t,ky,kx");
        }

        @Override
        public String description() {
            return "position-major test storage";
        }

        @Override
        public void visit(Selection s, PatternVisitor visitor) throws IOException {
            for (int y = s.yStart(); y < s.yEnd(); y++) {
                for (int x = s.xStart(); x < s.xEnd(); x++) {
                    for (int t = s.frameStart(); t < s.frameEnd(); t++) {
                        visitor.accept(t - s.frameStart(), y - s.yStart(), x - s.xStart(), inner.readPattern(t, y, x));
                    }
                }
            }
        }
    }

    @Test
    void storageOrderDoesNotMatter() throws IOException {
        Dataset5D ds = recording(4, 30, 3, 4, 14);
        Dataset5D pm = Dataset5D.of(new PositionMajor(ds), ds.calibration());
        assertEquals(paperLike(ds).run().maps(), paperLike(pm).withThreads(2).run().maps());
    }

    @Test
    void partsRunAlone() throws IOException {
        Dataset5D ds = recording(5, 24, 2, 3, 14);
        AnalysisResult s = Analysis.of(ds).structure(AnnulusMask.of(ds, STRUCT, 4)).run();
        assertTrue(s.hasStructure() && !s.hasDynamics());
        assertEquals(4, s.speckleVarianceProfile(1, 2).length);
        assertEquals(4, s.meanSpeckleVarianceProfile().length);
        assertTrue(s.spearman().isEmpty());
        assertThrows(IllegalStateException.class, () -> s.curve(0, 0));
        AnalysisResult d = Analysis.of(ds).dynamics(DYN, CorrelationOptions.defaults(), FitOptions.defaults()).run();
        assertTrue(d.hasDynamics() && !d.maps().hasStructure());
        assertTrue(d.medianCurve().isPresent());
        assertThrows(IllegalStateException.class, () -> Analysis.of(ds).run());
    }

    @ParameterizedTest(name = "pooling {0}")
    @ValueSource(ints = {1, 3})
    void progressIsReportedInOrder(int pooling) throws IOException {
        Dataset5D ds = recording(6, 20, 2, 2, 14);
        List<String> stages = new ArrayList<>();
        long[] lastRead = {0};
        paperLike(ds).withThreads(2).withPooling(pooling).withProgress((stage, done, total, bytes) -> {
            if (stages.isEmpty() || !stages.get(stages.size() - 1).equals(stage)) {
                stages.add(stage);
            }
            if (stage.equals("reading")) {
                assertTrue(done >= lastRead[0] && done <= total);
                lastRead[0] = done;
            }
        }).run();
        // Unpooled fits run inside the correlation tasks (reported as "correlating"); pooled ones
        // need the neighbours' g and form their own stage after the pass.
        assertEquals(pooling == 1 ? List.of("reading", "correlating", "statistics")
            : List.of("reading", "correlating", "fitting", "statistics"), stages);
        assertEquals(80, lastRead[0]);
    }

    @Test
    void rejectsMismatchedAnnulusAndTinyBudget() {
        Dataset5D ds = recording(7, 8, 2, 2, 14);
        Dataset5D binned = ds.bin(2);
        AnnulusMask wrong = AnnulusMask.of(ds, DYN);
        assertEquals("dynamics annulus was built for 14×14 patterns, but the dataset's patterns are 7×7",
            assertThrows(IllegalArgumentException.class,
                () -> Analysis.of(binned).dynamics(wrong, CorrelationOptions.defaults(), FitOptions.defaults())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Analysis.of(ds).withMemoryBudgetBytes(1000));
        assertThrows(IllegalArgumentException.class, () -> Analysis.of(ds).withPooling(2));
    }
}
