/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.TauSummary;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TemperatureSeriesTest {

    private static final int NY = 20;
    private static final int NX = 30;
    private static final double[] PAPER_T = {633, 643, 653, 663, 673};
    private static final double E_KJ = 97;
    private static final double TAU_INF = 1e-5;

    private static ScalarMap map(String name, double[] v) {
        return ScalarMap.of(name, "", NY, NX, v, 0.16, 0.16);
    }

    /**
     * Maps at one temperature: τ = τ_Arrhenius(T)·exp(0.4 f) with f a smooth field, 5 % failed fits;
     * V = 0.55 + 0.03 f + independent smooth noise, so τ and V correlate positively.
     */
    static HeterogeneityMaps maps(UniformRandomProvider rng, double kelvin, boolean withTemperature) {
        double[] f = SmoothFields.field(rng, NY, NX, 1.5);
        double[] g = SmoothFields.field(rng, NY, NX, 1.5);
        int n = NY * NX;
        double[] tau = new double[n];
        double[] v = new double[n];
        double[] nan = new double[n];
        byte[] status = new byte[n];
        double tauT = TAU_INF * Math.exp(E_KJ * 1000 / (ArrheniusFit.GAS_CONSTANT_J_PER_MOL_K * kelvin));
        for (int i = 0; i < n; i++) {
            tau[i] = tauT * Math.exp(0.4 * f[i]);
            v[i] = 0.55 + 0.03 * f[i] + 0.03 * g[i];
            nan[i] = Double.NaN;
            status[i] = (byte) (rng.nextDouble() < 0.05 ? FitStatus.MAX_ITERATIONS.code() : FitStatus.CONVERGED.code());
        }
        HeterogeneityMaps.Builder b = HeterogeneityMaps.builder(NY, NX, 0.16, 0.16)
            .dynamics(map("tau_s", tau), map("e", nan), map("b", nan), map("be", nan), map("g", nan), map("ge", nan), status)
            .structure(map("V", v));
        if (withTemperature) {
            b.temperatureKelvin(kelvin);
        }
        return b.build();
    }

    @ParameterizedTest(name = "seed {0}: {1} tau")
    @MethodSource("seriesCases")
    void rowsSummariseEachTemperatureAndTheFitRecoversE(long seed, TauSummary summary) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        List<HeterogeneityMaps> maps = new ArrayList<>();
        for (int i = PAPER_T.length - 1; i >= 0; i--) { // given in descending order: rows come out sorted
            maps.add(maps(rng, PAPER_T[i], true));
        }
        TemperatureSeries ts = TemperatureSeries.of(maps, new double[] {673, 663, 653, 643, 633},
            TemperatureSeries.Options.defaults().withSummary(summary));
        assertEquals(PAPER_T.length, ts.rows().size());
        for (int i = 0; i < PAPER_T.length; i++) {
            TemperatureSeries.Row r = ts.rows().get(i);
            HeterogeneityMaps m = maps.get(PAPER_T.length - 1 - i);
            assertEquals(PAPER_T[i], r.temperatureKelvin());
            ScalarMap tau = m.reliableTauSeconds();
            assertEquals(tau.validCount(), r.n());
            assertEquals(summary.of(tau), r.tauSeconds(), 0.0);
            assertEquals(SpatialSummary.standardError(tau, summary), r.tauErrorSeconds(), 0.0);
            assertEquals(m.speckleVariance().mean(), r.meanVariance(), 0.0);
            assertEquals(Spearman.test(tau, m.speckleVariance()), r.correlation());
            assertTrue(r.correlation().rho() > 0, "tau and V correlate positively by construction: " + r);
        }
        ArrheniusFit fit = ts.arrhenius().orElseThrow();
        assertEquals(summary, fit.summary());
        // Each summary scatters by its spatial SE around τ_Arr(T)·const, so E is within its stated error;
        // 4.5 σ (false failure 7e-6 if the errors are right; the default scaling only widens them).
        Tolerance.sigmas(4.5, fit.activationEnergyErrorKJPerMol()).because("Arrhenius fit of 5 summaries")
            .assertClose(E_KJ, fit.activationEnergyKJPerMol(), "E from the series");
        String table = ts.toString();
        assertTrue(table.contains("T (K)") && table.contains("633.0") && table.contains("Arrhenius: E ="), table);
    }

    static Stream<Arguments> seriesCases() {
        return SeededCases.of(0x7E3FL, 6, r -> new Object[] {TauSummary.values()[r.nextInt(3)]});
    }

    @Test
    void temperaturesComeFromTheMapsOrAClearError() {
        UniformRandomProvider rng = SeededCases.rng(5);
        List<HeterogeneityMaps> maps = List.of(maps(rng, 633, true), maps(rng, 653, true));
        TemperatureSeries ts = TemperatureSeries.of(maps);
        assertEquals(633, ts.rows().get(0).temperatureKelvin());
        assertEquals(TauSummary.MEAN, ts.options().summary(), "default summary: the mean, as the paper");
        assertTrue(Double.isNaN(ts.arrhenius().orElseThrow().reducedChiSquare()), "two temperatures: no χ²");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TemperatureSeries.of(List.of(maps(rng, 633, true), maps(rng, 643, false))));
        assertTrue(e.getMessage().contains("maps[1] has no temperature"), e.getMessage());
        HeterogeneityMaps structureOnly = HeterogeneityMaps.builder(NY, NX, 0.16, 0.16)
            .structure(map("V", new double[NY * NX])).temperatureKelvin(633).build();
        e = assertThrows(IllegalArgumentException.class, () -> TemperatureSeries.of(List.of(structureOnly)));
        assertTrue(e.getMessage().contains("holds no dynamics"), e.getMessage());
        TemperatureSeries single = TemperatureSeries.of(List.of(maps(rng, 633, true)));
        assertTrue(single.arrhenius().isEmpty());
        assertTrue(single.toString().contains("not fitted"), single.toString());
    }

    /**
     * One area at five temperatures: τ_T(r) = τ_Arr(T) · exp(0.5 f(r) + 0.1 ε_T(r)), with the structure
     * field f shared by every temperature and independent measurement noise ε_T; V(r) = 0.55 + 0.03 f(r)
     * + 0.005 η_T(r) (the structure does not change with temperature).
     */
    static List<HeterogeneityMaps> sameArea(UniformRandomProvider rng) {
        double[] f = SmoothFields.field(rng, NY, NX, 1.5);
        org.apache.commons.rng.sampling.distribution.ZigguratSampler.NormalizedGaussian z =
            org.apache.commons.rng.sampling.distribution.ZigguratSampler.NormalizedGaussian.of(rng);
        List<HeterogeneityMaps> out = new ArrayList<>();
        int n = NY * NX;
        for (double kelvin : PAPER_T) {
            double tauT = TAU_INF * Math.exp(E_KJ * 1000 / (ArrheniusFit.GAS_CONSTANT_J_PER_MOL_K * kelvin));
            double[] tau = new double[n];
            double[] v = new double[n];
            double[] nan = new double[n];
            byte[] status = new byte[n];
            for (int i = 0; i < n; i++) {
                tau[i] = tauT * Math.exp(0.5 * f[i] + 0.1 * z.sample());
                v[i] = 0.55 + 0.03 * f[i] + 0.005 * z.sample();
                nan[i] = Double.NaN;
                status[i] = (byte) FitStatus.CONVERGED.code();
            }
            out.add(HeterogeneityMaps.builder(NY, NX, 0.16, 0.16)
                .dynamics(map("tau_s", tau), map("e", nan), map("b", nan), map("be", nan), map("g", nan), map("ge", nan), status)
                .structure(map("V", v)).temperatureKelvin(kelvin).build());
        }
        return out;
    }

    /**
     * The paired design (issue 13, part 5): when every temperature images the same area, the spatial
     * sampling error of the τ summaries is shared and moves τ∞, not E. Over 200 simulated series
     * (independent structure fields) the actual scatter of E is far below the error of the
     * independent-errors fit, and the paired fit's stated σ_E ({@code Scaling.NONE}) matches it: RMS
     * σ_E / SD(Ê) in [0.8, 1.25] (the SD of 200 values has a relative sampling error of 5 % and σ_E
     * scatters from series to series; the bounds are ≈ 4 such errors), and with the default scaling
     * (widened by χ²_ν when above 1) E lies within 2σ_E in at least 90 % of the series (binomial: a
     * calibrated 95.4 % falls below 90 % with probability &lt; 1e-4). AUTO pairs these maps (their V
     * maps correlate) and does not pair maps of different areas.
     */
    @Test
    void pairedPositionsGiveAnActivationEnergyErrorThatMatchesItsScatter() {
        UniformRandomProvider rng = SeededCases.rng(0x9A1EDL);
        int reps = 200;
        double[] e = new double[reps];
        double[] stated = new double[reps];
        double[] independentSigma = new double[reps];
        int within2 = 0;
        TemperatureSeries.Options paired = TemperatureSeries.Options.defaults().withPairing(TemperatureSeries.Pairing.PAIRED);
        for (int k = 0; k < reps; k++) {
            List<HeterogeneityMaps> maps = sameArea(rng);
            ArrheniusFit p = TemperatureSeries.of(maps, PAPER_T, paired).arrhenius().orElseThrow();
            e[k] = p.activationEnergyKJPerMol();
            within2 += Math.abs(e[k] - E_KJ) <= 2 * p.activationEnergyErrorKJPerMol() ? 1 : 0;
            stated[k] = TemperatureSeries.of(maps, PAPER_T, paired.withScaling(Arrhenius.Scaling.NONE)).arrhenius()
                .orElseThrow().activationEnergyErrorKJPerMol();
            independentSigma[k] = TemperatureSeries.of(maps, PAPER_T, paired.withPairing(TemperatureSeries.Pairing.INDEPENDENT))
                .arrhenius().orElseThrow().activationEnergyErrorKJPerMol();
        }
        double sd = org.fivedstem.core.simulation.Replicates.sd(e);
        double rmsStated = Math.sqrt(java.util.Arrays.stream(stated).map(x -> x * x).average().orElseThrow());
        double rmsIndependent = Math.sqrt(java.util.Arrays.stream(independentSigma).map(x -> x * x).average().orElseThrow());
        String what = String.format(java.util.Locale.ROOT,
            "SD(E) %.3f kJ/mol, RMS stated σ_E paired %.3f, independent %.3f; default scaling: within 2σ %d/%d",
            sd, rmsStated, rmsIndependent, within2, reps);
        System.out.println(what);
        assertTrue(rmsStated / sd >= 0.8 && rmsStated / sd <= 1.25, what);
        assertTrue(within2 >= 0.9 * reps, what);
        assertTrue(rmsIndependent > 3 * sd, "the independent-errors fit overstates σ_E: " + what);
        List<HeterogeneityMaps> one = sameArea(rng);
        assertTrue(TemperatureSeries.of(one, PAPER_T, TemperatureSeries.Options.defaults()).pairedPositions(), "AUTO: same area");
        List<HeterogeneityMaps> mixed = new ArrayList<>();
        for (int i = 0; i < PAPER_T.length; i++) {
            mixed.add(sameArea(rng).get(i)); // a new area at every temperature
        }
        assertTrue(!TemperatureSeries.of(mixed, PAPER_T, TemperatureSeries.Options.defaults()).pairedPositions(),
            "AUTO: different areas");
    }

    /**
     * Censoring-aware series (issue 13, part 1): one area, and at the coldest temperature the
     * positions whose τ exceeds 1.6× its median τ (about a fifth) are right-censored (status 2) at a
     * limit below their true τ (τ·exp(−0.2), as a lower confidence bound is). The Kaplan–Meier median
     * keeps them, so E from the median summaries is unbiased (within 4.5 σ_E of the paired fit, false
     * failure 7e-6 per case); dropping them (the rule before) lowers the cold medians and E by far more
     * than σ_E. The rows report the censored counts.
     */
    @Test
    void censoredSlowPositionsKeepTheActivationEnergyUnbiased() {
        UniformRandomProvider rng = SeededCases.rng(0xCE5L);
        for (int k = 0; k < 5; k++) {
            List<HeterogeneityMaps> maps = sameArea(rng);
            List<HeterogeneityMaps> censored = new ArrayList<>();
            List<HeterogeneityMaps> dropped = new ArrayList<>();
            for (int j = 0; j < maps.size(); j++) {
                HeterogeneityMaps m = maps.get(j);
                double cut = j == 0 ? 1.6 * m.tauSeconds().median() : Double.POSITIVE_INFINITY;
                HeterogeneityMaps.Builder c = HeterogeneityMaps.builder(NY, NX, 0.16, 0.16).temperatureKelvin(PAPER_T[j]);
                HeterogeneityMaps.Builder d = HeterogeneityMaps.builder(NY, NX, 0.16, 0.16).temperatureKelvin(PAPER_T[j]);
                for (int y = 0; y < NY; y++) {
                    for (int x = 0; x < NX; x++) {
                        double tau = m.tauSeconds().get(y, x);
                        KwwFit f = new KwwFit(0.2, 0.01, tau, 0.05 * tau, 1, 0, true, 0, Double.NaN, false, 1, 5,
                            FitStatus.CONVERGED, 1, 50);
                        boolean slow = tau > cut;
                        c.fit(y, x, slow ? f.withCensoring(tau * Math.exp(-0.2)) : f);
                        d.fit(y, x, slow ? f.withStatus(FitStatus.UNRESOLVED_FAST) : f); // any unreliable status: dropped
                    }
                }
                censored.add(c.structure(m.speckleVariance()).build());
                dropped.add(d.structure(m.speckleVariance()).build());
            }
            TemperatureSeries.Options median = TemperatureSeries.Options.defaults().withSummary(TauSummary.MEDIAN);
            TemperatureSeries ts = TemperatureSeries.of(censored, PAPER_T, median);
            ArrheniusFit fit = ts.arrhenius().orElseThrow();
            ArrheniusFit biased = TemperatureSeries.of(dropped, PAPER_T, median).arrhenius().orElseThrow();
            assertTrue(ts.pairedPositions(), "one area");
            assertTrue(ts.rows().get(0).censored() > 0.05 * NY * NX && ts.rows().get(1).censored() == 0, ts.toString());
            Tolerance.sigmas(4.5, fit.activationEnergyErrorKJPerMol()).because("Kaplan–Meier medians, paired fit")
                .assertClose(E_KJ, fit.activationEnergyKJPerMol(), "E with censoring");
            assertTrue(E_KJ - biased.activationEnergyKJPerMol() > 3 * fit.activationEnergyErrorKJPerMol(),
                "dropping the slow positions biases E low: " + biased + " vs " + fit);
        }
    }
}
