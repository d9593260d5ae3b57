/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.QRange;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.io.results.ResultsFile;
import org.fivedstem.io.results.SavedAnalysis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze --gain G}: the exact shot-noise correction of V from the command line, recorded in
 * the results file, and refused on data that are not counts × G.
 */
class AnalyzeGainTest {

    @TempDir
    static Path dir;
    /** Counted at 1 e⁻ per pixel per frame at the halo peak, gain 1 (uint16). */
    static SpeckleSimulation counted;
    static Path countedFile;
    /** The same sample noise-free (float32 intensities, fractions of a count). */
    static Path floatFile;

    @BeforeAll
    static void simulate() throws IOException {
        // 64 positions × 12 frames of 48×48 px at 0.25 nm⁻¹: the 3.0–5.8 nm⁻¹ annulus (≈ 1 240 px) lies
        // inside the pattern, with ≈ 0.6 counts per annulus pixel.
        counted = SpeckleSimulation.builder().scan(8, 8).frames(12).patternSize(48, 48).pixelSizeInverseNm(0.25)
            .centerPx(23.5, 23.5).frameIntervalSeconds(9.2).dose(1).tauMedianSeconds(100).seed(11).build();
        countedFile = dir.resolve("counted.h5");
        SimulateCommand.write(counted, countedFile, 1, null);
        floatFile = dir.resolve("noise-free.h5");
        SimulateCommand.write(counted.withDose(0), floatFile, 1, null);
    }

    private static SavedAnalysis analyze(Path input, Path out, String... extra) throws IOException {
        List<String> args = Stream.concat(Stream.of("analyze", input.toString(), "--out", out.toString(), "--threads", "1"),
            Stream.of(extra)).toList();
        FivedstemCommandTest.Run r = FivedstemCommandTest.Run.of(args);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains(extra.length == 0 ? "(not shot-noise corrected)" : "(shot-noise corrected, gain 1 ADU/e⁻)"),
            r.out());
        return ResultsFile.read(out);
    }

    /** Mean and standard error over positions of the estimated minus the expected V. */
    private static double[] bias(ScalarMap v, ScalarMap truth) {
        int n = v.values().length;
        double[] d = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            d[i] = v.values()[i] - truth.values()[i];
            mean += d[i] / n;
        }
        double ss = 0;
        for (double x : d) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(ss / (n - 1) / n)};
    }

    @Test
    void gainCorrectsVToTheNoiseFreeTruthAndIsRecorded() throws IOException {
        SavedAnalysis raw = analyze(countedFile, dir.resolve("raw.h5"));
        SavedAnalysis corrected = analyze(countedFile, dir.resolve("corrected.h5"), "--gain", "1");
        assertFalse(raw.settings().structure().orElseThrow().isShotNoiseCorrected());
        assertEquals(1.0, corrected.settings().structure().orElseThrow().shotNoiseGainAduPerElectron());

        AnnulusMask annulus = AnnulusMask.of(counted.dataset(), QRange.of(3.0, 5.8));
        double[] noiseFree = new double[64];
        double[] withNoise = new double[64];
        for (int p = 0; p < 64; p++) {
            noiseFree[p] = counted.expectedSpeckleVarianceNoiseFree(p / 8, p % 8, annulus);
            withNoise[p] = counted.expectedSpeckleVariance(p / 8, p % 8, annulus);
        }
        ScalarMap truth = ScalarMap.of("V", "", 8, 8, noiseFree, 1, 1);
        ScalarMap truthRaw = ScalarMap.of("V", "", 8, 8, withNoise, 1, 1);
        double meanTruth = truth.mean();
        // Positions have independent noise, so the SE of the mean difference comes from the scatter of
        // the 64 per-position differences (each a mean of 12 frames; frames within a position may be
        // correlated in time, which this SE includes). |mean| ≤ 5 SE: two-sided t(63) false-failure
        // probability ≈ 5e-6. The SE must be small enough that the test would see a 5 % bias.
        double[] c = bias(corrected.maps().speckleVariance(), truth);
        assertTrue(c[1] < 0.01 * meanTruth, "SE " + c[1] + " too large to resolve a 5 % bias of " + meanTruth);
        assertTrue(Math.abs(c[0]) <= 5 * c[1], "corrected mean V − truth = " + c[0] + " ± " + c[1] + " (truth " + meanTruth + ")");
        // Uncorrected, V carries the Poisson term ≈ 1/⟨N⟩: it agrees with the simulator's noisy
        // expectation and lies far above the truth.
        double[] r = bias(raw.maps().speckleVariance(), truth);
        double[] rr = bias(raw.maps().speckleVariance(), truthRaw);
        assertTrue(Math.abs(rr[0]) <= 5 * rr[1], "raw mean V − noisy expectation = " + rr[0] + " ± " + rr[1]);
        assertTrue(r[0] > 0.5 * meanTruth && r[0] > 20 * r[1], "raw V should be biased high: " + r[0] + " on " + meanTruth);
    }

    @Test
    void gainOnFloatIntensitiesIsRefusedAndWritesNothing(@TempDir Path outDir) throws IOException {
        Path out = outDir.resolve("results.h5");
        FivedstemCommandTest.Run r = FivedstemCommandTest.Run.of(List.of("analyze", floatFile.toString(), "--out", out.toString(),
            "--gain", "1", "--figures", outDir.resolve("figs").toString()));
        assertEquals(FivedstemCommand.EXIT_FAILURE, r.exitCode(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("fivedstem analyze: noise-free.h5:/data float32"), r.err());
        assertTrue(r.err().contains("electrons at a gain of 1.0 ADU per electron") && r.err().contains("counts × gain"), r.err());
        assertEquals("", r.out());
        try (Stream<Path> left = Files.list(outDir)) {
            assertEquals(List.of(), left.toList(), "nothing written, not even a temporary file");
        }
        // Without --gain the same file is analysed.
        assertFalse(analyze(floatFile, out).settings().structure().orElseThrow().isShotNoiseCorrected());
    }
}
