/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.spark;

import java.nio.file.Path;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.core.preparation.PatternStatistics;
import org.fivedstem.examples.cli.AnalyzeCommand;

/**
 * One task of the preparation's statistics pass: opens the recording as {@code analyze} does before its
 * preparation, and sums its tile of whole scan rows about the whole recording's first pattern
 * ({@link PatternStatistics#compute(Dataset5D, double[], int, ProgressListener)}).
 */
final class StatisticsTask implements Function<Integer, StatisticsPart> {

    private static final long serialVersionUID = 1L;

    private final String input;
    private final String[] args;
    /** First and end row of each tile, in turn. */
    private final int[] rows;
    private final double[] shift;

    /**
     * @param input the recording, absolute, as every executor finds it
     * @param args the {@code analyze} arguments
     * @param rows first and end scan row of each tile, in turn
     * @param shift the whole recording's first pattern
     */
    StatisticsTask(String input, String[] args, int[] rows, double[] shift) {
        this.input = input;
        this.args = args.clone();
        this.rows = rows.clone();
        this.shift = shift.clone();
    }

    @Override
    public StatisticsPart call(Integer index) throws Exception {
        TaskContext task = TaskContext.get();
        int cpus = task == null ? 1 : task.cpus();
        int y0 = rows[2 * index];
        int y1 = rows[2 * index + 1];
        try (Dataset5D raw = AnalyzeCommand.openRecording(Path.of(input), args)) {
            Dataset5D tile = raw.crop(y0, y1, 0, raw.shape().scanX());
            return StatisticsPart.of(PatternStatistics.compute(tile, shift, cpus, ProgressListener.NONE), y0);
        }
    }
}
