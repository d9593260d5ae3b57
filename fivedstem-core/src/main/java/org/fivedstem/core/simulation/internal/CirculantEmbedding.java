/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation.internal;

import java.util.function.IntToDoubleFunction;

import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.fivedstem.api.internal.Checks;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Exact simulation of a stationary complex Gaussian time series with a given real covariance
 * {@code c(k)} at integer lags, by circulant embedding (Dietrich &amp; Newsam 1997; Wood &amp; Chan
 * 1994).
 *
 * <p>The covariance is embedded in the first row {@code r} of a symmetric circulant matrix of size
 * {@code n = 2m}, {@code m ≥ T − 1}: {@code r_k = c(k)} for {@code k ≤ m} and
 * {@code r_{n−k} = c(k)}. Its eigenvalues are the DFT {@code λ_j} of {@code r}. If all
 * {@code λ_j ≥ 0}, then {@code E_k = Σ_j √(λ_j/n)·W_j·e^{−2πijk/n}} with {@code W_j} independent
 * circular complex Gaussians ({@code E|W|² = 1}) has {@code E[E_k E_l*] = c(k − l)} and
 * {@code E[E_k E_l] = 0} exactly; the first {@code T} values are the series.
 *
 * <p><b>Non-positive eigenvalues.</b> {@code n} starts at the smallest power of two
 * {@code ≥ 2(T − 1)} (JTransforms is fastest at powers of two: 2.7 µs for n = 256 against 4.6 µs for
 * the minimal n = 210). If some {@code λ_j < −1e-10·max λ}, {@code n} is doubled, up to 16 times the
 * start. Eigenvalues that are still negative are then set to zero; this changes the realised
 * covariance to {@code ĉ = IDFT(max(λ, 0))}, and {@link #maxCovarianceError()} reports
 * {@code max_{k<T} |ĉ(k) − c(k)|} (computed exactly by an inverse FFT). Negative eigenvalues above
 * rounding occur for the KWW correlation {@code exp(−(t/τ)^γ)} only when {@code γ > 1} and the
 * correlation has not decayed at lag {@code m} (τ comparable to or longer than the series); for
 * {@code γ ≤ 1} the correlation is convex and decreasing and the minimal embedding is always
 * non-negative definite (a Pólya-type criterion, Gneiting 2006). Tiny negative eigenvalues from
 * rounding (e.g. the Gaussian case γ = 2, whose eigenvalues underflow) are clipped with an error of
 * order 1e-16. See docs/simulation.md for the measured table.
 *
 * <p>Immutable; {@link #sample} is called with a per-thread FFT and buffer.
 */
public final class CirculantEmbedding {

    /** Relative size below which a negative eigenvalue counts as rounding. */
    public static final double ROUNDING = 1e-10;
    /** How far the embedding is enlarged before clipping: 16 × the starting size. */
    public static final int MAX_ENLARGEMENT = 16;

    private final int frames;
    private final int length;
    private final double[] amplitude;
    private final int clipped;
    private final double maxError;

    private CirculantEmbedding(int frames, int length, double[] amplitude, int clipped, double maxError) {
        this.frames = frames;
        this.length = length;
        this.amplitude = amplitude;
        this.clipped = clipped;
        this.maxError = maxError;
    }

    /**
     * @param frames number of samples T (&ge; 1)
     * @return the starting embedding length: the smallest power of two &ge; 2(T − 1), at least 2
     */
    public static int startLength(int frames) {
        int target = Math.max(2, 2 * (frames - 1));
        return Integer.highestOneBit(target - 1) << 1;
    }

    /**
     * Builds the embedding.
     *
     * @param frames number of samples T (&ge; 1)
     * @param covariance the covariance at integer lag {@code k ≥ 0} (variance at 0); it is evaluated
     *     up to lag {@code 8 · startLength(frames)}
     * @return the embedding
     */
    public static CirculantEmbedding of(int frames, IntToDoubleFunction covariance) {
        Checks.positive("frames", frames);
        int start = startLength(frames);
        double[] lambda = null;
        int n = start;
        for (; n <= start * MAX_ENLARGEMENT; n *= 2) {
            lambda = eigenvalues(n, covariance);
            double max = 0;
            double min = Double.POSITIVE_INFINITY;
            for (double l : lambda) {
                max = Math.max(max, l);
                min = Math.min(min, l);
            }
            if (min >= -ROUNDING * max) {
                break;
            }
        }
        if (n > start * MAX_ENLARGEMENT) {
            n /= 2;
        }
        int clipped = 0;
        double[] amplitude = new double[n];
        for (int j = 0; j < n; j++) {
            if (lambda[j] < 0) {
                clipped++;
                lambda[j] = 0;
            }
            amplitude[j] = Math.sqrt(lambda[j] / n);
        }
        double error = 0;
        if (clipped > 0) {
            // Realised covariance: the inverse DFT of the clipped eigenvalues.
            double[] a = new double[2 * n];
            for (int j = 0; j < n; j++) {
                a[2 * j] = lambda[j];
            }
            new DoubleFFT_1D(n).complexInverse(a, true);
            for (int k = 0; k < frames; k++) {
                error = Math.max(error, Math.abs(a[2 * k] - covariance.applyAsDouble(k)));
            }
        }
        return new CirculantEmbedding(frames, n, amplitude, clipped, error);
    }

    private static double[] eigenvalues(int n, IntToDoubleFunction covariance) {
        int m = n / 2;
        double[] a = new double[2 * n];
        for (int k = 0; k <= m; k++) {
            double c = covariance.applyAsDouble(k);
            a[2 * k] = c;
            if (k > 0 && k < m) {
                a[2 * (n - k)] = c;
            }
        }
        new DoubleFFT_1D(n).complexForward(a);
        double[] lambda = new double[n];
        for (int j = 0; j < n; j++) {
            lambda[j] = a[2 * j];
        }
        return lambda;
    }

    /** @return number of samples T */
    public int frames() {
        return frames;
    }

    /** @return the embedding length n (a power of two) */
    public int length() {
        return length;
    }

    /** @return number of negative eigenvalues set to zero (0 when the embedding is exact) */
    public int clippedEigenvalues() {
        return clipped;
    }

    /** @return largest |realised − target| covariance over lags 0..T−1; 0 when nothing was clipped */
    public double maxCovarianceError() {
        return maxError;
    }

    /**
     * Draws one series.
     *
     * @param gaussian standard normal variates, consumed {@code 2n} at a time
     * @param fft a JTransforms FFT of length {@link #length()}. Not modified (state).
     * @param buffer workspace of at least {@code 2n} values. Modified.
     * @param re receives the real parts, {@code re[offset + k·stride]} for k &lt; T. Modified.
     * @param im receives the imaginary parts likewise. Modified.
     * @param offset index of the first sample
     * @param stride distance between samples
     */
    public void sample(NormalizedGaussianSampler gaussian, DoubleFFT_1D fft, double[] buffer,
                       double[] re, double[] im, int offset, int stride) {
        final double h = Math.sqrt(0.5);
        for (int j = 0; j < length; j++) {
            double a = amplitude[j] * h;
            buffer[2 * j] = a * gaussian.sample();
            buffer[2 * j + 1] = a * gaussian.sample();
        }
        fft.complexForward(buffer);
        for (int k = 0, i = offset; k < frames; k++, i += stride) {
            re[i] = buffer[2 * k];
            im[i] = buffer[2 * k + 1];
        }
    }

    @Override
    public String toString() {
        return Checks.format("CirculantEmbedding[%d frames, length %d, %d clipped eigenvalues, max covariance error %.3g]",
            frames, length, clipped, maxError);
    }
}
