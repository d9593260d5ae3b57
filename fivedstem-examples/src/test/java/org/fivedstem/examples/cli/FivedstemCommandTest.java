package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
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
    }

    @Test
    void helpListsSubCommands() {
        Run r = Run.of("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("Commands:"), r.out());
        assertTrue(r.out().contains("help"), r.out());
    }

    @Test
    void noArgumentsPrintsUsage() {
        Run r = Run.of();
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("Usage: fivedstem"), r.out());
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
