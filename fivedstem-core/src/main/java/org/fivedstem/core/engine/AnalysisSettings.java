/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.engine;

import java.util.Objects;
import java.util.Optional;

import org.fivedstem.api.Calibration;
import org.fivedstem.api.QRange;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.StdErrMethod;
import org.fivedstem.core.fitting.Estimator;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.fitting.Weighting;

/**
 * How an analysis was done, as far as its numbers depend on it: the calibration of the analysed
 * patterns, the dynamics part (annulus, {@link CorrelationOptions}, {@link FitOptions} as asked and
 * the fit window and estimator they resolved to), the structure part (annulus, shot-noise gain) and
 * the pooling. Composed of the library's own option types, so that what was asked can be asked again:
 * {@link AnalysisResult#settings()} gives it for a run, and a results file stores and restores it.
 *
 * <p>Immutable; assembled with {@link #builder(Calibration)}, each part validated when set.
 * Equality compares every value (doubles bit-wise).
 */
public final class AnalysisSettings {

    private final Calibration calibration;
    private final Dynamics dynamics;
    private final Structure structure;
    private final int pooling;

    /**
     * The dynamics part of an analysis.
     *
     * @param range the annulus in nm⁻¹
     * @param pixelCount its valid pixels
     * @param correlation the correlation options asked for
     * @param fit the fit options asked for
     * @param firstLag the first lag index of the fit window as resolved (&ge; 0)
     * @param lastLag the last lag index of the fit window as resolved (inclusive, &ge; firstLag)
     * @param estimator the estimator used: {@link Estimator#QUASI_LIKELIHOOD} only where it applied
     */
    public record Dynamics(QRange range, int pixelCount, CorrelationOptions correlation, FitOptions fit, int firstLag,
                           int lastLag, Estimator estimator) {

        /**
         * Validates the parts.
         *
         * @param range the annulus in nm⁻¹
         * @param pixelCount its valid pixels
         * @param correlation the correlation options asked for
         * @param fit the fit options asked for
         * @param firstLag the first lag index of the fit window as resolved (&ge; 0)
         * @param lastLag the last lag index of the fit window as resolved (inclusive, &ge; firstLag)
         * @param estimator the estimator used: {@link Estimator#QUASI_LIKELIHOOD} only where it applied
         */
        public Dynamics {
            Objects.requireNonNull(range, "range");
            Checks.nonNegative("pixelCount", pixelCount);
            Objects.requireNonNull(correlation, "correlation");
            Objects.requireNonNull(fit, "fit");
            Objects.requireNonNull(estimator, "estimator");
            if (firstLag < 0 || lastLag < firstLag) {
                throw new IllegalArgumentException(Checks.format("fit window [%d, %d] is empty or negative", firstLag, lastLag));
            }
        }

        /**
         * @return the weighting the fits had: {@link Weighting#UNIFORM} when asked or when there were no
         *     standard errors, else {@link Weighting#STD_ERR} ({@link Weighting#AUTO} falls back to
         *     uniform only at positions without finite errors)
         */
        public Weighting effectiveWeighting() {
            return correlation.stdErrMethod() == StdErrMethod.NONE || fit.weighting() == Weighting.UNIFORM
                ? Weighting.UNIFORM : Weighting.STD_ERR;
        }
    }

    /**
     * The structure part of an analysis.
     *
     * @param range the annulus in nm⁻¹
     * @param pixelCount its valid pixels
     * @param shotNoiseGainAduPerElectron the gain with which V was corrected for shot noise, NaN if it was not
     */
    public record Structure(QRange range, int pixelCount, double shotNoiseGainAduPerElectron) {

        /**
         * Validates the parts.
         *
         * @param range the annulus in nm⁻¹
         * @param pixelCount its valid pixels
         * @param shotNoiseGainAduPerElectron the gain with which V was corrected for shot noise, NaN if it was not
         */
        public Structure {
            Objects.requireNonNull(range, "range");
            Checks.nonNegative("pixelCount", pixelCount);
            if (!Double.isNaN(shotNoiseGainAduPerElectron)) {
                Checks.positive("shotNoiseGainAduPerElectron", shotNoiseGainAduPerElectron);
            }
        }

