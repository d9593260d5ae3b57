/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Shape5D;

/**
 * Read speed of the detector formats (not a test; run by hand on the files of
 * {@code bench/make_detector_files.py}): {@code java -cp <test classpath>
 * org.fivedstem.io.FormatReadBenchmark /tmp/detector-bench}. For each file, three passes (warm page
 * cache) of (a) every whole pattern as {@code double[]} and (b) an annulus of pixels (what V and g
 * read); reports MB/s of decoded stored values and patterns/s, single thread.
 */
public final class FormatReadBenchmark {

    private FormatReadBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/detector-bench");
        OpenOptions o = OpenOptions.defaults().withFrameMapping(FrameMapping.scan(64, 64)).withFrameIntervalSeconds(1)
            .withScanStepNm(1).withPixelSizeInverseNm(0.1).withCenterPx(32, 32);
        for (String name : List.of("scan.mib", "empad.xml", "arina_lz4_master.h5", "arina_zstd_master.h5")) {
            try (Dataset5D ds = Recordings.open(dir.resolve(name), name.equals("empad.xml") ? o.withFrameMapping(FrameMapping.fromFile()) : o)) {
                Shape5D s = ds.shape();
                int size = Recordings.storedType(ds).orElseThrow().sizeBytes();
                double mb = s.patternCount() * (double) s.patternSize() * size / 1e6;
                int k = s.kx();
                int[] annulus = IntStream.range(0, s.patternSize()).filter(i -> {
                    double r = Math.hypot(i / k - s.ky() / 2.0, i % k - k / 2.0);
                    return r >= k * 0.25 && r < k * 0.27;
                }).toArray();
                for (int rep = 0; rep < 3; rep++) {
                    double[] sum = {0};
                    long t0 = System.nanoTime();
                    ds.forEachPattern((t, y, x, p) -> sum[0] += p[p.length / 2]);
                    double whole = (System.nanoTime() - t0) * 1e-9;
                    t0 = System.nanoTime();
                    ds.forEachPattern(org.fivedstem.api.Selection.all(s), annulus, (t, y, x, p) -> sum[0] += p[0]);
                    double ring = (System.nanoTime() - t0) * 1e-9;
                    System.out.printf("%-22s %s %s: whole patterns %.0f MB/s (%.0f patterns/s); %d-pixel annulus %.0f patterns/s%n",
                        name, s, ds.storage().description().split(",")[0], mb / whole, s.patternCount() / whole,
                        annulus.length, s.patternCount() / ring);
                }
            }
        }
    }
}
