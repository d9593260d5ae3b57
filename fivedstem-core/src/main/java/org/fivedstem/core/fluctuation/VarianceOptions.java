/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fluctuation;

import java.util.Objects;

import org.fivedstem.api.QRange;
import org.fivedstem.api.internal.Checks;

/**
 * Options of the speckle-variance analysis ({@link SpeckleVariance}). Immutable; configure with
 * the copy-returning {@code withXxx} methods:
 *
 * <pre>{@code
 * VarianceOptions o = VarianceOptions.defaults()
 *     .withRange(QRange.of(3.0, 5.8))     // the paper's range (the default)
 *     .withProfileBins(14)                // thin rings for V(Q) profiles
 *     .withShotNoiseGain(1.0);            // counted data, 1 ADU per electron
 * }</pre>
 *
 * @param range the annulus in nm⁻¹ over which V is computed (default 3.0–5.8 nm⁻¹, as the paper)
 * @param profileBins number of equal-width thin Q rings of {@code range} for V(Q) profiles
 *     (1 = no profile; default 1)
 * @param gainAduPerElectron detector gain for the exact shot-noise correction (see
 *     {@link SpeckleVarianceKernel}), or NaN for none (the default)
 * @param threads threads to use, the reading thread included (default: available processors);
 *     results are identical for any value
 */
public record VarianceOptions(QRange range, int profileBins, double gainAduPerElectron, int threads) {

    /** The paper's Q range for V: 3.0–5.8 nm⁻¹. */
    public static final QRange PAPER_RANGE = QRange.of(3.0, 5.8);
    /**
     * Validates.
     *
     * @param range the annulus in nm⁻¹ over which V is computed (default 3.0–5.8 nm⁻¹, as the paper)
     * @param profileBins number of equal-width thin Q rings of {@code range} for V(Q) profiles (1 = no profile; default 1)
     * @param gainAduPerElectron detector gain for the exact shot-noise correction (see {@link SpeckleVarianceKernel}), or NaN for none (the default)
     * @param threads threads to use, the reading thread included (default: available processors); results are identical for any value
     */
    public VarianceOptions {
        Objects.requireNonNull(range, "range");
        Checks.positive("profileBins", profileBins);
        if (!Double.isNaN(gainAduPerElectron)) {
            Checks.positive("gainAduPerElectron", gainAduPerElectron);
        }
        Checks.positive("threads", threads);
    }

    /** @return the defaults: paper range, no profile, no correction, all processors */
    public static VarianceOptions defaults() {
        return new VarianceOptions(PAPER_RANGE, 1, Double.NaN, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param q the annulus in nm⁻¹
     * @return a copy with this range
     */
    public VarianceOptions withRange(QRange q) {
        return new VarianceOptions(q, profileBins, gainAduPerElectron, threads);
    }

    /**
     * @param bins number of thin Q rings for V(Q) profiles (1 = none)
     * @return a copy
     */
    public VarianceOptions withProfileBins(int bins) {
        return new VarianceOptions(range, bins, gainAduPerElectron, threads);
    }

    /**
     * @param gain ADU per electron (finite, &gt; 0), or NaN to switch the correction off
     * @return a copy
     */
    public VarianceOptions withShotNoiseGain(double gain) {
        return new VarianceOptions(range, profileBins, gain, threads);
    }

    /**
     * @param n threads, the reading thread included (&ge; 1)
     * @return a copy
     */
    public VarianceOptions withThreads(int n) {
        return new VarianceOptions(range, profileBins, gainAduPerElectron, n);
    }

    /** @return whether the shot-noise correction is on */
    public boolean isShotNoiseCorrected() {
        return !Double.isNaN(gainAduPerElectron);
    }

    @Override
    public String toString() {
        return Checks.format("VarianceOptions[%s, %d profile bin%s, %s, %d thread%s]", range, profileBins,
            profileBins == 1 ? "" : "s", isShotNoiseCorrected()
                ? Checks.format("shot-noise corrected at %.4g ADU/e⁻", gainAduPerElectron) : "no shot-noise correction",
            threads, threads == 1 ? "" : "s");
    }
}
