/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.testing.DmFiles;
import org.fivedstem.io.testing.DmFiles.Cal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** DigitalMicrograph files written from the format's description are read back exactly. */
class DigitalMicrographTest {

    @TempDir
    Path dir;

    /** What the files do not hold: the frame interval and the centre. */
    static OpenOptions timed() {
        return OpenOptions.defaults().withFrameIntervalSeconds(0.5).withCenterPx(1.5, 2.5);
    }

    /** Diffraction in 1/nm (0.02) and scan in nm (0.5, 0.25): DM dimension order kx, ky, scan_x, scan_y. */
    static Cal[] cals4d() {
        return new Cal[] {new Cal(0.02, 2, "1/nm"), new Cal(0.02, 1, "1/nm"), new Cal(0.25, 0, "nm"), new Cal(0.5, 0, "nm")};
    }

    static Stream<Arguments> versionsTypesOrders() {
        SampleType[] types = SampleType.values();
        return Stream.of(3, 4).flatMap(v -> Arrays.stream(types).flatMap(t -> Stream.of(ByteOrder.LITTLE_ENDIAN,
            ByteOrder.BIG_ENDIAN).map(o -> Arguments.of(v, t, o))));
    }

    /** 4D file (scan_y, scan_x, ky, kx) = (3, 4, 5, 6), C-ordered with the Data Order Swapped tag. */
    @ParameterizedTest(name = "DM{0} 4D {1} {2}")
    @MethodSource("versionsTypesOrders")
    void reads4dExactly(int version, SampleType type, ByteOrder order) throws IOException {
        DmFiles w = new DmFiles(version, order);
        Path f = w.write(dir.resolve("cube.dm" + version), w.image(DmFiles.dataType(type), new long[] {6, 5, 4, 3},
            n -> DmFiles.value(type, n), cals4d(), true, "Diffraction image"));
        try (Dataset5D ds = Recordings.open(f, timed())) {
            assertEquals(Shape5D.of(1, 3, 4, 5, 6), ds.shape());
            assertEquals("t,y,x,ky,kx", ds.axisOrder().toString());
            int[] seen = {0};
            ds.forEachPattern((t, y, x, p) -> {
                for (int k = 0; k < 30; k++) {
                    long n = (y * 4L + x) * 30 + k;
                    if (p[k] != DmFiles.value(type, n)) {
                        throw new AssertionError(String.format("(%d,%d) pixel %d: file holds %s, read %s", y, x, k,
                            DmFiles.value(type, n), p[k]));
                    }
                }
                seen[0]++;
            });
            assertEquals(12, seen[0]);
            assertEquals(0.02, ds.calibration().pixelSizeInverseNm(), 1e-8);
            assertEquals(0.5, ds.calibration().scanStepYNm(), 1e-8);
            assertEquals(0.25, ds.calibration().scanStepXNm(), 1e-8);
            String d = ds.storage().description();
            assertTrue(d.contains("DM" + version) && d.contains(type.toString()), d);
        }
    }

    /** 3D stack of 2 × 3 × 2 frames of 4 × 5 pixels mapped onto (t, y, x) by --scan. */
    @ParameterizedTest(name = "DM{0} 3D {1} {2}")
    @MethodSource("versionsTypesOrders")
    void reads3dStackExactly(int version, SampleType type, ByteOrder order) throws IOException {
        DmFiles w = new DmFiles(version, order);
        Path f = w.write(dir.resolve("stack.dm" + version), w.image(DmFiles.dataType(type), new long[] {5, 4, 12},
            n -> DmFiles.value(type, n), new Cal[] {new Cal(0.02, 0, "1/nm"), new Cal(0.02, 0, "1/nm"), new Cal(1, 0, "")},
            null, null));
        OpenOptions o = timed().withScanStepNm(0.3).withFrameMapping(FrameMapping.scan(3, 2));
        try (Dataset5D ds = Recordings.open(f, o)) {
            assertEquals(Shape5D.of(2, 3, 2, 4, 5), ds.shape());
            ds.forEachPattern((t, y, x, p) -> {
                long frame = (t * 3L + y) * 2 + x;
                for (int k = 0; k < 20; k++) {
                    assertEquals(DmFiles.value(type, frame * 20 + k), p[k], "frame " + frame + " pixel " + k);
                }
            });
            assertEquals(0.02, ds.calibration().pixelSizeInverseNm(), 1e-8);
        }
    }

