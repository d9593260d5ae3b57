/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.io.FrameMapping;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.Recordings;

/**
 * What the readers' fuzz tests share: write the fuzzer's bytes as a file, open it as a recording
 * and read every pattern. The property is that bad input is a {@link RecordingException} and
 * nothing else — no other exception, no {@link OutOfMemoryError} from a claimed size, no hang.
 *
 * <p>The fuzz tests run in two ways. {@code mvn verify} runs each once in Jazzer's regression mode
 * (the seeds and every finding kept in {@code src/test/resources/…/<Test>Inputs/<method>/}) with
 * the other tests, then fuzzes each for a bounded time in a JVM of its own (the {@code fuzz-*}
 * executions of the io module's pom: Jazzer fuzzes one test per JVM). A finding fails the build;
 * its input, written to the module folder as {@code crash-…}, is moved into the Inputs folder once
 * fixed, where it stays as a regression case.
 */
final class Fuzzing {

    /** Options that make any frame count a valid stream (1 × 1 scan) and supply the calibration. */
    static final OpenOptions OPTIONS = OpenOptions.defaults().withFrameMapping(FrameMapping.scan(1, 1))
        .withFrameIntervalSeconds(1).withScanStepNm(1).withPixelSizeInverseNm(0.1).withCenterPx(1, 1);

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("fivedstem-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var s = Files.list(DIR)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.deleteIfExists(p);
                }
                Files.deleteIfExists(DIR);
            } catch (IOException e) {
                // temporary files of a test run: the OS cleans them
            }
        }));
    }

    private Fuzzing() {
    }

    /**
     * Writes files, opens the first as a recording and reads every pattern.
     *
     * @param files file name → content; the first entry is opened
     * @throws IOException if writing the files fails (not a finding of the reader)
     */
    static void openAndRead(Map<String, byte[]> files) throws IOException {
        Path first = null;
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path p = DIR.resolve(e.getKey());
            Files.write(p, e.getValue());
            if (first == null) {
                first = p;
            }
        }
        try (Dataset5D ds = Recordings.open(first, OPTIONS)) {
            double[] sum = {0};
            ds.forEachPattern((t, y, x, p) -> sum[0] += p[0]);
        } catch (RecordingException expected) {
            // bad input, reported as it should be
        }
    }
}
