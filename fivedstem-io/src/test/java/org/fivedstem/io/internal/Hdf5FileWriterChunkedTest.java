/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.jhdf.HdfFile;
import io.jhdf.api.dataset.ChunkedDataset;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.hdf5.Compression;
import org.fivedstem.io.hdf5.Hdf5Attribute;
import org.fivedstem.io.testing.H5py;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunks that overhang the dataset, a chunk never written, and reservations between chunk writes. */
class Hdf5FileWriterChunkedTest {

    @TempDir
    Path dir;

    /** int16 (5, 7) in chunks of (2, 3): a 3 × 3 grid whose last row and column overhang; chunk 4 is never written. */
    @Test
    void edgeChunksAndMissingChunkReadBackInJhdfAndH5py() throws IOException {
        short[][] expected = new short[5][7];
        Path file = dir.resolve("edges.h5");
        try (Hdf5FileWriter w = Hdf5FileWriter.create(file)) {
            Hdf5FileWriter.Chunks c = w.reserveChunkedDataset("/g/a", H5Type.of(SampleType.INT16), new long[] {5, 7},
                new long[] {2, 3}, Hdf5ChunkEncoder.of(Compression.GZIP, 2), List.of(Hdf5Attribute.of("units", "counts")));
            assertEquals(9, c.count());
            for (int k : new int[] {8, 0, 3, 7, 1, 6, 5, 2}) {
                int cy = k / 3;
                int cx = k % 3;
                ByteBuffer b = ByteBuffer.allocate(c.chunkBytes()).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 3; j++) {
                        int y = 2 * cy + i;
                        int x = 3 * cx + j;
                        short v = (short) (y < 5 && x < 7 ? -1000 + 100 * y + x : 12345); // overhang: ignored by readers
                        b.putShort(v);
                        if (y < 5 && x < 7) {
                            expected[y][x] = v;
                        }
                    }
                }
                c.write(k, b.array());
                if (k == 7) {
                    // a contiguous reservation between chunk writes takes the space after the chunks so far
                    long at = w.reserveDataset("/b", H5Type.FLOAT64, new long[] {2}, List.of());
                    w.write(at, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-2).flip());
                }
            }
            assertThrows(IllegalArgumentException.class, () -> c.write(0, new byte[5]));
            assertThrows(IndexOutOfBoundsException.class, () -> c.write(9, new byte[12]));
            w.commit();
        }
        // jhdf 0.11 follows the undefined address of a chunk never written (libhdf5's files alike), so it
        // is given the written chunks one by one; h5py below reads the whole array, chunk 4 as fill value 0.
        try (HdfFile f = new HdfFile(file)) {
            ChunkedDataset a = (ChunkedDataset) f.getDatasetByPath("/g/a");
            for (int k : new int[] {0, 1, 2, 3, 5, 6, 7, 8}) {
                ByteBuffer b = ByteBuffer.wrap(a.getDecompressedChunk(new int[] {2 * (k / 3), 3 * (k % 3)}))
                    .order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 6; i++) {
                    int y = 2 * (k / 3) + i / 3;
                    int x = 3 * (k % 3) + i % 3;
                    assertEquals(y < 5 && x < 7 ? expected[y][x] : 12345, b.getShort(), "chunk " + k + " element " + i);
                }
            }
            assertEquals("counts", a.getAttribute("units").getData());
            assertArrayEquals(new double[] {1.5, -2}, (double[]) f.getDatasetByPath("/b").getData());
        }
        String out = H5py.run(String.join("\n",
            "import sys, h5py",
            "f = h5py.File(sys.argv[1], 'r')",
            "a = f['g/a']",
            "print(a.chunks, a.compression, a.shuffle, a.id.get_num_chunks(), f['b'][...].tolist())",
            "print(a[...].tolist())"), file.toString());
        StringBuilder rows = new StringBuilder("[");
        for (int y = 0; y < 5; y++) {
            rows.append(y == 0 ? "[" : ", [");
            for (int x = 0; x < 7; x++) {
                rows.append(x == 0 ? "" : ", ").append(expected[y][x]);
            }
            rows.append(']');
        }
        assertEquals("(2, 3) gzip True 8 [1.5, -2.0]\n" + rows + "]\n", out);
    }

    @Test
    void closeWithoutCommitDeletesChunksWritten() throws IOException {
        Path file = dir.resolve("never.h5");
        Path temp;
        try (Hdf5FileWriter w = Hdf5FileWriter.create(file)) {
            temp = w.temporaryFile();
            Hdf5FileWriter.Chunks c = w.reserveChunkedDataset("/x", H5Type.UINT8, new long[] {4, 4}, new long[] {4, 4},
                Hdf5ChunkEncoder.of(Compression.LZ4, 1), List.of());
            c.write(0, new byte[16]);
        }
        assertFalse(Files.exists(temp));
        assertFalse(Files.exists(file));
    }
}
