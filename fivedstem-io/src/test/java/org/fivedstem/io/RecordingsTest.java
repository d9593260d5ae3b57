/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.fivedstem.api.Axis;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.raw.RawLayout;
import org.fivedstem.io.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordingsTest {

    @TempDir
    Path dir;

    static final Calibration CAL = Calibration.builder().frameIntervalSeconds(9.2).scanStepNm(0.16)
        .pixelSizeInverseNm(0.23).centerPx(2.5, 3.0).temperatureKelvin(633).build();

    /** Reads every pattern, checks each against A and that they come in the storage's scan order. */
    static void assertHoldsA(Dataset5D ds, SampleType type, int frames) throws IOException {
        Shape5D s = ds.shape();
        assertEquals(Shape5D.of(frames, 4, 5, 6, 7), s);
        List<Axis> order = ds.axisOrder().scanOrder();
        List<int[]> seen = new ArrayList<>();
        ds.forEachPattern((t, y, x, p) -> {
            seen.add(new int[] {t, y, x});
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 7; j++) {
                    double expected = Fixtures.value(type, t, y, x, i, j);
                    if (expected != p[i * 7 + j]) {
                        throw new AssertionError(String.format("%s at t=%d y=%d x=%d (%d,%d): expected %s, read %s",
                            ds, t, y, x, i, j, expected, p[i * 7 + j]));
                    }
                }
            }
        });
        assertEquals(s.patternCount(), seen.size());
        for (int k = 1; k < seen.size(); k++) {
            int[] a = seen.get(k - 1);
            int[] b = seen.get(k);
            int cmp = 0;
            for (Axis ax : order) {
                int d = ax == Axis.T ? 0 : ax == Axis.Y ? 1 : 2;
                if (cmp == 0) {
                    cmp = Integer.compare(a[d], b[d]);
                }
            }
            assertTrue(cmp < 0, "patterns must come in storage order " + order);
        }
    }

    static Stream<Arguments> hdf5Fixtures() {
        return Stream.of(
            Arguments.of("raw_layout_uint16.h5", OpenOptions.defaults(), SampleType.UINT16, 3),
            Arguments.of("chunked_gzip_shuffle.h5", OpenOptions.defaults(), SampleType.UINT16, 3),
            Arguments.of("yxt_float32.h5", OpenOptions.defaults().withDatasetPath("/entry/data").withAxes("y,x,t,ky,kx"), SampleType.FLOAT32, 3),
            Arguments.of("transposed_uint8_chunked.h5", OpenOptions.defaults(), SampleType.UINT8, 3),
            Arguments.of("kfirst_int16.h5", OpenOptions.defaults().withAxes("ky,t,kx,y,x"), SampleType.INT16, 3),
            Arguments.of("series", OpenOptions.defaults(), SampleType.INT32, 3),
            Arguments.of("data.npy", OpenOptions.defaults(), SampleType.UINT16, 3),
            Arguments.of("fortran.npy", OpenOptions.defaults(), SampleType.FLOAT32, 3),
            Arguments.of("data.raw", OpenOptions.defaults(), SampleType.INT16, 3));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hdf5Fixtures")
    void everyLayoutReadsToTheSameValuesWithItsCalibration(String name, OpenOptions o, SampleType type, int frames) throws IOException {
        try (Dataset5D ds = Recordings.open(Fixtures.path(name), o)) {
            assertHoldsA(ds, type, frames);
            Calibration c = ds.calibration();
            assertEquals(0.16, c.scanStepYNm());
            assertEquals(0.23, c.pixelSizeInverseNm());
            assertEquals(2.5, c.centerKyPx());
            assertEquals(3.0, c.centerKxPx());
            assertEquals(633.0, c.temperatureKelvin().getAsDouble());
        }
    }

    static Stream<Arguments> types() {
        return Stream.of(SampleType.values()).flatMap(t -> Stream.of(Arguments.of(t, ""), Arguments.of(t, "_be")));
    }

    @ParameterizedTest(name = "{0}{1}")
    @MethodSource("types")
    void everyTypeInEitherByteOrder(SampleType type, String suffix) throws IOException {
        try (Dataset5D ds = Recordings.open(Fixtures.path("types.h5"), OpenOptions.defaults().withDatasetPath("/" + type + suffix))) {
            assertHoldsA(ds, type, 1);
            assertTrue(ds.storage().description().contains(type.toString()), ds.storage().description());
        }
    }

    @Test
    void rawLayoutBringsMaskTimestampsAndCalibration() throws IOException {
        try (Dataset5D ds = Recordings.open(Fixtures.path("raw_layout_uint16.h5"))) {
            assertArrayEquals(new double[] {0, 9, 18.5}, ds.calibration().timestampsSeconds());
            DetectorMask m = ds.mask().orElseThrow();
            assertEquals(42 - 7 - 1, m.validCount());
            assertFalse(m.isValid(3, 4));
            assertFalse(m.isValid(0, 6));
            assertEquals("Dataset5D[3 frames × 4×5 scan × 6×7 pixels, Calibration[frame interval 9.250 s (median of 3 timestamps), "
                + "scan step 0.1600 nm, pixel 0.2300 nm⁻¹, centre (2.50, 3.00) px, 633.0 K], DetectorMask[6×7, 34 valid (81.0 %)], "
                + "raw_layout_uint16.h5:/data uint16 little-endian contiguous t,y,x,ky,kx]", ds.toString());
        }
    }

    @Test
    void optionsOverrideTheFile() throws IOException {
        OpenOptions o = OpenOptions.defaults().withFrameIntervalSeconds(2).withScanStepNm(0.5, 0.25).withPixelSizeInverseNm(0.1)
            .withCenterPx(1, 2).withTemperatureKelvin(500).withMaskFile(Fixtures.path("mask.npy"));
        try (Dataset5D ds = Recordings.open(Fixtures.path("raw_layout_uint16.h5"), o)) {
            Calibration c = ds.calibration();
            assertFalse(c.hasTimestamps());
            assertEquals(2, c.frameIntervalSeconds());
            assertEquals(0.5, c.scanStepYNm());
            assertEquals(0.25, c.scanStepXNm());
            assertEquals(0.1, c.pixelSizeInverseNm());
            assertEquals(1, c.centerKyPx());
            assertEquals(500, c.temperatureKelvin().getAsDouble());
            assertEquals(35, ds.mask().orElseThrow().validCount());
            assertFalse(ds.mask().orElseThrow().isValid(2, 0));
        }
    }

    @Test
    void selectionsAndViewsReadTheRightPart() throws IOException {
        for (String name : List.of("raw_layout_uint16.h5", "chunked_gzip_shuffle.h5")) {
            try (Dataset5D ds = Recordings.open(Fixtures.path(name))) {
                Dataset5D view = ds.crop(1, 3, 2, 5).timeRange(1, 3);
                double[] p = view.readPattern(1, 1, 2);
                assertEquals(Fixtures.value(SampleType.UINT16, 2, 2, 4, 5, 6), p[41]);
                assertEquals(Fixtures.value(SampleType.UINT16, 2, 2, 4, 0, 0), p[0]);
                int[] count = {0};
                view.forEachPattern((t, y, x, q) -> {
                    count[0]++;
                    assertEquals(Fixtures.value(SampleType.UINT16, t + 1, y + 1, x + 2, 3, 1), q[3 * 7 + 1]);
                });
                assertEquals(2 * 2 * 3, count[0]);
            }
        }
    }

    @Test
    void rawLayoutFromOptionsInsteadOfSidecar() throws IOException {
        Path copy = dir.resolve("copy.bin");
        Files.copy(Fixtures.path("data.raw"), copy);
        OpenOptions o = OpenOptions.defaults().withRawLayout(new RawLayout(new int[] {3, 4, 5, 6, 7}, SampleType.INT16, ByteOrder.BIG_ENDIAN, 16))
            .withFrameIntervalSeconds(1).withScanStepNm(0.16).withPixelSizeInverseNm(0.23).withCenterPx(2.5, 3).withTemperatureKelvin(633);
        try (Dataset5D ds = Recordings.open(copy, o)) {
            assertHoldsA(ds, SampleType.INT16, 3);
        }
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(copy,
            o.withRawLayout(RawLayout.of(new int[] {3, 4, 5, 6, 8}, SampleType.INT16))));
        assertEquals(copy + ": file has 5056 bytes but the layout RawLayout[[3, 4, 5, 6, 8] int16 little-endian, header 0 bytes] "
            + "needs 5760 (truncated?)", e.getMessage());
    }

    @Test
    void writerOutputReadsBackThroughTheReader() throws IOException {
        Path file = dir.resolve("sim.h5");
        Shape5D s = Shape5D.of(3, 4, 5, 6, 7);
        try (var w = org.fivedstem.io.hdf5.RecordingWriter.create(file, s, SampleType.UINT16, CAL)) {
            for (int y = 3; y >= 0; y--) {
                for (int x = 0; x < 5; x++) {
                    double[] frames = new double[3 * 42];
                    for (int t = 0; t < 3; t++) {
                        for (int k = 0; k < 42; k++) {
                            frames[t * 42 + k] = Fixtures.value(SampleType.UINT16, t, y, x, k / 7, k % 7);
                        }
                    }
                    w.writeFrames(y, x, frames);
                }
            }
            w.putMask(DetectorMask.allValid(6, 7));
            w.commit();
        }
        try (Dataset5D ds = Recordings.open(file)) {
            assertHoldsA(ds, SampleType.UINT16, 3);
            assertEquals(CAL, ds.calibration());
            assertEquals(42, ds.mask().orElseThrow().validCount());
        }
    }

    // ---- bad input: one typed exception naming file, dataset and problem

    static String message(String fixture, OpenOptions o) {
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(Fixtures.path(fixture), o).close());
        assertEquals(Fixtures.path(fixture), e.file().orElseThrow());
        return e.getMessage().substring(Fixtures.path(fixture).toString().length());
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nope.h5");
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(p));
        assertEquals(p + ": file does not exist", e.getMessage());
    }

    @Test
    void notHdf5() {
        assertEquals(": not an HDF5 file (no HDF5 signature) and not a .npy file; for raw binary data give the layout "
            + "(OpenOptions.withRawLayout) or a JSON sidecar not_hdf5.h5.json", message("not_hdf5.h5", OpenOptions.defaults()));
    }

    @Test
    void truncated() {
        String m = message("truncated.h5", OpenOptions.defaults());
        assertTrue(m.startsWith(":/data: ") && m.contains("truncated"), m);
    }

    @Test
    void missingDatasetListsThoseThatExist() {
        RecordingException e = assertThrows(RecordingException.class,
            () -> Recordings.open(Fixtures.path("rank4.h5"), OpenOptions.defaults().withDatasetPath("/entry/data")));
        assertEquals("/entry/data", e.datasetPath().orElseThrow());
        assertTrue(e.getMessage().endsWith(":/entry/data: no such dataset; the file holds /data [4, 5, 6, 7], /other/stuff [3]"),
            e.getMessage());
    }

    @Test
    void wrongRank() {
        assertEquals(":/data: dataset has rank 4 (dimensions [4, 5, 6, 7]); expected 5 dimensions (t, y, x, ky, kx in "
            + "some order) or 3 (a stack of frames, ky, kx, with the scan given by --scan)", message("rank4.h5", OpenOptions.defaults()));
    }

    /** A rank-3 HDF5 dataset (frames, ky, kx) is a frame stream: mapped onto the scan given. */
    @Test
    void frameStackInHdf5() throws IOException {
        Path f = dir.resolve("stack.h5");
        int n = 1 + 2 * 3 * 4;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(n * 5 * 6 * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < 30; i++) {
                b.putShort((short) (k * 100 + i));
            }
        }
        try (org.fivedstem.io.internal.Hdf5FileWriter w = org.fivedstem.io.internal.Hdf5FileWriter.create(f)) {
            w.putDataset("/entry/frames", org.fivedstem.io.internal.H5Type.of(SampleType.UINT16), new long[] {n, 5, 6},
                b.array(), List.of());
            w.commit();
        }
        OpenOptions o = OpenOptions.defaults().withDatasetPath("/entry/frames").withFrameIntervalSeconds(1).withScanStepNm(1)
            .withPixelSizeInverseNm(0.2).withCenterPx(2, 2);
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f, o));
        assertTrue(e.getMessage().contains("25 frames of 5 × 6 pixels but not the scan"), e.getMessage());
        FrameMapping m = FrameMapping.scan(3, 4).withOrder(FrameMapping.Order.Y_X_T).withSkipFrames(1);
        try (Dataset5D ds = Recordings.open(f, o.withFrameMapping(m))) {
            assertEquals(Shape5D.of(2, 3, 4, 5, 6), ds.shape());
            ds.forEachPattern((t, y, x, p) -> {
                int k = 1 + (y * 4 + x) * 2 + t;
                for (int i = 0; i < 30; i++) {
                    assertEquals(k * 100 + i, p[i], 0.0);
                }
            });
        }
    }

    @Test
    void invalidAxes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenOptions.defaults().withAxes("t,y,x,ky"));
        assertEquals("axes 't,y,x,ky' names 4 axes; expected the five axes t, y, x, ky, kx separated by commas", e.getMessage());
    }

    @Test
    void missingCalibrationNamesAttributeAndOption() {
        assertEquals(":/data: calibration lacks the diffraction pixel size: no attribute pixel_size_inv_nm on /data, its groups "
            + "or the root; give it with --pixel-size (OpenOptions.withPixelSizeInverseNm)", message("no_calibration.h5", OpenOptions.defaults()));
        assertEquals(":/data: calibration lacks the pattern centre: no attribute center_px on /data, its groups or the root; "
            + "give it with --center (OpenOptions.withCenterPx)",
            message("no_calibration.h5", OpenOptions.defaults().withPixelSizeInverseNm(0.2)));
    }

    @Test
    void maskOfTheWrongShape() {
        assertEquals(":/mask: mask has dimensions [7, 6]; expected [6, 7] (k_y, k_x) like the diffraction patterns",
            message("bad_mask.h5", OpenOptions.defaults()));
    }

    @Test
    void unsupportedFilterIsNamed() {
        String m = message("scaleoffset.h5", OpenOptions.defaults());
        assertTrue(m.startsWith(":/data: unsupported compression filter") && m.contains("scaleoffset"), m);
    }
}
