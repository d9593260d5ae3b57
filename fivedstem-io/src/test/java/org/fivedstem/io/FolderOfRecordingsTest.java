/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.testing.DmFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of one recording per time step in a format other than 4D HDF5: Gatan 4D scans here. */
class FolderOfRecordingsTest {

    @TempDir
    Path dir;

    /** Value of element n (file order) of time step t: distinct across steps, inside uint16. */
    static double value(int t, long n) {
        return t * 1000 + n % 997;
    }

    Path folder(int steps, long[] dims) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("series"));
        DmFiles.Cal k = new DmFiles.Cal(0.05, 0, "1/nm");
        DmFiles.Cal r = new DmFiles.Cal(0.5, 0, "nm");
        for (int t = 0; t < steps; t++) {
            int step = t;
            DmFiles w = new DmFiles(4, ByteOrder.LITTLE_ENDIAN);
            w.write(sub.resolve("step_" + (t + 1) + ".dm4"), w.image(DmFiles.dataType(SampleType.UINT16), dims,
                n -> value(step, n), new DmFiles.Cal[] {k, k, r, r}, true, null));
        }
        return sub;
    }

    @Test
    void gatanScansOneFilePerTimeStepFormOneRecording() throws IOException {
        // DM dimensions fastest first: kx = 3, ky = 2, scan x = 4, scan y = 3; 11 files so that step_10 sorts after step_9
        Path sub = folder(11, new long[] {3, 2, 4, 3});
        OpenOptions o = OpenOptions.defaults().withFrameIntervalSeconds(5).withCenterPx(1, 1);
        try (Dataset5D ds = Recordings.open(sub, o)) {
            assertEquals(Shape5D.of(11, 3, 4, 2, 3), ds.shape());
            assertEquals(SampleType.UINT16, Recordings.storedType(ds).orElseThrow());
            assertEquals(0.05, ds.calibration().pixelSizeInverseNm(), 1e-7);
            assertEquals(5, ds.calibration().frameIntervalSeconds());
            assertTrue(ds.storage().description().startsWith("11 files like"), ds.storage().description());
            ds.forEachPattern((t, y, x, p) -> {
                for (int i = 0; i < 6; i++) {
                    long n = ((long) y * 4 + x) * 6 + i;
                    assertEquals(value(t, n), p[i], () -> "t " + t);
                }
            });
            int[] pixels = {5, 0};
            ds.storage().visitPixels(new Selection(9, 11, 1, 2, 2, 4), pixels, (t, y, x, v) -> {
                long n = ((long) (y + 1) * 4 + (x + 2)) * 6;
                assertEquals(value(t + 9, n + 5), v[0]);
                assertEquals(value(t + 9, n), v[1]);
            });
        }
    }

    @Test
    void aFileThatDiffersIsNamed() throws IOException {
        Path sub = folder(2, new long[] {3, 2, 4, 3});
        DmFiles w = new DmFiles(4, ByteOrder.LITTLE_ENDIAN);
        w.write(sub.resolve("step_3.dm4"), w.image(DmFiles.dataType(SampleType.UINT16), new long[] {3, 2, 4, 2},
            n -> 1, null, true, null));
        OpenOptions o = OpenOptions.defaults().withFrameIntervalSeconds(5).withCenterPx(1, 1);
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(sub, o));
        assertTrue(e.getMessage().contains("step_3.dm4") && e.getMessage().contains("time series file 2 holds 2×4")
            && e.getMessage().contains("step_1.dm4 holds 3×4"), e.getMessage());
    }
}
