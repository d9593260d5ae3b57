/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code fivedstem} in a child JVM, as users run it: its own stdin, stdout and stderr (here files,
 * so not terminals), its own signals and shutdown hooks.
 */
final class ForkedCli {

    private ForkedCli() {
    }

    /**
     * A finished run.
     *
     * @param exitCode the process's exit code
     * @param out what it wrote on stdout
     * @param err what it wrote on stderr
     */
    record Result(int exitCode, String out, String err) { }

    /** @return the command that starts the CLI in a JVM with the test class path and a small heap */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), FivedstemCommand.class.getName()));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /**
     * Starts the CLI with stdout and stderr redirected to {@code workDir/stdout.txt} and
     * {@code workDir/stderr.txt}.
     *
     * @param workDir a folder for the output files
     * @param env extra environment variables
     * @param args the arguments
     * @return the running process
     * @throws IOException if it cannot be started
     */
    static Process start(Path workDir, Map<String, String> env, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args))
            .redirectOutput(workDir.resolve("stdout.txt").toFile())
            .redirectError(workDir.resolve("stderr.txt").toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /**
     * Waits for a process from {@link #start} and collects its output (the files are deleted).
     *
     * @param p the process
     * @param workDir its folder
     * @return what it did
     */
    static Result finish(Process p, Path workDir) throws IOException, InterruptedException {
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("forked fivedstem did not finish within 2 minutes");
        }
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /**
     * Runs the CLI to the end.
     *
     * @param workDir a folder for the output files
     * @param env extra environment variables
     * @param args the arguments
     * @return what it did
     */
    static Result run(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return finish(start(workDir, env, args), workDir);
    }
}
