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
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.examples.cli.AnalyzeCommand;
import org.fivedstem.examples.cli.FivedstemCommand;
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
        return (long) Math.ceil(plan.bytesPerAnalysedPattern() * plan.dataset().shape().frames()) * n;
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
        try (AnalyzeCommand.Planned plan = AnalyzeCommand.plan(recording, args)) {
            SparkEngine engine = new SparkEngine(spark, args, bytesOfPositions(plan, positions), 1);
            assertEquals(tiles, engine.tiles(plan).tiles().size(), engine.tiles(plan).toString());
            AnalysisResult expected = plan.analysis().run();
            AnalysisResult actual = engine.run(plan, plan.analysis());
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
    void preparationOptionsAreAUsageError() {
        StringWriter err = new StringWriter();
        int code = SparkAnalyze.run(spark, new String[] {recording.toString(), "--out", dir.resolve("p.h5").toString(),
            "--exclude-bad-frames"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("analyze: the preparation options (--center auto, --mask auto, "
            + "--exclude-bad-frames, --drift-correct) are not available with this engine"), err.toString());
    }
}
