/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * HyperSpy {@code .hspy} files: fixtures written with h5py from the format's description
 * ({@code fixtures/described/make_described_fixtures.py}: h5py bools, vlen strings, gzip chunks)
 * and variants written here with the project's HDF5 writer. Every array holds its own C-order
 * linear index, so the (t, y, x, k_y, k_x) mapping is checked element by element.
 */
class HyperspyTest {

    @TempDir
    Path dir;

    /**
     * Checks that pattern (t, y, x) pixel (i, j) holds the linear index of the stored element the
     * axis roles put there.
     *
     * @param ds the dataset
     * @param stored the stored dimensions
     * @param roles for each stored axis, which of t, y, x, ky, kx it is (0…4)
     */
    static void assertLinearIndex(Dataset5D ds, int[] stored, int[] roles) throws IOException {
        Shape5D s = ds.shape();
        int[] count = {0};
        ds.forEachPattern((t, y, x, p) -> {
            int[] at = new int[5];
            at[0] = t;
            at[1] = y;
            at[2] = x;
            for (int i = 0; i < s.ky(); i++) {
                for (int j = 0; j < s.kx(); j++) {
                    at[3] = i;
                    at[4] = j;
                    long linear = 0;
                    for (int d = 0; d < stored.length; d++) {
                        linear = linear * stored[d] + at[roles[d]];
                    }
                    if (p[i * s.kx() + j] != linear) {
                        throw new AssertionError(String.format("t=%d y=%d x=%d (%d,%d): expected %d, read %s", t, y, x, i, j,
                            linear, p[i * s.kx() + j]));
                    }
                }
            }
            count[0]++;
        });
        assertEquals(s.patternCount(), count[0]);
    }

    static final int T = 0;
    static final int Y = 1;
    static final int X = 2;
    static final int KY = 3;
    static final int KX = 4;

    @Test
    void signal2dFromPyxemIsOneTimeStepWithCalibrationFromItsAxes() throws IOException {
        // the offsets say where q = 0 is, which converted DM files put at the image centre: quoted, not used
        RecordingException noCentre = assertThrows(RecordingException.class, () -> Recordings.open(
            Fixtures.path("described/hspy_4d.hspy"), OpenOptions.defaults().withFrameIntervalSeconds(1)));
        assertTrue(noCentre.getMessage().contains("lacks the pattern centre")
            && noCentre.getMessage().contains("q = 0 at (2.50, 3.00) px by the axes' offsets"), noCentre.getMessage());
        try (Dataset5D ds = Recordings.open(Fixtures.path("described/hspy_4d.hspy"),
            OpenOptions.defaults().withFrameIntervalSeconds(1).withCenterPx(2.5, 3))) {
            assertEquals(Shape5D.of(1, 3, 4, 5, 6), ds.shape());
            assertLinearIndex(ds, new int[] {3, 4, 5, 6}, new int[] {Y, X, KY, KX});
            // 0.0123 1/Å = 0.123 nm⁻¹; 1.6 Å = 0.16 nm; offsets −2.5 and −3 pixels' worth
            assertEquals(0.123, ds.calibration().pixelSizeInverseNm(), 1e-12);
            assertEquals(0.16, ds.calibration().scanStepYNm(), 1e-12);
            assertEquals(0.16, ds.calibration().scanStepXNm(), 1e-12);
            assertEquals(2.5, ds.calibration().centerKyPx(), 1e-12);
            assertEquals(3.0, ds.calibration().centerKxPx(), 1e-12);
        }
    }