        /** @return whether V is corrected for shot noise */
        public boolean isShotNoiseCorrected() {
            return !Double.isNaN(shotNoiseGainAduPerElectron);
        }

        /** @return {@code "corrected at gain 1.0 ADU/e⁻"} or {@code "not corrected"} */
        public String shotNoiseCorrection() {
            return isShotNoiseCorrected() ? "corrected at gain " + shotNoiseGainAduPerElectron + " ADU/e⁻" : "not corrected";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Structure s && range.equals(s.range) && pixelCount == s.pixelCount
                && Double.compare(shotNoiseGainAduPerElectron, s.shotNoiseGainAduPerElectron) == 0;
        }

        @Override
        public int hashCode() {
            return Objects.hash(range, pixelCount, shotNoiseGainAduPerElectron);
        }
    }

    private AnalysisSettings(Builder b) {
        this.calibration = b.calibration;
        this.dynamics = b.dynamics;
        this.structure = b.structure;
        this.pooling = b.pooling;
    }

    /**
     * @param calibration the calibration of the analysed patterns (after cropping and binning)
     * @return a builder; at least one of the parts must be set
     */
    public static Builder builder(Calibration calibration) {
        return new Builder(Objects.requireNonNull(calibration, "calibration"));
    }

    /** @return the calibration of the analysed patterns (after cropping and binning) */
    public Calibration calibration() {
        return calibration;
    }

    /** @return the dynamics part, if the analysis had one */
    public Optional<Dynamics> dynamics() {
        return Optional.ofNullable(dynamics);
    }

    /** @return the structure part, if the analysis had one */
    public Optional<Structure> structure() {
        return Optional.ofNullable(structure);
    }

    /**
     * @return the side K of the K × K neighbourhood whose g was averaged before fitting (1: none); with
     *     K &gt; 1 the τ errors describe the neighbourhood, not the position
     */
    public int pooling() {
        return pooling;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnalysisSettings s && calibration.equals(s.calibration) && Objects.equals(dynamics, s.dynamics)
            && Objects.equals(structure, s.structure) && pooling == s.pooling;
    }

    @Override
    public int hashCode() {
        return Objects.hash(calibration, dynamics, structure, pooling);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("AnalysisSettings[").append(calibration);
        if (dynamics != null) {
            sb.append(Checks.format(", dynamics %s (%d px), %s, %s, fit lags %d–%d, %s, %s weights", dynamics.range(),
                dynamics.pixelCount(), dynamics.correlation(), dynamics.fit(), dynamics.firstLag(), dynamics.lastLag(),
                dynamics.estimator(), dynamics.effectiveWeighting()));
        }
        if (structure != null) {
            sb.append(Checks.format(", structure %s (%d px), V %s", structure.range(), structure.pixelCount(),
                structure.shotNoiseCorrection()));
        }
        if (pooling > 1) {
            sb.append(Checks.format(", g pooled over %d×%d", pooling, pooling));
        }
        return sb.append(']').toString();
    }

    /** Assembles {@link AnalysisSettings}; each part is validated when set. */
    public static final class Builder {
        private final Calibration calibration;
        private Dynamics dynamics;
        private Structure structure;
        private int pooling = 1;

        private Builder(Calibration calibration) {
            this.calibration = calibration;
        }

        /**
         * @param part the dynamics part
         * @return this builder
         */
        public Builder dynamics(Dynamics part) {
            this.dynamics = Objects.requireNonNull(part, "dynamics");
            return this;
        }

        /**
         * @param part the structure part
         * @return this builder
         */
        public Builder structure(Structure part) {
            this.structure = Objects.requireNonNull(part, "structure");
            return this;
        }

        /**
         * @param k side of the K × K neighbourhood whose g was averaged before fitting (odd, &ge; 1; default 1)
         * @return this builder
         */
        public Builder pooling(int k) {
            if (k < 1 || k % 2 == 0) {
                throw new IllegalArgumentException(Checks.format("pooling is not an odd number >= 1: %d", k));
            }
            this.pooling = k;
            return this;
        }

        /**
         * @return the settings
         * @throws IllegalStateException if neither part was set
         */
        public AnalysisSettings build() {
            if (dynamics == null && structure == null) {
                throw new IllegalStateException("analysis settings need a dynamics or a structure part");
            }
            return new AnalysisSettings(this);
        }
    }
}
