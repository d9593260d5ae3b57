/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.fivedstem.examples.cli.FivedstemCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * When the progress bar is drawn: when stderr is a terminal (auto), always or never as forced,
 * never with {@code --quiet} or {@code --silent}; and {@code --quiet} keeps the result line on
 * stdout while {@code --silent} drops it too.
 */
class ProgressBarCliTest {

    @TempDir
    Path dir;

    private String[] simulate(String name, String... more) {
        List<String> a = new ArrayList<>(List.of("simulate", "--out", dir.resolve(name).toString(),
            "--scan", "3,3", "--frames", "4", "--k", "16", "--pixel-size", "0.5", "--threads", "1"));
        a.addAll(Arrays.asList(more));
        return a.toArray(String[]::new);
    }

    @Test
    void progressAlwaysDrawsTheBarAndClearsIt() {
        Run r = Run.of(simulate("a.h5", "--progress", "always"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("\rsimulating  ["), r.err());
        assertTrue(r.err().contains("] 100% 9/9"), r.err());
        assertTrue(r.err().matches("(?s).*\r +\r"), "ends by blanking the line: " + r.err().replace("\r", "\\r"));
        assertFalse(r.err().contains("\n"), "a bar never adds lines");
        assertEquals(1, r.out().lines().count(), r.out());
    }

    /** The engine's stages (reading and correlating at once, then statistics) as a terminal would show them. */
    @Test
    void analyzeShowsItsStagesOnOneLineAndLeavesItClean() throws Exception {
        Path input = dir.resolve("rec.h5");
        SyntheticRecording.write(input, 16, 3, 3, 7L);
        Run r = Run.of("analyze", input.toString(), "--out", dir.resolve("maps.h5").toString(), "--progress", "always",
            "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("\rreading     ["), r.err());
        assertTrue(r.err().contains("\rcorrelating ["), r.err());
        assertFalse(r.err().contains("\n"), "a bar never adds lines");
        for (String frame : r.err().split("\r")) {
            assertTrue(frame.length() <= 79, "narrower than an 80-column terminal: " + frame);
        }
        ProgressBarTest.Line terminal = new ProgressBarTest.Line(80);
        terminal.write(r.err());
        assertEquals("", terminal.visible(), "the line is blank when the result prints");
        assertEquals(1, r.out().lines().count(), r.out());
    }

    @Test
    void quietKeepsTheResultLineAndSilentDropsIt() {
        Run never = Run.of(simulate("n.h5", "--progress", "never"));
        assertEquals("", never.err());
        assertEquals(1, never.out().lines().count(), never.out());

        Run quiet = Run.of(simulate("q.h5", "--progress", "always", "--quiet"));
        assertEquals(0, quiet.exitCode(), quiet.err());
        assertEquals("", quiet.err(), "--quiet wins over --progress always");
        assertTrue(quiet.out().startsWith(dir.resolve("q.h5") + ": "), quiet.out());
        assertEquals(1, quiet.out().lines().count(), quiet.out());

        Run silent = Run.of(simulate("s.h5", "--silent"));
        assertEquals(0, silent.exitCode(), silent.err());
        assertEquals("", silent.out());
        assertEquals("", silent.err());
        assertTrue(Files.isRegularFile(dir.resolve("s.h5")));
    }

    @Test
    void aBadProgressValueIsAUsageError() {
        Run r = Run.of(simulate("b.h5", "--progress", "sometimes"));
        assertEquals(FivedstemCommand.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("'sometimes' is not one of auto, always, never"), r.err());
    }

    /** Auto, stderr into a file: no carriage-return frames in it; FIVEDSTEM_PROGRESS=always forces them. */
    @Test
    void aRedirectedStderrGetsNoBarUnlessForcedByTheEnvironment() throws Exception {
        ForkedCli.Result auto = ForkedCli.run(dir, Map.of("FIVEDSTEM_PROGRESS", "auto"), simulate("auto.h5"));
        assertEquals(0, auto.exitCode(), auto.err());
        assertEquals("", auto.err(), "nothing but errors in a redirected stderr");
        assertEquals(1, auto.out().lines().count(), auto.out());

        ForkedCli.Result forced = ForkedCli.run(dir, Map.of("FIVEDSTEM_PROGRESS", "always"), simulate("forced.h5"));
        assertEquals(0, forced.exitCode(), forced.err());
        assertTrue(forced.err().contains("\rsimulating"), forced.err());
    }

    /**
     * Auto with stderr on a real terminal (a pseudo-terminal made by util-linux {@code script}) and
     * stdout redirected to a file — where {@code System.console()} is null — draws the bar.
     */
    @Test
    void aTerminalStderrGetsTheBarEvenWithStdoutRedirected() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")) && Files.isDirectory(Path.of("/proc/self/fd")),
            "util-linux script and /proc (Linux)");
        Path stdout = dir.resolve("stdout-file.txt");
        String cmd = ForkedCli.command(simulate("tty.h5")).stream().map(ProgressBarCliTest::quote)
            .collect(Collectors.joining(" ")) + " > " + quote(stdout.toString());
        Path typescript = dir.resolve("typescript.txt");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/script", "-q", "-e", "-c", cmd, "/dev/null")
            .redirectOutput(typescript.toFile()).redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("FIVEDSTEM_PROGRESS", "auto");
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "script finished");
        String terminal = Files.readString(typescript, StandardCharsets.UTF_8);
        assumeTrue(p.exitValue() == 0 || !terminal.contains("fivedstem"), "script could not make a terminal here: " + terminal);
        assertEquals(0, p.exitValue(), terminal);
        assertTrue(terminal.contains("\rsimulating  ["), "the bar on the terminal: " + terminal.replace("\r", "\\r"));
        String result = Files.readString(stdout, StandardCharsets.UTF_8);
        assertTrue(result.startsWith(dir.resolve("tty.h5") + ": "), "the result line in the file: " + result);
        assertFalse(result.contains("\r"), result);
    }

    /** Single-quotes a word for sh. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
