/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import org.fivedstem.api.Axis;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.FloatPixelSink;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.PatternVisitor;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.SampleType;

/**
 * A stored 5D array in any axis order, whose patterns are gathered one at a time: the loops over
 * a selection in storage order ({@link AxisOrder#scanOrder()}), shared by the contiguous and
 * chunked storages. Subclasses fill one pattern given its storage coordinates.
 */
public abstract class GatheringStorage implements PatternStorage, StoredType {

    /** The logical shape. */
    protected final Shape5D shape;
    /** The storage axis order. */
    protected final AxisOrder axes;
    /** Storage dimensions, slowest first. */
    protected final int[] dims;
    /** Storage dimension of t, y, x, ky, kx. */
    protected final int dT;
    /** Storage dimension of y. */
    protected final int dY;
    /** Storage dimension of x. */
    protected final int dX;
    /** Storage dimension of ky. */
    protected final int dKy;
    /** Storage dimension of kx. */
    protected final int dKx;

    /**
     * @param shape logical shape
     * @param axes storage order
     */
    protected GatheringStorage(Shape5D shape, AxisOrder axes) {
        this.shape = Objects.requireNonNull(shape);
        this.axes = Objects.requireNonNull(axes);
        this.dims = axes.storageDimensions(shape);
        this.dT = axes.dimensionOf(Axis.T);
        this.dY = axes.dimensionOf(Axis.Y);
        this.dX = axes.dimensionOf(Axis.X);
        this.dKy = axes.dimensionOf(Axis.KY);
        this.dKx = axes.dimensionOf(Axis.KX);
    }

    private double saturationLevel = Double.NaN;
    private String saturationSource;
    private Path saturationFile;

    /**
     * Declares the detector's saturation level: pixel subsets — what estimators read, the annulus
     * of V and g — that hold a value at or above it stop the reading with an error naming the
     * pattern, the pixel and the level, since clipped counts would bias V and g without a trace.
     * Whole patterns (statistics such as the mean pattern, where {@code --mask auto} finds the
     * pixels that reach the level) are delivered as stored.
     *
     * @param file the file, for messages
     * @param level the lowest unreliable value
     * @param where where the level comes from, e.g. {@code "/entry/instrument/detector/saturation_value"}
     */
    public void guardSaturation(Path file, double level, String where) {
        this.saturationFile = file;
        this.saturationLevel = level;
        this.saturationSource = where;
    }

    @Override
    public OptionalDouble saturationLevel() {
        return Double.isNaN(saturationLevel) ? OptionalDouble.empty() : OptionalDouble.of(saturationLevel);
    }

    @Override
    public Shape5D shape() {
        return shape;
    }

    @Override
    public AxisOrder axisOrder() {
        return axes;
    }

    @Override
    public void visit(Selection selection, PatternVisitor visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        double[] pattern = new double[shape.patternSize()];
        walk(selection, (coords, t, y, x) -> {
            gather(coords, pattern);
            visitor.accept(t, y, x, pattern);
        });
    }

    @Override
    public void visitPixels(Selection selection, int[] pixelIndices, PatternVisitor visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        int[] idx = PatternStorage.checkedPixels(pixelIndices, shape.patternSize());
        double[] out = new double[idx.length];
        double[] pattern = new double[shape.patternSize()];
        walk(selection, (coords, t, y, x) -> {
            gatherPixels(coords, idx, out, pattern);
            if (!Double.isNaN(saturationLevel)) {
                for (int k = 0; k < idx.length; k++) {
                    refuseSaturated(coords, idx, k, out[k]);
                }
            }
            visitor.accept(t, y, x, out);
        });
    }

    /**
     * Decodes each pattern's selected pixels straight into the receiver's buffer
     * ({@link #gatherPixels(int[], int[], float[], int, double[])}): stored counts are converted
     * once, into their final place, with no {@code double} copy in between.
     */
    @Override
    public void visitPixelsAsFloat(Selection selection, int[] pixelIndices, FloatPixelSink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        Checks.floatExact(countLimit(), FLOAT_EXACT_LIMIT, description());
        int[] idx = PatternStorage.checkedPixels(pixelIndices, shape.patternSize());
        double[] pattern = new double[shape.patternSize()];
        walk(selection, (coords, t, y, x) -> {
            int o = sink.claim(t, y, x);
            float[] a = sink.array();
            gatherPixels(coords, idx, a, o, pattern);
            if (!Double.isNaN(saturationLevel)) {
                for (int k = 0; k < idx.length; k++) {
                    refuseSaturated(coords, idx, k, a[o + k]);
                }
            }
        });
    }

    private void refuseSaturated(int[] coords, int[] idx, int k, double value) throws RecordingException {
        if (value >= saturationLevel) {
            int kx = shape.kx();
            throw new RecordingException(saturationFile, null, Checks.format(
                "pattern (t %d, y %d, x %d) pixel (%d, %d) holds %.0f, at or above the detector's saturation level %.0f (%s): "
                    + "clipped counts would bias V and g; mask the pixels that reach it (--mask auto does) or give a mask file",
                coords[dT], coords[dY], coords[dX], idx[k] / kx, idx[k] % kx, value, saturationLevel, saturationSource));
        }
    }

