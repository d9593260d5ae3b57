/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.zstd.ZstdDecompressor;
import io.jhdf.exceptions.HdfFilterException;
import io.jhdf.filter.Filter;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * HDF5 compression filters that jhdf lacks, registered through jhdf's plug-in interface
 * ({@code META-INF/services/io.jhdf.filter.Filter}; a registered filter replaces jhdf's own of the
 * same id): bitshuffle with LZ4 or zstd (id 32008), and zstd (id 32015) — what Dectris file
 * writers and hdf5plugin produce.
 *
 * <p>Why hand-written: jhdf 0.11–0.13's bitshuffle decodes only LZ4 and stops at "Bitshuffle zstd
 * not implemented", and no Java library decodes the bitshuffle layout. The decompressors
 * themselves are maintained libraries: Airlift's aircompressor (pure-Java zstd) and lz4-java.
 * Formats (kiyo-masui/bitshuffle {@code bshuf_h5filter.c}; hdf5plugin {@code zstd_h5plugin.c}):
 * <ul>
 *   <li>bitshuffle, cd_values {@code (major, minor, element size, block size in elements,
 *       compression 0 none | 2 LZ4 | 3 zstd, level)}. Compressed chunks start with the
 *       uncompressed size (8 bytes, big-endian) and the block size in bytes (4, big-endian); then
 *       each block is its compressed length (4, big-endian) and an LZ4 block or a zstd frame. Full
 *       blocks come first, then a last block of the remaining elements rounded down to a multiple
 *       of 8, then the final {@code N mod 8} elements unshuffled and uncompressed;</li>
 *   <li>zstd: the chunk is one zstd frame.</li>
 * </ul>
 * Inside a block of n elements of s bytes, bit k of byte b of element e is bit {@code e mod 8} of
 * byte {@code e / 8} of bit row {@code 8b + k}, each row n/8 bytes.
 */
public final class Hdf5Filters {

    /** Largest bitshuffle block accepted, bytes: writers use blocks of kilobytes (default 8 KiB). */
    static final int MAX_BLOCK_BYTES = 64 << 20;
    /** Largest zstd block, bytes (RFC 8878). */
    static final long ZSTD_MAX_BLOCK_BYTES = 128 << 10;

    private static final LZ4SafeDecompressor LZ4 = LZ4Factory.fastestJavaInstance().safeDecompressor();
    private static final ThreadLocal<ZstdDecompressor> ZSTD = ThreadLocal.withInitial(ZstdDecompressor::new);

    private Hdf5Filters() {
    }

    /** Bitshuffle (HDF5 filter 32008) with no compression, LZ4 or zstd. */
    public static final class Bitshuffle implements Filter {

        /** Registered HDF5 filter id. */
        public static final int ID = 32008;

        /** For the service loader. */
        public Bitshuffle() {
        }

        @Override
        public int getId() {
            return ID;
        }

        @Override
        public String getName() {
            return "bitshuffle";
        }

        @Override
        public byte[] decode(byte[] encoded, int[] cd) {
            if (cd == null || cd.length < 3) {
                throw new HdfFilterException("bitshuffle: expected at least 3 filter parameters (version, element size)");
            }
            int size = cd[2];
            int compression = cd.length > 4 ? cd[4] : 0;
            if (size < 1 || size > 64) {
                throw new HdfFilterException("bitshuffle: element size " + size + " is outside 1…64 bytes");
            }
            try {
                if (compression == 0) {
                    int blockElements = cd.length > 3 && cd[3] > 0 ? cd[3] : defaultBlock(size);
                    if (blockElements % 8 != 0) {
                        throw new HdfFilterException("bitshuffle: block size " + blockElements + " is not a multiple of 8 elements");
                    }
                    return unshuffleAll(encoded, 0, encoded.length, size, blockElements);
                }
                if (compression != 2 && compression != 3) {
                    throw new HdfFilterException("bitshuffle: compression " + compression + " is neither 0 (none), 2 (LZ4) nor 3 (zstd)");
                }
                return decompress(encoded, size, compression == 2);
            } catch (IndexOutOfBoundsException | IllegalArgumentException | BufferUnderflowException | LZ4Exception
                     | MalformedInputException e) {
                throw new HdfFilterException("bitshuffle: corrupt chunk: " + e.getMessage(), e);
            }
        }

