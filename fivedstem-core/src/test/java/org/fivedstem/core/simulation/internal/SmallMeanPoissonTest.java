/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation.internal;

import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SmallMeanPoissonTest {

    /** Means on both sides of the inversion limit 40, log-uniform in [0.05, 120]. */
    static Stream<Arguments> means() {
        return SeededCases.of(0x9015L, 40, rng -> new Object[] {Math.exp(Math.log(0.05) + rng.nextDouble() * Math.log(120 / 0.05))});
    }

    @ParameterizedTest(name = "seed {0}: mean={1}")
    @MethodSource("means")
    void meanAndVarianceAreTheMean(long seed, double mean) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        int n = 40_000;
        double s = 0;
        double s2 = 0;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = SmallMeanPoisson.sample(rng, mean);
            s += x[i];
        }
        double m = s / n;
        for (double v : x) {
            s2 += (v - m) * (v - m);
        }
        double var = s2 / (n - 1);
        // Sample mean: SE = sqrt(λ/n). Sample variance: SE = sqrt((μ4 − σ⁴)/n), μ4 = λ + 3λ² for
        // Poisson, so SE = sqrt((λ + 2λ²)/n). 4.5σ: false failure 7e-6 per assertion.
        Tolerance.sigmas(4.5, Math.sqrt(mean / n)).because("mean of 40000 draws; false failure 7e-6")
            .assertClose(mean, m, "Poisson mean");
        Tolerance.sigmas(4.5, Math.sqrt((mean + 2 * mean * mean) / n)).because("variance of 40000 draws; false failure 7e-6")
            .assertClose(mean, var, "Poisson variance");
    }
}
