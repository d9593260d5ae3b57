/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ContiguousDataset;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.hdf5.RecordingWriter;

/**
 * Measures read paths on a ~1 GB uint16 recording (not a test; run by hand):
 * {@code java -cp <test classpath> org.fivedstem.io.ReadBenchmark /tmp/bench [chunked.h5]}.
 * Writes {@code rec.h5} with {@link RecordingWriter} (timing the writer), then reads all patterns
 * as doubles through (a) {@link Recordings#open} (memory map), (b) jhdf's array-returning
 * {@code getData(offset, shape)} one frame at a time, (c) {@code FileChannel.read} into a 16 MiB
 * buffer + decoding; optionally (d) a chunked file written by h5py through {@link Recordings#open}.
 * Numbers are for a warm page cache (the file was just written).
 */
public final class ReadBenchmark {

    private ReadBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/bench");
        Files.createDirectories(dir);
        Shape5D s = Shape5D.of(32, 64, 64, 64, 64);
        double mb = s.valueCount() * 2 / 1e6;
        Path file = dir.resolve("rec.h5");
        Calibration cal = Calibration.builder().frameIntervalSeconds(1).scanStepNm(1).pixelSizeInverseNm(0.1).centerPx(32, 32).build();
        long t0 = System.nanoTime();
        try (RecordingWriter w = RecordingWriter.create(file, s, SampleType.UINT16, cal)) {
            double[] frames = new double[s.frames() * s.patternSize()];
            for (int y = 0; y < s.scanY(); y++) {
                for (int x = 0; x < s.scanX(); x++) {
                    for (int i = 0; i < frames.length; i++) {
                        frames[i] = (i * 31 + y * 7 + x) & 0xfff;
                    }
                    w.writeFrames(y, x, frames);
                }
            }
            w.commit();
        }
        report("write (RecordingWriter, y,x,t order)", mb, t0);
        for (int rep = 0; rep < 3; rep++) {
            double[] sum = {0};
            t0 = System.nanoTime();
            try (Dataset5D ds = Recordings.open(file)) {
                ds.forEachPattern((t, y, x, p) -> sum[0] += p[0] + p[p.length - 1]);
            }
            report("read Recordings.open (mmap) " + sum[0], mb, t0);

            t0 = System.nanoTime();
            double acc = 0;
            double[] pattern = new double[s.patternSize()];
            try (HdfFile f = new HdfFile(file)) {
                Dataset d = f.getDatasetByPath("/data");
                for (int t = 0; t < s.frames(); t++) {
                    int[][][][][] slab = (int[][][][][]) d.getData(new long[] {t, 0, 0, 0, 0}, new int[] {1, 64, 64, 64, 64});
                    for (int y = 0; y < 64; y++) {
                        for (int x = 0; x < 64; x++) {
                            int[][] p = slab[0][y][x];
                            for (int i = 0; i < 64; i++) {
                                for (int j = 0; j < 64; j++) {
                                    pattern[i * 64 + j] = p[i][j];
                                }
                            }
                            acc += pattern[0] + pattern[pattern.length - 1];
                        }
                    }
                }
            }
            report("read jhdf getData(offset, shape) per frame " + acc, mb, t0);

            t0 = System.nanoTime();
            acc = 0;
            long address;
            try (HdfFile f = new HdfFile(file)) {
                address = ((ContiguousDataset) f.getDatasetByPath("/data")).getDataAddress();
            }
            try (FileChannel ch = FileChannel.open(file)) {
                ByteBuffer b = ByteBuffer.allocateDirect(16 << 20).order(ByteOrder.LITTLE_ENDIAN);
                long end = address + s.valueCount() * 2;
                short[] sh = new short[s.patternSize()];
                for (long pos = address; pos < end; ) {
                    b.clear();
                    b.limit((int) Math.min(b.capacity(), end - pos));
                    while (b.hasRemaining()) {
                        ch.read(b, pos + b.position());
                    }
                    b.flip();
                    pos += b.limit();
                    while (b.remaining() >= sh.length * 2) {
                        b.asShortBuffer().get(sh);
                        b.position(b.position() + sh.length * 2);
                        for (int i = 0; i < sh.length; i++) {
                            pattern[i] = sh[i] & 0xffff;
                        }
                        acc += pattern[0] + pattern[pattern.length - 1];
                    }
                }
            }
            report("read FileChannel 16 MiB blocks + decode " + acc, mb, t0);

            if (args.length > 1) {
                Path chunked = Path.of(args[1]);
                double cmb = mb;
                sum[0] = 0;
                t0 = System.nanoTime();
                try (Dataset5D ds = Recordings.open(chunked)) {
                    cmb = ds.shape().valueCount() * 2 / 1e6;
                    ds.forEachPattern((t, y, x, p) -> sum[0] += p[0] + p[p.length - 1]);
                    System.out.println("  " + ds.storage().description());
                }
                report("read Recordings.open chunked " + sum[0], cmb, t0);
            }
        }
    }

    private static void report(String what, double mb, long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.println(String.format(Locale.ROOT, "%-60s %8.0f MB in %6.2f s = %6.0f MB/s", what, mb, s, mb / s));
    }
}