        private static byte[] decompress(byte[] in, int size, boolean lz4) {
            ByteBuffer b = ByteBuffer.wrap(in).order(ByteOrder.BIG_ENDIAN);
            long total = b.getLong();
            int blockBytes = b.getInt();
            if (total < 0 || total > Integer.MAX_VALUE - 8 || total % size != 0 || blockBytes <= 0 || blockBytes % (8 * size) != 0) {
                throw new HdfFilterException("bitshuffle: chunk header says " + total + " bytes in blocks of " + blockBytes
                    + " bytes, which elements of " + size + " bytes cannot fill");
            }
            // A corrupt header must not make us allocate what the chunk cannot hold. Structural bounds
            // that no valid chunk exceeds, whatever its compression ratio: writers use blocks of kB
            // (MAX_BLOCK_BYTES is far above any), and every block costs at least 5 input bytes (its
            // 4-byte length and one byte of data).
            if (blockBytes > MAX_BLOCK_BYTES) {
                throw new HdfFilterException("bitshuffle: chunk header says blocks of " + blockBytes + " bytes; more than "
                    + MAX_BLOCK_BYTES + " is not a bitshuffle chunk");
            }
            long blocks = Math.max(0, in.length - 12) / 5;
            if (total > blocks * blockBytes + 8L * size) {
                throw new HdfFilterException("bitshuffle: chunk of " + in.length + " bytes claims " + total
                    + " bytes uncompressed, more than " + blocks + " blocks of " + blockBytes + " bytes");
            }
            byte[] out = new byte[(int) total];
            int n = (int) (total / size);
            int blockElements = blockBytes / size;
            byte[] scratch = new byte[(int) Math.min(blockBytes, total)];
            int done = 0;
            while (n - done >= 8) {
                int count = Math.min(blockElements, n - done);
                count -= count % 8;
                int length = b.getInt();
                if (length < 0 || length > b.remaining()) {
                    throw new HdfFilterException("bitshuffle: block of " + length + " bytes but " + b.remaining() + " remain");
                }
                int bytes = count * size;
                if (lz4) {
                    int got = LZ4.decompress(in, b.position(), length, scratch, 0, bytes);
                    if (got != bytes) {
                        throw new HdfFilterException("bitshuffle: LZ4 block decodes to " + got + " bytes, expected " + bytes);
                    }
                } else {
                    int got = ZSTD.get().decompress(in, b.position(), length, scratch, 0, bytes);
                    if (got != bytes) {
                        throw new HdfFilterException("bitshuffle: zstd block decodes to " + got + " bytes, expected " + bytes);
                    }
                }
                b.position(b.position() + length);
                unshuffle(scratch, 0, out, done * size, count, size);
                done += count;
            }
            int rest = (n - done) * size;
            if (rest > b.remaining()) {
                throw new HdfFilterException("bitshuffle: the last " + (n - done) + " elements need " + rest + " bytes but "
                    + b.remaining() + " remain");
            }
            b.get(out, done * size, rest);
            return out;
        }

        /** Unshuffles a whole buffer in blocks of {@code blockElements} (a positive multiple of 8). */
        private static byte[] unshuffleAll(byte[] in, int offset, int length, int size, int blockElements) {
            if (length % size != 0) {
                throw new HdfFilterException("bitshuffle: " + length + " bytes are not whole elements of " + size + " bytes");
            }
            byte[] out = new byte[length];
            int n = length / size;
            int done = 0;
            while (n - done >= 8) {
                int count = Math.min(blockElements, n - done);
                count -= count % 8;
                unshuffle(in, offset + done * size, out, done * size, count, size);
                done += count;
            }
            System.arraycopy(in, offset + done * size, out, done * size, (n - done) * size);
            return out;
        }

        private static int defaultBlock(int size) {
            return Math.max(128, 8192 / size / 8 * 8);
        }
    }

    /** Zstandard (HDF5 filter 32015): the chunk is one zstd frame. */
    public static final class Zstd implements Filter {

        /** Registered HDF5 filter id. */
        public static final int ID = 32015;

        /** For the service loader. */
        public Zstd() {
        }

        @Override
        public int getId() {
            return ID;
        }

        @Override
        public String getName() {
            return "zstd";
        }

        @Override
        public byte[] decode(byte[] encoded, int[] cd) {
            try {
                long size = ZstdDecompressor.getDecompressedSize(encoded, 0, encoded.length);
                // the most a valid frame can hold: a block of at most 128 KiB per 4 input bytes (an RLE block)
                long most = (encoded.length / 4L + 1) * ZSTD_MAX_BLOCK_BYTES;
                if (size > Integer.MAX_VALUE - 8 || size > most) {
                    throw new HdfFilterException("zstd: a chunk of " + encoded.length + " bytes claims " + size
                        + " bytes, more than it can hold (" + most + ")");
                }
                int capacity = size >= 0 ? (int) size : (int) Math.min(Integer.MAX_VALUE - 8, Math.max(1024, encoded.length * 4L));
                while (true) {
                    byte[] out = new byte[capacity];
                    try {
                        int got = ZSTD.get().decompress(encoded, 0, encoded.length, out, 0, out.length);
                        return got == out.length ? out : Arrays.copyOf(out, got);
                    } catch (MalformedInputException e) {
                        // without a content size the output may not fit: grow, up to the bound above
                        if (size >= 0 || capacity >= most) {
                            throw e;
                        }
                        capacity = (int) Math.min(Math.min(Integer.MAX_VALUE - 8, most), capacity * 4L);
                    }
                }
            } catch (MalformedInputException | IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new HdfFilterException("zstd: corrupt chunk: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Inverts the bit transpose of one block: {@code count} elements (a multiple of 8) of
     * {@code size} bytes. Eight bytes — bit rows 8b … 8b+7 at one element group — form an 8 × 8
     * bit matrix whose transpose holds byte b of those eight elements.
     */
    static void unshuffle(byte[] in, int inOffset, byte[] out, int outOffset, int count, int size) {
        int rowBytes = count / 8;
        for (int byteIndex = 0; byteIndex < size; byteIndex++) {
            int rows = inOffset + 8 * byteIndex * rowBytes;
            for (int g = 0; g < rowBytes; g++) {
                long x = 0;
                for (int k = 0; k < 8; k++) {
                    x |= (in[rows + k * rowBytes + g] & 0xFFL) << (8 * k);
                }
                x = transpose8(x);
                int base = outOffset + (8 * g) * size + byteIndex;
                for (int j = 0; j < 8; j++) {
                    out[base + j * size] = (byte) (x >>> (8 * j));
                }
            }
        }
    }

    /** Transposes an 8 × 8 bit matrix held as row i = byte i (Hacker's Delight, 7-3). */
    static long transpose8(long x) {
        long t = (x ^ (x >>> 7)) & 0x00AA00AA00AA00AAL;
        x = x ^ t ^ (t << 7);
        t = (x ^ (x >>> 14)) & 0x0000CCCC0000CCCCL;
        x = x ^ t ^ (t << 14);
        t = (x ^ (x >>> 28)) & 0x00000000F0F0F0F0L;
        return x ^ t ^ (t << 28);
    }
}
