/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

import org.apache.commons.math3.distribution.TDistribution;
import org.fivedstem.testing.Tolerance;

/**
 * Independent replicates from the simulator for the estimators' statistical property tests.
 *
 * <p>Every scan position of a {@link SpeckleSimulation} has its own random stream, so with
 * constant maps the positions are independent, identically distributed replicates of one
 * recording: an estimator applied per position gives a sample whose mean is compared with the
 * simulator's analytic expectation, with the standard error taken from the spread of the sample
 * (Student t with n − 1 degrees of freedom). Tolerances are set from a designed per-assertion
 * false-failure probability through the t quantile, and both are printed in the assertion's reason.
 */
public final class Replicates {

    private Replicates() {
    }

    /**
     * A simulation with the same τ, β and γ at every position, no temperature scaling, noise-free,
     * flat halo and no beam stop (callers override what they need).
     *
     * @param sy scan rows
     * @param sx scan columns
     * @param frames T
     * @param k pattern side in pixels
     * @param tauFrames τ in frame intervals (the frame interval is 1 s)
     * @param beta β
     * @param gamma γ
     * @return the builder
     */
    public static SpeckleSimulation.Builder constant(int sy, int sx, int frames, int k, double tauFrames, double beta,
                                                     double gamma) {
        int n = sy * sx;
        double[] tau = new double[n];
        double[] b = new double[n];
        double[] g = new double[n];
        Arrays.fill(tau, tauFrames);
        Arrays.fill(b, beta);
        Arrays.fill(g, gamma);
        return SpeckleSimulation.builder().scan(sy, sx).frames(frames).patternSize(k, k).frameIntervalSeconds(1)
            .temperatureKelvin(Double.NaN).beamStopRadiusInverseNm(0).halo(HaloProfile.flat()).dose(0).maps(tau, b, g);
    }

    /**
     * Generates every position once (two threads) and keeps the given pixels' series.
     *
     * @param sim the simulation
     * @param pixelIndices row-major pattern pixels to keep, in this order
     * @return {@code [position][t * P + p]}, positions row-major
     * @throws IOException never (the visitor does not throw)
     */
    public static double[][] series(SpeckleSimulation sim, int[] pixelIndices) throws IOException {
        int frames = sim.shape().frames();
        int patternSize = sim.shape().patternSize();
        int sx = sim.shape().scanX();
        int np = pixelIndices.length;
        double[][] out = new double[sim.shape().positionCount()][];
        sim.forEachPosition(2, (y, x, values) -> {
            double[] s = new double[frames * np];
            for (int t = 0; t < frames; t++) {
                for (int i = 0; i < np; i++) {
                    s[t * np + i] = values[t * patternSize + pixelIndices[i]];
                }
            }
            out[y * sx + x] = s;
        });
        return out;
    }

    /**
     * @param x sample
     * @return its mean
     */
    public static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /**
     * @param x sample
     * @return its standard deviation (n − 1)
     */
    public static double sd(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1));
    }

    /**
     * @param x sample
     * @return the standard error of its mean
     */
    public static double standardError(double[] x) {
        return sd(x) / Math.sqrt(x.length);
    }

    /**
     * @param x sample (not modified)
     * @return its median
     */
    public static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /**
     * @param falseFailure two-sided probability that a correct estimator fails
     * @param n sample size
     * @return the number of standard errors k with P(|t_{n−1}| &gt; k) = falseFailure
     */
    public static double sigmas(double falseFailure, int n) {
        return new TDistribution(null, n - 1).inverseCumulativeProbability(1 - falseFailure / 2);
    }

    /**
     * Asserts that the mean of independent replicates equals {@code expected} within
     * {@code k} standard errors of the mean, k the Student t quantile of the designed
     * false-failure probability.
     *
     * @param expected the analytic expectation
     * @param replicates one estimate per independent replicate
     * @param falseFailure the designed two-sided false-failure probability of this assertion
     * @param what what is compared
     */
    public static void assertMean(double expected, double[] replicates, double falseFailure, String what) {
        int n = replicates.length;
        double k = sigmas(falseFailure, n);
        Tolerance.sigmas(k, standardError(replicates))
            .because(String.format(Locale.ROOT, "standard error of the mean of %d independent positions, Student t(%d); "
                + "false failure %.1e", n, n - 1, falseFailure))
            .assertClose(expected, mean(replicates), what);
    }
}
