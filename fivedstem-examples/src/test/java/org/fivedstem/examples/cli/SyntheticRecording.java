/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.hdf5.RecordingWriter;
import org.fivedstem.testing.SeededCases;

/**
 * A fast synthetic recording with known dynamics, written straight through {@link RecordingWriter}
 * (the speckle simulator is far slower, and these tests need hundreds of MB in seconds).
 *
 * <p>Every pixel between {@link #SPECKLE_INNER_PX} and {@link #SPECKLE_OUTER_PX} from the pattern
 * centre (both annuli of {@code analyze}'s defaults) carries an independent
 * complex Gaussian field e(t) of unit variance that is an AR(1) process in time,
 * {@code e(t) = r e(t−1) + √(1−r²) η(t)} with {@code r = exp(−Δt/τ)}; the stored intensity is
 * {@code round(MEAN_COUNTS · |e|²)}. For such fully developed speckle (Siegert relation)
 * {@code g(t) = 1 + |⟨e(0)e*(t)⟩|² = 1 + exp(−2t/τ)}: the paper's eq. 3 with β = 1, γ = 1 and
 * relaxation time τ exactly, and the intensities are exponential, so V = 1 (eq. 5) up to the
 * rounding (variance 1/12 against MEAN_COUNTS²: negligible). Other pixels hold a constant.
 * τ grows linearly along x from {@link #TAU_MIN_FRAMES} to {@link #TAU_MAX_FRAMES} frame intervals.
 */
final class SyntheticRecording {

    /** Pattern size in pixels (the paper's binned patterns). */
    static final int K = 66;
    /** Calibration: the structure annulus 3.0–5.8 nm⁻¹ lies at 13–25 px, the dynamics one at 18–20 px. */
    static final double PIXEL_SIZE_INV_NM = 0.23;
    static final double SPECKLE_INNER_PX = 11.5;
    static final double SPECKLE_OUTER_PX = 27;
    static final double MEAN_COUNTS = 200;
    static final double FRAME_INTERVAL_S = 2.0;
    static final double TAU_MIN_FRAMES = 3;
    static final double TAU_MAX_FRAMES = 12;

    private SyntheticRecording() {
    }

    /** @return the true τ in seconds of scan column x */
    static double tauSeconds(int x, int scanX) {
        double f = scanX == 1 ? 0 : (double) x / (scanX - 1);
        return FRAME_INTERVAL_S * (TAU_MIN_FRAMES + f * (TAU_MAX_FRAMES - TAU_MIN_FRAMES));
    }

    /**
     * Writes a recording of the given size (uint16, t,y,x,ky,kx, contiguous).
     *
     * @param file the target
     * @param frames T
     * @param scanY rows
     * @param scanX columns
     * @param seed random seed
     * @return the shape written
     * @throws IOException if writing fails
     */
    static Shape5D write(Path file, int frames, int scanY, int scanX, long seed) throws IOException {
        Shape5D shape = Shape5D.of(frames, scanY, scanX, K, K);
        Calibration cal = Calibration.builder().frameIntervalSeconds(FRAME_INTERVAL_S).scanStepNm(1.0)
            .pixelSizeInverseNm(PIXEL_SIZE_INV_NM).centerPx((K - 1) / 2.0, (K - 1) / 2.0).temperatureKelvin(633)
            .build();
        double c = (K - 1) / 2.0;
        int n = 0;
        int[] speckle = new int[K * K];
        for (int i = 0; i < K; i++) {
            for (int j = 0; j < K; j++) {
                double rr = Math.hypot(i - c, j - c);
                if (rr >= SPECKLE_INNER_PX && rr <= SPECKLE_OUTER_PX) {
                    speckle[n++] = i * K + j;
                }
            }
        }
        UniformRandomProvider rng = SeededCases.rng(seed);
        ZigguratSampler.NormalizedGaussian normal = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] values = new double[frames * K * K];
        java.util.Arrays.fill(values, MEAN_COUNTS);
        try (RecordingWriter w = RecordingWriter.create(file, shape, SampleType.UINT16, cal)) {
            for (int y = 0; y < scanY; y++) {
                for (int x = 0; x < scanX; x++) {
                    double r = Math.exp(-FRAME_INTERVAL_S / tauSeconds(x, scanX));
                    double s = Math.sqrt(1 - r * r);
                    for (int q = 0; q < n; q++) {
                        int px = speckle[q];
                        // Unit-variance complex field: each part has variance 1/2, hence MEAN_COUNTS / 2.
                        double re = normal.sample();
                        double im = normal.sample();
                        for (int t = 0; t < frames; t++) {
                            if (t > 0) {
                                re = r * re + s * normal.sample();
                                im = r * im + s * normal.sample();
                            }
                            values[t * K * K + px] = Math.rint(0.5 * MEAN_COUNTS * (re * re + im * im));
                        }
                    }
                    w.writeFrames(y, x, values);
                }
            }
            w.commit();
        }
        return shape;
    }
}
