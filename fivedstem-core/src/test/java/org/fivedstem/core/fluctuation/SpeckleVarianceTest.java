package org.fivedstem.core.fluctuation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.QRange;
import org.fivedstem.api.Shape5D;
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

    /** Random 16-bit-like counts with some blank patterns. */
    private static Dataset5D dataset(UniformRandomProvider rng, int frames, int sy, int sx, double blankFraction) {
        Shape5D shape = Shape5D.of(frames, sy, sx, K, K);
        double[] v = new double[(int) shape.valueCount()];
        double[] one = {1.0};
        for (int p = 0; p < shape.patternCount(); p++) {
            if (rng.nextDouble() < blankFraction) {
                continue;
            }
            double[] lambda = StopgapSpeckle.modes(rng, K * K, one);
            double dose = rng.nextDouble(1, 200);
            for (int i = 0; i < lambda.length; i++) {
                lambda[i] *= dose;
            }
            System.arraycopy(StopgapSpeckle.poisson(rng, lambda, 1), 0, v, p * K * K, K * K);
        }
        return Dataset5D.ofArray(shape, v, calibration());
    }

    @ParameterizedTest(name = "seed {0}: {1}×{2} scan, {3} frames")
    @MethodSource("datasetCases")
    void mapEqualsKernelAverageAndIsIdenticalForAnyThreadCount(long seed, int sy, int sx, int frames) throws IOException {
        Dataset5D ds = dataset(SeededCases.rng(seed), frames, sy, sx, 0.1);
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

    @Test
    void profilesOfAScaledSpeckleFieldMatchTheirRings() throws IOException {
        // Each ring r gets its own number of modes: V(ring r) → 1/M_r, so the profile resolves structure in Q.
        UniformRandomProvider rng = SeededCases.rng(42);
        int frames = 60;
        Calibration cal = calibration();
        Shape5D shape = Shape5D.of(frames, 1, 1, K, K);
        double[] values = new double[(int) shape.valueCount()];
        AnnulusMask annulus = AnnulusMask.of(K, K, cal, null, java.util.Arrays.asList(QRange.of(3.0, 5.8).split(2)));
        int[] px = annulus.pixelIndices();
        int[] bin = annulus.binOfPixels();
        int[] modes = {1, 4};
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < px.length; k++) {
                double[] w = new double[modes[bin[k]]];
                java.util.Arrays.fill(w, 1000.0 / w.length);
                values[t * K * K + px[k]] = StopgapSpeckle.modes(rng, 1, w)[0];
            }
        }
        Dataset5D ds = Dataset5D.ofArray(shape, values, cal);
        VarianceProfile prof = SpeckleVariance.compute(ds, VarianceOptions.defaults().withProfileBins(2)).profile(0, 0);
        for (int b = 0; b < 2; b++) {
            int n = annulus.pixelCount(b);
            double expected = (n - 1.0) / (n * modes[b] + 1.0);
            // SD of V per frame ≈ √(2/n)·(something ≤ 3) for Gamma speckle; over 60 frames the mean's SE is
            // below 3/√(n·30); 4.5 of those: false failure < 1e-5.
            Tolerance.sigmas(4.5, 3 / Math.sqrt(n * 30.0)).because("60 frames of " + n + " pixels")
                .assertClose(expected, prof.variance(b), "V of ring " + b + " with " + modes[b] + " modes");
        }
    }

    @Test
    void traceDetectsDriftAndCorrectionFlowsThrough() throws IOException {
        // V falls over time (modes 1 → 6, V ≈ 1/M): the trend test must flag it.
        UniformRandomProvider rng = SeededCases.rng(77);
        int frames = 30;
        Shape5D shape = Shape5D.of(frames, 1, 1, K, K);
        double[] values = new double[(int) shape.valueCount()];
        for (int t = 0; t < frames; t++) {
            double[] w = new double[1 + t / 6];
            java.util.Arrays.fill(w, 50.0 / w.length);
            double[] lambda = StopgapSpeckle.modes(rng, K * K, w);
            System.arraycopy(StopgapSpeckle.poisson(rng, lambda, 2.0), 0, values, t * K * K, K * K);
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
    void clearErrors() {
        Dataset5D ds = dataset(SeededCases.rng(1), 2, 1, 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SpeckleVariance.compute(ds, VarianceOptions.defaults().withRange(QRange.of(20, 30))));
        assertTrue(e.getMessage().contains("holds no valid pixel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VarianceOptions.defaults().withThreads(0));
        assertTrue(e.getMessage().contains("threads"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VarianceOptions.defaults().withShotNoiseGain(0));
        assertTrue(e.getMessage().contains("gainAduPerElectron"), e.getMessage());
    }
}
