/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting.internal;

import java.util.Arrays;

/**
 * A small, dense Levenberg–Marquardt least-squares solver with an analytic Jacobian and box
 * bounds by projection, for problems of a few parameters (KWW: 2–4) and up to thousands of
 * observations. One instance is one thread's reusable workspace; not thread-safe.
 *
 * <p>Hand-written rather than Commons Math 3's {@code LevenbergMarquardtOptimizer} because the KWW
 * fit needs box bounds on its parameters (γ in [γ_min, γ_max]; projected here), which that optimiser
 * does not offer, and because one instance per thread reuses its arrays (no allocation per fit,
 * where Commons Math builds RealVector/RealMatrix objects and a QR decomposition per iteration).
 * It is not faster: on the same weighted KWW problem from the same start (105 lags, γ free;
 * {@code FitBenchmark.handWrittenFromStart} and {@code commonsMath} in fivedstem-benchmarks, 2-core
 * AMD EPYC, 2026-12-06) it does 9 370 ± 12 fits/s against Commons Math's 11 900 ± 2 400 (see
 * docs/dynamics.md). Validated on the NIST StRD nonlinear problems (see the tests).
 *
 * <p>Algorithm: minimise ½‖r‖², r_i = y_i − f_i(x) (already weighted by the caller). Each step
 * solves (JᵀJ + μ·D) δ = Jᵀr with Marquardt's scaling D = diag(JᵀJ), kept as the running
 * maximum over iterations (as MINPACK does) so that it never shrinks; the trial point is projected
 * onto the bounds. μ follows Nielsen's update: on a successful step μ ×= max(1/3, 1 − (2ρ − 1)³),
 * on a failed one μ ×= ν, ν ×= 2, with ρ the ratio of actual to predicted reduction. Stops when a
 * successful step changes the cost by ≤ {@code costTolerance} relative and every parameter by
 * ≤ {@code stepTolerance} relative, when the scaled gradient vanishes, or at the iteration limit.
 */
public final class LevenbergMarquardt {

    /** The least-squares problem. */
    public interface Problem {
        /**
         * Evaluates residuals and, if asked, the Jacobian of the model.
         *
         * @param x parameters. Not modified.
         * @param residuals {@code y_i − f_i(x)}, weighted. Modified.
         * @param jacobian ∂f_i/∂x_j (weighted) at {@code [i * n + j]}, or {@code null} when only
         *     residuals are wanted. Modified.
         */
        void evaluate(double[] x, double[] residuals, double[] jacobian);
    }

    /** Outcome of {@link #minimize}. */
    public enum Outcome {
        /** A convergence test was met. */
        CONVERGED,
        /** The iteration limit was reached. */
        MAX_ITERATIONS,
        /** The residuals or Jacobian became non-finite, or no step could reduce the cost. */
        FAILED
    }

    private double costTolerance = 1e-14;
    private double stepTolerance = 1e-11;
    private double gradientTolerance = 1e-15;
    private int maxIterations = 200;

    private int n;
    private int m;
    private double[] r = new double[0];
    private double[] rTrial = new double[0];
    private double[] jac = new double[0];
    private double[] a = new double[0];
    private double[] chol = new double[0];
    private double[] g = new double[0];
    private double[] d = new double[0];
    private double[] delta = new double[0];
    private double[] trial = new double[0];
    private int iterations;
    private double cost;

    /**
     * @param cost relative change of the cost below which a successful step ends the iteration
     * @param step relative change of every parameter below which it ends
     * @param iterationsLimit the iteration limit
     * @return this
     */
    public LevenbergMarquardt tolerances(double cost, double step, int iterationsLimit) {
        this.costTolerance = cost;
        this.stepTolerance = step;
        this.maxIterations = iterationsLimit;
        return this;
    }

    /** @return iterations of the last run */
    public int iterations() {
        return iterations;
    }

    /** @return Σ r² at the solution of the last run */
    public double sumOfSquares() {
        return 2 * cost;
    }

    /** @return the residuals at the solution (a view into the workspace; length ≥ m) */
    public double[] residuals() {
        return r;
    }

