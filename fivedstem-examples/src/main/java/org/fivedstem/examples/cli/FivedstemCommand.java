/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fivedstem} command line: the entry point of {@code ./fivedstem}.
 *
 * <p>Exit codes: 0 success, 1 failure (bad input, I/O error — reported as one line on stderr,
 * without a stack trace), 2 usage error.
 */
@Command(name = "fivedstem",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Maps of local atomic dynamics (relaxation time tau) and structural order (speckle variance V) in "
            + "glasses from 5D-STEM recordings (scan × time × diffraction), after Nakazawa et al. 2024.",
        ""},
    subcommands = {
        CommandLine.HelpCommand.class,
        AnalyzeCommand.class,
        ConvertCommand.class,
        DemoCommand.class,
        ExploreCommand.class,
        FiguresCommand.class,
        FitCommand.class,
        InfoCommand.class,
        JShellCommand.class,
        SeriesCommand.class,
        SimulateCommand.class,
    },
    footer = {"", "Exit codes: 0 success, 1 failure, 2 usage error. JVM options: set JAVA_OPTS (for example -Xmx2g)."})
public final class FivedstemCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The exit code for bad input or failed I/O. */
    public static final int EXIT_FAILURE = 1;
    /** The exit code for a command line that does not parse. */
    public static final int EXIT_USAGE = 2;

    /**
     * No sub-command: a usage error, so the list of commands goes to stderr with exit code 2 (as
     * {@code git} and most tools do), not to stdout as if something had been asked for.
     */
    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        cl.getErr().println("fivedstem: no command given");
        cl.usage(cl.getErr());
        cl.getErr().flush();
        return EXIT_USAGE;
    }

    /**
     * Builds the command line with the project's error handling:
     *
     * <ul>
     * <li>a command line that does not parse (unknown option, bad value, missing argument, and
     * what a command rejects before it reads anything) prints its message and a pointer to
     * {@code --help} on stderr, as GNU tools do, and exits 2 — not the whole usage help;</li>
     * <li>an exception while running becomes one line on stderr and exit code 1, unless
     * {@code FIVEDSTEM_DEBUG} is set in the environment, which prints the stack trace too;</li>
     * <li>help is wrapped at the terminal's width when stdout is a terminal (picocli's
     * usageHelpAutoWidth), else at 80 columns.</li>
     * </ul>
     *
     * @return the configured command line
     */
    public static CommandLine commandLine() {
        return withErrorHandling(new CommandLine(new FivedstemCommand()));
    }

    /**
     * Gives a command line the project's error handling, as {@link #commandLine()} describes: a usage error
     * is its message and a pointer to {@code --help}, exit 2; a failure one line, exit 1. For commands run
     * by another entry point (fivedstem-spark's {@code analyze}).
     *
     * @param cl the command line
     * @return {@code cl}, configured
     */
    public static CommandLine withErrorHandling(CommandLine cl) {
        cl.setParameterExceptionHandler(FivedstemCommand::usageError);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("fivedstem " + commandLine.getCommandName() + ": " + describe(ex));
            if (System.getenv("FIVEDSTEM_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            err.flush();
            return EXIT_FAILURE;
        });
        // picocli finds the width by running stty on /dev/tty; only worth it when help goes to a terminal
        cl.setUsageHelpAutoWidth(Terminal.stdoutIsTerminal());
        return cl;
    }

    /**
     * Reports a command line that does not parse: its message, picocli's suggestions for a
     * mistyped option or command, and where to find help.
     *
     * @return {@link #EXIT_USAGE}
     */
    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        err.println(name + ": " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + name + " --help' for more information.");
        if (System.getenv("FIVEDSTEM_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.flush();
        return EXIT_USAGE;
    }

    /**
     * @param ex an exception
     * @return its message, or its type when it has none, with the causes' messages when they add something
     */
    static String describe(Throwable ex) {
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        Throwable cause = ex.getCause();
        if (cause != null && cause.getMessage() != null && !msg.contains(cause.getMessage())) {
            msg += " (" + cause.getMessage() + ")";
        }
        return msg;
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
