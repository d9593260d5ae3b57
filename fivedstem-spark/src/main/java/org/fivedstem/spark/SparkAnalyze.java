/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.spark;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.fivedstem.examples.cli.AnalyzeCommand;
import org.fivedstem.examples.cli.FivedstemCommand;

import picocli.CommandLine;

/**
 * The {@code spark-submit} entry point: {@code fivedstem analyze} on Apache Spark, for one recording or
 * several in one application (a temperature series in one job), each given as {@code analyze}'s
 * arguments and separated by {@value #THEN}:
 *
 * <pre>
 * spark-submit --class org.fivedstem.spark.SparkAnalyze fivedstem-spark.jar \
 *     /lustre/run/633K.h5 --out 633K-maps.h5 --temperature 633 --then \
 *     /lustre/run/653K.h5 --out 653K-maps.h5 --temperature 653
 * </pre>
 *
 * <p>Every option of {@code analyze} means what it means there, and the results file is the same bits
 * (docs/distributed.md; for floating-point recordings with the preparation options, whose statistics are
 * summed in tile order, the same to rounding), with the root attribute {@code engine} saying how it ran. The recordings are read by the executors from the path given, which
 * must be the same file on every node (a shared file system: Lustre, GPFS, NFS). Exit code: 0 when every
 * recording was analysed, 2 when an argument list does not parse, else 1; each failure is one line on
 * stderr and the other recordings are still analysed.
 *
 * <p>The application's {@link SparkConf} asks for Java serialization ({@code spark.serializer}), which
 * the tasks' results need no registration for; a context configured with Kryo works too.
 */
public final class SparkAnalyze {

    /** The argument that separates the recordings of one application. */
    public static final String THEN = "--then";

    private SparkAnalyze() {
    }

    /**
     * @param conf the application's configuration, e.g. what spark-submit passed
     * @return it with fivedstem's settings: the application name unless set, Java serialization
     */
    public static SparkConf configure(SparkConf conf) {
        return conf.setIfMissing("spark.app.name", "fivedstem analyze")
            .set("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
    }

    /**
     * Analyses each recording in turn on the context's cluster.
     *
     * @param spark the application's context
     * @param args {@code analyze}'s arguments, one list per recording, separated by {@value #THEN}
     * @param out where the summary lines go
     * @param err where errors go
     * @return the exit code: 0 when all were analysed, 2 for an argument list that does not parse, else 1
     */
    public static int run(JavaSparkContext spark, String[] args, PrintWriter out, PrintWriter err) {
        return run(spark, args, out, err, TilePlan.DEFAULT_TARGET_BYTES, 0);
    }

    /**
     * As {@link #run(JavaSparkContext, String[], PrintWriter, PrintWriter)}, with other tiles (tests).
     *
     * @param targetBytes recording bytes per tile aimed at
     * @param minTiles at least this many tiles, or 0 for 3 × the cluster's cores
     */
    static int run(JavaSparkContext spark, String[] args, PrintWriter out, PrintWriter err, long targetBytes, int minTiles) {
        List<String[]> lists = recordings(args);
        if (lists.size() > 1 && lists.stream().anyMatch(l -> l.length == 0)) {
            // Refused before any recording is analysed, as any usage error is.
            err.println("fivedstem-spark: " + THEN + " at the start, at the end or twice in a row leaves a recording without "
                + "arguments; it goes between the arguments of two recordings");
            err.flush();
            return FivedstemCommand.EXIT_USAGE;
        }
        int code = 0;
        for (String[] recording : lists) {
            CommandLine cl = FivedstemCommand.withErrorHandling(
                new CommandLine(new AnalyzeCommand(new SparkEngine(spark, recording, targetBytes, minTiles))));
            cl.setOut(out);
            cl.setErr(err);
            code = Math.max(code, cl.execute(recording));
        }
        out.flush();
        err.flush();
        return code;
    }

    /** @return the argument lists between the {@value #THEN} separators (an empty list for none) */
    static List<String[]> recordings(String[] args) {
        List<String[]> lists = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= args.length; i++) {
            if (i == args.length || THEN.equals(args[i])) {
                lists.add(Arrays.copyOfRange(args, from, i));
                from = i + 1;
            }
        }
        return lists;
    }

    /**
     * Starts the application (spark-submit sets the master), analyses, stops the context and exits with
     * the code of {@link #run(JavaSparkContext, String[], PrintWriter, PrintWriter)}.
     *
     * @param args {@code analyze}'s arguments, one list per recording, separated by {@value #THEN}
     */
    public static void main(String[] args) {
        int code;
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        try (JavaSparkContext spark = new JavaSparkContext(configure(new SparkConf()))) {
            code = run(spark, args, out, err);
        }
        System.exit(code);
    }
}
