/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.fivedstem.api.Axis;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.Shape5D;
import org.fivedstem.core.engine.Analysis;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.engine.ResultAssembler;
import org.fivedstem.io.results.ResultsFile;
import org.fivedstem.core.preparation.PatternStatistics;
import org.fivedstem.examples.cli.AnalyzeCommand;
import org.fivedstem.examples.cli.FoundPreparation;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;

/**
 * {@code analyze}'s analysis on Apache Spark. The driver plans the tiles ({@link TilePlan}), one
 * partition each; the tasks ({@link TileTask}) open the recording from its shared path and analyse their
 * tile; the driver then fetches the tiles one partition at a time ({@code toLocalIterator} over the
 * computed, persisted tiles, so it holds one tile's arrays beside the scan's and no single result
 * approaches {@code spark.driver.maxResultSize}), puts them in place by offset in tile order (never a
 * floating-point {@code reduce}, whose order Spark does not fix), and computes what is scan-wide —
 * maps, V(Q), median τ, Spearman's ρ with its spatial test — with the library's own code
 * ({@link ResultAssembler}). The result is the same bits as {@link Analysis#run()}.
 */
final class SparkEngine implements AnalyzeCommand.Engine {

    private final JavaSparkContext spark;
    private final String[] args;
    private final long targetBytes;
    private final int minTiles;
    private String description = "";

    /**
     * @param spark the application's context
     * @param args the {@code analyze} arguments of this recording, which each task parses again
     * @param targetBytes recording bytes per tile aimed at ({@link TilePlan#DEFAULT_TARGET_BYTES})
     * @param minTiles at least this many tiles where the scan has the rows, or 0 for 3 × the cluster's default
     *     parallelism (its cores)
     */
    SparkEngine(JavaSparkContext spark, String[] args, long targetBytes, int minTiles) {
        this.spark = spark;
        this.args = args.clone();
        this.targetBytes = targetBytes;
        this.minTiles = minTiles;
    }

    /**
     * The preparation's statistics pass on the cluster: tiles of whole rows of the unprepared recording,
     * each summed by a task about the recording's first pattern, put together on the driver in tile order
     * ({@link StatisticsPart#combine}). For integer data the sums are integers, so the result is the bits of
     * the single-machine pass; the finders (bad patterns, mask, centre, drift) then run on the driver, once,
     * and {@link #run} broadcasts what they found to the analysis tasks.
     */
    @Override
    public PatternStatistics statistics(Path input, Dataset5D raw, int threads, ProgressListener progress)
        throws IOException {
        Shape5D shape = raw.shape();
        long fileBytes = java.nio.file.Files.isRegularFile(input) ? java.nio.file.Files.size(input) : 0;
        double perPattern = fileBytes > 0 ? (double) fileBytes / shape.patternCount() : 2.0 * shape.patternSize();
        TilePlan plan = TilePlan.of(shape.scanY(), shape.scanX(), Math.max(1, (long) Math.ceil(perPattern * shape.frames())),
            targetBytes, minTiles > 0 ? minTiles : 3 * Math.max(1, spark.defaultParallelism()), 1, 1, 1);
        if (plan.tiles().get(0).x1() - plan.tiles().get(0).x0() != shape.scanX()) {
            // one row is over the target: the statistics pass still takes whole rows (its totals are per row)
            plan = TilePlan.of(shape.scanY(), shape.scanX(), 1, (long) shape.scanX(), shape.scanY(), 1, 1, 1);
        }
        List<TilePlan.Tile> tiles = plan.tiles();
        int n = tiles.size();
        int[] rows = tiles.stream().flatMapToInt(t -> IntStream.of(t.y0(), t.y1())).toArray();
        List<Integer> indices = IntStream.range(0, n).boxed().collect(Collectors.toList());
        String path = input.toAbsolutePath().toString();
        JavaRDD<StatisticsPart> parts = spark.parallelize(indices, n)
            .map(new StatisticsTask(path, args, rows, raw.readPattern(0, 0, 0))).persist(StorageLevel.MEMORY_AND_DISK());
        spark.setJobDescription("fivedstem analyze " + input.getFileName() + ": preparation statistics, " + n + " tiles");
        try {
            counted(parts, new TileProgress(progress, "statistics",
                tiles.stream().mapToLong(t -> (long) t.positionCount() * shape.frames()).toArray()));
            List<StatisticsPart> inOrder = new java.util.ArrayList<>();
            parts.toLocalIterator().forEachRemaining(inOrder::add);
            return StatisticsPart.combine(shape, inOrder).toStatistics();
        } catch (Exception e) {
            throw rethrownOrSelf(e);
        } finally {
            parts.unpersist(false);
        }
    }

    @Override
    public String description() {
        return description;
    }

    /**
     * @param plan the analysis the command built on the driver
     * @return the tiles: at least the minimum (3 × the cluster's default parallelism), about the target bytes each
     */
    TilePlan tiles(AnalyzeCommand.Planned plan) {
        Shape5D shape = plan.dataset().shape();
        long bytesPerPosition = Math.max(1, (long) Math.ceil(plan.bytesPerPosition()));
        int[] grid = chunkGrid(plan);
        return TilePlan.of(shape.scanY(), shape.scanX(), bytesPerPosition, targetBytes,
            minTiles > 0 ? minTiles : 3 * Math.max(1, spark.defaultParallelism()), grid[0], grid[1], plan.pooling());
    }

    @Override
    public AnalysisResult run(AnalyzeCommand.Planned plan, Analysis analysis, ProgressListener progress) throws IOException {
        return run(plan, analysis, progress, null);
    }

