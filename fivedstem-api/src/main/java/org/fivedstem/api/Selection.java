/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import org.fivedstem.api.internal.Checks;

/**
 * A box of frames and scan positions: frames {@code [frameStart, frameEnd)}, scan rows
 * {@code [yStart, yEnd)} and columns {@code [xStart, xEnd)}, all half-open and non-empty.
 * Storage implementations receive selections in their own (full-recording) coordinates.
 *
 * @param frameStart first frame, inclusive
 * @param frameEnd last frame, exclusive
 * @param yStart first scan row, inclusive
 * @param yEnd last scan row, exclusive
 * @param xStart first scan column, inclusive
 * @param xEnd last scan column, exclusive
 */
public record Selection(int frameStart, int frameEnd, int yStart, int yEnd, int xStart, int xEnd) {

    /**
     * Validates that each range is non-empty and starts at or after 0.
     *
     * @param frameStart first frame, inclusive
     * @param frameEnd last frame, exclusive
     * @param yStart first scan row, inclusive
     * @param yEnd last scan row, exclusive
     * @param xStart first scan column, inclusive
     * @param xEnd last scan column, exclusive
     */
    public Selection {
        if (frameStart < 0 || frameEnd <= frameStart) {
            throw new IllegalArgumentException(Checks.format("frame range [%d, %d) is empty or negative", frameStart, frameEnd));
        }
        if (yStart < 0 || yEnd <= yStart) {
            throw new IllegalArgumentException(Checks.format("scan row range [%d, %d) is empty or negative", yStart, yEnd));
        }
        if (xStart < 0 || xEnd <= xStart) {
            throw new IllegalArgumentException(Checks.format("scan column range [%d, %d) is empty or negative", xStart, xEnd));
        }
    }

    /**
     * @param shape a shape
     * @return the selection of everything in the shape
     */
    public static Selection all(Shape5D shape) {
        return new Selection(0, shape.frames(), 0, shape.scanY(), 0, shape.scanX());
    }

    /** @return number of frames selected */
    public int frames() {
        return frameEnd - frameStart;
    }

    /** @return number of scan rows selected */
    public int rows() {
        return yEnd - yStart;
    }

    /** @return number of scan columns selected */
    public int columns() {
        return xEnd - xStart;
    }

    /** @return number of patterns selected */
    public long patternCount() {
        return (long) frames() * rows() * columns();
    }

    /**
     * @param shape a shape
     * @return whether this selection lies inside the shape
     */
    public boolean fitsIn(Shape5D shape) {
        return frameEnd <= shape.frames() && yEnd <= shape.scanY() && xEnd <= shape.scanX();
    }

    @Override
    public String toString() {
        return Checks.format("frames %d:%d, rows %d:%d, columns %d:%d", frameStart, frameEnd, yStart, yEnd, xStart, xEnd);
    }
}
