/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.QRange;
import org.fivedstem.api.Shape5D;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.Correlator;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DynamicsMapperTest {

    static final int T = 60;
    static final int SY = 4;
    static final int SX = 5;
    static final int K = 11;
    static Dataset5D ds;
    static AnnulusMask annulus;

    /**
     * Each position: independent complex-Gaussian AR(1) speckle per pixel with its own τ (4–12
     * frames), so that g − 1 = exp(−2k/τ). A test-local field until the simulator lands.
     */
    @BeforeAll
    static void data() {
        UniformRandomProvider rng = SeededCases.rng(2024);
        ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] v = new double[T * SY * SX * K * K];
        for (int y = 0; y < SY; y++) {
            for (int x = 0; x < SX; x++) {
                double tau = 4 + 8.0 * (y * SX + x) / (SY * SX);
                double rho = Math.exp(-1 / tau);
                double in = Math.sqrt((1 - rho * rho) / 2);
                for (int px = 0; px < K * K; px++) {
                    double re = z.sample() * Math.sqrt(0.5);
                    double im = z.sample() * Math.sqrt(0.5);
                    for (int t = 0; t < T; t++) {
                        if (t > 0) {
                            re = rho * re + in * z.sample();
                            im = rho * im + in * z.sample();
                        }
                        v[(((t * SY + y) * SX + x) * K * K) + px] = re * re + im * im;
                    }
                }
            }
        }
        Calibration cal = Calibration.builder().frameIntervalSeconds(2).scanStepNm(0.16).pixelSizeInverseNm(1)
            .centerPx(5, 5).temperatureKelvin(633).build();
        ds = Dataset5D.ofArray(Shape5D.of(T, SY, SX, K, K), v, cal);
        annulus = AnnulusMask.of(ds, QRange.of(2, 5), 2);
    }

    @Test
    void mapsAreIdenticalForAnyThreadCountAndEqualThePerPositionApi() throws IOException {
        CorrelationOptions co = CorrelationOptions.defaults();
        FitOptions fo = FitOptions.defaults().withGammaFixed(1);
        DynamicsMapper.Result one = DynamicsMapper.of(co, fo).withThreads(1).map(ds, annulus, ProgressListener.NONE);
        for (int threads : new int[] {2, 3, 7}) {
            DynamicsMapper.Result r = DynamicsMapper.of(co, fo).withThreads(threads).map(ds, annulus, null);
            assertEquals(one.maps(), r.maps(), threads + " threads");
        }
        Correlator c = Correlator.of(co);
        KwwFitter f = KwwFitter.of(fo);
        int reliable = 0;
        for (int y = 0; y < SY; y++) {
            for (int x = 0; x < SX; x++) {
                CorrelationCurve curve = c.curve(ds, annulus, y, x);
                assertEquals(curve, one.curve(y, x));
                KwwFit fit = JackknifeFits.at(ds, annulus, y, x, co, f);
                assertEquals(fit, one.fit(y, x));
                // Same parameters as the plain fit of the curve; only the errors are jackknifed.
                KwwFit plainFit = f.fit(curve);
                assertEquals(plainFit.tauSeconds(), fit.tauSeconds(), 0.0);
                assertEquals(plainFit.status(), fit.status());
                assertEquals(fit.tauSeconds(), one.maps().tauSeconds().get(y, x), 0.0);
                if (fit.status() == FitStatus.CONVERGED) {
                    reliable++;
                    // A sanity check only (factor 2.5): 60 frames hold just 5–15 relaxation times of
                    // 60 pixels, and errors of neighbouring lags are strongly correlated. Position
                    // (2, 3) of this field is off by 1.65× unweighted, 1.87× with frame-block and
                    // 2.14× with pixel-group SE weights (2.9 of its jackknife errors). The calibrated
                    // statistical tests of τ recovery are in SimulatedFitTest.
                    double expected = 2 * (4 + 8.0 * (y * SX + x) / (SY * SX));
                    assertTrue(Math.abs(Math.log(fit.tauSeconds() / expected)) < Math.log(2.5), fit + " vs " + expected);
                }
            }
        }
        assertTrue(reliable >= SY * SX - 2, "reliable fits: " + reliable);
        assertEquals(633.0, one.maps().temperatureKelvin().getAsDouble());
    }

    @Test
    void poolingAveragesTheNeighbourhood() throws IOException {
        CorrelationOptions co = CorrelationOptions.defaults();
        DynamicsMapper plain = DynamicsMapper.of(co, FitOptions.defaults());
        DynamicsMapper pooled = plain.withPooling(3).withThreads(2);
        DynamicsMapper.Result r0 = plain.map(ds, annulus, null);
        DynamicsMapper.Result r3 = pooled.map(ds, annulus, null);
        // Corner (0, 0): mean of the 2 × 2 positions inside the scan, in row-major order.
        double[] expected = new double[T];
        for (int k = 0; k < T; k++) {
            double s = 0;
            int n = 0;
            for (int y = 0; y <= 1; y++) {
                for (int x = 0; x <= 1; x++) {
                    double v = r0.curve(y, x).g(k);
                    if (Double.isFinite(v)) {
                        s += v;
                        n++;
                    }
                }
            }
            expected[k] = n > 0 ? s / n : Double.NaN;
        }
        assertArrayEquals(expected, r3.curve(0, 0).values(), 0.0);
        assertEquals(4 * T, r3.curve(0, 0).pairCount(0));
        assertEquals(9 * T, r3.curve(1, 1).pairCount(0));
        KwwFit plainFit = KwwFitter.withDefaults().fit(r3.curve(1, 1));
        KwwFit pooledFit = r3.fit(1, 1);
        assertEquals(plainFit.tauSeconds(), pooledFit.tauSeconds(), 0.0);
        assertEquals(plainFit.gamma(), pooledFit.gamma(), 0.0);
        assertEquals(plainFit.status(), pooledFit.status());
        assertTrue(pooledFit.tauErrorSeconds() > 0, "jackknife error of the pooled fit: " + pooledFit);
    }


    @Test
    void badArgumentsAreRefusedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> DynamicsMapper.of(CorrelationOptions.defaults(), FitOptions.defaults()).withPooling(2));
        assertEquals("pooling is not an odd size ≥ 1: 2", e.getMessage());
        Dataset5D binned = ds.bin(2);
        e = assertThrows(IllegalArgumentException.class,
            () -> DynamicsMapper.of(CorrelationOptions.defaults(), FitOptions.defaults()).map(binned, annulus, null));
        assertEquals("annulus built for 11×11 patterns does not match the dataset's 5×5 patterns", e.getMessage());
        assertTrue(List.of(annulus.binCount()).contains(2));
    }
}
