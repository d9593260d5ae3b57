/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation;

/**
 * How g(t) is computed. Both algorithms give the same answer to rounding (about 1e-13 relative
 * for T of a few hundred frames); they differ only in speed.
 */
public enum CorrelationAlgorithm {
    /**
     * Chooses {@link #DIRECT} or {@link #FFT} per call from an operation-count model calibrated by
     * measurement ({@link CorrelationKernel#costNanos}): whichever is predicted faster.
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
    FFT
}