    /**
     * Minimises ½‖r(x)‖².
     *
     * @param problem the problem
     * @param observations m
     * @param x starting point on entry, solution on exit. Modified.
     * @param lower lower bounds (−∞ for none). Not modified.
     * @param upper upper bounds (+∞ for none). Not modified.
     * @return the outcome
     */
    public Outcome minimize(Problem problem, int observations, double[] x, double[] lower, double[] upper) {
        n = x.length;
        m = observations;
        ensure();
        iterations = 0;
        for (int j = 0; j < n; j++) {
            x[j] = Math.min(upper[j], Math.max(lower[j], x[j]));
        }
        problem.evaluate(x, r, jac);
        cost = half(r);
        if (!Double.isFinite(cost) || !finite(jac, m * n)) {
            return Outcome.FAILED;
        }
        normal();
        Arrays.fill(d, 0, n, 0);
        scale();
        double mu = 0;
        for (int j = 0; j < n; j++) {
            mu = Math.max(mu, a[j * n + j]);
        }
        mu = 1e-3 * Math.max(mu, Double.MIN_NORMAL);
        double nu = 2;
        while (iterations < maxIterations) {
            iterations++;
            if (cost == 0 || gradientSmall()) {
                return Outcome.CONVERGED;
            }
            if (!solve(mu)) {
                mu *= nu;
                nu *= 2;
                if (!Double.isFinite(mu)) {
                    return Outcome.FAILED;
                }
                continue;
            }
            boolean stepSmall = true;
            for (int j = 0; j < n; j++) {
                double t = Math.min(upper[j], Math.max(lower[j], x[j] + delta[j]));
                delta[j] = t - x[j];
                trial[j] = t;
                stepSmall &= Math.abs(delta[j]) <= stepTolerance * (Math.abs(x[j]) + stepTolerance);
            }
            problem.evaluate(trial, rTrial, null);
            double newCost = half(rTrial);
            // Predicted reduction of the linear model: δᵀ(Jᵀr) − ½ δᵀJᵀJδ.
            double pred = 0;
            for (int j = 0; j < n; j++) {
                double ad = 0;
                for (int k = 0; k < n; k++) {
                    ad += a[j * n + k] * delta[k];
                }
                pred += delta[j] * g[j] - 0.5 * delta[j] * ad;
            }
            double actual = cost - newCost;
            if (Double.isFinite(newCost) && actual >= 0 && !(actual == 0 && !stepSmall)) {
                double rho = pred > 0 ? actual / pred : 0;
                boolean costSmall = actual <= costTolerance * cost;
                System.arraycopy(trial, 0, x, 0, n);
                problem.evaluate(x, r, jac);
                cost = half(r);
                if (!Double.isFinite(cost) || !finite(jac, m * n)) {
                    return Outcome.FAILED;
                }
                normal();
                scale();
                if (costSmall && stepSmall) {
                    return Outcome.CONVERGED;
                }
                double f = 2 * rho - 1;
                mu *= Math.max(1.0 / 3, 1 - f * f * f);
                nu = 2;
            } else {
                if (stepSmall) {
                    // Even a negligible step does not reduce the cost: we are at the minimum to rounding.
                    return Outcome.CONVERGED;
                }
                mu *= nu;
                nu *= 2;
                if (!Double.isFinite(mu)) {
                    return Outcome.FAILED;
                }
            }
        }
        return Outcome.MAX_ITERATIONS;
    }

    /**
     * The inverse of JᵀJ at the last accepted point (the unscaled covariance of the parameters).
     *
     * @param out n × n, row-major. Modified.
     * @return false if JᵀJ is singular
     */
    public boolean inverseNormalMatrix(double[] out) {
        System.arraycopy(a, 0, chol, 0, n * n);
        if (!cholesky(chol, n)) {
            return false;
        }
        for (int c = 0; c < n; c++) {
            Arrays.fill(delta, 0, n, 0);
            delta[c] = 1;
            cholSolve(chol, n, delta);
            for (int rr = 0; rr < n; rr++) {
                out[rr * n + c] = delta[rr];
            }
        }
        return true;
    }

