/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.testing.MerlinFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Merlin {@code .mib} files written from the format's description are read back exactly. */
class MerlinTest {

    @TempDir
    Path dir;

    /** Calibration the files do not hold (the frame interval comes from the headers' timestamps). */
    static OpenOptions calibrated(FrameMapping m) {
        return OpenOptions.defaults().withFrameMapping(m).withScanStepNm(0.16).withPixelSizeInverseNm(0.23)
            .withCenterPx(2, 3);
    }

    /** Checks every pattern against the frame the mapping puts there. */
    static void assertFrames(Dataset5D ds, String type, FrameMapping m) throws IOException {
        Shape5D s = ds.shape();
        int[] count = {0};
        ds.forEachPattern((t, y, x, p) -> {
            long n = m.skipFrames() + (m.order() == FrameMapping.Order.T_Y_X
                ? ((long) t * s.scanY() + y) * s.scanX() + x : ((long) y * s.scanX() + x) * s.frames() + t);
            for (int i = 0; i < s.ky(); i++) {
                for (int j = 0; j < s.kx(); j++) {
                    double expected = MerlinFiles.value(type, n, i, j);
                    if (p[i * s.kx() + j] != expected) {
                        throw new AssertionError(String.format("t=%d y=%d x=%d (%d,%d): frame %d holds %s, read %s", t, y, x,
                            i, j, n, expected, p[i * s.kx() + j]));
                    }
                }
            }
            count[0]++;
        });
        assertEquals(s.patternCount(), count[0]);
    }

    static Stream<Arguments> modes() {
        return Stream.of("U08", "U16", "U32").flatMap(type -> Stream.of(
            Arguments.of(1, type, '\0'), Arguments.of(4, type, '\0'), Arguments.of(1, type, ' ')));
    }

    @ParameterizedTest(name = "{0} chip(s) {1} padding {2}")
    @MethodSource("modes")
    void readsEveryCounterDepthSingleAndQuad(int chips, String type, char pad) throws IOException {
        int side = chips == 4 ? 10 : 6;
        MerlinFiles w = new MerlinFiles(chips, side, side + 2, type).padding(pad).frameSeconds(0.002);
        Path f = w.write(dir.resolve("scan.mib"), 0, 2 * 3 * 4);
        FrameMapping m = FrameMapping.scan(3, 4);
        try (Dataset5D ds = Recordings.open(f, calibrated(m))) {
            assertEquals(Shape5D.of(2, 3, 4, side, side + 2), ds.shape());
            assertFrames(ds, type, m);
            // one time step is 12 frames of 2 ms: the interval read from the frame headers' timestamps
            assertEquals(0.024, ds.calibration().frameIntervalSeconds(), 1e-9);
            assertTrue(ds.storage().description().contains("Merlin " + type), ds.storage().description());
        }
    }

    @Test
    void timeSeriesAtEachPositionAfterSkippedFrames() throws IOException {
        MerlinFiles w = new MerlinFiles(1, 5, 4, "U16").frameSeconds(0.5);
        Path f = w.write(dir.resolve("series.mib"), 0, 2 + 3 * 4 * 5);
        FrameMapping m = FrameMapping.scan(3, 4).withOrder(FrameMapping.Order.Y_X_T).withSkipFrames(2);
        try (Dataset5D ds = Recordings.open(f, calibrated(m))) {
            assertEquals(Shape5D.of(5, 3, 4, 5, 4), ds.shape());
            assertEquals("y,x,t,ky,kx", ds.axisOrder().toString());
            assertFrames(ds, "U16", m);
            assertEquals(0.5, ds.calibration().frameIntervalSeconds(), 1e-9);
        }
    }

    @Test
    void acquisitionSplitOverFilesOpensFromItsHeaderOrFolder() throws IOException {
        MerlinFiles w = new MerlinFiles(1, 4, 4, "U16");
        Path sub = Files.createDirectory(dir.resolve("acq"));
        w.write(sub.resolve("run_1.mib"), 0, 5);
        w.write(sub.resolve("run_2.mib"), 5, 13);
        w.write(sub.resolve("run_10.mib"), 18, 6);
        Path hdr = w.writeHdr(sub.resolve("run.hdr"), 24, 4);
        FrameMapping m = FrameMapping.scan(2, 4);
        for (Path input : new Path[] {hdr, sub}) {
            try (Dataset5D ds = Recordings.open(input, calibrated(m))) {
                assertEquals(Shape5D.of(3, 2, 4, 4, 4), ds.shape());
                assertFrames(ds, "U16", m);
                assertTrue(ds.storage().description().contains("in 3 files"), ds.storage().description());
            }
        }
    }

