/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The tile planning, without Spark: cover, order, size, chunk alignment, halo. */
class TilePlanTest {

    /** Seeds of the random plans; each case prints its seed. */
    static Stream<Long> seeds() {
        return LongStream.range(1, 201).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void tilesCoverTheScanOnceInRowMajorOrder(long seed) {
        Random rng = new Random(seed);
        int scanY = 1 + rng.nextInt(300);
        int scanX = 1 + rng.nextInt(300);
        long perPosition = 1 + rng.nextInt(1 << 22);
        long target = 1 + (long) (rng.nextDouble() * perPosition * scanX * 4);
        int minTiles = 1 + rng.nextInt(48);
        int chunkRows = 1 + rng.nextInt(8);
        int chunkCols = 1 + rng.nextInt(8);
        int pooling = 1 + 2 * rng.nextInt(3);
        TilePlan plan = TilePlan.of(scanY, scanX, perPosition, target, minTiles, chunkRows, chunkCols, pooling);
        String where = "seed " + seed + ": " + plan;
        int[] covered = new int[scanY * scanX];
        int previousStart = -1;
        List<TilePlan.Tile> tiles = plan.tiles();
        for (int i = 0; i < tiles.size(); i++) {
            TilePlan.Tile t = tiles.get(i);
            assertEquals(i, t.index(), where);
            int start = t.y0() * scanX + t.x0();
            assertTrue(start > previousStart, where + ": row-major order at " + t);
            previousStart = start;
            for (int y = t.y0(); y < t.y1(); y++) {
                for (int x = t.x0(); x < t.x1(); x++) {
                    covered[y * scanX + x]++;
                }
            }
            int h = plan.halo();
            assertEquals(Math.max(0, t.y0() - h), t.readY0(), where);
            assertEquals(Math.min(scanY, t.y1() + h), t.readY1(), where);
            assertEquals(Math.max(0, t.x0() - h), t.readX0(), where);
            assertEquals(Math.min(scanX, t.x1() + h), t.readX1(), where);
            boolean wholeRows = t.x0() == 0 && t.x1() == scanX;
            if (wholeRows) {
                // whole chunks of rows, unless a chunk of rows is over the target
                int r = tiles.get(0).y1() - tiles.get(0).y0();
                assertEquals(i * r, t.y0(), where + " " + t);
                assertTrue(r % chunkRows == 0 || r == scanY || (long) chunkRows * scanX * perPosition > target,
                    where + ": " + r + " rows a tile, chunks of " + chunkRows);
            } else {
                assertEquals(1, t.y1() - t.y0(), where + ": a column split takes one row " + t);
                assertTrue(perPosition * scanX > target, where + ": rows split only when one is too big");
            }
        }
        for (int i = 0; i < covered.length; i++) {
            assertEquals(1, covered[i], where + ": position " + i);
        }
        if (perPosition * scanX <= target) {
            // whole rows: at least minTiles tiles unless the rows or the chunk grid do not allow it
            int rows = tiles.get(0).y1() - tiles.get(0).y0();
            assertTrue(tiles.size() >= Math.min(minTiles, scanY) || rows <= chunkRows, where);
            assertTrue((long) rows * scanX * perPosition <= target || rows <= chunkRows, where + ": tile over the target");
        }
    }

    @Test
    void paperRecordingOnTwoCores() {
        // 60×60 positions × 106 frames × 66×66 uint16: 923 472 bytes a position, 55 MB a row (3.3 GB): 9 rows fit
        // 512 MiB, and 6 tiles (3 × 2 cores) would allow 10
        TilePlan plan = TilePlan.of(60, 60, 106L * 66 * 66 * 2, TilePlan.DEFAULT_TARGET_BYTES, 6, 1, 1, 1);
        assertEquals(7, plan.tiles().size());
        assertEquals("TilePlan[60×60 scan in 7 tiles of 9 rows × 60 columns]", plan.toString());
        assertEquals("Tile 6[rows 54–59, columns 0–59]", plan.tiles().get(6).toString());
        // on 16 cores, 48 tiles are asked for: one row each at most 60 / 48
        assertEquals(60, TilePlan.of(60, 60, 106L * 66 * 66 * 2, TilePlan.DEFAULT_TARGET_BYTES, 48, 1, 1, 1).tiles().size());
    }

    @Test
    void unevenLastTileChunkAlignedAndHalo() {
        TilePlan plan = TilePlan.of(10, 4, 100, 2000, 1, 4, 1, 3);
        // five rows fit the target, rounded down to the chunks of 4 rows; the last tile has 2
        assertEquals(List.of(new TilePlan.Tile(0, 0, 4, 0, 4, 0, 5, 0, 4), new TilePlan.Tile(1, 4, 8, 0, 4, 3, 9, 0, 4),
            new TilePlan.Tile(2, 8, 10, 0, 4, 7, 10, 0, 4)), plan.tiles());
        assertEquals("Tile 1[rows 4–7, columns 0–3, reads rows 3–8, columns 0–3]", plan.tiles().get(1).toString());
    }

    @Test
    void aRowTooBigIsSplitIntoColumnRangesOfWholeChunks() {
        TilePlan plan = TilePlan.of(2, 10, 100, 450, 1, 1, 2, 1);
        // 4 positions fit: 2 chunks of 2 columns
        assertEquals(6, plan.tiles().size());
        assertEquals(new TilePlan.Tile(2, 0, 1, 8, 10, 0, 1, 8, 10), plan.tiles().get(2));
    }

    @Test
    void refusesBadParameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TilePlan.of(0, 4, 1, 1, 1, 1, 1, 1));
        assertEquals("scanY is not ≥ 1: 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TilePlan.of(4, 4, 1, 1, 1, 1, 1, 2));
        assertEquals("pooling is not an odd size ≥ 1: 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TilePlan.Tile(0, 2, 1, 0, 1, 0, 2, 0, 1));
        assertEquals("tile 0: rows [2, 1) × columns [0, 1) read as [0, 2) × [0, 1) is empty or not nested", e.getMessage());
    }
}