    /** What is done with one pattern, given its storage coordinates and its place in the selection. */
    private interface Step {
        void at(int[] coords, int t, int y, int x) throws IOException;
    }

    /** The loops over a selection in storage order. */
    private void walk(Selection selection, Step step) throws IOException {
        if (!selection.fitsIn(shape)) {
            throw new IllegalArgumentException("selection " + selection + " does not fit " + shape);
        }
        List<Axis> order = axes.scanOrder();
        int[] lo = new int[3];
        int[] hi = new int[3];
        for (int i = 0; i < 3; i++) {
            Axis a = order.get(i);
            lo[i] = a == Axis.T ? selection.frameStart() : a == Axis.Y ? selection.yStart() : selection.xStart();
            hi[i] = a == Axis.T ? selection.frameEnd() : a == Axis.Y ? selection.yEnd() : selection.xEnd();
        }
        int[] coords = new int[5];
        int[] txy = new int[3];
        int[] dimOf = {axes.dimensionOf(order.get(0)), axes.dimensionOf(order.get(1)), axes.dimensionOf(order.get(2))};
        int[] slot = {slot(order.get(0)), slot(order.get(1)), slot(order.get(2))};
        for (int a = lo[0]; a < hi[0]; a++) {
            coords[dimOf[0]] = a;
            txy[slot[0]] = a;
            for (int b = lo[1]; b < hi[1]; b++) {
                coords[dimOf[1]] = b;
                txy[slot[1]] = b;
                for (int c = lo[2]; c < hi[2]; c++) {
                    coords[dimOf[2]] = c;
                    txy[slot[2]] = c;
                    step.at(coords, txy[0] - selection.frameStart(), txy[1] - selection.yStart(), txy[2] - selection.xStart());
                }
            }
        }
    }

    private static int slot(Axis a) {
        return a == Axis.T ? 0 : a == Axis.Y ? 1 : 2;
    }

    /**
     * Fills one pattern.
     *
     * @param coords storage coordinates with the ky and kx entries 0. <i>Not modified.</i>
     * @param pattern receives {@code ky * kx} values, row-major. <i>Modified.</i>
     * @throws IOException if reading fails
     */
    protected abstract void gather(int[] coords, double[] pattern) throws IOException;

    /**
     * Fills some pixels of one pattern: {@code out[i] = pattern[pixelIndices[i]]}. The default
     * gathers the whole pattern into {@code scratch} and picks; storages that decode subsets
     * cheaper override it.
     *
     * @param coords storage coordinates with the ky and kx entries 0. <i>Not modified.</i>
     * @param pixelIndices row-major indices, checked to lie in the pattern. <i>Not modified.</i>
     * @param out receives the values. <i>Modified.</i>
     * @param scratch a whole pattern's worth of workspace. <i>Modified.</i>
     * @throws IOException if reading fails
     */
    protected void gatherPixels(int[] coords, int[] pixelIndices, double[] out, double[] scratch) throws IOException {
        gather(coords, scratch);
        for (int i = 0; i < pixelIndices.length; i++) {
            out[i] = scratch[pixelIndices[i]];
        }
    }

    /**
     * Fills some pixels of one pattern as {@code float}: {@code out[outOffset + i] = pattern[pixelIndices[i]]},
     * for storages whose values {@code float} holds exactly ({@link #countLimit()} at most 2²⁴). The
     * default gathers the whole pattern into {@code scratch} and narrows the picked values; storages
     * that decode subsets cheaper override it.
     *
     * @param coords storage coordinates with the ky and kx entries 0. <i>Not modified.</i>
     * @param pixelIndices row-major indices, checked to lie in the pattern. <i>Not modified.</i>
     * @param out receives the values from {@code outOffset}. <i>Modified.</i>
     * @param outOffset where the first value goes
     * @param scratch a whole pattern's worth of workspace. <i>Modified.</i>
     * @throws IOException if reading fails
     */
    protected void gatherPixels(int[] coords, int[] pixelIndices, float[] out, int outOffset, double[] scratch)
        throws IOException {
        gather(coords, scratch);
        for (int i = 0; i < pixelIndices.length; i++) {
            out[outOffset + i] = (float) scratch[pixelIndices[i]];
        }
    }

    /** Unsigned integer storage delivers counts as stored ({@link StoredType#countLimit}). */
    @Override
    public OptionalLong countLimit() {
        return StoredType.countLimit(sampleType());
    }

    @Override
    public abstract SampleType sampleType();

    /**
     * Drops what this storage keeps to read faster (decoded chunks), when its reader moves on to
     * another part of a stream and will not come back soon. The default keeps nothing.
     */
    protected void release() {
    }

    @Override
    public String toString() {
        return description();
    }
}
