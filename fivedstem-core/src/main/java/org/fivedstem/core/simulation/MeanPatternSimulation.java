/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation;

import java.util.Objects;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.PoissonSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.internal.Checks;
import org.jtransforms.fft.DoubleFFT_2D;

/**
 * The mean of a few speckled diffraction patterns on a real detector — the input of the centre and
 * mask finders — generated directly, without a scan: large patterns (up to 512 × 512 and beyond)
 * in a fraction of a second, with the truth (centre, halo radius, shadow, flare and aperture
 * regions) at hand.
 *
 * <p><b>Model.</b> Frame {@code t} (of T) has the intensity
 * {@code I_t(p) = T_ap(p)·[H(|Q_p|)·S_t(p) + F(p)]}, 0 in the shadow, with H the
 * {@link HaloProfile} (peak 1), F and T_ap the flare and aperture of the {@link PatternFeatures},
 * and {@code S_t = (1/M) Σ_m |E_{t,m}|²} the speckle: each {@code E} is unit complex Gaussian white
 * noise filtered by a Gaussian of standard deviation g px (circular convolution by FFT),
 * normalised to {@code E|E|² = 1}, independent between frames and modes. So {@code E[S] = 1}, the
 * per-frame speckle contrast is {@code Var S = 1/M} (M = 1: fully developed, the strongest), and
 * speckles are about {@code 2√2·g} px wide. With a dose D (electrons per pixel per frame where the
 * intensity is 1) the mean pattern is {@code Poisson(D·Σ_t I_t)/(D·T)}, in units of the halo peak;
 * with D = 0 it is {@code (1/T)·Σ_t I_t}. The flare is static (not speckled).
 *
 * <pre>{@code
 * MeanPatternSimulation m = MeanPatternSimulation.builder().patternSize(512, 512).centerPx(261.3, 248.7)
 *     .haloRadiusPx(130).features(features).frames(10).speckleGrainPx(1.5).dose(50).seed(3).build();
 * CenterEstimate c = CenterFinder.defaults().estimate(m.meanPattern(), 512, 512, m.needleShadow());
 * }</pre>
 *
 * <p>Immutable; the pattern is generated at {@link Builder#build()} from the seed alone.
 */
public final class MeanPatternSimulation {

    private final int ky;
    private final int kx;
    private final double centerKyPx;
    private final double centerKxPx;
    private final double pixelSizeInverseNm;
    private final HaloProfile halo;
    private final double haloPeakInverseNm;
    private final PatternFeatures features;
    private final int frames;
    private final int modes;
    private final double grainPx;
    private final double dose;
    private final long seed;
    private final double discStopRadiusPx;
    private final double[] haloValues;
    private final double[] expected;
    private final double[] mean;

    private MeanPatternSimulation(Builder b) {
        ky = b.ky;
        kx = b.kx;
        centerKyPx = b.centerKyPx;
        centerKxPx = b.centerKxPx;
        haloPeakInverseNm = b.haloPeakInverseNm;
        pixelSizeInverseNm = b.haloPeakInverseNm / b.haloRadiusPx;
        halo = HaloProfile.gaussianRing(b.haloPeakInverseNm, b.relativeWidth * b.haloPeakInverseNm, b.background);
        features = b.features;
        frames = b.frames;
        modes = b.modes;
        grainPx = b.grainPx;
        dose = b.dose;
        seed = b.seed;
        discStopRadiusPx = b.discStopRadiusPx;
        int n = ky * kx;
        haloValues = new double[n];
        expected = new double[n];
        double[] flare = new double[n];
        double[] transmission = new double[n];
        for (int i = 0; i < ky; i++) {
            for (int j = 0; j < kx; j++) {
                int p = i * kx + j;
                boolean shadow = inShadow(i, j);
                haloValues[p] = halo.valueAt(Math.hypot(i - centerKyPx, j - centerKxPx) * pixelSizeInverseNm);
                transmission[p] = shadow ? 0 : features.apertureTransmission(i, j);
                flare[p] = features.flareAt(i, j, centerKyPx, centerKxPx);
                expected[p] = transmission[p] * (haloValues[p] + flare[p]);
            }
        }
        mean = generate(flare, transmission);
    }

