package org.fivedstem.core.correlation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.Normalisation;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The frame-block jackknife standard error is not anti-conservative: over many independent
 * realisations of a field with known statistics, the reported SE is at least (nearly) as large as
 * the actual scatter of g(k). Uses the test-local AR(1) exponential-intensity field of
 * {@link TestFields} until the project's simulator lands (then repeat on simulated speckle).
 */
class StdErrCalibrationTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Normalisation.class)
    void jackknifeIsNotAntiConservative(Normalisation n) {
        int frames = 200;
        int pixels = 40;
        double tauFrames = 8;
        int reps = 300;
        int[] lags = {1, 4, 16, 50, 100, 150};
        double[][] g = new double[lags.length][reps];
        double[][] se2 = new double[lags.length][reps];
        UniformRandomProvider rng = SeededCases.rng(0x5E5EL);
        CorrelationOptions o = CorrelationOptions.defaults().withNormalisation(n);
        for (int r = 0; r < reps; r++) {
            double[] s = TestFields.ar1(rng, frames, pixels, tauFrames);
            CorrelationKernelTest.Out out = new CorrelationKernelTest.Out(s, frames, pixels, o);
            for (int i = 0; i < lags.length; i++) {
                g[i][r] = out.g[lags[i]];
                se2[i][r] = out.se[lags[i]] * out.se[lags[i]];
            }
        }
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < lags.length; i++) {
            double m = 0;
            double ms = 0;
            for (int r = 0; r < reps; r++) {
                m += g[i][r] / reps;
                ms += se2[i][r] / reps;
            }
            double v = 0;
            for (int r = 0; r < reps; r++) {
                v += (g[i][r] - m) * (g[i][r] - m) / (reps - 1);
            }
            double ratio = Math.sqrt(ms / v);
            report.append(String.format(Locale.ROOT, " lag %d: rms SE / sd = %.3f;", lags[i], ratio));
            // The sample sd of 300 realisations has relative sd ≈ 1/√(2·299) = 4.1 % (more for the
            // heavy-tailed products at long lags, ~6 %); a calibrated SE gives ratio ≈ 1. Requiring
            // ≥ 0.8 fails a calibrated SE with probability < 1e-3 per lag and catches SEs that miss
            // a third or more of the variance. Measured (docs/dynamics.md): 0.91 at lag 1, 0.97 at
            // lag 4, 1.3–1.5 beyond τ (conservative) for ensemble; 1.06–2.0 for symmetric.
            assertTrue(ratio >= 0.8, n + report.toString());
        }
        System.out.println(n + report.toString());
    }
}
