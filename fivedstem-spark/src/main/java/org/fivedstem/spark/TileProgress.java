/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.spark;

import java.util.BitSet;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.fivedstem.api.ProgressListener;

/**
 * Reports a job's finished tiles to fivedstem's progress bar on the driver: the patterns of each tile
 * whose task succeeded, counted once however often it ran (retries, speculation). Registered with the
 * context for the one job whose partitions are the tiles.
 */
final class TileProgress extends SparkListener {

    private final ProgressListener progress;
    private final String stage;
    private final long[] patterns;
    private final long total;
    private final BitSet done = new BitSet();
    private long reported;
    private boolean complete;

    /**
     * @param progress the progress bar
     * @param stage the stage to report ("statistics", "reading")
     * @param patterns the patterns of each tile, by partition index
     */
    TileProgress(ProgressListener progress, String stage, long[] patterns) {
        this.progress = progress;
        this.stage = stage;
        this.patterns = patterns.clone();
        long t = 0;
        for (long p : patterns) {
            t += p;
        }
        this.total = t;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        int index = taskEnd.taskInfo().index();
        if (!taskEnd.taskInfo().successful() || index < 0 || index >= patterns.length) {
            return;
        }
        synchronized (this) {
            if (complete || done.get(index)) {
                return;
            }
            done.set(index);
            reported += patterns[index];
            progress.onProgress(stage, reported, total, -1);
        }
    }

    /** Reports every tile done (the job has returned) and passes over the events still to come. */
    synchronized void complete() {
        if (!complete) {
            complete = true;
            reported = total;
            progress.onProgress(stage, total, total, -1);
        }
    }

    @Override
    public String toString() {
        return "TileProgress[" + stage + ", " + done.cardinality() + " of " + patterns.length + " tiles]";
    }
}
