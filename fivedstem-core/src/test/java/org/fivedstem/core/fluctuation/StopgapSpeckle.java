package org.fivedstem.core.fluctuation;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.PoissonSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * STOPGAP random speckle for the V tests, drawn directly from Commons RNG, until the project's
 * speckle simulator (issue 3) lands; the lead will add simulator-based tests then.
 *
 * <p>Fully developed speckle of M independent modes with weights w: the intensity of a pixel is
 * {@code I = Σ_m w_m E_m} with {@code E_m} independent Exp(1) (|complex Gaussian amplitude|²),
 * independent between pixels (pixels one speckle apart). Its cumulants are
 * {@code κ_r = (r−1)! Σ w_m^r}, so the population V = κ2/κ1² = Σw²/(Σw)².
 */
final class StopgapSpeckle {

    private StopgapSpeckle() {
    }

    /**
     * @param rng the generator
     * @param n pixels
     * @param weights mode weights
     * @return n intensities
     */
    static double[] modes(UniformRandomProvider rng, int n, double[] weights) {
        ZigguratSampler.Exponential exp = ZigguratSampler.Exponential.of(rng);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (double w : weights) {
                s += w * exp.sample();
            }
            out[i] = s;
        }
        return out;
    }

    /**
     * @param rng the generator
     * @param lambda expected counts per pixel
     * @param gain ADU per count
     * @return gain × Poisson(lambda) per pixel
     */
    static double[] poisson(UniformRandomProvider rng, double[] lambda, double gain) {
        double[] out = new double[lambda.length];
        for (int i = 0; i < lambda.length; i++) {
            out[i] = lambda[i] > 0 ? gain * PoissonSampler.of(rng, lambda[i]).sample() : 0;
        }
        return out;
    }

    /** Noise-free V of a field, eq. 5, in plain double (reference for the tests). */
    static double v(double[] a) {
        double s1 = 0;
        double s2 = 0;
        for (double x : a) {
            s1 += x;
            s2 += x * x;
        }
        return a.length * s2 / (s1 * s1) - 1;
    }

    static double sum(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x;
        }
        return s;
    }

    static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }
}
