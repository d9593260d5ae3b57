/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fluctuation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.ArrayStorage;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.QRange;
import org.fivedstem.api.Shape5D;
import org.fivedstem.core.simulation.HaloProfile;
import org.fivedstem.core.simulation.Replicates;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpeckleVarianceTest {

    private static final int K = 24;

    private static Calibration calibration() {
        // 24×24 pattern, 0.25 nm⁻¹ per pixel, centre in the middle: the paper's 3.0–5.8 nm⁻¹ is a ring of radius 12–23 px…
        // so use 0.4 nm⁻¹ per pixel: 3.0–5.8 nm⁻¹ = 7.5–14.5 px, inside the pattern where it fits.
        return Calibration.builder().frameIntervalSeconds(2.0).scanStepNm(0.16).pixelSizeInverseNm(0.4)
            .centerPx(11.5, 11.5).temperatureKelvin(633).build();
    }

    /** A simulated 24×24-pixel recording (halo ring, beam stop, counted) with some patterns blanked. */
    private static Dataset5D dataset(long seed, int frames, int sy, int sx, double blankFraction) {
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(sy, sx).frames(frames).patternSize(K, K)
            .pixelSizeInverseNm(0.4).frameIntervalSeconds(2.0).tauMedianSeconds(10).dose(30).seed(seed).build();
        Shape5D shape = sim.shape();
        double[] v = new double[(int) shape.valueCount()];
        int n = K * K;
        try {
            sim.forEachPosition(2, (y, x, values) -> {
                for (int t = 0; t < frames; t++) {
                    System.arraycopy(values, t * n, v, (int) ((((long) t * sy + y) * sx + x) * n), n);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        UniformRandomProvider rng = SeededCases.rng(seed);
        for (int p = 0; p < shape.patternCount(); p++) {
            if (rng.nextDouble() < blankFraction) {
                java.util.Arrays.fill(v, p * n, (p + 1) * n, 0);
            }
        }
        return Dataset5D.ofArray(shape, v, calibration());
    }

    @ParameterizedTest(name = "seed {0}: {1}×{2} scan, {3} frames")
    @MethodSource("datasetCases")
    void mapEqualsKernelAverageAndIsIdenticalForAnyThreadCount(long seed, int sy, int sx, int frames) throws IOException {
        Dataset5D ds = dataset(seed, frames, sy, sx, 0.1);
        VarianceOptions o = VarianceOptions.defaults().withProfileBins(5).withThreads(1);
        VarianceMaps one = SpeckleVariance.compute(ds, o);
        for (int threads = 2; threads <= 4; threads++) {
            assertEquals(one, SpeckleVariance.compute(ds, o.withThreads(threads)), threads + " threads");
        }
        // Reference: the kernel on each pattern, averaged over non-blank frames.
        AnnulusMask annulus = AnnulusMask.of(ds, VarianceOptions.PAPER_RANGE);
        SpeckleVarianceKernel k = SpeckleVarianceKernel.of(annulus);
        long excluded = 0;
        for (int y = 0; y < sy; y++) {
            for (int x = 0; x < sx; x++) {
                double s = 0;
                int n = 0;
                for (int t = 0; t < frames; t++) {
                    double v = k.variance(ds.readPattern(t, y, x));
                    if (Double.isNaN(v)) {
                        excluded++;
                    } else {
                        s += v;
                        n++;
                    }
                }
                assertEquals(n == 0 ? Double.NaN : s / n, one.variance().get(y, x), "V at " + y + "," + x);
                assertEquals(n, one.usedFrames().get(y, x));
                VarianceTrace tr = SpeckleVariance.trace(ds, y, x, o);
                assertEquals(n, tr.usedFrames());
                assertEquals(n == 0 ? Double.NaN : s / n, tr.mean(), 1e-15);
            }
        }
        assertEquals(excluded, one.excludedFrames());
        assertEquals(5, one.meanProfile().size());
        assertEquals(QRange.of(3.0, 5.8), one.annulus().range());
    }

    static Stream<Arguments> datasetCases() {
        return SeededCases.of(0xDA7AL, 4, r -> new Object[] {r.nextInt(1, 5), r.nextInt(1, 6), r.nextInt(2, 12)});
    }

    static Stream<Arguments> profileCases() {
        return SeededCases.of(0x9F0F1L, 6, r -> new Object[] {r.nextDouble(0.1, 0.8), r.nextBoolean() ? 0.0 : r.nextDouble(2, 40),
            r.nextInt(2, 5)});
    }

    /**
     * V(Q) ring profiles of a simulated halo ring: each ring's V, averaged over 36 independent
     * positions, equals {@code expectedSpeckleVariance} over that ring (κ differs from ring to ring,
     * so the profile has structure in Q), noise-free and counted; the scan-mean profile is the mean
     * of the positions' profiles.
     */
    @ParameterizedTest(name = "seed {0}: beta={1}, dose={2}, {3} rings")
    @MethodSource("profileCases")
    void ringProfilesMatchTheSimulatorsExpectation(long seed, double beta, double dose, int rings) throws IOException {
        SpeckleSimulation sim = Replicates.constant(6, 6, 12, K, 0.3, beta, 1).pixelSizeInverseNm(0.4).beamStopRadiusInverseNm(1.0)
            .halo(HaloProfile.gaussianRing(4.4, 0.8, 0.2)).dose(dose).seed(seed).build();
        Dataset5D ds = sim.toInMemoryDataset(2);
        VarianceMaps maps = SpeckleVariance.compute(ds, VarianceOptions.defaults().withProfileBins(rings));
        int n = 36;
        double[][] perRing = new double[rings][n];
        for (int i = 0; i < n; i++) {
            VarianceProfile prof = maps.profile(i / 6, i % 6);
            for (int b = 0; b < rings; b++) {
                perRing[b][i] = prof.variance(b);
            }
        }
        double[] kappa = new double[rings];
        for (int b = 0; b < rings; b++) {
            AnnulusMask ring = AnnulusMask.of(ds, maps.meanProfile().ring(b));
            kappa[b] = sim.kappa(ring);
            Replicates.assertMean(sim.expectedSpeckleVariance(0, 0, ring), perRing[b], 1e-5,
                "V of ring " + ring.range() + " (" + ring.pixelCount() + " px, κ = " + kappa[b] + ")");
            Tolerance.relative(1e-12).assertClose(Replicates.mean(perRing[b]), maps.meanProfile().variance(b), "scan-mean profile");
        }
        assertTrue(Math.abs(kappa[0] - kappa[rings - 1]) > 1e-3, "the rings differ in κ: " + java.util.Arrays.toString(kappa));
    }

    @Test
    void traceDetectsDriftAndCorrectionFlowsThrough() throws IOException {
        // V falls over time: five simulated stretches of 6 frames with β = 1, 1/2, …, 1/5 (V ≈ κ(1+β) − 1
        // plus the shot-noise term), counted at gain 2: the trend test must flag it.
        int frames = 30;
        Shape5D shape = Shape5D.of(frames, 1, 1, K, K);
        double[] values = new double[(int) shape.valueCount()];
        for (int part = 0; part < 5; part++) {
            SpeckleSimulation sim = Replicates.constant(1, 1, 6, K, 0.5, 1.0 / (part + 1), 1).dose(25).gainAduPerElectron(2)
                .seed(77 + part).build();
            ArrayStorage a = sim.toArrayStorage(1);
            int offset = part * 6 * K * K;
            a.visit(new org.fivedstem.api.Selection(0, 6, 0, 1, 0, 1),
                (t, y, x, pattern) -> System.arraycopy(pattern, 0, values, offset + t * K * K, K * K));
        }
        Dataset5D ds = Dataset5D.ofArray(shape, values, calibration());
        VarianceTrace tr = SpeckleVariance.trace(ds, 0, 0, VarianceOptions.defaults());
        assertTrue(tr.trendRho() < -0.8 && tr.trendPValue() < 1e-6, "drifting V: " + tr);
        assertEquals(2.0, tr.timesSeconds()[1]);
        // The corrected map equals the corrected kernel, frame by frame averaged.
        VarianceOptions corrected = VarianceOptions.defaults().withShotNoiseGain(2.0).withThreads(2);
        SpeckleVarianceKernel k = SpeckleVarianceKernel.of(AnnulusMask.of(ds, VarianceOptions.PAPER_RANGE), 2.0);
        double s = 0;
        for (int t = 0; t < frames; t++) {
            s += k.variance(ds.readPattern(t, 0, 0));
        }
        assertEquals(s / frames, SpeckleVariance.compute(ds, corrected).variance().get(0, 0), 0.0);
        assertTrue(SpeckleVariance.compute(ds, corrected).variance().get(0, 0) < tr.mean(),
            "removing the shot-noise term lowers V");
    }

    @Test
    void gainOnFloatIntensitiesIsRefusedWithWhereAndWhat() throws IOException {
        // Noise-free simulated intensities (dose 0: fractions of a count) are not counts × gain: the
        // correction would return V < 0 there. Every path names the storage, frame, position and value.
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(2, 3).frames(4).patternSize(K, K).pixelSizeInverseNm(0.4)
            .frameIntervalSeconds(2.0).tauMedianSeconds(10).dose(0).seed(5).build();
        Dataset5D ds = sim.dataset().crop(1, 2, 1, 3);
        VarianceOptions gain = VarianceOptions.defaults().withShotNoiseGain(1);
        for (int threads = 1; threads <= 2; threads++) {
            VarianceOptions o = gain.withThreads(threads);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpeckleVariance.compute(ds, o));
            assertTrue(e.getMessage().startsWith(ds.storage().description() + ", frame 0, scan position (y 1, x 1): the annulus holds the value ")
                && e.getMessage().contains("counts × gain"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpeckleVariance.trace(ds, 0, 1, gain));
        assertTrue(e.getMessage().contains("frame 0, scan position (y 1, x 2)"), e.getMessage());
        assertTrue(SpeckleVariance.compute(ds, VarianceOptions.defaults()).variance().mean() > 0, "uncorrected V is defined");
    }

    @Test
    void clearErrors() {
        Dataset5D ds = dataset(1, 2, 1, 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SpeckleVariance.compute(ds, VarianceOptions.defaults().withRange(QRange.of(20, 30))));
        assertTrue(e.getMessage().contains("holds no valid pixel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VarianceOptions.defaults().withThreads(0));
        assertTrue(e.getMessage().contains("threads"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VarianceOptions.defaults().withShotNoiseGain(0));
        assertTrue(e.getMessage().contains("gainAduPerElectron"), e.getMessage());
    }
}
