/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.ArrayStorage;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.PatternVisitor;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DriftTest {

    static Calibration cal() {
        return Calibration.builder().frameIntervalSeconds(9.2).scanStepNm(0.16).pixelSizeInverseNm(0.5).centerPx(11.5, 11.5).build();
    }

    /** Smooth random "mass-thickness" image: 30 Gaussian blobs, sampled at positions shifted by (sy, sx). */
    static double[] blobs(long seed, int ny, int nx, double sy, double sx, UniformRandomProvider noise, double noiseSd) {
        UniformRandomProvider r = SeededCases.rng(seed);
        double[] img = new double[ny * nx];
        for (int b = 0; b < 30; b++) {
            double cy = r.nextDouble(-5, ny + 5);
            double cx = r.nextDouble(-5, nx + 5);
            double s = r.nextDouble(2, 4);
            double a = r.nextDouble(0.5, 1.5);
            for (int i = 0; i < ny; i++) {
                for (int j = 0; j < nx; j++) {
                    img[i * nx + j] += a * Math.exp(-0.5 * (sq(i - sy - cy) + sq(j - sx - cx)) / (s * s));
                }
            }
        }
        for (int k = 0; k < img.length; k++) {
            img[k] += noiseSd * (noise.nextDouble() - 0.5) * Math.sqrt(12);
        }
        return img;
    }

    static double sq(double v) {
        return v * v;
    }

    static Stream<Arguments> shifts() {
        return SeededCases.of(0xD21F7L, 30, r -> new Object[] {r.nextDouble(-3, 3), r.nextDouble(-3, 3)});
    }

    @ParameterizedTest(name = "seed {0}: shift ({1}, {2}) steps")
    @MethodSource("shifts")
    void resolvesSubStepShiftsOfASmoothImage(long seed, double dy, double dx) {
        // img_t(y, x) = img_0(y − dy, x − dx): a feature at (y, x) in frame 0 is at (y + dy, x + dx).
        UniformRandomProvider noise = SeededCases.rng(seed + 1);
        double[][] images = {blobs(seed, 40, 36, 0, 0, noise, 0.02), blobs(seed, 40, 36, dy, dx, noise, 0.02)};
        DriftTrajectory d = DriftEstimator.defaults().estimate(images, 40, 36, cal());
        // 1/20-step grid: quantisation ≤ 0.025; noise (2 % of a blob) and the window add a little.
        assertEquals(dy, d.dySteps()[1], 0.06, d::toString);
        assertEquals(dx, d.dxSteps()[1], 0.06, d::toString);
        assertEquals(dy * 0.16, d.dyNm()[1], 0.06 * 0.16);
        assertEquals(9.2, d.timeSeconds()[1]);
        assertTrue(d.peak()[1] > 0.2, d::toString);
    }

    /**
     * A recording that drifts: frame t's position (y, x) is the big scan's (y + oy[t], x + ox[t]),
     * as if the sample moved by (−oy, −ox) steps under a fixed scan. Read straight from the big
     * scan's array, independently of the code under test.
     */
    record Drifting(ArrayStorage big, int[] oy, int[] ox, Shape5D shape) implements PatternStorage {
        @Override
        public AxisOrder axisOrder() {
            return AxisOrder.DEFAULT;
        }

        @Override
        public String description() {
            return "drifting view of " + big.description();
        }

        @Override
        public void visit(Selection s, PatternVisitor v) throws IOException {
            double[] p = new double[shape.patternSize()];
            for (int t = s.frameStart(); t < s.frameEnd(); t++) {
                for (int y = s.yStart(); y < s.yEnd(); y++) {
                    for (int x = s.xStart(); x < s.xEnd(); x++) {
                        big.readPattern(t, y + oy[t], x + ox[t], p);
                        v.accept(t - s.frameStart(), y - s.yStart(), x - s.xStart(), p);
                    }
                }
            }
        }
    }

    static Stream<Arguments> reference() {
        return Stream.of(Arguments.of(DriftEstimator.Reference.FIRST), Arguments.of(DriftEstimator.Reference.PREVIOUS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reference")
    void correctsTheDriftOfASimulatedRecordingByWholeSteps(DriftEstimator.Reference ref) throws IOException {
        // Big scan 26×26; the recording sees 20×20 of it with offsets drifting by up to 4 and 3 steps.
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(26, 26).frames(8).patternSize(24, 24).pixelSizeInverseNm(0.5)
            .centerPx(11.5, 11.5).seed(17).build();
        ArrayStorage big = sim.toArrayStorage(2);
        int[] oy = {3, 3, 2, 2, 1, 1, 0, 0};
        int[] ox = {0, 1, 1, 2, 2, 3, 3, 3};
        Shape5D shape = Shape5D.of(8, 20, 20, 24, 24);
        Dataset5D rec = Dataset5D.of(new Drifting(big, oy, ox, shape), sim.calibration());
        PatternStatistics stats = PatternStatistics.compute(rec, ProgressListener.NONE);
        DriftTrajectory d = DriftEstimator.of(ref, 20).estimate(stats, rec.calibration());
        for (int t = 0; t < 8; t++) {
            // Independent speckle per position: the virtual image is noise-like, and the shift is whole.
            assertEquals(oy[0] - oy[t], d.dySteps()[t], 0.25, d::toString);
            assertEquals(ox[0] - ox[t], d.dxSteps()[t], 0.25, d::toString);
        }
        int[] fov = d.commonFieldOfView(20, 20);
        // dy = oy[0] − oy[t] ∈ [0, 3], dx = ox[0] − ox[t] ∈ [−3, 0]: rows 0–16 and columns 3–19 of frame 0 stay in view.
        assertArrayEquals(new int[] {0, 17, 3, 20}, fov);
        Dataset5D fixed = d.correct(rec);
        assertEquals(Shape5D.of(8, 17, 17, 24, 24), fixed.shape());
        // Corrected (t, y, x) is the big scan's (fov y0 + oy[0] + y, fov x0 + ox[0] + x) in every frame.
        double[] expected = new double[24 * 24];
        double[][] seen = new double[8 * 17 * 17][];
        fixed.forEachPattern((t, y, x, p) -> seen[(t * 17 + y) * 17 + x] = p.clone());
        for (int t = 0; t < 8; t++) {
            for (int y = 0; y < 17; y++) {
                for (int x = 0; x < 17; x++) {
                    big.readPattern(t, fov[0] + oy[0] + y, fov[2] + ox[0] + x, expected);
                    assertArrayEquals(expected, seen[(t * 17 + y) * 17 + x], "t " + t + " y " + y + " x " + x);
                }
            }
        }
        // A block of rows (as the engine reads) gives the same patterns.
        double[] got = new double[24 * 24];
        fixed.forEachPattern(new Selection(2, 5, 4, 9, 3, 6), (t, y, x, p) -> {
            System.arraycopy(p, 0, got, 0, p.length);
            assertArrayEquals(seen[((t + 2) * 17 + y + 4) * 17 + x + 3], got);
        });
    }

    @Test
    void noDriftChangesNothingAndTooMuchDriftIsRefused() {
        Calibration c = cal();
        DriftTrajectory none = DriftTrajectory.of(new double[] {0, 1}, new double[] {0, 0.3}, new double[] {0, -0.2},
            new double[] {1, 1}, c);
        Dataset5D ds = Dataset5D.ofArray(Shape5D.of(2, 5, 5, 2, 2), new double[2 * 25 * 4], c);
        assertSame(ds, none.correct(ds));
        DriftTrajectory big = DriftTrajectory.of(new double[] {0, 1}, new double[] {0, 6}, new double[] {0, 0},
            new double[] {1, 1}, c);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> big.correct(ds));
        assertTrue(e.getMessage().contains("no common field of view"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> none.correct(ds.crop(0, 4, 0, 4)));
    }

    @Test
    void framesThatDoNotMatchAreNotCorrectedByGuesswork() {
        // Independent noise in every frame: nothing to register. The significance of the best
        // peak of unrelated 30×30 images is about √(2 ln 900) ≈ 3.7, far below 8.
        UniformRandomProvider r = SeededCases.rng(44);
        double[][] images = new double[4][900];
        for (double[] img : images) {
            for (int k = 0; k < img.length; k++) {
                img[k] = r.nextDouble();
            }
        }
        DriftTrajectory d = DriftEstimator.defaults().estimate(images, 30, 30, cal());
        assertArrayEquals(new int[] {1, 2, 3}, d.unreliableFrames(), d::toString);
        Dataset5D ds = Dataset5D.ofArray(Shape5D.of(4, 30, 30, 1, 1), new double[4 * 900], cal());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.correct(ds));
        assertTrue(e.getMessage().contains("is not determined"), e.getMessage());
        // The same images shifted by whole steps are registered with high significance.
        double[][] shifted = {images[0], roll(images[0], 30, 2, -1)};
        DriftTrajectory ok = DriftEstimator.defaults().estimate(shifted, 30, 30, cal());
        assertTrue(ok.significance()[1] > 20, ok::toString);
        assertEquals(0, ok.unreliableFrames().length);
    }

    /** img_out(y, x) = img(y − dy, x − dx), periodic. */
    static double[] roll(double[] img, int n, int dy, int dx) {
        double[] out = new double[img.length];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                out[y * n + x] = img[Math.floorMod(y - dy, n) * n + Math.floorMod(x - dx, n)];
            }
        }
        return out;
    }
}
