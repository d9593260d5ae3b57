/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.fivedstem.api.internal.Checks;

/**
 * A 5D-STEM recording: diffraction patterns over a 2D scan and time, with its calibration and an
 * optional detector mask.
 *
 * <p>The values stay in their {@link PatternStorage} — an array, an HDF5 file, a memory-mapped raw
 * file — and are reached by streaming ({@link #forEachPattern}) so that nothing forces a
 * recording into memory. Views do not copy: {@link #crop} a scan region, select a
 * {@link #timeRange}, {@link #bin} the diffraction patterns, attach a mask or a calibration. Views
 * compose; each returns a new immutable dataset over the same storage.
 *
 * <pre>{@code
 * Dataset5D ds = Dataset5D.of(storage, calibration)
 *     .crop(0, 60, 60, 120)    // the right half of the scan
 *     .bin(4);                 // 264×264 → 66×66, pixel size ×4
 * ds.forEachPattern((t, y, x, pattern) -> ...);
 * }</pre>
 *
 * <p><b>Binning</b> sums {@code b × b} pixel blocks; trailing rows and columns that do not fill a
 * block are dropped. The binned calibration has a pixel size {@code b} times larger and its centre
 * at {@code (c − (b−1)/2)/b} ({@link Calibration#binned}); the binned mask keeps a pixel only if
 * all its source pixels are valid ({@link DetectorMask#binned}). Binning twice by {@code a} then
 * {@code b} equals binning once by {@code a·b}.
 *
 * <p><b>Closing</b> a dataset closes its storage, which all views of it share.
 */
public final class Dataset5D implements AutoCloseable {

    private final PatternStorage storage;
    private final Selection selection;
    private final int bin;
    private final Shape5D shape;
    private final Calibration calibration;
    private final DetectorMask mask;

    private Dataset5D(PatternStorage storage, Selection selection, int bin, Calibration calibration, DetectorMask mask) {
        this.storage = storage;
        this.selection = selection;
        this.bin = bin;
        Shape5D s = storage.shape();
        int ky = s.ky() / bin;
        int kx = s.kx() / bin;
        if (ky < 1 || kx < 1) {
            throw new IllegalArgumentException(Checks.format("bin %d is larger than the %d×%d pattern", bin, s.ky(), s.kx()));
        }
        this.shape = Shape5D.of(selection.frames(), selection.rows(), selection.columns(), ky, kx);
        this.calibration = calibration;
        if (calibration.hasTimestamps() && calibration.timestampsSeconds().length != shape.frames()) {
            throw new IllegalArgumentException(Checks.format(
                "calibration has %d timestamps, but the dataset has %d frames",
                calibration.timestampsSeconds().length, shape.frames()));
        }
        if (mask != null && (mask.ky() != ky || mask.kx() != kx)) {
            throw new IllegalArgumentException(Checks.format(
                "mask of %d×%d pixels does not match the %d×%d diffraction patterns", mask.ky(), mask.kx(), ky, kx));
        }
        this.mask = mask;
    }

    /**
     * @param storage where the values are
     * @param calibration the calibration of the stored (unbinned) patterns
     * @return the dataset over the whole storage, without a mask
     */
    public static Dataset5D of(PatternStorage storage, Calibration calibration) {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(calibration, "calibration");
        return new Dataset5D(storage, Selection.all(storage.shape()), 1, calibration, null);
    }

    /**
     * An in-memory dataset (copied), for small recordings and tests.
     *
     * @param shape the extents
     * @param values values in the order t, y, x, ky, kx
     * @param calibration the calibration
     * @return the dataset
     */
    public static Dataset5D ofArray(Shape5D shape, double[] values, Calibration calibration) {
        return of(ArrayStorage.of(shape, values), calibration);
    }

    /** @return the extents of this view (after crop, time range and binning) */
    public Shape5D shape() {
        return shape;
    }

    /** @return the calibration of this view (binned pixel size and centre, sliced timestamps) */
    public Calibration calibration() {
        return calibration;
    }

