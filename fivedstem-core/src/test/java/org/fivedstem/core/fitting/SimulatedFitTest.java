/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Locale;
import java.util.stream.Stream;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.QRange;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.Correlator;
import org.fivedstem.core.correlation.StdErrMethod;
import org.fivedstem.core.simulation.Replicates;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * KWW fits of simulated g(t): τ recovery at high dose, the covariance-based τ errors against the
 * actual scatter over independent positions, and the unresolved flags (issue 4; docs/dynamics.md
 * "Tests to add on the simulator", items 2 and 5).
 *
 * <p>Constant maps on a 10×10 scan give 100 independent replicates of one recording (flat halo,
 * so κ = 1 and the ensemble g has no baseline offset: its 1/N correction vanishes as ρ → 0).
 */
class SimulatedFitTest {

    static final int SIDE = 10;
    static final int FRAMES = 100;

    static Stream<Arguments> recoveryCases() {
        return SeededCases.of(0x7A0FL, 6, r -> new Object[] {
            Math.exp(r.nextDouble(Math.log(4), Math.log(20))),  // τ in frames: resolvable in T = 100
            r.nextDouble(0.15, 0.5),                            // β
            r.nextBoolean(),                                    // γ free (true) or fixed at its true value 1
            r.nextBoolean() ? 0.0 : 200.0});                    // dose: noise-free or 200 e⁻/pixel/frame
    }

    /** Per position: τ̂, its error, status code, β̂, its error. */
    static double[][] fits(SpeckleSimulation sim, FitOptions fo) throws IOException {
        AnnulusMask ann = AnnulusMask.of(sim.dataset(), QRange.of(0.8, 2.8));
        double[][] series = Replicates.series(sim, ann.pixelIndices());
        Correlator c = Correlator.withDefaults();
        KwwFitter f = KwwFitter.of(fo);
        double[][] out = new double[5][series.length];
        for (int i = 0; i < series.length; i++) {
            KwwFit fit = f.fit(c.curve(series[i], sim.shape().frames(), ann.pixelCount(), 1.0));
            out[0][i] = fit.tauSeconds();
            out[1][i] = fit.tauErrorSeconds();
            out[2][i] = fit.status().code();
            out[3][i] = fit.beta();
            out[4][i] = fit.betaError();
        }
        return out;
    }

    /** As {@link #fits}, with the errors from {@link KwwFitter#fitJackknife} on the kernel's replicates. */
    static double[][] jackknifeFits(SpeckleSimulation sim, FitOptions fo) throws IOException {
        return jackknifeFits(sim, fo, CorrelationOptions.defaults());
    }

    /** As {@link #jackknifeFits(SpeckleSimulation, FitOptions)} with the given correlation options. */
    static double[][] jackknifeFits(SpeckleSimulation sim, FitOptions fo, CorrelationOptions co) throws IOException {
        AnnulusMask ann = AnnulusMask.of(sim.dataset(), QRange.of(0.8, 2.8));
        double[][] series = Replicates.series(sim, ann.pixelIndices());
        int frames = sim.shape().frames();
        int pixels = ann.pixelCount();
        int blocks = CorrelationKernel.replicateCount(co, frames);
        CorrelationKernel.Workspace cw = CorrelationKernel.newWorkspace();
        KwwFitter.Workspace fw = KwwFitter.newWorkspace();
        KwwFitter f = KwwFitter.of(fo);
        double[] lags = Correlator.lagsSeconds(frames, 1.0);
        double[][] out = new double[5][series.length];
        for (int i = 0; i < series.length; i++) {
            double[] g = new double[frames];
            double[] se = new double[frames];
            int[] pairs = new int[frames];
            double[] reps = new double[blocks * frames];
            CorrelationKernel.correlate(series[i], frames, pixels, new int[pixels], 1, co, cw, g, se, pairs, new int[1], reps);
            KwwFit fit = f.fitJackknife(lags, g, se, pairs, reps, 0, blocks, fw);
            out[0][i] = fit.tauSeconds();
            out[1][i] = fit.tauErrorSeconds();
            out[2][i] = fit.status().code();
            out[3][i] = fit.beta();
            out[4][i] = fit.betaError();
        }
        return out;
    }

