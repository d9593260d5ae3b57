/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import static org.fivedstem.io.HyperspyTest.KX;
import static org.fivedstem.io.HyperspyTest.KY;
import static org.fivedstem.io.HyperspyTest.X;
import static org.fivedstem.io.HyperspyTest.Y;
import static org.fivedstem.io.HyperspyTest.assertLinearIndex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.hdf5.Hdf5Attribute;
import org.fivedstem.io.internal.H5Type;
import org.fivedstem.io.internal.Hdf5FileWriter;
import org.fivedstem.io.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EMD files (fixtures written with h5py from the formats' descriptions, see
 * {@code fixtures/described/make_described_fixtures.py}; each array holds its own C-order linear
 * index): py4DSTEM's EMD 1.0, Prismatic's and RosettaSciIO's EMD 0.x, and Velox refused.
 */
class EmdTest {

    static final OpenOptions TIMED = OpenOptions.defaults().withFrameIntervalSeconds(1);

    /**
     * py4DSTEM stores data[Rx, Ry, Qx, Qy] with Rx the slow scan axis (rows) and Qx the detector
     * row: the cube is (y, x, k_y, k_x), so pattern (y, x) pixel (i, j) is element [y, x, i, j].
     */
    @Test
    void py4dstemDataCubeIsRowsColumnsThenDetectorRowsColumns() throws IOException {
        try (Dataset5D ds = Recordings.open(Fixtures.path("described/py4dstem_emd1.h5"), TIMED)) {
            assertEquals(Shape5D.of(1, 2, 3, 4, 5), ds.shape());
            assertEquals("t,y,x,ky,kx", ds.axisOrder().toString());
            assertLinearIndex(ds, new int[] {2, 3, 4, 5}, new int[] {Y, X, KY, KX});
            // calibration metadata: Q 0.04425157 Å⁻¹ = 0.4425157 nm⁻¹, R 0.12679688 nm, origin (qx0, qy0) = (row, column)
            assertEquals(0.4425157, ds.calibration().pixelSizeInverseNm(), 1e-12);
            assertEquals(0.12679688, ds.calibration().scanStepYNm(), 1e-12);
            assertEquals(0.12679688, ds.calibration().scanStepXNm(), 1e-12);
            assertEquals(1.5, ds.calibration().centerKyPx(), 1e-12);
            assertEquals(2.25, ds.calibration().centerKxPx(), 1e-12);
        }
    }

    @Test
    void prismaticFullLengthDimsGiveStepsAndWhereQIsZero() throws IOException {
        RecordingException noCentre = assertThrows(RecordingException.class,
            () -> Recordings.open(Fixtures.path("described/prismatic.emd"), TIMED));
        assertTrue(noCentre.getMessage().contains("q = 0 at (2.00, 3.00) px"), noCentre.getMessage());
        try (Dataset5D ds = Recordings.open(Fixtures.path("described/prismatic.emd"), TIMED.withCenterPx(2, 3))) {
            assertEquals(Shape5D.of(1, 3, 4, 5, 6), ds.shape());
            assertLinearIndex(ds, new int[] {3, 4, 5, 6}, new int[] {Y, X, KY, KX});
            assertEquals(0.1, ds.calibration().pixelSizeInverseNm(), 1e-12);   // [n_m^-1]
            assertEquals(0.25, ds.calibration().scanStepXNm(), 1e-12);         // [n_m]
            assertEquals(2.0, ds.calibration().centerKyPx(), 1e-12);           // Q_x from −0.2 in steps of 0.1
            assertEquals(3.0, ds.calibration().centerKxPx(), 1e-12);
            assertTrue(ds.storage().description().contains("chunked"), ds.storage().description());
        }
    }

