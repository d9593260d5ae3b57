/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The argument lists of an application, without Spark: a misplaced {@code --then} is a usage error before any work. */
class SparkArgumentsTest {

    @ParameterizedTest
    @ValueSource(strings = {"--then a.h5 --out a-maps.h5", "a.h5 --out a-maps.h5 --then", "a.h5 --out a-maps.h5 --then --then b.h5 --out b-maps.h5"})
    void aMisplacedSeparatorIsAUsageErrorBeforeAnyRecordingRuns(String line) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // No context: the arguments are refused before one would be used.
        int code = SparkAnalyze.run(null, line.split(" "), new PrintWriter(out), new PrintWriter(err));
        assertEquals(2, code);
        assertEquals("", out.toString());
        assertTrue(err.toString().startsWith("fivedstem-spark: --then at the start, at the end or twice in a row"), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.h5 --out a-maps.h5", "a.h5 --out a-maps.h5 --then b.h5 --out b-maps.h5"})
    void separatorsSplitTheRecordings(String line) {
        List<String[]> lists = SparkAnalyze.recordings(line.split(" "));
        assertEquals(line.split(" --then ").length, lists.size());
        for (String[] l : lists) {
            assertEquals(3, l.length);
        }
    }
}
