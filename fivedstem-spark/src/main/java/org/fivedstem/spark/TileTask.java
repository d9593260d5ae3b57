/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.spark;

import java.nio.file.Path;
import java.util.List;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.fivedstem.core.engine.Analysis;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.statistics.SpearmanOptions;
import org.fivedstem.examples.cli.AnalyzeCommand;
import org.fivedstem.examples.cli.FoundPreparation;

/**
 * The work of one Spark task: opens the recording itself from the shared path, builds the same analysis
 * from the same {@code analyze} arguments as the driver, runs it unchanged on the tile's region (its
 * positions and the pooling halo) with the task's cores and a share of the executor's heap, Spearman's
 * spatial test off (ρ is the driver's, over the whole scan), and returns the tile's own positions as
 * primitive arrays. With the preparation options, the task prepares its copy of the recording with what the
 * driver's finders found (broadcast as plain data), and runs no finder itself.
 *
 * <p>With a halo, the counters (blank dynamics frames, frames left out of V, patterns) of the tile's own
 * positions are the region's less those of the halo strips, each analysed alone without pooling: the
 * counters do not depend on pooling, and so each position is counted by exactly one tile.
 */
final class TileTask implements Function<Integer, TileResult> {

    private static final long serialVersionUID = 1L;

    private final String input;
    private final String[] args;
    /** The tiles' nine coordinates each, in record order: the closure stays primitive arrays. */
    private final int[] tiles;
    /** What the driver's preparation found on the whole recording, or null without preparation. */
    private final Broadcast<FoundPreparation> preparation;

    /**
     * @param input the recording, absolute, as every executor finds it
     * @param args the {@code analyze} arguments
     * @param tiles the plan's tiles; the task's element is an index into them
     * @param preparation what the driver's preparation found on the whole recording, or null without preparation
     */
    TileTask(String input, String[] args, List<TilePlan.Tile> tiles, Broadcast<FoundPreparation> preparation) {
        this.preparation = preparation;
        this.input = input;
        this.args = args.clone();
        this.tiles = tiles.stream().flatMapToInt(t -> java.util.stream.IntStream.of(t.index(), t.y0(), t.y1(), t.x0(), t.x1(),
            t.readY0(), t.readY1(), t.readX0(), t.readX1())).toArray();
    }

    @Override
    public TileResult call(Integer index) throws Exception {
        long start = System.nanoTime();
        int o = index * 9;
        TilePlan.Tile tile = new TilePlan.Tile(tiles[o], tiles[o + 1], tiles[o + 2], tiles[o + 3], tiles[o + 4], tiles[o + 5],
            tiles[o + 6], tiles[o + 7], tiles[o + 8]);
        TaskContext task = TaskContext.get();
        int cpus = task == null ? 1 : task.cpus();
        try (AnalyzeCommand.Planned plan = AnalyzeCommand.plan(Path.of(input),
                preparation == null ? null : preparation.value(), args)) {
            Analysis whole = plan.analysis().withThreads(cpus).withMemoryBudgetBytes(budgetBytes(cpus))
                .withSpearman(SpearmanOptions.defaults().withMaxShifts(0));
            AnalysisResult r = whole.onRegion(tile.readY0(), tile.readY1(), tile.readX0(), tile.readX1()).run();
            long[] counters = {r.patternsRead(), r.blankDynamicsFrames(), r.excludedStructureFrames()};
            if (tile.hasHalo()) {
                subtractHalo(whole, tile, counters);
            }
            return TileResult.of(tile, r, counters, (System.nanoTime() - start) * 1e-9);
        }
    }

    /**
     * Takes the halo strips' counters (above, below, left and right of the tile's own positions) from the
     * region's.
     *
     * @param counters patterns, blank dynamics frames, excluded structure frames; modified
     */
    private static void subtractHalo(Analysis whole, TilePlan.Tile t, long[] counters) throws java.io.IOException {
        int[][] strips = {
            {t.readY0(), t.y0(), t.readX0(), t.readX1()},
            {t.y1(), t.readY1(), t.readX0(), t.readX1()},
            {t.y0(), t.y1(), t.readX0(), t.x0()},
            {t.y0(), t.y1(), t.x1(), t.readX1()},
        };
        for (int[] s : strips) {
            if (s[0] < s[1] && s[2] < s[3]) {
                AnalysisResult h = whole.withPooling(1).onRegion(s[0], s[1], s[2], s[3]).run();
                counters[0] -= h.patternsRead();
                counters[1] -= h.blankDynamicsFrames();
                counters[2] -= h.excludedStructureFrames();
            }
        }
    }

    /**
     * The share of the executor's heap for this task's kept series: the engine's default fraction of the
     * heap, divided among the tasks that run at once on the executor ({@code spark.executor.cores} /
     * the task's cores; every core of the machine when not set, as in local mode).
     */
    private static long budgetBytes(int cpus) {
        SparkEnv env = SparkEnv.get();
        int cores = env == null ? Runtime.getRuntime().availableProcessors()
            : env.conf().getInt("spark.executor.cores", Runtime.getRuntime().availableProcessors());
        int slots = Math.max(1, cores / Math.max(1, cpus));
        return Math.max(1L << 20, (long) (Analysis.DEFAULT_HEAP_FRACTION * Runtime.getRuntime().maxMemory() / slots));
    }
}
