/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation;

import org.fivedstem.api.Normalisation;

/**
 * Analytic expectations of the paper's ratio-of-averages estimators for the simulated model
 * (see {@link SpeckleSimulation#expectedCorrelation}).
 *
 * <p>Per pixel, S = Σ w_m |E_m|² with unit complex Gaussian modes whose field correlation between
 * the two times is ρ; its exact moments (complex Isserlis theorem: E|E|⁴|E'|² is the permanent
 * 2 + 4ρ²) are, with β = Σw², β₃ = Σw³:
 * <pre>
 *   E S = 1,  E S² = 1 + β,  E S³ = 1 + 3β + 2β₃,
 *   E SS' = 1 + βρ²,  E S²S' = 1 + β + 2βρ² + 2β₃ρ².
 * </pre>
 * The measured value X is H·S (noise-free) or G·n + e with n ~ Poisson(a S), a = D·H, and e read
 * noise of variance v; Poisson factorial moments give the moments of X. The ensemble estimator
 * G = ⟨XX'⟩/(⟨X⟩⟨X'⟩) over N independent pixels is expanded to second order around the means
 * (delta method): with A = ⟨XX'⟩, B = ⟨X⟩, C = ⟨X'⟩,
 * <pre>
 *   E[A/(BC)] = μA/μB² · (1 − 2 Cov(A,B)/(μA μB) + Cov(B,C)/μB² + 2 Var B/μB²) + O(N⁻²)   (t ≠ 0)
 *   E[A/B²]   = μA/μB² · (1 − 2 Cov(A,B)/(μA μB) + 3 Var B/μB²) + O(N⁻²)                  (t = 0)
 * </pre>
 * each (co)variance being (1/N²) Σ_p of the per-pixel one.
 */
final class Expectations {

    private Expectations() {
    }

    /**
     * @param halo H per pixel
     * @param pixels the annulus pixels
     * @param beta β
     * @param beta3 Σ w³
     * @param rho field correlation at the lag
     * @param lagZero whether the lag is 0 (same frame)
     * @param dose D (0 = noise-free)
     * @param gain G
     * @param readVariance v in ADU²
     * @param normalisation the estimator
     * @param finitePixelCorrection whether to add the 1/N terms (independent pixels only)
     * @return the expected g
     */
    static double correlation(double[] halo, int[] pixels, double beta, double beta3, double rho, boolean lagZero,
                              double dose, double gain, double readVariance, Normalisation normalisation,
                              boolean finitePixelCorrection) {
        double r2 = rho * rho;
        double es2 = 1 + beta;
        double es3 = 1 + 3 * beta + 2 * beta3;
        double ess = lagZero ? es2 : 1 + beta * r2;
        double es2s = lagZero ? es3 : 1 + beta + 2 * beta * r2 + 2 * beta3 * r2;
        int n = pixels.length;
        double sm1 = 0;
        double sA = 0;
        double sVarB = 0;
        double sCovBC = 0;
        double sCovAB = 0;
        double symmetric = 0;
        int symmetricCount = 0;
        for (int p : pixels) {
            double h = halo[p];
            double m1;
            double m2;
            double c11;
            double c21;
            if (dose == 0) {
                m1 = h;
                m2 = h * h * es2;
                c11 = h * h * ess;
                c21 = h * h * h * es2s;
            } else {
                double a = dose * h;
                double g2 = gain * gain;
                m1 = gain * a;
                m2 = g2 * (a * a * es2 + a) + readVariance;
                if (lagZero) {
                    c11 = m2;
                    c21 = g2 * gain * (a * a * a * es3 + 3 * a * a * es2 + a) + 3 * gain * a * readVariance;
                } else {
                    c11 = g2 * a * a * ess;
                    c21 = g2 * gain * (a * a * a * es2s + a * a * ess) + readVariance * gain * a;
                }
            }
            sm1 += m1;
            sA += c11;
            sVarB += m2 - m1 * m1;
            sCovBC += c11 - m1 * m1;
            sCovAB += c21 - c11 * m1;
            if (m1 > 0) {
                symmetric += c11 / (m1 * m1);
                symmetricCount++;
            }
        }
        if (normalisation == Normalisation.SYMMETRIC) {
            return symmetric / symmetricCount;
        }
        double muA = sA / n;
        double muB = sm1 / n;
        double g = muA / (muB * muB);
        if (!finitePixelCorrection) {
            return g;
        }
        double varB = sVarB / ((double) n * n);
        double covAB = sCovAB / ((double) n * n);
        double covBC = sCovBC / ((double) n * n);
        double correction = lagZero
            ? 1 - 2 * covAB / (muA * muB) + 3 * varB / (muB * muB)
            : 1 - 2 * covAB / (muA * muB) + covBC / (muB * muB) + 2 * varB / (muB * muB);
        return g * correction;
    }
}
