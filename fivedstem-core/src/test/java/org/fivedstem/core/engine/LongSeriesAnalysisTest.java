/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.QRange;
import org.fivedstem.core.correlation.CorrelationAlgorithm;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.fitting.Estimator;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine on a long series (600 frames, above {@link CorrelationKernel#MULTI_TAU_MIN_FRAMES}):
 * the defaults take the multi-tau route, the curves carry its lags, the fits recover the simulated
 * τ and agree with the direct route's on the same data, and the results are the same bits for any
 * thread count and memory budget.
 */
class LongSeriesAnalysisTest {

    private static final int FRAMES = 600;
    private static SpeckleSimulation sim;
    private static Dataset5D ds;
    private static final FitOptions FIT = FitOptions.defaults().withGammaFixed(1);
    private static final QRange DYN = QRange.of(4.2, 4.6);

    @BeforeAll
    static void simulate() throws IOException {
        // The walk-through's geometry (48 × 48 pixels of 0.25 nm⁻¹, 10 e⁻ per pixel and frame), 3 × 3
        // positions, τ ≈ 60 frames: a tenth of the recording.
        sim = SpeckleSimulation.builder().scan(3, 3).frames(FRAMES).patternSize(48, 48).pixelSizeInverseNm(0.25)
            .frameIntervalSeconds(1).tauMedianSeconds(60).tauSpreadLn(0.3).temperatureKelvin(Double.NaN).seed(0x1065L).build();
        ds = sim.toInMemoryDataset(2);
    }

    private static AnalysisResult run(CorrelationOptions co, FitOptions fo, int threads, long budget) throws IOException {
        return Analysis.of(ds).dynamics(DYN, co, fo).withThreads(threads).withMemoryBudgetBytes(budget).run();
    }

    @Test
    void theDefaultsTakeTheMultiTauRouteAndItsLags() throws IOException {
        AnalysisResult r = run(CorrelationOptions.defaults(), FIT, 2, 256L << 20);
        int[] lagFrames = CorrelationKernel.lagFrames(CorrelationOptions.defaults(), FRAMES);
        assertEquals(CorrelationKernel.lagCount(CorrelationOptions.defaults().withAlgorithm(CorrelationAlgorithm.MULTI_TAU), FRAMES),
            r.lagCount());
        assertEquals(FRAMES, r.frameCount());
        double[] lags = r.curve(1, 1).lagsSeconds();
        assertEquals(lagFrames.length, lags.length);
        for (int i = 0; i < lags.length; i++) {
            assertEquals(lagFrames[i] * 1.0, lags[i], 0.0, "lag " + i);
        }
        assertFalse(r.quasiLikelihood(), "the multi-tau route has no two-time sums for the quasi-likelihood");
        AnalysisResult asked = run(CorrelationOptions.defaults(), FIT.withEstimator(Estimator.QUASI_LIKELIHOOD), 2, 256L << 20);
        assertFalse(asked.quasiLikelihood());
        assertEquals(r.fit(1, 1), asked.fit(1, 1), "least squares either way");
    }

    /**
     * Against the truth and the direct route. Each position's τ̂ should lie within 3 jackknife
     * SEs of its simulated τ (the SEs cover 90 % at ±1.96 on such maps, docs/dynamics.md, so all 9
     * within ±3 SE is expected). The two routes estimate τ from the same frames — identical pairs
     * up to lag 15, smoothed and differently weighted pairs beyond — so their difference is a
     * fraction of either's error: within one SE of the direct route's estimate.
     */
    @Test
    void fitsRecoverTheTruthAndAgreeWithTheDirectRoute() throws IOException {
        AnalysisResult multi = run(CorrelationOptions.defaults(), FIT, 2, 256L << 20);
        AnalysisResult direct = run(CorrelationOptions.defaults().withAlgorithm(CorrelationAlgorithm.DIRECT), FIT, 2, 256L << 20);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                KwwFit m = multi.fit(y, x);
                KwwFit d = direct.fit(y, x);
                String where = "(" + y + ", " + x + "): multi-tau " + m + ", direct " + d;
                assertEquals(FitStatus.CONVERGED, m.status(), where);
                double truth = sim.tauSeconds(y, x);
                assertEquals(truth, m.tauSeconds(), 3 * m.tauErrorSeconds(), where + ", truth " + truth);
                assertEquals(d.tauSeconds(), m.tauSeconds(), d.tauErrorSeconds(), where);
            }
        }
    }

    @Test
    void sameBitsForAnyThreadCountAndMemoryBudget() throws IOException {
        AnalysisResult a = run(CorrelationOptions.defaults(), FIT, 1, 256L << 20);
        AnalysisResult b = run(CorrelationOptions.defaults(), FIT, 2, 11L << 20);
        assertTrue(b.blockCount() > 1, "the small budget splits the scan into blocks");
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                assertArrayEquals(a.curve(y, x).values(), b.curve(y, x).values());
                assertArrayEquals(a.curve(y, x).stdErrs(), b.curve(y, x).stdErrs());
                assertEquals(a.fit(y, x), b.fit(y, x));
            }
        }
    }
}
