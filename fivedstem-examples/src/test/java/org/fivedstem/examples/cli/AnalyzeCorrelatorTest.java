/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.fivedstem.core.correlation.CorrelationAlgorithm;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.io.results.ResultsFile;
import org.fivedstem.io.results.SavedAnalysis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze --correlator}: the multi-tau route on request writes its lags and records the
 * choice; the default direct route writes every lag. (Invalid combinations are usage errors,
 * {@code AnalyzeBadInputTest}.)
 */
class AnalyzeCorrelatorTest {

    @TempDir
    static Path dir;
    static Path recording;
    static final int FRAMES = 60;

    @BeforeAll
    static void simulate() throws IOException {
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(3, 3).frames(FRAMES).patternSize(32, 32).pixelSizeInverseNm(0.35)
            .frameIntervalSeconds(2).tauMedianSeconds(30).seed(21).build();
        recording = dir.resolve("sixty.h5");
        SimulateCommand.write(sim, recording, 1, null);
    }

    private static SavedAnalysis analyze(String name, String... extra) throws IOException {
        Path out = dir.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("analyze", recording.toString(), "--out", out.toString(),
            "--threads", "1"));
        args.addAll(List.of(extra));
        FivedstemCommandTest.Run r = FivedstemCommandTest.Run.of(args);
        assertEquals(0, r.exitCode(), r.err());
        return ResultsFile.read(out);
    }

    @Test
    void multiTauOnRequestWritesItsLagsAndRecordsTheChoice() throws IOException {
        SavedAnalysis multi = analyze("multi.h5", "--correlator", "multi-tau");
        int[] lagFrames = CorrelationKernel.lagFrames(CorrelationOptions.defaults().withAlgorithm(CorrelationAlgorithm.MULTI_TAU),
            FRAMES);
        double[] expected = new double[lagFrames.length];
        for (int i = 0; i < lagFrames.length; i++) {
            expected[i] = lagFrames[i] * 2.0;
        }
        assertArrayEquals(expected, multi.curves().orElseThrow().lagsSeconds());
        assertEquals(CorrelationAlgorithm.MULTI_TAU, multi.settings().dynamics().orElseThrow().correlation().algorithm());
        assertTrue(lagFrames.length < FRAMES);

        SavedAnalysis direct = analyze("direct.h5");
        assertEquals(FRAMES, direct.curves().orElseThrow().lagCount());
        assertEquals(CorrelationAlgorithm.AUTO, direct.settings().dynamics().orElseThrow().correlation().algorithm());
        // Lags 0 … 15 are the direct route's to the bit: the same g at every position.
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                for (int k = 0; k < 16; k++) {
                    assertEquals(direct.curves().orElseThrow().curve(y, x).values()[k], multi.curves().orElseThrow().curve(y, x).values()[k], 0.0,
                        "g at (" + y + ", " + x + ") lag " + k);
                }
            }
        }
    }
}
