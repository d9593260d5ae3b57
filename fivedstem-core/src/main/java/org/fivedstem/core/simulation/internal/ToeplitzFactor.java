/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation.internal;

import java.util.function.IntToDoubleFunction;

import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.fivedstem.api.internal.Checks;

/**
 * The fallback for correlations that circulant embedding cannot reproduce (γ &gt; 1 with τ much
 * longer than the series): the {@code T × T} covariance matrix {@code C_ij = c(|i − j|)} is
 * factored by EJML's symmetric eigendecomposition, {@code C = V Λ Vᵀ}, and a series is
 * {@code E = V √Λ W} with {@code W} circular complex Gaussian. Exact for any positive
 * semi-definite covariance; eigenvalues that are negative through rounding (the KWW function
 * {@code exp(−|t|^γ)}, γ ≤ 2, is positive definite, being the characteristic function of a
 * symmetric stable law) are set to zero and {@link #maxCovarianceError()} reports the exact
 * effect, {@code max |V Λ₊ Vᵀ − C|}.
 *
 * <p>Costs {@code T²} complex multiply-adds per series against one FFT of length ≥ 2T for the
 * embedding, and only {@code 2T} normal variates instead of {@code 2n}; it is used only when the
 * embedding fails, because the embedding is the method the issue asks for and is cheaper for
 * long series.
 */
public final class ToeplitzFactor {

    private final int frames;
    private final double[] factor;
    private final double maxError;

    private ToeplitzFactor(int frames, double[] factor, double maxError) {
        this.frames = frames;
        this.factor = factor;
        this.maxError = maxError;
    }

    /**
     * @param frames number of samples T (&ge; 1)
     * @param covariance the covariance at integer lag {@code 0 ≤ k < T}
     * @return the factor
     * @throws IllegalStateException if EJML's eigendecomposition does not converge
     */
    public static ToeplitzFactor of(int frames, IntToDoubleFunction covariance) {
        Checks.positive("frames", frames);
        double[] c = new double[frames];
        for (int k = 0; k < frames; k++) {
            c[k] = covariance.applyAsDouble(k);
        }
        DMatrixRMaj m = new DMatrixRMaj(frames, frames);
        for (int i = 0; i < frames; i++) {
            for (int j = 0; j < frames; j++) {
                m.unsafe_set(i, j, c[Math.abs(i - j)]);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(frames, true, true);
        if (!eig.decompose(m)) {
            throw new IllegalStateException(Checks.format("eigendecomposition of the %d×%d covariance did not converge", frames, frames));
        }
        double[] f = new double[frames * frames];
        for (int j = 0; j < frames; j++) {
            double lambda = Math.max(0, eig.getEigenvalue(j).getReal());
            double s = Math.sqrt(lambda);
            DMatrixRMaj v = eig.getEigenVector(j);
            for (int i = 0; i < frames; i++) {
                f[i * frames + j] = v.get(i, 0) * s;
            }
        }
        double err = 0;
        for (int i = 0; i < frames; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int l = 0; l < frames; l++) {
                    s += f[i * frames + l] * f[j * frames + l];
                }
                err = Math.max(err, Math.abs(s - c[i - j]));
            }
        }
        return new ToeplitzFactor(frames, f, err);
    }

    /** @return largest |realised − target| covariance entry */
    public double maxCovarianceError() {
        return maxError;
    }

    /**
     * Draws one series.
     *
     * @param gaussian standard normal variates, consumed {@code 2T} at a time
     * @param w workspace of at least {@code 2T} values. Modified.
     * @param re receives the real parts, {@code re[offset + k·stride]}. Modified.
     * @param im receives the imaginary parts likewise. Modified.
     * @param offset index of the first sample
     * @param stride distance between samples
     */
    public void sample(NormalizedGaussianSampler gaussian, double[] w, double[] re, double[] im, int offset, int stride) {
        final double h = Math.sqrt(0.5);
        for (int j = 0; j < frames; j++) {
            w[2 * j] = h * gaussian.sample();
            w[2 * j + 1] = h * gaussian.sample();
        }
        for (int i = 0, out = offset; i < frames; i++, out += stride) {
            double sr = 0;
            double si = 0;
            int row = i * frames;
            for (int j = 0; j < frames; j++) {
                double a = factor[row + j];
                sr += a * w[2 * j];
                si += a * w[2 * j + 1];
            }
            re[out] = sr;
            im[out] = si;
        }
    }

    @Override
    public String toString() {
        return Checks.format("ToeplitzFactor[%d frames, max covariance error %.3g]", frames, maxError);
    }
}