    /**
     * (b) τ recovered with small median relative error at high dose, without bias, for γ fixed
     * (at its true value 1) and free, over 100 independent positions with the same truth.
     *
     * <p>"Small" is 10 %: at this recording scale (≈ 140 annulus pixels, T = 100, τ = 4–20 frames,
     * i.e. P·T/τ ≈ 700–3500 independent speckle samples within the decay) the scatter of τ̂ over
     * positions is 7–9 % (γ fixed, measured), so the median |τ̂/τ − 1| of an unbiased estimator is
     * ≈ 0.674 × that ≈ 5–6 %; 10 % fails an estimator biased by ≳ 7 % or ≳ 1.6× less efficient.
     * The bias itself is tested statistically: the mean of τ̂/τ equals 1 within k SE of the mean
     * over the positions (Student t, false failure 1e-4); the ensemble g of a flat halo has no
     * baseline offset (its 1/N correction vanishes as ρ → 0), so no bias is expected beyond
     * O(β/N) ≈ 0.3 %.
     *
     * <p>(e) The covariance τ errors are compared with the same scatter and printed; the
     * assertion is in {@link #covarianceTauErrorsMatchTheScatter}, disabled (see there).
     */
    @ParameterizedTest(name = "seed {0}: tau={1} frames, beta={2}, gamma free={3}, dose={4}")
    @MethodSource("recoveryCases")
    void tauIsRecoveredWithSmallMedianError(long seed, double tauFrames, double beta, boolean gammaFree,
                                           double dose) throws IOException {
        double[] ratio = recover(seed, tauFrames, beta, gammaFree, dose);
        assertTrue(ratio[0] <= 0.10, "median relative τ error above 10 %: " + ratio[0]);
    }

    /**
     * (e) The reported (covariance) τ error against the scatter of τ̂ over 100 independent
     * positions with the same truth: the RMS reported error / SD of τ̂ should lie in [0.7, 1.4]
     * (the SD of 100 replicates has a relative sampling error ≈ 7 %, so a calibrated error fails
     * with probability &lt; 1e-4 per case).
     *
     * <p>KNOWN PROBLEM found by this test: the ratio is 0.15–0.93 (median ≈ 0.5): the covariance
     * (JᵀWJ)⁻¹ with W = 1/SE² treats the lags as independent, but g(k) at neighbouring lags share
     * frames and are strongly correlated (reduced χ² 0.005–0.2 on these curves), so the τ errors
     * understate the real uncertainty ≈ 2× (up to 6× where a few positions scatter far). A fix needs the lag–lag
     * covariance or a frame-block jackknife of the fit itself — the latter is
     * {@link KwwFitter#fitJackknife}, tested in {@link #jackknifeTauErrorsMatchTheActualErrors}, and
     * what the engine uses. This test stays as the record of the covariance errors' shortfall.
     */
    @Disabled("covariance τ errors ignore the correlation between lags: RMS error / actual SD measured 0.15–0.93")
    @ParameterizedTest(name = "seed {0}: tau={1} frames, beta={2}, gamma free={3}, dose={4}")
    @MethodSource("recoveryCases")
    void covarianceTauErrorsMatchTheScatter(long seed, double tauFrames, double beta, boolean gammaFree,
                                            double dose) throws IOException {
        double[] ratio = recover(seed, tauFrames, beta, gammaFree, dose);
        assertTrue(ratio[1] >= 0.7 && ratio[1] <= 1.4, "RMS reported τ error / SD of τ̂ = " + ratio[1]);
    }

    /**
     * (e) The jackknife τ errors ({@link KwwFitter#fitJackknife}: each replicate of g — by default
     * of the pixel-group jackknife — refitted by one Gauss–Newton step) against the actual error of
     * τ̂ over 100 independent positions with the same truth,
     * through the robust statistic median |τ̂ − τ| / σ̂_τ: for honest errors it is 0.674 (Gaussian)
     * or ≈ 0.70 (σ̂ from a ten-block jackknife, 9 degrees of freedom: |t₉|). Its standard error
     * over 100 positions is 1/(2·f(0.70)·√100) ≈ 0.08 (f the density of |z| there); the bounds
     * [0.42, 1.05] lie 3.5 and 4.4 of those from 0.70 (false failure ≈ 3e-4 per case), and fail
     * errors understated by ≥ 1.5× or overstated by ≥ 1.7×. (The RMS/SD ratio that
     * {@link #covarianceTauErrorsMatchTheScatter} uses is not robust: a few far-off positions
     * dominate the SD.) Measured 0.67–0.90 with pixel groups (frame blocks: 0.60–0.89); the
     * covariance errors give 1.7–2.3.
     */
    @ParameterizedTest(name = "seed {0}: tau={1} frames, beta={2}, gamma free={3}, dose={4}")
    @MethodSource("recoveryCases")
    void jackknifeTauErrorsMatchTheActualErrors(long seed, double tauFrames, double beta, boolean gammaFree,
                                                double dose) throws IOException {
        double[] r = recover(seed, tauFrames, beta, gammaFree, dose, true);
        assertTrue(r[2] >= 0.42 && r[2] <= 1.05, "median |τ̂ − τ| / jackknife error = " + r[2]);
    }

