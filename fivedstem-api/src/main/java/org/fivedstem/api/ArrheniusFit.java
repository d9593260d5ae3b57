/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.internal.Checks;

/**
 * A fit of the Arrhenius law, the paper's eq. 4, τ = τ∞ · exp(E / (R T)), to one τ summary per
 * temperature: activation energy E in kJ/mol and τ∞ in s, with standard errors, and the data it was
 * fitted to. Immutable; arrays are copied in and out.
 */
public final class ArrheniusFit {

    /** The molar gas constant R in J mol⁻¹ K⁻¹ (CODATA 2018, exact). */
    public static final double GAS_CONSTANT_J_PER_MOL_K = 8.314462618;

    private final double activationEnergyKJPerMol;
    private final double activationEnergyErrorKJPerMol;
    private final double tauInfSeconds;
    private final double tauInfErrorSeconds;
    private final double reducedChiSquare;
    private final double[] temperaturesKelvin;
    private final double[] tauSeconds;
    private final double[] tauErrorSeconds;
    private final TauSummary summary;

    private ArrheniusFit(double e, double eErr, double tauInf, double tauInfErr, double chi2, double[] temps,
                         double[] tau, double[] tauErr, TauSummary summary) {
        this.activationEnergyKJPerMol = e;
        this.activationEnergyErrorKJPerMol = eErr;
        this.tauInfSeconds = tauInf;
        this.tauInfErrorSeconds = tauInfErr;
        this.reducedChiSquare = chi2;
        this.temperaturesKelvin = temps;
        this.tauSeconds = tau;
        this.tauErrorSeconds = tauErr;
        this.summary = summary;
    }

    /**
     * @param activationEnergyKJPerMol E in kJ/mol
     * @param activationEnergyErrorKJPerMol standard error of E in kJ/mol (&ge; 0 or NaN)
     * @param tauInfSeconds τ∞ in s (&gt; 0 or NaN)
     * @param tauInfErrorSeconds standard error of τ∞ in s (&ge; 0 or NaN)
     * @param reducedChiSquare χ² per degree of freedom of the weighted fit (NaN with two temperatures)
     * @param temperaturesKelvin the temperatures fitted, K (copied)
     * @param tauSeconds the τ summary at each temperature, s (copied)
     * @param tauErrorSeconds the standard error of each τ summary, s (copied; NaN if unknown)
     * @param summary how each τ map was summarised
     * @return the fit
     */
    public static ArrheniusFit of(double activationEnergyKJPerMol, double activationEnergyErrorKJPerMol,
                                  double tauInfSeconds, double tauInfErrorSeconds, double reducedChiSquare,
                                  double[] temperaturesKelvin, double[] tauSeconds, double[] tauErrorSeconds,
                                  TauSummary summary) {
        Objects.requireNonNull(summary, "summary");
        int n = Objects.requireNonNull(temperaturesKelvin, "temperaturesKelvin").length;
        if (n < 2) {
            throw new IllegalArgumentException(Checks.format("an Arrhenius fit needs at least 2 temperatures, got %d", n));
        }
        Checks.length("tauSeconds", n, Objects.requireNonNull(tauSeconds, "tauSeconds").length);
        Checks.length("tauErrorSeconds", n, Objects.requireNonNull(tauErrorSeconds, "tauErrorSeconds").length);
        for (int i = 0; i < n; i++) {
            Checks.positive("temperaturesKelvin[" + i + "]", temperaturesKelvin[i]);
            Checks.positive("tauSeconds[" + i + "]", tauSeconds[i]);
        }
        return new ArrheniusFit(activationEnergyKJPerMol, activationEnergyErrorKJPerMol, tauInfSeconds,
            tauInfErrorSeconds, reducedChiSquare, temperaturesKelvin.clone(), tauSeconds.clone(),
            tauErrorSeconds.clone(), summary);
    }

    /** @return activation energy E in kJ/mol */
    public double activationEnergyKJPerMol() {
        return activationEnergyKJPerMol;
    }

    /** @return standard error of E in kJ/mol */
    public double activationEnergyErrorKJPerMol() {
        return activationEnergyErrorKJPerMol;
    }

    /** @return τ∞, the relaxation time at infinite temperature, in s */
    public double tauInfSeconds() {
        return tauInfSeconds;
    }

    /** @return standard error of τ∞ in s */
    public double tauInfErrorSeconds() {
        return tauInfErrorSeconds;
    }

    /** @return χ² per degree of freedom of the weighted fit */
    public double reducedChiSquare() {
        return reducedChiSquare;
    }

    /** @return the temperatures fitted in K (a copy) */
    public double[] temperaturesKelvin() {
        return temperaturesKelvin.clone();
    }

    /** @return the τ summaries fitted in s (a copy) */
    public double[] tauSeconds() {
        return tauSeconds.clone();
    }

    /** @return the standard errors of the τ summaries in s (a copy) */
    public double[] tauErrorSeconds() {
        return tauErrorSeconds.clone();
    }

    /** @return how each τ map was summarised */
    public TauSummary summary() {
        return summary;
    }

    /**
     * @param kelvin a temperature in K
     * @return the fitted τ(T) = τ∞ exp(E / (R T)) in s
     */
    public double tauSecondsAt(double kelvin) {
        return tauInfSeconds * Math.exp(activationEnergyKJPerMol * 1000 / (GAS_CONSTANT_J_PER_MOL_K * kelvin));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ArrheniusFit)) {
            return false;
        }
        ArrheniusFit a = (ArrheniusFit) o;
        return Double.compare(activationEnergyKJPerMol, a.activationEnergyKJPerMol) == 0
            && Double.compare(activationEnergyErrorKJPerMol, a.activationEnergyErrorKJPerMol) == 0
            && Double.compare(tauInfSeconds, a.tauInfSeconds) == 0
            && Double.compare(tauInfErrorSeconds, a.tauInfErrorSeconds) == 0
            && Double.compare(reducedChiSquare, a.reducedChiSquare) == 0
            && Arrays.equals(temperaturesKelvin, a.temperaturesKelvin) && Arrays.equals(tauSeconds, a.tauSeconds)
            && Arrays.equals(tauErrorSeconds, a.tauErrorSeconds) && summary == a.summary;
    }

    @Override
    public int hashCode() {
        return Objects.hash(activationEnergyKJPerMol, tauInfSeconds, Arrays.hashCode(temperaturesKelvin),
            Arrays.hashCode(tauSeconds), summary);
    }

    @Override
    public String toString() {
        return Checks.format("ArrheniusFit[E = %.4g ± %.2g kJ/mol, tau_inf = %.3g s (± %.2g), %d temperatures %.5g–%.5g K, %s tau, χ²/ν = %.3g]",
            activationEnergyKJPerMol, activationEnergyErrorKJPerMol, tauInfSeconds, tauInfErrorSeconds,
            temperaturesKelvin.length, Arrays.stream(temperaturesKelvin).min().getAsDouble(),
            Arrays.stream(temperaturesKelvin).max().getAsDouble(), summary, reducedChiSquare);
    }
}
