/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalDouble;

import org.fivedstem.api.internal.Checks;

/**
 * The maps of one analysed recording: dynamical heterogeneity (the KWW parameters τ, β, γ of
 * eq. 3 per position, with standard errors and fit status) and structural heterogeneity (the
 * time-averaged speckle variance V of eq. 5 per position).
 *
 * <p>Assembled with {@link #builder}, position by position or map by map. A part that was not
 * analysed is all NaN with status {@link FitStatus#NOT_FITTED}; {@link #hasDynamics()} and
 * {@link #hasStructure()} say which parts hold data. Immutable.
 */
public final class HeterogeneityMaps {

    private final int scanY;
    private final int scanX;
    private final ScalarMap tau;
    private final ScalarMap tauError;
    private final ScalarMap tauLimit;
    private final ScalarMap beta;
    private final ScalarMap betaError;
    private final ScalarMap gamma;
    private final ScalarMap gammaError;
    private final byte[] status;
    private final ScalarMap speckleVariance;
    private final boolean dynamics;
    private final boolean structure;
    private final double temperatureKelvin;
    private final int tauErrorDegreesOfFreedom;

    private HeterogeneityMaps(Builder b) {
        this.tauErrorDegreesOfFreedom = b.tauErrorDegreesOfFreedom;
        this.scanY = b.scanY;
        this.scanX = b.scanX;
        this.tau = map("tau_s", "s", b.tau, b);
        this.tauError = map("tau_err_s", "s", b.tauErr, b);
        this.tauLimit = map("tau_limit_s", "s", b.tauLimit, b);
        this.beta = map("beta", "", b.beta, b);
        this.betaError = map("beta_err", "", b.betaErr, b);
        this.gamma = map("gamma", "", b.gamma, b);
        this.gammaError = map("gamma_err", "", b.gammaErr, b);
        this.speckleVariance = map("V", "", b.v, b);
        this.status = b.status.clone();
        this.dynamics = b.dynamics;
        this.structure = b.structure;
        this.temperatureKelvin = b.temperatureKelvin;
    }

    private static ScalarMap map(String name, String unit, double[] v, Builder b) {
        return ScalarMap.of(name, unit, b.scanY, b.scanX, v, b.stepY, b.stepX);
    }

    /**
     * @param scanY scan rows
     * @param scanX scan columns
     * @param scanStepYNm scan step between rows in nm
     * @param scanStepXNm scan step between columns in nm
     * @return a builder with every position invalid
     */
    public static Builder builder(int scanY, int scanX, double scanStepYNm, double scanStepXNm) {
        return new Builder(scanY, scanX, scanStepYNm, scanStepXNm);
    }

    /** @return scan rows */
    public int scanY() {
        return scanY;
    }

    /** @return scan columns */
    public int scanX() {
        return scanX;
    }

    /** @return relaxation time τ in s, NaN where the fit failed */
    public ScalarMap tauSeconds() {
        return tau;
    }

    /** @return standard error of τ in s */
    public ScalarMap tauErrorSeconds() {
        return tauError;
    }

    /**
     * @return the right-censoring limit of τ in s where τ is {@linkplain FitStatus#isCensored()
     *     censored} (slower than the recording resolves: τ exceeds the limit), NaN elsewhere
     */
    public ScalarMap tauLimitSeconds() {
        return tauLimit;
    }

    /** @return number of positions whose τ is right-censored ({@link FitStatus#UNRESOLVED_SLOW}) */
    public int censoredCount() {
        return count(FitStatus.UNRESOLVED_SLOW);
    }

    /**
     * @return the degrees of freedom ν of the τ errors: B − 1 for errors from a B-replicate jackknife
     *     (intervals then use Student's t with ν), 0 when not known or large (normal intervals)
     */
    public int tauErrorDegreesOfFreedom() {
        return tauErrorDegreesOfFreedom;
    }

    /** @return contrast β */
    public ScalarMap beta() {
        return beta;
    }

    /** @return standard error of β */
    public ScalarMap betaError() {
        return betaError;
    }

    /** @return stretching exponent γ */
    public ScalarMap gamma() {
        return gamma;
    }

    /** @return standard error of γ (0 where γ was fixed) */
    public ScalarMap gammaError() {
        return gammaError;
    }

    /** @return time-averaged speckle variance V (eq. 5), NaN where invalid */
    public ScalarMap speckleVariance() {
        return speckleVariance;
    }

    /**
     * @return τ in s where the fit is {@linkplain FitStatus#isReliable() reliable}, NaN elsewhere:
     *     the map that statistics use by default
     */
    public ScalarMap reliableTauSeconds() {
        double[] v = tau.values();
        for (int i = 0; i < v.length; i++) {
            if (!FitStatus.ofCode(status[i]).isReliable()) {
                v[i] = Double.NaN;
            }
        }
        return ScalarMap.of("tau_s", "s", scanY, scanX, v, tau.scanStepYNm(), tau.scanStepXNm());
    }

