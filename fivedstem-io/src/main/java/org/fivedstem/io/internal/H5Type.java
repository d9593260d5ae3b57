/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.ByteArrayOutputStream;

import org.fivedstem.io.SampleType;

/**
 * An HDF5 datatype as the writer encodes it (datatype message, HDF5 file format specification
 * section IV.A.2.d): little-endian fixed-point and IEEE floating-point numbers, and
 * variable-length UTF-8 strings (what h5py writes for {@code str} attributes, so that h5py reads
 * them back as {@code str}).
 */
public final class H5Type {

    private enum Kind { FIXED, FLOAT, VLEN_STRING }

    /** 64-bit signed integer. */
    public static final H5Type INT64 = new H5Type(Kind.FIXED, 8, true);
    /** 8-bit unsigned integer. */
    public static final H5Type UINT8 = new H5Type(Kind.FIXED, 1, false);
    /** IEEE binary64. */
    public static final H5Type FLOAT64 = new H5Type(Kind.FLOAT, 8, true);
    /** IEEE binary32. */
    public static final H5Type FLOAT32 = new H5Type(Kind.FLOAT, 4, true);
    /** Variable-length UTF-8 string, stored in a global heap. */
    public static final H5Type VLEN_UTF8 = new H5Type(Kind.VLEN_STRING, 16, false);

    private final Kind kind;
    private final int size;
    private final boolean signed;

    private H5Type(Kind kind, int size, boolean signed) {
        this.kind = kind;
        this.size = size;
        this.signed = signed;
    }

    /**
     * @param t a sample type
     * @return the little-endian HDF5 type of it
     */
    public static H5Type of(SampleType t) {
        if (t == SampleType.FLOAT32) {
            return FLOAT32;
        }
        if (t == SampleType.FLOAT64) {
            return FLOAT64;
        }
        return new H5Type(Kind.FIXED, t.sizeBytes(), t.isSigned());
    }

    /** @return bytes per element as stored in a dataset or attribute */
    public int size() {
        return size;
    }

    /** @return whether this is a variable-length string */
    public boolean isVariableLengthString() {
        return kind == Kind.VLEN_STRING;
    }

    /** @return the body of the datatype message */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (kind) {
            case FIXED:
                fixed(out, size, signed);
                break;
            case FLOAT:
                out.write(0x10 | 1);                 // version 1, class 1 (floating point)
                out.write(0x20);                     // little-endian, no padding, mantissa normalisation 2 (implied MSB)
                out.write(size == 8 ? 63 : 31);      // sign bit location
                out.write(0);
                Le.putInt(out, size);
                Le.putShort(out, 0);                 // bit offset
                Le.putShort(out, size * 8);          // bit precision
                out.write(size == 8 ? 52 : 23);      // exponent location
                out.write(size == 8 ? 11 : 8);       // exponent size
                out.write(0);                        // mantissa location
                out.write(size == 8 ? 52 : 23);      // mantissa size
                Le.putInt(out, size == 8 ? 1023 : 127);
                break;
            default:
                out.write(0x10 | 9);                 // version 1, class 9 (variable length)
                out.write(0x01);                     // type 1 = string, padding 0 = null terminate
                out.write(0x01);                     // character set 1 = UTF-8
                out.write(0);
                Le.putInt(out, 16);                  // 4-byte length + 8-byte collection address + 4-byte index
                fixed(out, 1, false);                // base type: one unsigned byte
                break;
        }
        return out.toByteArray();
    }

    private static void fixed(ByteArrayOutputStream out, int size, boolean signed) {
        out.write(0x10);                 // version 1, class 0 (fixed point)
        out.write(signed ? 0x08 : 0x00); // little-endian, zero padding, signed flag
        out.write(0);
        out.write(0);
        Le.putInt(out, size);
        Le.putShort(out, 0);             // bit offset
        Le.putShort(out, size * 8);      // bit precision
    }

    @Override
    public String toString() {
        switch (kind) {
            case FIXED: return (signed ? "int" : "uint") + size * 8;
            case FLOAT: return "float" + size * 8;
            default: return "vlen utf-8 string";
        }
    }
}
