/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.examples.cli.FivedstemCommandTest.Run;
import org.fivedstem.io.FrameMapping;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.Recordings;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.hdf5.Hdf5Attribute;
import org.fivedstem.io.internal.H5Type;
import org.fivedstem.io.internal.Hdf5FileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convert}: what it writes reads back as the views of the input it describes. */
class ConvertCommandTest {

    @TempDir
    Path dir;

    Path simulated() throws IOException {
        Path file = dir.resolve("sim.h5");
        SimulateCommand.write(SpeckleSimulation.builder().scan(5, 4).frames(6).seed(2).build(), file, 2, null);
        return file;
    }

    static List<double[]> patterns(Dataset5D ds) throws IOException {
        List<double[]> all = new ArrayList<>();
        ds.forEachPattern((t, y, x, p) -> all.add(p.clone()));
        return all;
    }

    @Test
    void croppedCutAndBinnedOutputEqualsTheViewOfTheInput() throws IOException {
        Path in = simulated();
        Path out = dir.resolve("out.h5");
        Run r = Run.of("convert", in.toString(), "-o", out.toString(), "--crop", "1:4,0:3", "--frames", "2:5", "--bin", "2",
            "--compression", "gzip", "-q");
        assertEquals(0, r.exitCode(), r.err());
        try (Dataset5D src = Recordings.open(in); Dataset5D dst = Recordings.open(out)) {
            Dataset5D view = src.crop(1, 4, 0, 3).timeRange(2, 5).bin(2);
            assertEquals(view.shape(), dst.shape());
            assertEquals(SampleType.UINT32, Recordings.storedType(dst).orElseThrow(), "uint16 sums of 4 widen to uint32");
            List<double[]> a = patterns(view);
            List<double[]> b = patterns(dst);
            for (int i = 0; i < a.size(); i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(i), b.get(i), "pattern " + i);
            }
            assertEquals(view.calibration().pixelSizeInverseNm(), dst.calibration().pixelSizeInverseNm());
            assertEquals(view.calibration().centerKyPx(), dst.calibration().centerKyPx());
            assertEquals(view.mask().orElseThrow(), dst.mask().orElseThrow());
        }
    }

    /** A rank-3 frame stack in y,x,t order with one leading sync frame and no calibration but the pixel size. */
    Path frameStack(int ny, int nx, int nt, int k, double saturation) throws IOException {
        Path f = dir.resolve("stack.h5");
        int n = 1 + ny * nx * nt;
        ByteBuffer b = ByteBuffer.allocate(n * k * k * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int m = 0; m < n; m++) {
            for (int i = 0; i < k * k; i++) {
                b.putShort((short) ((m * 37 + i) % 1000));
            }
        }
        try (Hdf5FileWriter w = Hdf5FileWriter.create(f)) {
            w.putDataset("/frames", H5Type.of(SampleType.UINT16), new long[] {n, k, k}, b.array(),
                List.of(Hdf5Attribute.of("pixel_size_inv_nm", 0.2)));
            if (saturation > 0) {
                w.putGroupAttributes("/", List.of(Hdf5Attribute.of("saturation_level", saturation)));
            }
            w.commit();
        }
        return f;
    }

    @Test
    void aFrameStreamBecomesTheProjectLayoutKeepingTypeAndLeavingOutWhatItLacks() throws IOException {
        Path in = frameStack(2, 3, 4, 6, 0);
        Path out = dir.resolve("out.h5");
        Run r = Run.of("convert", in.toString(), "-o", out.toString(), "--dataset", "/frames", "--scan", "2,3",
            "--frame-order", "y,x,t", "--skip-frames", "1", "--compression", "lz4");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("not in the input, so not written: frame_interval_s, scan_step_nm, center_px"), r.out());
        assertTrue(r.out().contains("uint16 lz4 from"), r.out());
        // reading the output asks for what the input lacked, as reading the input did
        RecordingException missing = assertThrows(RecordingException.class, () -> Recordings.open(out));
        assertTrue(missing.getMessage().contains("--frame-interval"), missing.getMessage());
        OpenOptions o = OpenOptions.defaults().withFrameIntervalSeconds(1).withScanStepNm(1).withCenterPx(2, 2);
        try (Dataset5D dst = Recordings.open(out, o)) {
            assertEquals(Shape5D.of(4, 2, 3, 6, 6), dst.shape());
            assertEquals(SampleType.UINT16, Recordings.storedType(dst).orElseThrow());
            assertEquals(0.2, dst.calibration().pixelSizeInverseNm());
            dst.forEachPattern((t, y, x, p) -> {
                int m = 1 + (y * 3 + x) * 4 + t;
                for (int i = 0; i < 36; i++) {
                    assertEquals((m * 37 + i) % 1000, p[i], 0.0);
                }
            });
        }
    }

    @Test
    void saturationIsKeptAsALevelOrMaskedWhenBinning() throws IOException {
        // frames m = 1…8 hold m·37 + i at pixel i < 16: only frame 8 reaches 300, at pixels 4…15
        Path in = frameStack(2, 2, 2, 4, 300);
        OpenOptions calib = OpenOptions.defaults().withFrameIntervalSeconds(1).withScanStepNm(1).withCenterPx(1.5, 1.5);
        Path kept = dir.resolve("kept.h5");
        assertEquals(0, Run.of("convert", in.toString(), "-o", kept.toString(), "--dataset", "/frames", "--scan", "2,2", "--skip-frames", "1",
            "--frame-interval", "1", "--scan-step", "1", "--center", "1.5,1.5", "-q").exitCode());
        try (Dataset5D dst = Recordings.open(kept, calib)) {
            assertEquals(300, dst.storage().saturationLevel().orElseThrow());
            int[] all = IntStream.range(0, 16).toArray();
            assertThrows(RecordingException.class, () -> dst.storage().visitPixels(new Selection(0, 2, 0, 2, 0, 2), all, (t, y, x, v) -> { }));
        }
        Path binned = dir.resolve("binned.h5");
        Run r = Run.of("convert", in.toString(), "-o", binned.toString(), "--dataset", "/frames", "--scan", "2,2", "--skip-frames", "1",
            "--frame-interval", "1", "--scan-step", "1", "--center", "1.5,1.5", "--bin", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("binned pixels masked for saturated counts"), r.out());
        try (Dataset5D dst = Recordings.open(binned, calib)) {
            assertFalse(dst.storage().saturationLevel().isPresent(), "binned sums have no per-pixel saturation level");
            // binned pixels (0,1), (1,0), (1,1) hold pixels 4…15 of the 4×4 frame; (0,0) holds 0, 1, 4, 5
            assertEquals(0, dst.mask().orElseThrow().validCount(), dst.mask().toString());
        }
    }

    @Test
    void badRequestsFailWithOneLineAndNoOutput() throws IOException {
        Path in = simulated();
        Path out = dir.resolve("never.h5");
        Run outside = Run.of("convert", in.toString(), "-o", out.toString(), "--crop", "0:9,0:2");
        assertEquals(1, outside.exitCode());
        assertTrue(outside.err().contains("--crop 0:9,0:2 lies outside the 5×4 scan"), outside.err());
        Run self = Run.of("convert", in.toString(), "-o", in.toString());
        assertEquals(2, self.exitCode());
        assertTrue(self.err().contains("is the input itself"), self.err());
        Run auto = Run.of("convert", in.toString(), "-o", out.toString(), "--mask", "auto");
        assertEquals(2, auto.exitCode());
        assertFalse(Files.exists(out));
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary file left");
        }
    }
}
