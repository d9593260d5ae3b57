/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.fivedstem.examples.cli.FivedstemCommandTest.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through {@code fivedstem analyze}: a specific message on stderr (one line for
 * failures; for usage errors the message and a pointer to --help), exit code 1 or 2, no stack trace,
 * and no output file — not even a partial or temporary one.
 */
class AnalyzeBadInputTest {

    @TempDir
    static Path inputs;
    static Path good;
    static Path notHdf5;
    static Path truncated;
    static Path blank;

    @BeforeAll
    static void writeInputs() throws IOException {
        good = inputs.resolve("good.h5");
        SyntheticRecording.write(good, 16, 3, 3, 7L);
        notHdf5 = inputs.resolve("notes.h5");
        Files.writeString(notHdf5, "these are my notes, not a recording\n", StandardCharsets.UTF_8);
        blank = inputs.resolve("blank.h5");
        org.fivedstem.api.Shape5D shape = org.fivedstem.api.Shape5D.of(8, 2, 2, SyntheticRecording.K, SyntheticRecording.K);
        try (org.fivedstem.io.hdf5.RecordingWriter w = org.fivedstem.io.hdf5.RecordingWriter.create(blank, shape,
            org.fivedstem.io.SampleType.UINT16, org.fivedstem.api.Calibration.builder().frameIntervalSeconds(2).scanStepNm(1)
                .pixelSizeInverseNm(SyntheticRecording.PIXEL_SIZE_INV_NM).centerPx(32.5, 32.5).build())) {
            double[] zeros = new double[8 * SyntheticRecording.K * SyntheticRecording.K];
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 2; x++) {
                    w.writeFrames(y, x, zeros); // the beam never reached the detector
                }
            }
            w.commit();
        }
        truncated = inputs.resolve("truncated.h5");
        Files.copy(good, truncated);
        try (RandomAccessFile f = new RandomAccessFile(truncated.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
    }

    /** Failures (exit 1): a case name, the input, extra options, and text the message must contain. */
    static Stream<Arguments> failures() {
        return Stream.of(
            Arguments.of("missing file", "missing.h5", List.of(), "missing.h5"),
            Arguments.of("not HDF5", "notes.h5", List.of(), "not an HDF5 file"),
            Arguments.of("truncated HDF5", "truncated.h5", List.of(), "truncated.h5"),
            Arguments.of("wrong dataset", "good.h5", List.of("--dataset", "/entry/nope"), "/entry/nope"),
            Arguments.of("mask file missing", "good.h5", List.of("--mask", "nomask.h5"), "nomask.h5"),
            Arguments.of("crop outside the scan", "good.h5", List.of("--crop", "0:2,1:9"), "--crop 0:2,1:9"),
            Arguments.of("fit window beyond the last lag", "good.h5", List.of("--fit-lags", "1:40"), "--fit-lags 1:40"),
            Arguments.of("dynamics annulus outside the pattern", "good.h5", List.of("--dyn-q", "40:41"), "--dyn-q"),
            Arguments.of("bin larger than the pattern", "good.h5", List.of("--bin", "100"), "--bin 100"),
            Arguments.of("blank recording (issue 15)", "blank.h5", List.of(), "holds no counts in any of the 8 frames"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void failureIsOneLineAndExitOne(String name, String input, List<String> options, String mentions,
                                    @TempDir Path outDir) throws IOException {
        Path results = outDir.resolve("results.h5");
        List<String> args = new ArrayList<>(List.of("analyze", inputs.resolve(input).toString(), "--out", results.toString()));
        args.addAll(options.stream().map(o -> o.equals("nomask.h5") ? inputs.resolve(o).toString() : o).toList());

        Run r = Run.of(args);

        assertEquals(FivedstemCommand.EXIT_FAILURE, r.exitCode(), name + ": " + r.err());
        assertEquals(1, r.err().lines().count(), "exactly one line: " + r.err());
        assertTrue(r.err().startsWith("fivedstem analyze: "), r.err());
        assertTrue(r.err().contains(mentions), "should mention '" + mentions + "': " + r.err());
        assertNoStackTrace(r.err());
        assertEquals("", r.out());
        assertNoOutput(outDir);
    }

    /** Usage errors (exit 2): options picocli or the command rejects before any reading. */
    static Stream<Arguments> usageErrors() {
        return Stream.of(
            Arguments.of("no --out", List.of(), "--out"),
            Arguments.of("even pool", List.of("--pool", "2"), "--pool"),
            Arguments.of("zero threads", List.of("--threads", "0"), "--threads"),
            Arguments.of("zero bin", List.of("--bin", "0"), "--bin"),
            Arguments.of("reversed Q range", List.of("--dyn-q", "4.6:4.2"), "--dyn-q"),
            Arguments.of("Q range not numbers", List.of("--struct-q", "three:six"), "--struct-q"),
            Arguments.of("gamma not a number", List.of("--gamma", "stretched"), "--gamma"),
            Arguments.of("crop not Y0:Y1,X0:X1", List.of("--crop", "1-2,3-4"), "--crop"),
            Arguments.of("unknown normalisation", List.of("--normalisation", "baseline"), "--normalisation"),
            Arguments.of("unknown standard-error method", List.of("--stderr", "bootstrap"), "--stderr"),
            Arguments.of("unknown correlator", List.of("--correlator", "wavelet"), "--correlator"),
            Arguments.of("fft with pixel groups", List.of("--correlator", "fft"), "--correlator fft needs --stderr frame-blocks"),
            Arguments.of("multi-tau with frame blocks", List.of("--correlator", "multi-tau", "--stderr", "frame-blocks"),
                "--correlator multi-tau needs"),
            Arguments.of("zero gain", List.of("--gain", "0"), "--gain"),
            Arguments.of("gain not a number", List.of("--gain", "high"), "--gain"),
            Arguments.of("infinite gain", List.of("--gain", "Infinity"), "--gain"),
            Arguments.of("unknown option", List.of("--colour", "red"), "--colour"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void usageErrorNamesTheOptionAndExitsTwo(String name, List<String> options, String mentions, @TempDir Path outDir) {
        List<String> args = new ArrayList<>(List.of("analyze", good.toString()));
        if (!name.equals("no --out")) {
            args.addAll(List.of("--out", outDir.resolve("results.h5").toString()));
        }
        args.addAll(options);

        Run r = Run.of(args);

        assertEquals(FivedstemCommand.EXIT_USAGE, r.exitCode(), name + ": " + r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.contains(mentions), "first line should name " + mentions + ": " + r.err());
        assertNoStackTrace(r.err());
        assertNoOutput(outDir);
    }

    @Test
    void outputIntoAMissingDirectoryFailsWithoutWritingAnything(@TempDir Path outDir) throws IOException {
        Path results = outDir.resolve("no/such/dir/results.h5");
        Run r = Run.of(List.of("analyze", good.toString(), "--out", results.toString(), "--quiet"));

        assertEquals(FivedstemCommand.EXIT_FAILURE, r.exitCode(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertNoStackTrace(r.err());
        assertNoOutput(outDir);
    }

    @Test
    void outputOverTheInputIsRefused() throws IOException {
        long before = Files.size(good);
        Run r = Run.of(List.of("analyze", good.toString(), "--out", good.toString()));

        assertEquals(FivedstemCommand.EXIT_FAILURE, r.exitCode(), r.err());
        assertTrue(r.err().contains("is the input recording"), r.err());
        assertEquals(before, Files.size(good));
    }

    @Test
    void theGoodInputItselfAnalyses(@TempDir Path outDir) {
        // The control: the failures above come from what each case changed, not from the input.
        Path results = outDir.resolve("results.h5");
        Run r = Run.of(List.of("analyze", good.toString(), "--out", results.toString(), "--quiet"));

        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(Files.isRegularFile(results));
    }

    private static void assertNoStackTrace(String err) {
        assertFalse(err.contains("\tat "), "stack trace: " + err);
        assertFalse(err.contains("Exception"), "exception type shown: " + err);
    }

    private static void assertNoOutput(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> left = files.filter(Files::isRegularFile).toList();
            assertEquals(List.of(), left, "nothing may be written on failure");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