    private void ensure() {
        if (r.length < m) {
            r = new double[m];
            rTrial = new double[m];
        }
        if (jac.length < m * n) {
            jac = new double[m * n];
        }
        if (a.length < n * n) {
            a = new double[n * n];
            chol = new double[n * n];
        }
        if (g.length < n) {
            g = new double[n];
            d = new double[n];
            delta = new double[n];
            trial = new double[n];
        }
    }

    private double half(double[] res) {
        double s = 0;
        for (int i = 0; i < m; i++) {
            s += res[i] * res[i];
        }
        return 0.5 * s;
    }

    private static boolean finite(double[] v, int len) {
        for (int i = 0; i < len; i++) {
            if (!Double.isFinite(v[i])) {
                return false;
            }
        }
        return true;
    }

    /** a = JᵀJ, g = Jᵀr. */
    private void normal() {
        Arrays.fill(a, 0, n * n, 0);
        Arrays.fill(g, 0, n, 0);
        for (int i = 0; i < m; i++) {
            int row = i * n;
            double ri = r[i];
            for (int j = 0; j < n; j++) {
                double jij = jac[row + j];
                g[j] += jij * ri;
                for (int k = 0; k <= j; k++) {
                    a[j * n + k] += jij * jac[row + k];
                }
            }
        }
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < j; k++) {
                a[k * n + j] = a[j * n + k];
            }
        }
    }

    private void scale() {
        for (int j = 0; j < n; j++) {
            d[j] = Math.max(d[j], a[j * n + j]);
            if (d[j] == 0) {
                d[j] = 1;
            }
        }
    }

    private boolean gradientSmall() {
        // Scaled gradient: max_j |g_j| / sqrt(d_j · 2·cost), the cosine between r and column j.
        double rn = Math.sqrt(2 * cost);
        for (int j = 0; j < n; j++) {
            if (Math.abs(g[j]) > gradientTolerance * rn * Math.sqrt(d[j])) {
                return false;
            }
        }
        return true;
    }

    private boolean solve(double mu) {
        System.arraycopy(a, 0, chol, 0, n * n);
        for (int j = 0; j < n; j++) {
            chol[j * n + j] += mu * d[j];
        }
        if (!cholesky(chol, n)) {
            return false;
        }
        System.arraycopy(g, 0, delta, 0, n);
        cholSolve(chol, n, delta);
        return finite(delta, n);
    }

    /**
     * In-place lower Cholesky factor L of a symmetric matrix A = L Lᵀ (row-major, the lower triangle
     * read and overwritten).
     *
     * @param c A, n × n, {@code c[i * n + j]}. Modified: L in the lower triangle.
     * @param n the order
     * @return false if A is not positive definite (a pivot is not &gt; 0, or NaN)
     */
    public static boolean cholesky(double[] c, int n) {
        for (int j = 0; j < n; j++) {
            double s = c[j * n + j];
            for (int k = 0; k < j; k++) {
                s -= c[j * n + k] * c[j * n + k];
            }
            if (!(s > 0)) {
                return false;
            }
            double l = Math.sqrt(s);
            c[j * n + j] = l;
            for (int i = j + 1; i < n; i++) {
                double t = c[i * n + j];
                for (int k = 0; k < j; k++) {
                    t -= c[i * n + k] * c[j * n + k];
                }
                c[i * n + j] = t / l;
            }
        }
        return true;
    }

    /**
     * Solves L Lᵀ v = b in place.
     *
     * @param c L from {@link #cholesky}. Not modified.
     * @param n the order
     * @param v b on entry, v on return. Modified.
     */
    public static void cholSolve(double[] c, int n, double[] v) {
        for (int i = 0; i < n; i++) {
            double t = v[i];
            for (int k = 0; k < i; k++) {
                t -= c[i * n + k] * v[k];
            }
            v[i] = t / c[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double t = v[i];
            for (int k = i + 1; k < n; k++) {
                t -= c[k * n + i] * v[k];
            }
            v[i] = t / c[i * n + i];
        }
    }
}