    @Test
    void theFrameIntervalOfOneTimeStepIsAskedForWithWhereItWasLooked() {
        Path f = Fixtures.path("described/hspy_4d.hspy");
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f));
        assertEquals(f + ":/Experiments/scan/data: calibration lacks the frame interval: no attribute frame_interval_s in the "
            + "HyperSpy axes of /Experiments/scan (q = 0 at (2.50, 3.00) px by the axes' offsets, not taken as the beam "
            + "centre), attributes on /Experiments/scan/data or its groups, or a sidecar "
            + "hspy_4d.hspy.json; give it with --frame-interval (OpenOptions.withFrameIntervalSeconds)", e.getMessage());
    }

    @Test
    void aTimeSeriesTakesItsIntervalFromTheTimeAxis() throws IOException {
        Path f = Fixtures.path("described/hspy_5d_time.hspy");
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f));
        assertTrue(e.getMessage().contains("calibration lacks the pattern centre"), e.getMessage());
        try (Dataset5D ds = Recordings.open(f, OpenOptions.defaults().withCenterPx(2, 2))) {
            assertEquals(Shape5D.of(3, 2, 3, 4, 5), ds.shape());
            assertLinearIndex(ds, new int[] {3, 2, 3, 4, 5}, new int[] {T, Y, X, KY, KX});
            assertEquals(0.25, ds.calibration().frameIntervalSeconds(), 1e-12);   // 250 ms
            assertEquals(2.0, ds.calibration().scanStepYNm(), 1e-12);             // 0.002 µm
            assertEquals(0.2, ds.calibration().pixelSizeInverseNm(), 1e-12);
        }
    }

    @Test
    void severalSignalsAreListedAndOneIsChosenWithDataset() throws IOException {
        Path f = Fixtures.path("described/hspy_two_signals.hspy");
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f));
        assertEquals(f + ": HyperSpy file holds 2 signals: /Experiments/first/data [2, 2, 3, 3], /Experiments/second/data "
            + "[2, 3, 3, 3]; choose one with --dataset (OpenOptions.withDatasetPath)", e.getMessage());
        OpenOptions o = OpenOptions.defaults().withDatasetPath("/Experiments/second/data").withFrameIntervalSeconds(1);
        e = assertThrows(RecordingException.class, () -> Recordings.open(f, o));
        assertTrue(e.getMessage().contains("calibration lacks the diffraction pixel size") && e.getMessage().contains(
            "the signal axes' units are '_None_' and '_None_', not a reciprocal length"), e.getMessage());
        try (Dataset5D ds = Recordings.open(f, o.withPixelSizeInverseNm(0.1).withCenterPx(1, 1))) {
            assertEquals(Shape5D.of(1, 2, 3, 3, 3), ds.shape());
            assertLinearIndex(ds, new int[] {2, 3, 3, 3}, new int[] {Y, X, KY, KX});
            assertEquals(0.5, ds.calibration().scanStepXNm(), 1e-12);
        }
    }

    // ---- variants written with the project's writer

    /** One HyperSpy axis: name, units, scale, offset, navigate (null: not written, as before format 2.1). */
    record Ax(String name, String units, double scale, double offset, Boolean navigate) {
    }

    /** Writes /Experiments/title/data (int32 linear index) with axis-i groups. */
    static Path hspy(Path file, int[] dims, Ax... axes) throws IOException {
        int n = 1;
        long[] d = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            n *= dims[i];
            d[i] = dims[i];
        }
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < n; k++) {
            b.putInt(k);
        }
        try (Hdf5FileWriter w = Hdf5FileWriter.create(file)) {
            w.putGroupAttributes("/", List.of(Hdf5Attribute.of("file_format", "HyperSpy"),
                Hdf5Attribute.of("file_format_version", "3.3")));
            w.putDataset("/Experiments/title/data", H5Type.of(SampleType.INT32), d, b.array(), List.of());
            for (int i = 0; i < axes.length; i++) {
                List<Hdf5Attribute> a = new ArrayList<>(List.of(Hdf5Attribute.of("name", axes[i].name),
                    Hdf5Attribute.of("units", axes[i].units), Hdf5Attribute.of("scale", axes[i].scale),
                    Hdf5Attribute.of("offset", axes[i].offset), Hdf5Attribute.of("size", (long) dims[i])));
                if (axes[i].navigate != null) {
                    // h5py writes an enum bool (see the fixtures); the reader takes any of its forms
                    a.add(Hdf5Attribute.of("navigate", axes[i].navigate ? 1L : 0L));
                }
                w.putGroupAttributes("/Experiments/title/axis-" + i, a);
            }
            w.commit();
        }
        return file;
    }

    @Test
    void aTimeAxisIsFoundByNameOrUnitWhereverItIs() throws IOException {
        Path f = hspy(dir.resolve("mid.hspy"), new int[] {2, 3, 4, 3, 2},
            new Ax("y", "nm", 0.5, 0, true), new Ax("t", "s", 9.2, 0, true), new Ax("x", "pm", 700, 0, true),
            new Ax("ky", "1/pm", 0.0002, -0.0002, false), new Ax("kx", "1/pm", 0.0002, -0.0004, false));
        try (Dataset5D ds = Recordings.open(f, OpenOptions.defaults().withCenterPx(1, 2))) {
            assertEquals(Shape5D.of(3, 2, 4, 3, 2), ds.shape());
            assertEquals("y,t,x,ky,kx", ds.axisOrder().toString());
            assertLinearIndex(ds, new int[] {2, 3, 4, 3, 2}, new int[] {Y, T, X, KY, KX});
            assertEquals(9.2, ds.calibration().frameIntervalSeconds());
            assertEquals(0.5, ds.calibration().scanStepYNm(), 1e-12);
            assertEquals(0.7, ds.calibration().scanStepXNm(), 1e-12);
            assertEquals(0.2, ds.calibration().pixelSizeInverseNm(), 1e-12);   // 1/pm × 1000
            assertEquals(1.0, ds.calibration().centerKyPx(), 1e-12);
            assertEquals(2.0, ds.calibration().centerKxPx(), 1e-12);
        }
    }

    @Test
    void withoutNavigateFlagsTheLastTwoAxesAreTheSignalAndTheFirstNavigationAxisIsTime() throws IOException {
        Path f = hspy(dir.resolve("old.hspy"), new int[] {2, 2, 3, 2, 3},
            new Ax("a", "_None_", 1, 0, null), new Ax("b", "nm", 1, 0, null), new Ax("c", "nm", 1, 0, null),
            new Ax("d", "1/nm", 0.3, 0, null), new Ax("e", "1/nm", 0.3, 0, null));
        try (Dataset5D ds = Recordings.open(f, OpenOptions.defaults().withFrameIntervalSeconds(2).withCenterPx(1, 1))) {
            assertEquals(Shape5D.of(2, 2, 3, 2, 3), ds.shape());
            assertLinearIndex(ds, new int[] {2, 2, 3, 2, 3}, new int[] {T, Y, X, KY, KX});
        }
    }

    @Test
    void aStackOfFramesNeedsTheScan() throws IOException {
        Path f = hspy(dir.resolve("stack.hspy"), new int[] {6, 2, 3},
            new Ax("frame", "_None_", 1, 0, true), new Ax("ky", "1/nm", 0.1, 0, false), new Ax("kx", "1/nm", 0.1, 0, false));
        OpenOptions o = OpenOptions.defaults().withFrameIntervalSeconds(1).withScanStepNm(1).withCenterPx(1, 1);
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f, o));
        assertTrue(e.getMessage().contains("6 frames of 2 × 3 pixels but not the scan"), e.getMessage());
        try (Dataset5D ds = Recordings.open(f, o.withFrameMapping(FrameMapping.scan(1, 3)))) {
            assertEquals(Shape5D.of(2, 1, 3, 2, 3), ds.shape());
            ds.forEachPattern((t, y, x, p) -> {
                for (int k = 0; k < 6; k++) {
                    assertEquals((t * 3 + x) * 6 + k, p[k], 0.0);
                }
            });
            assertEquals(0.1, ds.calibration().pixelSizeInverseNm(), 1e-12);
        }
    }

    @Test
    void signalAxesOfDifferentScalesAreNamedInsteadOfAveraged() throws IOException {
        Path f = hspy(dir.resolve("rect.hspy"), new int[] {2, 2, 3, 3},
            new Ax("y", "nm", 1, 0, true), new Ax("x", "nm", 1, 0, true),
            new Ax("ky", "1/nm", 0.1, 0, false), new Ax("kx", "1/nm", 0.2, 0, false));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f,
            OpenOptions.defaults().withFrameIntervalSeconds(1).withCenterPx(1, 1)));
        assertTrue(e.getMessage().contains("the signal axes' scales differ: 0.1 nm⁻¹ (k_y) and 0.2 nm⁻¹ (k_x)"), e.getMessage());
    }

    @Test
    void aWrongNumberOfSignalAxesIsRefused() throws IOException {
        Path f = hspy(dir.resolve("spectra.hspy"), new int[] {2, 2, 3, 3},
            new Ax("y", "nm", 1, 0, true), new Ax("x", "nm", 1, 0, true), new Ax("z", "nm", 1, 0, true),
            new Ax("E", "eV", 1, 0, false));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f));
        assertEquals(f + ":/Experiments/title/data: the HyperSpy axes of /Experiments/title mark 1 of the 4 axes as signal "
            + "axes (navigate = False): [3]; expected 2, the diffraction pattern's k_y and k_x", e.getMessage());
    }

    @Test
    void theAxesOptionOverridesTheFileAndAnotherDatasetGoesTheGenericWay() throws IOException {
        Path f = hspy(dir.resolve("ovr.hspy"), new int[] {2, 3, 2, 2},
            new Ax("y", "nm", 1, 0, true), new Ax("x", "nm", 1, 0, true),
            new Ax("ky", "1/nm", 0.1, 0, false), new Ax("kx", "1/nm", 0.1, 0, false));
        OpenOptions o = OpenOptions.defaults().withFrameIntervalSeconds(1).withCenterPx(1, 1);
        try (Dataset5D ds = Recordings.open(f, o.withAxes("t,x,y,kx,ky"))) {
            assertEquals(Shape5D.of(1, 3, 2, 2, 2), ds.shape());
            assertLinearIndex(ds, new int[] {2, 3, 2, 2}, new int[] {X, Y, KX, KY});
        }
        RecordingException e = assertThrows(RecordingException.class,
            () -> Recordings.open(f, o.withDatasetPath("/Experiments/title/axis-0")));
        assertTrue(e.getMessage().contains(":/Experiments/title/axis-0: is a group, not a dataset"), e.getMessage());
    }

    @Test
    void anImageIsNoRecording() throws IOException {
        Path f = hspy(dir.resolve("image.hspy"), new int[] {4, 5}, new Ax("y", "nm", 1, 0, false), new Ax("x", "nm", 1, 0, false));
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f));
        assertEquals(f + ":/Experiments/title/data: signal has rank 2 (dimensions [4, 5]); expected 3 (frames, k_y, k_x), "
            + "4 (y, x, k_y, k_x) or 5 (t, y, x, k_y, k_x)", e.getMessage());
    }

    @Test
    void aHyperSpyFileWithoutSignalsIsRefused() throws IOException {
        Path f = dir.resolve("empty.hspy");
        try (Hdf5FileWriter w = Hdf5FileWriter.create(f)) {
            w.putGroupAttributes("/", List.of(Hdf5Attribute.of("file_format", "HyperSpy")));
            w.putGroupAttributes("/Experiments/nothing", List.of(Hdf5Attribute.of("package", "hyperspy")));
            w.commit();
        }
        RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f));
        assertEquals(f + ": HyperSpy file holds no signal: no /Experiments/<name>/data", e.getMessage());
    }

    @Test
    void aTruncatedHyperSpyFileFailsAsARecordingException() throws IOException {
        byte[] whole = java.nio.file.Files.readAllBytes(Fixtures.path("described/hspy_5d_time.hspy"));
        for (int keep : new int[] {whole.length / 2, whole.length - 600, 2048}) {
            Path f = java.nio.file.Files.write(dir.resolve("cut" + keep + ".hspy"), java.util.Arrays.copyOf(whole, keep));
            RecordingException e = assertThrows(RecordingException.class,
                () -> Recordings.open(f, OpenOptions.defaults().withCenterPx(1, 1)).close(), "kept " + keep + " bytes");
            assertEquals(f, e.file().orElseThrow());
        }
    }
}