    /** @return the detector mask of this view's patterns, if one is attached */
    public Optional<DetectorMask> mask() {
        return Optional.ofNullable(mask);
    }

    /** @return the attached mask, or one with every pixel valid */
    public DetectorMask maskOrAllValid() {
        return mask != null ? mask : DetectorMask.allValid(shape.ky(), shape.kx());
    }

    /** @return the storage behind this view (shared by all views) */
    public PatternStorage storage() {
        return storage;
    }

    /** @return the frames and scan positions of the storage that this view covers */
    public Selection selection() {
        return selection;
    }

    /** @return the total binning factor applied to the stored patterns */
    public int binFactor() {
        return bin;
    }

    /** @return the order in which {@link #forEachPattern} delivers patterns (the storage's) */
    public AxisOrder axisOrder() {
        return storage.axisOrder();
    }

    /**
     * A view of scan rows {@code [yStart, yEnd)} and columns {@code [xStart, xEnd)} of this view.
     *
     * @param yStart first row, inclusive
     * @param yEnd last row, exclusive
     * @param xStart first column, inclusive
     * @param xEnd last column, exclusive
     * @return the cropped view
     */
    public Dataset5D crop(int yStart, int yEnd, int xStart, int xEnd) {
        Checks.range("scanY", yStart, yEnd, shape.scanY());
        Checks.range("scanX", xStart, xEnd, shape.scanX());
        Selection s = new Selection(selection.frameStart(), selection.frameEnd(),
            selection.yStart() + yStart, selection.yStart() + yEnd,
            selection.xStart() + xStart, selection.xStart() + xEnd);
        return new Dataset5D(storage, s, bin, calibration, mask);
    }

    /**
     * A view of frames {@code [start, end)} of this view.
     *
     * @param start first frame, inclusive
     * @param end last frame, exclusive
     * @return the view
     */
    public Dataset5D timeRange(int start, int end) {
        Checks.range("frames", start, end, shape.frames());
        Selection s = new Selection(selection.frameStart() + start, selection.frameStart() + end,
            selection.yStart(), selection.yEnd(), selection.xStart(), selection.xEnd());
        return new Dataset5D(storage, s, bin, calibration.timeRange(start, end), mask);
    }

    /**
     * A view with diffraction patterns binned {@code b × b} (summed); see the class notes.
     *
     * @param b the binning factor (&ge; 1)
     * @return the binned view
     */
    public Dataset5D bin(int b) {
        Checks.positive("bin", b);
        if (b == 1) {
            return this;
        }
        return new Dataset5D(storage, selection, bin * b, calibration.binned(b), mask == null ? null : mask.binned(b));
    }

    /**
     * @param newMask a mask of this view's pattern size, or {@code null} for none
     * @return a view with this mask
     */
    public Dataset5D withMask(DetectorMask newMask) {
        return new Dataset5D(storage, selection, bin, calibration, newMask);
    }

    /**
     * @param newCalibration the calibration of this view's (binned) patterns
     * @return a view with this calibration
     */
    public Dataset5D withCalibration(Calibration newCalibration) {
        return new Dataset5D(storage, selection, bin, Objects.requireNonNull(newCalibration, "calibration"), mask);
    }

    /**
     * Streams every pattern of this view, in storage order, binned as the view says.
     *
     * @param visitor receives each pattern; coordinates are relative to this view
     * @throws IOException if the storage fails to read
     */
    public void forEachPattern(PatternVisitor visitor) throws IOException {
        forEachPattern(new Selection(0, shape.frames(), 0, shape.scanY(), 0, shape.scanX()), visitor);
    }

