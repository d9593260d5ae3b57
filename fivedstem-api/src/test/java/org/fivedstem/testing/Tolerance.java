/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.testing;

import java.util.Locale;

import org.junit.jupiter.api.Assertions;

/**
 * A tolerance with a readable {@code toString()}, so a failing assertion says what it allowed and
 * why. Absolute, relative, or a number of standard errors of a statistical estimate, each with an
 * optional reason (where the tolerance comes from).
 *
 * <pre>{@code
 * Tolerance.sigmas(4, stdErr).because("mean of 400 exponential speckles; false failure 6e-5")
 *     .assertClose(1.0, mean, "intensity mean");
 * }</pre>
 */
public final class Tolerance {

    private final double absolute;
    private final double relative;
    private final String what;
    private final String reason;

    private Tolerance(double absolute, double relative, String what, String reason) {
        this.absolute = absolute;
        this.relative = relative;
        this.what = what;
        this.reason = reason;
    }

    /**
     * @param delta allowed |expected − actual|
     * @return the tolerance
     */
    public static Tolerance absolute(double delta) {
        return new Tolerance(delta, 0, String.format(Locale.ROOT, "absolute %.3g", delta), null);
    }

    /**
     * @param fraction allowed |expected − actual| / |expected|
     * @return the tolerance
     */
    public static Tolerance relative(double fraction) {
        return new Tolerance(0, fraction, String.format(Locale.ROOT, "relative %.3g", fraction), null);
    }

    /**
     * @param k number of standard errors allowed
     * @param standardError the estimator's standard error
     * @return an absolute tolerance of {@code k · standardError}
     */
    public static Tolerance sigmas(double k, double standardError) {
        return new Tolerance(k * standardError, 0,
            String.format(Locale.ROOT, "%.3g σ (σ = %.3g)", k, standardError), null);
    }

    /**
     * @param why where the tolerance comes from, e.g. the false-failure probability it was designed for
     * @return a copy with the reason
     */
    public Tolerance because(String why) {
        return new Tolerance(absolute, relative, what, why);
    }

    /** @return the allowed absolute difference around {@code expected} */
    public double allowedAround(double expected) {
        return absolute + relative * Math.abs(expected);
    }

    /**
     * @param expected the expected value
     * @param actual the value found
     * @return whether they agree within this tolerance (NaN never agrees except with NaN)
     */
    public boolean accepts(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (expected == actual) {
            return true;
        }
        return Math.abs(expected - actual) <= allowedAround(expected);
    }

    /**
     * Fails unless the values agree.
     *
     * @param expected the expected value
     * @param actual the value found
     * @param quantity what is compared, for the message
     */
    public void assertClose(double expected, double actual, String quantity) {
        if (!accepts(expected, actual)) {
            Assertions.fail(String.format(Locale.ROOT, "%s: expected %.10g, got %.10g (difference %.3g) — allowed %s",
                quantity, expected, actual, actual - expected, this));
        }
    }

    @Override
    public String toString() {
        return reason == null ? what : what + " (" + reason + ")";
    }
}
