/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The progress of the tiles, without Spark: each tile once, the whole when the job returns, nothing after. */
class TileProgressTest {

    @Test
    void completeReportsTheWholeAndLateEventsArePassedOver() {
        List<String> reports = new ArrayList<>();
        TileProgress p = new TileProgress((stage, done, total, bytes) -> reports.add(stage + " " + done + "/" + total),
            "reading", new long[] {10, 20, 5});
        p.complete();
        p.complete();
        assertEquals(List.of("reading 35/35"), reports);
        assertEquals("TileProgress[reading, 0 of 3 tiles]", p.toString());
    }
}
