/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.simulation.internal.CirculantEmbedding;
import org.fivedstem.core.simulation.internal.GrainFilter;
import org.fivedstem.core.simulation.internal.ModeWeights;
import org.fivedstem.core.simulation.internal.SmallMeanPoisson;
import org.fivedstem.core.simulation.internal.ToeplitzFactor;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * The simulator's kernel: fills a caller's buffer with the complete time series of one scan
 * position, {@code T × ky·kx} values with frame {@code t}, pixel {@code p} at {@code t·ky·kx + p}.
 *
 * <p>Holds a reusable workspace (about {@code 3·T·ky·kx} doubles, and FFTs by length), so the hot
 * loop allocates nothing but the position's random generator and Gaussian sampler. <b>Not
 * thread-safe</b>: use one generator per thread ({@link SpeckleSimulation#newGenerator()}); all
 * generators of a simulation produce identical values for a position, since each position's
 * random stream is derived from (seed, y, x, temperature) alone.
 *
 * <p>Per mode, the dynamic field is drawn with the exact AR(1) recursion
 * {@code D(t+1) = a·D(t) + √(1 − a²)·W}, {@code a = exp(−Δt/τ)}, when γ = 1 (2 normal variates per
 * pixel and frame), otherwise with circulant embedding (one JTransforms FFT of length
 * {@code n ≥ 2(T−1)} per pixel and mode). JTransforms rather than Commons Math's
 * {@code FastFourierTransformer}: on this machine a complex FFT of length 256 takes 2.7 µs in
 * JTransforms, 4.2 µs in {@code FastFourierTransformer.transformInPlace} and 6–13 µs in
 * {@code transform(Complex[])}, which also allocates 256 {@code Complex} objects per call; Commons
 * Math also only accepts powers of two.
 */
public final class SpeckleGenerator {

    private static final double HALF_SQRT = Math.sqrt(0.5);
    private static final double MAX_ADU = 65535;

    private final SpeckleSimulation sim;
    private final int frames;
    private final int pixels;
    private final double dt;
    private final double staticFraction;
    private final double dose;
    private final double gain;
    private final double readNoise;
    private final double[] halo;
    private final double[] intensity;
    private final double[] stateRe;
    private final double[] stateIm;
    private final double[] staticRe;
    private final double[] staticIm;
    private final GrainFilter grain;
    private final Map<Integer, DoubleFFT_1D> ffts = new HashMap<>();
    private double[] fieldRe;
    private double[] fieldIm;
    private double[] fftBuffer = new double[0];
    private double[] seriesRe = new double[0];
    private double[] seriesIm = new double[0];

    SpeckleGenerator(SpeckleSimulation sim) {
        this.sim = sim;
        this.frames = sim.shape().frames();
        this.pixels = sim.shape().patternSize();
        this.dt = sim.frameIntervalSeconds();
        this.staticFraction = sim.staticFraction();
        this.dose = sim.doseElectronsPerPixelPerFrame();
        this.gain = sim.gainAduPerElectron();
        this.readNoise = sim.readNoiseAdu();
        this.halo = sim.haloRef();
        this.intensity = new double[frames * pixels];
        this.stateRe = new double[pixels];
        this.stateIm = new double[pixels];
        this.staticRe = new double[pixels];
        this.staticIm = new double[pixels];
        this.grain = sim.speckleGrainPx() > 0
            ? new GrainFilter(sim.shape().ky(), sim.shape().kx(), sim.speckleGrainPx()) : null;
    }

    /** @return values per position, {@code T · ky · kx} */
    public int valuesPerPosition() {
        return frames * pixels;
    }

    /**
     * Generates one position.
     *
     * @param y scan row
     * @param x scan column
     * @param out receives {@link #valuesPerPosition()} values, frame-major. Modified.
     */
    public void generate(int y, int x, double[] out) {
        Checks.length("out", frames * pixels, out.length);
        UniformRandomProvider rng = synthesise(y, x);
        NormalizedGaussianSampler gauss = ZigguratSampler.NormalizedGaussian.of(rng);
        for (int t = 0, i = 0; t < frames; t++) {
            for (int p = 0; p < pixels; p++, i++) {
                out[i] = count(rng, gauss, halo[p], intensity[i]);
            }
        }
    }

    /**
     * Generates one position into single precision (exact for counts; noise-free intensities are
     * rounded to float).
     *
     * @param y scan row
     * @param x scan column
     * @param out receives {@link #valuesPerPosition()} values, frame-major. Modified.
     */
    public void generate(int y, int x, float[] out) {
        Checks.length("out", frames * pixels, out.length);
        UniformRandomProvider rng = synthesise(y, x);
        NormalizedGaussianSampler gauss = ZigguratSampler.NormalizedGaussian.of(rng);
        for (int t = 0, i = 0; t < frames; t++) {
            for (int p = 0; p < pixels; p++, i++) {
                out[i] = (float) count(rng, gauss, halo[p], intensity[i]);
            }
        }
    }

    private double count(UniformRandomProvider rng, NormalizedGaussianSampler gauss, double h, double s) {
        if (dose == 0) {
            return h * s;
        }
        if (h == 0) {
            return 0;
        }
        double v = gain * SmallMeanPoisson.sample(rng, dose * h * s);
        if (readNoise > 0) {
            v += readNoise * gauss.sample();
        }
        // Rounded to whole ADU, then clipped to the uint16 range [0, 65535].
        v = Math.rint(v);
        return v < 0 ? 0 : Math.min(v, MAX_ADU);
    }

    /**
     * Fills {@link #intensity} with S(t, p) = Σ w_m |E_m|² (no halo) and returns the position's
     * generator positioned for the counting stage.
     */
    private UniformRandomProvider synthesise(int y, int x) {
        Checks.index("y", y, sim.shape().scanY());
        Checks.index("x", x, sim.shape().scanX());
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(sim.positionSeed(y, x));
        NormalizedGaussianSampler gauss = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] w = ModeWeights.forContrast(sim.beta(y, x));
        double gamma = sim.gamma(y, x);
        double tau = sim.tauSeconds(y, x);
        boolean ar1 = gamma == 1 || frames == 1;
        Object sampler = ar1 ? null : sim.fieldSampler(y, x);
        boolean useField = grain != null;
        if (useField && fieldRe == null) {
            fieldRe = new double[frames * pixels];
            fieldIm = new double[frames * pixels];
        }
        Arrays.fill(intensity, 0);
        double sd = Math.sqrt(1 - staticFraction);
        double ss = Math.sqrt(staticFraction);
        for (double weight : w) {
            if (staticFraction > 0) {
                for (int p = 0; p < pixels; p++) {
                    staticRe[p] = ss * HALF_SQRT * gauss.sample();
                    staticIm[p] = ss * HALF_SQRT * gauss.sample();
                }
            }
            if (ar1) {
                ar1Mode(gauss, tau, weight, sd, useField);
            } else {
                exactMode(gauss, sampler, sd, weight, useField);
            }
            if (useField) {
                for (int t = 0; t < frames; t++) {
                    int off = t * pixels;
                    if (grain != null) {
                        grain.apply(fieldRe, fieldIm, off);
                    }
                    for (int p = 0, i = off; p < pixels; p++, i++) {
                        intensity[i] += weight * (fieldRe[i] * fieldRe[i] + fieldIm[i] * fieldIm[i]);
                    }
                }
            }
        }
        return rng;
    }

    /** AR(1) for γ = 1: into the intensity directly, or into the field arrays when they are filtered. */
    private void ar1Mode(NormalizedGaussianSampler gauss, double tau, double weight, double sd, boolean useField) {
        double a = Math.exp(-dt / tau);
        double innov = Math.sqrt(-Math.expm1(-2 * dt / tau)) * HALF_SQRT;
        boolean hasStatic = staticFraction > 0;
        for (int t = 0, i = 0; t < frames; t++) {
            for (int p = 0; p < pixels; p++, i++) {
                double re;
                double im;
                if (t == 0) {
                    re = HALF_SQRT * gauss.sample();
                    im = HALF_SQRT * gauss.sample();
                } else {
                    re = a * stateRe[p] + innov * gauss.sample();
                    im = a * stateIm[p] + innov * gauss.sample();
                }
                stateRe[p] = re;
                stateIm[p] = im;
                double er = sd * re;
                double ei = sd * im;
                if (hasStatic) {
                    er += staticRe[p];
                    ei += staticIm[p];
                }
                if (useField) {
                    fieldRe[i] = er;
                    fieldIm[i] = ei;
                } else {
                    intensity[i] += weight * (er * er + ei * ei);
                }
            }
        }
    }

    /**
     * Circulant embedding, or the covariance factor where the embedding is not exact enough. Each
     * pixel's series is drawn contiguously into {@code seriesRe/Im}, then added to the intensity
     * (or, with a grain, stored frame-major for filtering): one strided pass per mode.
     */
    private void exactMode(NormalizedGaussianSampler gauss, Object sampler, double sd, double weight, boolean useField) {
        if (seriesRe.length < frames) {
            seriesRe = new double[frames];
            seriesIm = new double[frames];
        }
        CirculantEmbedding embedding = sampler instanceof CirculantEmbedding ? (CirculantEmbedding) sampler : null;
        ToeplitzFactor factor = embedding == null ? (ToeplitzFactor) sampler : null;
        DoubleFFT_1D fft = null;
        int need = embedding != null ? 2 * embedding.length() : 2 * frames;
        if (embedding != null) {
            fft = ffts.computeIfAbsent(embedding.length(), DoubleFFT_1D::new);
        }
        if (fftBuffer.length < need) {
            fftBuffer = new double[need];
        }
        for (int p = 0; p < pixels; p++) {
            if (embedding != null) {
                embedding.sample(gauss, fft, fftBuffer, seriesRe, seriesIm, 0, 1);
            } else {
                factor.sample(gauss, fftBuffer, seriesRe, seriesIm, 0, 1);
            }
            double sr = staticRe[p];
            double si = staticIm[p];
            for (int t = 0, i = p; t < frames; t++, i += pixels) {
                double er = sd * seriesRe[t] + sr;
                double ei = sd * seriesIm[t] + si;
                if (useField) {
                    fieldRe[i] = er;
                    fieldIm[i] = ei;
                } else {
                    intensity[i] += weight * (er * er + ei * ei);
                }
            }
        }
    }

    @Override
    public String toString() {
        return Checks.format("SpeckleGenerator[%d frames × %d pixels per position]", frames, pixels);
    }
}
