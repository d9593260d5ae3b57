/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.KwwFit;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KwwFitterTest {

    static double[] lags(int frames, double dt) {
        double[] l = new double[frames];
        for (int k = 0; k < frames; k++) {
            l[k] = k * dt;
        }
        return l;
    }

    static double[] kww(double[] lags, double beta, double tau, double gamma, double c) {
        double[] g = new double[lags.length];
        for (int k = 0; k < g.length; k++) {
            g[k] = 1 + c + beta * Math.exp(-2 * Math.pow(lags[k] / tau, gamma));
        }
        return g;
    }

    static Stream<Arguments> noiseFree() {
        return SeededCases.of(0xF17L, 60, rng -> new Object[] {
            rng.nextDouble(0.05, 1.0),                 // β
            rng.nextDouble(2, 30),                     // τ in frames
            rng.nextDouble(0.4, 2.5),                  // γ
            50 + rng.nextInt(250),                     // T
            rng.nextDouble(0.5, 10),                   // frame interval in s
            rng.nextInt(3),                            // 0: γ free, 1: γ free + baseline, 2: γ fixed + baseline
        });
    }

    @ParameterizedTest(name = "seed {0}: beta={1}, tauFrames={2}, gamma={3}, T={4}, dt={5}, variant={6}")
    @MethodSource("noiseFree")
    void noiseFreeCurvesAreFittedBackTo1e8(long seed, double beta, double tauFrames, double gamma, int frames,
                                           double dt, int variant) {
        double c = variant == 0 ? 0 : SeededCases.rng(seed).nextDouble(-0.02, 0.02);
        double[] l = lags(frames, dt);
        double tau = tauFrames * dt;
        double[] g = kww(l, beta, tau, gamma, c);
        FitOptions o = FitOptions.defaults().withBaseline(variant > 0);
        if (variant == 2) {
            o = o.withGammaFixed(gamma);
        }
        KwwFit f = KwwFitter.of(o).fit(CorrelationCurve.of(l, g));
        assertEquals(FitStatus.CONVERGED, f.status(), f.toString());
        Tolerance t = Tolerance.relative(1e-8).because("noise-free data");
        t.assertClose(beta, f.beta(), "beta");
        t.assertClose(tau, f.tauSeconds(), "tau");
        t.assertClose(gamma, f.gamma(), "gamma");
        Tolerance.absolute(1e-8).assertClose(c, f.baseline(), "baseline");
        assertEquals(1, f.firstLag());
        assertEquals(frames - 1, f.lastLag(), "no pair counts: the window runs to the last lag");
        assertTrue(f.reducedChiSquare() < 1e-20, "χ² of exact data: " + f.reducedChiSquare());
    }

    @Test
    void gammaFixedAtOneAsInThePaper() {
        double[] l = lags(106, 9.2);
        double[] g = kww(l, 0.3, 400, 1, 0);
        KwwFit f = KwwFitter.of(FitOptions.defaults().withGammaFixed(1)).fit(CorrelationCurve.of(l, g));
        assertTrue(f.gammaFixed());
        assertEquals(1.0, f.gamma());
        assertEquals(0.0, f.gammaError());
        assertTrue(Double.isNaN(f.baselineError()), "baseline not fitted has NaN error");
        Tolerance.relative(1e-8).assertClose(400, f.tauSeconds(), "tau");
    }

    @Test
    void weightedErrorsMatchTheScatterOfRepeatedFits() {
        // Gaussian noise of known σ_k on a KWW curve, weights 1/σ²: the covariance-based τ error
        // should equal the sd of τ over independent repetitions. 300 repetitions: the sample sd has
        // relative sd ≈ 4 %, so [0.8, 1.25] is a > 5 σ band for a correct error (false failure < 1e-6).
        UniformRandomProvider rng = SeededCases.rng(77);
        ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] l = lags(106, 5);
        double[] truth = kww(l, 0.2, 60, 0.8, 0);
        double[] se = new double[l.length];
        for (int k = 0; k < se.length; k++) {
            se[k] = 0.004 * (1 + k / 50.0);
        }
        int reps = 300;
        double[] taus = new double[reps];
        double meanErr = 0;
        KwwFitter fitter = KwwFitter.withDefaults();
        KwwFitter.Workspace ws = KwwFitter.newWorkspace();
        int[] pairs = new int[l.length];
        for (int k = 0; k < pairs.length; k++) {
            pairs[k] = l.length - k;
        }
        for (int r = 0; r < reps; r++) {
            double[] g = truth.clone();
            for (int k = 0; k < g.length; k++) {
                g[k] += se[k] * z.sample();
            }
            KwwFit f = fitter.fit(l, g, se, pairs, ws);
            assertTrue(f.status().hasParameters(), f.toString());
            taus[r] = f.tauSeconds();
            meanErr += f.tauErrorSeconds() / reps;
        }
        double m = Arrays.stream(taus).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(taus).map(v -> (v - m) * (v - m)).sum() / (reps - 1));
        double ratio = meanErr / sd;
        assertTrue(ratio > 0.8 && ratio < 1.25, "reported/actual tau error = " + ratio);
        // Bias of τ is small compared with its error (5 σ of the mean of 300).
        Tolerance.sigmas(5, sd / Math.sqrt(reps)).assertClose(60, m, "mean tau");
    }

    @Test
    void defaultWindowEndsWhereAQuarterOfThePairsRemain() {
        int[] pairs = new int[100];
        for (int k = 0; k < 100; k++) {
            pairs[k] = 100 - k;
        }
        assertEquals(75, KwwFitter.defaultLastLag(pairs, 100));
        assertEquals(99, KwwFitter.defaultLastLag(null, 100));
        double[] l = lags(100, 1);
        double[] g = kww(l, 0.5, 10, 1, 0);
        double[] se = new double[100];
        Arrays.fill(se, 0.01);
        KwwFit f = KwwFitter.withDefaults().fit(CorrelationCurve.of(l, g, se, pairs, null, null));
        assertEquals(1, f.firstLag());
        assertEquals(75, f.lastLag());
    }

    @Test
    void resolvableRangeIsFlagged() {
        double[] l = lags(100, 2);
        KwwFit fast = KwwFitter.of(FitOptions.defaults().withGammaFixed(1)).fit(CorrelationCurve.of(l, kww(l, 0.5, 1.2, 1, 0)));
        assertEquals(FitStatus.UNRESOLVED_FAST, fast.status(), fast.toString());
        Tolerance.relative(1e-6).assertClose(1.2, fast.tauSeconds(), "parameters are kept");
        // Precision decides, not τ's value: a noise-free curve with τ three times the recording is measured.
        KwwFit slow = KwwFitter.of(FitOptions.defaults().withGammaFixed(1)).fit(CorrelationCurve.of(l, kww(l, 0.5, 600, 1, 0)));
        assertEquals(FitStatus.CONVERGED, slow.status(), slow.toString());
        assertTrue(Double.isNaN(slow.tauLimitSeconds()));
        // Beyond the ceiling it is censored whatever its precision; the limit is the lower 95 % bound.
        KwwFit strict = KwwFitter.of(FitOptions.defaults().withGammaFixed(1).withSlowLimitFraction(2))
            .fit(CorrelationCurve.of(l, kww(l, 0.5, 600, 1, 0)));
        assertEquals(FitStatus.UNRESOLVED_SLOW, strict.status(), strict.toString());
        Tolerance.relative(1e-9).assertClose(600, strict.tauLimitSeconds(), "limit of an exactly measured τ");
        // Imprecise and beyond the recording (198 s): censored at τ̂ exp(−t₀.₉₅(ν) σ/τ̂), ν = 98 − 1 lags − parameters.
        double[] se = new double[100];
        Arrays.fill(se, 0.02);
        double[] g = kww(l, 0.05, 600, 1, 0);
        UniformRandomProvider rng = SeededCases.rng(0x510L);
        for (int k = 1; k < 100; k++) {
            g[k] += 0.02 * ZigguratSampler.NormalizedGaussian.of(rng).sample();
        }
        int[] pairs = new int[100];
        Arrays.fill(pairs, 100); // equal counts: the window runs to the last lag
        KwwFit noisy = KwwFitter.of(FitOptions.defaults().withGammaFixed(1).withDecayTestLevel(1))
            .fit(CorrelationCurve.of(l, g, se, pairs, null, null));
        assertTrue(noisy.status().hasParameters(), noisy.toString());
        double rel = noisy.tauErrorSeconds() / noisy.tauSeconds();
        if (noisy.tauSeconds() > 198 && rel > FitOptions.DEFAULT_MAX_RELATIVE_TAU_ERROR) {
            assertEquals(FitStatus.UNRESOLVED_SLOW, noisy.status(), noisy.toString());
            double t = new org.apache.commons.math3.distribution.TDistribution(97).inverseCumulativeProbability(0.95);
            Tolerance.relative(1e-9).assertClose(Math.max(2, noisy.tauSeconds() * Math.exp(-t * rel)),
                noisy.tauLimitSeconds(), "one-sided lower bound");
        } else {
            assertEquals(rel > FitOptions.DEFAULT_MAX_RELATIVE_TAU_ERROR ? FitStatus.IMPRECISE : FitStatus.CONVERGED,
                noisy.status(), noisy.toString());
        }
    }

    @Test
    void failuresAreNaNWithAStatusNeverZeros() {
        double[] l = lags(50, 1);
        double[] g = kww(l, 0.5, 10, 1, 0);
        g[7] = Double.POSITIVE_INFINITY;
        KwwFit f = KwwFitter.withDefaults().fit(CorrelationCurve.of(l, g));
        assertEquals(FitStatus.NON_FINITE_DATA, f.status());
        assertTrue(Double.isNaN(f.tauSeconds()) && Double.isNaN(f.beta()) && Double.isNaN(f.gamma()));

        KwwFit few = KwwFitter.of(FitOptions.defaults().withLags(1, 3)).fit(CorrelationCurve.of(l, kww(l, 0.5, 10, 1, 0)));
        assertEquals(FitStatus.INSUFFICIENT_DATA, few.status(), "3 lags for 3 parameters");

        double[] flat = new double[50];
        Arrays.fill(flat, 1);
        KwwFit none = KwwFitter.withDefaults().fit(CorrelationCurve.of(l, flat));
        assertFalse(none.status().hasParameters(), none.toString());
        assertTrue(Double.isNaN(none.tauSeconds()));

        double[] rising = new double[50];
        for (int k = 0; k < 50; k++) {
            rising[k] = 1 + 0.01 * k;
        }
        KwwFit up = KwwFitter.withDefaults().fit(CorrelationCurve.of(l, rising));
        assertFalse(up.status().isReliable(), up.toString());

        KwwFit beyond = KwwFitter.of(FitOptions.defaults().withLags(60, 70)).fit(CorrelationCurve.of(l, kww(l, 0.5, 10, 1, 0)));
        assertEquals(FitStatus.INSUFFICIENT_DATA, beyond.status());
    }

    @Test
    void stdErrWeightingNeedsStdErrs() {
        double[] l = lags(30, 1);
        KwwFit f = KwwFitter.of(FitOptions.defaults().withWeighting(Weighting.STD_ERR)).fit(CorrelationCurve.of(l, kww(l, 0.5, 5, 1, 0)));
        assertEquals(FitStatus.NON_FINITE_DATA, f.status());
        KwwFit auto = KwwFitter.withDefaults().fit(CorrelationCurve.of(l, kww(l, 0.5, 5, 1, 0)));
        assertEquals(FitStatus.CONVERGED, auto.status(), "AUTO falls back to uniform weights");
    }

    @Test
    void lagsWithoutPairsAreSkipped() {
        double[] l = lags(40, 1);
        double[] g = kww(l, 0.5, 8, 1.3, 0);
        int[] pairs = new int[40];
        Arrays.fill(pairs, 10);
        g[5] = Double.NaN;
        pairs[5] = 0;
        double[] se = new double[40];
        Arrays.fill(se, 0.01);
        se[5] = Double.NaN;
        KwwFit f = KwwFitter.of(FitOptions.defaults().withLags(1, 39)).fit(CorrelationCurve.of(l, g, se, pairs, null, null));
        assertEquals(FitStatus.CONVERGED, f.status(), f.toString());
        Tolerance.relative(1e-8).assertClose(8, f.tauSeconds(), "tau");
    }

    @Test
    void optionsValidateAndPrint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().withLags(5, 2));
        assertEquals("fit window [5, 2] is not a range of lag indices with 0 ≤ first ≤ last", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().withGammaFixed(Double.NaN));
        assertEquals("gamma is not a finite, strictly positive number: NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().withGammaBounds(1, 0.5));
        assertEquals("gammaMax is not in (gammaMin, 10]: 0.5 (gammaMin 1.0)", e.getMessage());
        assertEquals("FitOptions[gamma free in [0.2, 3.0], no baseline, auto weights, default lags, max 200 iterations, "
            + "slow limit 10.0 × recording, decay test at level 0.001, max relative tau error 0.5, least squares]", FitOptions.defaults().toString());
        assertEquals(FitOptions.defaults().withGammaFixed(1), FitOptions.defaults().withGammaFixed(1));
    }

    /**
     * The jackknife errors are the jackknife formula over the replicates' parameters, found by the
     * linearised (one Gauss–Newton step) refit: here noise-free replicates with τ within ±1.2 % of
     * the full curve's, whose exact parameters are known. The step's second-order error is of
     * relative size |Δτ/τ| ≈ 1 %, hence the 3 % tolerance on the error. Parameters, status and
     * window are the full fit's.
     */
    @Test
    void jackknifeErrorsAreTheSpreadOfTheReplicateParameters() {
        int n = 60;
        double[] l = lags(n, 5);
        double[] g = kww(l, 0.3, 80, 1, 0);
        double[] se = new double[n];
        Arrays.fill(se, 0.004);
        int blocks = 6;
        double[] reps = new double[blocks * n];
        double[] taus = {79.2, 80.9, 79.6, 80.5, 79.0, 80.8};
        for (int b = 0; b < blocks; b++) {
            double[] r = kww(l, 0.3, taus[b], 1, 0);
            System.arraycopy(r, 0, reps, b * n, n);
        }
        reps[2 * n + n - 1] = Double.NaN; // a lag a replicate lost contributes no change
        FitOptions fo = FitOptions.defaults().withGammaFixed(1);
        KwwFitter f = KwwFitter.of(fo);
        KwwFit full = f.fit(l, g, se, null, KwwFitter.newWorkspace());
        KwwFit jk = f.fitJackknife(l, g, se, null, reps, 0, blocks, KwwFitter.newWorkspace());
        assertEquals(full.tauSeconds(), jk.tauSeconds());
        assertEquals(full.status(), jk.status());
        assertEquals(full.lastLag(), jk.lastLag());
        double mean = Arrays.stream(taus).average().getAsDouble();
        double ss = Arrays.stream(taus).map(t -> (t - mean) * (t - mean)).sum();
        Tolerance.relative(0.03).because("second-order term of the Gauss–Newton step, |Δτ/τ| ≈ 1 %")
            .assertClose(Math.sqrt((blocks - 1) * ss / blocks), jk.tauErrorSeconds(), "jackknife tau error");
        Tolerance.absolute(2e-5).because("replicates share β = 0.3 exactly: only linearisation noise")
            .assertClose(0, jk.betaError(), "jackknife beta error");
        assertEquals(0, jk.gammaError());
        KwwFit one = f.fitJackknife(l, g, se, null, reps, 0, 1, KwwFitter.newWorkspace());
        assertTrue(Double.isNaN(one.tauErrorSeconds()), "one replicate gives no error");
        assertThrows(IllegalArgumentException.class, () -> f.fitJackknife(l, g, se, null, new double[n], 0, 2,
            KwwFitter.newWorkspace()));
        KwwFit failed = f.fitJackknife(new double[] {0, 1}, new double[] {1.2, 1.1}, null, null, new double[4], 0, 2,
            KwwFitter.newWorkspace());
        assertEquals(FitStatus.INSUFFICIENT_DATA, failed.status());
    }
}
