/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.io.IOException;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Where the values of a 5D recording live: in memory, in an HDF5 file, in a raw binary file. The
 * contract that lets algorithms stream a recording of any size without holding it in memory.
 *
 * <p>Implementations deliver patterns as {@code double} whatever the stored type (8/16/32-bit
 * integers, 32/64-bit floats are all exact in double), row-major {@code ky × kx}. They choose how
 * to read — hyperslabs, chunks, memory maps — but must deliver the patterns of a selection in
 * storage order ({@link #axisOrder()}), so that every byte is read once.
 *
 * <p>Implementations are safe for use by one thread at a time; {@link #visit} calls its visitor on
 * the calling thread.
 */
public interface PatternStorage extends AutoCloseable {

    /** @return the logical extents of the whole stored recording */
    Shape5D shape();

    /** @return the order of the axes in storage, slowest first; {@link #visit} follows it */
    AxisOrder axisOrder();

    /**
     * @return what this storage is, for messages and {@code toString()}: e.g.
     *     {@code "scan.h5:/data uint16 chunked(1,1,60,66,66) deflate"}
     */
    String description();

    /**
     * Delivers every pattern of a selection to a visitor, in storage order.
     *
     * @param selection frames and scan positions to read, in this storage's coordinates
     * @param visitor receives each pattern with coordinates relative to the selection's start
     * @throws IOException if reading fails
     * @throws IllegalArgumentException if the selection does not fit the shape
     */
    void visit(Selection selection, PatternVisitor visitor) throws IOException;

    /**
     * Like {@link #visit}, but delivers only some pixels of each pattern: the visitor's array holds
     * {@code pattern[pixelIndices[i]]} at index {@code i} (and is reused between calls). For
     * algorithms that need a few hundred pixels of each pattern (an annulus); storages that can
     * decode a subset cheaper than a whole pattern override it. The default visits whole patterns
     * and gathers.
     *
     * @param selection frames and scan positions to read, in this storage's coordinates
     * @param pixelIndices row-major pixel indices in {@code [0, ky·kx)}, any order. <i>Not modified.</i>
     * @param visitor receives each pattern's selected pixels, coordinates relative to the selection's start
     * @throws IOException if reading fails
     * @throws IllegalArgumentException if the selection does not fit the shape or an index is out of range
     */
    default void visitPixels(Selection selection, int[] pixelIndices, PatternVisitor visitor) throws IOException {
        int[] idx = checkedPixels(pixelIndices, shape().patternSize());
        double[] out = new double[idx.length];
        visit(selection, (t, y, x, p) -> {
            for (int i = 0; i < idx.length; i++) {
                out[i] = p[idx[i]];
            }
            visitor.accept(t, y, x, out);
        });
    }

    /**
     * The largest whole number up to which {@code float} holds every whole number exactly: 2²⁴.
     * Recordings whose {@link #countLimit()} is at most this can be read as {@code float}
     * ({@link #visitPixelsAsFloat}).
     */
    long FLOAT_EXACT_LIMIT = 1L << 24;

    /**
     * Like {@link #visitPixels(Selection, int[], PatternVisitor)}, but each pattern's pixels are
     * written as {@code float} straight into the receiver's buffer ({@link FloatPixelSink}): for
     * recordings of whole counts that {@code float} holds exactly ({@link #countLimit()} at most
     * {@link #FLOAT_EXACT_LIMIT}), so that a storage decoding stored integers writes each value
     * once, into its final place. The default visits the pixels as {@code double} and narrows them
     * (exactly, given the limit); storages that decode integers override it.
     *
     * @param selection frames and scan positions to read, in this storage's coordinates
     * @param pixelIndices row-major pixel indices in {@code [0, ky·kx)}, any order. <i>Not modified.</i>
     * @param sink receives each pattern's selected pixels, coordinates relative to the selection's start
     * @throws IOException if reading fails
     * @throws IllegalStateException if {@link #countLimit()} is empty or above {@link #FLOAT_EXACT_LIMIT}
     *     ({@code float} would round)
     * @throws IllegalArgumentException if the selection does not fit the shape or an index is out of range
     */
    default void visitPixelsAsFloat(Selection selection, int[] pixelIndices, FloatPixelSink sink) throws IOException {
        org.fivedstem.api.internal.Checks.floatExact(countLimit(), FLOAT_EXACT_LIMIT, description());
        java.util.Objects.requireNonNull(sink, "sink");
        visitPixels(selection, pixelIndices, (t, y, x, v) -> {
            int o = sink.claim(t, y, x);
            float[] a = sink.array();
            for (int i = 0; i < v.length; i++) {
                a[o + i] = (float) v[i];
            }
        });
    }

    /**
     * @param pixelIndices indices to check
     * @param patternSize ky·kx
     * @return a copy, each index checked to lie in {@code [0, patternSize)}
     * @throws IllegalArgumentException naming the first index out of range
     */
    static int[] checkedPixels(int[] pixelIndices, int patternSize) {
        int[] idx = pixelIndices.clone();
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= patternSize) {
                throw new IllegalArgumentException(org.fivedstem.api.internal.Checks.format(
                    "pixelIndices[%d] is outside [0, %d): %d", i, patternSize, idx[i]));
            }
        }
        return idx;
    }

    /**
     * Reads one pattern. Convenient for random access; streaming algorithms use {@link #visit}.
     *
     * @param frame frame index
     * @param y scan row
     * @param x scan column
     * @param destination receives {@code ky * kx} values, row-major. <i>Modified.</i>
     * @throws IOException if reading fails
     */
    default void readPattern(int frame, int y, int x, double[] destination) throws IOException {
        visit(new Selection(frame, frame + 1, y, y + 1, x, x + 1),
            (t, yy, xx, p) -> System.arraycopy(p, 0, destination, 0, p.length));
    }

    /**
     * The lowest stored value that is not a reliable count, where the format says: a counting
     * detector's saturation value or count-rate cutoff, or its invalid-pixel marker. Pixels that
     * reach it must not enter estimators; automatic masks exclude them. Applies to the stored
     * (unbinned) values.
     *
     * @return the level, or empty if the format states none (the default)
     */
    default OptionalDouble saturationLevel() {
        return OptionalDouble.empty();
    }

    /**
     * The largest value this storage delivers when every value it delivers is a whole number
     * {@code ≥ 0}: a count in unsigned integer storage (255 for 8-bit, 65535 for 16-bit,
     * 2³² − 1 for 32-bit counts). Consumers may then hold the values in a narrower type where that
     * is exact — {@code float} holds every whole number below 2²⁴ — and widen them to
     * {@code double} where they compute, with the same results as from the delivered doubles.
     * Storages that transform values (interpolate, subtract, scale) or whose values may be negative
     * or fractional (signed or floating-point types) leave it empty.
     *
     * @return the bound, or empty when values may be negative or fractional (the default)
     */
    default OptionalLong countLimit() {
        return OptionalLong.empty();
    }

    /**
     * Releases files or other resources. The default does nothing.
     *
     * @throws IOException if releasing fails
     */
    @Override
    default void close() throws IOException {
    }
}