    static Stream<Arguments> slowCases() {
        return SeededCases.of(0x51D0L, 4, r -> new Object[] {
            Math.exp(r.nextDouble(Math.log(25), Math.log(100))),  // τ in frames: T/4 … T, T = 100
            r.nextDouble(0.1, 0.3),                             // β
            r.nextBoolean() ? 0.0 : 10.0});                     // dose: noise-free or 10 e⁻/pixel/frame
    }

    /**
     * The pixel-group jackknife τ errors ({@link StdErrMethod#PIXEL_GROUP_JACKKNIFE}, the default)
     * against the actual errors for slow dynamics, τ = T/4 … T (γ fixed at its true value 1), over
     * 100 independent positions with the same truth: median |τ̂ − τ| / σ̂_τ over the reliable fits
     * in [0.42, 1.05], the bounds and their false-failure probability (≈ 3e-4 per case) as in
     * {@link #jackknifeTauErrorsMatchTheActualErrors}. Frame blocks of T/10 are much shorter than τ
     * here and not independent, so the frame-block jackknife's errors are too small: its median |z|
     * is printed for the record (measured 1.2–2.0; the pixel-group one 0.6–0.9).
     */
    @ParameterizedTest(name = "seed {0}: tau={1} frames, beta={2}, dose={3}")
    @MethodSource("slowCases")
    void pixelGroupJackknifeTauErrorsMatchTheActualErrorsForSlowDynamics(long seed, double tauFrames, double beta,
                                                                        double dose) throws IOException {
        SpeckleSimulation sim = Replicates.constant(SIDE, SIDE, FRAMES, 16, tauFrames, beta, 1.0)
            .pixelSizeInverseNm(0.4).dose(dose).seed(seed).build();
        FitOptions fo = FitOptions.defaults().withGammaFixed(1);
        double group = medianAbsZ(jackknifeFits(sim, fo, CorrelationOptions.defaults()
            .withStdErrMethod(StdErrMethod.PIXEL_GROUP_JACKKNIFE)), tauFrames);
        double block = medianAbsZ(jackknifeFits(sim, fo, CorrelationOptions.defaults()
            .withStdErrMethod(StdErrMethod.FRAME_BLOCK_JACKKNIFE)), tauFrames);
        System.out.println(String.format(Locale.ROOT, "seed %d (τ/T %.2f): median |τ̂ − τ|/error: pixel groups %.3f, "
            + "frame blocks %.3f (0.674 for honest Gaussian errors)", seed, tauFrames / FRAMES, group, block));
        assertTrue(group >= 0.42 && group <= 1.05, "median |τ̂ − τ| / pixel-group jackknife error = " + group);
    }

    /** Median |τ̂ − τ|/σ̂ over the reliable fits of {@link #jackknifeFits}; at least 90 of 100 must be reliable. */
    private static double medianAbsZ(double[][] r, double tauFrames) {
        double[] z = new double[r[0].length];
        int n = 0;
        for (int i = 0; i < r[0].length; i++) {
            if (FitStatus.ofCode((int) r[2][i]).isReliable()) {
                z[n++] = Math.abs(r[0][i] - tauFrames) / r[1][i];
            }
        }
        assertTrue(n >= 90, "reliable fits: " + n + " of " + r[0].length);
        return Replicates.median(java.util.Arrays.copyOf(z, n));
    }

    static double[] recover(long seed, double tauFrames, double beta, boolean gammaFree, double dose) throws IOException {
        return recover(seed, tauFrames, beta, gammaFree, dose, false);
    }

