/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import java.util.Objects;

import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.TauSummary;
import org.fivedstem.api.internal.Checks;

/**
 * Fits the Arrhenius law, the paper's eq. 4, {@code τ = τ∞ exp(E / (R T))}, by weighted least
 * squares of {@code y = ln τ} against {@code x = 1/T}: {@code y = a + b x} with {@code b = E/R},
 * {@code a = ln τ∞}.
 *
 * <p><b>Weights.</b> Each temperature's standard error of τ gives {@code σ_y = σ_τ/τ} (first-order
 * propagation to ln τ) and weight {@code w = 1/σ_y²}. If no errors are known (all NaN) the fit is
 * unweighted and its covariance is necessarily scaled by the residuals ({@link Scaling#ALWAYS});
 * {@link ArrheniusFit#reducedChiSquare()} then holds the residual variance of ln τ.
 *
 * <p><b>Solution.</b> Two parameters in closed form, centred at the weighted mean
 * {@code x̄ = Σwx/Σw} (1/T varies by only a few per cent, so the uncentred normal equations would
 * lose digits): {@code b = Σw(x−x̄)(y−ȳ) / Σw(x−x̄)²}, {@code a = ȳ − b x̄},
 * {@code var b = 1/Σw(x−x̄)²}, {@code var a = 1/Σw + x̄² var b}. A matrix library adds nothing
 * for a 2×2 system; the tests cross-check against Commons Math's OLS on √w-scaled rows.
 *
 * <p><b>Reported values.</b> {@code E = R b} in kJ/mol with {@code σ_E = R σ_b}
 * ({@code R =} {@link ArrheniusFit#GAS_CONSTANT_J_PER_MOL_K}); {@code τ∞ = exp(a)} with
 * {@code σ_τ∞ = τ∞ σ_a} (first-order; τ∞ lies at 1/T = 0, far outside the data, so σ_a is large
 * and the honest interval {@code exp(a ± k σ_a)} is asymmetric); {@code χ²_ν = Σw r² / (n − 2)}
 * (NaN for two temperatures).
 *
 * <p><b>When χ²_ν &gt; 1</b> the scatter exceeds the stated errors (per-temperature errors from a
 * τ map miss systematic effects). The default {@link Scaling#IF_ABOVE_ONE} then multiplies the
 * covariance by χ²_ν (the Birge ratio, as the Particle Data Group does) and never shrinks it when
 * χ²_ν &lt; 1; {@link Scaling#NONE} keeps the stated errors (SciPy {@code absolute_sigma=True});
 * {@link Scaling#ALWAYS} always multiplies by χ²_ν (SciPy's default {@code absolute_sigma=False}).
 */
public final class Arrhenius {

    /** How the parameter covariance uses the reduced χ². */
    public enum Scaling {
        /** Use the stated errors as they are (SciPy absolute_sigma=True). */
        NONE,
        /** Multiply the covariance by χ²_ν when it exceeds 1 (Birge ratio); the default. */
        IF_ABOVE_ONE,
        /** Always multiply the covariance by χ²_ν (SciPy absolute_sigma=False). */
        ALWAYS
    }

    private Arrhenius() {
    }

    /**
     * @param scaling how χ²_ν enters the covariance
     * @param reducedChiSquare the reduced χ² (NaN when undefined: then the stated variances, except
     *     that {@link Scaling#ALWAYS} has nothing to scale by and gives NaN)
     * @return the factor on the variances: 1, χ²_ν, or max(1, χ²_ν)
     */
    static double varianceFactor(Scaling scaling, double reducedChiSquare) {
        if (Double.isNaN(reducedChiSquare)) {
            return scaling == Scaling.ALWAYS ? Double.NaN : 1;
        }
        return switch (scaling) {
            case NONE -> 1;
            case ALWAYS -> reducedChiSquare;
            case IF_ABOVE_ONE -> Math.max(1, reducedChiSquare);
        };
    }

    /**
     * @param temperaturesKelvin temperatures in K (&ge; 2, finite, &gt; 0, not all equal)
     * @param tauSeconds τ summary per temperature in s (finite, &gt; 0)
     * @param tauErrorSeconds standard error of each τ in s (finite, &gt; 0), or all NaN if unknown
     * @param summary how the τ were summarised (recorded in the fit)
     * @return the fit with the default {@link Scaling#IF_ABOVE_ONE}
     */
    public static ArrheniusFit fit(double[] temperaturesKelvin, double[] tauSeconds, double[] tauErrorSeconds,
                                   TauSummary summary) {
        return fit(temperaturesKelvin, tauSeconds, tauErrorSeconds, summary, Scaling.IF_ABOVE_ONE);
    }