    /**
     * @param y scan row
     * @param x scan column
     * @return the fit status at the position
     */
    public FitStatus fitStatus(int y, int x) {
        return FitStatus.ofCode(status[Checks.index("y", y, scanY) * scanX + Checks.index("x", x, scanX)]);
    }

    /** @return the fit status codes, row-major (a copy) */
    public byte[] fitStatusCodes() {
        return status.clone();
    }

    /**
     * @param s a status
     * @return number of positions with that status
     */
    public int count(FitStatus s) {
        int n = 0;
        for (byte b : status) {
            if (b == s.code()) {
                n++;
            }
        }
        return n;
    }

    /** @return whether the dynamics part (τ, β, γ) was analysed */
    public boolean hasDynamics() {
        return dynamics;
    }

    /** @return whether the structure part (V) was analysed */
    public boolean hasStructure() {
        return structure;
    }

    /** @return sample temperature in K, if known */
    public OptionalDouble temperatureKelvin() {
        return Double.isNaN(temperatureKelvin) ? OptionalDouble.empty() : OptionalDouble.of(temperatureKelvin);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HeterogeneityMaps)) {
            return false;
        }
        HeterogeneityMaps m = (HeterogeneityMaps) o;
        return tau.equals(m.tau) && tauError.equals(m.tauError) && tauLimit.equals(m.tauLimit) && beta.equals(m.beta) && betaError.equals(m.betaError)
            && gamma.equals(m.gamma) && gammaError.equals(m.gammaError) && speckleVariance.equals(m.speckleVariance)
            && Arrays.equals(status, m.status) && dynamics == m.dynamics && structure == m.structure
            && Double.compare(temperatureKelvin, m.temperatureKelvin) == 0
            && tauErrorDegreesOfFreedom == m.tauErrorDegreesOfFreedom;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tau, beta, gamma, speckleVariance, Arrays.hashCode(status), temperatureKelvin);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(Checks.format("HeterogeneityMaps[%d×%d scan, step %.4g nm",
            scanY, scanX, tau.scanStepYNm()));
        if (!Double.isNaN(temperatureKelvin)) {
            sb.append(Checks.format(", %.1f K", temperatureKelvin));
        }
        if (dynamics) {
            sb.append(Checks.format(", %d/%d reliable fits, %d censored (slower than the recording resolves), "
                + "median reliable tau %.4g s, median gamma %.3g", count(FitStatus.CONVERGED), status.length,
                censoredCount(), reliableTauSeconds().median(), gamma.median()));
        }
        if (structure) {
            sb.append(Checks.format(", mean V %.4g (%.4g–%.4g)", speckleVariance.mean(), speckleVariance.min(), speckleVariance.max()));
        }
        return sb.append(']').toString();
    }

    /**
     * Assembles {@link HeterogeneityMaps}. Not thread-safe: fill it from one thread or guard it.
     */
    public static final class Builder {
        private final int scanY;
        private final int scanX;
        private final double stepY;
        private final double stepX;
        private final double[] tau;
        private final double[] tauErr;
        private final double[] tauLimit;
        private final double[] beta;
        private final double[] betaErr;
        private final double[] gamma;
        private final double[] gammaErr;
        private final double[] v;
        private final byte[] status;
        private boolean dynamics;
        private boolean structure;
        private double temperatureKelvin = Double.NaN;
        private int tauErrorDegreesOfFreedom;

        private Builder(int scanY, int scanX, double stepY, double stepX) {
            this.scanY = Checks.positive("scanY", scanY);
            this.scanX = Checks.positive("scanX", scanX);
            this.stepY = Checks.positive("scanStepYNm", stepY);
            this.stepX = Checks.positive("scanStepXNm", stepX);
            int n = scanY * scanX;
            tau = nan(n);
            tauErr = nan(n);
            tauLimit = nan(n);
            beta = nan(n);
            betaErr = nan(n);
            gamma = nan(n);
            gammaErr = nan(n);
            v = nan(n);
            status = new byte[n];
            Arrays.fill(status, (byte) FitStatus.NOT_FITTED.code());
        }

        private static double[] nan(int n) {
            double[] a = new double[n];
            Arrays.fill(a, Double.NaN);
            return a;
        }

        private int index(int y, int x) {
            return Checks.index("y", y, scanY) * scanX + Checks.index("x", x, scanX);
        }

        /**
         * Records the fit at a position (parameters NaN for a failed fit, as the fit says).
         *
         * @param y scan row
         * @param x scan column
         * @param fit the fit
         * @return this builder
         */
        public Builder fit(int y, int x, KwwFit fit) {
            int i = index(y, x);
            tau[i] = fit.tauSeconds();
            tauErr[i] = fit.tauErrorSeconds();
            tauLimit[i] = fit.tauLimitSeconds();
            beta[i] = fit.beta();
            betaErr[i] = fit.betaError();
            gamma[i] = fit.gamma();
            gammaErr[i] = fit.gammaError();
            status[i] = (byte) fit.status().code();
            dynamics = true;
            return this;
        }

        /**
         * @param y scan row
         * @param x scan column
         * @param value time-averaged V at the position (NaN if invalid)
         * @return this builder
         */
        public Builder speckleVariance(int y, int x, double value) {
            v[index(y, x)] = value;
            structure = true;
            return this;
        }

        /**
         * Sets the dynamics maps whole (e.g. when reading a results file), without censoring limits
         * (as files written before them; no position may then be censored).
         *
         * @param tauSeconds τ in s
         * @param tauErrorSeconds its error
         * @param betaMap β
         * @param betaErrorMap its error
         * @param gammaMap γ
         * @param gammaErrorMap its error
         * @param statusCodes fit status codes, row-major (copied)
         * @return this builder
         */
        public Builder dynamics(ScalarMap tauSeconds, ScalarMap tauErrorSeconds, ScalarMap betaMap, ScalarMap betaErrorMap,
                                ScalarMap gammaMap, ScalarMap gammaErrorMap, byte[] statusCodes) {
            return dynamics(tauSeconds, tauErrorSeconds, null, betaMap, betaErrorMap, gammaMap, gammaErrorMap, statusCodes);
        }

        /**
         * Sets the dynamics maps whole (e.g. when reading a results file).
         *
         * @param tauSeconds τ in s
         * @param tauErrorSeconds its error
         * @param tauLimitSeconds right-censoring limit of τ in s: finite and &gt; 0 exactly where the
         *     status is censored, NaN elsewhere; {@code null} for none (no status may then be censored)
         * @param betaMap β
         * @param betaErrorMap its error
         * @param gammaMap γ
         * @param gammaErrorMap its error
         * @param statusCodes fit status codes, row-major (copied)
         * @return this builder
         */
        public Builder dynamics(ScalarMap tauSeconds, ScalarMap tauErrorSeconds, ScalarMap tauLimitSeconds,
                                ScalarMap betaMap, ScalarMap betaErrorMap,
                                ScalarMap gammaMap, ScalarMap gammaErrorMap, byte[] statusCodes) {
            copy(tauSeconds, tau, "tauSeconds");
            copy(tauErrorSeconds, tauErr, "tauErrorSeconds");
            if (tauLimitSeconds != null) {
                copy(tauLimitSeconds, tauLimit, "tauLimitSeconds");
            } else {
                Arrays.fill(tauLimit, Double.NaN);
            }
            copy(betaMap, beta, "beta");
            copy(betaErrorMap, betaErr, "betaError");
            copy(gammaMap, gamma, "gamma");
            copy(gammaErrorMap, gammaErr, "gammaError");
            Checks.length("statusCodes", status.length, statusCodes.length);
            for (int i = 0; i < statusCodes.length; i++) {
                boolean censored = FitStatus.ofCode(statusCodes[i]).isCensored();
                double limit = tauLimit[i];
                if (censored != (limit > 0 && Double.isFinite(limit)) || (!censored && !Double.isNaN(limit))) {
                    throw new IllegalArgumentException(Checks.format(
                        "position %d: status %s with tau limit %s; a censored status needs a finite limit > 0 and "
                            + "every other status NaN", i, FitStatus.ofCode(statusCodes[i]), limit));
                }
            }
            System.arraycopy(statusCodes, 0, status, 0, status.length);
            dynamics = true;
            return this;
        }

        /**
         * Sets the V map whole.
         *
         * @param speckleVariance V per position
         * @return this builder
         */
        public Builder structure(ScalarMap speckleVariance) {
            copy(speckleVariance, v, "speckleVariance");
            structure = true;
            return this;
        }

        private void copy(ScalarMap m, double[] into, String name) {
            if (m.scanY() != scanY || m.scanX() != scanX) {
                throw new IllegalArgumentException(Checks.format(
                    "%s map is %d×%d, expected %d×%d", name, m.scanY(), m.scanX(), scanY, scanX));
            }
            System.arraycopy(m.values(), 0, into, 0, into.length);
        }

        /**
         * @param kelvin sample temperature in K, or NaN if unknown
         * @return this builder
         */
        public Builder temperatureKelvin(double kelvin) {
            this.temperatureKelvin = Double.isNaN(kelvin) ? kelvin : Checks.positive("temperatureKelvin", kelvin);
            return this;
        }

        /**
         * @param dof degrees of freedom of the τ errors (B − 1 for a B-replicate jackknife; 0 for
         *     unknown or large, the default)
         * @return this builder
         */
        public Builder tauErrorDegreesOfFreedom(int dof) {
            if (dof < 0) {
                throw new IllegalArgumentException(Checks.format("tauErrorDegreesOfFreedom is negative: %d", dof));
            }
            this.tauErrorDegreesOfFreedom = dof;
            return this;
        }

        /** @return the maps (copies of this builder's state) */
        public HeterogeneityMaps build() {
            return new HeterogeneityMaps(this);
        }
    }
}
