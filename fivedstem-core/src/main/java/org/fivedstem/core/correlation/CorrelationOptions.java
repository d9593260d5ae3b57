/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation;

import java.util.Objects;

import org.fivedstem.api.Normalisation;
import org.fivedstem.api.internal.Checks;

/**
 * How g(Q, t) is computed: normalisation, lag-0 correction, standard-error method, algorithm.
 * Immutable; configure with the {@code with…} methods, which return copies:
 *
 * <pre>{@code
 * CorrelationOptions opts = CorrelationOptions.defaults()
 *     .withNormalisation(Normalisation.SYMMETRIC)
 *     .withFactorialLag0(true);
 * }</pre>
 *
 * <p>Defaults: {@link Normalisation#ENSEMBLE} (the paper's eqs. 1–2), no lag-0 correction,
 * {@link StdErrMethod#PIXEL_GROUP_JACKKNIFE} with 10 groups, {@link CorrelationAlgorithm#AUTO} (which
 * then takes the direct route).
 *
 * <p>The pixel-group jackknife became the default because the frame-block one understates the τ
 * errors of slow dynamics (τ ≳ T/4) 1.5–3× — its frame blocks are not independent over τ — while
 * the pixel-group errors are close to calibrated at every τ/T measured (docs/dynamics.md, "Standard
 * errors"). Its price is the direct route at any length: about 1.3–1.5× the correlation time of
 * the frame-block jackknife at T = 100–300, and no FFT for very long series. Choose
 * {@code withStdErrMethod(StdErrMethod.FRAME_BLOCK_JACKKNIFE)} for the FFT route.
 */
public final class CorrelationOptions {

    /** Default number of jackknife blocks. */
    public static final int DEFAULT_JACKKNIFE_BLOCKS = 10;

    private static final CorrelationOptions DEFAULTS = new CorrelationOptions(Normalisation.ENSEMBLE, false,
        StdErrMethod.PIXEL_GROUP_JACKKNIFE, DEFAULT_JACKKNIFE_BLOCKS, CorrelationAlgorithm.AUTO);

    private final Normalisation normalisation;
    private final boolean factorialLag0;
    private final StdErrMethod stdErrMethod;
    private final int jackknifeBlocks;
    private final CorrelationAlgorithm algorithm;

    private CorrelationOptions(Normalisation normalisation, boolean factorialLag0, StdErrMethod stdErrMethod,
                               int jackknifeBlocks, CorrelationAlgorithm algorithm) {
        this.normalisation = normalisation;
        this.factorialLag0 = factorialLag0;
        this.stdErrMethod = stdErrMethod;
        this.jackknifeBlocks = jackknifeBlocks;
        this.algorithm = algorithm;
    }

    /** @return the defaults (see the class notes) */
    public static CorrelationOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param n the normalisation ({@link Normalisation#ENSEMBLE}: eqs. 1–2 of the paper)
     * @return a copy with it
     */
    public CorrelationOptions withNormalisation(Normalisation n) {
        return new CorrelationOptions(Objects.requireNonNull(n, "normalisation"), factorialLag0, stdErrMethod,
            jackknifeBlocks, algorithm);
    }

    /**
     * The factorial-moment correction of lag 0, for counted data (electron counts): the lag-0
     * numerator ⟨N²⟩ is replaced by ⟨N(N−1)⟩, which removes the Poisson shot-noise term 1/⟨N⟩
     * from g(0). Meaningless for integrated (non-counted) intensities; off by default. It breaks
     * the invariance of g(0) under per-frame scaling (counts are not scale-free).
     *
     * @param on whether to apply it
     * @return a copy with it
     */
    public CorrelationOptions withFactorialLag0(boolean on) {
        return new CorrelationOptions(normalisation, on, stdErrMethod, jackknifeBlocks, algorithm);
    }

    /**
     * @param method how standard errors are estimated
     * @return a copy with it
     */
    public CorrelationOptions withStdErrMethod(StdErrMethod method) {
        return new CorrelationOptions(normalisation, factorialLag0, Objects.requireNonNull(method, "stdErrMethod"),
            jackknifeBlocks, algorithm);
    }

    /**
     * @param blocks number of jackknife blocks B: contiguous frame blocks (capped at the number of
     *     frames when used) or pixel groups (at most one per pixel), by the method; 2–1000
     * @return a copy with it
     */
    public CorrelationOptions withJackknifeBlocks(int blocks) {
        if (blocks < 2 || blocks > 1000) {
            throw new IllegalArgumentException(Checks.format("jackknifeBlocks is outside [2, 1000]: %d", blocks));
        }
        return new CorrelationOptions(normalisation, factorialLag0, stdErrMethod, blocks, algorithm);
    }

    /**
     * {@link CorrelationAlgorithm#FFT} has no {@link StdErrMethod#PIXEL_GROUP_JACKKNIFE}: the kernels
     * refuse that combination when used (not here, so that the two can be set in either order).
     *
     * @param a the algorithm (both give the same answer to rounding)
     * @return a copy with it
     */
    public CorrelationOptions withAlgorithm(CorrelationAlgorithm a) {
        return new CorrelationOptions(normalisation, factorialLag0, stdErrMethod, jackknifeBlocks,
            Objects.requireNonNull(a, "algorithm"));
    }

    /** @return the normalisation */
    public Normalisation normalisation() {
        return normalisation;
    }

    /** @return whether lag 0 gets the factorial-moment correction */
    public boolean factorialLag0() {
        return factorialLag0;
    }

    /** @return the standard-error method */
    public StdErrMethod stdErrMethod() {
        return stdErrMethod;
    }

    /** @return the number of jackknife blocks (frame blocks or pixel groups) */
    public int jackknifeBlocks() {
        return jackknifeBlocks;
    }

    /** @return the algorithm */
    public CorrelationAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * @param frames T
     * @return the number of jackknife replicates for T frames: 1 without standard errors,
     *     {@code min(jackknifeBlocks, T)} frame blocks, or {@code jackknifeBlocks} pixel groups
     */
    public int blocksFor(int frames) {
        switch (stdErrMethod) {
            case NONE:
                return 1;
            case PIXEL_GROUP_JACKKNIFE:
                return jackknifeBlocks;
            default:
                return Math.min(jackknifeBlocks, frames);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CorrelationOptions)) {
            return false;
        }
        CorrelationOptions c = (CorrelationOptions) o;
        return normalisation == c.normalisation && factorialLag0 == c.factorialLag0 && stdErrMethod == c.stdErrMethod
            && jackknifeBlocks == c.jackknifeBlocks && algorithm == c.algorithm;
    }

    @Override
    public int hashCode() {
        return Objects.hash(normalisation, factorialLag0, stdErrMethod, jackknifeBlocks, algorithm);
    }

    @Override
    public String toString() {
        return Checks.format("CorrelationOptions[%s, lag-0 %s, SE %s%s, %s]", normalisation,
            factorialLag0 ? "factorial-moment corrected" : "raw", stdErrMethod.name().toLowerCase(java.util.Locale.ROOT),
            stdErrMethod == StdErrMethod.NONE ? "" : " (" + jackknifeBlocks + " blocks)",
            algorithm.name().toLowerCase(java.util.Locale.ROOT));
    }
}
