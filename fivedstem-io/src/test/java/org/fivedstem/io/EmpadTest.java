/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.testing.EmpadFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EMPAD recordings written from the format's description are read back exactly, with the XML's scan and calibration. */
class EmpadTest {

    @TempDir
    Path dir;

    /** The calibration EMPAD XMLs never hold. */
    static final OpenOptions CENTRED = OpenOptions.defaults().withCenterPx(64, 64);

    /** Checks every pattern against the frame the mapping puts there (footer rows never visible). */
    static void assertFrames(Dataset5D ds, FrameMapping m) throws IOException {
        Shape5D s = ds.shape();
        assertEquals(128, s.ky());
        assertEquals(128, s.kx());
        int[] count = {0};
        ds.forEachPattern((t, y, x, p) -> {
            long n = m.skipFrames() + (m.order() == FrameMapping.Order.T_Y_X
                ? ((long) t * s.scanY() + y) * s.scanX() + x : ((long) y * s.scanX() + x) * s.frames() + t);
            for (int i = 0; i < 128; i++) {
                for (int j = 0; j < 128; j++) {
                    if (p[i * 128 + j] != EmpadFiles.value(n, i, j)) {
                        throw new AssertionError(String.format("t=%d y=%d x=%d (%d,%d): frame %d holds %s, read %s", t, y, x,
                            i, j, n, EmpadFiles.value(n, i, j), p[i * 128 + j]));
                    }
                }
            }
            count[0]++;
        });
        assertEquals(s.patternCount(), count[0]);
    }

    @Test
    void software051ScanFromPixAndCalibrationFromTheXml() throws IOException {
        Path raw = EmpadFiles.writeRaw(dir.resolve("scan_x4_y3.raw"), 2 * 3 * 4);
        Path xml = EmpadFiles.writeXml(dir.resolve("map.xml"), EmpadFiles.xml051("scan_x4_y3.raw", 4, 3, 4.566e-06,
            1.826537060227288e-10));
        for (Path input : new Path[] {xml, raw}) {
            try (Dataset5D ds = Recordings.open(input, CENTRED.withFrameIntervalSeconds(2.5))) {
                // two whole scans of 3 × 4 in the file: two time steps
                assertEquals(Shape5D.of(2, 3, 4, 128, 128), ds.shape());
                assertFrames(ds, FrameMapping.scan(3, 4));
                // RSciIO: calibrated_pixelsize × 1e9 in 1/nm
                assertEquals(0.1826537060227288, ds.calibration().pixelSizeInverseNm(), 1e-15);
                // 4.566 µm over 4 columns and 3 rows
                assertEquals(4566.0 / 4, ds.calibration().scanStepXNm(), 1e-9);
                assertEquals(4566.0 / 3, ds.calibration().scanStepYNm(), 1e-9);
                assertTrue(ds.storage().description().contains("scan from map.xml pix_x, pix_y"), ds.storage().description());
            }
        }
    }

    @Test
    void software122ScanFromScanParametersAndFieldOfViewOverScaleFactor() throws IOException {
        Path raw = EmpadFiles.writeRaw(dir.resolve("scan_x3_y2.raw"), 2 * 3);
        // the search scan (32 × 64) does not fit 6 frames; the acquire scan (2 × 3) does
        Path xml = EmpadFiles.writeXml(dir.resolve("acq.xml"), EmpadFiles.xml122("scan_x3_y2.raw", 3, 2, 1.272412341559544e-06,
            0.9e-06, 0.72));
        try (Dataset5D ds = Recordings.open(xml, CENTRED.withFrameIntervalSeconds(1).withPixelSizeInverseNm(0.2))) {
            assertEquals(Shape5D.of(1, 2, 3, 128, 128), ds.shape());
            assertFrames(ds, FrameMapping.scan(2, 3));
            // RSciIO: fov / scale_factor / max(nx, ny), in m → nm
            assertEquals(1.272412341559544e-06 / 0.72 / 3 * 1e9, ds.calibration().scanStepXNm(), 1e-9);
            assertEquals(0.9e-06 / 0.72 / 3 * 1e9, ds.calibration().scanStepYNm(), 1e-9);
            assertTrue(ds.storage().description().contains("scan_parameters[@mode='acquire']"), ds.storage().description());
        }
    }

    @Test
    void aSeriesIsFramesAtOnePositionWithTheExposureAsInterval() throws IOException {
        Path raw = EmpadFiles.writeRaw(dir.resolve("series_x5.raw"), 5);
        EmpadFiles.writeXml(dir.resolve("series_x5.xml"), EmpadFiles.xmlSeries("series_x5.raw", 5, 1.5, 0.25));
        try (Dataset5D ds = Recordings.open(raw, CENTRED.withScanStepNm(1))) {
            assertEquals(Shape5D.of(5, 1, 1, 128, 128), ds.shape());
            assertFrames(ds, FrameMapping.scan(1, 1));
            // exposure 1.5 ms + post-exposure 0.25 ms
            assertEquals(1.75e-3, ds.calibration().frameIntervalSeconds(), 1e-15);
        }
    }

