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

import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.examples.cli.FivedstemCommandTest.Run;
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
        SimulateCommand.write(sim, file, 2, null, false);
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