    /**
     * @param temperaturesKelvin temperatures in K (&ge; 2, finite, &gt; 0, not all equal)
     * @param tauSeconds τ summary per temperature in s (finite, &gt; 0)
     * @param tauErrorSeconds standard error of each τ in s (finite, &gt; 0), or all NaN if unknown
     * @param summary how the τ were summarised (recorded in the fit)
     * @param scaling how χ²_ν enters the covariance (ignored, as ALWAYS, without errors)
     * @return the fit
     */
    public static ArrheniusFit fit(double[] temperaturesKelvin, double[] tauSeconds, double[] tauErrorSeconds,
                                   TauSummary summary, Scaling scaling) {
        Objects.requireNonNull(temperaturesKelvin, "temperaturesKelvin");
        Objects.requireNonNull(tauSeconds, "tauSeconds");
        Objects.requireNonNull(tauErrorSeconds, "tauErrorSeconds");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(scaling, "scaling");
        int n = temperaturesKelvin.length;
        if (n < 2) {
            throw new IllegalArgumentException(Checks.format("an Arrhenius fit needs at least 2 temperatures, got %d", n));
        }
        Checks.length("tauSeconds", n, tauSeconds.length);
        Checks.length("tauErrorSeconds", n, tauErrorSeconds.length);
        int known = 0;
        for (int i = 0; i < n; i++) {
            Checks.positive("temperaturesKelvin[" + i + "]", temperaturesKelvin[i]);
            Checks.positive("tauSeconds[" + i + "]", tauSeconds[i]);
            if (!Double.isNaN(tauErrorSeconds[i])) {
                Checks.positive("tauErrorSeconds[" + i + "]", tauErrorSeconds[i]);
                known++;
            }
        }
        if (known != 0 && known != n) {
            throw new IllegalArgumentException(Checks.format(
                "tauErrorSeconds holds %d known and %d NaN errors; give all %d or none (all NaN, unweighted fit)",
                known, n - known, n));
        }
        boolean weighted = known == n;
        Design design = Design.of(temperaturesKelvin, tauSeconds, tauErrorSeconds, weighted);
        double[] x = design.x();
        double[] w = design.w();
        double sw = design.sw();
        double xm = design.xm();
        double sxx = design.sxx();
        double[] y = new double[n];
        double swy = 0;
        for (int i = 0; i < n; i++) {
            y[i] = Math.log(tauSeconds[i]);
            swy += w[i] * y[i];
        }
        double ym = swy / sw;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxy += w[i] * (x[i] - xm) * (y[i] - ym);
        }
        if (!(sxx > 0)) {
            throw new IllegalArgumentException("temperaturesKelvin are all equal; an Arrhenius fit needs at least 2 distinct temperatures");
        }
        double b = sxy / sxx;
        double a = ym - b * xm;
        double chi2 = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - a - b * x[i];
            chi2 += w[i] * r * r;
        }
        double reduced = n > 2 ? chi2 / (n - 2) : Double.NaN;
        double factor = varianceFactor(weighted ? scaling : Scaling.ALWAYS, reduced);
        double varB = factor / sxx;
        double varA = factor / sw + xm * xm * varB;
        double r = ArrheniusFit.GAS_CONSTANT_J_PER_MOL_K / 1000;
        double tauInf = Math.exp(a);
        return ArrheniusFit.of(r * b, r * Math.sqrt(varB), tauInf, tauInf * Math.sqrt(varA), reduced,
            temperaturesKelvin, tauSeconds, tauErrorSeconds, summary);
    }

    /**
     * The weighted design of {@link #fit}: x = 1/T, weights w = 1/(σ_τ/τ)² (1 when unweighted),
     * x̄ = Σwx/Σw and Sxx = Σw(x − x̄)². The estimates are linear in y = ln τ:
     * b = Σ_j c_j y_j and a = Σ_j d_j y_j with the {@link #slopeWeights} c and {@link #interceptWeights} d,
     * which is how a series over one area propagates its positions' influence ({@link TemperatureSeries}).
     *
     * @param x 1/T per temperature, 1/K
     * @param w weight per temperature
     * @param sw Σw
     * @param xm the weighted mean x̄
     * @param sxx Σw(x − x̄)²
     */
    record Design(double[] x, double[] w, double sw, double xm, double sxx) {

        static Design of(double[] temperaturesKelvin, double[] tauSeconds, double[] tauErrorSeconds, boolean weighted) {
            int n = temperaturesKelvin.length;
            double[] x = new double[n];
            double[] w = new double[n];
            double sw = 0;
            double swx = 0;
            for (int i = 0; i < n; i++) {
                x[i] = 1 / temperaturesKelvin[i];
                double s = weighted ? tauErrorSeconds[i] / tauSeconds[i] : 1;
                w[i] = 1 / (s * s);
                sw += w[i];
                swx += w[i] * x[i];
            }
            double xm = swx / sw;
            double sxx = 0;
            for (int i = 0; i < n; i++) {
                double dx = x[i] - xm;
                sxx += w[i] * dx * dx;
            }
            return new Design(x, w, sw, xm, sxx);
        }

        /** @return c_j = w_j (x_j − x̄)/Sxx: b = Σ c_j ln τ_j */
        double[] slopeWeights() {
            double[] c = new double[x.length];
            for (int j = 0; j < c.length; j++) {
                c[j] = w[j] * (x[j] - xm) / sxx;
            }
            return c;
        }

        /** @return d_j = w_j/Σw − x̄ c_j: a = Σ d_j ln τ_j */
        double[] interceptWeights() {
            double[] c = slopeWeights();
            double[] d = new double[x.length];
            for (int j = 0; j < d.length; j++) {
                d[j] = w[j] / sw - xm * c[j];
            }
            return d;
        }
    }
}
