/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.fivedstem.api.ArrayStorage;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.core.engine.Analysis;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.preparation.PatternStatistics;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.hdf5.RecordingWriter;
import org.fivedstem.examples.cli.AnalyzeCommand;
import org.fivedstem.examples.cli.FivedstemCommand;
import org.fivedstem.examples.cli.FoundPreparation;
import org.fivedstem.io.results.ResultsFile;
import org.fivedstem.io.results.SavedAnalysis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import picocli.CommandLine;

/**
 * The Spark engine in {@code local[2]} against {@code Analysis.run()} and {@code fivedstem analyze}: the
 * same bits for every tiling, the results file, failures. One context for the class (UI off, bound to
 * 127.0.0.1); every test has a timeout, since local mode can hang rather than fail.
 */
class SparkAnalyzeTest {

    static final int SCAN_Y = 9;
    static final int SCAN_X = 7;

    @TempDir
    static Path dir;
    static Path recording;
    static JavaSparkContext spark;

    /** A local context as the tests use it; {@code serializer} the class of spark.serializer. */
    static JavaSparkContext localSpark(String serializer) {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("fivedstem-spark test")
            .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1").set("spark.sql.shuffle.partitions", "2")
            .set("spark.serializer", serializer);
        return new JavaSparkContext(conf);
    }

    /** A simulated recording written by {@code fivedstem simulate}: 9×7 positions × 32 frames of 56×56. */
    static Path simulate(Path file, int seed) {
        int code = FivedstemCommand.commandLine().execute("simulate", "--out", file.toString(), "--scan", SCAN_Y + "," + SCAN_X,
            "--frames", "32", "--k", "56", "--tau-median", "60", "--seed", Integer.toString(seed), "--threads", "1");
        assertEquals(0, code, "simulate");
        return file;
    }

