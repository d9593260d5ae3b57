/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.Objects;

import org.fivedstem.api.internal.Checks;

/**
 * A recording held in one Java array in the order {@code t, y, x, ky, kx} (row-major): for
 * simulated data, tests and small recordings. {@code float} storage halves the memory and holds
 * detector counts below 2²⁴ exactly. The array is copied in, so the storage is immutable.
 */
public final class ArrayStorage implements PatternStorage {

    private final Shape5D shape;
    private final double[] doubles;
    private final float[] floats;

    private ArrayStorage(Shape5D shape, double[] doubles, float[] floats) {
        this.shape = shape;
        this.doubles = doubles;
        this.floats = floats;
    }

    private static void checkLength(Shape5D shape, int length) {
        if (shape.valueCount() != length) {
            throw new IllegalArgumentException(Checks.format(
                "data has %d values, but a recording of %s has %d", length, shape, shape.valueCount()));
        }
    }

    /**
     * @param shape the extents
     * @param values {@code shape.valueCount()} values in the order t, y, x, ky, kx (copied)
     * @return the storage
     */
    public static ArrayStorage of(Shape5D shape, double[] values) {
        Objects.requireNonNull(shape, "shape");
        checkLength(shape, Objects.requireNonNull(values, "values").length);
        return new ArrayStorage(shape, values.clone(), null);
    }

    /**
     * @param shape the extents
     * @param values {@code shape.valueCount()} values in the order t, y, x, ky, kx (copied)
     * @return the storage
     */
    public static ArrayStorage of(Shape5D shape, float[] values) {
        Objects.requireNonNull(shape, "shape");
        checkLength(shape, Objects.requireNonNull(values, "values").length);
        return new ArrayStorage(shape, null, values.clone());
    }

    @Override
    public Shape5D shape() {
        return shape;
    }

    @Override
    public AxisOrder axisOrder() {
        return AxisOrder.DEFAULT;
    }

    @Override
    public String description() {
        return "in-memory " + (doubles != null ? "float64" : "float32") + " array (t,y,x,ky,kx)";
    }

    @Override
    public void visit(Selection selection, PatternVisitor visitor) {
        if (!selection.fitsIn(shape)) {
            throw new IllegalArgumentException("selection " + selection + " does not fit " + shape);
        }
        int n = shape.patternSize();
        double[] buffer = new double[n];
        for (int t = selection.frameStart(); t < selection.frameEnd(); t++) {
            for (int y = selection.yStart(); y < selection.yEnd(); y++) {
                for (int x = selection.xStart(); x < selection.xEnd(); x++) {
                    int offset = (int) ((((long) t * shape.scanY() + y) * shape.scanX() + x) * n);
                    if (doubles != null) {
                        System.arraycopy(doubles, offset, buffer, 0, n);
                    } else {
                        for (int i = 0; i < n; i++) {
                            buffer[i] = floats[offset + i];
                        }
                    }
                    visitor.accept(t - selection.frameStart(), y - selection.yStart(), x - selection.xStart(), buffer);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "ArrayStorage[" + shape + ", " + description() + "]";
    }
}
