/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting.internal;

import org.fivedstem.api.FitStatus;
import org.fivedstem.api.KwwFit;

/**
 * The four KWW parameters of a fit, in the units it reports them: contrast β, relaxation time τ
 * in s, stretching exponent γ, baseline c (0 when not fitted).
 *
 * @param beta β
 * @param tauSeconds τ in s
 * @param gamma γ
 * @param baseline c
 */
public record KwwEstimate(double beta, double tauSeconds, double gamma, double baseline) {

    /**
     * A converged fit of these parameters, status {@link FitStatus#CONVERGED} until it is
     * classified.
     *
     * @param errors their standard errors
     * @param layout which parameters were free (γ fixed, c fitted)
     * @param reducedChiSquare χ² per degree of freedom
     * @param iterations the optimiser's iterations (or evaluations)
     * @param firstLag first lag index of the fit window
     * @param lastLag last lag index of the fit window
     * @return the fit
     */
    public KwwFit converged(ParameterErrors errors, KwwParameters layout, double reducedChiSquare, int iterations,
                            int firstLag, int lastLag) {
        return new KwwFit(beta, errors.beta(), tauSeconds, errors.tauSeconds(), gamma, errors.gamma(),
            !layout.gammaFree(), baseline, errors.baseline(), layout.baselineFitted(), reducedChiSquare, iterations,
            FitStatus.CONVERGED, firstLag, lastLag);
    }
}