    /**
     * Streams the patterns of part of this view, in storage order.
     *
     * @param part frames and scan positions in this view's coordinates
     * @param visitor receives each pattern; coordinates are relative to {@code part}'s start
     * @throws IOException if the storage fails to read
     */
    public void forEachPattern(Selection part, PatternVisitor visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        if (!part.fitsIn(shape)) {
            throw new IllegalArgumentException("selection " + part + " does not fit " + shape);
        }
        Selection s = new Selection(selection.frameStart() + part.frameStart(), selection.frameStart() + part.frameEnd(),
            selection.yStart() + part.yStart(), selection.yStart() + part.yEnd(),
            selection.xStart() + part.xStart(), selection.xStart() + part.xEnd());
        if (bin == 1) {
            storage.visit(s, visitor);
            return;
        }
        int srcKx = storage.shape().kx();
        int ky = shape.ky();
        int kx = shape.kx();
        int b = bin;
        double[] binned = new double[ky * kx];
        storage.visit(s, (t, y, x, p) -> {
            for (int i = 0; i < ky; i++) {
                int outRow = i * kx;
                for (int j = 0; j < kx; j++) {
                    double sum = 0;
                    for (int a = 0; a < b; a++) {
                        int src = (i * b + a) * srcKx + j * b;
                        for (int c = 0; c < b; c++) {
                            sum += p[src + c];
                        }
                    }
                    binned[outRow + j] = sum;
                }
            }
            visitor.accept(t, y, x, binned);
        });
    }

    /**
     * Streams some pixels of the patterns of part of this view, in storage order: the visitor's
     * array holds {@code pattern[pixelIndices[i]]} at index {@code i} (reused between calls).
     * Cheaper than {@link #forEachPattern(Selection, PatternVisitor)} when few pixels are needed
     * (an annulus) and the storage decodes subsets directly.
     *
     * @param part frames and scan positions in this view's coordinates
     * @param pixelIndices row-major indices into this view's (binned) patterns. <i>Not modified.</i>
     * @param visitor receives each pattern's selected pixels; coordinates relative to {@code part}'s start
     * @throws IOException if the storage fails to read
     * @throws IllegalArgumentException if the part does not fit or an index is out of range
     */
    public void forEachPattern(Selection part, int[] pixelIndices, PatternVisitor visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        int[] idx = PatternStorage.checkedPixels(pixelIndices, shape.patternSize());
        if (!part.fitsIn(shape)) {
            throw new IllegalArgumentException("selection " + part + " does not fit " + shape);
        }
        if (bin == 1) {
            Selection s = new Selection(selection.frameStart() + part.frameStart(), selection.frameStart() + part.frameEnd(),
                selection.yStart() + part.yStart(), selection.yStart() + part.yEnd(),
                selection.xStart() + part.xStart(), selection.xStart() + part.xEnd());
            storage.visitPixels(s, idx, visitor);
            return;
        }
        // The stored pixels of each selected b × b block, read as a pixel subset (so storages decode
        // only those, and see them as estimator input) and summed in the order of the whole-pattern
        // path above, which gives the same bits.
        int b = bin;
        int srcKx = storage.shape().kx();
        int[] src = new int[idx.length * b * b];
        int k = 0;
        for (int index : idx) {
            int i = index / shape.kx();
            int j = index % shape.kx();
            for (int a = 0; a < b; a++) {
                for (int c = 0; c < b; c++) {
                    src[k++] = (i * b + a) * srcKx + j * b + c;
                }
            }
        }
        Selection s = new Selection(selection.frameStart() + part.frameStart(), selection.frameStart() + part.frameEnd(),
            selection.yStart() + part.yStart(), selection.yStart() + part.yEnd(),
            selection.xStart() + part.xStart(), selection.xStart() + part.xEnd());
        double[] out = new double[idx.length];
        int block = b * b;
        storage.visitPixels(s, src, (t, y, x, v) -> {
            for (int i = 0; i < out.length; i++) {
                double sum = 0;
                for (int m = i * block; m < (i + 1) * block; m++) {
                    sum += v[m];
                }
                out[i] = sum;
            }
            visitor.accept(t, y, x, out);
        });
    }

