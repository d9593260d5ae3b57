/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting;

import org.apache.commons.numbers.gamma.RegularizedBeta;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.KwwFit;
import org.fivedstem.core.fitting.internal.FitPoints;
import org.fivedstem.core.statistics.TauIntervals;

/**
 * Decides the status of a converged KWW fit from its τ, τ's standard error and the decay test —
 * precision decides, not τ's value (see {@link KwwFitter}). Immutable.
 */
final class FitClassifier {

    /**
     * A fit before its status is decided: parameters and covariance errors with status
     * {@code CONVERGED} (or a failure, which is final), and what the classification needs.
     *
     * @param fit the fit
     * @param decayPValue p-value of the decay test (see {@link FitOptions#withDecayTestLevel}); NaN if not computed
     * @param frameSeconds the curve's first positive lag (one frame interval), s
     * @param recordingSeconds the curve's longest lag (the recording length), s
     * @param covarianceDof degrees of freedom of the covariance errors (usable lags − parameters)
     */
    record Candidate(KwwFit fit, double decayPValue, double frameSeconds, double recordingSeconds, int covarianceDof) {

        /**
         * @param failed a fit without parameters
         * @return it, with nothing to classify
         */
        static Candidate failure(KwwFit failed) {
            return new Candidate(failed, Double.NaN, Double.NaN, Double.NaN, 0);
        }
    }

    private final FitOptions options;

    FitClassifier(FitOptions options) {
        this.options = options;
    }

    /**
     * The status of a converged fit, in this order (see {@link FitStatus}):
     * <ol>
     * <li>τ̂ above the ceiling {@link FitOptions#slowLimitFraction()} × the recording:
     *   {@code UNRESOLVED_SLOW} (a static or barely decaying pattern lands here whether or not its
     *   slight decay is significant);</li>
     * <li>no significant decay: {@code NO_CONTRAST};</li>
     * <li>τ̂ below one frame interval: {@code UNRESOLVED_FAST};</li>
     * <li>relative error σ_τ/τ̂ above {@link FitOptions#maxRelativeTauError()} (or no error):
     *   {@code UNRESOLVED_SLOW} when τ̂ exceeds the recording, {@code IMPRECISE} otherwise;</li>
     * <li>otherwise {@code CONVERGED}: τ is measured, whatever its value.</li>
     * </ol>
     * A censored fit's limit is τ_L = τ̂ · exp(−t₀.₉₅(ν) σ_τ/τ̂), the one-sided 95 % lower confidence
     * bound of τ from the delta method on ln τ with the errors' ν degrees of freedom (Student t;
     * ν = replicates − 1 for jackknife errors, usable lags − parameters for covariance errors), but
     * not below one frame interval; without an error, the recording length (a decay too slow to be
     * seen within it).
     *
     * @param u the candidate (decay test, frame interval, recording length)
     * @param withErrors its fit with the errors that judge precision
     * @param dof the errors' degrees of freedom ν
     * @return the fit with its status (and τ limit)
     */
    KwwFit classify(Candidate u, KwwFit withErrors, int dof) {
        double tau = withErrors.tauSeconds();
        double rel = withErrors.tauErrorSeconds() / tau;
        boolean precise = rel <= options.maxRelativeTauError();
        double recording = u.recordingSeconds();
        boolean beyondCeiling = tau > options.slowLimitFraction() * recording;
        if (!beyondCeiling) {
            if (!(u.decayPValue() <= options.decayTestLevel()) && options.decayTestLevel() < 1) {
                return withErrors.withStatus(FitStatus.NO_CONTRAST);
            }
            if (tau < u.frameSeconds()) {
                return withErrors.withStatus(FitStatus.UNRESOLVED_FAST);
            }
            if (precise) {
                return withErrors;
            }
            if (!(tau > recording)) {
                return withErrors.withStatus(FitStatus.IMPRECISE);
            }
        }
        double limit = rel > 0 && Double.isFinite(rel) && dof >= 1
            ? Math.max(u.frameSeconds(), tau * Math.exp(-oneSidedQuantile95(dof) * rel)) : recording;
        return withErrors.withCensoring(limit);
    }

    /** The 95 % quantile of Student's t with ν degrees of freedom, the normal one above 1000. */
    private static double oneSidedQuantile95(int dof) {
        return TauIntervals.quantile(dof > 1000 ? 0 : dof, 0.95);
    }

    /**
     * The p-value of the extra-sum-of-squares F test of the fitted model (np parameters, weighted
     * residual sum of squares ssr1) against the best constant g − 1 = c over the same m usable
     * lags and weights (see {@link FitOptions#withDecayTestLevel}). The upper tail of F(d1, d2) is
     * the regularised incomplete beta function I_x(d1/2, d2/2) complemented at x = d1F/(d1F + d2)
     * (Commons Numbers). 1 when the model is not better than the constant (also when the constant
     * fits exactly); 0 when the model fits exactly and the constant does not.
     *
     * @param points the fit's points (weights and y = g − 1)
     * @param np the model's parameters
     * @param ssr1 the model's weighted residual sum of squares
     * @return the p-value
     */
    static double decayPValue(FitPoints points, int np, double ssr1) {
        int m = points.size();
        double sw = 0;
        double swy = 0;
        for (int i = 0; i < m; i++) {
            double w2 = points.weight(i) * points.weight(i);
            sw += w2;
            swy += w2 * points.y(i);
        }
        double mean = swy / sw;
        double ssr0 = 0;
        for (int i = 0; i < m; i++) {
            double d = (points.y(i) - mean) * points.weight(i);
            ssr0 += d * d;
        }
        int d1 = np - 1;
        int d2 = m - np;
        double gain = ssr0 - ssr1;
        if (!(gain > 0)) {
            return gain <= 0 ? 1 : Double.NaN;
        }
        if (ssr1 == 0) {
            return 0;
        }
        double f = (gain / d1) / (ssr1 / d2);
        return RegularizedBeta.complement(d1 * f / (d1 * f + d2), 0.5 * d1, 0.5 * d2);
    }
}