    @BeforeAll
    static void start() {
        recording = simulate(dir.resolve("rec.h5"), 1);
        spark = localSpark("org.apache.spark.serializer.JavaSerializer");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** The bytes of recording behind {@code n} positions, as the engine counts them. */
    static long bytesOfPositions(AnalyzeCommand.Planned plan, int n) {
        return (long) Math.ceil(plan.bytesPerPosition()) * n;
    }

    static Stream<Arguments> tilings() {
        // positions per tile aimed at (the target bytes), pooling, the tiles expected
        return Stream.of(
            Arguments.of("one row a tile", SCAN_X, "1", 9),
            Arguments.of("three rows a tile", 3 * SCAN_X, "1", 3),
            Arguments.of("four rows, the last tile one", 4 * SCAN_X, "1", 3),
            Arguments.of("rows split into 3 + 3 + 1 columns", 3, "1", 27),
            Arguments.of("two rows with a pooling halo", 2 * SCAN_X, "3", 5),
            Arguments.of("columns with a pooling halo", 4, "3", 18));
    }

    private static String[] args(Path out, String pool) {
        return new String[] {recording.toString(), "--out", out.toString(), "--pool", pool, "--threads", "1", "--silent"};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tilings")
    @Timeout(120)
    void sameBitsAsAnalysisRun(String name, int positions, String pool, int tiles) throws IOException {
        String[] args = args(dir.resolve("unused.h5"), pool);
        try (AnalyzeCommand.Planned plan = AnalyzeCommand.plan(recording, null, args)) {
            SparkEngine engine = new SparkEngine(spark, args, bytesOfPositions(plan, positions), 1);
            assertEquals(tiles, engine.tiles(plan).tiles().size(), engine.tiles(plan).toString());
            AnalysisResult expected = plan.analysis().run();
            long[] reported = new long[2];
            AnalysisResult actual = engine.run(plan, plan.analysis(), (stage, done, total, bytes) -> {
                assertEquals("reading", stage);
                reported[0] = Math.max(reported[0], done);
                reported[1] = total;
            });
            // every tile's patterns reported once (as its task finished, or when the job returned: the listener's
            // events come asynchronously)
            assertEquals(expected.patternsRead(), reported[0]);
            assertEquals(expected.patternsRead(), reported[1]);
            assertEquals(expected.maps(), actual.maps());
            assertEquals(expected.spearman(), actual.spearman());
            assertEquals(expected.settings(), actual.settings());
            assertArrayEquals(expected.correlationValues(), actual.correlationValues());
            assertArrayEquals(expected.correlationStdErrs(), actual.correlationStdErrs());
            assertArrayEquals(expected.meanSpeckleVarianceProfile(), actual.meanSpeckleVarianceProfile());
            for (int y = 0; y < SCAN_Y; y++) {
                for (int x = 0; x < SCAN_X; x++) {
                    assertEquals(expected.curve(y, x), actual.curve(y, x));
                    assertEquals(expected.fit(y, x), actual.fit(y, x));
                    assertArrayEquals(expected.speckleVarianceProfile(y, x), actual.speckleVarianceProfile(y, x));
                }
            }
            assertEquals(expected.patternsRead(), actual.patternsRead());
            assertEquals(expected.blankDynamicsFrames(), actual.blankDynamicsFrames());
            assertEquals(expected.excludedStructureFrames(), actual.excludedStructureFrames());
            assertEquals(tiles, actual.blockCount());
            assertTrue(expected.maps().count(org.fivedstem.api.FitStatus.CONVERGED) > SCAN_Y * SCAN_X / 2, expected.toString());
            assertEquals("spark " + spark.version() + ", master local[2], " + tiles + " partitions", engine.description());
        }
    }

    /** The parts of a results file that do not depend on when and how it was written. */
    static void assertSameResults(SavedAnalysis expected, SavedAnalysis actual) {
        assertEquals(expected.maps(), actual.maps());
        assertEquals(expected.curves(), actual.curves());
        assertEquals(expected.profiles(), actual.profiles(), "V(Q) per position");
        assertEquals(expected.settings(), actual.settings());
        assertEquals(expected.spearman(), actual.spearman());
        assertEquals(expected.preparation(), actual.preparation());
        assertEquals(expected.provenance().withCreated(actual.provenance().created()).withEngine(""),
            actual.provenance().withEngine(""));
    }

    @Test
    @Timeout(120)
    void resultsFileAsAnalyzeWritesIt() throws IOException {
        Path local = dir.resolve("local.h5");
        Path distributed = dir.resolve("spark.h5");
        assertEquals(0, FivedstemCommand.commandLine().execute(
            Stream.concat(Stream.of("analyze"), Stream.of(args(local, "1"))).toArray(String[]::new)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkAnalyze.run(spark, args(distributed, "1"), new PrintWriter(out), new PrintWriter(err),
            TilePlan.DEFAULT_TARGET_BYTES, 0);
        assertEquals(0, code, err.toString());
        SavedAnalysis a = ResultsFile.read(local);
        SavedAnalysis b = ResultsFile.read(distributed);
        assertSameResults(a, b);
        assertEquals("", a.provenance().engine());
        // at least 6 tiles (3 × local[2]'s 2 cores): one row a tile, as 9 rows do not make 6 tiles of 2
        assertEquals("spark " + spark.version() + ", master local[2], 9 partitions", b.provenance().engine());
    }

    @Test
    @Timeout(120)
    void croppedBinnedPooledAndFiguresAsAnalyze() throws IOException {
        Path local = dir.resolve("cropped-local.h5");
        Path distributed = dir.resolve("cropped-spark.h5");
        List<String> options = List.of("--crop", "1:8,2:7", "--bin", "2", "--pool", "3", "--gamma", "free", "--silent");
        List<String> localArgs = new ArrayList<>(List.of("analyze", recording.toString(), "--out", local.toString(), "--figures",
            dir.resolve("figures-local").toString()));
        localArgs.addAll(options);
        assertEquals(0, FivedstemCommand.commandLine().execute(localArgs.toArray(String[]::new)));
        List<String> sparkArgs = new ArrayList<>(List.of(recording.toString(), "--out", distributed.toString(), "--figures",
            dir.resolve("figures").toString()));
        sparkArgs.addAll(options);
        StringWriter err = new StringWriter();
        // 12 positions' bytes (a position reads its 32 unbinned 56×56 uint16 patterns, and a little of the file's
        // other datasets): 2 of the 5-column rows, 4 tiles with halos
        int code = SparkAnalyze.run(spark, sparkArgs.toArray(String[]::new), new PrintWriter(new StringWriter()),
            new PrintWriter(err), 12 * 32L * 56 * 56 * 2, 1);
        assertEquals(0, code, err.toString());
        SavedAnalysis b = ResultsFile.read(distributed);
        assertSameResults(ResultsFile.read(local), b);
        assertEquals(7, b.maps().scanY());
        assertEquals(5, b.maps().scanX());
        assertTrue(b.provenance().engine().endsWith(", 4 partitions"), b.provenance().engine());
        // The driver held no curves (they went into the file as the tiles came): g.png's three are read back from
        // the file, and every figure is analyze's, byte for byte.
        for (String name : new String[] {"tau.png", "V.png", "scatter.png", "g.png", "profile.png"}) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("figures-local").resolve(name)),
                Files.readAllBytes(dir.resolve("figures").resolve(name)), name);
        }
    }

    @Test
    @Timeout(120)
    void severalRecordingsInOneApplication() throws IOException {
        Path second = simulate(dir.resolve("rec2.h5"), 2);
        List<String> args = new ArrayList<>(List.of(args(dir.resolve("first.h5"), "1")));
        args.add(SparkAnalyze.THEN);
        args.addAll(List.of(second.toString(), "--out", dir.resolve("second.h5").toString(), "--quiet"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkAnalyze.run(spark, args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        assertTrue(Files.isRegularFile(dir.resolve("first.h5")));
        // the second's summary line (the first is --silent)
        assertTrue(out.toString().startsWith(dir.resolve("second.h5") + ": 9×7 positions × 32 frames"), out.toString());
        assertFalse(ResultsFile.read(dir.resolve("second.h5")).maps().equals(ResultsFile.read(dir.resolve("first.h5")).maps()));
    }

    @Test
    @Timeout(120)
    void aMissingFileFailsWithTheLibrarysLineAndExitOne() {
        String[] missing = {dir.resolve("absent.h5").toString(), "--out", dir.resolve("never.h5").toString()};
        StringWriter localErr = new StringWriter();
        CommandLine local = FivedstemCommand.commandLine();
        local.setErr(new PrintWriter(localErr));
        int localCode = local.execute(Stream.concat(Stream.of("analyze"), Stream.of(missing)).toArray(String[]::new));
        StringWriter err = new StringWriter();
        int code = SparkAnalyze.run(spark, missing, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(1, localCode);
        assertEquals(1, code);
        assertEquals(localErr.toString(), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertFalse(Files.exists(dir.resolve("never.h5")));
        // the next recording of the application is still analysed, the exit code stays 1
        String[] both = Stream.concat(Stream.of(missing), Stream.of(SparkAnalyze.THEN, recording.toString(), "--out",
            dir.resolve("after.h5").toString(), "--silent")).toArray(String[]::new);
        assertEquals(1, SparkAnalyze.run(spark, both, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())));
        assertTrue(Files.isRegularFile(dir.resolve("after.h5")));
    }

    @Test
    @Timeout(120)
    void preparationStatisticsAreTheSingleMachinesBits() throws IOException {
        String[] args = {recording.toString(), "--out", dir.resolve("unused.h5").toString(), "--exclude-bad-frames"};
        try (Dataset5D raw = AnalyzeCommand.openRecording(recording, args)) {
            // tiles of two rows: 5 parts, the last of one row
            SparkEngine engine = new SparkEngine(spark, args, 2 * SCAN_X * 32L * 56 * 56 * 2, 1);
            PatternStatistics distributed = engine.statistics(recording, raw, 1, ProgressListener.NONE);
            PatternStatistics single = PatternStatistics.compute(raw, 2, ProgressListener.NONE);
            assertArrayEquals(single.shiftedSums(), distributed.shiftedSums());
            assertArrayEquals(single.shiftedSumSquares(), distributed.shiftedSumSquares());
            assertArrayEquals(single.maximumPattern(), distributed.maximumPattern());
            assertArrayEquals(single.totals(), distributed.totals());
            assertArrayEquals(single.meanPattern(), distributed.meanPattern());
            assertArrayEquals(single.variancePattern(), distributed.variancePattern());
            assertEquals(single.patternCount(), distributed.patternCount());
        }
    }

    /**
     * A 20×20 recording of a 24×24 simulated scan whose window moves by whole steps over its 6 frames (the
     * sample drifts by up to 2 steps in y and x), uint16 counts, frame 3 at (0, 0) blanked: something for
     * every preparation option to find.
     */
    static Path driftingRecording(Path file) throws IOException {
        int[] oy = {2, 2, 1, 1, 0, 0};
        int[] ox = {0, 0, 1, 1, 2, 2};
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(24, 24).frames(6).patternSize(24, 24).pixelSizeInverseNm(0.5)
            .centerPx(11.5, 11.5).tauMedianSeconds(200).seed(8).build();
        ArrayStorage big = sim.toArrayStorage(2);
        try (RecordingWriter w = RecordingWriter.create(file, Shape5D.of(6, 20, 20, 24, 24), SampleType.UINT16,
                sim.calibration())) {
            double[] p = new double[24 * 24];
            double[] series = new double[6 * p.length];
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 20; x++) {
                    for (int t = 0; t < 6; t++) {
                        big.readPattern(t, y + oy[t], x + ox[t], p);
                        if (t == 3 && y == 0 && x == 0) {
                            java.util.Arrays.fill(p, 0);
                        }
                        System.arraycopy(p, 0, series, t * p.length, p.length);
                    }
                    w.writeFrames(y, x, series);
                }
            }
            w.commit();
        }
        return file;
    }

    @Test
    @Timeout(120)
    void preparedAnalysisAsAnalyzeWritesIt() throws IOException {
        Path drifting = driftingRecording(dir.resolve("drifting.h5"));
        Path local = dir.resolve("prepared-local.h5");
        Path distributed = dir.resolve("prepared-spark.h5");
        List<String> options = List.of("--center", "auto", "--mask", "auto", "--exclude-bad-frames", "--drift-correct",
            "--dyn-q", "3.0:5.0", "--struct-q", "2.0:5.5", "--silent");
        List<String> localArgs = new ArrayList<>(List.of("analyze", drifting.toString(), "--out", local.toString()));
        localArgs.addAll(options);
        StringWriter localErr = new StringWriter();
        CommandLine cl = FivedstemCommand.commandLine();
        cl.setErr(new PrintWriter(localErr));
        assertEquals(0, cl.execute(localArgs.toArray(String[]::new)), localErr.toString());
        List<String> sparkArgs = new ArrayList<>(List.of(drifting.toString(), "--out", distributed.toString()));
        sparkArgs.addAll(options);
        StringWriter err = new StringWriter();
        // tiles of 3 rows: 7 statistics tiles of the 20 rows, 6 analysis tiles of the 18 drift-corrected ones
        int code = SparkAnalyze.run(spark, sparkArgs.toArray(String[]::new), new PrintWriter(new StringWriter()),
            new PrintWriter(err), 3 * 20 * 6L * 24 * 24 * 2, 1);
        assertEquals(0, code, err.toString());
        SavedAnalysis a = ResultsFile.read(local);
        SavedAnalysis b = ResultsFile.read(distributed);
        assertSameResults(a, b);
        assertTrue(a.preparation().hasCenter() && a.preparation().hasDrift() && a.preparation().excludedPerFrame().length == 6,
            a.preparation().toString());
        assertEquals(18, b.maps().scanY());
    }

    /**
     * What the driver broadcasts, after a trip through a task and back: out in the task's closure (Java
     * serialization), back as the task's result ({@code spark.serializer}, Java or Kryo; local mode serializes
     * results too, where it hands a broadcast's value to its tasks unserialized).
     */
    static FoundPreparation sent(JavaSparkContext context, FoundPreparation found) {
        return context.parallelize(List.of(0), 1).map(i -> found).collect().get(0);
    }

    /** Every pattern of two recordings, bit for bit. */
    static void assertSamePatterns(Dataset5D expected, Dataset5D actual) throws IOException {
        Shape5D s = expected.shape();
        assertEquals(s, actual.shape());
        for (int t = 0; t < s.frames(); t++) {
            for (int y = 0; y < s.scanY(); y++) {
                for (int x = 0; x < s.scanX(); x++) {
                    assertArrayEquals(expected.readPattern(t, y, x), actual.readPattern(t, y, x),
                        "pattern (t " + t + ", y " + y + ", x " + x + ")");
                }
            }
        }
    }

    /**
     * The driver's finders run once; what they found, sent through a task ({@link #sent}), prepares a task's own
     * copy of the recording (as {@link TileTask} opens it) into the driver's: calibration (centre), mask,
     * excluded patterns zeroed and drift corrected, every pattern the same bits.
     */
    @Test
    @Timeout(120)
    void tasksPrepareTheDriversRecordingFromWhatItFound() throws Throwable {
        assertTasksPrepareTheDriversRecording(spark, dir);
    }

    /** {@link #tasksPrepareTheDriversRecordingFromWhatItFound} in a context, files in {@code dir}. */
    static void assertTasksPrepareTheDriversRecording(JavaSparkContext context, Path dir) throws Throwable {
        Path drifting = driftingRecording(dir.resolve("drifting-checked.h5"));
        String[] args = {drifting.toString(), "--out", dir.resolve("checked.h5").toString(),
            "--center", "auto", "--mask", "auto", "--exclude-bad-frames", "--drift-correct", "--dyn-q", "3.0:5.0",
            "--struct-q", "2.0:5.5", "--silent"};
        SparkEngine engine = new SparkEngine(context, args, 3 * 20 * 6L * 24 * 24 * 2, 1);
        List<String> checked = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        AnalyzeCommand.Engine checking = new AnalyzeCommand.Engine() {
            @Override
            public PatternStatistics statistics(Path input, Dataset5D raw, int threads, ProgressListener progress)
                throws IOException {
                return engine.statistics(input, raw, threads, progress);
            }

            @Override
            public AnalysisResult run(AnalyzeCommand.Planned plan, Analysis analysis, ProgressListener progress)
                throws IOException {
                try {
                    FoundPreparation found = plan.preparation().orElseThrow();
                    try (AnalyzeCommand.Planned task = AnalyzeCommand.plan(drifting, sent(context, found), args)) {
                        assertEquals(plan.dataset().calibration(), task.dataset().calibration());
                        assertEquals(plan.dataset().mask(), task.dataset().mask());
                        assertTrue(task.dataset().mask().isPresent());
                        assertEquals(18, task.dataset().shape().scanY(), "drift corrected");
                        assertSamePatterns(plan.dataset(), task.dataset());
                        assertEquals(plan.crop()[1], task.crop()[1]);
                    }
                    checked.add(found.toString());
                } catch (Throwable t) {
                    failure.set(t);
                }
                return engine.run(plan, analysis, progress);
            }
        };
        CommandLine cl = FivedstemCommand.withErrorHandling(new CommandLine(new AnalyzeCommand(checking)));
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertEquals(0, cl.execute(args), err.toString());
        if (failure.get() != null) {
            throw failure.get();
        }
        assertEquals(1, checked.size());
        assertTrue(checked.get(0).contains("1 patterns excluded") && checked.get(0).contains("drift of 6 frames"),
            checked.get(0));
    }
}