    /**
     * Streams some pixels of the patterns of part of this view as {@code float}, written straight
     * into the receiver's buffer ({@link FloatPixelSink}): the lean path for recordings of whole
     * counts that {@code float} holds exactly, {@link #countLimit()} at most
     * {@link PatternStorage#FLOAT_EXACT_LIMIT} (binned sums included). Unbinned, storages that
     * decode integers write each value once, into its final place
     * ({@link PatternStorage#visitPixelsAsFloat}); binned, the B² stored pixels are summed in
     * {@code double} as in {@link #forEachPattern(Selection, int[], PatternVisitor)} (the same
     * sums, whole numbers) and stored as {@code float}.
     *
     * @param part frames and scan positions in this view's coordinates
     * @param pixelIndices row-major indices into this view's (binned) patterns. <i>Not modified.</i>
     * @param sink receives each pattern's selected pixels; coordinates relative to {@code part}'s start
     * @throws IOException if the storage fails to read
     * @throws IllegalStateException if {@link #countLimit()} is empty or above 2²⁴
     * @throws IllegalArgumentException if the part does not fit or an index is out of range
     */
    public void forEachPatternAsFloat(Selection part, int[] pixelIndices, FloatPixelSink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        Checks.floatExact(countLimit(), PatternStorage.FLOAT_EXACT_LIMIT,
            storage.description() + (bin > 1 ? " binned " + bin + "×" + bin : ""));
        if (bin == 1) {
            int[] idx = PatternStorage.checkedPixels(pixelIndices, shape.patternSize());
            if (!part.fitsIn(shape)) {
                throw new IllegalArgumentException("selection " + part + " does not fit " + shape);
            }
            Selection s = new Selection(selection.frameStart() + part.frameStart(), selection.frameStart() + part.frameEnd(),
                selection.yStart() + part.yStart(), selection.yStart() + part.yEnd(),
                selection.xStart() + part.xStart(), selection.xStart() + part.xEnd());
            storage.visitPixelsAsFloat(s, idx, sink);
            return;
        }
        forEachPattern(part, pixelIndices, (t, y, x, v) -> {
            int o = sink.claim(t, y, x);
            float[] a = sink.array();
            for (int i = 0; i < v.length; i++) {
                a[o + i] = (float) v[i];   // a whole number ≤ 2²⁴ (countLimit): exact
            }
        });
    }

    /**
     * The largest value a (binned) pattern of this view can hold when every value is a whole
     * number {@code ≥ 0}: the storage's {@link PatternStorage#countLimit()} times the B² stored
     * pixels a binned pixel sums. What lets the analysis keep the annulus values in {@code float}
     * (exact below 2²⁴) instead of {@code double}.
     *
     * @return the bound, or empty when the storage states none (or the product overflows a long)
     */
    public OptionalLong countLimit() {
        OptionalLong stored = storage.countLimit();
        if (stored.isEmpty()) {
            return stored;
        }
        try {
            return OptionalLong.of(Math.multiplyExact(stored.getAsLong(), (long) bin * bin));
        } catch (ArithmeticException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Reads one (binned) pattern of this view. For random access; prefer {@link #forEachPattern}.
     *
     * @param frame frame index in this view
     * @param y scan row in this view
     * @param x scan column in this view
     * @return a new array of {@code ky * kx} values
     * @throws IOException if the storage fails to read
     */
    public double[] readPattern(int frame, int y, int x) throws IOException {
        Checks.index("frame", frame, shape.frames());
        Checks.index("y", y, shape.scanY());
        Checks.index("x", x, shape.scanX());
        double[] out = new double[shape.patternSize()];
        forEachPattern(new Selection(frame, frame + 1, y, y + 1, x, x + 1),
            (t, yy, xx, p) -> System.arraycopy(p, 0, out, 0, out.length));
        return out;
    }

    /** Closes the storage shared by this dataset and all its views. */
    @Override
    public void close() throws IOException {
        storage.close();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Dataset5D[").append(shape);
        if (bin > 1) {
            sb.append(", binned ").append(bin).append('×').append(bin);
        }
        if (!selection.equals(Selection.all(storage.shape()))) {
            sb.append(", view of ").append(selection);
        }
        sb.append(", ").append(calibration);
        if (mask != null) {
            sb.append(", ").append(mask);
        }
        return sb.append(", ").append(storage.description()).append(']').toString();
    }
}
