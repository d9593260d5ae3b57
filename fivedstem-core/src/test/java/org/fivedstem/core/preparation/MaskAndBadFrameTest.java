/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.QRange;
import org.fivedstem.api.Shape5D;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.engine.Analysis;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MaskAndBadFrameTest {

    static SpeckleSimulation sim(long seed) {
        return SpeckleSimulation.builder().scan(6, 5).frames(12).seed(seed).tauMedianSeconds(60).build();
    }

    static Stream<Arguments> seeds() {
        return SeededCases.of(0x3A5CL, 6, r -> new Object[0]);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aCleanRecordingLosesOnlyItsBeamStop(long seed) throws IOException {
        SpeckleSimulation sim = sim(seed);
        Dataset5D ds = Dataset5D.of(sim.storage(), sim.calibration()); // no mask given: the shadow must be found
        PatternStatistics stats = PatternStatistics.compute(ds, ProgressListener.NONE);
        PreparedMask m = MaskFinder.defaults().find(stats, null);
        DetectorMask truth = sim.detectorMask();
        int extra = 0;
        for (int i = 0; i < 66 * 66; i++) {
            // Every shadowed pixel is masked; unmasked ones are only the 1-px growth around it.
            assertTrue(truth.isValid(i) || !m.beamStop().isValid(i), "shadow pixel " + i + " not masked");
            if (truth.isValid(i) && !m.beamStop().isValid(i)) {
                extra++;
                double r = Math.hypot(i / 66 - 32.5, i % 66 - 32.5) * 0.23;
                assertTrue(r < 1.0 + 1.5 * 0.23, "masked pixel " + i + " at |Q| " + r + " is beyond the grown shadow");
            }
        }
        assertTrue(extra > 0 && extra < 40, "grown by " + extra);
        assertEquals(0, m.hotPixels(), m::toString);
        assertEquals(0, m.deadPixels(), m::toString);
        FrameExclusion bad = BadFrameDetector.defaults().detect(stats);
        assertEquals(0, bad.excludedCount(), bad::toString);
    }

    @Test
    void findsInjectedFaultsAndNothingElse() throws IOException {
        SpeckleSimulation sim = sim(11);
        Shape5D s = sim.shape();
        UniformRandomProvider rng = SeededCases.rng(11);
        Set<Integer> hot = new TreeSet<>();
        Set<Integer> dead = new TreeSet<>();
        while (hot.size() < 6) {
            hot.add(pixelOutsideShadow(sim, rng));
        }
        while (dead.size() < 4) {
            int p = pixelOutsideShadow(sim, rng);
            if (!hot.contains(p)) {
                dead.add(p);
            }
        }
        int stuckPixel = 40 * 66 + 50;
        int per = s.positionCount();
        Set<Integer> blankPatterns = new TreeSet<>();
        for (int i = 0; i < per; i++) {
            blankPatterns.add(3 * per + i); // frame 3 blanked whole
        }
        blankPatterns.add(7 * per + 4);
        Set<Integer> flashes = Set.of(5 * per + 2, 9 * per + 17);
        CorruptedStorage bad = new CorruptedStorage(sim.storage(), hot, 3.0, dead, Map.of(stuckPixel, 7.0), blankPatterns,
            flashes, 2.0);
        Dataset5D ds = Dataset5D.of(bad, sim.calibration());
        PatternStatistics stats = PatternStatistics.compute(ds, ProgressListener.NONE);
        FrameExclusion ex = BadFrameDetector.defaults().detect(stats);
        assertEquals(per + 1, ex.count(FrameExclusion.Reason.BLANK), ex::toString);
        assertEquals(2, ex.count(FrameExclusion.Reason.FLASH), ex::toString);
        assertEquals(0, ex.count(FrameExclusion.Reason.DIM), ex::toString);
        assertEquals(FrameExclusion.Reason.FLASH, ex.reason(5, 0, 2));
        assertEquals(FrameExclusion.Reason.FLASH, ex.reason(9, 3, 2));
        assertArrayEquals(new int[] {3}, ex.badFrames());
        // The mean pattern without the bad patterns, then the mask.
        PatternStatistics clean = stats.without(ds, ex);
        assertEquals(s.patternCount() - per - 3, clean.patternCount());
        PreparedMask m = MaskFinder.defaults().find(clean, DetectorMask.allValid(66, 66));
        for (int i = 0; i < 66 * 66; i++) {
            assertEquals(!hot.contains(i), m.hot().isValid(i), "hot pixel " + i);
            boolean isDead = dead.contains(i) || i == stuckPixel;
            assertEquals(!isDead, m.dead().isValid(i), "dead pixel " + i);
        }
        assertEquals(6, m.hotPixels());
        assertEquals(5, m.deadPixels());
        assertEquals(66 * 66 - m.beamStopPixels() - 11, m.mask().validCount(), m::toString);
    }

    @Test
    void excludedPatternsAreBlankToTheKernels() throws IOException {
        // Flashes excluded through the view give exactly the result of the recording whose flashed
        // patterns were blanked at the source: the kernels see zeros either way.
        SpeckleSimulation sim = sim(5);
        int per = sim.shape().positionCount();
        Set<Integer> flashes = Set.of(2 * per + 7, 6 * per + 7, 8 * per + 20);
        Dataset5D flashed = Dataset5D.of(new CorruptedStorage(sim.storage(), Set.of(), 1, Set.of(), Map.of(), Set.of(),
            flashes, 4.0), sim.calibration()).withMask(sim.detectorMask());
        Dataset5D blanked = Dataset5D.of(new CorruptedStorage(sim.storage(), Set.of(), 1, Set.of(), Map.of(), flashes,
            Set.of(), 1), sim.calibration()).withMask(sim.detectorMask());
        FrameExclusion ex = BadFrameDetector.defaults().detect(PatternStatistics.compute(flashed, ProgressListener.NONE));
        assertEquals(3, ex.count(FrameExclusion.Reason.FLASH), ex::toString);
        AnalysisResult a = run(ex.applyTo(flashed));
        AnalysisResult b = run(blanked);
        assertEquals(3, a.blankDynamicsFrames());
        assertEquals(3, a.excludedStructureFrames());
        assertArrayEquals(b.correlationValues(), a.correlationValues());
        assertArrayEquals(b.maps().speckleVariance().values(), a.maps().speckleVariance().values());
        // Exclusion applies to whole recordings only.
        assertThrows(IllegalArgumentException.class, () -> ex.applyTo(flashed.crop(0, 2, 0, 2)));
    }

    private static AnalysisResult run(Dataset5D ds) throws IOException {
        return Analysis.of(ds).dynamics(QRange.of(4.2, 4.6), CorrelationOptions.defaults(), FitOptions.defaults().withGammaFixed(1))
            .structure(QRange.of(3.0, 5.8)).withThreads(1).run();
    }

    private static int pixelOutsideShadow(SpeckleSimulation sim, UniformRandomProvider rng) {
        while (true) {
            int i = 2 + rng.nextInt(62);
            int j = 2 + rng.nextInt(62);
            if (Math.hypot(i - 32.5, j - 32.5) * 0.23 > 1.8) {
                return i * 66 + j;
            }
        }
    }
}
