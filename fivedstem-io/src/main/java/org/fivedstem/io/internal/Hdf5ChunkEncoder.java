/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.Deflater;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.fivedstem.io.hdf5.Compression;

/**
 * Compresses chunks for {@link Hdf5FileWriter} and describes the filters in the HDF5 filter
 * pipeline message (version 2, HDF5 file format specification 3.0, section IV.A.2.l). Each
 * compressed chunk is what libhdf5 would produce with the same filters, so libhdf5 (h5py) and jhdf
 * decode it with their own filters:
 *
 * <ul>
 * <li>{@link Compression#GZIP}: shuffle (filter 2, one parameter: the element size; byte
 *     {@code j} of element {@code i} moves to {@code j * n + i}), omitted for 1-byte elements, then
 *     deflate (filter 1, one parameter: the level; a zlib stream as {@code compress2} writes);</li>
 * <li>{@link Compression#LZ4}: filter 32004 with one parameter, 0 (the default block size of
 *     1 GiB), in hdf5plugin's {@code H5Zlz4.c} format: original size (8 bytes, big-endian), block
 *     size (4, big-endian), then per block its stored size (4, big-endian) and an LZ4 block, or the
 *     raw block when LZ4 does not make it smaller (stored size = block size).</li>
 * </ul>
 *
 * All filters are flagged optional, as {@code H5Pset_shuffle}, {@code H5Pset_deflate} and h5py
 * flag them. Not thread-safe: scratch buffers are reused from chunk to chunk.
 */
public final class Hdf5ChunkEncoder {

    /** Deflate level: close to level 6's size on detector data at about twice its speed. */
    static final int DEFLATE_LEVEL = 4;
    private static final int FILTER_DEFLATE = 1;
    private static final int FILTER_SHUFFLE = 2;
    private static final int FILTER_LZ4 = 32004;
    private static final int LZ4_DEFAULT_BLOCK = 1 << 30;
    private static final int FLAG_OPTIONAL = 1;

    private final Compression compression;
    private final int elementSize;
    private final Deflater deflater;
    private final LZ4Compressor lz4;
    private byte[] shuffled = new byte[0];
    private byte[] out = new byte[0];

    private Hdf5ChunkEncoder(Compression compression, int elementSize) {
        this.compression = compression;
        this.elementSize = elementSize;
        this.deflater = compression == Compression.GZIP ? new Deflater(DEFLATE_LEVEL) : null;
        this.lz4 = compression == Compression.LZ4 ? LZ4Factory.fastestJavaInstance().fastCompressor() : null;
    }

    /**
     * @param compression {@link Compression#GZIP} or {@link Compression#LZ4}
     * @param elementSize bytes per element (for the shuffle)
     * @return an encoder
     */
    public static Hdf5ChunkEncoder of(Compression compression, int elementSize) {
        if (compression == Compression.NONE || compression == null) {
            throw new IllegalArgumentException("a chunk encoder needs a compression, not " + compression);
        }
        if (elementSize < 1) {
            throw new IllegalArgumentException("element size is not positive: " + elementSize);
        }
        return new Hdf5ChunkEncoder(compression, elementSize);
    }

    /** @return the compression */
    public Compression compression() {
        return compression;
    }

    /**
     * Compresses one chunk.
     *
     * @param raw the chunk's bytes, {@code [0, length)}. <i>Not modified.</i>
     * @param length number of bytes
     * @return the compressed bytes, from position 0 to the limit; a view of a scratch buffer,
     *     valid until the next call
     */
    public ByteBuffer encode(byte[] raw, int length) {
        return compression == Compression.GZIP ? deflate(raw, length) : lz4(raw, length);
    }

    private ByteBuffer deflate(byte[] raw, int length) {
        byte[] in = raw;
        if (elementSize > 1) {
            if (shuffled.length < length) {
                shuffled = new byte[length];
            }
            int n = length / elementSize;
            for (int j = 0; j < elementSize; j++) {
                int to = j * n;
                for (int i = 0; i < n; i++) {
                    shuffled[to + i] = raw[i * elementSize + j];
                }
            }
            // a tail shorter than one element (never in whole-element chunks) is left in place, as libhdf5 does
            System.arraycopy(raw, n * elementSize, shuffled, n * elementSize, length - n * elementSize);
            in = shuffled;
        }
        deflater.reset();
        deflater.setInput(in, 0, length);
        deflater.finish();
        // above zlib's compressBound (length + length/4096 + length/16384 + length/2^25 + 13); grown if ever short
        ensureOut(length + length / 1000 + 64);
        int size = 0;
        while (!deflater.finished()) {
            if (size == out.length) {
                byte[] bigger = new byte[out.length * 2];
                System.arraycopy(out, 0, bigger, 0, size);
                out = bigger;
            }
            size += deflater.deflate(out, size, out.length - size);
        }
        return ByteBuffer.wrap(out, 0, size);
    }

    private ByteBuffer lz4(byte[] raw, int length) {
        int block = Math.min(length, LZ4_DEFAULT_BLOCK);
        int blocks = length == 0 ? 0 : (length - 1) / block + 1;
        ensureOut(12 + 4 * blocks + lz4.maxCompressedLength(length));
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.BIG_ENDIAN);
        b.putLong(length);
        b.putInt(block);
        for (int start = 0; start < length; start += block) {
            int n = Math.min(block, length - start);
            int at = b.position() + 4;
            int packed = lz4.compress(raw, start, n, out, at, out.length - at);
            if (packed >= n) {
                System.arraycopy(raw, start, out, at, n);
                packed = n;
            }
            b.putInt(packed);
            b.position(at + packed);
        }
        return ByteBuffer.wrap(out, 0, b.position());
    }

    private void ensureOut(int n) {
        if (out.length < n) {
            out = new byte[n];
        }
    }

    /** @return the body of the filter pipeline message (version 2) */
    public byte[] pipelineMessage() {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.write(2); // version
        if (compression == Compression.GZIP) {
            boolean shuffle = elementSize > 1;
            m.write(shuffle ? 2 : 1);
            if (shuffle) {
                filter(m, FILTER_SHUFFLE, null, elementSize);
            }
            filter(m, FILTER_DEFLATE, null, DEFLATE_LEVEL);
        } else {
            m.write(1);
            filter(m, FILTER_LZ4, "lz4", 0);
        }
        return m.toByteArray();
    }

    /** One filter description; ids below 256 carry no name field in version 2. */
    private static void filter(ByteArrayOutputStream m, int id, String name, int parameter) {
        Le.putShort(m, id);
        byte[] n = name == null ? new byte[0] : (name + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (id >= 256) {
            Le.putShort(m, n.length);
        }
        Le.putShort(m, FLAG_OPTIONAL);
        Le.putShort(m, 1); // number of client data values
        m.writeBytes(n);
        Le.putInt(m, parameter);
    }

    @Override
    public String toString() {
        return "Hdf5ChunkEncoder[" + compression + ", " + elementSize + "-byte elements]";
    }
}
