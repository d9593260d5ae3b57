/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The progress bar as a terminal shows it: a one-line terminal that obeys carriage returns is
 * replayed after every flush, so a frame that leaves characters of an earlier one behind, or wraps,
 * shows.
 */
class ProgressBarTest {

    /** A terminal line: characters overwrite at the cursor; '\r' returns to column 0; no '\n' allowed. */
    static final class Line extends Writer {
        final int columns;
        final StringBuilder line = new StringBuilder();
        final List<String> screens = new ArrayList<>();
        int cursor;
        boolean wrapped;
        boolean newline;

        Line(int columns) {
            this.columns = columns;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                char c = cbuf[i];
                if (c == '\r') {
                    cursor = 0;
                } else if (c == '\n') {
                    newline = true;
                } else {
                    if (cursor >= columns) {
                        wrapped = true;
                    }
                    if (cursor < line.length()) {
                        line.setCharAt(cursor, c);
                    } else {
                        line.append(c);
                    }
                    cursor++;
                }
            }
        }

        @Override
        public void flush() {
            screens.add(visible());
        }

        @Override
        public void close() {
        }

        String visible() {
            return line.toString().stripTrailing();
        }
    }

    /** A clock the test advances. */
    static final class Clock {
        long nanos = 5_000_000_000L;

        long now() {
            return nanos;
        }

        void advanceMillis(long ms) {
            nanos += ms * 1_000_000L;
        }
    }

    @Test
    void aShorterStageAfterALongerOneLeavesNothingBehind() {
        Line term = new Line(80);
        Clock clock = new Clock();
        ProgressBar bar = new ProgressBar(new PrintWriter(term), 4096, 80, clock::now);
        for (int i = 1; i <= 100; i++) {
            clock.advanceMillis(150);
            bar.onProgress("reading", i * 1000L, 100_000, -1);
        }
        assertTrue(term.visible().startsWith("reading     [########################] 100% 100000/100000"), term.visible());
        clock.advanceMillis(150);
        bar.onProgress("correlating", 5, 400, -1);

        assertTrue(term.visible().startsWith("correlating ["), term.visible());
        assertFalse(term.visible().contains("GB/s"), "nothing of the reading frame is left: " + term.visible());
        assertFalse(term.visible().contains("100000"), term.visible());
        assertFalse(term.wrapped);
        assertFalse(term.newline);

        bar.finish();
        assertEquals("", term.visible(), "finish clears the line");
    }

    @Test
    void concurrentStagesDoNotAlternate() {
        // The engine reports reading and correlating from different threads at once.
        Line term = new Line(80);
        Clock clock = new Clock();
        ProgressBar bar = new ProgressBar(new PrintWriter(term), 0, 80, clock::now);
        for (int i = 1; i <= 20; i++) {
            clock.advanceMillis(150);
            bar.onProgress("reading", i, 20, -1);
            clock.advanceMillis(150);
            if (i < 20) {
                bar.onProgress("correlating", i - 1, 20, -1);
            }
        }
        for (int k = 0; k < term.screens.size(); k++) {
            String s = term.screens.get(k);
            if (!s.isEmpty()) {
                assertTrue(s.startsWith("reading "), "screen " + k + " while reading is under way: " + s);
            }
        }
        clock.advanceMillis(150);
        bar.onProgress("correlating", 20, 20, -1);
        assertTrue(term.visible().startsWith("correlating [########################] 100% 20/20"), term.visible());
        bar.finish();
        assertEquals("", term.visible());
    }

    @Test
    void aStageThatStopsReportingGivesWayAfterASecond() {
        Line term = new Line(80);
        Clock clock = new Clock();
        ProgressBar bar = new ProgressBar(new PrintWriter(term), 0, 80, clock::now);
        bar.onProgress("statistics", 3, 10, -1);   // never completes (e.g. a stage that reports coarsely)
        clock.advanceMillis(500);
        bar.onProgress("fitting", 1, 10, -1);
        assertTrue(term.visible().startsWith("statistics"), term.visible());
        clock.advanceMillis(600);
        bar.onProgress("fitting", 2, 10, -1);
        assertTrue(term.visible().startsWith("fitting "), term.visible());
    }

    @Test
    void framesNeverReachTheLastColumn() {
        Line term = new Line(40);
        Clock clock = new Clock();
        ProgressBar bar = new ProgressBar(new PrintWriter(term), 4096, 40, clock::now);
        for (int i = 1; i <= 10; i++) {
            clock.advanceMillis(2000);
            bar.onProgress("633K reading", i * 100_000L, 1_000_000, -1);
            assertTrue(term.visible().length() <= 39, term.visible());
        }
        assertFalse(term.wrapped, "a frame wider than the terminal wraps, and '\\r' cannot return over it");
    }

    @Test
    void redrawsAtMostTenTimesASecondButAlwaysShowsCompletion() {
        StringWriter out = new StringWriter();
        Clock clock = new Clock();
        ProgressBar bar = new ProgressBar(new PrintWriter(out), 0, 80, clock::now);
        for (int i = 1; i <= 1000; i++) {
            clock.advanceMillis(1);
            bar.onProgress("fitting", i, 1000, -1);
        }
        long frames = out.toString().chars().filter(c -> c == '\r').count();
        assertTrue(frames <= 1 + 1 + 10, frames + " frames in one second");
        assertTrue(out.toString().endsWith("1000/1000"), out.toString());
    }

    @Test
    void terminalDevicesAreRecognisedByName() {
        assertTrue(Terminal.isTerminalDevice("/dev/pts/3"));
        assertTrue(Terminal.isTerminalDevice("/dev/tty1"));
        assertTrue(Terminal.isTerminalDevice("/dev/tty"));
        assertTrue(Terminal.isTerminalDevice("/dev/console"));
        assertFalse(Terminal.isTerminalDevice("/dev/null"));
        assertFalse(Terminal.isTerminalDevice("pipe:[123456]"));
        assertFalse(Terminal.isTerminalDevice("socket:[99]"));
        assertFalse(Terminal.isTerminalDevice("/home/me/analyze.log"));
        assertFalse(Terminal.isTerminalDevice("/dev/pts/3/../../../tmp/x"));
        assertEquals(120, Terminal.columns("120"));
        assertEquals(80, Terminal.columns(null));
        assertEquals(80, Terminal.columns("wide"));
    }
}