    @Test
    void aStackWithoutTheScanIsAskedFor() throws IOException {
        DmFiles w = new DmFiles(4, ByteOrder.LITTLE_ENDIAN);
        Path f = w.write(dir.resolve("s.dm4"), w.image(10, new long[] {5, 4, 12}, n -> n, null, null, null));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f, timed()));
        assertTrue(e.getMessage().contains("12 frames of 4 × 5") && e.getMessage().contains("--scan"), e.getMessage());
    }

    /** Diffraction units → nm⁻¹ and scan units → nm; each case's expected value is 0.02 nm⁻¹ and 0.5 nm. */
    @ParameterizedTest(name = "{0} {1}, {2} {3}")
    @CsvSource({
        "0.02, 1/nm, 0.5, nm",
        "0.02, nm^-1, 5, Å",
        "0.002, 1/Å, 5, A",
        "0.002, 1/A, 0.0005, µm",
        "0.00002, 1/pm, 0.0005, um",
        "20, 1/µm, 500, pm",
        "20, 1/um, 0.5, nm",
    })
    void unitsConvert(double kScale, String kUnits, double rScale, String rUnits) throws IOException {
        DmFiles w = new DmFiles(3, ByteOrder.LITTLE_ENDIAN);
        Cal k = new Cal(kScale, 0, kUnits);
        Cal r = new Cal(rScale, 0, rUnits);
        Path f = w.write(dir.resolve("u.dm3"), w.image(10, new long[] {4, 4, 2, 2}, n -> n, new Cal[] {k, k, r, r}, true, null));
        try (Dataset5D ds = Recordings.open(f, timed())) {
            assertEquals(0.02, ds.calibration().pixelSizeInverseNm(), 0.02 * 1e-6);
            assertEquals(0.5, ds.calibration().scanStepYNm(), 0.5 * 1e-6);
        }
    }

    @ParameterizedTest(name = "units ''{0}''")
    @CsvSource({"pixel", "''", "mrad", "nm"})
    void unknownDiffractionUnitsLeaveThePixelSizeToTheUser(String units) throws IOException {
        DmFiles w = new DmFiles(4, ByteOrder.LITTLE_ENDIAN);
        Cal k = new Cal(0.5, 0, units);
        Cal r = new Cal(0.5, 0, "nm");
        Path f = w.write(dir.resolve("p.dm4"), w.image(10, new long[] {4, 4, 2, 2}, n -> n, new Cal[] {k, k, r, r}, true, null));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f, timed()));
        assertTrue(e.getMessage().contains("--pixel-size") && e.getMessage().contains("in the DM tags (ImageData/Calibrations) "
            + "or a sidecar p.dm4.json"), e.getMessage());
        try (Dataset5D ds = Recordings.open(f, timed().withPixelSizeInverseNm(0.1))) {
            assertEquals(0.1, ds.calibration().pixelSizeInverseNm());
        }
    }

    @Test
    void aSidecarFillsWhatTheTagsLackAndTheTagsWin() throws IOException {
        DmFiles w = new DmFiles(4, ByteOrder.BIG_ENDIAN);
        Cal k = new Cal(0.02, 0, "1/nm");
        Cal r = new Cal(1, 0, "pixel");
        Path f = w.write(dir.resolve("c.dm4"), w.image(10, new long[] {4, 4, 2, 2}, n -> n, new Cal[] {k, k, r, r}, true, null));
        Files.writeString(dir.resolve("c.dm4.json"), "{\"frame_interval_s\": 9.2, \"scan_step_nm\": 0.16, "
            + "\"pixel_size_inv_nm\": 0.9, \"center_px\": [1.5, 1.5], \"temperature_K\": 633}");
        try (Dataset5D ds = Recordings.open(f)) {
            assertEquals(9.2, ds.calibration().frameIntervalSeconds());
            assertEquals(0.16, ds.calibration().scanStepXNm());
            assertEquals(0.02, ds.calibration().pixelSizeInverseNm(), 1e-8);
            assertEquals(633, ds.calibration().temperatureKelvin().orElseThrow());
        }
    }

    @Test
    void diffractionAxesThatDisagreeAreRefusedUnlessThePixelSizeIsGiven() throws IOException {
        DmFiles w = new DmFiles(3, ByteOrder.LITTLE_ENDIAN);
        Cal r = new Cal(0.5, 0, "nm");
        Path f = w.write(dir.resolve("d.dm3"), w.image(10, new long[] {4, 4, 2, 2}, n -> n,
            new Cal[] {new Cal(0.02, 0, "1/nm"), new Cal(0.03, 0, "1/nm"), r, r}, true, null));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f, timed()));
        assertTrue(e.getMessage().contains("ky 0.03 nm⁻¹, kx 0.02 nm⁻¹") && e.getMessage().contains("--pixel-size"),
            e.getMessage());
        try (Dataset5D ds = Recordings.open(f, timed().withPixelSizeInverseNm(0.025))) {
            assertEquals(0.025, ds.calibration().pixelSizeInverseNm());
        }
    }

    /** Legacy transposed 4D: stored (ky, kx, scan_y, scan_x), DM dimensions [scan_x, scan_y, kx, ky], no tag. */
    @Test
    void aTransposed4dFileIsRefusedNamingTheTagAndReadWhenTheAxesAreGiven() throws IOException {
        int ny = 3;
        int nx = 4;
        int ky = 5;
        int kx = 6;
        DmFiles w = new DmFiles(4, ByteOrder.LITTLE_ENDIAN);
        // file element ((i·kx + j)·ny + y)·nx + x holds the logical pattern value at (y, x, i, j)
        Path f = w.write(dir.resolve("old.dm4"), w.image(10, new long[] {nx, ny, kx, ky}, n -> {
            long x = n % nx;
            long y = n / nx % ny;
            long j = n / nx / ny % kx;
            long i = n / nx / ny / kx;
            return DmFiles.value(SampleType.UINT16, ((y * nx + x) * ky + i) * kx + j);
        }, null, null, "Diffraction image"));
        OpenOptions o = timed().withScanStepNm(1).withPixelSizeInverseNm(1);
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f, o));
        assertTrue(e.getMessage().contains("lacks the tag ImageTags/Meta Data/Data Order Swapped")
            && e.getMessage().contains("(ky, kx, scan_y, scan_x") && e.getMessage().contains("[1] 5 × 6 × 3 × 4 uint16"),
            e.getMessage());
        try (Dataset5D ds = Recordings.open(f, o.withAxes("t,ky,kx,y,x"))) {
            assertEquals(Shape5D.of(1, ny, nx, ky, kx), ds.shape());
            ds.forEachPattern((t, y, x, p) -> {
                for (int k = 0; k < ky * kx; k++) {
                    assertEquals(DmFiles.value(SampleType.UINT16, ((long) (y * nx + x)) * ky * kx + k), p[k]);
                }
            });
        }
    }

    @Test
    void theLargestImageIsChosenAfterThumbnailAndPreview() throws IOException {
        DmFiles w = new DmFiles(4, ByteOrder.LITTLE_ENDIAN);
        Path f = w.write(dir.resolve("m.dm4"), w.image(2, new long[] {4, 3}, n -> 1, null, null, null),
            w.image(10, new long[] {4, 4, 2, 2}, n -> n, cals4d(), true, null),
            w.image(10, new long[] {2, 2, 2}, n -> 0, null, null, null));
        try (Dataset5D ds = Recordings.open(f, timed())) {
            assertEquals(Shape5D.of(1, 2, 2, 4, 4), ds.shape());
            assertTrue(ds.storage().description().contains("item [2]"), ds.storage().description());
        }
    }

    @Test
    void aRenamedDmFileIsRecognisedByItsHeader() throws IOException {
        DmFiles w = new DmFiles(3, ByteOrder.BIG_ENDIAN);
        Path f = w.write(dir.resolve("cube.bin"), w.image(10, new long[] {4, 4, 2, 2}, n -> n, cals4d(), true, null));
        try (Dataset5D ds = Recordings.open(f, timed())) {
            assertEquals(Shape5D.of(1, 2, 2, 4, 4), ds.shape());
        }
    }

    // ---- bad input: every failure is a RecordingException naming the file and the numbers ----

    private RecordingException refused(Path f, OpenOptions o) {
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f, o));
        assertEquals(f, e.file().orElseThrow(), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e;
    }

    @ParameterizedTest(name = "DM{0}")
    @CsvSource({"3", "4"})
    void truncatedDataAreRefusedWithBothSizes(int version) throws IOException {
        DmFiles w = new DmFiles(version, ByteOrder.LITTLE_ENDIAN);
        Path f = w.write(dir.resolve("t.dm" + version), w.image(10, new long[] {8, 8, 4, 4}, n -> n, cals4d(), true, null));
        long cut = w.dataOffset() + 1000;
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, (int) cut));
        RecordingException e = refused(f, timed());
        assertTrue(e.getMessage().contains("holds 2048 bytes") && e.getMessage().contains("starting at byte " + w.dataOffset())
            && e.getMessage().contains("the file has " + cut + " bytes: truncated"), e.getMessage());
    }

    @ParameterizedTest(name = "type {0}: {1}")
    @CsvSource({"3, complex64", "13, complex128", "8, RGB", "23, RGBA", "14, binary", "5, packed complex (old FFT)",
        "27, packed complex64 (FFT)", "99, unknown type"})
    void unsupportedTypesAreRefusedByCodeAndName(int code, String name) throws IOException {
        DmFiles w = new DmFiles(4, ByteOrder.LITTLE_ENDIAN);
        Path f = w.write(dir.resolve("c.dm4"), w.image(code, new long[] {4, 4, 2, 2}, n -> n, cals4d(), true, null));
        RecordingException e = refused(f, timed());
        assertTrue(e.getMessage().contains("DM data type " + code + " (" + name + ") is not supported"), e.getMessage());
    }

    @Test
    void aSinglePatternIsNotARecording() throws IOException {
        DmFiles w = new DmFiles(3, ByteOrder.LITTLE_ENDIAN);
        Path f = w.write(dir.resolve("dp.dm3"), w.image(2, new long[] {64, 32}, n -> n, null, null, null));
        RecordingException e = refused(f, timed());
        assertTrue(e.getMessage().contains("no 3D or 4D image ([0] 8 × 8 RGBA, [1] 32 × 64 float32)")
            && e.getMessage().contains("not a recording"), e.getMessage());
    }

    @Test
    void aSpectrumImageIsRefused() throws IOException {
        DmFiles w = new DmFiles(4, ByteOrder.LITTLE_ENDIAN);
        Path f = w.write(dir.resolve("si.dm4"), w.image(2, new long[] {100, 3, 4}, n -> n, null, null, "Spectrum image"));
        RecordingException e = refused(f, timed().withFrameMapping(FrameMapping.scan(3, 4)));
        assertTrue(e.getMessage().contains("spectrum image"), e.getMessage());
    }

    @Test
    void garbageWithADm4ExtensionIsRefused() throws IOException {
        byte[] junk = new byte[5000];
        new Random(7).nextBytes(junk);
        junk[0] = 0;
        junk[1] = 0;
        junk[2] = 0;
        junk[3] = 0x12;
        Path f = Files.write(dir.resolve("junk.dm4"), junk);
        RecordingException e = refused(f, timed());
        assertTrue(e.getMessage().contains("the version field") && e.getMessage().contains(" is 18;"), e.getMessage());
        Path tiny = Files.write(dir.resolve("tiny.dm3"), new byte[] {0, 0, 0, 3});
        assertTrue(refused(tiny, timed()).getMessage().contains("file has 4 bytes"));
    }

    /** Huge counts in the root group, an info array and an array length: refused by the file size, nothing allocated. */
    @ParameterizedTest(name = "DM{0}")
    @CsvSource({"3", "4"})
    void aTagTreeThatClaimsMoreThanTheFileIsRefused(int version) throws IOException {
        DmFiles w = new DmFiles(version, ByteOrder.LITTLE_ENDIAN);
        Path f = w.write(dir.resolve("big.dm" + version), w.image(10, new long[] {4, 4, 2, 2}, n -> n, cals4d(), true, null));
        byte[] good = Files.readAllBytes(f);
        int header = version == 4 ? 16 : 12;
        int sizeBytes = version == 4 ? 8 : 4;

        byte[] b = good.clone();
        putSize(b, header + 2, version, -1L); // root group: 2^32−1 / 2^64−1 tags
        Files.write(f, b);
        assertMessage(f, "the root group at byte " + (header + 2) + " claims " + (version == 4 ? "18446744073709551615"
            : "4294967295") + " tags but only");

        b = good.clone();
        long lengthAt = w.dataOffset() - sizeBytes; // the Data array's element count
        putSize(b, (int) lengthAt, version, version == 4 ? Long.MAX_VALUE : 0xFFFFFFF0L);
        Files.write(f, b);
        assertMessage(f, "more than the file's " + good.length + " bytes");

        b = good.clone();
        long infoLengthAt = w.dataOffset() - 4L * sizeBytes; // the Data tag's info-array length
        putSize(b, (int) infoLengthAt, version, 0x7FFFFFFFL);
        Files.write(f, b);
        assertMessage(f, "type description of 2147483647 entries");

        if (version == 4) {
            b = good.clone();
            long tagSizeAt = infoLengthAt - 4 - 8; // the Data tag's DM4 tag size
            putSize(b, (int) tagSizeAt, version, 1L << 40);
            Files.write(f, b);
            assertMessage(f, "its size field says 1099511627776 bytes but its type description makes it");
        }
    }

    private static void putSize(byte[] b, int at, int version, long v) {
        if (version == 4) {
            ByteBuffer.wrap(b).putLong(at, v);
        } else {
            ByteBuffer.wrap(b).putInt(at, (int) v);
        }
    }

    private void assertMessage(Path f, String part) {
        RecordingException e = refused(f, timed());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    /** Random corruption of a valid file: only RecordingException may escape, whatever the bytes. */
    @ParameterizedTest(name = "DM{0}")
    @CsvSource({"3", "4"})
    void corruptBytesNeverEscapeAsAnythingElse(int version) throws IOException {
        DmFiles w = new DmFiles(version, ByteOrder.LITTLE_ENDIAN);
        Path f = w.write(dir.resolve("r.dm" + version), w.image(10, new long[] {4, 4, 2, 2}, n -> n, cals4d(), true, null));
        byte[] good = Files.readAllBytes(f);
        long seed = 20240611L + version;
        Random rng = new Random(seed);
        for (int trial = 0; trial < 300; trial++) {
            byte[] b = good.clone();
            int flips = 1 + rng.nextInt(4);
            for (int k = 0; k < flips; k++) {
                b[rng.nextInt((int) w.dataOffset())] = (byte) rng.nextInt(256); // the tag tree, not the pixels
            }
            Files.write(f, b);
            Executable open = () -> {
                try (Dataset5D ds = Recordings.open(f, timed())) {
                    ds.forEachPattern((t, y, x, p) -> { });
                }
            };
            try {
                open.execute();
            } catch (RecordingException expected) {
                // fine: a clear refusal
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + " trial " + trial + ": " + t, t);
            }
        }
    }

    // ---- RosettaSciIO's fixtures, when present (not committed: another project's files) ----

    /**
     * RosettaSciIO's {@code rsciio/tests/data/digitalmicrograph/3D/test-K.dm3/.dm4} (GMS-written
     * 2 × 2 × 2 images holding 1…8 in C order, per its test_digitalmicrograph.py), read from the
     * folder named by the environment variable {@code RSCIIO_DM_3D}; skipped when it is not set.
     */
    @ParameterizedTest(name = "test-{0}.dm{1}")
    @CsvSource({"1, 3", "1, 4", "2, 3", "2, 4", "6, 3", "6, 4", "7, 3", "7, 4", "9, 3", "9, 4", "10, 3", "10, 4",
        "11, 3", "11, 4", "12, 3", "12, 4"})
    void readsRosettaSciIoFixtures(int code, int version) throws IOException {
        String folder = System.getenv("RSCIIO_DM_3D");
        assumeTrue(folder != null && Files.isDirectory(Path.of(folder)), "RSCIIO_DM_3D not set");
        Path f = Path.of(folder, "test-" + code + ".dm" + version);
        assumeTrue(Files.exists(f), f + " absent");
        OpenOptions o = timed().withScanStepNm(1).withPixelSizeInverseNm(1).withFrameMapping(FrameMapping.scan(1, 2));
        try (Dataset5D ds = Recordings.open(f, o)) {
            assertEquals(Shape5D.of(1, 1, 2, 2, 2), ds.shape());
            ds.forEachPattern((t, y, x, p) -> {
                for (int k = 0; k < 4; k++) {
                    assertEquals(1 + x * 4 + k, p[k], "frame " + x + " pixel " + k);
                }
            });
        }
    }

    /** The same fixtures of complex, RGB(A) and binary types are refused by type. */
    @ParameterizedTest(name = "test-{0}.dm4 refused")
    @CsvSource({"3", "5", "8", "13", "14", "23", "27", "28"})
    void refusesRosettaSciIoFixturesOfOtherTypes(int code) {
        String folder = System.getenv("RSCIIO_DM_3D");
        assumeTrue(folder != null && Files.exists(Path.of(folder, "test-" + code + ".dm4")), "RSCIIO_DM_3D not set");
        Path f = Path.of(folder, "test-" + code + ".dm4");
        RecordingException e = refused(f, timed().withFrameMapping(FrameMapping.scan(1, 2)));
        // GMS stored some of these under another code (test-5 as 3 complex64, test-8 as 23 RGBA, test-27/28 as 3/13)
        assertTrue(e.getMessage().contains("DM data type ") && e.getMessage().contains(") is not supported"), e.getMessage());
    }
}
