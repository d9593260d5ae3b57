/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.PoissonSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Test-local speckle fields built from Commons RNG. A stopgap until the project's speckle simulator
 * (issue 3) lands: the statistical property tests of issue 4 (g against the analytic expectation
 * over random τ, γ, β, T, P; τ recovered at high dose) belong on that simulator.
 *
 * <p>{@link #ar1} gives P independent pixels whose complex amplitude is a Gaussian AR(1) process,
 * E(t) = ρ E(t−1) + √(1−ρ²) ξ(t): the intensity |E|² is exponential with mean 1 and
 * g(k) − 1 = ρ^{2k} = exp(−2k/τ) with τ = −1/ln ρ frames (a KWW curve with β = 1, γ = 1).
 */
final class TestFields {

    private TestFields() {
    }

    /**
     * @param rng the generator
     * @param frames T
     * @param pixels P
     * @param tauFrames τ in frames (g − 1 = exp(−2k/τ))
     * @return intensities, {@code [t * P + p]}
     */
    static double[] ar1(UniformRandomProvider rng, int frames, int pixels, double tauFrames) {
        ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(rng);
        double rho = Math.exp(-1 / tauFrames);
        double innov = Math.sqrt((1 - rho * rho) / 2);
        double[] re = new double[pixels];
        double[] im = new double[pixels];
        double[] out = new double[frames * pixels];
        for (int p = 0; p < pixels; p++) {
            re[p] = gauss.sample() * Math.sqrt(0.5);
            im[p] = gauss.sample() * Math.sqrt(0.5);
        }
        for (int t = 0; t < frames; t++) {
            for (int p = 0; p < pixels; p++) {
                if (t > 0) {
                    re[p] = rho * re[p] + innov * gauss.sample();
                    im[p] = rho * im[p] + innov * gauss.sample();
                }
                out[t * pixels + p] = re[p] * re[p] + im[p] * im[p];
            }
        }
        return out;
    }

    /**
     * @param rng the generator
     * @param intensity mean intensities. Not modified.
     * @param countsPerUnit expected counts per unit intensity
     * @return Poisson counts with mean {@code countsPerUnit · intensity}
     */
    static double[] poisson(UniformRandomProvider rng, double[] intensity, double countsPerUnit) {
        double[] out = new double[intensity.length];
        for (int i = 0; i < out.length; i++) {
            double mean = countsPerUnit * intensity[i];
            out[i] = mean > 0 ? PoissonSampler.of(rng, mean).sample() : 0;
        }
        return out;
    }

    /** The plain eqs. 1–2, written as directly as possible: the reference for the kernels. */
    static double[] naiveEnsemble(double[] s, int frames, int pixels, boolean factorial) {
        double[] g = new double[frames];
        int[] n = new int[frames];
        for (int t1 = 0; t1 < frames; t1++) {
            for (int t2 = t1; t2 < frames; t2++) {
                double m1 = 0;
                double m2 = 0;
                double m12 = 0;
                for (int p = 0; p < pixels; p++) {
                    double a = s[t1 * pixels + p];
                    double b = s[t2 * pixels + p];
                    m1 += a;
                    m2 += b;
                    m12 += t1 == t2 && factorial ? a * (a - 1) : a * b;
                }
                if (m1 == 0 || m2 == 0) {
                    continue;
                }
                g[t2 - t1] += (m12 / pixels) / ((m1 / pixels) * (m2 / pixels));
                n[t2 - t1]++;
            }
        }
        for (int k = 0; k < frames; k++) {
            g[k] = n[k] == 0 ? Double.NaN : g[k] / n[k];
        }
        return g;
    }

    /** The symmetric normalisation, written directly. */
    static double[] naiveSymmetric(double[] s, int frames, int pixels, boolean factorial) {
        boolean[] usable = new boolean[frames];
        for (int t = 0; t < frames; t++) {
            double m = 0;
            for (int p = 0; p < pixels; p++) {
                m += s[t * pixels + p];
            }
            usable[t] = m != 0;
        }
        double[] g = new double[frames];
        for (int k = 0; k < frames; k++) {
            double sum = 0;
            int included = 0;
            for (int p = 0; p < pixels; p++) {
                double num = 0;
                double early = 0;
                double late = 0;
                int n = 0;
                for (int t1 = 0; t1 + k < frames; t1++) {
                    if (!usable[t1] || !usable[t1 + k]) {
                        continue;
                    }
                    double a = s[t1 * pixels + p];
                    double b = s[(t1 + k) * pixels + p];
                    num += k == 0 && factorial ? a * (a - 1) : a * b;
                    early += a;
                    late += b;
                    n++;
                }
                if (n > 0 && early * late != 0) {
                    sum += (num / n) / ((early / n) * (late / n));
                    included++;
                }
            }
            g[k] = included == 0 ? Double.NaN : sum / included;
        }
        return g;
    }
}