    @Test
    void theScanOptionWinsAndOrderYxtTakesTheExposure() throws IOException {
        EmpadFiles.writeRaw(dir.resolve("scan_x4_y3.raw"), 12);
        Path xml = EmpadFiles.writeXml(dir.resolve("m.xml"), EmpadFiles.xml051("scan_x4_y3.raw", 4, 3, 4e-06, 1.8e-10));
        FrameMapping m = FrameMapping.scan(2, 2).withOrder(FrameMapping.Order.Y_X_T);
        try (Dataset5D ds = Recordings.open(xml, CENTRED.withFrameMapping(m))) {
            assertEquals(Shape5D.of(3, 2, 2, 128, 128), ds.shape());
            assertFrames(ds, m);
            assertEquals(1e-3, ds.calibration().frameIntervalSeconds(), 1e-15);
        }
    }

    @Test
    void missingCalibrationComesFromASidecarThenIsAskedFor() throws IOException {
        Path raw = EmpadFiles.writeRaw(dir.resolve("scan_x2_y2.raw"), 4);
        Path xml = EmpadFiles.writeXml(dir.resolve("scan.xml"), EmpadFiles.xml122("scan_x2_y2.raw", 2, 2, 1e-06, 1e-06, 1));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(xml, CENTRED.withFrameIntervalSeconds(1)));
        assertEquals(raw + ": calibration lacks the diffraction pixel size: no attribute pixel_size_inv_nm in scan.xml "
            + "(EMPAD XMLs hold no pattern centre, and no time between repeated scans) or a sidecar scan_x2_y2.raw.json; "
            + "give it with --pixel-size (OpenOptions.withPixelSizeInverseNm)", e.getMessage());
        Files.writeString(dir.resolve("scan_x2_y2.raw.json"), "{\"pixel_size_inv_nm\": 0.31, \"center_px\": [63.5, 64.5], "
            + "\"frame_interval_s\": 4, \"scan_step_nm\": 99}");
        try (Dataset5D ds = Recordings.open(xml)) {
            assertEquals(0.31, ds.calibration().pixelSizeInverseNm());
            assertEquals(63.5, ds.calibration().centerKyPx());
            assertEquals(4, ds.calibration().frameIntervalSeconds());
            assertEquals(500, ds.calibration().scanStepXNm(), 1e-9);   // the XML's, over the sidecar's
        }
    }

    // ---- bad input: one RecordingException naming the file and the numbers

    @Test
    void aRawFileOfPartFramesIsRefusedWithItsSize() throws IOException {
        Path raw = EmpadFiles.writeRaw(dir.resolve("scan_x2_y2.raw"), 4);
        byte[] all = Files.readAllBytes(raw);
        Files.write(raw, java.util.Arrays.copyOf(all, all.length - 100));
        Path xml = EmpadFiles.writeXml(dir.resolve("a.xml"), EmpadFiles.xml051("scan_x2_y2.raw", 2, 2, 4e-06, 1.8e-10));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(xml, CENTRED));
        assertEquals(raw, e.file().orElseThrow());
        assertTrue(e.getMessage().contains("file has 266140 bytes: 3 whole EMPAD frames of 66560 bytes")
            && e.getMessage().contains("66460 bytes over; expected a multiple of 66560"), e.getMessage());
    }

    @Test
    void framesThatAreNotWholeScansAreRefusedWithTheBytesExpected() throws IOException {
        EmpadFiles.writeRaw(dir.resolve("scan_x4_y3.raw"), 10);
        Path xml = EmpadFiles.writeXml(dir.resolve("b.xml"), EmpadFiles.xml051("scan_x4_y3.raw", 4, 3, 4e-06, 1.8e-10));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(xml, CENTRED));
        assertTrue(e.getMessage().contains("file holds 10 frames (665600 bytes) but b.xml pix_x, pix_y gives a scan of 3 × 4, "
            + "which needs a multiple of 12 frames (798720 bytes per scan)"), e.getMessage());
    }

    @Test
    void aSeriesOfTheWrongLengthIsRefused() throws IOException {
        EmpadFiles.writeRaw(dir.resolve("s.raw"), 3);
        Path xml = EmpadFiles.writeXml(dir.resolve("s.xml"), EmpadFiles.xmlSeries("s.raw", 4, 1, 0));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(xml, CENTRED));
        assertTrue(e.getMessage().contains("file holds 3 frames (199680 bytes) but s.xml (a series) says the series has 4 "
            + "frames (266240 bytes expected)"), e.getMessage());
    }

    @Test
    void withoutScanElementsTheScanIsAskedFor() throws IOException {
        EmpadFiles.writeRaw(dir.resolve("frames.raw"), 6);
        Path xml = EmpadFiles.writeXml(dir.resolve("frames.xml"), "<root name=\"x\"><raw_file filename=\"frames.raw\"/></root>");
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(xml, CENTRED));
        assertTrue(e.getMessage().contains("6 frames of 128 × 128 pixels but not the scan")
            && e.getMessage().contains("frames.xml gives no pix_x/pix_y or scan_resolution_x/_y")
            && e.getMessage().contains("--scan NY,NX"), e.getMessage());
    }

    @Test
    void aMissingRawFileIsNamed() throws IOException {
        Path xml = EmpadFiles.writeXml(dir.resolve("c.xml"), EmpadFiles.xml051("gone.raw", 2, 2, 4e-06, 1.8e-10));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(xml, CENTRED));
        assertEquals(xml + ": the raw file it names, gone.raw, is not beside it (nor is c.raw)", e.getMessage());
    }

    @Test
    void aRawFileNamedWithAPathIsLookedForBesideTheXmlOnly() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("elsewhere"));
        EmpadFiles.writeRaw(sub.resolve("p.raw"), 4);
        Path xml = EmpadFiles.writeXml(dir.resolve("p.xml"), EmpadFiles.xml051("elsewhere/p.raw", 2, 2, 4e-06, 1.8e-10));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(xml, CENTRED));
        assertTrue(e.getMessage().contains("the raw file it names, p.raw, is not beside it"), e.getMessage());
    }

    @Test
    void malformedXmlIsRefusedWithLineAndColumn() throws IOException {
        EmpadFiles.writeRaw(dir.resolve("d.raw"), 4);
        Path xml = EmpadFiles.writeXml(dir.resolve("d.xml"), "<root name=\"x\">\n<pix_x>2</pix_y>\n</root>");
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(xml, CENTRED));
        assertEquals(xml, e.file().orElseThrow());
        assertTrue(e.getMessage().contains("malformed XML at line 2"), e.getMessage());
    }

    @Test
    void aNonNumericScanIsRefusedByElement() throws IOException {
        EmpadFiles.writeRaw(dir.resolve("e.raw"), 4);
        Path xml = EmpadFiles.writeXml(dir.resolve("e.xml"),
            "<root name=\"x\"><raw_file filename=\"e.raw\"/><pix_x>two</pix_x><pix_y>2</pix_y></root>");
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(xml, CENTRED));
        assertEquals(xml + ": <pix_x> is 'two', not a number", e.getMessage());
        Path zero = EmpadFiles.writeXml(dir.resolve("e.xml"),
            "<root name=\"x\"><raw_file filename=\"e.raw\"/><pix_x>0</pix_x><pix_y>2.5</pix_y></root>");
        e = assertThrows(RecordingException.class, () -> Recordings.open(zero, CENTRED));
        assertEquals(xml + ": <pix_x> is 0.0; expected a positive whole number", e.getMessage());
    }

    @Test
    void externalEntitiesAreNeverRead() throws IOException {
        EmpadFiles.writeRaw(dir.resolve("f.raw"), 4);
        Path secret = Files.writeString(dir.resolve("secret.txt"), "4");
        Path xml = EmpadFiles.writeXml(dir.resolve("f.xml"), "<?xml version=\"1.0\"?>\n"
            + "<!DOCTYPE root [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
            + "<root name=\"x\"><raw_file filename=\"f.raw\"/><pix_x>&xxe;</pix_x><pix_y>1</pix_y></root>");
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(xml, CENTRED));
        assertEquals(xml, e.file().orElseThrow());
        assertTrue(e.getMessage().contains("malformed XML at line 2") && e.getMessage().contains("DOCTYPE"), e.getMessage());
    }

    @Test
    void anXmlThatIsNoEmpadAcquisitionIsRefused() throws IOException {
        Path xml = EmpadFiles.writeXml(dir.resolve("g.xml"), "<project><modelVersion>4.0.0</modelVersion></project>");
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(xml, CENTRED));
        assertEquals(xml + ": root element is <project>; an EMPAD acquisition XML starts with <root name=\"…\">", e.getMessage());
    }

    @Test
    void aRawFileWithoutXmlOrLayoutIsNotTakenForEmpad() throws IOException {
        Path raw = EmpadFiles.writeRaw(dir.resolve("lonely.raw"), 4);
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(raw, CENTRED));
        assertTrue(e.getMessage().contains("for raw binary data give the layout"), e.getMessage());
    }
}
