/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.QRange;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.Correlator;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.fitting.KwwFitter;
import org.fivedstem.core.fluctuation.SpeckleVarianceKernel;
import org.fivedstem.core.simulation.Replicates;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine on simulated recordings: its maps equal the per-position core functions, the V map
 * follows the simulator's expected map, and the τ map keeps the truth's rank order (issue 4 (f),
 * issue 5, engine).
 */
class SimulatedAnalysisTest {

    static final QRange DYN = QRange.of(3.6, 5.0);
    static final QRange STRUCT = QRange.of(3.0, 5.8);

    static SpeckleSimulation.Builder base(int sy, int sx, int frames) {
        return SpeckleSimulation.builder().scan(sy, sx).frames(frames).patternSize(24, 24).pixelSizeInverseNm(0.4)
            .frameIntervalSeconds(1).temperatureKelvin(Double.NaN);
    }

    /** Every map value equals the core function applied to that position alone (one simulated case). */
    @Test
    void mapsEqualPerPositionCoreFunctions() throws IOException {
        SpeckleSimulation sim = base(3, 4, 40).tauMedianSeconds(8).dose(20).seed(0x51AL).build();
        Dataset5D ds = sim.toInMemoryDataset(2);
        FitOptions fo = FitOptions.defaults().withGammaFixed(1);
        AnalysisResult r = Analysis.of(ds).dynamics(DYN, CorrelationOptions.defaults(), fo).structure(STRUCT).withThreads(2).run();
        AnnulusMask dyn = AnnulusMask.of(ds, DYN);
        SpeckleVarianceKernel k = SpeckleVarianceKernel.of(AnnulusMask.of(ds, STRUCT));
        HeterogeneityMaps m = r.maps();
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                CorrelationCurve c = Correlator.withDefaults().curve(ds, dyn, y, x);
                assertArrayEquals(c.values(), r.curve(y, x).values(), "g at " + y + "," + x);
                assertArrayEquals(c.stdErrs(), r.curve(y, x).stdErrs(), "SE at " + y + "," + x);
                assertEquals(org.fivedstem.core.fitting.JackknifeFits.at(ds, dyn, y, x,
                    CorrelationOptions.defaults(), KwwFitter.of(fo)), r.fit(y, x), "fit at " + y + "," + x);
                assertEquals(KwwFitter.of(fo).fit(c).tauSeconds(), r.fit(y, x).tauSeconds(), 0.0);
                double s = 0;
                for (int t = 0; t < 40; t++) {
                    s += k.variance(ds.readPattern(t, y, x));
                }
                Tolerance.relative(1e-15).assertClose(s / 40, m.speckleVariance().get(y, x), "V at " + y + "," + x);
            }
        }
        assertTrue(m.count(org.fivedstem.api.FitStatus.CONVERGED) >= 9, m.toString());
    }

    static Stream<Arguments> varianceMapCases() {
        return SeededCases.of(0x7A9L, 3, r -> new Object[] {r.nextBoolean() ? 0.0 : r.nextDouble(5, 50)});
    }

    /**
     * The engine's V map against {@code expectedSpeckleVarianceMap} on a heterogeneous β map
     * (0.1–0.5): the differences V̂ − E[V] of the 64 positions (independent streams) have mean 0
     * and no trend with E[V] (slope 0), each within k SE at false failure 1e-5 (Student t(63)
     * for the mean, t(62) for the OLS slope). τ is short (≈ 2 frames), so the 30 frames average
     * several independent speckle patterns.
     */
    @ParameterizedTest(name = "seed {0}: dose={1}")
    @MethodSource("varianceMapCases")
    void varianceMapFollowsTheExpectedMap(long seed, double dose) throws IOException {
        SpeckleSimulation sim = base(8, 8, 30).tauMedianSeconds(2).tauSpreadLn(0.2).betaRange(0.1, 0.5)
            .correlationLengthSteps(1).dose(dose).seed(seed).build();
        Dataset5D ds = sim.toInMemoryDataset(2);
        AnalysisResult r = Analysis.of(ds).structure(STRUCT).withThreads(2).run();
        double[] v = r.maps().speckleVariance().values();
        double[] e = sim.expectedSpeckleVarianceMap(AnnulusMask.of(ds, STRUCT)).values();
        double[] d = new double[v.length];
        SimpleRegression reg = new SimpleRegression();
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i] - e[i];
            reg.addData(e[i], d[i]);
        }
        Replicates.assertMean(0, d, 1e-5, "mean of V̂ − E[V] over the map");
        double k = Replicates.sigmas(1e-5, v.length - 1);
        Tolerance.sigmas(k, reg.getSlopeStdErr()).because("OLS slope of V̂ − E[V] on E[V], Student t(62); false failure 1e-5")
            .assertClose(0, reg.getSlope(), "trend of V̂ − E[V] with E[V] (V̂ tracks E[V] with unit slope)");
    }

    static Stream<Arguments> rankCases() {
        return SeededCases.of(0x4A4CL, 3, r -> new Object[] {r.nextBoolean() ? 0.0 : 100.0, r.nextDouble(0.4, 0.8)});
    }

    /**
     * (f) On a 12×12 heterogeneous map (ln τ spread 0.5 around 8 frames, β 0.2–0.5, Spearman(τ, β)
     * = ρ), the engine's reliable τ map has Spearman ≥ 0.85 with the truth, and the τ̂–β̂ rank
     * correlation is within [0.8 ρ_t − 0.12, ρ_t + 0.12] of the truth maps' realised ρ_t.
     *
     * <p>Bounds: the truth ln τ has SD s ≈ 0.5; per-position errors of ln τ̂ are ≈ 0.1 at this
     * scale (SimulatedFitTest: 7–9 % at a similar P·T/τ) — take a pessimistic σ = 0.2. Then
     * Pearson(ln τ̂, ln τ) = s/√(s² + σ²) = 0.93 and Spearman = (6/π)·asin(0.93/2) = 0.92; its
     * sampling SD for 144 positions with independent errors is ≈ (1 − ρ²)/√n ≈ 0.013, so 0.85 is
     * 5 SD below. The truth and recovered ρ are computed on the same positions, so the spatial
     * sampling of the truth maps cancels; measurement noise attenuates ρ by r_τ·r_β ≥ 0.9
     * (β̂ errors ≈ 1–3 % against a 25 % spread) and adds sampling noise ≈ 0.04 (3 SD: 0.12).
     */
    @ParameterizedTest(name = "seed {0}: dose={1}, rho={2}")
    @MethodSource("rankCases")
    void tauMapKeepsTheTruthsRankOrder(long seed, double dose, double rho) throws IOException {
        SpeckleSimulation sim = base(12, 12, 64).tauMedianSeconds(8).tauSpreadLn(0.5).betaRange(0.2, 0.5)
            .rankCorrelation(rho).dose(dose).seed(seed).build();
        Dataset5D ds = sim.toInMemoryDataset(2);
        AnalysisResult r = Analysis.of(ds).dynamics(DYN, CorrelationOptions.defaults(), FitOptions.defaults().withGammaFixed(1))
            .withThreads(2).run();
        double[] tauHat = r.maps().reliableTauSeconds().values();
        double[] betaHat = r.maps().beta().values();
        double[] tau = sim.tauSeconds().values();
        double[] beta = sim.beta().values();
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < tau.length; i++) {
            if (Double.isFinite(tauHat[i])) {
                rows.add(new double[] {tauHat[i], tau[i], betaHat[i], beta[i]});
            }
        }
        assertTrue(rows.size() >= 0.9 * tau.length, "reliable fits: " + rows.size() + " of " + tau.length);
        double[][] cols = new double[4][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < 4; j++) {
                cols[j][i] = rows.get(i)[j];
            }
        }
        SpearmansCorrelation sp = new SpearmansCorrelation();
        double rhoTau = sp.correlation(cols[0], cols[1]);
        double truth = sp.correlation(cols[1], cols[3]);
        double recovered = sp.correlation(cols[0], cols[2]);
        String what = String.format(Locale.ROOT, "Spearman(τ̂, τ) = %.3f; Spearman(τ̂, β̂) = %.3f vs truth %.3f (%d positions)",
            rhoTau, recovered, truth, rows.size());
        System.out.println("seed " + seed + ": " + what);
        assertTrue(rhoTau >= 0.85, what);
        assertTrue(recovered >= 0.8 * truth - 0.12 && recovered <= truth + 0.12, what);
    }
}
