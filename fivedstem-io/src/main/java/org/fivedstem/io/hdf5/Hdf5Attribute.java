/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.hdf5;

import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.internal.Checks;

/**
 * A named HDF5 attribute value to be written: a 64-bit float or integer (scalar or 1D array) or a
 * UTF-8 string. Immutable; arrays are copied in and out.
 *
 * <pre>{@code
 * Hdf5Attribute.of("units", "s");
 * Hdf5Attribute.of("temperature_K", 633.0);
 * Hdf5Attribute.ofArray("center_px", new double[] {32.5, 32.5});
 * }</pre>
 */
public final class Hdf5Attribute {

    /** What an attribute holds. */
    public enum Kind {
        /** float64, scalar or 1D. */
        FLOAT64,
        /** int64, scalar or 1D. */
        INT64,
        /** A variable-length UTF-8 string (read by h5py as {@code str}). */
        STRING
    }

    private final String name;
    private final Kind kind;
    private final boolean scalar;
    private final double[] doubles;
    private final long[] longs;
    private final String text;

    private Hdf5Attribute(String name, Kind kind, boolean scalar, double[] doubles, long[] longs, String text) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(Checks.format(
                "attribute name '%s' is empty or holds '/' or NUL; expected a plain name", name));
        }
        this.name = name;
        this.kind = kind;
        this.scalar = scalar;
        this.doubles = doubles;
        this.longs = longs;
        this.text = text;
    }

    /**
     * @param name attribute name
     * @param value the value (any double, NaN included)
     * @return a scalar float64 attribute
     */
    public static Hdf5Attribute of(String name, double value) {
        return new Hdf5Attribute(name, Kind.FLOAT64, true, new double[] {value}, null, null);
    }

    /**
     * @param name attribute name
     * @param values the values (copied; at least one)
     * @return a 1D float64 attribute
     */
    public static Hdf5Attribute ofArray(String name, double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("attribute '" + name + "' has no values; expected at least one");
        }
        return new Hdf5Attribute(name, Kind.FLOAT64, false, values.clone(), null, null);
    }

    /**
     * @param name attribute name
     * @param value the value
     * @return a scalar int64 attribute
     */
    public static Hdf5Attribute of(String name, long value) {
        return new Hdf5Attribute(name, Kind.INT64, true, null, new long[] {value}, null);
    }

    /**
     * @param name attribute name
     * @param values the values (copied; at least one)
     * @return a 1D int64 attribute
     */
    public static Hdf5Attribute ofArray(String name, long[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("attribute '" + name + "' has no values; expected at least one");
        }
        return new Hdf5Attribute(name, Kind.INT64, false, null, values.clone(), null);
    }

    /**
     * @param name attribute name
     * @param value the text (UTF-8 when stored)
     * @return a string attribute
     */
    public static Hdf5Attribute of(String name, String value) {
        Objects.requireNonNull(value, "value");
        return new Hdf5Attribute(name, Kind.STRING, true, null, null, value);
    }

    /** @return the attribute name */
    public String name() {
        return name;
    }

    /** @return what the attribute holds */
    public Kind kind() {
        return kind;
    }

    /** @return whether the attribute is a scalar (strings always are) */
    public boolean isScalar() {
        return scalar;
    }

    /** @return the float64 values (a copy) */
    public double[] doubles() {
        requireKind(Kind.FLOAT64);
        return doubles.clone();
    }

    /** @return the int64 values (a copy) */
    public long[] longs() {
        requireKind(Kind.INT64);
        return longs.clone();
    }

    /** @return the string */
    public String text() {
        requireKind(Kind.STRING);
        return text;
    }

    /** @return number of values (1 for scalars and strings) */
    public int length() {
        return kind == Kind.FLOAT64 ? doubles.length : kind == Kind.INT64 ? longs.length : 1;
    }

    private void requireKind(Kind k) {
        if (kind != k) {
            throw new IllegalStateException("attribute '" + name + "' holds " + kind + ", not " + k);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Hdf5Attribute)) {
            return false;
        }
        Hdf5Attribute a = (Hdf5Attribute) o;
        return name.equals(a.name) && kind == a.kind && scalar == a.scalar && Arrays.equals(doubles, a.doubles)
            && Arrays.equals(longs, a.longs) && Objects.equals(text, a.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, scalar, Arrays.hashCode(doubles), Arrays.hashCode(longs), text);
    }

    @Override
    public String toString() {
        String v;
        switch (kind) {
            case FLOAT64: v = scalar ? Double.toString(doubles[0]) : Arrays.toString(doubles); break;
            case INT64: v = scalar ? Long.toString(longs[0]) : Arrays.toString(longs); break;
            default: v = '"' + text + '"';
        }
        return name + " = " + v;
    }
}