    @Test
    void anEmd02StackOfFramesIsAFrameStream() throws IOException {
        Path f = Fixtures.path("described/emd02_stack.emd");
        OpenOptions o = TIMED.withScanStepNm(1).withCenterPx(2, 2);
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f, o));
        assertTrue(e.getMessage().contains("6 frames of 4 × 5 pixels but not the scan"), e.getMessage());
        try (Dataset5D ds = Recordings.open(f, o.withFrameMapping(FrameMapping.scan(2, 3)))) {
            assertEquals(Shape5D.of(1, 2, 3, 4, 5), ds.shape());
            ds.forEachPattern((t, y, x, p) -> {
                for (int k = 0; k < 20; k++) {
                    assertEquals((y * 3 + x) * 20 + k, p[k], 0.0);
                }
            });
            assertEquals(0.3, ds.calibration().pixelSizeInverseNm(), 1e-12);   // 2-element dims [0, 0.3]
        }
    }

    @Test
    void veloxIsRefusedByName() {
        Path f = Fixtures.path("described/velox.emd");
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f));
        assertEquals(f + ": this is a Velox EMD file (Thermo Fisher Velox), which shares the .emd extension but not the EMD "
            + "layout and is not supported; export the 4D data from Velox (e.g. as .mrc or raw with a JSON sidecar) or give "
            + "the image stack with --dataset", e.getMessage());
    }

    @Test
    void aChosenEmdArrayKeepsItsDimsAndOtherDatasetsAreGeneric() throws IOException {
        Path f = Fixtures.path("described/py4dstem_emd1.h5");
        try (Dataset5D ds = Recordings.open(f, TIMED.withDatasetPath("/datacube_root/datacube/data"))) {
            assertEquals(0.4425157, ds.calibration().pixelSizeInverseNm(), 1e-12);
        }
        RecordingException e = assertThrows(RecordingException.class,
            () -> Recordings.open(f, TIMED.withDatasetPath("/datacube_root/virtual_bf/data")));
        assertTrue(e.getMessage().contains(":/datacube_root/virtual_bf/data: dataset has rank 2"), e.getMessage());
    }

    /** Writes an EMD 0.2 file with the given data groups, each (2, 2, 3, 3) int32 without dims. */
    static Path emd02(Path file, String... groups) throws IOException {
        try (Hdf5FileWriter w = Hdf5FileWriter.create(file)) {
            w.putGroupAttributes("/", List.of(Hdf5Attribute.of("version_major", 0L), Hdf5Attribute.of("version_minor", 2L)));
            for (String g : groups) {
                w.putGroupAttributes(g, List.of(Hdf5Attribute.of("emd_group_type", 1L)));
                w.putDataset(g + "/data", H5Type.of(SampleType.INT32), new long[] {2, 2, 3, 3}, new byte[36 * 4], List.of());
            }
            w.putDataset("/comments/note", H5Type.FLOAT64, new long[] {1}, new byte[8], List.of());
            w.commit();
        }
        return file;
    }

    @Test
    void severalDataGroupsAreListed(@TempDir Path dir) throws IOException {
        Path f = emd02(dir.resolve("two.emd"), "/data/a", "/data/b");
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f));
        assertEquals(f + ": EMD file holds 2 data groups: /data/a/data [2, 2, 3, 3], /data/b/data [2, 2, 3, 3]; choose one "
            + "with --dataset (OpenOptions.withDatasetPath)", e.getMessage());
        OpenOptions o = TIMED.withDatasetPath("/data/b/data").withCenterPx(1, 1);
        e = assertThrows(RecordingException.class, () -> Recordings.open(f, o));
        assertTrue(e.getMessage().contains("calibration lacks the scan step: no attribute scan_step_nm in the EMD dims of "
            + "/data/b (the signal axes' units are (no unit) and (no unit), not a reciprocal length; the scan axes' "
            + "units are (no unit) and (no unit), not a length)"), e.getMessage());
        try (Dataset5D ds = Recordings.open(f, o.withScanStepNm(1).withPixelSizeInverseNm(1))) {
            assertEquals(Shape5D.of(1, 2, 2, 3, 3), ds.shape());
        }
    }

    @Test
    void anEmdFileWithoutDataGroupsIsRefused(@TempDir Path dir) throws IOException {
        Path f = emd02(dir.resolve("none.emd"));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f));
        assertEquals(f + ": EMD file holds no data group of rank 3 to 5 (a group with emd_group_type 1 or \"array\" and a "
            + "dataset data or datacube); give the dataset with --dataset", e.getMessage());
    }
}
