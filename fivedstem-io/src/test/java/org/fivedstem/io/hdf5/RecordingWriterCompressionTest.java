/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.PoissonSampler;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.Recordings;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.testing.H5py;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compressed recordings (chunks of one pattern, GZIP or LZ4, Fixed Array index) read back by the
 * project's reader (jhdf) and by h5py (libhdf5; GZIP only, since h5py needs hdf5plugin for LZ4).
 */
class RecordingWriterCompressionTest {

    @TempDir
    Path dir;

    static final List<SampleType> TYPES = List.of(SampleType.UINT8, SampleType.UINT16, SampleType.UINT32,
        SampleType.INT16, SampleType.FLOAT32, SampleType.FLOAT64);

    /**
     * Random shapes, plus pattern counts at the Fixed Array's page size (1024 entries): 1024 is
     * the largest unpaged index, 1025 and 2049 end with a page of a single entry.
     */
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Compression c : List.of(Compression.GZIP, Compression.LZ4)) {
            for (SampleType t : TYPES) {
                SeededCases.of(0xC0A1L + 31L * t.ordinal() + c.ordinal(), 2, rng -> new Object[] {c, t,
                    Shape5D.of(1 + rng.nextInt(4), 1 + rng.nextInt(5), 1 + rng.nextInt(5), 1 + rng.nextInt(9), 1 + rng.nextInt(9))})
                    .forEach(out::add);
            }
            out.add(Arguments.of(11L, c, SampleType.UINT16, Shape5D.of(4, 16, 16, 2, 3)));
            out.add(Arguments.of(12L, c, SampleType.INT16, Shape5D.of(5, 5, 41, 3, 2)));
            out.add(Arguments.of(13L, c, SampleType.FLOAT32, Shape5D.of(1, 1, 2049, 2, 2)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "seed {0}: {1} {2} {3}")
    @MethodSource("cases")
    void projectReaderReadsScrambledWrites(long seed, Compression compression, SampleType type, Shape5D s) throws IOException {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] v = RecordingWriterTest.values(rng, s, type);
        Path file = dir.resolve("rec.h5");
        writeScrambled(file, s, type, compression, v, rng.nextLong());
        assertReads(file, s, v);
        try (HdfFile f = new HdfFile(file)) {
            Dataset d = f.getDatasetByPath("/data");
            assertTrue(d instanceof ChunkedDataset, d.getClass().toString());
            assertArrayEquals(new int[] {1, 1, 1, s.ky(), s.kx()}, ((ChunkedDataset) d).getChunkDimensions());
            assertEquals("t,y,x,ky,kx", d.getAttribute("axes").getData());
        }
        try (var ds = Files.list(dir)) {
            assertEquals(List.of(file), ds.toList(), "only the target remains, no temporary file");
        }
    }

    @Test
    void h5pyReadsGzipOfEveryType() throws IOException {
        UniformRandomProvider rng = SeededCases.rng(7);
        for (SampleType type : TYPES) {
            Shape5D s = Shape5D.of(2, 3, 4, 5, 6);
            double[] v = RecordingWriterTest.values(rng, s, type);
            Path file = dir.resolve(type + ".h5");
            writeScrambled(file, s, type, Compression.GZIP, v, rng.nextLong());
            Path dump = dir.resolve(type + ".f8");
            String out = H5py.run(String.join("\n",
                "import sys, h5py, numpy as np",
                "d = h5py.File(sys.argv[1], 'r')['data']",
                "print(d.shape, d.dtype, d.chunks, d.compression, d.compression_opts, d.shuffle)",
                "open(sys.argv[2], 'wb').write(d[...].astype('<f8').tobytes())"), file.toString(), dump.toString());
            assertEquals("(2, 3, 4, 5, 6) " + type + " (1, 1, 1, 5, 6) gzip 4 " + (type.sizeBytes() > 1 ? "True" : "False") + "\n", out,
                type.toString());
            assertArrayEquals(v, doubles(dump), type.toString());
        }
    }

    /**
     * libhdf5 without hdf5plugin cannot decode LZ4, but it parses the pipeline, locates every chunk
     * through the index and returns the stored bytes, whose header gives the pattern size.
     */
    @Test
    void h5pyLocatesLz4Chunks() throws IOException {
        Shape5D s = Shape5D.of(3, 2, 2, 5, 4);
        UniformRandomProvider rng = SeededCases.rng(8);
        Path file = dir.resolve("lz4.h5");
        writeScrambled(file, s, SampleType.FLOAT32, Compression.LZ4, RecordingWriterTest.values(rng, s, SampleType.FLOAT32), 1);
        String out = H5py.run(String.join("\n",
            "import sys, h5py",
            "d = h5py.File(sys.argv[1], 'r')['data']",
            "print(d.chunks, d.dtype, d.id.get_num_chunks(), d._filters)",
            "sizes = set()",
            "for i in range(d.id.get_num_chunks()):",
            "    info = d.id.get_chunk_info(i)",
            "    mask, raw = d.id.read_direct_chunk(info.chunk_offset)",
            "    sizes.add((mask, int.from_bytes(raw[:8], 'big'), int.from_bytes(raw[8:12], 'big'), len(raw) == info.size))",
            "print(sorted(sizes))"), file.toString());
        assertEquals("(1, 1, 1, 5, 4) float32 12 {'32004': (0,)}\n[(0, 80, 80, True)]\n", out);
    }

    /** 100 000 chunks: a paged Fixed Array index of 98 pages, the last one partial. */
    @Test
    void bothReadersReadOneHundredThousandChunks() throws IOException {
        Shape5D s = Shape5D.of(1, 100, 1000, 4, 4);
        double[] v = new double[(int) s.valueCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 7919L) % 1013 < 700 ? 0 : (i * 31L) % 65536;
        }
        Path file = dir.resolve("many.h5");
        try (RecordingWriter w = RecordingWriter.create(file, s, SampleType.UINT16, RecordingWriterTest.CAL, Set.of(), Compression.GZIP)) {
            double[] p = new double[16];
            for (int x = 999; x >= 0; x--) {          // columns backwards, rows forwards: not storage order
                for (int y = 0; y < 100; y++) {
                    System.arraycopy(v, (y * 1000 + x) * 16, p, 0, 16);
                    w.writePattern(0, y, x, p);
                }
            }
            w.commit();
        }
        assertReads(file, s, v);
        Path dump = dir.resolve("many.u2");
        String out = H5py.run(String.join("\n",
            "import sys, h5py",
            "d = h5py.File(sys.argv[1], 'r')['data']",
            "print(d.shape, d.chunks, d.id.get_num_chunks())",
            "open(sys.argv[2], 'wb').write(d[...].astype('<u2').tobytes())"), file.toString(), dump.toString());
        assertEquals("(1, 100, 1000, 4, 4) (1, 1, 1, 4, 4) 100000\n", out);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dump)).order(ByteOrder.LITTLE_ENDIAN);
        double[] got = new double[v.length];
        for (int i = 0; i < got.length; i++) {
            got[i] = b.getShort() & 0xFFFF;
        }
        assertArrayEquals(v, got);
    }

    /**
     * Sizes of a compressible recording: 4 × 16 × 16 patterns of 64 × 64 uint16 counts, Poisson
     * with a mean of 200 in a central disc of radius 8 px and 0.05 elsewhere (sparse, like counting
     * detectors). Measured with this seed: contiguous 8 397 344 bytes; GZIP 630 432 bytes (0.075,
     * 13.3× smaller); LZ4 1 458 728 bytes (0.174, 5.8× smaller). The bounds asserted are loose; no
     * assertion on speed.
     */
    @Test
    void compressionShrinksSparsePatterns() throws IOException {
        Shape5D s = Shape5D.of(4, 16, 16, 64, 64);
        UniformRandomProvider rng = SeededCases.rng(2026);
        double[] v = new double[(int) s.valueCount()];
        PoissonSampler disc = new PoissonSampler(rng, 200);
        PoissonSampler background = new PoissonSampler(rng, 0.05);
        for (int i = 0; i < v.length; i++) {
            int ky = i / 64 % 64 - 32;
            int kx = i % 64 - 32;
            v[i] = (ky * ky + kx * kx <= 64 ? disc : background).sample();
        }
        long[] size = new long[3];
        for (Compression c : Compression.values()) {
            Path file = dir.resolve(c + ".h5");
            writeScrambled(file, s, SampleType.UINT16, c, v, 5);
            size[c.ordinal()] = Files.size(file);
            if (c != Compression.NONE) {
                assertReads(file, s, v);
            }
        }
        double gzip = (double) size[1] / size[0];
        double lz4 = (double) size[2] / size[0];
        assertTrue(gzip < 0.2 && lz4 < 0.3, String.format("sizes %s: gzip %.3f, lz4 %.3f of contiguous",
            java.util.Arrays.toString(size), gzip, lz4));
    }

    /** Incompressible patterns: LZ4 stores each block raw (stored size = block size), GZIP grows a little. */
    @Test
    void incompressiblePatternsReadBack() throws IOException {
        Shape5D s = Shape5D.of(2, 3, 3, 16, 16);
        UniformRandomProvider rng = SeededCases.rng(99);
        double[] v = new double[(int) s.valueCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(256);
        }
        for (Compression c : List.of(Compression.LZ4, Compression.GZIP)) {
            Path file = dir.resolve("noise-" + c + ".h5");
            writeScrambled(file, s, SampleType.UINT8, c, v, 3);
            assertReads(file, s, v);
        }
    }

    @Test
    void patternWrittenTwiceKeepsTheLastAndMaskIsWritten() throws IOException {
        Shape5D s = Shape5D.of(2, 2, 2, 3, 3);
        Path file = dir.resolve("twice.h5");
        double[] v = new double[(int) s.valueCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 17;
        }
        boolean[] valid = {true, true, false, true, true, true, true, true, true};
        try (RecordingWriter w = RecordingWriter.create(file, s, SampleType.UINT16, RecordingWriterTest.CAL, Set.of(), Compression.LZ4)) {
            w.writePattern(1, 1, 1, new double[] {9, 9, 9, 9, 9, 9, 9, 9, 9});
            for (int i = 0; i < s.patternCount(); i++) {
                double[] p = new double[9];
                System.arraycopy(v, i * 9, p, 0, 9);
                w.writePattern(i / 4, i / 2 % 2, i % 2, p);
            }
            w.writePattern(0, 1, 0, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
            System.arraycopy(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 0, v, 2 * 9, 9);
            assertEquals(8, w.patternsWritten());
            w.putMask(DetectorMask.of(3, 3, valid));
            w.commit();
        }
        assertReads(file, s, v);
        try (Dataset5D ds = Recordings.open(file)) {
            assertEquals(8, ds.mask().orElseThrow().validCount());
        }
    }

    @Test
    void failureLeavesNoFileAndCommitRefusesMissingPatterns() throws IOException {
        Shape5D s = Shape5D.of(2, 2, 2, 3, 3);
        Path file = dir.resolve("broken.h5");
        assertThrows(IllegalArgumentException.class, () -> {
            try (RecordingWriter w = RecordingWriter.create(file, s, SampleType.UINT8, RecordingWriterTest.CAL, Set.of(), Compression.GZIP)) {
                w.writePattern(0, 0, 0, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
                w.writePattern(0, 1, 1, new double[] {1, 2, 3, 4, 256, 6, 7, 8, 9});
                w.commit();
            }
        });
        try (RecordingWriter w = RecordingWriter.create(file, s, SampleType.UINT8, RecordingWriterTest.CAL, Set.of(), Compression.LZ4)) {
            for (int i = 0; i < 7; i++) {
                w.writePattern(i / 4, i / 2 % 2, i % 2, new double[9]);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, w::commit);
            assertTrue(e.getMessage().endsWith("7 of 8 patterns were written; the first missing is t=1, y=1, x=1"), e.getMessage());
            assertTrue(w.toString().contains("LZ4"), w.toString());
        }
        assertFalse(Files.exists(file));
        try (var ds = Files.list(dir)) {
            assertEquals(0, ds.count(), "neither target nor temporary file remains");
        }
    }

    @Test
    void committedWriterRefusesMorePatterns() throws IOException {
        Shape5D s = Shape5D.of(1, 1, 1, 2, 2);
        Path file = dir.resolve("one.h5");
        try (RecordingWriter w = RecordingWriter.create(file, s, SampleType.FLOAT64, RecordingWriterTest.CAL, Set.of(), Compression.GZIP)) {
            w.writePattern(0, 0, 0, new double[] {Double.NaN, -0.0, Double.POSITIVE_INFINITY, 1e-300});
            w.commit();
            assertThrows(IllegalStateException.class, () -> w.writePattern(0, 0, 0, new double[4]));
        }
        assertReads(file, s, new double[] {Double.NaN, -0.0, Double.POSITIVE_INFINITY, 1e-300});
    }

    /** Writes all patterns one by one in a random order. */
    static void writeScrambled(Path file, Shape5D s, SampleType type, Compression c, double[] v, long seed) throws IOException {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < s.patternCount(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        int n = s.patternSize();
        try (RecordingWriter w = RecordingWriter.create(file, s, type, RecordingWriterTest.CAL, Set.of(), c)) {
            double[] p = new double[n];
            for (int i : order) {
                System.arraycopy(v, i * n, p, 0, n);
                int x = i % s.scanX();
                int y = i / s.scanX() % s.scanY();
                int t = i / s.scanX() / s.scanY();
                w.writePattern(t, y, x, p);
            }
            w.commit();
        }
    }

    /** Every pattern through {@link Recordings#open}, compared bit for bit. */
    static void assertReads(Path file, Shape5D s, double[] v) throws IOException {
        try (Dataset5D ds = Recordings.open(file)) {
            assertEquals(s, ds.shape());
            int n = s.patternSize();
            for (int t = 0; t < s.frames(); t++) {
                for (int y = 0; y < s.scanY(); y++) {
                    for (int x = 0; x < s.scanX(); x++) {
                        int at = ((t * s.scanY() + y) * s.scanX() + x) * n;
                        double[] expected = java.util.Arrays.copyOfRange(v, at, at + n);
                        String where = "pattern t=" + t + ", y=" + y + ", x=" + x;
                        assertArrayEquals(expected, ds.readPattern(t, y, x), where);
                    }
                }
            }
        }
    }

    private static double[] doubles(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        double[] d = new double[b.remaining() / 8];
        for (int i = 0; i < d.length; i++) {
            d[i] = b.getDouble();
        }
        return d;
    }
}
