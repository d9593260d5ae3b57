/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.FDistribution;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.PoissonSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.QRange;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.Correlator;
import org.fivedstem.core.simulation.Replicates;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decay test that flags fits of curves without a significant decay {@link FitStatus#NO_CONTRAST}
 * (docs/dynamics.md, "No significant decay"): the rule as documented, its rate on contrast-free
 * positions, that resolvable positions are not flagged, and exact invariances.
 *
 * <p>Recordings are paper-like in length (T = 106 frames, frame interval 1 s) with ≈ 240 annulus
 * pixels (20×20 patterns of 0.4 nm⁻¹ pixels, annulus 0.8–3.6 nm⁻¹, flat halo); the engine's path is
 * used: jackknifed g and {@link KwwFitter#fitJackknife}.
 */
class NoContrastTest {

    static final int FRAMES = 106;
    static final int K = 20;
    static final QRange Q = QRange.of(0.8, 3.6);
    /** Designed false-failure probability of each count assertion below. */
    static final double FALSE_FAILURE = 1e-4;

    // ------------------------------------------------------------------ the rule, literally

    static Stream<Arguments> noisyCurves() {
        return SeededCases.of(0xDECA7L, 40, r -> new Object[] {
            r.nextDouble(0, 0.004),                                // β: from none to clearly significant
            Math.exp(r.nextDouble(Math.log(2), Math.log(200))),    // τ in s (frame interval 1 s, 80 lags)
            r.nextBoolean(),                                       // γ free
            r.nextBoolean()});                                     // baseline fitted
    }

    /**
     * Status {@code NO_CONTRAST} exactly when the extra-sum-of-squares F test of the fitted model
     * against a constant, recomputed here from the fit's χ² with Commons Math's
     * {@link FDistribution}, has a p-value above the level; otherwise the resolvable-range rule.
     * Curves: KWW plus independent Gaussian noise of SE 0.001 (the weights), β from 0 to 4× that,
     * so both outcomes occur. The only tolerance is for p-values within 1e-9 of the level, where
     * the two implementations of the F tail may round differently.
     */
    @ParameterizedTest(name = "seed {0}: beta={1}, tau={2} s, gamma free={3}, baseline={4}")
    @MethodSource("noisyCurves")
    void flaggedExactlyWhenTheFTestAgainstAConstantIsNotSignificant(long seed, double beta, double tau,
                                                                   boolean gammaFree, boolean baseline) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
        int n = 81;
        double sigma = 0.001;
        double[] lags = new double[n];
        double[] g = new double[n];
        double[] se = new double[n];
        int[] pairs = new int[n];
        Arrays.fill(pairs, 100); // equal counts: the default window runs to the last lag
        double offset = baseline ? 0.003 : 0;
        for (int k = 0; k < n; k++) {
            lags[k] = k;
            g[k] = 1 + offset + beta * Math.exp(-2 * k / tau) + sigma * z.sample();
            se[k] = sigma;
        }
        FitOptions fo = (gammaFree ? FitOptions.defaults().withGammaFree() : FitOptions.defaults().withGammaFixed(1))
            .withBaseline(baseline);
        KwwFit fit = KwwFitter.of(fo).fit(CorrelationCurve.of(lags, g, se, pairs, null, null));
        if (!fit.status().hasParameters()) {
            return; // a failed fit is not flagged by this rule
        }
        double p = fTestPValue(fit, lags, g, se, fo.parameterCount());
        double alpha = FitOptions.DEFAULT_DECAY_TEST_LEVEL;
        FitStatus expected;
        boolean precise = fit.tauErrorSeconds() / fit.tauSeconds() <= fo.maxRelativeTauError();
        if (fit.tauSeconds() > fo.slowLimitFraction() * lags[n - 1]) {
            expected = FitStatus.UNRESOLVED_SLOW;
        } else if (!(p <= alpha)) {
            expected = FitStatus.NO_CONTRAST;
        } else if (fit.tauSeconds() < lags[1]) {
            expected = FitStatus.UNRESOLVED_FAST;
        } else if (!precise) {
            expected = fit.tauSeconds() > lags[n - 1] ? FitStatus.UNRESOLVED_SLOW : FitStatus.IMPRECISE;
        } else {
            expected = FitStatus.CONVERGED;
        }
        if (Math.abs(p - alpha) > 1e-9 * alpha) {
            assertEquals(expected, fit.status(), "p = " + p + ": " + fit);
        }
        // Switched off: the same fit without the flag.
        KwwFit off = KwwFitter.of(fo.withDecayTestLevel(1)).fit(CorrelationCurve.of(lags, g, se, pairs, null, null));
        assertEquals(fit.tauSeconds(), off.tauSeconds(), "the test changes no parameter");
        assertTrue(off.status() != FitStatus.NO_CONTRAST, off.toString());
    }

    /** p-value of F = ((S₀ − S₁)/(p − 1)) / (S₁/(m − p)), S₀ from the weighted mean, S₁ from the fit's χ². */
    static double fTestPValue(KwwFit fit, double[] lags, double[] g, double[] se, int np) {
        double sw = 0;
        double swy = 0;
        int m = 0;
        for (int k = fit.firstLag(); k <= fit.lastLag(); k++) {
            double w2 = 1 / (se[k] * se[k]);
            sw += w2;
            swy += w2 * (g[k] - 1);
            m++;
        }
        double mean = swy / sw;
        double s0 = 0;
        for (int k = fit.firstLag(); k <= fit.lastLag(); k++) {
            double d = (g[k] - 1 - mean) / se[k];
            s0 += d * d;
        }
        double s1 = fit.reducedChiSquare() * (m - np);
        double f = ((s0 - s1) / (np - 1)) / (s1 / (m - np));
        return f <= 0 ? 1 : 1 - new FDistribution(null, np - 1, m - np).cumulativeProbability(f);
    }

    // ------------------------------------------------------------------ simulated positions

    /**
     * Per position: the status of the engine's fit (jackknifed g, {@link KwwFitter#fitJackknife}),
     * one row per fit option set, g computed once.
     */
    static FitStatus[][] statuses(double[][] series, int pixels, FitOptions... fos) {
        CorrelationOptions co = CorrelationOptions.defaults();
        int blocks = CorrelationKernel.replicateCount(co, FRAMES);
        CorrelationKernel.Workspace cw = CorrelationKernel.newWorkspace();
        KwwFitter.Workspace fw = KwwFitter.newWorkspace();
        double[] lags = Correlator.lagsSeconds(FRAMES, 1.0);
        FitStatus[][] out = new FitStatus[fos.length][series.length];
        double[] g = new double[FRAMES];
        double[] se = new double[FRAMES];
        int[] pairs = new int[FRAMES];
        double[] reps = new double[blocks * FRAMES];
        for (int i = 0; i < series.length; i++) {
            CorrelationKernel.correlate(series[i], FRAMES, pixels, new int[pixels], 1, co, cw, g, se, pairs, new int[1], reps);
            for (int j = 0; j < fos.length; j++) {
                out[j][i] = KwwFitter.of(fos[j]).fitJackknife(lags, g, se, pairs, reps, 0, blocks, fw).status();
            }
        }
        return out;
    }

    static SpeckleSimulation.Builder position(int side, double tauFrames, double beta, double gamma, double dose) {
        return Replicates.constant(side, side, FRAMES, K, tauFrames, beta, gamma).pixelSizeInverseNm(0.4).dose(dose);
    }

    static int count(FitStatus[] s, FitStatus which) {
        return (int) Arrays.stream(s).filter(x -> x == which).count();
    }

    /**
     * The largest count of a Binomial(n, rate) that is exceeded with probability ≤ {@link #FALSE_FAILURE}.
     */
    static int maxCount(int n, double rate) {
        return new BinomialDistribution(null, n, rate).inverseCumulativeProbability(1 - FALSE_FAILURE);
    }

    /**
     * Kind (true: Poisson counts of a constant pattern; false: speckle uncorrelated between
     * frames), dose in e⁻ per pixel per frame, γ free, baseline fitted: a fixed design (mostly γ
     * fixed, as the paper, where contrast-free fits used to converge most often), seeds from the
     * base seed.
     */
    static Stream<Arguments> contrastFreeCases() {
        Object[][] design = {{false, 1.0, false, false}, {true, 20.0, false, true}, {false, 20.0, true, false},
            {true, 1.0, false, false}};
        long[] seeds = SeededCases.seeds(0xF1A7L, design.length).toArray();
        return java.util.stream.IntStream.range(0, design.length).mapToObj(i -> Arguments.of(seeds[i], design[i][0],
            design[i][1], design[i][2], design[i][3]));
    }

    /**
     * Contrast-free positions (g − 1 flat within noise at every lag ≥ 1) are not reliable τ
     * measurements. Without the decay test 37–42 % of them came out {@code CONVERGED} with γ
     * fixed (measured, 900 positions per kind; docs/dynamics.md). Designed rate: at the default
     * level 0.001 at most 2 % pass as reliable (measured 0.1–0.9 % over Poisson and
     * uncorrelated-speckle positions, doses 1 and 20, γ fixed or free, with or without baseline);
     * the bound on the count of 256 positions is the Binomial(256, 0.02) quantile at 1 − 1e-4
     * (15), so a rule at the designed rate fails with probability ≤ 1e-4, while the rule without
     * the test (≈ 100 of 256 with γ fixed) fails.
     */
    @ParameterizedTest(name = "seed {0}: poisson={1}, dose={2}, gamma free={3}, baseline={4}")
    @MethodSource("contrastFreeCases")
    void contrastFreePositionsAreFlaggedAtTheDesignedRate(long seed, boolean poisson, double dose, boolean gammaFree,
                                                          boolean baseline) throws IOException {
        int side = 16;
        double[][] series;
        int pixels;
        if (poisson) {
            SpeckleSimulation geometry = position(1, 1, 0.1, 1, dose).build();
            pixels = AnnulusMask.of(geometry.dataset(), Q).pixelCount();
            UniformRandomProvider rng = SeededCases.rng(seed);
            PoissonSampler counts = new PoissonSampler(rng, dose);
            series = new double[side * side][FRAMES * pixels];
            for (double[] s : series) {
                for (int i = 0; i < s.length; i++) {
                    s[i] = counts.sample();
                }
            }
        } else {
            // τ = 0.01 frame: g − 1 = β exp(−200 k) ≈ 0 at every lag k ≥ 1.
            SpeckleSimulation sim = position(side, 0.01, 0.2, 1, dose).seed(seed).build();
            AnnulusMask ann = AnnulusMask.of(sim.dataset(), Q);
            pixels = ann.pixelCount();
            series = Replicates.series(sim, ann.pixelIndices());
        }
        FitOptions fo = (gammaFree ? FitOptions.defaults().withGammaFree() : FitOptions.defaults().withGammaFixed(1))
            .withBaseline(baseline);
        FitStatus[][] both = statuses(series, pixels, fo, fo.withDecayTestLevel(1));
        FitStatus[] st = both[0];
        FitStatus[] off = both[1];
        int reliable = count(st, FitStatus.CONVERGED);
        int max = maxCount(series.length, 0.02);
        System.out.println(String.format(Locale.ROOT, "seed %d: %d of %d contrast-free positions reliable (%d without "
            + "the test), %d flagged; bound %d", seed, reliable, series.length, count(off, FitStatus.CONVERGED),
            count(st, FitStatus.NO_CONTRAST), max));
        assertTrue(reliable <= max, reliable + " of " + series.length + " contrast-free positions reported reliable; "
            + "bound " + max + " (Binomial(n, 0.02) at 1 − 1e-4)");
        for (int i = 0; i < st.length; i++) {
            // The test only ever relabels a fit that had parameters; it never turns one reliable.
            assertTrue(st[i] == off[i] || st[i] == FitStatus.NO_CONTRAST && off[i].hasParameters(),
                "position " + i + ": " + off[i] + " became " + st[i]);
        }
    }

    static Stream<Arguments> resolvableCases() {
        return SeededCases.of(0x5E5AL, 4, r -> new Object[] {
            Math.exp(r.nextDouble(Math.log(5), Math.log(100))),   // τ in frames: a few frame intervals to ≈ T
            r.nextDouble(0.05, 0.2),                              // β
            r.nextBoolean() ? 1.0 : 20.0,                         // dose, e⁻ per pixel per frame
            r.nextBoolean() ? Double.NaN : r.nextDouble(0.8, 1.5)}); // NaN: γ = 1 fitted fixed; else true γ, fitted free
    }

    /**
     * Positions whose τ the recording resolves are not flagged. Region: β 0.05–0.2, τ 5–100
     * frames, doses 1 and 20 e⁻/pixel/frame, γ fixed at its true 1 or free (true 0.8–1.5): here
     * τ is measured to a median |τ̂/τ − 1| ≤ 0.25 (docs/dynamics.md, measured on 100 positions
     * per configuration), and the measured flag rate at the default level is ≤ 1 of 100 positions
     * in every configuration (0.05 % pooled over all configurations with median error ≤ 0.25).
     * Designed bound: 3 %; the count of 64 positions may not exceed the Binomial(64, 0.03)
     * quantile at 1 − 1e-4 (false failure ≤ 1e-4). Strongly stretched γ = 0.6 at dose 1 and
     * β = 0.05 is left out: τ is only measured to ≈ 45 % there and 3 of 100 were flagged.
     */
    @ParameterizedTest(name = "seed {0}: tau={1} frames, beta={2}, dose={3}, gamma={4}")
    @MethodSource("resolvableCases")
    void resolvablePositionsAreNotFlagged(long seed, double tauFrames, double beta, double dose, double gamma)
        throws IOException {
        boolean gammaFree = !Double.isNaN(gamma);
        SpeckleSimulation sim = position(8, tauFrames, beta, gammaFree ? gamma : 1, dose).seed(seed).build();
        AnnulusMask ann = AnnulusMask.of(sim.dataset(), Q);
        FitOptions fo = gammaFree ? FitOptions.defaults().withGammaFree() : FitOptions.defaults().withGammaFixed(1);
        FitStatus[] st = statuses(Replicates.series(sim, ann.pixelIndices()), ann.pixelCount(), fo)[0];
        int flagged = count(st, FitStatus.NO_CONTRAST);
        int max = maxCount(st.length, 0.03);
        System.out.println(String.format(Locale.ROOT, "seed %d: %d of %d resolvable positions flagged, %d reliable; bound %d",
            seed, flagged, st.length, count(st, FitStatus.CONVERGED), max));
        assertTrue(flagged <= max, flagged + " of " + st.length + " resolvable positions flagged; bound " + max
            + " (Binomial(n, 0.03) at 1 − 1e-4)");
    }

    // ------------------------------------------------------------------ exact invariances

    static Stream<Arguments> invarianceCases() {
        return SeededCases.of(0x1A7AL, 4, r -> new Object[] {
            Math.exp(r.nextDouble(Math.log(3), Math.log(100))),   // τ in frames
            r.nextDouble(0.01, 0.03),                             // β: marginal at dose 1, so both outcomes occur
            r.nextBoolean()});                                    // γ free
    }

    /**
     * The flag depends on g only through the fit and the constant's fit, so exact invariances of
     * g carry over: frames scaled by powers of two (ensemble normalisation: g bit-identical, so
     * the fits are equal records, status included). Two invariances of the problem that the
     * iteration only reproduces to its tolerances: the time unit scaled by 4 (τ × 4) and the SEs
     * scaled by 2 (the F ratio does not depend on the weights' scale). Where both fits have
     * parameters the status must agree and τ to 1e-6 relative — LM stops at a relative step of
     * 1e-12 and a gradient of 1e-10, which leaves τ of two equivalent problems ~1e-8 apart
     * (measured ≤ 4e-9). (Of a flat curve the fit in the other time unit may instead end on the β
     * or γ bound, FAILED: the starting grid is not scale-free in floating point.)
     */
    @ParameterizedTest(name = "seed {0}: tau={1} frames, beta={2}, gamma free={3}")
    @MethodSource("invarianceCases")
    void exactInvariancesHold(long seed, double tauFrames, double beta, boolean gammaFree) throws IOException {
        SpeckleSimulation sim = position(4, tauFrames, beta, 1, 1).seed(seed).build();
        AnnulusMask ann = AnnulusMask.of(sim.dataset(), Q);
        int pixels = ann.pixelCount();
        double[][] series = Replicates.series(sim, ann.pixelIndices());
        FitOptions fo = gammaFree ? FitOptions.defaults().withGammaFree() : FitOptions.defaults().withGammaFixed(1);
        KwwFitter f = KwwFitter.of(fo);
        UniformRandomProvider rng = SeededCases.rng(seed);
        int flagged = 0;
        for (double[] s : series) {
            double[] scaled = s.clone();
            for (int t = 0; t < FRAMES; t++) {
                double factor = Math.scalb(1.0, rng.nextInt(-3, 4));
                for (int p = 0; p < pixels; p++) {
                    scaled[t * pixels + p] *= factor;
                }
            }
            CorrelationCurve c = Correlator.withDefaults().curve(s, FRAMES, pixels, 1.0);
            KwwFit fit = f.fit(c);
            assertEquals(fit, f.fit(Correlator.withDefaults().curve(scaled, FRAMES, pixels, 1.0)), "per-frame scaling");
            double[] lags4 = c.lagsSeconds();
            double[] se2 = c.stdErrs();
            for (int k = 0; k < lags4.length; k++) {
                lags4[k] *= 4;
                se2[k] *= 2;
            }
            KwwFit slower = f.fit(CorrelationCurve.of(lags4, c.values(), c.stdErrs(), c.pairCounts(), null, null));
            // The decay test does not depend on the scale of the SEs; the precision rule does (doubled
            // SEs double τ's error), so it is switched off for this comparison.
            KwwFitter anyPrecision = KwwFitter.of(fo.withMaxRelativeTauError(Double.POSITIVE_INFINITY));
            KwwFit weights = anyPrecision.fit(CorrelationCurve.of(c.lagsSeconds(), c.values(), se2, c.pairCounts(), null, null));
            KwwFit sameSe = anyPrecision.fit(c);
            if (fit.status().hasParameters() && slower.status().hasParameters()) {
                assertEquals(fit.status(), slower.status(), "time unit × 4");
                Tolerance.relative(1e-6).assertClose(4 * fit.tauSeconds(), slower.tauSeconds(), "τ in the slower time unit");
            }
            if (sameSe.status().hasParameters() && weights.status().hasParameters()) {
                assertEquals(sameSe.status(), weights.status(), "SE × 2");
                Tolerance.relative(1e-6).assertClose(sameSe.tauSeconds(), weights.tauSeconds(), "τ with the SEs doubled");
            }
            flagged += fit.status() == FitStatus.NO_CONTRAST ? 1 : 0;
        }
        System.out.println(String.format(Locale.ROOT, "seed %d: %d of %d positions flagged", seed, flagged, series.length));
    }
}
