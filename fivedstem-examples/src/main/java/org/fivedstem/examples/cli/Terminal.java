/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whether a standard stream is a terminal, which Java 17 cannot ask directly: {@link System#console()}
 * is non-null only when stdin <i>and</i> stdout are terminals, so it hides the progress bar from
 * {@code fivedstem analyze … > log.txt} (stderr still on the terminal) and says nothing about stderr
 * itself. A native {@code isatty(2)} would need JNI or a library with native parts (JLine, JNA), so
 * this asks the operating system's file tables instead:
 *
 * <ul>
 * <li>Linux: {@code /proc/self/fd/N} is a link to what the descriptor is open on; a terminal is
 * {@code /dev/pts/K} (terminal emulators, ssh, tmux), {@code /dev/ttyK} or {@code /dev/console}.
 * A file, a pipe ({@code pipe:[…]}) or {@code /dev/null} is not.</li>
 * <li>macOS and the BSDs: {@code /dev/fd/N} is the descriptor itself; it is a terminal when it is
 * a character device other than {@code /dev/null} (compared by device number).</li>
 * <li>Elsewhere (Windows): {@link System#console()}, i.e. all of stdin, stdout and stderr must be
 * the console.</li>
 * </ul>
 *
 * <p>The answer can be wrong in unusual set-ups (stderr redirected to another character device
 * such as a serial port counts as a terminal; on Windows a redirected stdin hides the bar); that
 * is what {@code --progress always|never} and {@code FIVEDSTEM_PROGRESS} are for.
 */
final class Terminal {

    /** The device names of terminals, as {@code /proc/self/fd/N} shows them on Linux. */
    private static final Pattern TERMINAL_DEVICE = Pattern.compile("/dev/(pts/\\d+|tty[^/]*|console)");
    private static final int DEFAULT_COLUMNS = 80;

    private Terminal() {
    }

    /** @return whether standard error is a terminal */
    static boolean stderrIsTerminal() {
        return isTerminal(2);
    }

    /** @return whether standard output is a terminal */
    static boolean stdoutIsTerminal() {
        return isTerminal(1);
    }

    /**
     * @param fd a file descriptor of this process: 0, 1 or 2
     * @return whether it is open on a terminal, by the rules of the class comment
     */
    static boolean isTerminal(int fd) {
        Path proc = Path.of("/proc/self/fd", Integer.toString(fd));
        try {
            if (Files.isSymbolicLink(proc)) {
                return isTerminalDevice(Files.readSymbolicLink(proc).toString());
            }
            Path dev = Path.of("/dev/fd", Integer.toString(fd));
            if (Files.exists(dev) && !Files.isSymbolicLink(dev)) {
                Map<String, Object> a = Files.readAttributes(dev, "unix:mode,rdev");
                Map<String, Object> devNull = Files.readAttributes(Path.of("/dev/null"), "unix:rdev");
                int mode = (Integer) a.get("mode");
                return (mode & 0170000) == 0020000 && !a.get("rdev").equals(devNull.get("rdev"));
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException
                 | ClassCastException e) {
            // not answerable this way: fall through
        }
        return System.console() != null;
    }

    /**
     * @param linkTarget what {@code /proc/self/fd/N} links to, e.g. {@code /dev/pts/3} or {@code pipe:[1234]}
     * @return whether that is a terminal device
     */
    static boolean isTerminalDevice(String linkTarget) {
        return TERMINAL_DEVICE.matcher(linkTarget).matches();
    }

    /**
     * @return the terminal's width in columns from {@code COLUMNS} (set by shells that export it),
     *     else 80
     */
    static int columns() {
        return columns(System.getenv("COLUMNS"));
    }

    /**
     * @param env the value of {@code COLUMNS}, or null
     * @return it as a width of at least 20 columns, or 80 if it is not a number
     */
    static int columns(String env) {
        try {
            int c = env == null ? DEFAULT_COLUMNS : Integer.parseInt(env.trim());
            return c >= 20 ? c : DEFAULT_COLUMNS;
        } catch (NumberFormatException e) {
            return DEFAULT_COLUMNS;
        }
    }
}
