/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dectris NeXus sets written by {@code fixtures/dectris/make_dectris.py} (h5py, chunks encoded
 * from the filters' descriptions): external links across data files, bitshuffle + LZ4, bitshuffle +
 * zstd and plain zstd chunks, the pixel mask, saturation and the calibration from the detector.
 */
class DectrisTest {

    @TempDir
    Path dir;

    /** The fixtures' frame formula, with the markers make_dectris.py sets. */
    static double value(String name, long n, int i, int j) {
        boolean u32 = name.startsWith("quadro");
        if (i == 0 && j == 1) {
            return u32 ? 4294967295.0 : 65535;
        }
        if (n == 4 && i == 2 && j == 3) {
            return u32 ? 2_900_000 : 60000;
        }
        return (n * 131 + i * 17 + j * 5) % (u32 ? 3_000_000 : 50000);
    }

    static Path master(String name) {
        return Fixtures.path("dectris/" + name + "_master.h5");
    }

    static OpenOptions scanned(int ny, int nx) {
        return OpenOptions.defaults().withFrameMapping(FrameMapping.scan(ny, nx)).withScanStepNm(0.5).withFrameIntervalSeconds(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"arina_lz4, 12, 10, 2, 3, 2", "quadro_zstd, 16, 16, 2, 1, 3", "eiger_plainzstd, 8, 8, 3, 1, 2"})
    void framesAcrossDataFilesReadExactly(String name, int ky, int kx, int nt, int ny, int nx) throws IOException {
        OpenOptions o = scanned(ny, nx);
        if (name.startsWith("eiger")) {
            o = o.withPixelSizeInverseNm(0.1); // that master has no wavelength
        }
        try (Dataset5D ds = Recordings.open(master(name), o)) {
            assertEquals(Shape5D.of(nt, ny, nx, ky, kx), ds.shape());
            ds.forEachPattern((t, y, x, p) -> {
                long n = ((long) t * ny + y) * nx + x;
                for (int i = 0; i < ky; i++) {
                    for (int j = 0; j < kx; j++) {
                        assertEquals(value(name, n, i, j), p[i * kx + j], () -> "frame " + n);
                    }
                }
            });
            assertTrue(ds.storage().description().startsWith("Dectris"), ds.storage().description());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"arina_lz4, 12, 10, 2, 3", "quadro_zstd, 16, 16, 2, 3"})
    void pixelMaskMasksBitsZeroToFifteenOnly(String name, int ky, int kx, int ny, int nx) throws IOException {
        // quadro_zstd keeps its mask only in detectorSpecific/pixel_mask, as Arina masters do
        try (Dataset5D ds = Recordings.open(master(name), scanned(ny, nx))) {
            DetectorMask m = ds.mask().orElseThrow();
            assertFalse(m.isValid(0, 1), "gap (bit 0)");
            assertFalse(m.isValid(1, 0), "dead (bit 1)");
            assertTrue(m.isValid(ky - 1, kx - 1), "virtual pixel (bit 31) is a tag, not a defect");
            assertEquals(ky * kx - 2, m.validCount());
        }
    }

    @Test
    void calibrationFromTheDetector() throws IOException {
        try (Dataset5D ds = Recordings.open(master("arina_lz4"), scanned(2, 3))) {
            // p / (L λ) = 75 µm / (0.115 m × 0.0019687 nm)
            assertEquals(75e-6 / (0.115 * 0.0019687), ds.calibration().pixelSizeInverseNm(), 1e-9);
            assertEquals(5.5, ds.calibration().centerKyPx());
            assertEquals(4.5, ds.calibration().centerKxPx());
        }
    }

    @Test
    void frameTimeIsTheIntervalOfATimeSeriesAtEachPositionOnly() throws IOException {
        OpenOptions series = OpenOptions.defaults().withScanStepNm(0.5)
            .withFrameMapping(FrameMapping.scan(2, 3).withOrder(FrameMapping.Order.Y_X_T));
        try (Dataset5D ds = Recordings.open(master("arina_lz4"), series)) {
            assertEquals(0.001, ds.calibration().frameIntervalSeconds());
        }
        OpenOptions scans = OpenOptions.defaults().withScanStepNm(0.5).withFrameMapping(FrameMapping.scan(2, 3));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(master("arina_lz4"), scans));
        assertTrue(e.getMessage().contains("--frame-interval") && e.getMessage().contains("frame_time 0.001 s × 6 positions"),
            e.getMessage());
    }

    @Test
    void saturatedCountsStopEstimatorsButNotStatistics() throws IOException {
        try (Dataset5D ds = Recordings.open(master("arina_lz4"), scanned(2, 3))) {
            assertEquals(55000, ds.storage().saturationLevel().orElseThrow());
            double[] max = {0};
            ds.forEachPattern((t, y, x, p) -> max[0] = Math.max(max[0], p[2 * 10 + 3]));
            assertEquals(60000, max[0], "whole patterns are delivered as stored");
            int[] annulus = IntStream.range(0, 120).filter(i -> i != 1).toArray();
            RecordingException e = assertThrows(RecordingException.class,
                () -> ds.storage().visitPixels(new Selection(0, 2, 0, 2, 0, 3), annulus, (t, y, x, v) -> { }));
            assertTrue(e.getMessage().contains("pattern (t 0, y 1, x 1) pixel (2, 3) holds 60000")
                && e.getMessage().contains("saturation_value"), e.getMessage());
            int[] clean = IntStream.range(0, 120).filter(i -> i != 1 && i != 23).toArray();
            ds.storage().visitPixels(new Selection(0, 2, 0, 2, 0, 3), clean, (t, y, x, v) -> { });
            // the engine's float path refuses the same pattern with the same message
            float[] buffer = new float[6 * annulus.length];
            int[] claims = {0};
            org.fivedstem.api.FloatPixelSink sink = new org.fivedstem.api.FloatPixelSink() {
                @Override
                public int claim(int t, int y, int x) {
                    return claims[0]++ * annulus.length;
                }

                @Override
                public float[] array() {
                    return buffer;
                }
            };
            assertEquals(e.getMessage(), assertThrows(RecordingException.class,
                () -> ds.storage().visitPixelsAsFloat(new Selection(0, 2, 0, 2, 0, 3), annulus, sink)).getMessage());
            claims[0] = 0;
            ds.storage().visitPixelsAsFloat(new Selection(0, 1, 0, 2, 0, 3), clean, sink);
            assertEquals(6, claims[0]);
        }
    }

    @Test
    void linksAreFollowedFromTheMastersFolderWhateverTheWorkingDirectory() throws IOException {
        for (String f : new String[] {"arina_lz4_master.h5", "arina_lz4_data_000001.h5", "arina_lz4_data_000002.h5"}) {
            Files.copy(Fixtures.path("dectris/" + f), dir.resolve(f));
        }
        Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("arina_lz4_master.h5"));
        try (Dataset5D ds = Recordings.open(relative, scanned(2, 3))) {
            assertEquals(12, ds.shape().patternCount());
        }
        Files.delete(dir.resolve("arina_lz4_data_000002.h5"));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(relative, scanned(2, 3)));
        assertTrue(e.getMessage().contains("data_000002"), e.getMessage());
    }

    @Test
    void aMissingScanIsAskedFor() {
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(master("arina_lz4"), OpenOptions.defaults()));
        assertTrue(e.getMessage().contains("12 frames of 12 × 10") && e.getMessage().contains("--scan"), e.getMessage());
    }
}
