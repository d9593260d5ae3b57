/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class FivedstemCommandTest {

    /** Runs the command line in-process and captures its output. */
    record Run(int exitCode, String out, String err) {
        static Run of(String... args) {
            CommandLine cl = FivedstemCommand.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(), err.toString());
        }

        static Run of(List<String> args) {
            return of(args.toArray(String[]::new));
        }
    }

    @Test
    void helpListsSubCommands() {
        Run r = Run.of("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("Commands:"), r.out());
        assertTrue(r.out().contains("help"), r.out());
    }

    @Test
    void noArgumentsIsAUsageErrorOnStderr() {
        Run r = Run.of();
        assertEquals(FivedstemCommand.EXIT_USAGE, r.exitCode());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("fivedstem: no command given\nUsage: fivedstem"), r.err());
        assertTrue(r.err().contains("Commands:"), r.err());
    }

    /** A bad option value: its one-line message and a pointer to --help, on stderr, exit 2; not the whole help. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = ' ', value = {
        "analyze --gamma fre",
        "analyze --dyn-q 4.6:4.2",
        "simulate --scan 24x24",
        "fit --gamma -1",
        "analyze --progress sometimes",
    })
    void aBadValueIsOneLineAndAPointerToHelp(String command, String option, String value) {
        List<String> args = new ArrayList<>(List.of(command));
        if (!command.equals("simulate")) {
            args.add("input.h5");
        }
        if (command.equals("analyze") || command.equals("simulate")) {
            args.addAll(List.of("--out", "never-written.h5"));
        }
        args.addAll(List.of(option, value));
        Run r = Run.of(args.toArray(String[]::new));

        assertEquals(FivedstemCommand.EXIT_USAGE, r.exitCode(), r.err());
        assertEquals("", r.out());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("fivedstem " + command + ": Invalid value for option '" + option + "': '" + value
            + "'"), lines.get(0));
        assertEquals("Try 'fivedstem " + command + " --help' for more information.", lines.get(1));
    }

    @Test
    void aMistypedCommandIsSuggested() {
        Run r = Run.of("anlyze", "x.h5");
        assertEquals(FivedstemCommand.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("Did you mean: fivedstem analyze?"), r.err());
        assertTrue(r.err().endsWith("Try 'fivedstem --help' for more information.\n"), r.err());
    }

    @Test
    void anErrorFoundByTheCommandBeforeReadingIsAUsageErrorToo() {
        Run r = Run.of("analyze", "x.h5", "--out", "y.h5", "--pool", "2");
        assertEquals(FivedstemCommand.EXIT_USAGE, r.exitCode());
        assertEquals(List.of("fivedstem analyze: --pool must be an odd number >= 1: 2",
            "Try 'fivedstem analyze --help' for more information."), r.err().lines().toList());
    }

    /**
     * Help is laid out for the width it is given (the terminal's, found by picocli's
     * usageHelpAutoWidth when stdout is a terminal; 80 columns otherwise): no line is wider, and
     * descriptions are paragraphs that picocli wraps, not lines broken by hand for one width.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"analyze", "convert", "demo", "figures", "fit", "info", "series", "simulate"})
    void helpWrapsAtTheWidthItIsGiven(String command) {
        for (int width : new int[] {60, 80, 132}) {
            CommandLine cl = FivedstemCommand.commandLine();
            CommandLine sub = cl.getSubcommands().get(command);
            sub.setUsageHelpWidth(width);
            String help = sub.getUsageMessage(CommandLine.Help.Ansi.OFF);
            for (String line : help.lines().toList()) {
                assertTrue(line.length() <= width, width + " columns: " + line.length() + ": " + line);
            }
        }
        CommandLine wide = FivedstemCommand.commandLine().getSubcommands().get(command);
        wide.setUsageHelpWidth(2000);
        String[] description = wide.getCommandSpec().usageMessage().description();
        String help = wide.getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertTrue(help.contains(description[0]), "the first paragraph on one line at 2000 columns: " + help);
        assertEquals(80, FivedstemCommand.commandLine().getUsageHelpWidth(), "without a terminal");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = Run.of("--no-such-option");
        assertEquals(FivedstemCommand.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("Unknown option: '--no-such-option'"), r.err());
    }

    @Test
    void failuresAreOneLine() {
        assertEquals("boom (cause)", FivedstemCommand.describe(new IllegalStateException("boom", new RuntimeException("cause"))));
        assertEquals("NullPointerException", FivedstemCommand.describe(new NullPointerException()));
    }
}
