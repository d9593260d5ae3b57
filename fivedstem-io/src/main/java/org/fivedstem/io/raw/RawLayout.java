/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.raw;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.SampleType;

/**
 * How a raw binary recording is laid out: dimensions in storage order (slowest first, matching
 * the axis order given with {@code OpenOptions.withAxes}), the sample type, the byte order and
 * the number of header bytes before the first element. Immutable.
 *
 * @param storageDimensions the five extents in storage order (copied)
 * @param type the sample type
 * @param byteOrder the byte order
 * @param headerBytes bytes to skip at the start of the file (&ge; 0)
 */
public record RawLayout(int[] storageDimensions, SampleType type, ByteOrder byteOrder, long headerBytes) {

    /**
     * Validates and copies.
     *
     * @param storageDimensions the five extents in storage order (copied)
     * @param type the sample type
     * @param byteOrder the byte order
     * @param headerBytes bytes to skip at the start of the file (&ge; 0)
     */
    public RawLayout {
        Objects.requireNonNull(storageDimensions, "storageDimensions");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(byteOrder, "byteOrder");
        Checks.length("storageDimensions", 5, storageDimensions.length);
        for (int i = 0; i < 5; i++) {
            Checks.positive("storageDimensions[" + i + "]", storageDimensions[i]);
        }
        if (headerBytes < 0) {
            throw new IllegalArgumentException(Checks.format("headerBytes is negative: %d", headerBytes));
        }
        storageDimensions = storageDimensions.clone();
    }

    /**
     * @param storageDimensions the five extents in storage order
     * @param type the sample type
     * @return a little-endian layout without header
     */
    public static RawLayout of(int[] storageDimensions, SampleType type) {
        return new RawLayout(storageDimensions, type, ByteOrder.LITTLE_ENDIAN, 0);
    }

    /** @return the extents in storage order (a copy) */
    @Override
    public int[] storageDimensions() {
        return storageDimensions.clone();
    }

    /** @return the file size this layout needs in bytes */
    public long fileBytes() {
        long n = type.sizeBytes();
        for (int d : storageDimensions) {
            n *= d;
        }
        return headerBytes + n;
    }

    /**
     * @param bytes a byte order
     * @return a copy with this byte order
     */
    public RawLayout withByteOrder(ByteOrder bytes) {
        return new RawLayout(storageDimensions, type, bytes, headerBytes);
    }

    /**
     * @param bytes header bytes
     * @return a copy with this header size
     */
    public RawLayout withHeaderBytes(long bytes) {
        return new RawLayout(storageDimensions, type, byteOrder, bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawLayout && Arrays.equals(storageDimensions, ((RawLayout) o).storageDimensions)
            && type == ((RawLayout) o).type && byteOrder.equals(((RawLayout) o).byteOrder)
            && headerBytes == ((RawLayout) o).headerBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(storageDimensions), type, byteOrder, headerBytes);
    }

    @Override
    public String toString() {
        return Checks.format("RawLayout[%s %s %s, header %d bytes]", Arrays.toString(storageDimensions), type,
            byteOrder == ByteOrder.LITTLE_ENDIAN ? "little-endian" : "big-endian", headerBytes);
    }
}
