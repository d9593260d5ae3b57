/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.Normalisation;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CorrelationKernelTest {

    /** Rounding of sums of ~T·P products evaluated in different orders: far below 1e-12 for T, P ≤ 300. */
    private static final Tolerance ROUNDING = Tolerance.relative(1e-12).because("same sums, different rounding order");

    /**
     * The FFT's rounding error is ~ε·log2(N) relative to the largest correlation sum (lag 0, T
     * pairs) and is shared by the n(k) = T − k pairs of lag k: 1e-12 relative where n(k) = T,
     * growing as T/n(k) towards the last lags (3e-10 at the very last lag of T = 300).
     */
    private static Tolerance rounding(int frames, int k) {
        return Tolerance.relative(1e-12 * frames / (frames - k)).because("1e-12 · T/(T−k): FFT rounding shared by T−k pairs");
    }

    static final class Out {
        final double[] g;
        final double[] se;
        final int[] pairs;
        final int[] blank;
        final CorrelationAlgorithm used;

        Out(double[] series, int frames, int pixels, int[] bins, int nBins, CorrelationOptions o) {
            g = new double[nBins * frames];
            se = new double[nBins * frames];
            pairs = new int[nBins * frames];
            blank = new int[nBins];
            used = CorrelationKernel.correlate(series, frames, pixels, bins, nBins, o, CorrelationKernel.newWorkspace(),
                g, se, pairs, blank);
        }

        Out(double[] series, int frames, int pixels, CorrelationOptions o) {
            this(series, frames, pixels, new int[pixels], 1, o);
        }
    }

    private static CorrelationOptions opts(Normalisation n, CorrelationAlgorithm a) {
        // The frame-block jackknife: the SE method both algorithms have (the default pixel-group one is direct-only).
        return CorrelationOptions.defaults().withStdErrMethod(StdErrMethod.FRAME_BLOCK_JACKKNIFE).withNormalisation(n)
            .withAlgorithm(a);
    }

    private static void blankSomeFrames(UniformRandomProvider rng, double[] s, int frames, int pixels, int count) {
        for (int i = 0; i < count; i++) {
            int t = rng.nextInt(frames);
            java.util.Arrays.fill(s, t * pixels, (t + 1) * pixels, 0);
        }
    }

    static Stream<Arguments> smallCases() {
        return SeededCases.of(0x5EED01L, 40, rng -> new Object[] {
            2 + rng.nextInt(60), 1 + rng.nextInt(30), rng.nextInt(4), rng.nextBoolean(), rng.nextBoolean()});
    }

    @ParameterizedTest(name = "seed {0}: T={1}, P={2}, blanks={3}, symmetric={4}, factorial={5}")
    @MethodSource("smallCases")
    void bothAlgorithmsMatchTheEquationsWrittenOut(long seed, int frames, int pixels, int blanks, boolean symmetric,
                                                  boolean factorial) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] s = TestFields.poisson(rng, TestFields.ar1(rng, frames, pixels, 1 + 10 * rng.nextDouble()), 3);
        blankSomeFrames(rng, s, frames, pixels, blanks);
        Normalisation n = symmetric ? Normalisation.SYMMETRIC : Normalisation.ENSEMBLE;
        double[] expected = symmetric ? TestFields.naiveSymmetric(s, frames, pixels, factorial)
            : TestFields.naiveEnsemble(s, frames, pixels, factorial);
        for (CorrelationAlgorithm a : new CorrelationAlgorithm[] {CorrelationAlgorithm.DIRECT, CorrelationAlgorithm.FFT}) {
            Out o = new Out(s, frames, pixels, opts(n, a).withFactorialLag0(factorial));
            for (int k = 0; k < frames; k++) {
                // FFT rounding is relative to the largest correlation value, g(0); allow for that.
                Tolerance.absolute(1e-12 * Math.abs(expected[0])).because(a + ": FFT rounding scales with g(0)")
                    .assertClose(expected[k], o.g[k], a + " g(" + k + ")");
            }
        }
    }

    static Stream<Arguments> floatCases() {
        return SeededCases.of(0xF10A75L, 24, rng -> new Object[] {
            rng.nextInt(2, 140), rng.nextInt(3, 80), 1 + rng.nextInt(3), rng.nextInt(3), rng.nextInt(0, 6)});
    }

    /**
     * The float overload (the engine's series of counts) widens each value exactly: every route —
     * both normalisations, both jackknifes, no standard errors, FFT and multi-tau — gives the bits
     * of the double series of the same values, replicates and the two-time sums included.
     */
    @ParameterizedTest(name = "seed {0}: T={1}, P={2}, bins={3}, blanks={4}, route {5}")
    @MethodSource("floatCases")
    void aFloatSeriesGivesTheBitsOfTheDoubleSeries(long seed, int frames, int pixels, int nBins, int blanks, int route) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] s = TestFields.ar1(rng, frames, pixels, 2 + 30 * rng.nextDouble());
        blankSomeFrames(rng, s, frames, pixels, blanks);
        float[] f = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            // counts (Poisson-like, some large), exact in float; widened back for the double series
            f[i] = (float) Math.rint(s[i] * (i % 7 == 0 ? 40_000 : 20));
            s[i] = f[i];
        }
        int[] bins = new int[pixels];
        for (int p = 0; p < pixels; p++) {
            bins[p] = p % nBins;
        }
        CorrelationOptions o = switch (route) {
            case 0 -> CorrelationOptions.defaults();
            case 1 -> CorrelationOptions.defaults().withNormalisation(Normalisation.SYMMETRIC);
            case 2 -> opts(Normalisation.ENSEMBLE, CorrelationAlgorithm.FFT);
            case 3 -> opts(Normalisation.SYMMETRIC, CorrelationAlgorithm.DIRECT).withFactorialLag0(true);
            case 4 -> CorrelationOptions.defaults().withStdErrMethod(StdErrMethod.NONE);
            default -> CorrelationOptions.defaults().withAlgorithm(CorrelationAlgorithm.MULTI_TAU);
        };
        int lags = CorrelationKernel.lagCount(o, frames);
        int reps = CorrelationKernel.replicateCount(o, frames);
        double[][] out = new double[2][];
        double[][] rep = new double[2][];
        int[][] pairs = new int[2][];
        int[][] blank = new int[2][];
        double[][] twoTime = new double[2][];
        for (int k = 0; k < 2; k++) {
            double[] g = new double[nBins * lags];
            double[] se = new double[nBins * lags];
            pairs[k] = new int[nBins * lags];
            blank[k] = new int[nBins];
            rep[k] = new double[nBins * reps * lags];
            CorrelationKernel.Workspace ws = CorrelationKernel.newWorkspace();
            if (k == 0) {
                CorrelationKernel.correlate(s, frames, pixels, bins, nBins, o, ws, g, se, pairs[k], blank[k], rep[k]);
            } else {
                CorrelationKernel.correlate(f, frames, pixels, bins, nBins, o, ws, g, se, pairs[k], blank[k], rep[k]);
            }
            out[k] = java.util.stream.DoubleStream.concat(java.util.Arrays.stream(g), java.util.Arrays.stream(se)).toArray();
            twoTime[k] = new double[frames * frames + frames];
            CorrelationKernel.normalisedTwoTimeSums(ws, -1, twoTime[k], new double[frames]);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(out[0], out[1], "g and its standard errors");
        org.junit.jupiter.api.Assertions.assertArrayEquals(rep[0], rep[1], "replicates");
        org.junit.jupiter.api.Assertions.assertArrayEquals(pairs[0], pairs[1], "pairs");
        org.junit.jupiter.api.Assertions.assertArrayEquals(blank[0], blank[1], "blank frames");
        org.junit.jupiter.api.Assertions.assertArrayEquals(twoTime[0], twoTime[1], "two-time sums");
    }

    static Stream<Arguments> largerCases() {
        return SeededCases.of(0x5EED02L, 12, rng -> new Object[] {
            50 + rng.nextInt(250), 20 + rng.nextInt(100), 1 + rng.nextInt(3), rng.nextInt(3), rng.nextBoolean()});
    }

    @ParameterizedTest(name = "seed {0}: T={1}, P={2}, bins={3}, blanks={4}, symmetric={5}")
    @MethodSource("largerCases")
    void directAndFftAgreeTo1e12(long seed, int frames, int pixels, int nBins, int blanks, boolean symmetric) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] s = TestFields.ar1(rng, frames, pixels, 2 + 30 * rng.nextDouble());
        blankSomeFrames(rng, s, frames, pixels, blanks);
        int[] bins = new int[pixels];
        for (int p = 0; p < pixels; p++) {
            bins[p] = p % nBins;
        }
        Normalisation n = symmetric ? Normalisation.SYMMETRIC : Normalisation.ENSEMBLE;
        Out d = new Out(s, frames, pixels, bins, nBins, opts(n, CorrelationAlgorithm.DIRECT));
        Out f = new Out(s, frames, pixels, bins, nBins, opts(n, CorrelationAlgorithm.FFT));
        assertEquals(CorrelationAlgorithm.FFT, f.used);
        for (int i = 0; i < d.g.length; i++) {
            rounding(frames, i % frames).assertClose(d.g[i], f.g[i], "g[" + i + "]");
            assertEquals(d.pairs[i], f.pairs[i], "pairs[" + i + "]");
            // SEs are differences of replicates ~1e-2·g: the same rounding is amplified ~100×.
            Tolerance.relative(1e-9).because("jackknife differences amplify rounding").assertClose(d.se[i], f.se[i], "se[" + i + "]");
        }
    }

    @ParameterizedTest(name = "seed {0}: T={1}, P={2}, bins={3}, blanks={4}, symmetric={5}")
    @MethodSource("largerCases")
    void jackknifeReplicatesAreTheCurveWithABlockOfFramesBlanked(long seed, int frames, int pixels, int nBins, int blanks,
                                                                 boolean symmetric) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] s = TestFields.ar1(rng, frames, pixels, 2 + 30 * rng.nextDouble());
        blankSomeFrames(rng, s, frames, pixels, blanks);
        int blocks = 10;
        CorrelationOptions o = opts(Normalisation.ENSEMBLE, CorrelationAlgorithm.DIRECT).withJackknifeBlocks(blocks);
        Out full = new Out(s, frames, pixels, o);
        double[][] rep = new double[blocks][];
        boolean[] blockUsable = new boolean[blocks];
        for (int b = 0; b < blocks; b++) {
            double[] c = s.clone();
            for (int t = 0; t < frames; t++) {
                if ((long) t * blocks / frames == b) {
                    blockUsable[b] |= !isBlank(s, t, pixels);
                    java.util.Arrays.fill(c, t * pixels, (t + 1) * pixels, 0);
                }
            }
            rep[b] = new Out(c, frames, pixels, o.withStdErrMethod(StdErrMethod.NONE)).g;
        }
        // The replicates themselves, as the kernel reports them for jackknifed fits.
        assertEquals(blocks, CorrelationKernel.replicateCount(o, frames));
        double[] reps = new double[blocks * frames];
        CorrelationKernel.correlate(s, frames, pixels, new int[pixels], 1, o, CorrelationKernel.newWorkspace(),
            new double[frames], new double[frames], new int[frames], new int[1], reps);
        for (int b = 0; b < blocks; b++) {
            for (int k = 0; k < frames; k++) {
                double expected = blockUsable[b] ? rep[b][k] : Double.NaN;
                Tolerance.relative(1e-9).because("replicate recomputed from a blanked copy")
                    .assertClose(expected, reps[b * frames + k], "replicate " + b + " at lag " + k);
            }
        }
        for (int k = 0; k < frames; k++) {
            double mean = 0;
            int used = 0;
            boolean defined = true;
            for (int b = 0; b < blocks; b++) {
                if (blockUsable[b]) {
                    defined &= !Double.isNaN(rep[b][k]);
                    mean += rep[b][k];
                    used++;
                }
            }
            mean /= used;
            double ss = 0;
            for (int b = 0; b < blocks; b++) {
                if (blockUsable[b]) {
                    ss += (rep[b][k] - mean) * (rep[b][k] - mean);
                }
            }
            double expected = defined && used >= 2 ? Math.sqrt((used - 1) * ss / used) : Double.NaN;
            Tolerance.relative(1e-9).because("replicates recomputed from blanked copies").assertClose(expected, full.se[k], "se(" + k + ")");
        }
    }

    private static boolean isBlank(double[] s, int t, int pixels) {
        double m = 0;
        for (int p = 0; p < pixels; p++) {
            m += s[t * pixels + p];
        }
        return m == 0;
    }

    static Stream<Arguments> invarianceCases() {
        return SeededCases.of(0x5EED03L, 16, rng -> new Object[] {
            10 + rng.nextInt(150), 5 + rng.nextInt(60), rng.nextBoolean() ? CorrelationAlgorithm.DIRECT : CorrelationAlgorithm.FFT});
    }

    @ParameterizedTest(name = "seed {0}: T={1}, P={2}, {3}")
    @MethodSource("invarianceCases")
    void ensembleIsInvariantUnderPerFrameScaling(long seed, int frames, int pixels, CorrelationAlgorithm a) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] s = TestFields.ar1(rng, frames, pixels, 5);
        double[] scaled = s.clone();
        double[] pow2 = s.clone();
        for (int t = 0; t < frames; t++) {
            double f = Math.exp(4 * rng.nextDouble() - 2);
            double f2 = Math.scalb(1.0, rng.nextInt(40) - 20);
            for (int p = 0; p < pixels; p++) {
                scaled[t * pixels + p] *= f;
                pow2[t * pixels + p] *= f2;
            }
        }
        CorrelationOptions o = opts(Normalisation.ENSEMBLE, a);
        Out ref = new Out(s, frames, pixels, o);
        Out sc = new Out(scaled, frames, pixels, o);
        Out p2 = new Out(pow2, frames, pixels, o);
        for (int k = 0; k < frames; k++) {
            rounding(frames, k).assertClose(ref.g[k], sc.g[k], "g(" + k + ") after scaling frames");
            Tolerance.relative(1e-9).assertClose(ref.se[k], sc.se[k], "se(" + k + ") after scaling frames");
            // Scaling by powers of two is exact in binary floating point, so g must not change by a bit.
            assertEquals(ref.g[k], p2.g[k], 0.0, "g(" + k + ") after power-of-two scaling");
            assertEquals(ref.se[k], p2.se[k], 0.0, "se(" + k + ") after power-of-two scaling");
        }
    }

    @ParameterizedTest(name = "seed {0}: T={1}, P={2}, {3}")
    @MethodSource("invarianceCases")
    void symmetricIsInvariantUnderPerPixelScaling(long seed, int frames, int pixels, CorrelationAlgorithm a) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] s = TestFields.ar1(rng, frames, pixels, 5);
        double[] scaled = s.clone();
        for (int p = 0; p < pixels; p++) {
            double f = Math.exp(4 * rng.nextDouble() - 2);
            for (int t = 0; t < frames; t++) {
                scaled[t * pixels + p] *= f;
            }
        }
        CorrelationOptions o = opts(Normalisation.SYMMETRIC, a).withStdErrMethod(StdErrMethod.NONE);
        Out ref = new Out(s, frames, pixels, o);
        Out sc = new Out(scaled, frames, pixels, o);
        for (int k = 0; k < frames; k++) {
            rounding(frames, k).assertClose(ref.g[k], sc.g[k], "g(" + k + ") after scaling pixels");
        }
    }

    @ParameterizedTest(name = "seed {0}: T={1}, P={2}, {3}")
    @MethodSource("invarianceCases")
    void pixelPermutationAndTimeReversalLeaveGUnchanged(long seed, int frames, int pixels, CorrelationAlgorithm a) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        int t10 = frames - frames % 10 + 10; // a multiple of the 10 blocks, so reversal maps blocks onto blocks
        double[] s = TestFields.ar1(rng, t10, pixels, 5);
        int[] perm = org.apache.commons.rng.sampling.PermutationSampler.natural(pixels);
        org.apache.commons.rng.sampling.PermutationSampler.shuffle(rng, perm);
        double[] permuted = new double[s.length];
        double[] reversed = new double[s.length];
        for (int t = 0; t < t10; t++) {
            for (int p = 0; p < pixels; p++) {
                permuted[t * pixels + p] = s[t * pixels + perm[p]];
                reversed[(t10 - 1 - t) * pixels + p] = s[t * pixels + p];
            }
        }
        for (Normalisation n : Normalisation.values()) {
            CorrelationOptions o = opts(n, a);
            Out ref = new Out(s, t10, pixels, o);
            Out pe = new Out(permuted, t10, pixels, o);
            Out re = new Out(reversed, t10, pixels, o);
            for (int k = 0; k < t10; k++) {
                rounding(t10, k).assertClose(ref.g[k], pe.g[k], n + " g(" + k + ") after permuting pixels");
                rounding(t10, k).assertClose(ref.g[k], re.g[k], n + " g(" + k + ") after reversing time");
                Tolerance.relative(1e-9).assertClose(ref.se[k], pe.se[k], n + " se(" + k + ") after permuting pixels");
                Tolerance.relative(1e-9).assertClose(ref.se[k], re.se[k], n + " se(" + k + ") after reversing time");
            }
        }
    }

    @ParameterizedTest(name = "seed {0}: T={1}, P={2}, {3}")
    @MethodSource("invarianceCases")
    void constantFieldGivesGEqualToOne(long seed, int frames, int pixels, CorrelationAlgorithm a) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double c = Math.exp(10 * rng.nextDouble() - 5);
        double[] s = new double[frames * pixels];
        java.util.Arrays.fill(s, c);
        for (Normalisation n : Normalisation.values()) {
            Out o = new Out(s, frames, pixels, opts(n, a));
            for (int k = 0; k < frames; k++) {
                Tolerance.absolute(1e-13).because("1 up to FFT rounding").assertClose(1, o.g[k], n + " g(" + k + ")");
                assertEquals(frames - k, o.pairs[k]);
                if (!Double.isNaN(o.se[k])) {
                    Tolerance.absolute(1e-13).assertClose(0, o.se[k], n + " se(" + k + ")");
                }
            }
            assertEquals(0, o.blank[0]);
        }
    }

    @Test
    void blankFramesAreExcludedAndCountedNeverDividedBy() {
        UniformRandomProvider rng = SeededCases.rng(11);
        int frames = 40;
        int pixels = 12;
        double[] s = TestFields.ar1(rng, frames, pixels, 6);
        int[] blankAt = {0, 7, 8, 39};
        for (int t : blankAt) {
            java.util.Arrays.fill(s, t * pixels, (t + 1) * pixels, 0);
        }
        for (CorrelationAlgorithm a : new CorrelationAlgorithm[] {CorrelationAlgorithm.DIRECT, CorrelationAlgorithm.FFT}) {
            for (Normalisation n : Normalisation.values()) {
                Out o = new Out(s, frames, pixels, opts(n, a));
                assertEquals(blankAt.length, o.blank[0]);
                assertEquals(frames - blankAt.length, o.pairs[0], "lag 0 pairs are the usable frames");
                // Lag 39 joins frames 0 and 39, both blank; lag 1 loses (0,1), (6,7), (7,8), (8,9), (38,39).
                assertEquals(0, o.pairs[39]);
                assertEquals(frames - 1 - 5, o.pairs[1]);
                assertTrue(Double.isNaN(o.g[39]), "no pair at lag 39 gives NaN");
                // Lag 38 joins (0, 38) and (1, 39): each holds a blank frame.
                assertEquals(0, o.pairs[38]);
                for (int k = 0; k < 38; k++) {
                    assertTrue(Double.isFinite(o.g[k]), n + " " + a + " g(" + k + ") finite: " + o.g[k]);
                }
            }
        }
    }

    @Test
    void aBinWithOnlyBlankFramesIsNaNAndTheOtherBinIsUnaffected() {
        UniformRandomProvider rng = SeededCases.rng(12);
        int frames = 30;
        int pixels = 10;
        double[] s = TestFields.ar1(rng, frames, pixels, 6);
        int[] bins = new int[pixels];
        for (int p = 5; p < pixels; p++) {
            bins[p] = 1;
            for (int t = 0; t < frames; t++) {
                s[t * pixels + p] = 0;
            }
        }
        Out o = new Out(s, frames, pixels, bins, 2, CorrelationOptions.defaults());
        assertEquals(0, o.blank[0]);
        assertEquals(frames, o.blank[1]);
        for (int k = 0; k < frames; k++) {
            assertTrue(Double.isFinite(o.g[k]));
            assertTrue(Double.isNaN(o.g[frames + k]));
            assertEquals(0, o.pairs[frames + k]);
        }
    }

    @Test
    void nonFiniteIntensityMakesItsBinNaNWithEitherAlgorithm() {
        int frames = 20;
        int pixels = 4;
        double[] s = TestFields.ar1(SeededCases.rng(13), frames, pixels, 3);
        s[5 * pixels + 2] = Double.NaN;
        double[] finite = s.clone();
        finite[5 * pixels + 2] = 1;
        for (CorrelationAlgorithm a : CorrelationAlgorithm.values()) {
            CorrelationOptions options = CorrelationOptions.defaults().withAlgorithm(a)
                .withStdErrMethod(a == CorrelationAlgorithm.FFT ? StdErrMethod.FRAME_BLOCK_JACKKNIFE
                    : StdErrMethod.PIXEL_GROUP_JACKKNIFE);
            Out o = new Out(s, frames, pixels, options);
            Out reference = new Out(finite, frames, pixels, options);
            for (int k = 0; k < CorrelationKernel.lagCount(options, frames); k++) {
                assertTrue(Double.isNaN(o.g[k]) && Double.isNaN(o.se[k]), a + " lag " + k);
                assertEquals(reference.pairs[k], o.pairs[k], a + " pairs at lag " + k);
                assertTrue(o.pairs[k] > 0, a + " pairs at lag " + k);
            }
        }
    }

    @Test
    void factorialLag0SubtractsTheShotNoiseTerm() {
        // Counts with mean m per pixel: G(t,t) − G_factorial(t,t) = 1/⟨N(t)⟩φ exactly, per frame.
        UniformRandomProvider rng = SeededCases.rng(14);
        int frames = 25;
        int pixels = 40;
        double[] s = TestFields.poisson(rng, TestFields.ar1(rng, frames, pixels, 4), 2);
        double expectedShift = 0;
        for (int t = 0; t < frames; t++) {
            double m = 0;
            for (int p = 0; p < pixels; p++) {
                m += s[t * pixels + p] / pixels;
            }
            expectedShift += 1 / m / frames;
        }
        for (CorrelationAlgorithm a : new CorrelationAlgorithm[] {CorrelationAlgorithm.DIRECT, CorrelationAlgorithm.FFT}) {
            Out raw = new Out(s, frames, pixels, opts(Normalisation.ENSEMBLE, a));
            Out fac = new Out(s, frames, pixels, opts(Normalisation.ENSEMBLE, a).withFactorialLag0(true));
            Tolerance.absolute(1e-12).assertClose(expectedShift, raw.g[0] - fac.g[0], a + " lag-0 shift");
            for (int k = 1; k < frames; k++) {
                assertEquals(raw.g[k], fac.g[k], 0.0, "lags > 0 are untouched");
            }
        }
    }

    @Test
    void factorialLag0RemovesShotNoiseFromUncorrelatedCounts() {
        // Poisson counts of a flat, static intensity μ: given each frame's total M, counts are
        // multinomial, so E[G(t,t)] = 1 + (P−1)/M raw and 1 − 1/M factorial-corrected (exact).
        UniformRandomProvider rng = SeededCases.rng(15);
        int frames = 400;
        int pixels = 50;
        double mu = 0.4;
        double[] flat = new double[frames * pixels];
        java.util.Arrays.fill(flat, 1);
        double[] s = TestFields.poisson(rng, flat, mu);
        double expRaw = 0;
        double expFac = 0;
        for (int t = 0; t < frames; t++) {
            double m = 0;
            for (int p = 0; p < pixels; p++) {
                m += s[t * pixels + p];
            }
            expRaw += (1 + (pixels - 1) / m) / frames;
            expFac += (1 - 1 / m) / frames;
        }
        Out raw = new Out(s, frames, pixels, CorrelationOptions.defaults());
        Out fac = new Out(s, frames, pixels, CorrelationOptions.defaults().withFactorialLag0(true));
        // The jackknife SE of g(0) is the standard error of this mean; 4.5 σ: false failure ≈ 7e-6 each.
        Tolerance.sigmas(4.5, raw.se[0]).because("jackknife SE; false failure 7e-6").assertClose(expRaw, raw.g[0], "raw g(0)");
        Tolerance.sigmas(4.5, fac.se[0]).because("jackknife SE; false failure 7e-6").assertClose(expFac, fac.g[0], "factorial g(0)");
        assertTrue(raw.g[0] > 1.5, "shot noise dominates raw g(0) at 0.4 counts per pixel: " + raw.g[0]);
    }

    @Test
    void ensembleIsUnbiasedAtLowCountsWhereSymmetricIsNot() {
        // Uncorrelated Poisson counts (μ = 0.05 per pixel and frame) of a static, flat intensity.
        // Given the frame totals the counts are multinomial, so every ensemble G(t1 ≠ t2) has
        // expectation exactly 1. The symmetric normalisation divides each pixel's sum by its own
        // window sums A, C of ~n·μ counts; for overlapping windows (k < T/2) the same counts sit in
        // numerator and denominators, and pixels with A·C = 0 are dropped: g(k) is biased at low
        // counts (here downwards at short lags: a lone count lands in A and C but never in N).
        int frames = 60;
        int pixels = 200;
        int reps = 30;
        double[] flat = new double[frames * pixels];
        java.util.Arrays.fill(flat, 1);
        double[] ens = new double[reps];
        double[] sym = new double[reps];
        UniformRandomProvider rng = SeededCases.rng(16);
        for (int r = 0; r < reps; r++) {
            double[] s = TestFields.poisson(rng, flat, 0.05);
            Out e = new Out(s, frames, pixels, CorrelationOptions.defaults().withStdErrMethod(StdErrMethod.NONE));
            Out y = new Out(s, frames, pixels, CorrelationOptions.defaults().withStdErrMethod(StdErrMethod.NONE)
                .withNormalisation(Normalisation.SYMMETRIC));
            for (int k = 1; k <= 5; k++) {
                ens[r] += (e.g[k] - 1) / 5;
                sym[r] += (y.g[k] - 1) / 5;
            }
        }
        double me = mean(ens);
        double ms = mean(sym);
        double see = Math.sqrt(variance(ens) / reps);
        double ses = Math.sqrt(variance(sym) / reps);
        // Independent realisations: the mean of 30 has standard error sd/√30 (t with 29 df ≈ normal
        // here); 4.5 σ: false failure ≈ 1e-4 with t(29) tails.
        Tolerance.sigmas(4.5, see).because("mean of 30 independent realisations").assertClose(0, me, "ensemble mean g(1..5) − 1");
        assertTrue(Math.abs(ms) > 10 * Math.max(ses, see), "symmetric biased at low counts: " + ms + " ± " + ses);
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }

    private static double variance(double[] a) {
        double m = mean(a);
        double s = 0;
        for (double v : a) {
            s += (v - m) * (v - m);
        }
        return s / (a.length - 1);
    }

    @Test
    void ensembleAndSymmetricDifferAsDocumented() {
        UniformRandomProvider rng = SeededCases.rng(17);
        int frames = 80;
        int pixels = 60;
        double[] s = TestFields.ar1(rng, frames, pixels, 4);
        // (1) Per-frame dose changes: ensemble unchanged, symmetric gains the dose variance.
        double[] dosed = s.clone();
        for (int t = 0; t < frames; t++) {
            double f = t % 2 == 0 ? 0.5 : 1.5;
            for (int p = 0; p < pixels; p++) {
                dosed[t * pixels + p] *= f;
            }
        }
        CorrelationOptions ens = CorrelationOptions.defaults();
        CorrelationOptions sym = ens.withNormalisation(Normalisation.SYMMETRIC);
        Out e0 = new Out(s, frames, pixels, ens);
        Out e1 = new Out(dosed, frames, pixels, ens);
        Out s1 = new Out(dosed, frames, pixels, sym);
        ROUNDING.assertClose(e0.g[2], e1.g[2], "ensemble ignores dose");
        // Even lags pair equal doses (factor 1.25/1.0 on average²), odd lags unequal (0.75/1.0).
        assertTrue(s1.g[2] - e1.g[2] > 0.1 && s1.g[1] < e1.g[1], "symmetric sees dose: " + s1.g[1] + " " + s1.g[2]);
        // (2) A static, uneven mean pattern over the annulus: symmetric unchanged (per-pixel
        // normalisation), ensemble baseline rises by the pattern's relative variance.
        double[] uneven = s.clone();
        double[] w = new double[pixels];
        double mw = 0;
        double mw2 = 0;
        for (int p = 0; p < pixels; p++) {
            w[p] = p % 2 == 0 ? 1 : 3;
            mw += w[p] / pixels;
            mw2 += w[p] * w[p] / pixels;
        }
        for (int t = 0; t < frames; t++) {
            for (int p = 0; p < pixels; p++) {
                uneven[t * pixels + p] *= w[p];
            }
        }
        Out s0 = new Out(s, frames, pixels, sym);
        Out s2 = new Out(uneven, frames, pixels, sym);
        Out e2 = new Out(uneven, frames, pixels, ens);
        ROUNDING.assertClose(s0.g[30], s2.g[30], "symmetric ignores a static pattern");
        double rel = mw2 / (mw * mw);
        assertTrue(e2.g[30] > rel * 0.85 && e2.g[30] < rel * 1.15, "ensemble baseline ≈ ⟨w²⟩/⟨w⟩² = " + rel + ": " + e2.g[30]);
    }

    @Test
    void autoChoosesByTheCostModel() {
        CorrelationOptions o = CorrelationOptions.defaults().withStdErrMethod(StdErrMethod.FRAME_BLOCK_JACKKNIFE);
        assertEquals(CorrelationAlgorithm.DIRECT, CorrelationKernel.resolve(o, 50, 300));
        assertEquals(CorrelationAlgorithm.FFT, CorrelationKernel.resolve(o, 4000, 300));
        assertEquals(CorrelationAlgorithm.FFT, CorrelationKernel.resolve(o.withStdErrMethod(StdErrMethod.NONE), 500, 300));
        assertEquals(CorrelationAlgorithm.DIRECT, CorrelationKernel.resolve(o.withAlgorithm(CorrelationAlgorithm.DIRECT), 4000, 300));
        assertThrows(IllegalArgumentException.class,
            () -> CorrelationKernel.costNanos(CorrelationAlgorithm.AUTO, o, 10, 10));
    }

    @Test
    void argumentsAreChecked() {
        CorrelationKernel.Workspace ws = CorrelationKernel.newWorkspace();
        double[] g = new double[10];
        int[] pairs = new int[10];
        int[] blank = new int[1];
        CorrelationOptions o = CorrelationOptions.defaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CorrelationKernel.correlate(new double[19], 10, 2, new int[2], 1, o, ws, g, g.clone(), pairs, blank));
        assertEquals("series has length 19, needs at least 20", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> CorrelationKernel.correlate(new double[20], 10, 2, new int[] {0, 2}, 2, o, ws, new double[20],
                new double[20], new int[20], new int[2]));
        assertEquals("binOfPixel[1] is outside [0, 2): 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> CorrelationKernel.correlate(new double[20], 10, 2, new int[] {0, 0}, 2, o, ws, new double[20],
                new double[20], new int[20], new int[2]));
        assertEquals("Q bin 1 holds no pixel", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> o.withJackknifeBlocks(1));
        assertEquals("jackknifeBlocks is outside [2, 1000]: 1", e.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> CorrelationKernel.correlate(new double[0], 0, 2, new int[2], 1, o, ws, g, g, pairs, blank));
    }

    @Test
    void singleFrameGivesLagZeroOnly() {
        Out o = new Out(new double[] {1, 2, 3}, 1, 3, CorrelationOptions.defaults()
            .withStdErrMethod(StdErrMethod.FRAME_BLOCK_JACKKNIFE));
        Tolerance.relative(1e-15).assertClose((1 + 4 + 9) / 3.0 / 4.0, o.g[0], "g(0) = ⟨I²⟩/⟨I⟩²");
        assertTrue(Double.isNaN(o.se[0]), "one frame: no frame-block jackknife");
        // Pixel groups {1}, {2}, {3}: replicates (4+9)/2/2.5², (1+9)/2/2², (1+4)/2/1.5².
        Out p = new Out(new double[] {1, 2, 3}, 1, 3, CorrelationOptions.defaults());
        double[] rep = {6.5 / 6.25, 5 / 4.0, 2.5 / 2.25};
        double mean = (rep[0] + rep[1] + rep[2]) / 3;
        double ss = 0;
        for (double r : rep) {
            ss += (r - mean) * (r - mean);
        }
        Tolerance.relative(1e-14).assertClose(Math.sqrt(2 * ss / 3), p.se[0], "one frame: pixel-group jackknife");
    }
}
