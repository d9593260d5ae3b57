/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import java.util.Locale;

import org.fivedstem.api.internal.Checks;

/**
 * The element types a recording can be stored in: unsigned and signed 8/16/32-bit integers and
 * 32/64-bit IEEE floats. All of them convert to {@code double} exactly, which is how patterns are
 * delivered. The byte order is a separate property of a file.
 */
public enum SampleType {
    /** Unsigned 8-bit integer, 0…255. */
    UINT8("uint8", 1, false, false),
    /** Signed 8-bit integer, −128…127. */
    INT8("int8", 1, true, false),
    /** Unsigned 16-bit integer, 0…65535 (typical counting detectors). */
    UINT16("uint16", 2, false, false),
    /** Signed 16-bit integer. */
    INT16("int16", 2, true, false),
    /** Unsigned 32-bit integer. */
    UINT32("uint32", 4, false, false),
    /** Signed 32-bit integer. */
    INT32("int32", 4, true, false),
    /** IEEE 754 binary32. */
    FLOAT32("float32", 4, true, true),
    /** IEEE 754 binary64. */
    FLOAT64("float64", 8, true, true);

    private final String label;
    private final int sizeBytes;
    private final boolean signed;
    private final boolean floating;

    SampleType(String label, int sizeBytes, boolean signed, boolean floating) {
        this.label = label;
        this.sizeBytes = sizeBytes;
        this.signed = signed;
        this.floating = floating;
    }

    /** @return bytes per element */
    public int sizeBytes() {
        return sizeBytes;
    }

    /** @return whether the type holds negative values */
    public boolean isSigned() {
        return signed;
    }

    /** @return whether the type is a floating-point type */
    public boolean isFloatingPoint() {
        return floating;
    }

    /**
     * @return the smallest storable value (−∞ for floating-point types)
     */
    public double minValue() {
        switch (this) {
            case UINT8: case UINT16: case UINT32: return 0;
            case INT8: return Byte.MIN_VALUE;
            case INT16: return Short.MIN_VALUE;
            case INT32: return Integer.MIN_VALUE;
            default: return Double.NEGATIVE_INFINITY;
        }
    }

    /**
     * @return the largest storable value (+∞ for floating-point types)
     */
    public double maxValue() {
        switch (this) {
            case UINT8: return 255;
            case UINT16: return 65535;
            case UINT32: return 4294967295.0;
            case INT8: return Byte.MAX_VALUE;
            case INT16: return Short.MAX_VALUE;
            case INT32: return Integer.MAX_VALUE;
            default: return Double.POSITIVE_INFINITY;
        }
    }

    /**
     * Parses a type name: {@code uint8, int8, uint16, int16, uint32, int32, float32, float64},
     * case-insensitive; {@code u1 … u4, i1 … i4, f4, f8} (NumPy codes) are accepted too.
     *
     * @param text the name
     * @return the type
     * @throws IllegalArgumentException naming the text and the accepted names
     */
    public static SampleType parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (SampleType t : values()) {
            if (t.label.equals(s) || t.numpyCode().equals(s)) {
                return t;
            }
        }
        switch (s) {
            case "float": return FLOAT32;
            case "double": return FLOAT64;
            default:
                throw new IllegalArgumentException(Checks.format(
                    "sample type '%s' is unknown; expected one of uint8, int8, uint16, int16, uint32, int32, float32, float64", text));
        }
    }

    /** @return the NumPy type code without byte order, e.g. {@code u2}, {@code f4} */
    public String numpyCode() {
        return (floating ? "f" : signed ? "i" : "u") + sizeBytes;
    }

    /** @return the name as {@link #parse} reads it, e.g. {@code uint16} */
    @Override
    public String toString() {
        return label;
    }
}