    @Test
    void scanFromTheHeaderOfNewerSoftware() throws IOException {
        MerlinFiles w = new MerlinFiles(4, 6, 6, "U08");
        Path sub = Files.createDirectory(dir.resolve("new"));
        w.write(sub.resolve("scan_1.mib"), 0, 2 * 2 * 3);
        w.writeHdr(sub.resolve("scan.hdr"), 12, 3, 2, 3);
        try (Dataset5D ds = Recordings.open(sub.resolve("scan_1.mib"), calibrated(FrameMapping.fromFile()))) {
            assertEquals(Shape5D.of(2, 2, 3, 6, 6), ds.shape());
            assertFrames(ds, "U08", FrameMapping.scan(2, 3));
            assertTrue(ds.storage().description().contains("scan from scan.hdr"), ds.storage().description());
        }
    }

    @Test
    void frameIntervalFromLocalTimestampsOfOlderFirmware() throws IOException {
        MerlinFiles w = new MerlinFiles(1, 4, 4, "U16").extendedHeader(false).frameSeconds(0.25);
        Path f = w.write(dir.resolve("old.mib"), 0, 3 * 4);
        try (Dataset5D ds = Recordings.open(f, calibrated(FrameMapping.scan(2, 2)))) {
            assertEquals(1.0, ds.calibration().frameIntervalSeconds(), 1e-6);
        }
    }

    @Test
    void pixelSubsetsMatchWholePatterns() throws IOException {
        MerlinFiles w = new MerlinFiles(4, 8, 8, "U32");
        Path f = w.write(dir.resolve("q.mib"), 0, 3 * 2 * 2);
        FrameMapping m = FrameMapping.scan(2, 2);
        int[] pixels = {63, 0, 17, 9, 9, 40};
        try (Dataset5D ds = Recordings.open(f, calibrated(m))) {
            ds.storage().visitPixels(new Selection(1, 3, 0, 2, 1, 2), pixels, (t, y, x, v) -> {
                long n = ((long) (t + 1) * 2 + y) * 2 + (x + 1);
                for (int k = 0; k < pixels.length; k++) {
                    assertEquals(MerlinFiles.value("U32", n, pixels[k] / 8, pixels[k] % 8), v[k], "pixel " + pixels[k]);
                }
            });
        }
    }

    @Test
    void calibrationFromASidecar() throws IOException {
        Path f = new MerlinFiles(1, 4, 4, "U08").write(dir.resolve("c.mib"), 0, 4);
        Files.writeString(dir.resolve("c.mib.json"), "{\"frame_interval_s\": 9.2, \"scan_step_nm\": 0.5, "
            + "\"pixel_size_inv_nm\": 0.23, \"center_px\": [1.5, 1.5]}");
        try (Dataset5D ds = Recordings.open(f, OpenOptions.defaults().withFrameMapping(FrameMapping.scan(2, 2)))) {
            assertEquals(9.2, ds.calibration().frameIntervalSeconds());
            assertEquals(0.5, ds.calibration().scanStepYNm());
        }
    }