    /** The driver writes each tile's curves into the results file as it arrives: it never holds the scan's. */
    @Override
    public boolean streamsCurves() {
        return true;
    }

    @Override
    public AnalysisResult run(AnalyzeCommand.Planned plan, Analysis analysis, ProgressListener progress, ResultsFile.Writer curves)
        throws IOException {
        long start = System.nanoTime();
        TilePlan tiles = tiles(plan);
        int n = tiles.tiles().size();
        String input = plan.input().toAbsolutePath().toString();
        List<Integer> indices = IntStream.range(0, n).boxed().collect(Collectors.toList());
        // what the driver's preparation found, for the tasks to apply to their copy of the recording
        FoundPreparation found = plan.preparation().orElse(null);
        Broadcast<FoundPreparation> prepared = found == null ? null : spark.broadcast(found);
        JavaRDD<TileResult> results = spark.parallelize(indices, n).map(new TileTask(input, args, tiles.tiles(), prepared))
            .persist(StorageLevel.MEMORY_AND_DISK());
        spark.setJobDescription("fivedstem analyze " + plan.input().getFileName() + ": " + tiles);
        Map<String, Double> stages = new LinkedHashMap<>();
        try {
            long t0 = System.nanoTime();
            int frames = plan.dataset().shape().frames();
            counted(results, new TileProgress(progress, "reading",
                tiles.tiles().stream().mapToLong(t -> (long) t.positionCount() * frames).toArray()));
            long t1 = System.nanoTime();
            stages.put("tiles", (t1 - t0) * 1e-9);
            ResultAssembler asm = null;
            Iterator<TileResult> it = results.toLocalIterator();
            int expected = 0;
            while (it.hasNext()) {
                TileResult t = it.next();
                if (t.index != expected) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "tile %d arrived where tile %d was expected",
                        t.index, expected));
                }
                expected++;
                if (asm == null) {
                    asm = curves == null ? ResultAssembler.of(analysis, t.quasiLikelihood)
                        : ResultAssembler.withoutCurves(analysis, t.quasiLikelihood);
                }
                t.addTo(asm);
                if (curves != null) {
                    t.writeCurves(curves);
                }
            }
            stages.put("merging", (System.nanoTime() - t1) * 1e-9);
            description = String.format(Locale.ROOT, "spark %s, master %s, %d partitions", spark.version(), spark.master(), n);
            return asm.build(n, (System.nanoTime() - start) * 1e-9, stages);
        } catch (Exception e) {
            throw rethrownOrSelf(e);
        } finally {
            results.unpersist(false);
            if (prepared != null) {
                prepared.destroy();
            }
        }
    }

    /** Computes (and so persists) the tiles of {@code rdd}, reporting each finished tile to {@code listener}. */
    private void counted(JavaRDD<?> rdd, TileProgress listener) {
        spark.sc().addSparkListener(listener);
        try {
            rdd.count();
            listener.complete();
        } finally {
            spark.sc().removeSparkListener(listener);
        }
    }

    /**
     * Spark throws SparkException (checked) without declaring it; the task's own exception is its cause.
     *
     * @return what to throw: the task's exception where it came back, else {@code e} itself
     */
    private static RuntimeException rethrownOrSelf(Exception e) {
        if (e instanceof SparkException s) {
            return rethrown(s);
        }
        if (e.getCause() instanceof SparkException s) {
            return rethrown(s);
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }

    /**
     * A failed job as the library's own exception, so that the user reads its one line (the missing or
     * unreadable file, the bad value) rather than Spark's stage report; Spark's message where the task's
     * exception did not travel back.
     */
    private static RuntimeException rethrown(SparkException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause != cause.getCause()) {
            cause = cause.getCause();
            if (!(cause instanceof SparkException)) {
                break;
            }
        }
        if (cause instanceof IOException io) {
            return new UncheckedIOException(io.getMessage(), io);
        }
        if (cause instanceof RuntimeException r && !(cause instanceof SparkException)) {
            return r;
        }
        String m = String.valueOf(e.getMessage());
        int line = m.indexOf('\n');
        return new IllegalStateException("the Spark job failed: " + (line < 0 ? m : m.substring(0, line)), e);
    }

    /**
     * The HDF5 chunk's extent along the scan rows and columns, when the input is one HDF5 file with a
     * chunked 5-D dataset whose chunk grid the analysed region starts on; {1, 1} otherwise.
     */
    private static int[] chunkGrid(AnalyzeCommand.Planned plan) {
        int[] none = {1, 1};
        if (plan.hdf5Dataset().isEmpty()) {
            return none;
        }
        try (HdfFile hdf = new HdfFile(Path.of(plan.input().toString()))) {
            Dataset d = hdf.getDatasetByPath(plan.hdf5Dataset().get());
            AxisOrder axes = plan.dataset().axisOrder();
            if (!(d instanceof ChunkedDataset c) || c.getChunkDimensions().length != 5) {
                return none;
            }
            int[] chunk = c.getChunkDimensions();
            int rows = chunk[axes.dimensionOf(Axis.Y)];
            int cols = chunk[axes.dimensionOf(Axis.X)];
            int[] crop = plan.crop();
            return new int[] {crop[0] % rows == 0 ? rows : 1, crop[2] % cols == 0 ? cols : 1};
        } catch (RuntimeException e) {
            // not what this reads (a frame stream, a layout of its own): no alignment, the tiles still work
            return none;
        }
    }

    @Override
    public String toString() {
        return "SparkEngine[" + spark.master() + ", " + String.join(" ", args) + "]";
    }
}
