/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.internal.Checks;

/**
 * A one-line progress bar on a terminal: the stage, a bar, work done of total, the reading rate in
 * GB/s and the time left. Redrawn at most ten times a second by a carriage return; each frame
 * overwrites the whole of the previous one (padding with spaces where it is shorter), a change of
 * stage clears the line first, and no frame is wider than the terminal, so that it never wraps
 * onto a second line that a carriage return cannot reach. {@link #finish()} clears the line, so
 * the summary prints on a clean line. Whether to draw it at all is decided by
 * {@link OutputOptions} (only when stderr is a terminal, unless forced).
 *
 * <p><b>Concurrent stages.</b> The engine reads and correlates at once, and reports both. The bar
 * keeps to one stage until that stage is complete or has not reported for a second, and only
 * then moves to the stage reported since — rather than alternating between them.
 *
 * <p><b>Why hand-written.</b> The maintained Java progress-bar library (me.tongfei:progressbar)
 * depends on JLine, which would add about a megabyte to the jar and, on Java 17, asks whether a
 * stream is a terminal through native code or by starting {@code test -t}; the bar itself is
 * these 150 lines, and the terminal question is answered by {@link Terminal}.
 */
final class ProgressBar implements ProgressListener {

    private static final int BAR = 24;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final long STALE_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private final double bytesPerPattern;
    /** The widest frame: one less than the terminal's width, so the cursor never wraps. */
    private final int width;
    private final LongSupplier clock;
    /** Per stage: {start, last report} in clock nanoseconds, and {done, total}. */
    private final Map<String, long[]> stages = new HashMap<>();
    private String current;
    private long lastDraw;
    /** Characters on the line now (0: clear). */
    private int shown;

    /**
     * @param err the terminal
     * @param bytesPerPattern bytes read from storage per pattern (for GB/s), or 0 if unknown
     */
    ProgressBar(PrintWriter err, double bytesPerPattern) {
        this(err, bytesPerPattern, Terminal.columns(), System::nanoTime);
    }

    /**
     * @param err the terminal
     * @param bytesPerPattern bytes read from storage per pattern, or 0
     * @param columns the terminal's width (at least 20)
     * @param clock nanoseconds
     */
    ProgressBar(PrintWriter err, double bytesPerPattern, int columns, LongSupplier clock) {
        this.err = err;
        this.bytesPerPattern = bytesPerPattern;
        this.width = Math.max(19, columns - 1);
        this.clock = clock;
    }

    @Override
    public synchronized void onProgress(String stage, long done, long total, long bytesRead) {
        long now = clock.getAsLong();
        long[] s = stages.computeIfAbsent(stage, k -> new long[] {now, now, 0, 0});
        s[1] = now;
        s[2] = done;
        s[3] = total;
        boolean complete = total >= 0 && done >= total;
        if (current == null) {
            current = stage;
        } else if (!stage.equals(current)) {
            long[] c = stages.get(current);
            boolean currentComplete = c[3] >= 0 && c[2] >= c[3];
            if (!currentComplete && now - c[1] < STALE_NANOS) {
                return; // another stage running alongside: keep showing the current one
            }
            clear();
            current = stage;
        } else if (shown > 0 && now - lastDraw < REDRAW_NANOS && !complete) {
            return;
        }
        draw(stage, s, now);
    }

    private void draw(String stage, long[] s, long now) {
        long done = s[2];
        long total = s[3];
        double seconds = (now - s[0]) * 1e-9;
        double f = total > 0 ? Math.min(1, (double) done / total) : 0;
        int filled = (int) Math.round(f * BAR);
        StringBuilder sb = new StringBuilder(Checks.format("%-11s ", stage)).append('[');
        for (int i = 0; i < BAR; i++) {
            sb.append(i < filled ? '#' : '.');
        }
        sb.append(Checks.format("] %3.0f%% %d/%d", 100 * f, done, total));
        if (stage.endsWith("reading") && bytesPerPattern > 0 && seconds > 0) {
            sb.append(Checks.format(" %.2f GB/s", done * bytesPerPattern / seconds / 1e9));
        }
        if (f > 0.01 && f < 1 && seconds > 1) {
            sb.append(Checks.format(" ETA %.0f s", seconds * (1 - f) / f));
        }
        String line = sb.length() > width ? sb.substring(0, width) : sb.toString();
        StringBuilder frame = new StringBuilder("\r").append(line);
        if (line.length() < shown) {
            frame.append(" ".repeat(shown - line.length())).append('\r').append(line);
        }
        err.print(frame);
        err.flush();
        shown = line.length();
        lastDraw = now;
    }

    /** Blanks the line and returns to its start. */
    private void clear() {
        if (shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.flush();
            shown = 0;
        }
    }

    /** Clears the bar. */
    synchronized void finish() {
        clear();
    }
}
