package org.fivedstem.core.simulation.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The eigendecomposition fallback for compressed (γ &gt; 1), slow correlations. */
class ToeplitzFactorTest {

    static Stream<Arguments> samplingCases() {
        return SeededCases.of(0x70E1L, 10, rng -> new Object[] {
            rng.nextDouble(1.2, 2.0), rng.nextDouble(3, 300)});
    }

    /**
     * The realised correlation of many independent series matches exp(−(k/τ)^γ) at several lags,
     * and the pseudo-covariance E[E_0 E_k] is zero (circular field).
     */
    @ParameterizedTest(name = "seed {0}: gamma={1}, tau={2} frames")
    @MethodSource("samplingCases")
    void realisedCorrelationMatches(long seed, double gamma, double tauFrames) {
        int frames = 24;
        ToeplitzFactor e = ToeplitzFactor.of(frames, k -> Math.exp(-Math.pow(k / tauFrames, gamma)));
        assertTrue(e.maxCovarianceError() < 1e-12, e.toString());
        UniformRandomProvider rng = SeededCases.rng(seed);
        NormalizedGaussianSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] buf = new double[2 * frames];
        double[] re = new double[frames];
        double[] im = new double[frames];
        int series = 4000;
        int[] lags = {0, 1, 3, 7, 15};
        double[][] perSeries = new double[lags.length][series];
        double[][] pseudo = new double[lags.length][series];
        for (int s = 0; s < series; s++) {
            e.sample(g, buf, re, im, 0, 1);
            for (int l = 0; l < lags.length; l++) {
                int k = lags[l];
                double c = 0;
                double p = 0;
                for (int t = 0; t + k < frames; t++) {
                    c += re[t] * re[t + k] + im[t] * im[t + k];   // Re(E_t E*_{t+k})
                    p += re[t] * re[t + k] - im[t] * im[t + k];   // Re(E_t E_{t+k})
                }
                perSeries[l][s] = c / (frames - k);
                pseudo[l][s] = p / (frames - k);
            }
        }
        for (int l = 0; l < lags.length; l++) {
            double expected = Math.exp(-Math.pow(lags[l] / tauFrames, gamma));
            // Independent series are the replicates: SE from their spread. 4.5σ per assertion,
            // false failure 7e-6 (CLT over 4000 series).
            Tolerance.sigmas(4.5, CirculantEmbeddingTest.standardError(perSeries[l])).because("4000 independent series; false failure 7e-6")
                .assertClose(expected, CirculantEmbeddingTest.mean(perSeries[l]), "field correlation at lag " + lags[l]);
            Tolerance.sigmas(4.5, CirculantEmbeddingTest.standardError(pseudo[l])).because("4000 independent series; false failure 7e-6")
                .assertClose(0, CirculantEmbeddingTest.mean(pseudo[l]), "pseudo-covariance at lag " + lags[l]);
        }
    }

}
