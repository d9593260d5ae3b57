/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.ArrayStorage;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.PatternVisitor;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.QRange;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.engine.Analysis;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.fluctuation.SpeckleVariance;
import org.fivedstem.core.fluctuation.VarianceOptions;
import org.fivedstem.core.preparation.PatternStatistics;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The four passes that run on the batch pipeline, failing part-way: the storage's (or the
 * receiver's) {@link IOException} reaches the caller as it is, nothing hangs, and no thread of
 * the library is left running — including, in the analysis, the correlation of the previous block
 * that was running while the failing block was read.
 */
@Timeout(120)
class PipelineCallersTest {

    static final QRange DYN = QRange.of(1.0, 1.6);
    static final QRange STRUCT = QRange.of(0.6, 2.2);
    static final int FRAMES = 48;
    static final int SCAN_Y = 9;
    static final int SCAN_X = 6;
    static final int K = 18;

    /** Every live thread the library made. */
    static List<String> libraryThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
            .filter(n -> n.startsWith(Threads.PREFIX)).collect(Collectors.toList());
    }

    /** A storage that fails after delivering {@code failAfter} patterns (over all its visits). */
    static final class FailingStorage implements PatternStorage {
        final PatternStorage source;
        final int failAfter;
        final IOException failure;
        int delivered;

        FailingStorage(PatternStorage source, int failAfter) {
            this.source = source;
            this.failAfter = failAfter;
            this.failure = new IOException("storage fails after " + failAfter + " patterns");
        }

        @Override
        public Shape5D shape() {
            return source.shape();
        }

        @Override
        public AxisOrder axisOrder() {
            return source.axisOrder();
        }

        @Override
        public String description() {
            return "failing test storage";
        }

        @Override
        public void visit(Selection s, PatternVisitor visitor) throws IOException {
            try {
                source.visit(s, (t, y, x, p) -> {
                    if (delivered++ == failAfter) {
                        throw new StopVisit();
                    }
                    visitor.accept(t, y, x, p);
                });
            } catch (StopVisit e) {
                throw failure;
            }
        }
    }

    /** Unwinds the source's visit to throw the checked failure. */
    static final class StopVisit extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    static Dataset5D recording(long seed, int failAfter) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        Shape5D s = Shape5D.of(FRAMES, SCAN_Y, SCAN_X, K, K);
        double[] v = new double[(int) s.valueCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(0, 40);
        }
        Calibration cal = Calibration.builder().frameIntervalSeconds(1).scanStepNm(0.16).pixelSizeInverseNm(0.2)
            .centerPx((K - 1) / 2.0, (K - 1) / 2.0).temperatureKelvin(640).build();
        return Dataset5D.of(new FailingStorage(ArrayStorage.of(s, v), failAfter), cal);
    }

    static IOException failure(Dataset5D ds) {
        return ((FailingStorage) ds.storage()).failure;
    }

    static Stream<Arguments> cases() {
        int patterns = FRAMES * SCAN_Y * SCAN_X;
        return SeededCases.of(0xCA11L, 12, r -> new Object[] {r.nextInt(1, 4), r.nextInt(0, patterns)});
    }

    @ParameterizedTest(name = "seed {0}: {1} threads, storage fails after {2} patterns")
    @MethodSource("cases")
    void aStorageFailureReachesTheCallerAsItIsAndNoThreadIsLeft(long seed, int threads, int failAfter) {
        Dataset5D ds = recording(seed, failAfter);
        assertSame(failure(ds), assertThrows(IOException.class, () -> PatternStatistics.compute(ds, threads, ProgressListener.NONE)));
        assertEquals(List.of(), libraryThreads(), "after PatternStatistics");

        Dataset5D again = recording(seed, failAfter);
        assertSame(failure(again), assertThrows(IOException.class,
            () -> SpeckleVariance.compute(again, VarianceOptions.defaults().withRange(STRUCT).withThreads(threads))));
        assertEquals(List.of(), libraryThreads(), "after SpeckleVariance");

        // A budget of about four rows: blocks of two rows, each correlated while the next is read.
        int pixels = AnnulusMask.of(ds, DYN).pixelCount();
        long perRow = 8L * SCAN_X * FRAMES * (pixels + 1);
        long workspaces = threads * CorrelationKernel.workspaceBytes(CorrelationOptions.defaults(), FRAMES, pixels);
        Dataset5D third = recording(seed, failAfter);
        Analysis analysis = Analysis.of(third).dynamics(DYN, CorrelationOptions.defaults(), FitOptions.defaults().withGammaFixed(1.0))
            .structure(STRUCT).withThreads(threads).withMemoryBudgetBytes(Math.max(1 << 20, 4 * perRow + workspaces));
        assertSame(failure(third), assertThrows(IOException.class, analysis::run));
        assertEquals(List.of(), libraryThreads(), "after Analysis");
    }

    @ParameterizedTest(name = "seed {0}: {1} threads, receiver fails at position {2}")
    @MethodSource("cases")
    void aReceiversFailureStopsTheSimulatorAndNoThreadIsLeft(long seed, int threads, int failAt) {
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(4, 5).frames(8).patternSize(12, 12).pixelSizeInverseNm(0.4)
            .frameIntervalSeconds(2.0).tauMedianSeconds(10).dose(5).seed(seed).build();
        int at = failAt % 20;
        IOException failure = new IOException("disk full at position " + at);
        int[] delivered = {0};
        assertSame(failure, assertThrows(IOException.class, () -> sim.forEachPosition(threads, (y, x, values) -> {
            assertEquals(delivered[0]++, y * 5 + x, "row-major order");
            if (y * 5 + x == at) {
                throw failure;
            }
        })));
        assertEquals(at + 1, delivered[0], "nothing delivered after the failure");
        assertEquals(List.of(), libraryThreads());
    }
}
