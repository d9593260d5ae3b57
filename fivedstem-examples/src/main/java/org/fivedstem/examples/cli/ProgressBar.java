package org.fivedstem.examples.cli;

import java.io.PrintWriter;

import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.internal.Checks;

/**
 * A one-line progress bar on a terminal: the stage, a bar, patterns done of total, the reading
 * rate in GB/s and the time left. Redrawn at most ten times a second with a carriage return;
 * {@link #finish()} clears it so the summary line prints on a clean line.
 */
final class ProgressBar implements ProgressListener {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final double bytesPerPattern;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    /**
     * @param err the terminal
     * @param bytesPerPattern bytes read from storage per pattern (for GB/s), or 0 if unknown
     */
    ProgressBar(PrintWriter err, double bytesPerPattern) {
        this.err = err;
        this.bytesPerPattern = bytesPerPattern;
    }

    @Override
    public synchronized void onProgress(String stage, long done, long total, long bytesRead) {
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && done != total) {
            return;
        }
        lastDraw = now;
        double seconds = (now - start) * 1e-9;
        double f = total > 0 ? Math.min(1, (double) done / total) : 0;
        int filled = (int) Math.round(f * WIDTH);
        StringBuilder sb = new StringBuilder("\r").append(Checks.format("%-11s ", stage)).append('[');
        for (int i = 0; i < WIDTH; i++) {
            sb.append(i < filled ? '#' : '.');
        }
        sb.append(Checks.format("] %3.0f%% %d/%d", 100 * f, done, total));
        if (stage.equals("reading") && bytesPerPattern > 0 && seconds > 0) {
            sb.append(Checks.format(" %.2f GB/s", done * bytesPerPattern / seconds / 1e9));
            if (f > 0.01 && f < 1) {
                sb.append(Checks.format(" ETA %.0f s", seconds * (1 - f) / f));
            }
        }
        sb.append("   ");
        err.print(sb);
        err.flush();
        drawn = true;
    }

    /** Clears the bar. */
    synchronized void finish() {
        if (drawn) {
            err.print("\r" + " ".repeat(100) + "\r");
            err.flush();
        }
    }
}
