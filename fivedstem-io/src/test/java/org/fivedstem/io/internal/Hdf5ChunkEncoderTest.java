/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.jhdf.filter.ByteShuffleFilter;
import io.jhdf.filter.DeflatePipelineFilter;
import io.jhdf.filter.Lz4Filter;
import net.jpountz.lz4.LZ4Factory;
import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.io.hdf5.Compression;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;

/** Chunk formats checked against the filter descriptions and against jhdf's decoders. */
class Hdf5ChunkEncoderTest {

    /** A sparse pattern (compressible) or uniform noise (not), as little-endian 16-bit counts. */
    static byte[] pattern(boolean compressible, int n, long seed) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putShort((short) (compressible ? (rng.nextInt(20) == 0 ? rng.nextInt(300) : 0) : rng.nextInt()));
        }
        return b.array();
    }

    @Test
    void pipelineMessagesNameTheFiltersAndTheirParameters() {
        // version 2; per filter: id, [name length if id >= 256], flags 1 (optional), 1 parameter, [name], parameter
        assertArrayEquals(new byte[] {2, 2, 2, 0, 1, 0, 1, 0, 2, 0, 0, 0, 1, 0, 1, 0, 1, 0, 4, 0, 0, 0},
            Hdf5ChunkEncoder.of(Compression.GZIP, 2).pipelineMessage());
        assertArrayEquals(new byte[] {2, 1, 1, 0, 1, 0, 1, 0, 4, 0, 0, 0},
            Hdf5ChunkEncoder.of(Compression.GZIP, 1).pipelineMessage(), "no shuffle for bytes");
        assertArrayEquals(new byte[] {2, 1, 0x04, 0x7D, 4, 0, 1, 0, 1, 0, 'l', 'z', '4', 0, 0, 0, 0, 0},
            Hdf5ChunkEncoder.of(Compression.LZ4, 4).pipelineMessage());
        assertThrows(IllegalArgumentException.class, () -> Hdf5ChunkEncoder.of(Compression.NONE, 2));
    }

    @Test
    void gzipIsShuffleThenZlib() throws DataFormatException {
        Hdf5ChunkEncoder e = Hdf5ChunkEncoder.of(Compression.GZIP, 2);
        for (boolean compressible : new boolean[] {true, false}) {
            byte[] raw = pattern(compressible, 66 * 66, 1);
            byte[] packed = bytes(e.encode(raw, raw.length));
            Inflater inflater = new Inflater();
            inflater.setInput(packed);
            byte[] shuffled = new byte[raw.length];
            assertEquals(raw.length, inflater.inflate(shuffled));
            assertTrue(inflater.finished());
            int n = raw.length / 2;
            for (int i = 0; i < n; i++) {
                assertEquals(raw[2 * i], shuffled[i]);
                assertEquals(raw[2 * i + 1], shuffled[n + i]);
            }
            // jhdf decodes the pipeline in reverse: deflate, then shuffle
            byte[] viaJhdf = new ByteShuffleFilter().decode(new DeflatePipelineFilter().decode(packed, new int[] {4}), new int[] {2});
            assertArrayEquals(raw, viaJhdf);
        }
    }

    @Test
    void lz4FollowsHdf5pluginFormat() {
        Hdf5ChunkEncoder e = Hdf5ChunkEncoder.of(Compression.LZ4, 2);
        byte[] sparse = pattern(true, 256 * 256, 2);
        byte[] packed = bytes(e.encode(sparse, sparse.length));
        ByteBuffer b = ByteBuffer.wrap(packed).order(ByteOrder.BIG_ENDIAN);
        assertEquals(sparse.length, b.getLong(), "original size");
        assertEquals(sparse.length, b.getInt(), "one block: the default block size (1 GiB) exceeds the chunk");
        int stored = b.getInt();
        assertTrue(stored < sparse.length / 3, "compressed to " + stored);
        assertEquals(16 + stored, packed.length);
        byte[] out = new byte[sparse.length];
        LZ4Factory.fastestJavaInstance().safeDecompressor().decompress(packed, 16, stored, out, 0);
        assertArrayEquals(sparse, out);
        assertArrayEquals(sparse, new Lz4Filter().decode(packed, new int[] {0}));

        byte[] noise = pattern(false, 1000, 3);
        packed = bytes(e.encode(noise, noise.length));
        b = ByteBuffer.wrap(packed).order(ByteOrder.BIG_ENDIAN);
        assertEquals(2000, b.getLong());
        assertEquals(2000, b.getInt());
        assertEquals(2000, b.getInt(), "stored size = block size: the block is raw");
        assertArrayEquals(noise, Arrays.copyOfRange(packed, 16, packed.length));
        assertArrayEquals(noise, new Lz4Filter().decode(packed, new int[] {0}));
    }

    @Test
    void scratchBuffersDoNotLeakBetweenChunks() {
        for (Compression c : new Compression[] {Compression.GZIP, Compression.LZ4}) {
            Hdf5ChunkEncoder e = Hdf5ChunkEncoder.of(c, 2);
            byte[] big = pattern(false, 5000, 4);
            byte[] small = pattern(true, 100, 5);
            byte[] first = bytes(e.encode(small, small.length));
            e.encode(big, big.length);
            assertArrayEquals(first, bytes(e.encode(small, small.length)), c.toString());
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
