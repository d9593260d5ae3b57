/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.TauSummary;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ArrheniusTest {

    private static final double R = ArrheniusFit.GAS_CONSTANT_J_PER_MOL_K;
    /** The paper's temperatures, K. */
    private static final double[] PAPER_T = {633, 643, 653, 663, 673};

    private static double tau(double tauInf, double eKJ, double t) {
        return tauInf * Math.exp(eKJ * 1000 / (R * t));
    }

    @ParameterizedTest(name = "seed {0}: E = {1} kJ/mol, tau_inf = {2} s")
    @MethodSource("exactCases")
    void recoversExactParameters(long seed, double eKJ, double tauInf) {
        double[] tau = new double[PAPER_T.length];
        double[] err = new double[PAPER_T.length];
        UniformRandomProvider rng = SeededCases.rng(seed);
        for (int i = 0; i < tau.length; i++) {
            tau[i] = tau(tauInf, eKJ, PAPER_T[i]);
            err[i] = tau[i] * rng.nextDouble(0.05, 0.5);
        }
        ArrheniusFit f = Arrhenius.fit(PAPER_T, tau, err, TauSummary.MEAN);
        Tolerance.relative(1e-9).because("noise-free data; conditioning of 1/T over 633–673 K")
            .assertClose(eKJ, f.activationEnergyKJPerMol(), "E");
        Tolerance.relative(1e-7).because("τ∞ is an extrapolation to 1/T = 0: E/RT ≈ 18 amplifies rounding")
            .assertClose(tauInf, f.tauInfSeconds(), "tau_inf");
        Tolerance.absolute(1e-16).assertClose(0, f.reducedChiSquare(), "reduced chi²");
        Tolerance.relative(1e-9).assertClose(tau[2], f.tauSecondsAt(PAPER_T[2]), "tau(653 K)");
    }

    static Stream<Arguments> exactCases() {
        return SeededCases.of(0xA221L, 10, r -> new Object[] {r.nextDouble(20, 300), Math.exp(r.nextDouble(-40, 0))});
    }

    @ParameterizedTest(name = "seed {0}: {1} temperatures")
    @MethodSource("olsCases")
    void matchesCommonsMathOlsOnWeightedRows(long seed, int n) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] t = new double[n];
        double[] tau = new double[n];
        double[] err = new double[n];
        double[][] design = new double[n][2];
        double[] yw = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 600 + 10 * i + rng.nextDouble();
            tau[i] = tau(1e-5, 97, t[i]) * Math.exp(rng.nextDouble(-0.3, 0.3));
            err[i] = tau[i] * rng.nextDouble(0.05, 0.3);
            double sw = tau[i] / err[i]; // √w = 1/σ_lnτ
            design[i][0] = sw;
            design[i][1] = sw / t[i];
            yw[i] = sw * Math.log(tau[i]);
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.setNoIntercept(true);
        ols.newSampleData(yw, design);
        double[] beta = ols.estimateRegressionParameters();
        double[] se = ols.estimateRegressionParametersStandardErrors(); // scaled by RSS/(n − 2)
        ArrheniusFit f = Arrhenius.fit(t, tau, err, TauSummary.MEDIAN, Arrhenius.Scaling.ALWAYS);
        Tolerance tol = Tolerance.relative(1e-8).because("QR on √w-scaled rows vs centred closed form");
        tol.assertClose(R * beta[1] / 1000, f.activationEnergyKJPerMol(), "E");
        tol.assertClose(R * se[1] / 1000, f.activationEnergyErrorKJPerMol(), "sigma_E");
        Tolerance.relative(1e-6).assertClose(Math.exp(beta[0]), f.tauInfSeconds(), "tau_inf");
        Tolerance.relative(1e-6).assertClose(Math.exp(beta[0]) * se[0], f.tauInfErrorSeconds(), "sigma tau_inf");
        tol.assertClose(ols.calculateResidualSumOfSquares() / (n - 2), f.reducedChiSquare(), "reduced chi²");
        ArrheniusFit none = Arrhenius.fit(t, tau, err, TauSummary.MEDIAN, Arrhenius.Scaling.NONE);
        tol.assertClose(f.activationEnergyErrorKJPerMol() / Math.sqrt(f.reducedChiSquare()),
            none.activationEnergyErrorKJPerMol(), "unscaled sigma_E");
        ArrheniusFit dflt = Arrhenius.fit(t, tau, err, TauSummary.MEDIAN);
        double expected = f.reducedChiSquare() > 1 ? f.activationEnergyErrorKJPerMol() : none.activationEnergyErrorKJPerMol();
        tol.assertClose(expected, dflt.activationEnergyErrorKJPerMol(), "default: scaled only when chi²/ν > 1");
    }

    static Stream<Arguments> olsCases() {
        return SeededCases.of(0x0150L, 10, r -> new Object[] {r.nextInt(3, 9)});
    }

    /**
     * Coverage of E ± 2σ_E over many simulated series: τ from E = 97 kJ/mol, τ∞ = 1e−5 s at the
     * paper's five temperatures, with log-normal noise of known σ per temperature.
     */
    @Test
    void twoSigmaIntervalOfERecoversTheTruthAtTheNominalRate() {
        int series = 2000;
        double eTrue = 97;
        int coveredNone = 0;
        int coveredDefault = 0;
        int coveredAlways = 0;
        UniformRandomProvider rng = SeededCases.rng(0xC07E2L);
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        int n = PAPER_T.length;
        for (int s = 0; s < series; s++) {
            double[] tau = new double[n];
            double[] err = new double[n];
            for (int i = 0; i < n; i++) {
                double sigma = rng.nextDouble(0.05, 0.4);
                tau[i] = tau(1e-5, eTrue, PAPER_T[i]) * Math.exp(sigma * g.sample());
                err[i] = sigma * tau[i]; // σ_lnτ = σ_τ/τ = sigma exactly
            }
            coveredNone += covers(Arrhenius.fit(PAPER_T, tau, err, TauSummary.MEAN, Arrhenius.Scaling.NONE), eTrue);
            coveredDefault += covers(Arrhenius.fit(PAPER_T, tau, err, TauSummary.MEAN), eTrue);
            coveredAlways += covers(Arrhenius.fit(PAPER_T, tau, err, TauSummary.MEAN, Arrhenius.Scaling.ALWAYS), eTrue);
        }
        // Known σ: E is normal, P(|Z| ≤ 2) = 0.9545. Binomial SD over 2000 series = 0.47 %; 4 SD (false failure 6e-5).
        double p = 0.9545;
        double sd = Math.sqrt(p * (1 - p) / series);
        assertEquals(p, (double) coveredNone / series, 4 * sd, "coverage with the stated errors");
        // Birge scaling only widens: coverage at least nominal (within the same tolerance).
        assertTrue(coveredDefault >= coveredNone && coveredDefault >= series * (p - 4 * sd), "default coverage " + coveredDefault);
        // Always scaling by χ²_ν with ν = 3: (Ê − E)/σ̂ is Student t(3), P(|t| ≤ 2) = 0.8607.
        double pt = 1 - 2 * new TDistribution(null, 3).cumulativeProbability(-2);
        double sdt = Math.sqrt(pt * (1 - pt) / series);
        assertEquals(pt, (double) coveredAlways / series, 4 * sdt, "coverage when always scaled: t with 3 df");
    }

    private static int covers(ArrheniusFit f, double e) {
        return Math.abs(f.activationEnergyKJPerMol() - e) <= 2 * f.activationEnergyErrorKJPerMol() ? 1 : 0;
    }

    @Test
    void unweightedFitAndTwoTemperatures() {
        double[] t = {633, 673};
        double[] tau = {tau(1e-5, 97, 633), tau(1e-5, 97, 673)};
        ArrheniusFit two = Arrhenius.fit(t, tau, new double[] {Double.NaN, Double.NaN}, TauSummary.GEOMETRIC_MEAN);
        Tolerance.relative(1e-9).assertClose(97, two.activationEnergyKJPerMol(), "E through two points");
        assertTrue(Double.isNaN(two.reducedChiSquare()) && Double.isNaN(two.activationEnergyErrorKJPerMol()),
            "no degrees of freedom, no error: " + two);
        ArrheniusFit twoWeighted = Arrhenius.fit(t, tau, new double[] {tau[0] * 0.1, tau[1] * 0.1}, TauSummary.MEAN);
        assertTrue(twoWeighted.activationEnergyErrorKJPerMol() > 0, "stated errors propagate: " + twoWeighted);
        // Hand check: σ_b² = 1/Σw(x − x̄)² with w = 100 each: Σ = 2·100·(Δx/2)², Δx = 1/633 − 1/673.
        double dx = 1.0 / 633 - 1.0 / 673;
        Tolerance.relative(1e-9).assertClose(R / 1000 / Math.sqrt(200 * dx * dx / 4),
            twoWeighted.activationEnergyErrorKJPerMol(), "sigma_E by hand");
    }

    @Test
    void rejectsBadInput() {
        double[] t = {633, 643, 653};
        double[] tau = {10, 5, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Arrhenius.fit(t, new double[] {10, -5, 2}, new double[] {1, 1, 1}, TauSummary.MEAN));
        assertTrue(e.getMessage().contains("tauSeconds[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> Arrhenius.fit(t, tau, new double[] {1, Double.NaN, 1}, TauSummary.MEAN));
        assertTrue(e.getMessage().contains("give all 3 or none"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> Arrhenius.fit(new double[] {633, 633}, new double[] {1, 2}, new double[] {1, 1}, TauSummary.MEAN));
        assertTrue(e.getMessage().contains("all equal"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> Arrhenius.fit(t, tau, new double[] {1, 0, 1}, TauSummary.MEAN));
        assertTrue(e.getMessage().contains("tauErrorSeconds[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> Arrhenius.fit(new double[] {633}, new double[] {1}, new double[] {1}, TauSummary.MEAN));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
    }
}
