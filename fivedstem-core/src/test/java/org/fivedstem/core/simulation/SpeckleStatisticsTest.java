/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.Normalisation;
import org.fivedstem.api.QRange;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sample moments of simulated recordings against the model's analytic values.
 *
 * <p>Every scan position has its own random stream, so positions are independent replicates: each
 * test computes one estimate per position, and the tolerance is 4.5 standard errors of the mean of
 * the {@value #SIDE}² = 64 replicates, the standard error taken from their spread. With 63 degrees
 * of freedom, P(|t| &gt; 4.5) ≈ 3e-5: the false-failure probability designed for per assertion.
 */
class SpeckleStatisticsTest {

    static final int SIDE = 8;
    static final double K = 4.5;
    static final String WHY = "64 independent positions, Student t(63); false failure 3e-5";

    /** A small simulation with flat halo, no beam stop, noise-free, and constant maps. */
    static SpeckleSimulation.Builder small(int frames, int k, double tauFrames, double beta, double gamma) {
        double[] tau = new double[SIDE * SIDE];
        double[] b = new double[SIDE * SIDE];
        double[] g = new double[SIDE * SIDE];
        Arrays.fill(tau, tauFrames * 9.2);
        Arrays.fill(b, beta);
        Arrays.fill(g, gamma);
        return SpeckleSimulation.builder().scan(SIDE, SIDE).frames(frames).patternSize(k, k)
            .frameIntervalSeconds(9.2).temperatureKelvin(Double.NaN)
            .beamStopRadiusInverseNm(0).halo(HaloProfile.flat()).dose(0).maps(tau, b, g);
    }

    /** One estimate per position, from its full time series (layout [t·P + p]). */
    static double[] perPosition(SpeckleSimulation sim, ToDoubleFunction<double[]> estimate) throws IOException {
        double[] out = new double[sim.shape().positionCount()];
        int sx = sim.shape().scanX();
        sim.forEachPosition(2, (y, x, frames) -> out[y * sx + x] = estimate.applyAsDouble(frames));
        return out;
    }

    /** Several estimates per position from one generation: result[estimate][position]. */
    static double[][] perPosition(SpeckleSimulation sim, int count, java.util.function.Function<double[], double[]> estimates)
        throws IOException {
        double[][] out = new double[count][sim.shape().positionCount()];
        int sx = sim.shape().scanX();
        sim.forEachPosition(2, (y, x, frames) -> {
            double[] e = estimates.apply(frames);
            for (int i = 0; i < count; i++) {
                out[i][y * sx + x] = e[i];
            }
        });
        return out;
    }

    static void assertMean(double expected, double[] replicates, String what) {
        Tolerance.sigmas(K, Replicates.standardError(replicates)).because(WHY).assertClose(expected, Replicates.mean(replicates), what);
    }

    // ------------------------------------------------------------------ intensity mean and contrast

    static Stream<Arguments> contrastCases() {
        return SeededCases.of(0x51A7L, 24, rng -> new Object[] {
            rng.nextDouble(0.05, 1.0), new double[] {1, 0.6, 1.5}[rng.nextInt(3)], rng.nextDouble(1, 8),
            rng.nextBoolean() ? 0.0 : rng.nextDouble(0, 0.6), rng.nextInt(3) == 0 ? 1.3 : 0.0});
    }

    /**
     * Noise-free, flat halo: E[S] = 1 and Var S = E[(S − 1)²] = β = Σw² at every pixel and frame,
     * with or without static fraction and speckle grain (the grain filter keeps unit variance).
     */
    @ParameterizedTest(name = "seed {0}: beta={1}, gamma={2}, tau={3} frames, static={4}, grain={5}")
    @MethodSource("contrastCases")
    void intensityMeanIsOneAndContrastIsBeta(long seed, double beta, double gamma, double tauFrames,
                                             double staticFraction, double grain) throws IOException {
        SpeckleSimulation sim = small(24, 16, tauFrames, beta, gamma).staticFraction(staticFraction)
            .speckleGrainPx(grain).seed(seed).build();
        assertMean(1, perPosition(sim, Replicates::mean), "intensity mean");
        assertMean(beta, perPosition(sim, f -> {
            double s = 0;
            for (double v : f) {
                s += (v - 1) * (v - 1);
            }
            return s / f.length;
        }), "speckle contrast E[(S−1)²]");
    }

    // ------------------------------------------------------------------ temporal correlation

    static Stream<Arguments> correlationCases() {
        return SeededCases.of(0xC022L, 24, rng -> new Object[] {
            new double[] {1, 1, 0.5, 0.8, 1.5, 2}[rng.nextInt(6)], rng.nextDouble(1.5, 10), rng.nextDouble(0.1, 1.0),
            rng.nextInt(3) == 0 ? 0.25 : 0.0});
    }

    /**
     * The field's temporal correlation through the intensity (Siegert):
     * E[S(t)S(t+k)] − 1 = β·ρ(k)², ρ(k) = f + (1 − f)·exp(−(k/τ)^γ), at lags 1, 2, 5, 10 frames,
     * for the AR(1) path (γ = 1) and the circulant path (γ ≠ 1).
     */
    @ParameterizedTest(name = "seed {0}: gamma={1}, tau={2} frames, beta={3}, static={4}")
    @MethodSource("correlationCases")
    void intensityCorrelationFollowsTheFieldCorrelation(long seed, double gamma, double tauFrames, double beta,
                                                        double staticFraction) throws IOException {
        int frames = 32;
        SpeckleSimulation sim = small(frames, 12, tauFrames, beta, gamma).staticFraction(staticFraction).seed(seed).build();
        int p = sim.shape().patternSize();
        int[] lags = {1, 2, 5, 10};
        double[][] est = perPosition(sim, lags.length, f -> {
            double[] r = new double[lags.length];
            for (int l = 0; l < lags.length; l++) {
                int lag = lags[l];
                double s = 0;
                for (int t = 0; t + lag < frames; t++) {
                    for (int i = 0; i < p; i++) {
                        s += f[t * p + i] * f[(t + lag) * p + i];
                    }
                }
                r[l] = s / ((frames - lag) * p) - 1;
            }
            return r;
        });
        for (int l = 0; l < lags.length; l++) {
            int lag = lags[l];
            double rho = sim.fieldCorrelation(0, 0, lag * 9.2);
            Tolerance.absolute(1e-12).assertClose(staticFraction + (1 - staticFraction) * Math.exp(-Math.pow(lag / tauFrames, gamma)),
                rho, "field correlation formula");
            assertMean(beta * rho * rho, est[l], "E[S(t)S(t+" + lag + ")] − 1");
        }
    }

    // ------------------------------------------------------------------ V and g against the expectations

    static Stream<Arguments> varianceCases() {
        return SeededCases.of(0x7A12L, 20, rng -> new Object[] {
            rng.nextDouble(0.08, 0.6), rng.nextBoolean() ? 0.0 : Math.exp(rng.nextDouble(Math.log(0.5), Math.log(50))),
            1 + rng.nextInt(3)});
    }

    /** A halo ring and beam stop so that κ &gt; 1; the annulus excludes the shadow. */
    static SpeckleSimulation ringSimulation(long seed, double beta, double dose, int gain, double gamma) {
        return small(20, 24, 3, beta, gamma).pixelSizeInverseNm(0.4).beamStopRadiusInverseNm(1.0)
            .halo(HaloProfile.gaussianRing(3.0, 0.8, 0.2)).dose(dose).gainAduPerElectron(gain).seed(seed).build();
    }

    static AnnulusMask annulus(SpeckleSimulation sim) {
        return AnnulusMask.of(sim.dataset(), QRange.of(1.6, 4.4));
    }

    /**
     * V of eq. 5, per frame over the annulus then averaged over frames, against
     * {@link SpeckleSimulation#expectedSpeckleVariance} (κ(1+β) − 1, Poisson term, 1/N correction).
     */
    @ParameterizedTest(name = "seed {0}: beta={1}, dose={2}, gain={3}")
    @MethodSource("varianceCases")
    void speckleVarianceMatchesExpectation(long seed, double beta, double dose, int gain) throws IOException {
        SpeckleSimulation sim = ringSimulation(seed, beta, dose, gain, 1);
        AnnulusMask ann = annulus(sim);
        int[] px = ann.pixelIndices();
        int p = sim.shape().patternSize();
        int frames = sim.shape().frames();
        double[] v = perPosition(sim, f -> {
            double sum = 0;
            for (int t = 0; t < frames; t++) {
                double s1 = 0;
                double s2 = 0;
                for (int i : px) {
                    double x = f[t * p + i];
                    s1 += x;
                    s2 += x * x;
                }
                s1 /= px.length;
                s2 /= px.length;
                sum += s2 / (s1 * s1) - 1;
            }
            return sum / frames;
        });
        double expected = sim.expectedSpeckleVariance(0, 0, ann);
        assertMean(expected, v, "V");
        double kappa = sim.kappa(ann);
        assertTrue(kappa > 1.01, "the ring makes κ > 1: " + kappa);
        if (dose == 0) {
            // Leading order κ(1+β) − 1; the 1/N correction is small against it.
            Tolerance.relative(0.1).assertClose(kappa * (1 + beta) - 1, expected, "leading order of V");
        }
    }

    static Stream<Arguments> ensembleCases() {
        return SeededCases.of(0x6E5EL, 16, rng -> new Object[] {
            rng.nextDouble(0.1, 0.6), rng.nextBoolean() ? 0.0 : rng.nextDouble(1, 30), new double[] {1, 0.7, 1.4}[rng.nextInt(3)]});
    }

    /** The paper's ensemble-normalised g(t) (eqs. 1–2) against the expected curve at lags 0, 1, 3, 8. */
    @ParameterizedTest(name = "seed {0}: beta={1}, dose={2}, gamma={3}")
    @MethodSource("ensembleCases")
    void ensembleCorrelationMatchesExpectation(long seed, double beta, double dose, double gamma) throws IOException {
        SpeckleSimulation sim = ringSimulation(seed, beta, dose, 1, gamma);
        AnnulusMask ann = annulus(sim);
        int[] px = ann.pixelIndices();
        int p = sim.shape().patternSize();
        int frames = sim.shape().frames();
        CorrelationCurve expected = sim.expectedCorrelation(0, 0, ann, Normalisation.ENSEMBLE);
        int[] lags = {0, 1, 3, 8};
        double[][] g = perPosition(sim, lags.length, f -> {
            double[] r = new double[lags.length];
            for (int l = 0; l < lags.length; l++) {
                int lag = lags[l];
                double sum = 0;
                for (int t = 0; t + lag < frames; t++) {
                    double a = 0;
                    double m1 = 0;
                    double m2 = 0;
                    for (int i : px) {
                        double x1 = f[t * p + i];
                        double x2 = f[(t + lag) * p + i];
                        a += x1 * x2;
                        m1 += x1;
                        m2 += x2;
                    }
                    sum += a * px.length / (m1 * m2);
                }
                r[l] = sum / (frames - lag);
            }
            return r;
        });
        for (int l = 0; l < lags.length; l++) {
            assertMean(expected.g(lags[l]), g[l], "ensemble g at lag " + lags[l]);
        }
        // Leading order for t > 0: (κ − 1) + κβρ² + 1.
        double kappa = sim.kappa(ann);
        double rho = sim.fieldCorrelation(0, 0, 3 * 9.2);
        Tolerance.relative(0.02).assertClose(kappa * (1 + beta * rho * rho), expected.g(3), "leading order of g(3)");
    }

    // ------------------------------------------------------------------ counting

    static Stream<Arguments> poissonCases() {
        return SeededCases.of(0x9015L, 20, rng -> new Object[] {
            Math.exp(rng.nextDouble(Math.log(0.3), Math.log(60))), rng.nextDouble(0.1, 1.0), 1 + rng.nextInt(3)});
    }

    /**
     * Counts at a flat halo: mean G·D and variance G²(D + D²β) (Poisson given the speckle
     * intensity D·S, plus the speckle variance D²β).
     */
    @ParameterizedTest(name = "seed {0}: dose={1}, beta={2}, gain={3}")
    @MethodSource("poissonCases")
    void countsHavePoissonPlusSpeckleVariance(long seed, double dose, double beta, int gain) throws IOException {
        SpeckleSimulation sim = small(16, 12, 4, beta, 1).dose(dose).gainAduPerElectron(gain).seed(seed).build();
        double mu = gain * dose;
        assertMean(mu, perPosition(sim, Replicates::mean), "count mean");
        assertMean(gain * gain * (dose + dose * dose * beta), perPosition(sim, f -> {
            double s = 0;
            for (double v : f) {
                assertTrue(v == Math.rint(v) && v >= 0 && v <= 65535, "integer ADU in the uint16 range");
                s += (v - mu) * (v - mu);
            }
            return s / f.length;
        }), "count variance");
    }

    static Stream<Arguments> smallAnnulusCases() {
        return SeededCases.of(0xF1C0L, 8, rng -> new Object[] {rng.nextDouble(0.5, 1.0), rng.nextBoolean() ? 0.0 : 5.0});
    }

    /**
     * On a small annulus (60 pixels) the 1/N correction of the ratio of averages is about ten
     * standard errors large: the realised V follows the corrected expectation, and the test is
     * checked to be sensitive enough to tell it from the leading order (|corrected − leading| > 9 SE).
     */
    @ParameterizedTest(name = "seed {0}: beta={1}, dose={2}")
    @MethodSource("smallAnnulusCases")
    void finitePixelCorrectionIsResolved(long seed, double beta, double dose) throws IOException {
        SpeckleSimulation sim = small(128, 16, 0.3, beta, 1).pixelSizeInverseNm(0.4)
            .halo(HaloProfile.gaussianRing(2.0, 0.5, 0.2)).dose(dose).seed(seed).build();
        AnnulusMask ann = AnnulusMask.of(sim.dataset(), QRange.of(1.6, 2.4));
        int[] px = ann.pixelIndices();
        int p = sim.shape().patternSize();
        int frames = sim.shape().frames();
        double[] v = perPosition(sim, f -> {
            double sum = 0;
            for (int t = 0; t < frames; t++) {
                double s1 = 0;
                double s2 = 0;
                for (int i : px) {
                    s1 += f[t * p + i];
                    s2 += f[t * p + i] * f[t * p + i];
                }
                sum += s2 * px.length / (s1 * s1) - 1;
            }
            return sum / frames;
        });
        double corrected = sim.expectedSpeckleVariance(0, 0, ann);
        double kappa = sim.kappa(ann);
        double meanH = 0;
        for (int i : px) {
            meanH += sim.haloValues()[i];
        }
        meanH /= px.length;
        double leading = kappa * (1 + beta) - 1 + (dose > 0 ? 1 / (dose * meanH) : 0);
        assertTrue(Math.abs(corrected - leading) > 2 * K * Replicates.standardError(v),
            "the test resolves the 1/N correction: corrected " + corrected + ", leading " + leading
                + ", SE " + Replicates.standardError(v) + ", " + px.length + " pixels");
        assertMean(corrected, v, "V on " + px.length + " pixels");
    }
}