    private double[] generate(double[] flare, double[] transmission) {
        int n = ky * kx;
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        NormalizedGaussianSampler gauss = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] sum = new double[n];
        double[] field = new double[2 * n];
        DoubleFFT_2D fft = grainPx > 0 ? new DoubleFFT_2D(ky, kx) : null;
        double[] transfer = grainPx > 0 ? gaussianTransfer() : null;
        for (int t = 0; t < frames; t++) {
            for (int m = 0; m < modes; m++) {
                // Unit complex Gaussian: real and imaginary parts of variance 1/2 each.
                for (int k = 0; k < 2 * n; k++) {
                    field[k] = gauss.sample() * Math.sqrt(0.5);
                }
                if (fft != null) {
                    fft.complexForward(field);
                    for (int p = 0; p < n; p++) {
                        field[2 * p] *= transfer[p];
                        field[2 * p + 1] *= transfer[p];
                    }
                    fft.complexInverse(field, true);
                }
                for (int p = 0; p < n; p++) {
                    double s = field[2 * p] * field[2 * p] + field[2 * p + 1] * field[2 * p + 1];
                    sum[p] += transmission[p] * haloValues[p] * s / modes;
                }
            }
            for (int p = 0; p < n; p++) {
                sum[p] += transmission[p] * flare[p];
            }
        }
        double[] out = new double[n];
        for (int p = 0; p < n; p++) {
            if (dose > 0) {
                double mu = dose * sum[p];
                out[p] = mu > 0 ? PoissonSampler.of(rng, mu).sample() / (dose * frames) : 0;
            } else {
                out[p] = sum[p] / frames;
            }
        }
        return out;
    }

    /**
     * The Gaussian filter's transfer function {@code G(k) = exp(−2π² g² (k_y² + k_x²))} (k in
     * cycles per pixel, wrapped), scaled so that the filtered white noise keeps unit variance:
     * by Parseval, the variance of the output is {@code (1/N) Σ_k G(k)²} for unit white input.
     */
    private double[] gaussianTransfer() {
        double[] g = new double[ky * kx];
        double sumSq = 0;
        for (int a = 0; a < ky; a++) {
            double fy = (a <= ky / 2 ? a : a - ky) / (double) ky;
            for (int b = 0; b < kx; b++) {
                double fx = (b <= kx / 2 ? b : b - kx) / (double) kx;
                double v = Math.exp(-2 * Math.PI * Math.PI * grainPx * grainPx * (fy * fy + fx * fx));
                g[a * kx + b] = v;
                sumSq += v * v;
            }
        }
        double norm = Math.sqrt(sumSq / g.length);
        for (int p = 0; p < g.length; p++) {
            g[p] /= norm;
        }
        return g;
    }

    /** @return a builder: 256 × 256, centre in the middle, halo radius 60 px, no features, see {@link Builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the mean pattern, ky·kx row-major, in units of the halo peak (a copy) */
    public double[] meanPattern() {
        return mean.clone();
    }

    /** @return the noise-free mean intensity {@code T_ap·(H + F)}, 0 in the shadow (a copy) */
    public double[] expectedPattern() {
        return expected.clone();
    }

    /** @return the halo H at each pixel, without shadow, flare or aperture (a copy) */
    public double[] haloPattern() {
        return haloValues.clone();
    }

    /** @return pattern rows */
    public int ky() {
        return ky;
    }

    /** @return pattern columns */
    public int kx() {
        return kx;
    }

    /** @return the true centre row in px */
    public double centerKyPx() {
        return centerKyPx;
    }

    /** @return the true centre column in px */
    public double centerKxPx() {
        return centerKxPx;
    }

    /** @return the halo peak radius q₀/pixel size in px */
    public double haloRadiusPx() {
        return haloPeakInverseNm / pixelSizeInverseNm;
    }

    /** @return the pixel size in nm⁻¹ that puts the halo peak q₀ at {@link #haloRadiusPx()} */
    public double pixelSizeInverseNm() {
        return pixelSizeInverseNm;
    }

    /** @return the halo profile (q in nm⁻¹) */
    public HaloProfile halo() {
        return halo;
    }

    /** @return the features */
    public PatternFeatures features() {
        return features;
    }

    /** @return the truth of the stop's shadow (needle and central disc; shadowed pixels invalid) */
    public DetectorMask stopShadow() {
        boolean[] v = new boolean[ky * kx];
        for (int i = 0; i < ky; i++) {
            for (int j = 0; j < kx; j++) {
                v[i * kx + j] = !inShadow(i, j);
            }
        }
        return DetectorMask.of(ky, kx, v);
    }

    private boolean inShadow(int i, int j) {
        return features.inNeedleShadow(i, j, centerKyPx, centerKxPx) || Math.hypot(i - centerKyPx, j - centerKxPx) < discStopRadiusPx;
    }

    /**
     * @param fraction threshold F/H
     * @return the truth of the flare: pixels where the flare adds more than {@code fraction} of the
     *     halo (invalid)
     */
    public DetectorMask flareRegion(double fraction) {
        return features.flareRegion(haloValues, ky, kx, centerKyPx, centerKxPx, fraction);
    }

    /** @return the truth of the aperture: pixels beyond R_ap invalid */
    public DetectorMask outsideAperture() {
        return features.outsideAperture(ky, kx);
    }

    @Override
    public String toString() {
        return Checks.format("MeanPatternSimulation[%d×%d, centre (%.2f, %.2f) px, halo %s at %.4g px (pixel %.4g nm⁻¹), %d frames × %d modes,"
                + " grain %.3g px, dose %.4g, %s, seed %d]", ky, kx, centerKyPx, centerKxPx, halo, haloRadiusPx(), pixelSizeInverseNm,
            frames, modes, grainPx, dose, features, seed);
    }

    /**
     * Assembles a {@link MeanPatternSimulation}. Defaults: 256 × 256 pixels, centre in the middle, a
     * Gaussian halo at q₀ = 4.4 nm⁻¹ with σ = 0.18·q₀ (the simulation's 0.8 nm⁻¹ at 4.4 nm⁻¹) on a
     * background of 0.2, at radius 60 px; no features; 10 frames of fully developed speckle (one
     * mode) of grain 1.5 px; dose 0 (noise-free counts); seed 1.
     */
    public static final class Builder {
        private int ky = 256;
        private int kx = 256;
        private double centerKyPx = 127.5;
        private double centerKxPx = 127.5;
        private double haloPeakInverseNm = 4.4;
        private double haloRadiusPx = 60;
        private double relativeWidth = 0.8 / 4.4;
        private double background = 0.2;
        private double discStopRadiusPx;
        private PatternFeatures features = PatternFeatures.NONE;
        private int frames = 10;
        private int modes = 1;
        private double grainPx = 1.5;
        private double dose;
        private long seed = 1;

        private Builder() {
        }

        /**
         * @param rows pattern rows (&ge; 8)
         * @param columns pattern columns (&ge; 8)
         * @return this builder, with the centre moved to the middle
         */
        public Builder patternSize(int rows, int columns) {
            if (rows < 8 || columns < 8) {
                throw new IllegalArgumentException(Checks.format("pattern %d×%d is smaller than 8×8", rows, columns));
            }
            ky = rows;
            kx = columns;
            centerKyPx = (rows - 1) / 2.0;
            centerKxPx = (columns - 1) / 2.0;
            return this;
        }

        /**
         * @param kyPx centre row in px (finite)
         * @param kxPx centre column in px (finite)
         * @return this builder
         */
        public Builder centerPx(double kyPx, double kxPx) {
            centerKyPx = Checks.finite("centerKyPx", kyPx);
            centerKxPx = Checks.finite("centerKxPx", kxPx);
            return this;
        }

        /**
         * @param px radius of the halo peak in px (finite, &gt; 0); the pixel size is q₀ / radius
         * @return this builder
         */
        public Builder haloRadiusPx(double px) {
            haloRadiusPx = Checks.positive("haloRadiusPx", px);
            return this;
        }

        /**
         * @param peakInverseNm q₀ in nm⁻¹ (finite, &gt; 0)
         * @param relativeSigma σ/q₀ of the Gaussian ring (finite, &gt; 0)
         * @param backgroundLevel b in [0, 1]
         * @return this builder
         */
        public Builder halo(double peakInverseNm, double relativeSigma, double backgroundLevel) {
            haloPeakInverseNm = Checks.positive("peakInverseNm", peakInverseNm);
            relativeWidth = Checks.positive("relativeSigma", relativeSigma);
            if (!(backgroundLevel >= 0 && backgroundLevel <= 1)) {
                throw new IllegalArgumentException(Checks.format("background is outside [0, 1]: %s", backgroundLevel));
            }
            background = backgroundLevel;
            return this;
        }

        /**
         * @param px radius of a central disc stop in px (finite, &ge; 0; 0 = none)
         * @return this builder
         */
        public Builder discStopRadiusPx(double px) {
            discStopRadiusPx = Checks.nonNegative("discStopRadiusPx", px);
            return this;
        }

        /**
         * @param f the stop, flare and aperture
         * @return this builder
         */
        public Builder features(PatternFeatures f) {
            features = Objects.requireNonNull(f, "features");
            return this;
        }

        /**
         * @param count frames averaged T (&ge; 1)
         * @return this builder
         */
        public Builder frames(int count) {
            frames = Checks.positive("frames", count);
            return this;
        }

        /**
         * @param count speckle modes M per frame (&ge; 1): contrast 1/M
         * @return this builder
         */
        public Builder speckleModes(int count) {
            modes = Checks.positive("speckleModes", count);
            return this;
        }

        /**
         * @param px σ g of the Gaussian that correlates the speckle field across pixels (finite, &ge; 0)
         * @return this builder
         */
        public Builder speckleGrainPx(double px) {
            grainPx = Checks.nonNegative("speckleGrainPx", px);
            return this;
        }

        /**
         * @param electronsPerPixelPerFrame D where the intensity is 1 (finite, &ge; 0; 0 = no counting noise)
         * @return this builder
         */
        public Builder dose(double electronsPerPixelPerFrame) {
            dose = Checks.nonNegative("dose", electronsPerPixelPerFrame);
            return this;
        }

        /**
         * @param value the seed
         * @return this builder
         */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** @return the simulation (the pattern is generated now) */
        public MeanPatternSimulation build() {
            return new MeanPatternSimulation(this);
        }
    }
}
