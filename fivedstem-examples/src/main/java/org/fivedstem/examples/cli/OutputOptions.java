/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.PrintWriter;
import java.util.Locale;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What a command prints besides its files, shared by the commands that show progress: a progress
 * bar on stderr ({@code --progress}, {@code --quiet}) and the result summary on stdout
 * ({@code --silent}). Errors are printed whatever these say.
 *
 * <p>The bar is drawn when stderr is a terminal ({@link Terminal}), so a redirected or piped
 * stderr never receives carriage-return frames; {@code --progress always} draws it anyway and
 * {@code never} not at all. The environment variable {@code FIVEDSTEM_PROGRESS} sets the default.
 */
public final class OutputOptions {

    /** When to draw the progress bar. */
    enum Progress {
        /** When stderr is a terminal. */
        AUTO,
        /** Always, even into a file or pipe. */
        ALWAYS,
        /** Never. */
        NEVER
    }

    @Option(names = "--progress", paramLabel = "auto|always|never", defaultValue = "${env:FIVEDSTEM_PROGRESS:-auto}",
        converter = ProgressConverter.class,
        description = "progress bar on stderr: auto draws it when stderr is a terminal, always and never as they say "
            + "(default: ${DEFAULT-VALUE}; the environment variable FIVEDSTEM_PROGRESS sets it)")
    Progress progress = Progress.AUTO;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar; the one-line result is still printed")
    boolean quiet;

    @Option(names = "--silent", description = "no progress bar and no result on stdout: only errors are printed")
    boolean silent;

    /** @return whether to draw a progress bar */
    boolean showProgress() {
        if (quiet || silent) {
            return false;
        }
        return switch (progress) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> Terminal.stderrIsTerminal();
        };
    }

    /** @return whether to print the result summary on stdout */
    boolean showSummary() {
        return !silent;
    }

    /**
     * @param err where the bar goes
     * @param bytesPerPattern bytes read per pattern (for GB/s), or 0
     * @return a progress bar, or null when none is to be drawn
     */
    ProgressBar progressBar(PrintWriter err, double bytesPerPattern) {
        return showProgress() ? new ProgressBar(err, bytesPerPattern) : null;
    }

    /** Parses {@code auto}, {@code always} or {@code never}. */
    static final class ProgressConverter implements CommandLine.ITypeConverter<Progress> {
        @Override
        public Progress convert(String value) {
            try {
                return Progress.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not one of auto, always, never (--progress, or the environment variable FIVEDSTEM_PROGRESS)");
            }
        }
    }
}
