/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.results.ResultsFile;
import org.fivedstem.io.results.SavedAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fivedstem analyze} in a forked JVM, as users run it: a recording more than three times larger than
 * the heap must be analysed with bounded memory (the engine streams; memory maps are not heap),
 * and failures must reach the terminal as one line.
 */
class AnalyzeSmallHeapTest {

    private static final String HEAP = "-Xmx64m";
    private static final long HEAP_BYTES = 64L << 20;

    /** Runs the CLI in a fresh JVM with a 64 MiB heap. */
    record Forked(int exitCode, String out, String err) {
        static Forked run(Path workDir, String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"),
                FivedstemCommand.class.getName()));
            cmd.addAll(Arrays.asList(args));
            Path out = workDir.resolve("stdout.txt");
            Path err = workDir.resolve("stderr.txt");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("forked fivedstem did not finish within 5 minutes: " + cmd);
            }
            String o = Files.readString(out, StandardCharsets.UTF_8);
            String e = Files.readString(err, StandardCharsets.UTF_8);
            Files.delete(out);
            Files.delete(err);
            return new Forked(p.exitValue(), o, e);
        }
    }

    @Test
    void analysesARecordingThreeTimesLargerThanTheHeap(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("big.h5");
        // 64 frames × 20 × 22 positions × 66 × 66 uint16 = 245 MB against a 64 MiB heap.
        long t0 = System.nanoTime();
        Shape5D shape = SyntheticRecording.write(input, 64, 20, 22, 20240607L);
        System.out.printf("written in %.1f s%n", (System.nanoTime() - t0) * 1e-9);
        assertTrue(Files.size(input) > 3 * HEAP_BYTES, "recording of " + Files.size(input) + " bytes");
        Path results = dir.resolve("results.h5");

        t0 = System.nanoTime();
        Forked r = Forked.run(dir, "analyze", input.toString(), "--out", results.toString(), "--threads", "2");
        System.out.printf("analysed in %.1f s: %s%n", (System.nanoTime() - t0) * 1e-9, r.out());

        assertEquals(0, r.exitCode(), "stdout: " + r.out() + "\nstderr: " + r.err());
        assertEquals("", r.err(), "no progress bar without a terminal, and nothing else on stderr");
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.out().startsWith(results + ": 20×22 positions × 64 frames"), r.out());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("big.h5", "results.h5"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                "no temporary file left behind");
        }

        SavedAnalysis read = ResultsFile.read(results);
        HeterogeneityMaps maps = read.maps();
        assertEquals(shape.scanY(), maps.scanY());
        assertEquals(shape.scanX(), maps.scanX());
        int positions = shape.positionCount();
        // Each g is estimated from ~210 dynamics pixels × 64 frames of a process whose truth is
        // exactly KWW (β = 1, γ = 1): a fit should converge essentially everywhere.
        assertTrue(maps.count(FitStatus.CONVERGED) >= 0.95 * positions,
            maps.count(FitStatus.CONVERGED) + " of " + positions + " converged");
        double[] ratio = new double[positions];
        int n = 0;
        for (int y = 0; y < maps.scanY(); y++) {
            for (int x = 0; x < maps.scanX(); x++) {
                if (maps.fitStatus(y, x) == FitStatus.CONVERGED) {
                    ratio[n++] = maps.tauSeconds().get(y, x) / SyntheticRecording.tauSeconds(x, maps.scanX());
                }
            }
        }
        Arrays.sort(ratio, 0, n);
        double median = ratio[n / 2];
        // τ estimates scatter by ~20 % per position (measured spread of the ratio: see the message);
        // the median of ≥ 418 of them has SE ≈ 1.25 · 0.2 / √418 ≈ 0.012, so ±0.1 is 8 SE:
        // a false failure is practically impossible, while a wrong time axis, lag or window fails.
        assertTrue(Math.abs(median - 1) < 0.1, "median tau_fit / tau_true " + median
            + " (quartiles " + ratio[n / 4] + ", " + ratio[3 * n / 4] + ")");
        // Exponential intensities: V = 1 per frame with SE ≈ 0.1 from ~1,500 pixels; averaged over
        // 64 frames and 440 positions the mean's SE is well below 0.01, so ±0.05 is > 5 SE.
        double meanV = maps.speckleVariance().mean();
        assertTrue(Math.abs(meanV - 1) < 0.05, "mean V " + meanV);
    }

    @Test
    void missingInputIsOneLineOnStderrAndExitOne(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.h5");
        Forked r = Forked.run(dir, "analyze", dir.resolve("nowhere.h5").toString(), "--out", results.toString());

        assertEquals(1, r.exitCode(), r.err());
        assertEquals(1, r.err().lines().count(), "exactly one line: " + r.err());
        assertTrue(r.err().startsWith("fivedstem analyze: "), r.err());
        assertTrue(r.err().contains("nowhere.h5"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(results));
    }
}
