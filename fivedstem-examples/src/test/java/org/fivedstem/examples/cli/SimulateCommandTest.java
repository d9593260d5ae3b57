/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.fivedstem.examples.cli.FivedstemCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


/** {@code fivedstem simulate}: nothing overwritten by surprise, nothing left behind when interrupted. */
class SimulateCommandTest {

    @TempDir
    Path dir;

    private static final String[] SMALL = {"--scan", "2,3", "--frames", "4", "--k", "16", "--pixel-size", "0.5"};

    private static String[] args(Path out, String... more) {
        return Stream.of(new String[] {"simulate", "--out", out.toString()}, SMALL, more).flatMap(Stream::of)
            .toArray(String[]::new);
    }

    @Test
    void anExistingFileIsRefusedUnlessForced() throws IOException {
        Path out = dir.resolve("scan633.h5");
        Files.writeString(out, "a real recording", StandardCharsets.UTF_8);

        Run refused = Run.of(args(out));
        assertEquals(FivedstemCommand.EXIT_FAILURE, refused.exitCode(), refused.err());
        assertEquals("fivedstem simulate: " + out + " already exists; give --force to replace it, or another --out\n",
            refused.err().replace("\r", ""));
        assertEquals("a real recording", Files.readString(out, StandardCharsets.UTF_8), "untouched");

        Run forced = Run.of(args(out, "--force"));
        assertEquals(0, forced.exitCode(), forced.err());
        assertTrue(forced.out().startsWith(out + ": "), forced.out());
        assertTrue(Files.size(out) > 1000, "replaced by the simulated recording");
        assertEquals(List.of("scan633.h5"), names(dir), "no temporary file left");
    }

    /**
     * Ctrl-C in the middle of a large simulation: the child JVM is sent SIGINT (what a terminal's
     * Ctrl-C sends) or SIGTERM ({@link Process#destroy()}) once its hidden {@code .part} file exists,
     * and must leave neither the temporary file nor the target behind.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SIGINT", "SIGTERM"})
    void anInterruptedRunRemovesItsTemporaryFile(String signal) throws Exception {
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "POSIX signals");
        Path out = dir.resolve("big.h5");
        // The paper's default size: 3.3 GB, minutes to write; interrupted within a second or two.
        Process p = ForkedCli.start(dir, Map.of(), "simulate", "--out", out.toString(), "--threads", "1");
        Path part = waitForPart(p, out);
        if (signal.equals("SIGINT")) {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -INT");
        } else {
            p.destroy();
        }
        ForkedCli.Result r = ForkedCli.finish(p, dir);

        assertNotEquals(0, r.exitCode(), "interrupted: " + r.out() + r.err());
        assertTrue(Files.notExists(part), part + " should have been deleted on " + signal);
        assertEquals(List.of(), names(dir), "neither the target nor a temporary file");
    }

    /** Waits until the child has created its temporary file and started filling it. */
    private Path waitForPart(Process p, Path out) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "simulate ended before it was interrupted: " + readErr());
            try (Stream<Path> files = Files.list(dir)) {
                Path part = files.filter(f -> f.getFileName().toString().startsWith("." + out.getFileName() + ".")
                    && f.getFileName().toString().endsWith(".part")).findFirst().orElse(null);
                if (part != null && Files.size(part) > 1 << 20) {
                    return part;
                }
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError("no growing .part file within 60 s: " + names(dir));
    }

    private String readErr() throws IOException {
        return Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
    }

    /** The files in a folder, without the forked run's stdout.txt and stderr.txt. */
    static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.equals("stdout.txt") && !n.equals("stderr.txt"))
                .sorted().toList();
        }
    }
}
