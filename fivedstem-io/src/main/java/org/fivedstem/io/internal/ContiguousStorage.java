/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.SampleType;

/**
 * A 5D array stored contiguously (row-major in its storage axis order) at an offset of a file:
 * an HDF5 contiguous dataset, a raw binary file, a {@code .npy} file. Read through memory maps,
 * so the heap holds one pattern whatever the file size, and every byte is read once when the
 * patterns lie contiguously ({@code …,ky,kx}); other orders gather with strides and rely on the
 * page cache.
 *
 * <p>Why memory maps rather than jhdf's array-returning calls or {@code FileChannel.read}: see
 * {@code docs/input-formats.md} (measured there). Maps are 1 GiB segments that overlap by one
 * pattern's byte span, so every run read lies inside one segment and files beyond 2 GiB work.
 *
 * <p>Frame streams (Merlin, EMPAD) store a header or footer with every pattern: then patterns lie
 * {@code patternStrideBytes} apart rather than back to back, and the axes must end with
 * {@code ky,kx}.
 */
public final class ContiguousStorage extends GatheringStorage {

    private static final long SEGMENT = 1L << 30;

    private final Path file;
    private final long dataOffset;
    private final long dataBytes;
    private final Decoder decoder;
    private final String description;
    private final FileChannel channel;
    private final MappedByteBuffer[] segments;
    private final long overlap;
    private final int size;
    /** Byte strides of the storage dimensions. */
    private final long[] strides;
    private double[] column = new double[0];

    /**
     * @param file the file
     * @param dataOffset byte offset of element 0
     * @param shape logical shape
     * @param axes storage order
     * @param decoder stored type and byte order
     * @param description for messages
     * @throws IOException if the file cannot be opened
     */
    public ContiguousStorage(Path file, long dataOffset, Shape5D shape, AxisOrder axes, Decoder decoder, String description)
        throws IOException {
        this(file, dataOffset, (long) shape.patternSize() * decoder.type().sizeBytes(), shape, axes, decoder, description);
    }

    /**
     * @param file the file
     * @param dataOffset byte offset of element 0
     * @param patternStrideBytes bytes from one pattern's first value to the next pattern's (at
     *     least ky·kx·size; larger when a header or footer lies between patterns, which needs axes
     *     ending with {@code ky,kx})
     * @param shape logical shape
     * @param axes storage order
     * @param decoder stored type and byte order
     * @param description for messages
     * @throws IOException if the file cannot be opened
     * @throws IllegalArgumentException if the stride is too small, or larger with patterns that are
     *     not contiguous
     */
    public ContiguousStorage(Path file, long dataOffset, long patternStrideBytes, Shape5D shape, AxisOrder axes,
                             Decoder decoder, String description) throws IOException {
        super(shape, axes);
        this.file = file;
        this.dataOffset = dataOffset;
        this.decoder = decoder;
        this.description = description;
        this.size = decoder.type().sizeBytes();
        long patternBytes = (long) shape.patternSize() * size;
        if (patternStrideBytes < patternBytes || (patternStrideBytes != patternBytes && (dKy != 3 || dKx != 4))) {
            throw new IllegalArgumentException("pattern stride " + patternStrideBytes + " B with patterns of " + patternBytes
                + " B in axis order " + axes + ": a stride beyond the pattern needs axes ending with ky,kx");
        }
        this.strides = new long[5];
        long s = size;
        for (int d = 4; d >= 0; d--) {
            strides[d] = s;
            s = d == 3 && dKy == 3 ? patternStrideBytes : s * dims[d];
        }
        this.dataBytes = patternStrideBytes == patternBytes ? shape.valueCount() * size
            : (shape.valueCount() / shape.patternSize() - 1) * patternStrideBytes + patternBytes;
        // the span of one pattern in bytes: the largest run ever read from one segment
        this.overlap = (shape.ky() - 1) * strides[dKy] + (shape.kx() - 1) * strides[dKx] + size;
        if (overlap > Integer.MAX_VALUE / 2) {
            throw new IOException(file + ": a pattern spans " + overlap + " bytes in this axis order; "
                + "reorder the file so that ky, kx are closer to the end");
        }
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        long end = dataOffset + dataBytes;
        this.segments = new MappedByteBuffer[(int) ((end + SEGMENT - 1) / SEGMENT)];
    }

