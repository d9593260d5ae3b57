/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.PoissonSampler;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.Estimate;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.core.simulation.HaloProfile;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CenterFinderTest {

    static final int K = 66;
    static final double PIXEL = 0.23;
    static final HaloProfile HALO = HaloProfile.gaussianRing(4.4, 0.8, 0.2);

    /**
     * A mean pattern as a detector sees it: H(|Q|) from the simulation's halo profile at each
     * pixel centre under the given calibration (centre, elliptical distortion), scaled to
     * {@code counts} at the ridge, Poisson noise (none if counts is infinite), a beam stop of
     * radius 1 nm⁻¹ (zero and masked) and optionally its arm: a masked bar from the centre to the
     * right edge.
     */
    static double[] pattern(Calibration cal, double counts, boolean arm, UniformRandomProvider rng, boolean[] valid) {
        double[] p = new double[K * K];
        for (int i = 0; i < K; i++) {
            for (int j = 0; j < K; j++) {
                double q = cal.qInverseNm(i, j);
                boolean stop = q < 1.0 || (arm && j > cal.centerKxPx() && Math.abs(i - cal.centerKyPx()) < 2.5);
                valid[i * K + j] = !stop;
                double mean = HALO.valueAt(q) * (Double.isInfinite(counts) ? 1 : counts);
                p[i * K + j] = stop ? 0 : Double.isInfinite(counts) ? mean : PoissonSampler.of(rng, mean).sample();
            }
        }
        return p;
    }

    static Calibration cal(double cy, double cx) {
        return Calibration.builder().frameIntervalSeconds(1).scanStepNm(1).pixelSizeInverseNm(PIXEL).centerPx(cy, cx).build();
    }

    static Stream<Arguments> circles() {
        // counts at the ridge: 400 is a mean pattern of ~40 patterns at the paper's dose (10 e⁻/px).
        return SeededCases.of(0xC1C1EL, 24, r -> new Object[] {r.nextDouble(28, 38), r.nextDouble(28, 38),
            r.nextBoolean() ? 400.0 : 40000.0, r.nextBoolean()});
    }

    @ParameterizedTest(name = "seed {0}: centre ({1}, {2}), {3} counts, arm {4}")
    @MethodSource("circles")
    void findsTheCentreOfACircularHaloBehindABeamStop(long seed, double cy, double cx, double counts, boolean arm) {
        boolean[] valid = new boolean[K * K];
        double[] p = pattern(cal(cy, cx), counts, arm, SeededCases.rng(seed), valid);
        CenterEstimate c = CenterFinder.defaults().estimate(p, K, K, DetectorMask.of(K, K, valid));
        double err = Math.hypot(c.centerKyPx() - cy, c.centerKxPx() - cx);
        // The requirement: well under 0.1 px. With 400 counts at the ridge the jackknife
        // SE is ~0.01 px, so 0.05 px is > 4 SE as well as half the requirement.
        assertTrue(err < 0.05, () -> "error " + err + " px: " + c);
        // The uncertainty covers the error: |error| ≤ 5 SE + 0.01 px (interpolation bias floor);
        // false-failure probability per component for a calibrated SE below 1e-6.
        assertTrue(Math.abs(c.centerKyPx() - cy) < 5 * c.stdErrKyPx() + 0.01, c::toString);
        assertTrue(Math.abs(c.centerKxPx() - cx) < 5 * c.stdErrKxPx() + 0.01, c::toString);
        assertEquals(4.4 / PIXEL, c.radiusPx(), 0.1);
        assertEquals(1, c.axisRatio());
        assertTrue(c.raysUsed() > 200, c::toString);
    }

    static Stream<Arguments> ellipses() {
        return SeededCases.of(0xE11EL, 24, r -> new Object[] {r.nextDouble(29, 37), r.nextDouble(29, 37),
            1 + 0.08 * r.nextDouble(), Math.PI * r.nextDouble()});
    }

    @ParameterizedTest(name = "seed {0}: centre ({1}, {2}), ratio {3}, angle {4}")
    @MethodSource("ellipses")
    void findsCentreAndDistortionOfAnEllipticalHalo(long seed, double cy, double cx, double ratio, double angle) {
        Calibration truth = cal(cy, cx).withEllipticalDistortion(ratio, angle);
        boolean[] valid = new boolean[K * K];
        double[] p = pattern(truth, 4000, false, SeededCases.rng(seed), valid);
        CenterEstimate c = CenterFinder.of(CenterOptions.defaults().withEllipse(true)).estimate(p, K, K, DetectorMask.of(K, K, valid));
        assertTrue(Math.hypot(c.centerKyPx() - cy, c.centerKxPx() - cx) < 0.05, c::toString);
        assertEquals(ratio, c.axisRatio(), 0.003, c::toString);
        assertEquals(new Estimate(c.axisRatio(), c.axisRatioStdErr()), c.axisRatioEstimate());
        assertEquals(new Estimate(c.centerKyPx(), c.stdErrKyPx()), c.centerKy());
        assertEquals(new Estimate(c.angleRadians(), c.angleStdErrRadians()), c.angleEstimate());
        if (ratio > 1.02) {
            // The angle is defined only for a visibly elliptical ring; its error is within 5 of its
            // jackknife SEs (false-failure probability < 1e-6 for a calibrated SE) plus 0.2°, and 3°.
            double d = Math.abs(c.angleRadians() - truth.ellipseAngleRadians());
            double dd = Math.min(d, Math.PI - d);
            assertTrue(dd < 5 * c.angleStdErrRadians() + Math.toRadians(0.2) && dd < Math.toRadians(3),
                () -> c + " vs angle " + Math.toDegrees(truth.ellipseAngleRadians()));
        }
        // Corrected calibration: |Q| of the ridge pixels is the halo position to within a pixel's share.
        Calibration fixed = c.applyTo(cal(0, 0));
        assertTrue(fixed.hasEllipticalDistortion());
        double worst = 0;
        for (int i = 0; i < K; i++) {
            for (int j = 0; j < K; j++) {
                worst = Math.max(worst, Math.abs(fixed.qInverseNm(i, j) - truth.qInverseNm(i, j)));
            }
        }
        assertTrue(worst < 0.01 * PIXEL * 30, "worst |Q| error " + worst + " nm⁻¹");
    }

    @Test
    void convergesFromAStartSeveralPixelsOff() {
        boolean[] valid = new boolean[K * K];
        double[] p = pattern(cal(31.3, 34.6), Double.POSITIVE_INFINITY, true, null, valid);
        CenterEstimate c = CenterFinder.of(CenterOptions.defaults().withStartPx(26, 39)).estimate(p, K, K, DetectorMask.of(K, K, valid));
        assertTrue(Math.hypot(c.centerKyPx() - 31.3, c.centerKxPx() - 34.6) < 0.02, c::toString);
        assertTrue(c.iterations() > 1);
    }

    static Stream<Arguments> simulations() {
        return SeededCases.of(0x51E1L, 6, r -> new Object[] {r.nextDouble(30, 35), r.nextDouble(30, 35)});
    }

    @ParameterizedTest(name = "seed {0}: centre ({1}, {2})")
    @MethodSource("simulations")
    void findsTheCentreOfASimulatedRecordingsMeanPattern(long seed, double cy, double cx) throws IOException {
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(6, 6).frames(8).centerPx(cy, cx).seed(seed).build();
        Dataset5D ds = sim.dataset();
        PatternStatistics s = PatternStatistics.compute(ds, ProgressListener.NONE);
        CenterEstimate c = CenterFinder.defaults().estimate(s.meanPattern(), K, K, ds.maskOrAllValid());
        assertTrue(Math.hypot(c.centerKyPx() - cy, c.centerKxPx() - cx) < 0.1, c::toString);
        // Without the simulation's mask: the beam stop's zeros are not a ridge, and the centre is the same.
        CenterEstimate unmasked = CenterFinder.defaults().estimate(s.meanPattern(), K, K, null);
        assertTrue(Math.hypot(unmasked.centerKyPx() - cy, unmasked.centerKxPx() - cx) < 0.1, unmasked::toString);
    }

    @Test
    void aFlatPatternHasNoRidge() {
        double[] flat = new double[K * K];
        java.util.Arrays.fill(flat, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CenterFinder.defaults().estimate(flat, K, K, null));
        assertTrue(e.getMessage().contains("flat"), e.getMessage());
        double[] ramp = new double[K * K];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i / K;
        }
        e = assertThrows(IllegalArgumentException.class, () -> CenterFinder.defaults().estimate(ramp, K, K, null));
        assertTrue(e.getMessage().contains("ridge"), e.getMessage());
        assertFalse(CenterOptions.defaults().toString().isEmpty());
    }
}
