/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How a scan is split into tiles, one Spark partition each: blocks of whole scan rows with all frames,
 * about {@link #DEFAULT_TARGET_BYTES} of recording each, at least as many as asked for (3 × the
 * cluster's cores by default, so that stragglers even out), aligned to the HDF5 chunk grid so that no
 * chunk is decoded by two tasks. A row is split into column ranges only when one row alone exceeds the
 * target. Each tile carries its halo: the {@code (k − 1) / 2} rows and columns around it that pooling
 * over k × k neighbours reads, clipped to the scan.
 *
 * <p>Pure planning, no Spark: immutable, tiles in row-major order (the order the driver merges them in).
 */
public final class TilePlan {

    /** Recording bytes per tile aimed at: 512 MiB. */
    public static final long DEFAULT_TARGET_BYTES = 512L << 20;

    private final int scanY;
    private final int scanX;
    private final int halo;
    private final List<Tile> tiles;

    /**
     * One tile: the scan positions it answers for, and the region it reads (those plus the halo).
     * Coordinates are scan rows and columns of the analysed scan, ends exclusive.
     *
     * @param index position in the plan's order, from 0
     * @param y0 first row it answers for
     * @param y1 end row
     * @param x0 first column
     * @param x1 end column
     * @param readY0 first row it reads (≤ y0)
     * @param readY1 end row it reads (≥ y1)
     * @param readX0 first column it reads (≤ x0)
     * @param readX1 end column it reads (≥ x1)
     */
    public record Tile(int index, int y0, int y1, int x0, int x1, int readY0, int readY1, int readX0, int readX1) {

        /**
         * Validates the nesting of the regions.
         *
         * @param index position in the plan's order, from 0
         * @param y0 first row it answers for
         * @param y1 end row
         * @param x0 first column
         * @param x1 end column
         * @param readY0 first row it reads (≤ y0)
         * @param readY1 end row it reads (≥ y1)
         * @param readX0 first column it reads (≤ x0)
         * @param readX1 end column it reads (≥ x1)
         */
        public Tile {
            if (index < 0 || y0 < 0 || y1 <= y0 || x0 < 0 || x1 <= x0 || readY0 < 0 || readY0 > y0 || readY1 < y1
                || readX0 < 0 || readX0 > x0 || readX1 < x1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tile %d: rows [%d, %d) × columns [%d, %d) read as [%d, %d) × [%d, %d) is empty or not nested",
                    index, y0, y1, x0, x1, readY0, readY1, readX0, readX1));
            }
        }

        /** @return the positions it answers for */
        public int positionCount() {
            return (y1 - y0) * (x1 - x0);
        }

        /** @return whether it reads positions beyond its own (a pooling halo) */
        public boolean hasHalo() {
            return readY0 < y0 || readY1 > y1 || readX0 < x0 || readX1 > x1;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "Tile %d[rows %d–%d, columns %d–%d%s]", index, y0, y1 - 1, x0, x1 - 1,
                hasHalo() ? String.format(Locale.ROOT, ", reads rows %d–%d, columns %d–%d", readY0, readY1 - 1, readX0,
                    readX1 - 1) : "");
        }
    }

    private TilePlan(int scanY, int scanX, int halo, List<Tile> tiles) {
        this.scanY = scanY;
        this.scanX = scanX;
        this.halo = halo;
        this.tiles = Collections.unmodifiableList(tiles);
    }

    /**
     * Plans the tiles of a scan.
     *
     * @param scanY scan rows (≥ 1)
     * @param scanX scan columns (≥ 1)
     * @param bytesPerPosition bytes of recording behind one scan position, all frames (≥ 1)
     * @param targetBytes recording bytes per tile aimed at (≥ 1; {@link #DEFAULT_TARGET_BYTES})
     * @param minTiles at least this many tiles where the scan has the rows for it (≥ 1; 3 × cores)
     * @param chunkRows scan rows per HDF5 chunk, to which tile edges are aligned (1: none)
     * @param chunkCols scan columns per HDF5 chunk, to which column splits are aligned (1: none)
     * @param pooling k of the k × k pooling (odd, ≥ 1): the halo is {@code (k − 1) / 2}
     * @return the plan
     * @throws IllegalArgumentException if a parameter is out of its range
     */
    public static TilePlan of(int scanY, int scanX, long bytesPerPosition, long targetBytes, int minTiles, int chunkRows,
                              int chunkCols, int pooling) {
        positive("scanY", scanY);
        positive("scanX", scanX);
        positive("bytesPerPosition", bytesPerPosition);
        positive("targetBytes", targetBytes);
        positive("minTiles", minTiles);
        positive("chunkRows", chunkRows);
        positive("chunkCols", chunkCols);
        if (pooling < 1 || pooling % 2 == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "pooling is not an odd size ≥ 1: %d", pooling));
        }
        int halo = (pooling - 1) / 2;
        long bytesPerRow = Math.multiplyExact(bytesPerPosition, (long) scanX);
        List<Tile> tiles = new ArrayList<>();
        if (bytesPerRow > targetBytes) {
            // one row is too big: single rows, split into column ranges of whole chunks
            long fit = Math.max(1, targetBytes / bytesPerPosition);
            int cols = (int) Math.min(scanX, Math.max(chunkCols, fit / chunkCols * chunkCols));
            for (int y = 0; y < scanY; y++) {
                for (int x = 0; x < scanX; x += cols) {
                    tiles.add(tile(tiles.size(), y, y + 1, x, Math.min(scanX, x + cols), scanY, scanX, halo));
                }
            }
        } else {
            long fit = targetBytes / bytesPerRow;
            // no more rows than leaves minTiles tiles, but never less than one chunk of rows
            long spread = Math.max(1, scanY / minTiles);
            long rows = Math.min(fit, spread);
            rows = rows >= chunkRows ? rows / chunkRows * chunkRows : Math.min(fit, chunkRows);
            int r = (int) Math.max(1, Math.min(scanY, rows));
            for (int y = 0; y < scanY; y += r) {
                tiles.add(tile(tiles.size(), y, Math.min(scanY, y + r), 0, scanX, scanY, scanX, halo));
            }
        }
        return new TilePlan(scanY, scanX, halo, tiles);
    }

    private static Tile tile(int index, int y0, int y1, int x0, int x1, int scanY, int scanX, int halo) {
        return new Tile(index, y0, y1, x0, x1, Math.max(0, y0 - halo), Math.min(scanY, y1 + halo), Math.max(0, x0 - halo),
            Math.min(scanX, x1 + halo));
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s is not ≥ 1: %d", name, value));
        }
    }

    /** @return the tiles, row-major */
    public List<Tile> tiles() {
        return tiles;
    }

    /** @return the scan rows */
    public int scanY() {
        return scanY;
    }

    /** @return the scan columns */
    public int scanX() {
        return scanX;
    }

    /** @return the rows and columns read beyond each tile's own for pooling */
    public int halo() {
        return halo;
    }

    @Override
    public String toString() {
        Tile first = tiles.get(0);
        return String.format(Locale.ROOT, "TilePlan[%d×%d scan in %d tiles of %d row%s × %d columns%s]", scanY, scanX,
            tiles.size(), first.y1() - first.y0(), first.y1() - first.y0() == 1 ? "" : "s", first.x1() - first.x0(),
            halo > 0 ? String.format(Locale.ROOT, ", halo %d", halo) : "");
    }
}
