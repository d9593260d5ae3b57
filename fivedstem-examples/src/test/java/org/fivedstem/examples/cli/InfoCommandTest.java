/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.fivedstem.api.Calibration;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.examples.cli.FivedstemCommandTest.Run;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.figures.Colormap;
import org.fivedstem.io.figures.PatternFigure;
import org.fivedstem.io.hdf5.RecordingWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfoCommandTest {

    @TempDir
    Path dir;

    static final double CY = 30.4;
    static final double CX = 34.15;

    /** A small simulated recording whose pattern centre is off the middle: (30.4, 34.15) px. */
    Path recording() throws IOException {
        Path file = dir.resolve("rec.h5");
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(5, 4).frames(6).centerPx(CY, CX).seed(3).build();
        SimulateCommand.write(sim, file, 2, null);
        return file;
    }

    static double[] centre(String out) {
        Matcher m = Pattern.compile("centre\\s+\\(([0-9.]+) ± ([0-9.]+), ([0-9.]+) ± ([0-9.]+)\\) px").matcher(out);
        assertTrue(m.find(), out);
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
            Double.parseDouble(m.group(4))};
    }

    @Test
    void describesTheRecordingFindsTheCentreAndDrawsTheMeanPattern() throws IOException {
        Path png = dir.resolve("mean.png");
        Run r = Run.of("info", recording().toString(), "--out", png.toString(), "--ellipse");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("6 frames × 5×4 scan × 66×66 pixels"), r.out());
        assertTrue(r.out().contains("uint16"), r.out());
        assertTrue(r.out().contains("pixel 0.2300 nm⁻¹"), r.out());
        assertTrue(r.out().contains("ellipse      axis ratio"), r.out());
        double[] c = centre(r.out());
        assertTrue(Math.hypot(c[0] - CY, c[2] - CX) < 0.1, r.out());
        assertTrue(c[1] > 0 && c[3] > 0, r.out());
        assertTrue(r.out().contains("the calibration says (30.40, 34.15) px"), r.out());
        assertTrue(ImageIO.read(png.toFile()).getWidth() > 66, "PNG readable");
        assertTrue(r.err().isEmpty(), r.err());
    }

    @Test
    void aRecordingWithoutCalibrationStillGetsItsCentre() throws IOException {
        // A bare .npy file: no calibration at all. Info names what is missing and still finds the centre.
        int t = 2;
        int sy = 2;
        int sx = 2;
        int k = 48;
        double[] values = new double[t * sy * sx * k * k];
        for (int p = 0; p < t * sy * sx; p++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double r = Math.hypot(i - 22.3, j - 25.6);
                    values[p * k * k + i * k + j] = r < 4 ? 0 : 100 * Math.exp(-0.5 * Math.pow((r - 15) / 3, 2)) + 10;
                }
            }
        }
        Path npy = dir.resolve("bare.npy");
        writeNpy(npy, new int[] {t, sy, sx, k, k}, values);
        Path png = dir.resolve("bare.png");
        Run r = Run.of("info", npy.toString(), "-o", png.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("not found    frame interval (--frame-interval), scan step (--scan-step), pixel size "
            + "(--pixel-size), pattern centre (--center)"), r.out());
        double[] c = centre(r.out());
        assertEquals(22.3, c[0], 0.05, r.out());
        assertEquals(25.6, c[2], 0.05, r.out());
        assertFalse(r.out().contains("the calibration says"), r.out());
        assertTrue(r.out().contains("no annuli drawn"), r.out());
        assertTrue(Files.exists(png));
    }

    @Test
    void badInputIsOneLineAndExitOne() {
        Run r = Run.of("info", dir.resolve("missing.h5").toString());
        assertEquals(FivedstemCommand.EXIT_FAILURE, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("fivedstem info: "), r.err());
        assertTrue(r.err().contains("missing.h5"), r.err());
    }

    @Test
    void usageErrorsExitTwo() throws IOException {
        Run r = Run.of("info", recording().toString(), "--max-frames", "0");
        assertEquals(FivedstemCommand.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("--max-frames"), r.err());
        assertEquals(FivedstemCommand.EXIT_USAGE, Run.of("info").exitCode());
        assertEquals(FivedstemCommand.EXIT_USAGE, Run.of("info", "x.h5", "--dyn-q", "5:4").exitCode());
    }

    /** The simulated recording of {@link #recording()} with no mask in the file and a hot pixel at (10, 50) (×4). */
    Path recordingWithHotPixel() throws IOException {
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(5, 4).frames(6).centerPx(CY, CX).seed(3).build();
        Shape5D s = sim.shape();
        Path file = dir.resolve("hot.h5");
        try (RecordingWriter w = RecordingWriter.create(file, s, SampleType.UINT16, sim.calibration())) {
            sim.forEachPosition(1, (y, x, values) -> {
                for (int t = 0; t < s.frames(); t++) {
                    values[t * s.patternSize() + 10 * 66 + 50] *= 4;
                }
                w.writeFrames(y, x, values);
            });
            w.commit();
        }
        return file;
    }

    /** @return the colour of the PNG at the centre of detector pixel (i, j) of a 66×66 pattern figure */
    static int colourAt(Path png, int i, int j) throws IOException {
        double[] xy = PatternFigure.of(new double[66 * 66], 66, 66, Calibration.builder().frameIntervalSeconds(1).scanStepNm(1)
            .pixelSizeInverseNm(0.23).centerPx(33, 33).build()).screenPointOf(i, j);
        return ImageIO.read(png.toFile()).getRGB((int) xy[0], (int) xy[1]) & 0xFFFFFF;
    }

    @Test
    void maskAutoReportsAndDrawsTheMaskFound() throws IOException {
        Path rec = recordingWithHotPixel();
        Path plain = dir.resolve("plain.png");
        Run r = Run.of("info", rec.toString(), "--out", plain.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.out().contains("auto mask"), r.out());
        assertTrue(colourAt(plain, 10, 50) != Colormap.INVALID_RGB, "without --mask auto the hot pixel is drawn");

        Path png = dir.resolve("auto.png");
        r = Run.of("info", rec.toString(), "--out", png.toString(), "--mask", "auto");
        assertEquals(0, r.exitCode(), r.err());
        Matcher m = Pattern.compile("auto mask    (\\d+) of 4356 pixels valid: beam stop (\\d+), hot 1, dead 0\n").matcher(r.out());
        assertTrue(m.find(), r.out());
        int beamStop = Integer.parseInt(m.group(2));
        // The simulation's beam stop (radius 1 nm⁻¹ = 4.3 px) shadows about 58 pixels, grown by 1 px.
        assertTrue(beamStop > 40 && beamStop < 150, r.out());
        assertEquals(4356 - beamStop - 1, Integer.parseInt(m.group(1)), r.out());
        // Each reason in its colour: beam stop, outside aperture, flare, hot, dead (PatternFigure.maskReasonRgb).
        assertEquals(PatternFigure.maskReasonRgb(3), colourAt(png, 10, 50), "the hot pixel is drawn as hot");
        assertEquals(PatternFigure.maskReasonRgb(0), colourAt(png, 32, 36), "the beam stop is drawn as beam stop (off the centre cross)");
        assertTrue(colourAt(png, 30, 50) != Colormap.INVALID_RGB, "the halo is drawn");
        double[] c = centre(r.out());
        assertTrue(Math.hypot(c[0] - CY, c[2] - CX) < 0.1, r.out());

        // Combined with a mask file: one more pixel, counted as the given mask's.
        double[] valid = new double[66 * 66];
        java.util.Arrays.fill(valid, 1);
        valid[5 * 66 + 60] = 0;
        Path maskFile = dir.resolve("mask.npy");
        writeNpy(maskFile, new int[] {66, 66}, valid);
        Path both = dir.resolve("both.png");
        r = Run.of("info", rec.toString(), "--out", both.toString(), "--mask", "auto", "--mask", maskFile.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains(Checks.format("auto mask    %d of 4356 pixels valid: beam stop %d, hot 1, dead 0, given mask 1",
            4356 - beamStop - 2, beamStop)), r.out());
        assertEquals(PatternFigure.maskReasonRgb(5), colourAt(both, 5, 60), "the file's masked pixel is drawn as given mask");
    }

    /** Writes a little-endian float64 C-order .npy (format 1.0). */
    static void writeNpy(Path file, int[] shape, double[] values) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + dims.toString().strip() + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (double v : values) {
            b.putDouble(v);
        }
        Files.write(file, b.array());
    }
}
