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
import java.util.List;

import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.TauSummary;
import org.fivedstem.io.results.SeriesResults;
import org.junit.jupiter.api.Test;

/** The p-value of ρ that the command line prints: the spatial one with n_eff, never the naive one unlabelled. */
class PrintedPValueTest {

    /** The issue's case: naive p 7.6e-06, spatial p 0.29 from n_eff = 12.3 of 576 positions. */
    private static final RankCorrelation SPATIAL = new RankCorrelation(0.21, 576, 7.6e-6, "asymptotic", 0.05, 0.4, 0.95,
        0.29, 12.3, "toroidal shifts");
    private static final RankCorrelation NAIVE_ONLY = new RankCorrelation(0.21, 576, 7.6e-6, "asymptotic", 0.05, 0.4, 0.95,
        Double.NaN, Double.NaN, "none");

    @Test
    void analyzeSummaryShowsTheSpatialPAndNEff() {
        assertEquals("spatial p 0.29, n_eff 12", SPATIAL.reportedPText());
        assertEquals("naive p (independent positions) 7.6e-06", NAIVE_ONLY.reportedPText());
    }

    @Test
    void seriesTableShowsTheSpatialPAndNEffAndNeverTheNaiveP() {
        SeriesResults s = SeriesResults.of(TauSummary.MEAN, List.of(
            new SeriesResults.Row(633, 570, 6, 500, 40, 0.4156, SPATIAL, ""),
            new SeriesResults.Row(653, 570, 6, 300, 25, 0.4157, NAIVE_ONLY, "")), null);
        StringWriter w = new StringWriter();
        try (PrintWriter out = new PrintWriter(w)) {
            SeriesReport.printTable(out, s);
        }
        String[] lines = w.toString().split("\\R");
        assertTrue(lines[0].contains("spatial p") && lines[0].contains("n_eff"), lines[0]);
        assertTrue(lines[1].contains(" 0.29 ") && lines[1].endsWith(" 12"), lines[1]);
        assertTrue(lines[2].endsWith("n/a    n/a"), lines[2]);
        assertFalse(w.toString().contains("7.6e-06"), w.toString());
        assertEquals(lines[0].indexOf("n_eff") + "n_eff".length(), lines[1].length(), "columns line up:\n" + w);
    }
}