    /**
     * Fits 100 positions; asserts convergence and no bias; returns {median |τ̂/τ − 1|, RMS error / SD,
     * median |τ̂ − τ| / error}.
     */
    static double[] recover(long seed, double tauFrames, double beta, boolean gammaFree, double dose, boolean jackknife)
        throws IOException {
        double gamma = gammaFree ? SeededCases.rng(seed).nextDouble(0.7, 1.5) : 1.0;
        SpeckleSimulation sim = Replicates.constant(SIDE, SIDE, FRAMES, 16, tauFrames, beta, gamma)
            .pixelSizeInverseNm(0.4).dose(dose).seed(seed).build();
        FitOptions fo = gammaFree ? FitOptions.defaults().withGammaFree() : FitOptions.defaults().withGammaFixed(1);
        double[][] all = jackknife ? jackknifeFits(sim, fo) : fits(sim, fo);
        // Every fit must converge with γ fixed. With γ free, a weighted fit of a noisy curve can
        // have its lowest χ² at a spurious stretched solution (γ ≈ 0.3, τ below one frame), which
        // the resolvable-range rule flags UNRESOLVED_FAST: measured once in 100 positions
        // (seed −4311270584445902449, position 85: χ² 60 there vs 79 at the true solution under the
        // pixel-group weights). A free γ also widens τ's error where γ and τ trade off, so a position
        // can be IMPRECISE (τ's relative error above the limit). Such flagged fits (at most 2) are left
        // out of the statistics below, as maps leave them out of reliable τ.
        int converged = 0;
        for (int i = 0; i < all[0].length; i++) {
            if ((int) all[2][i] == FitStatus.CONVERGED.code()) {
                converged++;
            } else {
                FitStatus st = FitStatus.ofCode((int) all[2][i]);
                assertTrue(gammaFree, "status " + st + " at position " + i + ": τ is resolvable and γ fixed");
                assertTrue(st == FitStatus.UNRESOLVED_FAST || st == FitStatus.IMPRECISE, "status at position " + i + ": " + st);
            }
        }
        assertTrue(converged >= all[0].length - 2, "converged fits: " + converged + " of " + all[0].length);
        double[][] r = new double[all.length][converged];
        for (int i = 0, j = 0; i < all[0].length; i++) {
            if ((int) all[2][i] == FitStatus.CONVERGED.code()) {
                for (int q = 0; q < all.length; q++) {
                    r[q][j] = all[q][i];
                }
                j++;
            }
        }
        int n = converged;
        double[] relErr = new double[n];
        double[] relAbs = new double[n];
        for (int i = 0; i < n; i++) {
            relErr[i] = r[0][i] / tauFrames - 1;
            relAbs[i] = Math.abs(relErr[i]);
        }
        double sd = Replicates.sd(r[0]);
        double rmsErr = Math.sqrt(meanSquare(r[1]));
        System.out.println(String.format(Locale.ROOT, "seed %d (gamma %.2f%s): median |τ̂/τ − 1| %.4f, mean τ̂/τ − 1 %.4f ± %.4f, "
                + "SD(τ̂)/τ %.4f, RMS reported error/τ %.4f, ratio %.3f", seed, gamma, gammaFree ? " free" : " fixed",
            Replicates.median(relAbs), Replicates.mean(relErr), Replicates.standardError(relErr), sd / tauFrames,
            rmsErr / tauFrames, rmsErr / sd));
        Replicates.assertMean(0, relErr, 1e-4, "mean τ̂/τ − 1 (bias of τ)");
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = Math.abs(r[0][i] - tauFrames) / r[1][i];
        }
        System.out.println(String.format(Locale.ROOT, "  median |τ̂ − τ|/error %.3f (0.674 for honest Gaussian errors)",
            Replicates.median(z)));
        return new double[] {Replicates.median(relAbs), rmsErr / sd, Replicates.median(z)};
    }

    static double meanSquare(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return s / x.length;
    }

    static Stream<Arguments> unresolvedCases() {
        return SeededCases.of(0x0F1A6L, 6, r -> new Object[] {r.nextBoolean(), r.nextDouble(0.15, 0.5), r.nextBoolean()});
    }

    /**
     * τ far outside [Δt, T·Δt] (0.03 frames or 50 × the recording): no fit may be reported as a
     * reliable τ measurement. Slow: g − 1 ≈ β at every lag, and every fit is flagged
     * {@code UNRESOLVED_SLOW} or fails. Fast: g − 1 is noise around 0 at every lag ≥ 1; fits fail,
     * are {@code UNRESOLVED_FAST}, or — when the fit of the noise lands inside the window — are
     * flagged {@code NO_CONTRAST} by the decay test (before the test they were {@code CONVERGED};
     * a fit with β̂ ≥ 4 σ_β among them was allowed then). A reliable one now needs F-test
     * significance at level 0.001, which contrast-free positions reach with probability ≲ 1 %
     * (NoContrastTest), and τ̂ inside the window.
     */
    @ParameterizedTest(name = "seed {0}: fast={1}, beta={2}, gamma free={3}")
    @MethodSource("unresolvedCases")
    void tauFarOutsideTheWindowIsNeverAReliableMeasurement(long seed, boolean fast, double beta, boolean gammaFree)
        throws IOException {
        int frames = 50;
        double tauFrames = fast ? 0.03 : 50.0 * frames;
        SpeckleSimulation sim = Replicates.constant(4, 4, frames, 16, tauFrames, beta, 1).pixelSizeInverseNm(0.4)
            .dose(200).seed(seed).build();
        FitOptions fo = gammaFree ? FitOptions.defaults().withGammaFree() : FitOptions.defaults().withGammaFixed(1);
        double[][] r = fits(sim, fo);
        for (int i = 0; i < r[0].length; i++) {
            FitStatus st = FitStatus.ofCode((int) r[2][i]);
            assertTrue(!st.isReliable(), "τ = " + tauFrames + " frames reported reliable at position " + i + ": " + st
                + ", β = " + r[3][i] + " ± " + r[4][i] + ", τ = " + r[0][i] + " s");
        }
    }
}
