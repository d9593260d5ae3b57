/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.apache.spark.api.java.JavaSparkContext;
import org.fivedstem.examples.cli.FivedstemCommand;
import org.fivedstem.io.results.ResultsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A context configured with Kryo, as facility spark-defaults often are, still runs the analysis: what
 * travels (the tiles' indices, the tasks' results, what the preparation found) is plain classes and
 * primitive arrays, which Kryo serializes without registration. Its own class: one context per class.
 */
class SparkKryoTest {

    @TempDir
    static Path dir;
    static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        spark = SparkAnalyzeTest.localSpark("org.apache.spark.serializer.KryoSerializer");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    @Timeout(120)
    void kryoConfiguredContextGivesTheSameResultsFile() throws Exception {
        Path recording = SparkAnalyzeTest.simulate(dir.resolve("rec.h5"), 3);
        Path local = dir.resolve("local.h5");
        Path kryo = dir.resolve("kryo.h5");
        assertEquals(0, FivedstemCommand.commandLine().execute("analyze", recording.toString(), "--out", local.toString(),
            "--pool", "3", "--silent"));
        StringWriter err = new StringWriter();
        int code = SparkAnalyze.run(spark, new String[] {recording.toString(), "--out", kryo.toString(), "--pool", "3", "--silent"},
            new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        assertEquals("org.apache.spark.serializer.KryoSerializer", spark.getConf().get("spark.serializer"));
        SparkAnalyzeTest.assertSameResults(ResultsFile.read(local), ResultsFile.read(kryo));
    }

    @Test
    @Timeout(120)
    void whatThePreparationFoundCrossesKryo() throws Throwable {
        SparkAnalyzeTest.assertTasksPrepareTheDriversRecording(spark, dir);
    }
}
