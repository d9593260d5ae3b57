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
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.Axis;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.PatternVisitor;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.core.preparation.DriftTrajectory.Resampling;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Sub-step drift correction by bilinear interpolation ({@link Resampling#BILINEAR}). */
class BilinearDriftTest {

    static final String[] ORDERS = {"t,y,x,ky,kx", "y,x,t,ky,kx", "x,t,y,ky,kx", "t,x,y,kx,ky"};

    /** Values of a recording as a function of (frame, row, column, pixel). */
    interface Values {
        double at(int t, int y, int x, int k);
    }

    /**
     * A storage computing its values from a function, delivering them in any axis order (the
     * pixel axes' order does not matter to a pattern's row-major delivery). Counts the visits and
     * remembers the largest box asked for, and checks that {@code visitPixels} is used when asked.
     */
    static final class FunctionStorage implements PatternStorage {
        final Shape5D shape;
        final AxisOrder order;
        final Values f;
        int visits;
        int pixelVisits;
        long largestBox;

        FunctionStorage(Shape5D shape, AxisOrder order, Values f) {
            this.shape = shape;
            this.order = order;
            this.f = f;
        }

        @Override
        public Shape5D shape() {
            return shape;
        }

        @Override
        public AxisOrder axisOrder() {
            return order;
        }

        @Override
        public String description() {
            return "function storage " + order;
        }

        @Override
        public void visit(Selection s, PatternVisitor visitor) {
            visits++;
            int[] all = new int[shape.patternSize()];
            for (int k = 0; k < all.length; k++) {
                all[k] = k;
            }
            deliver(s, all, visitor);
        }

        @Override
        public void visitPixels(Selection s, int[] idx, PatternVisitor visitor) {
            pixelVisits++;
            deliver(s, PatternStorage.checkedPixels(idx, shape.patternSize()), visitor);
        }

        private void deliver(Selection s, int[] idx, PatternVisitor visitor) {
            assertTrue(s.fitsIn(shape), () -> s + " outside " + shape);
            largestBox = Math.max(largestBox, s.patternCount());
            double[] p = new double[idx.length];
            inStorageOrder(order, s, (t, y, x) -> {
                for (int i = 0; i < idx.length; i++) {
                    p[i] = f.at(t, y, x, idx[i]);
                }
                visitor.accept(t - s.frameStart(), y - s.yStart(), x - s.xStart(), p);
            });
        }
    }

    interface Position {
        void at(int t, int y, int x);
    }

    /** Calls back every (t, y, x) of a selection in the storage order of {@code order}. */
    static void inStorageOrder(AxisOrder order, Selection s, Position p) {
        List<Axis> o = order.scanOrder();
        int[] lo = {s.frameStart(), s.yStart(), s.xStart()};
        int[] hi = {s.frameEnd(), s.yEnd(), s.xEnd()};
        int[] d = new int[3];
        for (int i = 0; i < 3; i++) {
            d[i] = o.get(i) == Axis.T ? 0 : o.get(i) == Axis.Y ? 1 : 2;
        }
        int[] at = new int[3];
        for (at[d[0]] = lo[d[0]]; at[d[0]] < hi[d[0]]; at[d[0]]++) {
            for (at[d[1]] = lo[d[1]]; at[d[1]] < hi[d[1]]; at[d[1]]++) {
                for (at[d[2]] = lo[d[2]]; at[d[2]] < hi[d[2]]; at[d[2]]++) {
                    p.at(at[0], at[1], at[2]);
                }
            }
        }
    }

    static Calibration cal() {
        return Calibration.builder().frameIntervalSeconds(10).scanStepNm(0.2).pixelSizeInverseNm(0.5).centerPx(1.5, 1.5).build();
    }

    static DriftTrajectory trajectory(double[] dy, double[] dx) {
        double[] t = new double[dy.length];
        double[] one = new double[dy.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = 10 * i;
            one[i] = 1;
        }
        return DriftTrajectory.of(t, dy, dx, one, cal());
    }

    /**
     * Everything a corrected view delivers, checking on the way that each pattern comes exactly
     * once and in the storage order of the view's axis order.
     */
    static double[][] deliveredAll(Dataset5D ds, Selection part, int[] pixels) throws IOException {
        Shape5D s = ds.shape();
        double[][] seen = new double[part.frames() * part.rows() * part.columns()][];
        List<int[]> sequence = new ArrayList<>();
        PatternVisitor v = (t, y, x, p) -> {
            int i = (t * part.rows() + y) * part.columns() + x;
            if (seen[i] != null) {
                fail("pattern (" + t + ", " + y + ", " + x + ") delivered twice");
            }
            seen[i] = p.clone();
            sequence.add(new int[] {t, y, x});
        };
        if (pixels == null) {
            ds.forEachPattern(part, v);
        } else {
            ds.forEachPattern(part, pixels, v);
        }
        List<int[]> expected = new ArrayList<>();
        inStorageOrder(ds.axisOrder(), new Selection(0, part.frames(), 0, part.rows(), 0, part.columns()),
            (t, y, x) -> expected.add(new int[] {t, y, x}));
        assertEquals(expected.size(), sequence.size(), "patterns delivered of " + s);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), sequence.get(i), "delivery " + i + " is not in storage order " + ds.axisOrder());
        }
        return seen;
    }

    static Stream<Arguments> bilinearFields() {
        return SeededCases.of(0xB111L, 24, r -> new Object[] {ORDERS[r.nextInt(ORDERS.length)], r.nextInt(2) == 0,
            r.nextInt(3) == 0 ? 200L : 32L << 20});
    }

    /**
     * (a) Bilinear interpolation is exact on a bilinear field: if frame t shows, at scan position
     * (Y, X), the pattern F(Y − dy_t, X − dx_t) with F bilinear in the sample coordinate, then after
     * correction every frame's pattern at (y, x) equals frame 0's, F(y0 + y, x0 + x), to rounding.
     */
    @ParameterizedTest(name = "seed {0}: axes {1}, pixel subset {2}, buffer {3} B")
    @MethodSource("bilinearFields")
    void bilinearFieldsAreCorrectedExactly(long seed, String axes, boolean subset, long budget) throws IOException {
        UniformRandomProvider r = SeededCases.rng(seed);
        int frames = 5;
        int scanY = 14;
        int scanX = 12;
        Shape5D shape = Shape5D.of(frames, scanY, scanX, 3, 4);
        int px = shape.patternSize();
        double[] c0 = new double[px];
        double[] cy = new double[px];
        double[] cx = new double[px];
        double[] cxy = new double[px];
        for (int k = 0; k < px; k++) {
            c0[k] = r.nextDouble(-1, 1);
            cy[k] = r.nextDouble(-1, 1);
            cx[k] = r.nextDouble(-1, 1);
            cxy[k] = r.nextDouble(-0.1, 0.1);
        }
        double[] dy = new double[frames];
        double[] dx = new double[frames];
        for (int t = 1; t < frames; t++) {
            dy[t] = r.nextDouble(-2.5, 2.5);
            dx[t] = r.nextDouble(-2.5, 2.5);
        }
        Values field = (t, y, x, k) -> {
            double u = y - dy[t];
            double v = x - dx[t];
            return c0[k] + cy[k] * u + cx[k] * v + cxy[k] * u * v;
        };
        FunctionStorage src = new FunctionStorage(shape, AxisOrder.parse(axes), field);
        DriftTrajectory d = trajectory(dy, dx);
        Dataset5D fixed = d.correct(Dataset5D.of(src, cal()), Resampling.BILINEAR, budget);
        int[] fov = d.commonFieldOfView(scanY, scanX, Resampling.BILINEAR);
        int ny = fov[1] - fov[0];
        int nx = fov[3] - fov[2];
        assertEquals(Shape5D.of(frames, ny, nx, 3, 4), fixed.shape());
        // The field of view: every frame's four neighbours lie in the scan, and it is the largest such.
        int minFloorY = 0;
        int maxCeilY = 0;
        for (int t = 0; t < frames; t++) {
            minFloorY = Math.min(minFloorY, (int) Math.floor(dy[t]));
            maxCeilY = Math.max(maxCeilY, (int) Math.ceil(dy[t]));
        }
        assertEquals(-minFloorY, fov[0]);
        assertEquals(scanY - maxCeilY, fov[1]);
        int[] pixels = subset ? new int[] {7, 0, 11, 5, 6} : null;
        int values = subset ? pixels.length : px;
        double[][] got = deliveredAll(fixed, new Selection(0, frames, 0, ny, 0, nx), pixels);
        assertTrue(subset ? src.pixelVisits > 0 && src.visits == 0 : src.visits > 0 && src.pixelVisits == 0,
            "the pixel-subset path is used exactly when asked for");
        // Rounding: F has 4 terms of magnitude ≤ B = 1 + 20 + 20 + 0.1·400 each computed with ≤ 3 rounded
        // operations, and the interpolation adds ≤ 7 more on values ≤ B: a few tens of ε·B; we allow 64 ε·B.
        double bound = 1 + 20 + 20 + 0.1 * 400;
        Tolerance tol = Tolerance.absolute(64 * Math.ulp(1.0) * bound).because("bilinear interpolation is exact on a "
            + "bilinear field; rounding only");
        for (int t = 0; t < frames; t++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    double[] p = got[(t * ny + y) * nx + x];
                    assertEquals(values, p.length);
                    for (int i = 0; i < values; i++) {
                        int k = subset ? pixels[i] : i;
                        double truth = field.at(0, fov[0] + y, fov[2] + x, k);
                        if (t == 0) {
                            // Frame 0 (drift 0) is never resampled: the source pattern bit for bit.
                            assertEquals(Double.doubleToRawLongBits(truth), Double.doubleToRawLongBits(p[i]),
                                "frame 0 at (" + y + ", " + x + ")");
                        } else {
                            tol.assertClose(truth, p[i], "frame " + t + " at (" + y + ", " + x + "), pixel " + k);
                        }
                    }
                }
            }
        }
        // A block as the engine reads it (all frames, some rows) and an odd sub-box give the same patterns.
        Selection[] parts = {new Selection(0, frames, 2, Math.min(ny, 6), 0, nx), new Selection(1, 4, 1, 3, 2, nx - 1)};
        for (Selection part : parts) {
            double[][] sub = deliveredAll(fixed, part, pixels);
            for (int t = 0; t < part.frames(); t++) {
                for (int y = 0; y < part.rows(); y++) {
                    for (int x = 0; x < part.columns(); x++) {
                        assertArrayEquals(got[((t + part.frameStart()) * ny + y + part.yStart()) * nx + x + part.xStart()],
                            sub[(t * part.rows() + y) * part.columns() + x], "part " + part);
                    }
                }
            }
        }
    }

    static Stream<Arguments> wholeStepDrifts() {
        return SeededCases.of(0xB112L, 12, r -> new Object[] {ORDERS[r.nextInt(ORDERS.length)]});
    }

    /** (b) Whole-step drifts: bilinear gives exactly what whole-step re-indexing gives, NaN and −0 included. */
    @ParameterizedTest(name = "seed {0}: axes {1}")
    @MethodSource("wholeStepDrifts")
    void integerDriftsGiveTheWholeStepResultBitForBit(long seed, String axes) throws IOException {
        UniformRandomProvider r = SeededCases.rng(seed);
        int frames = 6;
        Shape5D shape = Shape5D.of(frames, 11, 13, 2, 3);
        double[] v = new double[(int) shape.valueCount()];
        for (int i = 0; i < v.length; i++) {
            int kind = r.nextInt(50);
            v[i] = kind == 0 ? Double.NaN : kind == 1 ? -0.0 : r.nextDouble() * 1e3;
        }
        int px = shape.patternSize();
        Values values = (t, y, x, k) -> v[((t * 11 + y) * 13 + x) * px + k];
        double[] dy = new double[frames];
        double[] dx = new double[frames];
        for (int t = 1; t < frames; t++) {
            dy[t] = r.nextInt(7) - 3;
            dx[t] = r.nextInt(7) - 3;
        }
        DriftTrajectory d = trajectory(dy, dx);
        assertArrayEquals(d.commonFieldOfView(11, 13), d.commonFieldOfView(11, 13, Resampling.BILINEAR));
        FunctionStorage wholeSource = new FunctionStorage(shape, AxisOrder.DEFAULT, values);
        Dataset5D whole = d.correct(Dataset5D.of(wholeSource, cal()));
        Dataset5D bilinear = d.correct(Dataset5D.of(new FunctionStorage(shape, AxisOrder.parse(axes), values), cal()),
            Resampling.BILINEAR, 500);
        assertEquals(whole.shape(), bilinear.shape());
        Selection all = Selection.all(whole.shape());
        // Whole patterns and a pixel subset (both storages through their sources' pixel paths).
        for (int[] pixels : new int[][] {null, {4, 1, 5}}) {
            double[][] a = deliveredAll(whole, all, pixels);
            double[][] b = deliveredAll(bilinear, all, pixels);
            for (int i = 0; i < a.length; i++) {
                for (int k = 0; k < a[i].length; k++) {
                    assertEquals(Double.doubleToRawLongBits(a[i][k]), Double.doubleToRawLongBits(b[i][k]), "pattern " + i);
                }
            }
        }
        assertEquals(1, wholeSource.pixelVisits, "whole steps read the subset through the source's pixel path");
    }

    @Test
    void zeroWeightNeighboursAreNeverReadAndExcludedPatternsStayExcluded() throws IOException {
        // Frame 1 moves half a step along x only, frame 2 half a step along y only. The field of view
        // is 9×9 of 10×10; frame 1 never uses source row 9 and frame 2 never uses source column 9.
        Shape5D shape = Shape5D.of(3, 10, 10, 1, 2);
        Values f = (t, y, x, k) -> {
            if ((t == 1 && y == 9) || (t == 2 && x == 9)) {
                return Double.NaN;
            }
            if (t == 1 && y == 6 && x == 6) {
                return 0; // a real pattern without counts (not excluded): interpolated like any other
            }
            if (t == 2 && y == 6 && x == 2) {
                return k == 0 ? Double.NaN : 5; // a NaN pixel of a used neighbour
            }
            return 1 + y + 10 * x + 100 * k;
        };
        DriftTrajectory d = trajectory(new double[] {0, 0, 0.5}, new double[] {0, 0.5, 0});
        java.util.BitSet excluded = new java.util.BitSet();
        excluded.set((1 * 10 + 4) * 10 + 4); // pattern (t 1, y 4, x 4) excluded, delivered as zeros
        Dataset5D fixed = d.correct(Dataset5D.of(new org.fivedstem.core.preparation.internal.ZeroedPatternsStorage(
            new FunctionStorage(shape, AxisOrder.DEFAULT, f), excluded), cal()), Resampling.BILINEAR);
        assertEquals(Shape5D.of(3, 9, 9, 1, 2), fixed.shape());
        double[][] got = deliveredAll(fixed, Selection.all(fixed.shape()), null);
        // The pixel-subset route decides exclusion the same way (by the exclusion set, not by the
        // values it happens to deliver).
        double[][] viaPixels = deliveredAll(fixed, Selection.all(fixed.shape()), new int[] {1});
        for (int i = 0; i < got.length; i++) {
            assertEquals(Double.doubleToLongBits(got[i][1]), Double.doubleToLongBits(viaPixels[i][0]), "pattern " + i);
        }
        for (int t = 0; t < 3; t++) {
            for (int y = 0; y < 9; y++) {
                for (int x = 0; x < 9; x++) {
                    double[] p = got[(t * 9 + y) * 9 + x];
                    boolean usesExcluded = t == 1 && y == 4 && (x == 3 || x == 4);
                    boolean usesNan = t == 2 && x == 2 && (y == 5 || y == 6);
                    boolean usesEmpty = t == 1 && y == 6 && (x == 5 || x == 6);
                    if (usesExcluded) {
                        assertArrayEquals(new double[] {0, 0}, p, "an interpolation drawing on an excluded pattern is excluded");
                    } else if (usesEmpty) {
                        int other = x == 5 ? 5 : 7;
                        assertArrayEquals(new double[] {0.5 * (1 + 6 + 10 * other), 0.5 * (1 + 6 + 10 * other + 100)}, p,
                            "a pattern without counts is interpolated, not excluded");
                    } else if (usesNan) {
                        assertTrue(Double.isNaN(p[0]), "a NaN of weight ½ is NaN");
                        assertTrue(Double.isFinite(p[1]));
                    } else {
                        for (double value : p) {
                            assertTrue(value >= 1 && value < 200, () -> "no NaN leaks from a zero-weight neighbour: " + value);
                        }
                    }
                }
            }
        }
        // Frame 1 half-way along x: the mean of the two neighbours (values 1 + y + 10x exact in binary).
        assertEquals(0.5 * ((1 + 2 + 10 * 7) + (1 + 2 + 10 * 8)), got[(9 + 2) * 9 + 7][0]);
    }

    static Stream<Arguments> driftingRecordings() {
        return SeededCases.of(0xB114L, 6, r -> new Object[] {ORDERS[r.nextInt(2)]});
    }

    /**
     * (c) End to end: a recording whose frames see a smooth sample (30 Gaussian blobs, σ 2–4 steps,
     * the "mass-thickness" of the virtual image) drifted by known amounts with fractions of 0.3–0.7
     * step, 1 % noise per pixel. The drift is estimated from the recording's virtual images and
     * corrected; re-estimating the drift of the corrected recording measures what is left.
     */
    @ParameterizedTest(name = "seed {0}: axes {1}")
    @MethodSource("driftingRecordings")
    void estimatedDriftCorrectedBilinearlyLeavesLittleResidual(long seed, String axes) throws IOException {
        // Blobs of σ 1–1.6 steps on a 48×48 scan: smoother or smaller images register as accurately but
        // with a significance below DriftTrajectory.MIN_SIGNIFICANCE (measured: σ 2–4 on 32×32 gives
        // about 4), and correct() would refuse them. Measured over these seeds: bilinear residual
        // ≤ 0.071 step, whole steps 0.42–0.64; RMS pattern error 0.023–0.032 against 0.067–0.097
        // (the 1 % noise alone is about 0.02).
        UniformRandomProvider r = SeededCases.rng(seed);
        int frames = 6;
        int n = 48;
        Shape5D shape = Shape5D.of(frames, n, n, 3, 3);
        double[][] blobs = new double[30][];
        for (int b = 0; b < blobs.length; b++) {
            blobs[b] = new double[] {r.nextDouble(-5, n + 5), r.nextDouble(-5, n + 5), r.nextDouble(1, 1.6), r.nextDouble(0.5, 1.5)};
        }
        double[] gain = new double[9];
        double[] offset = new double[9];
        for (int k = 0; k < 9; k++) {
            gain[k] = r.nextDouble(0.5, 2);
            offset[k] = r.nextDouble(1, 2);
        }
        double[] dy = new double[frames];
        double[] dx = new double[frames];
        for (int t = 1; t < frames; t++) {
            dy[t] = (r.nextInt(5) - 2) + (r.nextBoolean() ? 1 : -1) * r.nextDouble(0.3, 0.7);
            dx[t] = (r.nextInt(5) - 2) + (r.nextBoolean() ? 1 : -1) * r.nextDouble(0.3, 0.7);
        }
        long noiseSeed = r.nextLong();
        // The sample's pattern at sample coordinate (u, v), without noise.
        Values truth = (t, u, v, k) -> offset[k] + gain[k] * thickness(blobs, u, v);
        Values recorded = (t, y, x, k) -> {
            double u = y - dy[t];
            double v = x - dx[t];
            double clean = offset[k] + gain[k] * thickness(blobs, u, v);
            double noise = SeededCases.rng(noiseSeed ^ (((t * 64L + y) * 64 + x) * 16 + k)).nextDouble() - 0.5;
            return clean * (1 + 0.01 * Math.sqrt(12) * noise);
        };
        Dataset5D rec = Dataset5D.of(new FunctionStorage(shape, AxisOrder.parse(axes), recorded), cal());
        DriftTrajectory d = DriftEstimator.defaults().estimate(PatternStatistics.compute(rec, ProgressListener.NONE), cal());
        for (int t = 0; t < frames; t++) {
            // As DriftTest measured on such images: within 0.06 step.
            assertEquals(dy[t], d.dySteps()[t], 0.06, d::toString);
            assertEquals(dx[t], d.dxSteps()[t], 0.06, d::toString);
        }
        double[] residualBilinear = residual(d.correct(rec, Resampling.BILINEAR));
        double[] residualWhole = residual(d.correct(rec));
        // Whole steps leave the fraction (0.3–0.7) minus the estimate's error: at least 0.24 per frame.
        // Bilinear leaves the estimate's error plus that of re-estimating (≤ 0.06 each) plus the small
        // smoothing of the interpolation (σ ≥ 2 blobs): we allow 0.15.
        for (int t = 1; t < frames; t++) {
            assertTrue(residualWhole[t] > 0.2, "whole steps, frame " + t + ": " + residualWhole[t]);
            assertTrue(residualBilinear[t] < 0.15, "bilinear, frame " + t + ": " + residualBilinear[t] + " (whole steps "
                + residualWhole[t] + ")");
        }
        // The patterns themselves: the corrected pattern against the sample's (noise-free) one at the
        // corrected position. Interpolating a blob of σ ≥ 2 errs by at most f(1−f)/2·|m''| ≈ 0.05 of a blob's
        // height; rounding to whole steps by up to 0.5·|m'| ≈ 0.3: the RMS error must fall by more than 2.
        double errBilinear = rmsError(d.correct(rec, Resampling.BILINEAR), d.commonFieldOfView(n, n, Resampling.BILINEAR), truth);
        double errWhole = rmsError(d.correct(rec), d.commonFieldOfView(n, n), truth);
        assertTrue(errBilinear < errWhole / 2, "RMS error bilinear " + errBilinear + ", whole steps " + errWhole);
    }

    static double thickness(double[][] blobs, double u, double v) {
        double m = 0;
        for (double[] b : blobs) {
            m += b[3] * Math.exp(-0.5 * ((u - b[0]) * (u - b[0]) + (v - b[1]) * (v - b[1])) / (b[2] * b[2]));
        }
        return m;
    }

    /** Per frame, how far the corrected recording still drifts: |re-estimated drift| in steps. */
    static double[] residual(Dataset5D corrected) throws IOException {
        DriftTrajectory again = DriftEstimator.defaults().estimate(PatternStatistics.compute(corrected, ProgressListener.NONE),
            cal());
        double[] res = new double[again.frames()];
        for (int t = 0; t < res.length; t++) {
            res[t] = Math.hypot(again.dySteps()[t], again.dxSteps()[t]);
        }
        return res;
    }

    static double rmsError(Dataset5D corrected, int[] fov, Values truth) throws IOException {
        double[] sum = new double[2];
        corrected.forEachPattern((t, y, x, p) -> {
            if (t > 0) {
                for (int k = 0; k < p.length; k++) {
                    double e = p[k] - truth.at(0, fov[0] + y, fov[2] + x, k);
                    sum[0] += e * e;
                    sum[1]++;
                }
            }
        });
        return Math.sqrt(sum[0] / sum[1]);
    }

    static Stream<Arguments> fractions() {
        return SeededCases.of(0xB115L, 6, r -> new Object[] {r.nextDouble(), r.nextDouble()});
    }

    /**
     * The caveat, measured: independent exponential speckle at every position and pixel (contrast²
     * = var/mean² = 1). Frame 1 drifts by (1 + fy, −2 + fx) steps; its interpolated patterns are
     * weighted sums of four independent speckle patterns, whose contrast² is Σw² =
     * ((1−fy)² + fy²)·((1−fx)² + fx²) — down to ¼ at half steps — while frame 0 keeps 1.
     */
    @ParameterizedTest(name = "seed {0}: fraction ({1}, {2})")
    @MethodSource("fractions")
    void interpolatingIndependentSpeckleLowersItsContrastBySumOfSquaredWeights(long seed, double fy, double fx)
        throws IOException {
        int n = 22;
        int k = 8;
        Shape5D shape = Shape5D.of(2, n, n, k, k);
        long noise = SeededCases.rng(seed).nextLong();
        Values speckle = (t, y, x, i) -> -Math.log(1 - SeededCases.rng(noise ^ (((t * 64L + y) * 64 + x) * 64 + i)).nextDouble());
        DriftTrajectory d = trajectory(new double[] {0, 1 + fy}, new double[] {0, -2 + fx});
        Dataset5D fixed = d.correct(Dataset5D.of(new FunctionStorage(shape, AxisOrder.DEFAULT, speckle), cal()),
            Resampling.BILINEAR);
        double[][] m = new double[2][3];
        fixed.forEachPattern((t, y, x, p) -> {
            for (double v : p) {
                m[t][0]++;
                m[t][1] += v;
                m[t][2] += v * v;
            }
        });
        double expected = ((1 - fy) * (1 - fy) + fy * fy) * ((1 - fx) * (1 - fx) + fx * fx);
        for (int t = 0; t < 2; t++) {
            double mean = m[t][1] / m[t][0];
            double contrast2 = m[t][2] / m[t][0] / (mean * mean) - 1;
            // Sample variance of ≥ 19·19·64 = 23 104 values: for exponential data var((I − 1)²) = 8, so its SE is
            // √(8/23104) = 0.019 (less for the smoother weighted sums; the mean's error adds little).
            // 5 SE: false failure about 6e-7 per check.
            Tolerance.sigmas(5, Math.sqrt(8.0 / m[t][0])).because("sample contrast² of independent exponential speckle")
                .assertClose(t == 0 ? 1 : expected, contrast2, "contrast² of frame " + t);
        }
    }

    static Stream<Arguments> budgets() {
        return SeededCases.of(0xB113L, 8, r -> new Object[] {ORDERS[r.nextInt(ORDERS.length)], r.nextInt(2) == 0});
    }

    /** (d) A tiny buffer budget: many small source boxes, the same result bit for bit as one box. */
    @ParameterizedTest(name = "seed {0}: axes {1}, pixel subset {2}")
    @MethodSource("budgets")
    void tilesOfATinyBudgetGiveTheResultOfOneTile(long seed, String axes, boolean subset) throws IOException {
        UniformRandomProvider r = SeededCases.rng(seed);
        int frames = 7;
        Shape5D shape = Shape5D.of(frames, 16, 15, 4, 4);
        long noise = r.nextLong();
        Values f = (t, y, x, k) -> SeededCases.rng(noise ^ (((t * 16L + y) * 15 + x) * 16 + k)).nextDouble();
        double[] dy = new double[frames];
        double[] dx = new double[frames];
        for (int t = 1; t < frames; t++) {
            dy[t] = r.nextDouble(-3, 3);
            dx[t] = r.nextDouble(-3, 3);
        }
        DriftTrajectory d = trajectory(dy, dx);
        FunctionStorage big = new FunctionStorage(shape, AxisOrder.parse(axes), f);
        FunctionStorage tiny = new FunctionStorage(shape, AxisOrder.parse(axes), f);
        int[] pixels = subset ? new int[] {3, 9, 12} : null;
        int values = subset ? 3 : 16;
        long budget = 5L * (8 * values + 1); // five patterns: one 2×2 box fits, a 2×3 one does not
        Dataset5D one = d.correct(Dataset5D.of(big, cal()), Resampling.BILINEAR, 1L << 30);
        Dataset5D many = d.correct(Dataset5D.of(tiny, cal()), Resampling.BILINEAR, budget);
        Selection all = Selection.all(one.shape());
        double[][] a = deliveredAll(one, all, pixels);
        double[][] b = deliveredAll(many, all, pixels);
        boolean timeFirst = axes.startsWith("t");
        assertEquals(timeFirst ? frames : 1, big.visits + big.pixelVisits,
            "a large budget: one box per frame when time is the slowest axis, else one box");
        assertEquals(all.patternCount(), tiny.visits + tiny.pixelVisits, "one box per pattern with this budget");
        assertEquals(4, tiny.largestBox, "boxes of at most 2×2 patterns of one frame");
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "pattern " + i);
        }
        // A budget of a few rows: strips, still the same patterns.
        FunctionStorage strips = new FunctionStorage(shape, AxisOrder.parse(axes), f);
        double[][] c = deliveredAll(d.correct(Dataset5D.of(strips, cal()), Resampling.BILINEAR, 60L * (8 * values + 1)), all,
            pixels);
        assertTrue(strips.visits + strips.pixelVisits > 1);
        assertTrue(strips.largestBox <= 60, () -> "largest box " + strips.largestBox);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], c[i], "pattern " + i);
        }
    }

    @Test
    void noDriftReturnsTheDatasetAndViewsAreRefused() {
        Dataset5D ds = Dataset5D.ofArray(Shape5D.of(2, 5, 5, 2, 2), new double[2 * 25 * 4], cal());
        DriftTrajectory none = trajectory(new double[] {0, 0}, new double[] {0, 0});
        assertSame(ds, none.correct(ds, Resampling.BILINEAR));
        DriftTrajectory some = trajectory(new double[] {0, 0.3}, new double[] {0, -0.2});
        assertThrows(IllegalArgumentException.class, () -> some.correct(ds.crop(0, 4, 0, 4), Resampling.BILINEAR));
        // A third of a step: whole steps keep 5×5, bilinear needs the neighbours: 4×4.
        assertSame(ds, some.correct(ds));
        assertEquals(Shape5D.of(2, 4, 4, 2, 2), some.correct(ds, Resampling.BILINEAR).shape());
        assertArrayEquals(new int[] {0, 4, 1, 5}, some.commonFieldOfView(5, 5, Resampling.BILINEAR));
        DriftTrajectory big = trajectory(new double[] {0, 4.5}, new double[] {0, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> big.correct(ds, Resampling.BILINEAR));
        assertTrue(e.getMessage().contains("no common field of view"), e.getMessage());
    }

    @Test
    void resamplingParsesAndNamesItself() {
        assertSame(Resampling.WHOLE_STEPS, Resampling.parse("whole"));
        assertSame(Resampling.WHOLE_STEPS, Resampling.parse("Whole-Steps"));
        assertSame(Resampling.WHOLE_STEPS, Resampling.parse("whole_steps"));
        assertSame(Resampling.BILINEAR, Resampling.parse(" bilinear "));
        assertEquals("bilinear", Resampling.BILINEAR.label());
        assertEquals("whole steps", Resampling.WHOLE_STEPS.label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Resampling.parse("cubic"));
        assertTrue(e.getMessage().contains("'cubic'") && e.getMessage().contains("bilinear"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Resampling.parse(null));
    }
}
