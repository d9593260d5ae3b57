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
     * pairs; see docs/dynamics.md for the test showing it is not anti-conservative. The SE is NaN
     * at lags where some replicate has no pair left (the last ≈ T/B lags) and when B' &lt; 2.
     *
     * <p>For {@link org.fivedstem.api.Normalisation#SYMMETRIC} the SE reported is that of the
     * ensemble estimate at the same lag (the two estimators share their numerator; they differ in
     * normalisation terms whose fluctuations are smaller by a factor ~1/√P): an approximation
     * stated here on purpose, because exact per-pixel replicates would cost 2B extra FFTs per pixel.
     */
    FRAME_BLOCK_JACKKNIFE,
    /** No standard errors: all NaN. The fastest choice (one FFT per pixel). */
    NONE
}
