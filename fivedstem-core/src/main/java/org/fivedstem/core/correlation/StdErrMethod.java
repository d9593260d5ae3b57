/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation;

/**
 * How the standard errors of g(t) are estimated.
 */
public enum StdErrMethod {
    /**
     * Delete-a-block jackknife over frames: the T frames are split into B contiguous blocks of
     * (nearly) equal length; replicate b recomputes g(t) with every frame pair that has either
     * frame in block b left out (exactly as if block b were blanked), and
     * <pre>
     *   SE²(t) = (B'−1)/B' · Σ_b (g₍₋b₎(t) − mean_b g₍₋b₎(t))²
     * </pre>
     * over the B' blocks holding at least one usable frame. Deleting whole frames (not just
     * first frames t1) keeps the dependence between pairs that share a frame inside each replicate,
     * and contiguous blocks keep most of the dependence between overlapping, temporally correlated
     * pairs as long as τ is much shorter than a block. When τ is comparable to a block or longer
     * the blocks are not independent and the SE is too small: the τ errors fitted from it are
     * 1.5–3× too small for τ ≳ T/4 (docs/dynamics.md), hence {@link #PIXEL_GROUP_JACKKNIFE} is
     * the default. This method is the one with an FFT route, for series of thousands of frames.
     * The SE is NaN at lags where some replicate has no pair left (the last ≈ T/B lags) and when
     * B' &lt; 2.
     *
     * <p>For {@link org.fivedstem.api.Normalisation#SYMMETRIC} the SE reported is that of the
     * ensemble estimate at the same lag (the two estimators share their numerator; they differ in
     * normalisation terms whose fluctuations are smaller by a factor ~1/√P): an approximation
     * stated here on purpose, because exact per-pixel replicates would cost 2B extra FFTs per pixel.
     */
    FRAME_BLOCK_JACKKNIFE,
    /**
     * Delete-a-group jackknife over pixels (the default): the annulus (Q bin) pixels, in the order
     * they are given — {@link CorrelationKernel#pixelOrder}, by azimuth, in every route of the
     * library — are cut into B contiguous groups of (nearly) equal size, sectors of the ring; replicate r is the ensemble g
     * recomputed from the pixels outside group r — sums and frame means of eq. 1 over those
     * pixels only — and SE²(t) = (B−1)/B · Σ_r (g₋r(t) − mean_r g₋r(t))².
     *
     * <p>Why: the pixels of an annulus see independent speckles, so deleting a group of them
     * deletes whole independent realisations of the same dynamics, including their slow,
     * finite-recording fluctuation. Frame blocks of T/B frames are not independent when τ is
     * comparable to or longer than the block (the usual case in 5D-STEM), which makes the
     * frame-block jackknife too optimistic for slow dynamics (docs/dynamics.md). Sectors are compact
     * pieces of the ring, so a speckle grain of a pixel or two rarely straddles two groups (interleaved groups would split every grain and understate the
     * variance; for a grain much larger than a pixel use fewer, larger groups). Defined at every
     * lag that has pairs (unlike the frame-block SE). With fewer than B pixels, one group per
     * pixel; the missing replicates are NaN. Measured: the SE of g within ±10 % of the actual
     * scatter at every lag and τ, and the τ errors fitted from its replicates close to calibrated
     * (median |τ̂ − τ|/σ 0.66–0.93, 0.674 being exact) from τ = T/25 to 2T.
     *
     * <p>Direct algorithm only: the replicates' frame means differ from the full ones, so the FFT
     * route would need B forward transforms per pixel (one per replicate normalisation);
     * {@link CorrelationAlgorithm#AUTO} always takes the direct route with this method and
     * {@link CorrelationAlgorithm#FFT} is refused. For {@link org.fivedstem.api.Normalisation#SYMMETRIC}
     * the SE is that of the ensemble estimate at the same lag, as with {@link #FRAME_BLOCK_JACKKNIFE}.
     */
    PIXEL_GROUP_JACKKNIFE,
    /** No standard errors: all NaN. The fastest choice (one FFT per pixel). */
    NONE
}
