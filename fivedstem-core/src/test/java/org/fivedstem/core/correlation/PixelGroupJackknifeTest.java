/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.Normalisation;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link StdErrMethod#PIXEL_GROUP_JACKKNIFE}: the replicates are literally g of the series without
 * a group of pixels, the SE is their jackknife spread, and the exact invariances of the ensemble g
 * (pixel permutation within groups, time reversal, per-frame scaling) carry over to the SE.
 */
class PixelGroupJackknifeTest {

    /** The kernel sums raw products and divides by frame sums; the literal recomputation sums J products: same sums, different rounding. */
    private static final Tolerance ROUNDING = Tolerance.relative(1e-11).because("same sums in a different order and form");

    /** SEs are spreads of replicates that differ by ~1e-2 relative, so rounding is amplified ~100×. */
    private static final Tolerance SE_ROUNDING = Tolerance.relative(1e-8).because("jackknife differences amplify rounding");

    private static CorrelationOptions groups(int b) {
        return CorrelationOptions.defaults().withStdErrMethod(StdErrMethod.PIXEL_GROUP_JACKKNIFE).withJackknifeBlocks(b);
    }

    /** g, SE, pairs, replicates of one bin. */
    private static final class Run {
        final double[] g;
        final double[] se;
        final int[] pairs;
        final double[] reps;
        final CorrelationAlgorithm used;

        Run(double[] s, int frames, int pixels, CorrelationOptions o, CorrelationKernel.Workspace ws) {
            g = new double[frames];
            se = new double[frames];
            pairs = new int[frames];
            reps = new double[CorrelationKernel.replicateCount(o, frames) * frames];
            used = CorrelationKernel.correlate(s, frames, pixels, new int[pixels], 1, o, ws, g, se, pairs, new int[1], reps);
        }

        Run(double[] s, int frames, int pixels, CorrelationOptions o) {
            this(s, frames, pixels, o, CorrelationKernel.newWorkspace());
        }
    }

    /** The series restricted to pixels outside [lo, hi), in their order. */
    private static double[] without(double[] s, int frames, int pixels, int lo, int hi) {
        int kept = pixels - (hi - lo);
        double[] out = new double[frames * kept];
        for (int t = 0; t < frames; t++) {
            int o = t * kept;
            for (int p = 0; p < pixels; p++) {
                if (p < lo || p >= hi) {
                    out[o++] = s[t * pixels + p];
                }
            }
        }
        return out;
    }

    static Stream<Arguments> cases() {
        return SeededCases.of(0x9B0A1L, 40, rng -> new Object[] {
            2 + rng.nextInt(80), 1 + rng.nextInt(40), 2 + rng.nextInt(11), rng.nextInt(4), rng.nextBoolean(),
            rng.nextBoolean()});
    }

