/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import org.fivedstem.api.internal.Checks;

/**
 * An intensity autocorrelation curve g(t) at one scan position (or pooled neighbourhood) over one
 * Q range: the paper's eq. 2 for every lag, with standard errors and the number of frame pairs
 * that went into each lag.
 *
 * <p>Lag 0 is included; it carries the shot-noise term and is not fitted by default. A lag with no
 * pairs has {@code g = NaN}. A standard error of NaN means it could not be estimated (too few
 * pairs). Immutable; arrays are copied in and out.
 */
public final class CorrelationCurve {

    private final double[] lagsSeconds;
    private final double[] g;
    private final double[] stdErr;
    private final int[] pairCounts;
    private final QRange qRange;
    private final Normalisation normalisation;

    private CorrelationCurve(double[] lagsSeconds, double[] g, double[] stdErr, int[] pairCounts,
                             QRange qRange, Normalisation normalisation) {
        this.lagsSeconds = lagsSeconds;
        this.g = g;
        this.stdErr = stdErr;
        this.pairCounts = pairCounts;
        this.qRange = qRange;
        this.normalisation = normalisation;
    }

    /**
     * @param lagsSeconds lag times in s: finite, &ge; 0, strictly increasing (copied)
     * @param g correlation values, one per lag (copied; NaN allowed)
     * @param stdErr standard errors of g, one per lag, &ge; 0 or NaN (copied)
     * @param pairCounts number of frame pairs per lag, &ge; 0 (copied)
     * @param qRange the Q range of the annulus, or {@code null} if unknown (e.g. a curve read from CSV)
     * @param normalisation how g was normalised, or {@code null} if unknown
     * @return the curve
     */
    public static CorrelationCurve of(double[] lagsSeconds, double[] g, double[] stdErr, int[] pairCounts,
                                      QRange qRange, Normalisation normalisation) {
        Objects.requireNonNull(lagsSeconds, "lagsSeconds");
        Objects.requireNonNull(g, "g");
        Objects.requireNonNull(stdErr, "stdErr");
        Objects.requireNonNull(pairCounts, "pairCounts");
        int n = lagsSeconds.length;
        if (n == 0) {
            throw new IllegalArgumentException("lagsSeconds is empty; a correlation curve needs at least one lag");
        }
        Checks.length("g", n, g.length);
        Checks.length("stdErr", n, stdErr.length);
        Checks.length("pairCounts", n, pairCounts.length);
        for (int i = 0; i < n; i++) {
            Checks.nonNegative("lagsSeconds[" + i + "]", lagsSeconds[i]);
            if (i > 0 && !(lagsSeconds[i] > lagsSeconds[i - 1])) {
                throw new IllegalArgumentException(Checks.format(
                    "lagsSeconds is not strictly increasing: [%d] = %s follows [%d] = %s",
                    i, lagsSeconds[i], i - 1, lagsSeconds[i - 1]));
            }
            if (!(stdErr[i] >= 0) && !Double.isNaN(stdErr[i])) {
                throw new IllegalArgumentException(Checks.format("stdErr[%d] is negative: %s", i, stdErr[i]));
            }
            if (pairCounts[i] < 0) {
                throw new IllegalArgumentException(Checks.format("pairCounts[%d] is negative: %d", i, pairCounts[i]));
            }
        }
        return new CorrelationCurve(lagsSeconds.clone(), g.clone(), stdErr.clone(), pairCounts.clone(), qRange, normalisation);
    }

    /**
     * A curve without standard errors or pair counts (e.g. from a file or a model).
     *
     * @param lagsSeconds lag times in s
     * @param g correlation values
     * @return the curve, with NaN standard errors and zero pair counts
     */
    public static CorrelationCurve of(double[] lagsSeconds, double[] g) {
        double[] e = new double[lagsSeconds.length];
        Arrays.fill(e, Double.NaN);
        return of(lagsSeconds, g, e, new int[lagsSeconds.length], null, null);
    }

    /** @return number of lags */
    public int lagCount() {
        return lagsSeconds.length;
    }

    /**
     * @param i lag index
     * @return lag time in s
     */
    public double lagSeconds(int i) {
        return lagsSeconds[Checks.index("lag", i, lagsSeconds.length)];
    }

    /**
     * @param i lag index
     * @return g at that lag
     */
    public double g(int i) {
        return g[Checks.index("lag", i, g.length)];
    }

    /**
     * @param i lag index
     * @return the standard error of g at that lag, or NaN if unknown
     */
    public double stdErr(int i) {
        return stdErr[Checks.index("lag", i, stdErr.length)];
    }

    /**
     * @param i lag index
     * @return number of frame pairs averaged at that lag
     */
    public int pairCount(int i) {
        return pairCounts[Checks.index("lag", i, pairCounts.length)];
    }

    /** @return lag times in s (a copy) */
    public double[] lagsSeconds() {
        return lagsSeconds.clone();
    }

    /** @return g values (a copy) */
    public double[] values() {
        return g.clone();
    }

    /** @return standard errors (a copy) */
    public double[] stdErrs() {
        return stdErr.clone();
    }

    /** @return pair counts (a copy) */
    public int[] pairCounts() {
        return pairCounts.clone();
    }

    /** @return the annulus's Q range, if known */
    public Optional<QRange> qRange() {
        return Optional.ofNullable(qRange);
    }

    /** @return the normalisation, if known */
    public Optional<Normalisation> normalisation() {
        return Optional.ofNullable(normalisation);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CorrelationCurve)) {
            return false;
        }
        CorrelationCurve c = (CorrelationCurve) o;
        return Arrays.equals(lagsSeconds, c.lagsSeconds) && Arrays.equals(g, c.g) && Arrays.equals(stdErr, c.stdErr)
            && Arrays.equals(pairCounts, c.pairCounts) && Objects.equals(qRange, c.qRange)
            && normalisation == c.normalisation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(lagsSeconds), Arrays.hashCode(g), Arrays.hashCode(stdErr),
            Arrays.hashCode(pairCounts), qRange, normalisation);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CorrelationCurve[");
        if (qRange != null) {
            sb.append(qRange).append(", ");
        }
        if (normalisation != null) {
            sb.append(normalisation).append(", ");
        }
        int n = lagsSeconds.length;
        sb.append(Checks.format("%d lags %.4g–%.4g s:", n, lagsSeconds[0], lagsSeconds[n - 1]));
        int shown = Math.min(n, 4);
        for (int i = 0; i < shown; i++) {
            sb.append(Checks.format(" g(%.4g s)=%.5g", lagsSeconds[i], g[i]));
            if (!Double.isNaN(stdErr[i])) {
                sb.append(Checks.format("±%.2g", stdErr[i]));
            }
        }
        if (n > shown) {
            sb.append(Checks.format(" … g(%.4g s)=%.5g", lagsSeconds[n - 1], g[n - 1]));
        }
        return sb.append(']').toString();
    }
}
