package org.fivedstem.examples.cli;

import java.io.PrintWriter;

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
    usageHelpWidth = 100,
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
        FiguresCommand.class,
        FitCommand.class,
        InfoCommand.class,
        SeriesCommand.class,
        SimulateCommand.class,
    },
    footer = {"", "Exit codes: 0 success, 1 failure, 2 usage error. JVM options: set JAVA_OPTS (e.g. -Xmx2g)."})
public final class FivedstemCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The exit code for bad input or failed I/O. */
    public static final int EXIT_FAILURE = 1;
    /** The exit code for a command line that does not parse. */
    public static final int EXIT_USAGE = 2;

    @Override
    public void run() {
        // No sub-command: show what there is.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Builds the command line with the project's error handling: exceptions become one line on
     * stderr and exit code 1, unless {@code FIVEDSTEM_DEBUG} is set in the environment, which
     * prints the stack trace too.
     *
     * @return the configured command line
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new FivedstemCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("fivedstem " + commandLine.getCommandName() + ": " + describe(ex));
            if (System.getenv("FIVEDSTEM_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            err.flush();
            return EXIT_FAILURE;
        });
        return cl;
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
