/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

import org.fivedstem.api.internal.Checks;

/**
 * The order of the five axes in storage, slowest-varying first, as named by acquisition software
 * and HDF5 files: for example {@code t,y,x,ky,kx} (the default: one complete scan per time step)
 * or {@code y,x,t,ky,kx} (all frames of one position together).
 *
 * <p>Parsed from a comma-separated list of the letters {@code t, y, x, ky, kx}, case-insensitive,
 * each exactly once. Immutable.
 */
public final class AxisOrder {

    /** The project's raw layout: {@code t,y,x,ky,kx}. */
    public static final AxisOrder DEFAULT = new AxisOrder(new Axis[] {Axis.T, Axis.Y, Axis.X, Axis.KY, Axis.KX});

    private final Axis[] axes;

    private AxisOrder(Axis[] axes) {
        this.axes = axes;
    }

    /**
     * Parses an axis order such as {@code "y,x,t,ky,kx"}.
     *
     * @param text comma-separated axis letters, each of {@code t, y, x, ky, kx} exactly once
     * @return the axis order
     * @throws IllegalArgumentException naming the string and what is wrong with it
     */
    public static AxisOrder parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("axes is null; expected a permutation of t,y,x,ky,kx");
        }
        String[] parts = text.split(",", -1);
        if (parts.length != 5) {
            throw new IllegalArgumentException(Checks.format(
                "axes '%s' names %d axes; expected the five axes t, y, x, ky, kx separated by commas",
                text, parts.length));
        }
        Axis[] axes = new Axis[5];
        EnumSet<Axis> seen = EnumSet.noneOf(Axis.class);
        for (int i = 0; i < 5; i++) {
            String letter = parts[i].trim().toLowerCase(Locale.ROOT);
            Axis axis = null;
            for (Axis a : Axis.values()) {
                if (a.letter().equals(letter)) {
                    axis = a;
                }
            }
            if (axis == null) {
                throw new IllegalArgumentException(Checks.format(
                    "axes '%s' has an unknown axis '%s'; expected a permutation of t, y, x, ky, kx", text, parts[i].trim()));
            }
            if (!seen.add(axis)) {
                throw new IllegalArgumentException(Checks.format(
                    "axes '%s' names '%s' twice; expected each of t, y, x, ky, kx once", text, letter));
            }
            axes[i] = axis;
        }
        return new AxisOrder(axes);
    }

    /**
     * Creates an axis order from axes, slowest first.
     *
     * @param axes the five axes, each once
     * @return the axis order
     */
    public static AxisOrder of(Axis... axes) {
        StringBuilder sb = new StringBuilder();
        for (Axis a : axes) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(a == null ? "null" : a.letter());
        }
        return parse(sb.toString());
    }

    /** @return the axes, slowest-varying first (a copy) */
    public Axis[] axes() {
        return axes.clone();
    }

    /**
     * @param i storage dimension, 0 = slowest
     * @return the axis stored in that dimension
     */
    public Axis axis(int i) {
        return axes[Checks.index("dimension", i, 5)];
    }

    /**
     * @param axis an axis
     * @return the storage dimension (0 = slowest) that holds the axis
     */
    public int dimensionOf(Axis axis) {
        for (int i = 0; i < 5; i++) {
            if (axes[i] == axis) {
                return i;
            }
        }
        throw new AssertionError(axis);
    }

    /**
     * The order in which patterns follow one another in storage: the time and scan axes in this
     * order, slowest first.
     *
     * @return three axes among {@code T, Y, X}
     */
    public List<Axis> scanOrder() {
        List<Axis> order = new ArrayList<>(3);
        for (Axis a : axes) {
            if (a.isScanOrTime()) {
                order.add(a);
            }
        }
        return List.copyOf(order);
    }

    /**
     * @return whether each diffraction pattern is one contiguous row-major block in storage (the
     *     last two axes are {@code ky, kx})
     */
    public boolean isPatternContiguous() {
        return axes[3] == Axis.KY && axes[4] == Axis.KX;
    }

    /**
     * The storage dimensions of a shape in this order.
     *
     * @param shape the logical shape
     * @return the five extents in storage order
     */
    public int[] storageDimensions(Shape5D shape) {
        int[] dims = new int[5];
        for (int i = 0; i < 5; i++) {
            dims[i] = axes[i].extentIn(shape);
        }
        return dims;
    }

    /**
     * The logical shape of storage dimensions given in this order.
     *
     * @param storageDimensions the five extents in storage order
     * @return the shape
     */
    public Shape5D shapeOf(int[] storageDimensions) {
        Checks.length("storageDimensions", 5, storageDimensions.length);
        return Shape5D.of(storageDimensions[dimensionOf(Axis.T)], storageDimensions[dimensionOf(Axis.Y)],
            storageDimensions[dimensionOf(Axis.X)], storageDimensions[dimensionOf(Axis.KY)],
            storageDimensions[dimensionOf(Axis.KX)]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AxisOrder && Arrays.equals(axes, ((AxisOrder) o).axes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(axes);
    }

    /** @return the order as {@link #parse} reads it, e.g. {@code t,y,x,ky,kx} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Axis a : axes) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(a.letter());
        }
        return sb.toString();
    }
}