    private ByteBuffer segment(int i) throws IOException {
        MappedByteBuffer m = segments[i];
        if (m == null) {
            long start = i * SEGMENT;
            long len = Math.min(SEGMENT + overlap, dataOffset + dataBytes - start);
            m = channel.map(FileChannel.MapMode.READ_ONLY, start, len);
            segments[i] = m;
        }
        return m;
    }

    @Override
    protected void gather(int[] coords, double[] pattern) throws IOException {
        long pos = position(coords);
        int seg = (int) (pos / SEGMENT);
        ByteBuffer b = segment(seg);
        int base = (int) (pos - seg * SEGMENT);
        int ky = shape.ky();
        int kx = shape.kx();
        long sKy = strides[dKy];
        long sKx = strides[dKx];
        if (sKx == size && sKy == (long) kx * size) {
            decoder.decodeRun(b, base, ky * kx, pattern, 0);
        } else if (sKx == size) {
            for (int i = 0; i < ky; i++) {
                decoder.decodeRun(b, (int) (base + i * sKy), kx, pattern, i * kx);
            }
        } else if (sKy == size) {
            if (column.length < ky) {
                column = new double[ky];
            }
            for (int j = 0; j < kx; j++) {
                decoder.decodeRun(b, (int) (base + j * sKx), ky, column, 0);
                for (int i = 0; i < ky; i++) {
                    pattern[i * kx + j] = column[i];
                }
            }
        } else {
            for (int i = 0; i < ky; i++) {
                for (int j = 0; j < kx; j++) {
                    pattern[i * kx + j] = decoder.decode(b, (int) (base + i * sKy + j * sKx));
                }
            }
        }
    }

    /**
     * When patterns are stored contiguously ({@code …,ky,kx}), decodes the selected pixels
     * straight from the pattern's bytes — one bulk copy of the stored values, then a gather —
     * rather than converting all ky·kx values to double and picking from those.
     */
    @Override
    protected void gatherPixels(int[] coords, int[] pixelIndices, double[] out, double[] scratch) throws IOException {
        int ky = shape.ky();
        int kx = shape.kx();
        if (strides[dKx] != size || strides[dKy] != (long) kx * size) {
            super.gatherPixels(coords, pixelIndices, out, scratch);
            return;
        }
        long pos = position(coords);
        int seg = (int) (pos / SEGMENT);
        decoder.decodeGather(segment(seg), (int) (pos - seg * SEGMENT), ky * kx, pixelIndices, out);
    }

    /** As the double method: straight from the pattern's bytes into the receiver's floats. */
    @Override
    protected void gatherPixels(int[] coords, int[] pixelIndices, float[] out, int outOffset, double[] scratch)
        throws IOException {
        int ky = shape.ky();
        int kx = shape.kx();
        if (strides[dKx] != size || strides[dKy] != (long) kx * size) {
            super.gatherPixels(coords, pixelIndices, out, outOffset, scratch);
            return;
        }
        long pos = position(coords);
        int seg = (int) (pos / SEGMENT);
        decoder.decodeGather(segment(seg), (int) (pos - seg * SEGMENT), ky * kx, pixelIndices, out, outOffset);
    }

    private long position(int[] coords) {
        long pos = dataOffset;
        for (int d = 0; d < 5; d++) {
            pos += coords[d] * strides[d];
        }
        return pos;
    }

    @Override
    public SampleType sampleType() {
        return decoder.type();
    }

    @Override
    public String description() {
        return description;
    }

    /** @return the file read */
    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
