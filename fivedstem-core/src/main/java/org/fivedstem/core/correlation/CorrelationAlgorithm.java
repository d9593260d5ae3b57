/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation;

/**
 * How g(t) is computed. {@link #DIRECT} and {@link #FFT} give the same answer to rounding (about
 * 1e-13 relative for T of a few hundred frames) at every lag and differ only in speed;
 * {@link #MULTI_TAU} gives g at fewer, quasi-logarithmically spaced lags
 * ({@link CorrelationKernel#lagFrames}).
 */
public enum CorrelationAlgorithm {
    /**
     * For long series — more than {@link CorrelationKernel#MULTI_TAU_MIN_FRAMES} frames with the
     * ensemble normalisation and the pixel-group jackknife or no standard errors — {@link #MULTI_TAU},
     * whose cost per frame does not grow with T. Otherwise {@link #DIRECT} or {@link #FFT}, per
     * call, from an operation-count model calibrated by measurement
     * ({@link CorrelationKernel#costNanos}): whichever is predicted faster.
     */
    AUTO,
    /**
     * The two-time matrix: every frame pair's pixel sum, O(P·T²). Fastest for short recordings
     * (with jackknife SEs up to about 250 frames at P ≈ 300; without SEs up to about 100; see
     * docs/dynamics.md).
     */
    DIRECT,
    /**
     * Zero-padded real FFTs (JTransforms, power-of-two length ≥ 2T−1): O(P·B·T log T) where B is
     * the number of jackknife blocks (1 without standard errors). Fastest for long recordings.
     */
    FFT,
    /**
     * The multi-tau correlator of XPCS: g at quasi-logarithmic lags (0 … 15 frames, then 8 … 15
     * times 2, 4, 8 … frames) from pairs of frames binned 1, 2, 4, 8 … to a bin, O(P·T) — for long
     * series, where the T² pairs of the other algorithms explode. Its first 16 lags are the direct
     * route's (to the bit with the pixel-group jackknife); the longer ones average the frame pairs within ±2/16 of the lag. Ensemble
     * normalisation with the pixel-group jackknife or no standard errors. See
     * {@code MultiTauSums} and docs/dynamics.md ("Long series").
     */
    MULTI_TAU
}