    @Test
    void aMissingScanIsAskedForWithWhatTheHeaderSays() throws IOException {
        MerlinFiles w = new MerlinFiles(1, 4, 4, "U16");
        Path f = w.write(dir.resolve("a.mib"), 0, 8);
        w.writeHdr(dir.resolve("a.hdr"), 8, 4);
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f, OpenOptions.defaults()));
        assertTrue(e.getMessage().contains("8 frames of 4 × 4") && e.getMessage().contains("--scan NY,NX")
            && e.getMessage().contains("a.hdr says 8 frames in the acquisition, 4 per trigger"), e.getMessage());
        assertEquals(f, e.file().orElseThrow());
    }

    @Test
    void framesThatDoNotDivideIntoTheScanAreRefusedWithBothNumbers() throws IOException {
        Path f = new MerlinFiles(1, 4, 4, "U16").write(dir.resolve("b.mib"), 0, 25);
        RecordingException e = assertThrows(RecordingException.class,
            () -> Recordings.open(f, calibrated(FrameMapping.scan(3, 4))));
        assertTrue(e.getMessage().contains("25 frames") && e.getMessage().contains("3 × 4 = 12")
            && e.getMessage().contains("1 frames over"), e.getMessage());
    }

    @Test
    void aTruncatedLastFrameIsRefused() throws IOException {
        MerlinFiles w = new MerlinFiles(1, 4, 4, "U16");
        Path f = w.write(dir.resolve("t.mib"), 0, 4);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 10));
        RecordingException e = assertThrows(RecordingException.class,
            () -> Recordings.open(f, calibrated(FrameMapping.scan(2, 2))));
        assertTrue(e.getMessage().contains("3 whole frames of 416 bytes") && e.getMessage().contains("406 bytes over")
            && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aHeaderThatContradictsTheFileIsRefused() throws IOException {
        MerlinFiles w = new MerlinFiles(1, 4, 4, "U16");
        Path f = w.write(dir.resolve("h.mib"), 0, 4);
        // frame 3's header claims 8-bit pixels: the stream cannot be the fixed-size frames frame 0 describes
        long at = 3L * (384 + 32);
        byte[] h = new MerlinFiles(1, 4, 4, "U08").header(3);
        try (var ch = java.nio.channels.FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(h), at);
        }
        RecordingException e = assertThrows(RecordingException.class,
            () -> Recordings.open(f, calibrated(FrameMapping.scan(2, 2))));
        assertTrue(e.getMessage().contains("frame 3's header") && e.getMessage().contains("U08"), e.getMessage());
    }

    static Stream<Arguments> rawModes() {
        return Stream.of(1, 6, 12).flatMap(depth -> Stream.of(Arguments.of(depth, 1), Arguments.of(depth, 4)));
    }

    /** Raw mode (R64): counter depths 1, 6, 12, one chip or a quad assembled from 1,024 × 256 stored pixels. */
    @ParameterizedTest(name = "depth {0}, {1} chip(s)")
    @MethodSource("rawModes")
    void rawModeFramesAreUnpackedAndQuadsAssembled(int depth, int chips) throws IOException {
        MerlinFiles w = chips == 4 ? new MerlinFiles(4, 256, 1024, "R64").rawDepth(depth)
            : new MerlinFiles(1, 8, 64, "R64").rawDepth(depth);
        Path f = w.write(dir.resolve("raw.mib"), 0, 2 * 2);
        try (Dataset5D ds = Recordings.open(f, calibrated(FrameMapping.scan(1, 2)))) {
            int ky = chips == 4 ? 512 : 8;
            int kx = chips == 4 ? 512 : 64;
            assertEquals(Shape5D.of(2, 1, 2, ky, kx), ds.shape());
            assertEquals(depth == 12 ? SampleType.UINT16 : SampleType.UINT8, Recordings.storedType(ds).orElseThrow());
            ds.forEachPattern((t, y, x, p) -> {
                long n = (long) t * 2 + x;
                for (int i = 0; i < ky; i++) {
                    for (int j = 0; j < kx; j++) {
                        if (p[i * kx + j] != MerlinFiles.rawValue(depth, n, i, j)) {
                            throw new AssertionError(String.format("frame %d (%d, %d): %s, expected %d", n, i, j, p[i * kx + j],
                                MerlinFiles.rawValue(depth, n, i, j)));
                        }
                    }
                }
            });
        }
    }

    @Test
    void rawModeOfDepth24IsRefusedByName() throws IOException {
        Path f = new MerlinFiles(1, 4, 64, "R64").rawDepth(24).write(dir.resolve("r.mib"), 0, 4);
        RecordingException e = assertThrows(RecordingException.class,
            () -> Recordings.open(f, calibrated(FrameMapping.scan(2, 2))));
        assertTrue(e.getMessage().contains("raw mode R64 with counter depth 24"), e.getMessage());
    }

    /**
     * RosettaSciIO's raw test files (not part of this repository: set RSCIIO_MERLIN to the folder of
     * their Merlin_Single_Quad.zip): each 1-bit raw frame unpacks to the pattern of the matching
     * processed-mode file, a separate exposure of the same illumination, so the two correlate as
     * closely as Poisson noise allows (measured 0.991–0.998) — a mis-assembled quad does not (≈ 0.5).
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Single", "Quad"})
    void realRawFramesMatchTheProcessedFramesOfTheSameDetector(String kind) throws IOException {
        String folder = System.getenv("RSCIIO_MERLIN");
        org.junit.jupiter.api.Assumptions.assumeTrue(folder != null, "RSCIIO_MERLIN not set");
        Path raw = Path.of(folder, kind + "_9_Frame_CounterDepth_1_Rows_256RAW.mib");
        Path processed = Path.of(folder, kind + "_9_Frame_CounterDepth_1_Rows_256.mib");
        OpenOptions o = calibrated(FrameMapping.scan(1, 1));
        try (Dataset5D a = Recordings.open(raw, o); Dataset5D b = Recordings.open(processed, o)) {
            for (int t = 0; t < 9; t++) {
                double[] p = a.readPattern(t, 0, 0);
                double[] q = b.readPattern(t, 0, 0);
                double ma = java.util.Arrays.stream(p).average().orElseThrow();
                double mb = java.util.Arrays.stream(q).average().orElseThrow();
                double sab = 0;
                double saa = 0;
                double sbb = 0;
                for (int i = 0; i < p.length; i++) {
                    sab += (p[i] - ma) * (q[i] - mb);
                    saa += (p[i] - ma) * (p[i] - ma);
                    sbb += (q[i] - mb) * (q[i] - mb);
                }
                double r = sab / Math.sqrt(saa * sbb);
                assertTrue(r > 0.98, kind + " frame " + t + ": correlation " + r);
            }
        }
    }

    @Test
    void aMibFileWithoutMerlinHeadersIsRefused() throws IOException {
        Path f = dir.resolve("x.mib");
        Files.writeString(f, "not a merlin file at all, but long enough to look at", StandardCharsets.US_ASCII);
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f, OpenOptions.defaults()));
        assertTrue(e.getMessage().contains("does not start with 'MQ1,'"), e.getMessage());
    }
}
