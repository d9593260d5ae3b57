/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.correlation.StdErrMethod;
import org.fivedstem.core.preparation.DriftTrajectory;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.examples.cli.FivedstemCommandTest.Run;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.hdf5.RecordingWriter;
import org.fivedstem.io.results.Preparation;
import org.fivedstem.io.results.ResultsFile;
import org.fivedstem.io.results.SavedAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzePreparationTest {

    @TempDir
    Path dir;

    static final double CY = 30.4;
    static final double CX = 34.15;

    /**
     * A recording whose file states the wrong centre (32.5, 32.5) while the halo is centred at
     * (30.4, 34.15), with no mask stored, one flashed pattern (frame 2, position (1, 1), ×3) and
     * one hot pixel (10, 50) ×4.
     */
    Path recording() throws IOException {
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(4, 4).frames(8).centerPx(CY, CX).tauMedianSeconds(40)
            .frameIntervalSeconds(5).seed(21).build();
        Shape5D s = sim.shape();
        Path file = dir.resolve("rec.h5");
        try (RecordingWriter w = RecordingWriter.create(file, s, SampleType.UINT16, sim.calibration().withCenterPx(32.5, 32.5))) {
            sim.forEachPosition(1, (y, x, values) -> {
                int p = s.patternSize();
                for (int t = 0; t < s.frames(); t++) {
                    values[t * p + 10 * 66 + 50] *= 4;
                    if (t == 2 && y == 1 && x == 1) {
                        for (int i = 0; i < p; i++) {
                            values[t * p + i] = Math.min(65535, 3 * values[t * p + i]);
                        }
                    }
                }
                w.writeFrames(y, x, values);
            });
            w.commit();
        }
        return file;
    }

    @Test
    void autoCentreMaskAndBadFramesAreUsedAndSaved() throws IOException {
        Path out = dir.resolve("res.h5");
        Run r = Run.of("analyze", recording().toString(), "--out", out.toString(), "--center", "auto", "--mask", "auto",
            "--exclude-bad-frames", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("preparation: 1 patterns excluded (0 blank, 0 dim, 1 flash; 0 bad frames); mask "), r.out());
        SavedAnalysis res = ResultsFile.read(out);
        Preparation p = res.preparation();
        double[] c = p.center();
        assertTrue(Math.hypot(c[0] - CY, c[1] - CX) < 0.1, p.toString());
        assertEquals(c[0], res.settings().calibration().centerKyPx());
        assertEquals(1, p.hotPixels(), p.toString());
        assertTrue(p.beamStopPixels() > 40, p.toString());
        assertArrayEquals(new int[] {0, 0, 1, 0, 0, 0, 0, 0}, p.excludedPerFrame());
        assertTrue(p.mask().isPresent());
        assertFalse(p.mask().get().isValid(10, 50));
        assertFalse(p.mask().get().isValid(30, 34));
        assertTrue(p.mask().get().isValid(30, 50));
    }

    @Test
    void withoutAutoOptionsNothingChanges() throws IOException {
        Path out = dir.resolve("plain.h5");
        Run r = Run.of("analyze", recording().toString(), "--out", out.toString(), "-q");
        assertEquals(0, r.exitCode(), r.err());
        SavedAnalysis res = ResultsFile.read(out);
        assertEquals(32.5, res.settings().calibration().centerKyPx());
        assertTrue(res.preparation().isEmpty(), res.preparation().toString());
        assertEquals(StdErrMethod.PIXEL_GROUP_JACKKNIFE, res.settings().dynamics().orElseThrow().correlation().stdErrMethod(),
            "the default standard errors are recorded");
        Path frameBlocks = dir.resolve("frame-blocks.h5");
        Run fb = Run.of("analyze", recording().toString(), "--out", frameBlocks.toString(), "-q", "--stderr", "frame-blocks");
        assertEquals(0, fb.exitCode(), fb.err());
        assertEquals(StdErrMethod.FRAME_BLOCK_JACKKNIFE,
            ResultsFile.read(frameBlocks).settings().dynamics().orElseThrow().correlation().stdErrMethod());
    }

    @Test
    void ellipseNeedsAutoCentreAndTwoMaskFilesAreRefused() throws IOException {
        Path rec = recording();
        Run r = Run.of("analyze", rec.toString(), "--out", dir.resolve("x.h5").toString(), "--ellipse");
        assertEquals(FivedstemCommand.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("--ellipse needs --center auto"), r.err());
        r = Run.of("analyze", rec.toString(), "--out", dir.resolve("y.h5").toString(), "--mask", "a.npy", "--mask", "b.npy");
        assertEquals(FivedstemCommand.EXIT_FAILURE, r.exitCode());
        assertTrue(r.err().contains("give at most one file"), r.err());
        assertFalse(Files.exists(dir.resolve("y.h5")));
    }

    static final int[] OY = {2, 2, 1, 1, 0, 0};
    static final int[] OX = {0, 0, 1, 1, 2, 2};

    static SpeckleSimulation driftSimulation() {
        return SpeckleSimulation.builder().scan(24, 24).frames(6).patternSize(24, 24).pixelSizeInverseNm(0.5)
            .centerPx(11.5, 11.5).tauMedianSeconds(200).seed(8).build();
    }

    Path driftingRecording() throws IOException {
        return driftingRecording(-1);
    }

    /** @param blankFrame a frame written as all zeros (beam off), or −1 for none */
    Path driftingRecording(int blankFrame) throws IOException {
        // A 20×20 recording of a 24×24 simulated scan whose window moves by whole steps: the
        // sample drifts by dy = oy[0] − oy[t] ∈ [0, 2], dx = ox[0] − ox[t] ∈ [−2, 0] steps.
        SpeckleSimulation sim = driftSimulation();
        org.fivedstem.api.ArrayStorage big = sim.toArrayStorage(2);
        int[] oy = OY;
        int[] ox = OX;
        Shape5D s = Shape5D.of(6, 20, 20, 24, 24);
        Path file = dir.resolve("drift" + blankFrame + ".h5");
        try (RecordingWriter w = RecordingWriter.create(file, s, SampleType.UINT16, sim.calibration())) {
            double[] p = new double[24 * 24];
            double[] series = new double[6 * 24 * 24];
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 20; x++) {
                    for (int t = 0; t < 6; t++) {
                        big.readPattern(t, y + oy[t], x + ox[t], p);
                        if (t == blankFrame) {
                            java.util.Arrays.fill(p, 0);
                        }
                        System.arraycopy(p, 0, series, t * p.length, p.length);
                    }
                    w.writeFrames(y, x, series);
                }
            }
            w.commit();
        }
        return file;
    }

    @Test
    void driftIsEstimatedCorrectedSavedAndPlotted() throws IOException {
        SpeckleSimulation sim = driftSimulation();
        int[] oy = OY;
        int[] ox = OX;
        Path file = driftingRecording();
        Path out = dir.resolve("drift-res.h5");
        Path figs = dir.resolve("figs");
        Run r = Run.of("analyze", file.toString(), "--out", out.toString(), "--drift-correct", "--figures", figs.toString(),
            "--dyn-q", "3.0:5.0", "--struct-q", "2.0:5.5", "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("field of view 18×18 of 20×20"), r.out());
        SavedAnalysis res = ResultsFile.read(out);
        assertEquals(18, res.maps().scanY());
        assertEquals(18, res.maps().scanX());
        Preparation p = res.preparation();
        assertTrue(p.hasDrift());
        double step = sim.calibration().scanStepYNm();
        for (int t = 0; t < 6; t++) {
            assertEquals((oy[0] - oy[t]) * step, p.driftYNm()[t], 0.25 * step, p.toString());
            assertEquals((ox[0] - ox[t]) * step, p.driftXNm()[t], 0.25 * step, p.toString());
            assertEquals(t * sim.calibration().frameIntervalSeconds(), p.driftTimeSeconds()[t], 1e-9);
        }
        assertTrue(Files.exists(figs.resolve("drift.png")));
        assertEquals(DriftTrajectory.Resampling.WHOLE_STEPS, p.driftResampling().orElseThrow());
        assertTrue(r.out().contains("whole steps in y, x"), r.out());
    }

    @Test
    void bilinearResamplingIsChosenAndRecorded() throws IOException {
        Path file = driftingRecording();
        Path out = dir.resolve("bilinear-res.h5");
        Run r = Run.of("analyze", file.toString(), "--out", out.toString(), "--drift-correct", "--drift-resampling", "bilinear",
            "--dyn-q", "3.0:5.0", "--struct-q", "2.0:5.5", "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("interpolated bilinearly"), r.out());
        SavedAnalysis res = ResultsFile.read(out);
        Preparation p = res.preparation();
        assertEquals(DriftTrajectory.Resampling.BILINEAR, p.driftResampling().orElseThrow());
        // The estimate is near the whole-step truth (within 0.25 step); bilinear needs the neighbours
        // of a fractional drift too, so its field of view is at most the whole-step one (18×18), at
        // least one row and column smaller per direction with a fraction.
        int rows = res.maps().scanY();
        int cols = res.maps().scanX();
        assertTrue(rows >= 16 && rows <= 18 && cols >= 16 && cols <= 18, rows + "×" + cols);
        assertTrue(r.out().contains(Checks.format("field of view %d×%d of 20×20", rows, cols)), r.out());
    }

    @Test
    void aBlankFrameIsInterpolatedWhenBadFramesAreExcluded() throws IOException {
        Path file = driftingRecording(3);
        // Without exclusion the blank virtual image cannot be registered: refused.
        Run r = Run.of("analyze", file.toString(), "--out", dir.resolve("refused.h5").toString(), "--drift-correct", "-q",
            "--dyn-q", "3.0:5.0", "--struct-q", "2.0:5.5");
        assertEquals(FivedstemCommand.EXIT_FAILURE, r.exitCode(), r.out());
        assertTrue(r.err().contains("the drift of 1 of 6 frames (first: frame 3) is not determined"), r.err());
        Path out = dir.resolve("blank.h5");
        r = Run.of("analyze", file.toString(), "--out", out.toString(), "--drift-correct", "--exclude-bad-frames",
            "--dyn-q", "3.0:5.0", "--struct-q", "2.0:5.5", "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("400 patterns excluded (400 blank, 0 dim, 0 flash; 1 bad frames)"), r.out());
        Preparation p = ResultsFile.read(out).preparation();
        double[] y = p.driftYNm();
        double[] x = p.driftXNm();
        // Frame 3 lies half-way between frames 2 and 4 in time: its drift is their mean.
        assertEquals(0.5 * (y[2] + y[4]), y[3], 1e-12, p.toString());
        assertEquals(0.5 * (x[2] + x[4]), x[3], 1e-12, p.toString());
        double step = driftSimulation().calibration().scanStepYNm();
        for (int t : new int[] {0, 1, 2, 4, 5}) {
            assertEquals((OY[0] - OY[t]) * step, y[t], 0.25 * step, p.toString());
            assertEquals((OX[0] - OX[t]) * step, x[t], 0.25 * step, p.toString());
        }
    }

    @Test
    void driftResamplingNeedsDriftCorrectAndAKnownName() throws IOException {
        Path rec = recording();
        Run r = Run.of("analyze", rec.toString(), "--out", dir.resolve("x.h5").toString(), "--drift-resampling", "bilinear");
        assertEquals(FivedstemCommand.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("--drift-resampling needs --drift-correct"), r.err());
        r = Run.of("analyze", rec.toString(), "--out", dir.resolve("y.h5").toString(), "--drift-correct", "--drift-resampling",
            "cubic");
        assertEquals(FivedstemCommand.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("'cubic' is not one of whole, bilinear"), r.err());
        assertFalse(Files.exists(dir.resolve("y.h5")));
    }
}
