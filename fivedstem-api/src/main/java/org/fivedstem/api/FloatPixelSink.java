/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

/**
 * Receives the selected pixels of patterns as {@code float}, written by the storage straight into
 * the receiver's buffer: the lean path of {@link PatternStorage#visitPixelsAsFloat(Selection, int[], FloatPixelSink)}
 * for recordings of whole counts that {@code float} holds exactly ({@link PatternStorage#countLimit()}
 * at most 2²⁴), where a storage can decode its stored integers into their final place without a
 * {@code double} copy in between.
 *
 * <p>For each pattern, in storage order, the storage calls {@link #claim} and then writes the
 * pattern's n selected pixels to {@code array()[offset … offset + n − 1]}, where {@code offset} is
 * what {@code claim} returned and {@code array()} is called after it. The receiver may hand the
 * values of a pattern on at its next {@code claim} (or when the visit returns), not before.
 */
public interface FloatPixelSink {

    /**
     * Reserves room for one pattern's pixels.
     *
     * @param frame frame index, relative to the selection visited
     * @param y scan row, relative to the selection visited
     * @param x scan column, relative to the selection visited
     * @return where in {@link #array()} the pattern's first selected pixel goes
     */
    int claim(int frame, int y, int x);

    /** @return the array of the last {@link #claim}; the storage writes the pattern's pixels into it. <i>Modified.</i> */
    float[] array();
}
