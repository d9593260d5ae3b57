/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.fivedstem.api.FitStatus;
import org.fivedstem.api.KwwFit;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** KwwModel: its value against hand values and KwwFit, its derivatives against central differences. */
class KwwModelTest {

    @Test
    void valueAtHandComputedPoints() {
        // g(0) = 1 + c + β; g(τ) = 1 + c + β e⁻²; γ = 0.5 at t = 4τ: s = 2, g = 1 + c + β e⁻⁴.
        assertEquals(1.25, KwwModel.g(0, 0.2, 800, 1, 0.05), 1e-15);
        assertEquals(1 + 0.2 * Math.exp(-2), KwwModel.g(800, 0.2, 800, 1, 0), 1e-15);
        assertEquals(1.01 + 0.3 * Math.exp(-4), KwwModel.g(400, 0.3, 100, 0.5, 0.01), 1e-15);
        assertEquals(0.0, KwwModel.dGamma(0, 0.2, 1, 0, Double.NEGATIVE_INFINITY));
        assertEquals(0.0, KwwModel.dGammaOfBetaE(0, 0.2, 0, Double.NEGATIVE_INFINITY));
    }

    static Stream<Arguments> points() {
        return SeededCases.of(0x6B77L, 40, rng -> new Object[] {
            rng.nextDouble(0.01, 1),     // β
            rng.nextDouble(0.5, 500),    // τ in s
            rng.nextDouble(0.3, 2.5),    // γ
            rng.nextDouble(0.05, 3),     // t/τ
        });
    }

    @ParameterizedTest(name = "seed {0}: beta={1}, tau={2}, gamma={3}, t/tau={4}")
    @MethodSource("points")
    void derivativesMatchCentralDifferences(long seed, double beta, double tau, double gamma, double ratio) {
        double t = ratio * tau;
        double s = KwwModel.stretch(t, tau, gamma);
        double e = KwwModel.decay(s);
        double lnRatio = Math.log(t / tau);
        // The evaluation from logarithms agrees with pow to rounding.
        Tolerance.relative(1e-13).because("exp(γ(ln t − ln τ)) vs pow(t/τ, γ), a few ulps apart")
            .assertClose(s, KwwModel.stretchFromLogs(Math.log(t), Math.log(tau), gamma), "s from logs");
        // Central differences of f = β e + c with relative step h: truncation error ~ h² f''' ≈ 1e-10,
        // rounding ~ 1e-16/h ≈ 1e-11 of the scale; 1e-6 relative to the derivative's scale allows both.
        double h = 1e-5;
        double scale = beta + 1e-300;
        Tolerance tol = Tolerance.absolute(1e-6 * scale).because("central difference, step 1e-5 relative");
        tol.assertClose((f(t, beta * (1 + h), tau, gamma) - f(t, beta * (1 - h), tau, gamma)) / (2 * h * beta),
            e, "df/dbeta");
        double dTau = (f(t, beta, tau * (1 + h), gamma) - f(t, beta, tau * (1 - h), gamma)) / (2 * h * tau);
        Tolerance.absolute(1e-6 * scale / tau).because("central difference, step 1e-5 relative")
            .assertClose(dTau, KwwModel.dTau(beta, gamma, s, e, tau), "df/dtau");
        tol.assertClose(dTau * tau, KwwModel.dLnTau(gamma, s, beta * e), "df/dln tau");
        double dGamma = (f(t, beta, tau, gamma + h) - f(t, beta, tau, gamma - h)) / (2 * h);
        tol.assertClose(dGamma, KwwModel.dGamma(t, beta, e, s, lnRatio), "df/dgamma");
        tol.assertClose(dGamma, KwwModel.dGammaOfBetaE(t, beta * e, s, lnRatio), "df/dgamma from beta e");
        // The two orders of ∂f/∂τ are one derivative.
        double a = KwwModel.dTau(beta, gamma, s, e, tau);
        double b = KwwModel.dTauBetaEFirst(beta, e, gamma, s, tau);
        assertTrue(Math.abs(a - b) <= 4 * Math.ulp(a), () -> a + " vs " + b);
        // KwwFit evaluates the same function, to the bit.
        KwwFit fit = new KwwFit(beta, 0, tau, 0, gamma, 0, false, 0.01, 0, true, 1, 1, FitStatus.CONVERGED, 0, 1);
        assertEquals(Double.doubleToRawLongBits(KwwModel.g(t, beta, tau, gamma, 0.01)),
            Double.doubleToRawLongBits(fit.evaluate(t)));
    }

    private static double f(double t, double beta, double tau, double gamma) {
        return KwwModel.g(t, beta, tau, gamma, 0) - 1;
    }
}