    @ParameterizedTest(name = "seed {0}: T={1}, P={2}, B={3}, blanks={4}, symmetric={5}, factorial={6}")
    @MethodSource("cases")
    void replicatesAreTheCurveWithoutAGroupOfPixels(long seed, int frames, int pixels, int blocks, int blanks,
                                                    boolean symmetric, boolean factorial) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] s = TestFields.poisson(rng, TestFields.ar1(rng, frames, pixels, 1 + 20 * rng.nextDouble()),
            rng.nextBoolean() ? 0.3 : 5);
        for (int i = 0; i < blanks; i++) {
            int t = rng.nextInt(frames);
            Arrays.fill(s, t * pixels, (t + 1) * pixels, 0);
        }
        CorrelationOptions o = groups(blocks).withFactorialLag0(factorial)
            .withNormalisation(symmetric ? Normalisation.SYMMETRIC : Normalisation.ENSEMBLE);
        Run run = new Run(s, frames, pixels, o);
        assertEquals(CorrelationAlgorithm.DIRECT, run.used);
        assertEquals(blocks, CorrelationKernel.replicateCount(o, frames));
        // g itself: the equations written out.
        double[] expected = symmetric ? TestFields.naiveSymmetric(s, frames, pixels, factorial)
            : TestFields.naiveEnsemble(s, frames, pixels, factorial);
        for (int k = 0; k < frames; k++) {
            Tolerance.absolute(1e-12 * Math.abs(expected[0])).because("rounding relative to g(0)")
                .assertClose(expected[k], run.g[k], "g(" + k + ")");
        }
        // Replicate r: the ensemble g of the pixels outside group r = [r·P/G, (r+1)·P/G), G = min(B, P).
        int used = Math.min(blocks, pixels);
        CorrelationOptions plain = CorrelationOptions.defaults().withStdErrMethod(StdErrMethod.NONE)
            .withFactorialLag0(factorial);
        double[][] literal = new double[used][];
        for (int r = 0; r < used; r++) {
            int lo = (int) ((long) r * pixels / used);
            int hi = (int) ((long) (r + 1) * pixels / used);
            if (hi - lo == pixels) {
                literal[r] = new double[frames];
                Arrays.fill(literal[r], Double.NaN); // no pixel left
            } else {
                literal[r] = new Run(without(s, frames, pixels, lo, hi), frames, pixels - (hi - lo), plain).g;
            }
            // Rounding relative to the largest values, g(0) ≳ 1: at 0.3 counts a lag can hold g = 0 exactly.
            Tolerance tol = Tolerance.absolute(1e-11 * Math.max(1, Math.abs(expected[0])))
                .because("rounding relative to g(0) or 1");
            for (int k = 0; k < frames; k++) {
                tol.assertClose(literal[r][k], run.reps[r * frames + k], "replicate " + r + " at lag " + k);
            }
        }
        for (int r = used; r < blocks; r++) {
            for (int k = 0; k < frames; k++) {
                assertTrue(Double.isNaN(run.reps[r * frames + k]), "replicate " + r + " beyond the pixel count is NaN");
            }
        }
        // SE² = (G−1)/G Σ_r (g₋r − mean)², NaN with one group or where a replicate has no pair.
        for (int k = 0; k < frames; k++) {
            double expectedSe = Double.NaN;
            if (used >= 2 && run.pairs[k] > 0) {
                double mean = 0;
                for (int r = 0; r < used; r++) {
                    mean += literal[r][k];
                }
                mean /= used;
                double ss = 0;
                for (int r = 0; r < used; r++) {
                    ss += (literal[r][k] - mean) * (literal[r][k] - mean);
                }
                expectedSe = Math.sqrt((used - 1) * ss / used);
            }
            Tolerance.absolute(1e-11 * Math.abs(expected[0])).because("spread of replicates, rounding relative to g(0)")
                .assertClose(expectedSe, run.se[k], "SE at lag " + k);
        }
    }

    /** Above 4·2²⁰ doubles of group Gram matrices the kernel recomputes each group's Gram instead of keeping it. */
    @Test
    void theRecomputingRouteForLongSeriesGivesTheSameReplicates() {
        UniformRandomProvider rng = SeededCases.rng(0x9B0A2L);
        int frames = 700; // 10 groups × 700² doubles = 4.9·2²⁰·… > 4·2²⁰: recomputed
        int pixels = 12;
        double[] s = TestFields.poisson(rng, TestFields.ar1(rng, frames, pixels, 30), 4);
        Run run = new Run(s, frames, pixels, groups(10).withAlgorithm(CorrelationAlgorithm.DIRECT));
        CorrelationOptions plain = CorrelationOptions.defaults().withStdErrMethod(StdErrMethod.NONE)
            .withAlgorithm(CorrelationAlgorithm.DIRECT);
        for (int r = 0; r < 10; r++) {
            int lo = r * pixels / 10;
            int hi = (r + 1) * pixels / 10;
            double[] literal = new Run(without(s, frames, pixels, lo, hi), frames, pixels - (hi - lo), plain).g;
            for (int k = 0; k < frames; k += 7) {
                ROUNDING.assertClose(literal[k], run.reps[r * frames + k], "replicate " + r + " at lag " + k);
            }
        }
    }

    static Stream<Arguments> invarianceCases() {
        return SeededCases.of(0x9B0A3L, 12, rng -> new Object[] {
            10 + rng.nextInt(90), 12 + rng.nextInt(60), 2 + rng.nextInt(11)});
    }

    /**
     * Exact invariances of the ensemble g and its pixel-group SE: permuting pixels within each
     * group (only the order of the sums changes); reversing time (the pairs of lag k map onto
     * the pairs of lag k, the groups are unchanged); scaling every frame by its own factor (frame
     * means scale with it, in every replicate too).
     */
    @ParameterizedTest(name = "seed {0}: T={1}, P={2}, B={3}")
    @MethodSource("invarianceCases")
    void permutationWithinGroupsTimeReversalAndFrameScalingLeaveGAndSeUnchanged(long seed, int frames, int pixels,
                                                                              int blocks) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] s = TestFields.poisson(rng, TestFields.ar1(rng, frames, pixels, 1 + 20 * rng.nextDouble()), 3);
        CorrelationOptions o = groups(blocks);
        Run base = new Run(s, frames, pixels, o);
        int used = Math.min(blocks, pixels);

        int[] perm = new int[pixels];
        for (int r = 0; r < used; r++) {
            int lo = (int) ((long) r * pixels / used);
            int hi = (int) ((long) (r + 1) * pixels / used);
            for (int p = lo; p < hi; p++) {
                perm[p] = p;
            }
            for (int p = hi - 1; p > lo; p--) {
                int q = lo + rng.nextInt(p - lo + 1);
                int tmp = perm[p];
                perm[p] = perm[q];
                perm[q] = tmp;
            }
        }
        double[] permuted = new double[s.length];
        double[] reversed = new double[s.length];
        double[] scaled = new double[s.length];
        for (int t = 0; t < frames; t++) {
            double c = Math.exp(rng.nextDouble(-1, 1));
            for (int p = 0; p < pixels; p++) {
                permuted[t * pixels + p] = s[t * pixels + perm[p]];
                reversed[(frames - 1 - t) * pixels + p] = s[t * pixels + p];
                scaled[t * pixels + p] = c * s[t * pixels + p];
            }
        }
        String[] names = {"permuted within groups", "time-reversed", "frames scaled"};
        double[][] variants = {permuted, reversed, scaled};
        for (int v = 0; v < variants.length; v++) {
            Run other = new Run(variants[v], frames, pixels, o);
            assertArrayEquals(base.pairs, other.pairs, names[v] + ": pair counts");
            for (int k = 0; k < frames; k++) {
                ROUNDING.assertClose(base.g[k], other.g[k], names[v] + ": g(" + k + ")");
                SE_ROUNDING.assertClose(base.se[k], other.se[k], names[v] + ": SE(" + k + ")");
            }
            for (int i = 0; i < used * frames; i++) {
                ROUNDING.assertClose(base.reps[i], other.reps[i], names[v] + ": replicate value " + i);
            }
        }
    }

    static Stream<Arguments> binCases() {
        return SeededCases.of(0x9B0A6L, 8, rng -> new Object[] {10 + rng.nextInt(60), 20 + rng.nextInt(80),
            2 + rng.nextInt(3), rng.nextBoolean()});
    }

    /**
     * Several Q bins: each bin is its own ensemble with its own pixel groups (its members in
     * ascending order), bit-identical to correlating the bin's pixels alone.
     */
    @ParameterizedTest(name = "seed {0}: T={1}, P={2}, bins={3}, symmetric={4}")
    @MethodSource("binCases")
    void eachBinIsGroupedAsIfCorrelatedAlone(long seed, int frames, int pixels, int nBins, boolean symmetric) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] s = TestFields.poisson(rng, TestFields.ar1(rng, frames, pixels, 2 + 20 * rng.nextDouble()), 3);
        int[] bins = new int[pixels];
        for (int p = 0; p < pixels; p++) {
            bins[p] = rng.nextInt(nBins);
        }
        for (int b = 0; b < nBins; b++) {
            bins[b] = b; // every bin holds a pixel
        }
        CorrelationOptions o = groups(10).withNormalisation(symmetric ? Normalisation.SYMMETRIC : Normalisation.ENSEMBLE);
        double[] g = new double[nBins * frames];
        double[] se = new double[nBins * frames];
        int[] pairs = new int[nBins * frames];
        double[] reps = new double[nBins * 10 * frames];
        CorrelationKernel.correlate(s, frames, pixels, bins, nBins, o, CorrelationKernel.newWorkspace(), g, se, pairs,
            new int[nBins], reps);
        for (int b = 0; b < nBins; b++) {
            int count = 0;
            for (int p = 0; p < pixels; p++) {
                count += bins[p] == b ? 1 : 0;
            }
            double[] alone = new double[frames * count];
            for (int t = 0; t < frames; t++) {
                for (int p = 0, j = 0; p < pixels; p++) {
                    if (bins[p] == b) {
                        alone[t * count + j++] = s[t * pixels + p];
                    }
                }
            }
            Run one = new Run(alone, frames, count, o);
            assertArrayEquals(one.g, Arrays.copyOfRange(g, b * frames, (b + 1) * frames), "g of bin " + b);
            assertArrayEquals(one.se, Arrays.copyOfRange(se, b * frames, (b + 1) * frames), "SE of bin " + b);
            assertArrayEquals(one.reps, Arrays.copyOfRange(reps, b * 10 * frames, (b + 1) * 10 * frames),
                "replicates of bin " + b);
        }
    }

    /** The workspace carries nothing from one position to the next: bit-identical to a fresh one. */
    @Test
    void aReusedWorkspaceGivesTheSameBitsAsAFreshOne() {
        UniformRandomProvider rng = SeededCases.rng(0x9B0A4L);
        CorrelationKernel.Workspace ws = CorrelationKernel.newWorkspace();
        int[][] shapes = {{120, 80, 10}, {40, 30, 10}, {106, 210, 10}, {60, 7, 10}, {106, 210, 10}};
        for (int[] shape : shapes) {
            double[] s = TestFields.poisson(rng, TestFields.ar1(rng, shape[0], shape[1], 15), 2);
            CorrelationOptions o = groups(shape[2]).withFactorialLag0(rng.nextBoolean());
            Run reused = new Run(s, shape[0], shape[1], o, ws);
            Run fresh = new Run(s, shape[0], shape[1], o);
            assertArrayEquals(fresh.g, reused.g, "g");
            assertArrayEquals(fresh.se, reused.se, "SE");
            assertArrayEquals(fresh.reps, reused.reps, "replicates");
        }
    }

    @Test
    void nonFiniteInputGivesNanEverywhereButPairCounts() {
        UniformRandomProvider rng = SeededCases.rng(0x9B0A5L);
        double[] s = TestFields.ar1(rng, 30, 20, 5);
        s[7 * 20 + 3] = Double.NaN;
        Run run = new Run(s, 30, 20, groups(10));
        for (int k = 0; k < 30; k++) {
            assertTrue(Double.isNaN(run.g[k]) && Double.isNaN(run.se[k]), "lag " + k);
            assertEquals(30 - k, run.pairs[k], "pairs at lag " + k);
        }
        assertTrue(Arrays.stream(run.reps).allMatch(Double::isNaN), "replicates NaN");
    }

    @Test
    void theFftRouteIsRefusedWithAMessageNamingTheWayOut() {
        // Options may be set in either order; the kernels refuse the combination when used.
        CorrelationOptions bad = groups(10).withAlgorithm(CorrelationAlgorithm.FFT);
        assertEquals(bad, CorrelationOptions.defaults().withAlgorithm(CorrelationAlgorithm.FFT)
            .withStdErrMethod(StdErrMethod.PIXEL_GROUP_JACKKNIFE));
        double[] s = new double[4 * 3];
        Arrays.fill(s, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Run(s, 4, 3, bad));
        assertTrue(e.getMessage().contains("PIXEL_GROUP_JACKKNIFE") && e.getMessage().contains("FFT")
            && e.getMessage().contains("FRAME_BLOCK_JACKKNIFE"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CorrelationKernel.resolve(bad, 106, 300));
        // ... and the routes refuse it when given it, before reading anything.
        assertThrows(IllegalArgumentException.class, () -> Correlator.of(bad));
        assertThrows(IllegalArgumentException.class, () -> org.fivedstem.core.fitting.DynamicsMapper.of(bad,
            org.fivedstem.core.fitting.FitOptions.defaults()));
        org.fivedstem.api.Dataset5D ds = org.fivedstem.api.Dataset5D.of(org.fivedstem.api.ArrayStorage.of(
            org.fivedstem.api.Shape5D.of(4, 1, 1, 20, 20), new double[4 * 400]), org.fivedstem.api.Calibration.builder()
            .frameIntervalSeconds(1).scanStepNm(1).pixelSizeInverseNm(0.2).centerPx(9.5, 9.5).build());
        assertThrows(IllegalArgumentException.class, () -> org.fivedstem.core.engine.Analysis.of(ds)
            .dynamics(org.fivedstem.api.QRange.of(1, 1.6), bad, org.fivedstem.core.fitting.FitOptions.defaults()));
        CorrelationOptions pg = groups(10);
        assertThrows(IllegalArgumentException.class, () -> CorrelationKernel.costNanos(CorrelationAlgorithm.FFT, pg, 106, 300));
        // AUTO takes the direct route even where the frame-block FFT would win, up to the multi-tau route's length.
        assertEquals(CorrelationAlgorithm.DIRECT, CorrelationKernel.resolve(pg, CorrelationKernel.MULTI_TAU_MIN_FRAMES, 300));
        assertEquals(CorrelationAlgorithm.MULTI_TAU, CorrelationKernel.resolve(pg, 5000, 300));
        assertEquals(CorrelationAlgorithm.FFT, CorrelationKernel.resolve(
            pg.withStdErrMethod(StdErrMethod.FRAME_BLOCK_JACKKNIFE), 5000, 300));
        assertEquals(10, pg.blocksFor(3), "pixel groups are not capped by the frame count");
        assertTrue(pg.toString().contains("pixel_group_jackknife (10 blocks)"), pg.toString());
    }

    @Test
    void workspaceEstimateCoversTheGroupGramsAndIsCapped() {
        CorrelationOptions pg = groups(10);
        CorrelationOptions fb = pg.withStdErrMethod(StdErrMethod.FRAME_BLOCK_JACKKNIFE);
        CorrelationOptions none = pg.withStdErrMethod(StdErrMethod.NONE);
        long g = CorrelationKernel.workspaceBytes(pg, 106, 220);
        // at least the ten group Gram matrices and the series copy
        assertTrue(g >= 8L * (10 * 106 * 106 + 2 * 106 * 220), "pixel groups: " + g);
        assertTrue(g > CorrelationKernel.workspaceBytes(fb, 106, 220));
        assertTrue(CorrelationKernel.workspaceBytes(fb, 106, 220) > CorrelationKernel.workspaceBytes(none, 106, 220));
        // beyond GROUP_GRAMS_KEPT_MAX the group Gram matrices are recomputed, not kept
        long big = CorrelationKernel.workspaceBytes(pg, 2000, 220);
        assertTrue(big < 8L * (10L * 2000 * 2000), "capped: " + big);
        assertThrows(IllegalArgumentException.class, () -> CorrelationKernel.workspaceBytes(pg, 0, 220));
    }

    @Test
    void theDefaultIsThePixelGroupJackknife() {
        assertEquals(StdErrMethod.PIXEL_GROUP_JACKKNIFE, CorrelationOptions.defaults().stdErrMethod());
        assertEquals(CorrelationOptions.DEFAULT_JACKKNIFE_BLOCKS, CorrelationOptions.defaults().jackknifeBlocks());
    }
}
