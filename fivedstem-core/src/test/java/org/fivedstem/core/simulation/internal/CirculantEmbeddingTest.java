/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CirculantEmbeddingTest {

    static Stream<Arguments> convexCases() {
        return SeededCases.of(0xC1C1L, 40, rng -> new Object[] {
            2 + rng.nextInt(300), Math.exp(rng.nextDouble(Math.log(0.2), Math.log(5000))), rng.nextDouble(0.1, 1.0)});
    }

    /** For γ ≤ 1 the KWW correlation is convex and decreasing: the minimal embedding is exact. */
    @ParameterizedTest(name = "seed {0}: T={1}, tau={2} frames, gamma={3}")
    @MethodSource("convexCases")
    void stretchedCorrelationEmbedsWithoutClipping(long seed, int frames, double tauFrames, double gamma) {
        CirculantEmbedding e = CirculantEmbedding.of(frames, k -> Math.exp(-Math.pow(k / tauFrames, gamma)));
        assertEquals(CirculantEmbedding.startLength(frames), e.length(), "no enlargement needed: " + e);
        assertEquals(0, e.clippedEigenvalues(), "no negative eigenvalue: " + e);
        assertEquals(0, e.maxCovarianceError());
    }

    static Stream<Arguments> anyCases() {
        return SeededCases.of(0xC1C2L, 40, rng -> new Object[] {
            2 + rng.nextInt(200), Math.exp(rng.nextDouble(Math.log(0.2), Math.log(2000))), rng.nextDouble(0.1, 2.0)});
    }

    /** The reported error is the true distance between the realised and target covariance. */
    @ParameterizedTest(name = "seed {0}: T={1}, tau={2} frames, gamma={3}")
    @MethodSource("anyCases")
    void reportedErrorIsTheRealisedCovarianceError(long seed, int frames, double tauFrames, double gamma) {
        CirculantEmbedding e = CirculantEmbedding.of(frames, k -> Math.exp(-Math.pow(k / tauFrames, gamma)));
        // Realised covariance from the amplitudes: c(k) = Σ_j a_j² e^{2πijk/n}, computed naively.
        int n = e.length();
        double[] a2 = amplitudesSquared(e);
        double err = 0;
        for (int k = 0; k < frames; k++) {
            double c = 0;
            for (int j = 0; j < n; j++) {
                c += a2[j] * Math.cos(2 * Math.PI * j * (double) k / n);
            }
            err = Math.max(err, Math.abs(c - Math.exp(-Math.pow(k / tauFrames, gamma))));
        }
        // The naive sum has rounding of order n·1e-16.
        Tolerance.absolute(1e-12 * n).because("naive DFT rounding").assertClose(e.maxCovarianceError(), err,
            "max covariance error of " + e);
        assertTrue(e.length() >= 2 * (frames - 1));
    }

    private static double[] amplitudesSquared(CirculantEmbedding e) {
        // Draw with unit "Gaussians" in one bin at a time would need the private amplitudes; instead
        // recover them through sample(): feed a sampler that returns 1 for bin j's real part only.
        int n = e.length();
        double[] out = new double[n];
        DoubleFFT_1D fft = new DoubleFFT_1D(n);
        double[] buf = new double[2 * n];
        double[] re = new double[e.frames()];
        double[] im = new double[e.frames()];
        for (int j = 0; j < n; j++) {
            int target = 2 * j;
            int[] counter = {0};
            NormalizedGaussianSampler unit = () -> counter[0]++ == target ? 1 : 0;
            e.sample(unit, fft, buf, re, im, 0, 1);
            // E_0 = a_j·√½ (the DFT at k = 0 of a single bin), so a_j² = 2·E_0².
            out[j] = 2 * re[0] * re[0];
        }
        return out;
    }

    static Stream<Arguments> samplingCases() {
        return SeededCases.of(0xC1C3L, 12, rng -> new Object[] {
            new double[] {0.5, 0.8, 1.0, 1.3, 1.7, 2.0}[rng.nextInt(6)], rng.nextDouble(2, 12)});
    }

    /**
     * The realised correlation of many independent series matches exp(−(k/τ)^γ) at several lags,
     * and the pseudo-covariance E[E_0 E_k] is zero (circular field).
     */
    @ParameterizedTest(name = "seed {0}: gamma={1}, tau={2} frames")
    @MethodSource("samplingCases")
    void realisedCorrelationMatches(long seed, double gamma, double tauFrames) {
        int frames = 24;
        CirculantEmbedding e = CirculantEmbedding.of(frames, k -> Math.exp(-Math.pow(k / tauFrames, gamma)));
        UniformRandomProvider rng = SeededCases.rng(seed);
        NormalizedGaussianSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
        DoubleFFT_1D fft = new DoubleFFT_1D(e.length());
        double[] buf = new double[2 * e.length()];
        RealisedCorrelation.assertMatches(frames, tauFrames, gamma, (re, im) -> e.sample(g, fft, buf, re, im, 0, 1));
    }

    @Test
    void compressedSlowCorrelationNeedsEnlargementOrClipping() {
        // γ = 1.8 with τ = 3 × the series length: the minimal embedding has negative eigenvalues.
        int frames = 106;
        CirculantEmbedding minimal = CirculantEmbedding.of(frames, k -> Math.exp(-Math.pow(k / 318.0, 1.8)));
        assertTrue(minimal.length() > CirculantEmbedding.startLength(frames) || minimal.clippedEigenvalues() > 0,
            "the embedding was enlarged or clipped: " + minimal);
        assertTrue(minimal.toString().contains("length"), minimal.toString());
    }
}
