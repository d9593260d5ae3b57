/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.fivedstem.api.internal.KwwModel;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.fitting.internal.LevenbergMarquardt;
import org.fivedstem.core.internal.Jackknife;

/**
 * The quasi-likelihood of the KWW model with γ = 1 on one position's normalised pixel series, the
 * estimator behind {@link Estimator#QUASI_LIKELIHOOD}.
 *
 * <p><b>Model.</b> With u_p(t) = I_p(t)/⟨I(t)⟩φ − 1 (the paper's J_p − 1), pixels independent, the
 * working covariance of u_p over frames is
 * <pre>
 *   Σ(β, τ) = β R + D,   R_ts = a^|t−s|,  a = exp(−2Δt/τ),   D = diag(G/⟨I(t)⟩φ)
 * </pre>
 * — g(t) − 1 = β exp(−2t/τ) between frames (eq. 3 with γ = 1) plus the Poisson shot noise of G
 * detector units per electron on the diagonal (G fixed when the gain is known, else a third free
 * parameter). The Gaussian quasi-log-likelihood over the P pixels,
 * <pre>
 *   NLL(θ) = ½ P ln det Σ + ½ tr(Σ⁻¹ S),   S = Σ_p u_p u_pᵀ
 * </pre>
 * depends on the data only through S, the two-time sums the correlation computes anyway
 * ({@code CorrelationKernel.normalisedTwoTimeSums}). Unlike a least-squares fit of g(k), which
 * averages S along its diagonals and then weights the lags as if independent, it uses every frame
 * pair with its own weight (the end of the recording, where τ ≳ T, included) and the shot-noise-
 * corrected lag 0; on simulated counting data its median |τ̂/τ − 1| is 0.4–0.86× that of SciPy's
 * {@code curve_fit} on g (docs/dynamics.md, "Estimator").
 *
 * <p><b>Evaluation in O(T²).</b> β a^|t−s| is an AR(1) state x_{t+1} = a x_t + w observed in white noise
 * of variance D_t, so a Kalman filter gives ln det Σ and the quadratic form from the innovations;
 * their sums over pixels propagate on S alone (M = Σ_p m_p², N_s = Σ_p m_p u_p(s), m the one-step
 * predictions). Hand-written because no library evaluates a likelihood from these sums; so is the
 * optimiser, a trust-region Newton method on central differences for the 2 or 3 bounded parameters
 * ({@link #minimise}, which says why).
 *
 * <p>Not thread-safe: one per thread (the fitter's workspace holds one).
 */
final class QuasiLikelihood {

    /** The central-difference step h of g and H, in the ln parameters. */
    private static final double HESSIAN_STEP = 1e-3;
    /** The predicted decrease of the NLL at which {@link #minimise} stops. */
    private static final double DECREASE_TOLERANCE = 1e-8;
    /**
     * The largest step (of any ln parameter) with which {@link #minimise} stops: where the NLL is flat
     * towards a bound (β → 0, τ → ∞) it still falls, and the estimate goes on to the bound.
     */
    private static final double STEP_TOLERANCE = 1e-3;
    /** The iterations (trial points) after which {@link #minimise} gives up. */
    private static final int MAX_ITERATIONS = 100;

    private int frames;
    private int pixels;
    private double frameSeconds;
    private double[] s = new double[0];
    private double[] invMean = new double[0];
    private double[] n = new double[0];
    private int evaluations;
    /** Where the last {@link #minimise} stopped, when it kept the Hessian there; null otherwise. */
    private double[] hessianPoint;
    /** The fixed G of that minimisation (NaN when G was in θ). */
    private double hessianGain;
    /** The Hessian at {@link #hessianPoint}, row-major. */
    private double[] hessianAtPoint;

    /**
     * @param t frames T
     * @param p pixels summed in s
     * @param dt frame interval in s
     * @param sums the sums S, {@code sums[t1 * T + t2]} for t2 ≥ t1. Not modified (copied).
     * @param inv 1/⟨I(t)⟩φ, 0 for frames to skip. Not modified (copied).
     */
    void set(int t, int p, double dt, double[] sums, double[] inv) {
        hessianPoint = null;
        frames = t;
        pixels = p;
        frameSeconds = dt;
        if (invMean.length < t) {
            s = new double[t * t];
            n = new double[t];
            invMean = new double[t];
        }
        System.arraycopy(sums, 0, s, 0, t * t);
        System.arraycopy(inv, 0, invMean, 0, t);
    }

    /**
     * @param beta β (&gt; 0)
     * @param tau τ in s (&gt; 0)
     * @param gain G, detector units per electron (&ge; 0)
     * @return NLL(β, τ, G), see the class notes
     */
    double nll(double beta, double tau, double gain) {
        evaluations++;
        int t = frames;
        double a = KwwModel.decay(frameSeconds / tau); // exp(−2Δt/τ): eq. 3 with γ = 1 over one frame, per β
        double a2 = a * a;
        double q = beta * (1 - a2);
        double v = beta;
        double m = 0;
        double f = 0;
        Arrays.fill(n, 0, t, 0);
        for (int i = 0; i < t; i++) {
            int row = i * t;
            if (invMean[i] == 0) {
                m *= a2;
                for (int j = i + 1; j < t; j++) {
                    n[j] *= a;
                }
                v = a2 * v + q;
                continue;
            }
            double sii = s[row + i];
            double fv = v + gain * invMean[i];
            double e2 = sii - 2 * n[i] + m;
            f += 0.5 * (pixels * Math.log(fv) + e2 / fv);
            double k = v / fv;
            double al = a * (1 - k);
            double ga = a * k;
            m = al * al * m + 2 * al * ga * n[i] + ga * ga * sii;
            for (int j = i + 1; j < t; j++) {
                n[j] = al * n[j] + ga * s[row + j];
            }
            v = a2 * v * (1 - k) + q;
        }
        return f;
    }

    /** @return evaluations of {@link #nll} since the last {@link #resetEvaluations} */
    int evaluations() {
        return evaluations;
    }

    void resetEvaluations() {
        evaluations = 0;
    }

    /**
     * Minimises the NLL over θ = (ln β, ln τ[, ln G]) (ln G when {@code gain} is NaN) within the box
     * {@code lo} ≤ θ ≤ {@code hi}, from a start, by a trust-region Newton method on the
     * central-difference gradient g and Hessian H of {@link #derivatives}. Each iteration holds a
     * parameter on a bound whose gradient, or step, points out of the box, and steps the others by
     * <pre>
     *   p = −(H + μI)⁻¹ g,   |p| ≤ Δ
     * </pre>
     * with μ = 0 (Newton's step) when H is positive definite and its step within Δ, else the μ &gt; 0
     * for which H + μI is positive definite and 0.9 Δ ≤ |p| ≤ Δ (by bisection): the safe fallback
     * where the NLL is not convex, as from a start with β near 0, where it is flat in τ. The trial
     * point θ + p, clamped to the box, is taken when the NLL falls by at least a tenth of what the
     * quadratic model predicts; the radius Δ (Euclidean, in ln units; 1, a factor e, at the start) is
     * doubled after a step that reached it with ratio of actual to predicted decrease &gt; 0.75 and
     * set to a quarter of the step after one with ratio &lt; 0.25 or refused. Stops when the model
     * promises a decrease of at most {@value #DECREASE_TOLERANCE} for the next step — for Newton's
     * step that is gᵀH⁻¹g/2, so θ is then within ≈ 1.4·10⁻⁴ standard errors (those of the curvature)
     * of the minimum — and that step is at most {@value #STEP_TOLERANCE} in every ln. The Hessian at
     * θ, made the jackknife's ({@link #fourCorners}), is kept for {@link #jackknife}.
     *
     * <p>Hand-written rather than Commons Math's BOBYQA, which it replaced, because the NLL is smooth
     * and cheap (O(T²), ≈ 3 µs at T ≈ 100): in a JFR profile of a paper-size analysis BOBYQA's own
     * bookkeeping (quadratic-model updates on Array2DRowRealMatrix) took ≈ 19 % of all CPU time
     * against ≈ 5 % for the NLL evaluations it asked for. This costs 2n + n(n − 1) evaluations per
     * point taken, one per trial and 2 per pair at the end; its Hessian saves the jackknife its own.
     *
     * @param start start {ln β, ln τ[, ln G]}. Not modified.
     * @param lo lower bounds, same layout. Not modified.
     * @param hi upper bounds, same layout (&gt; lo). Not modified.
     * @param gain the fixed G, or NaN for free
     * @return the minimiser (a component on a bound exactly equal to it), or {@code null} if the NLL
     *     or its derivatives are not finite or {@value #MAX_ITERATIONS} iterations do not converge
     */
    double[] minimise(double[] start, double[] lo, double[] hi, double gain) {
        int dim = start.length;
        hessianPoint = null;
        double[] x = new double[dim];
        for (int i = 0; i < dim; i++) {
            x[i] = Math.min(hi[i], Math.max(lo[i], start[i]));
        }
        double f = nllAt(x, gain);
        if (!Double.isFinite(f)) {
            return null;
        }
        double[] grad = new double[dim];
        double[] hess = new double[dim * dim];
        double[] corners = new double[dim * (dim - 1)];
        double[] step = new double[dim];
        double[] trial = new double[dim];
        derivatives(x, gain, f, grad, hess, corners);
        double radius = 1;
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double promised = step(x, lo, hi, grad, hess, radius, step);
            if (Double.isNaN(promised)) {
                return null;
            }
            double largest = 0;
            for (double v : step) {
                largest = Math.max(largest, Math.abs(v));
            }
            if (promised <= DECREASE_TOLERANCE && largest <= STEP_TOLERANCE) {
                fourCorners(x, gain, corners, hess);
                hessianPoint = x;
                hessianGain = gain;
                hessianAtPoint = hess;
                return x.clone();
            }
            for (int i = 0; i < dim; i++) {
                trial[i] = Math.min(hi[i], Math.max(lo[i], x[i] + step[i]));
            }
            double length = 0;
            double predicted = 0; // −(gᵀs + ½ sᵀHs), s = trial − x
            for (int i = 0; i < dim; i++) {
                double hs = 0;
                for (int j = 0; j < dim; j++) {
                    hs += hess[i * dim + j] * (trial[j] - x[j]);
                }
                double si = trial[i] - x[i];
                length += si * si;
                predicted -= si * (grad[i] + 0.5 * hs);
            }
            length = Math.sqrt(length);
            double ft = nllAt(trial, gain);
            double ratio = (f - ft) / predicted;
            if (!(predicted > 0) || ratio < 0.25) {
                radius = length / 4;
            } else if (ratio > 0.75 && length > 0.9 * radius) {
                radius = 2 * radius;
            }
            if (predicted > 0 && ratio >= 0.1) {
                double[] swap = x;
                x = trial;
                trial = swap;
                f = ft;
                derivatives(x, gain, f, grad, hess, corners);
            }
        }
        return null;
    }

    /**
     * The step of {@link #minimise} at x: 0 for a parameter held on its bound, −(H + μI)⁻¹ g for the
     * others.
     *
     * @param x the point. Not modified.
     * @param lo lower bounds. Not modified.
     * @param hi upper bounds. Not modified.
     * @param grad g at x. Not modified.
     * @param hess H at x, row-major. Not modified.
     * @param radius Δ
     * @param step p. Modified.
     * @return the decrease of the NLL the quadratic model predicts for the step, −(gᵀp + ½ pᵀHp);
     *     NaN when g or H is not finite
     */
    private static double step(double[] x, double[] lo, double[] hi, double[] grad, double[] hess, double radius,
                               double[] step) {
        int dim = x.length;
        boolean[] held = new boolean[dim];
        for (int i = 0; i < dim; i++) {
            if (!Double.isFinite(grad[i])) {
                return Double.NaN;
            }
            held[i] = x[i] <= lo[i] && grad[i] > 0 || x[i] >= hi[i] && grad[i] < 0;
        }
        for (double v : hess) {
            if (!Double.isFinite(v)) {
                return Double.NaN;
            }
        }
        int[] free = new int[dim];
        double[] a = new double[dim * dim];
        double[] b = new double[dim];
        while (true) {
            int m = 0;
            double gg = 0;
            for (int i = 0; i < dim; i++) {
                if (!held[i]) {
                    free[m++] = i;
                    gg += grad[i] * grad[i];
                }
            }
            if (m > 0 && (!solve(hess, grad, free, m, 0, a, b) || norm(b, m) > radius)) {
                // |p(μ)| falls as μ grows, and from μ = |g|/Δ + the largest row sum of |H| (≥ −λ_min(H))
                // on H + μI is positive definite and |p| ≤ Δ.
                double muLo = 0;
                double muHi = Math.sqrt(gg) / radius;
                double rows = 0;
                for (int i = 0; i < m; i++) {
                    double row = 0;
                    for (int j = 0; j < m; j++) {
                        row += Math.abs(hess[free[i] * dim + free[j]]);
                    }
                    rows = Math.max(rows, row);
                }
                muHi += rows;
                for (int k = 0; k < 60; k++) {
                    double mu = 0.5 * (muLo + muHi);
                    double length = solve(hess, grad, free, m, mu, a, b) ? norm(b, m) : Double.POSITIVE_INFINITY;
                    if (length > radius) {
                        muLo = mu;
                    } else {
                        muHi = mu;
                        if (length >= 0.9 * radius) {
                            break;
                        }
                    }
                }
                if (!solve(hess, grad, free, m, muHi, a, b)) {
                    Arrays.fill(b, 0);
                }
            }
            Arrays.fill(step, 0);
            boolean again = false;
            for (int i = 0; i < m; i++) {
                int j = free[i];
                step[j] = b[i];
                if (x[j] <= lo[j] && step[j] < 0 || x[j] >= hi[j] && step[j] > 0) {
                    held[j] = true;
                    again = true;
                }
            }
            if (!again) {
                double decrease = 0;
                for (int i = 0; i < dim; i++) {
                    double hp = 0;
                    for (int j = 0; j < dim; j++) {
                        hp += hess[i * dim + j] * step[j];
                    }
                    decrease -= step[i] * (grad[i] + 0.5 * hp);
                }
                return decrease;
            }
        }
    }

    /**
     * Solves (H_FF + μI) p = −g_F over the free parameters F.
     *
     * @return false when H_FF + μI is not positive definite
     */
    private static boolean solve(double[] hess, double[] grad, int[] free, int m, double mu, double[] a, double[] p) {
        int dim = grad.length;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                a[i * m + j] = hess[free[i] * dim + free[j]];
            }
            a[i * m + i] += mu;
            p[i] = -grad[free[i]];
        }
        if (!LevenbergMarquardt.cholesky(a, m)) {
            return false;
        }
        LevenbergMarquardt.cholSolve(a, m, p);
        return true;
    }

    private static double norm(double[] v, int m) {
        double s = 0;
        for (int i = 0; i < m; i++) {
            s += v[i] * v[i];
        }
        return Math.sqrt(s);
    }

    /**
     * Gradient and Hessian of the NLL at θ by central differences, step h = {@value #HESSIAN_STEP}:
     * <pre>
     *   g_i = (f_i⁺ − f_i⁻) / 2h,   H_ii = (f_i⁺ − 2 f(θ) + f_i⁻) / h²,
     *   H_ij = (f_ij⁺⁺ + f_ij⁻⁻ − f_i⁺ − f_i⁻ − f_j⁺ − f_j⁻ + 2 f(θ)) / 2h²
     * </pre>
     * (f_i^± = f(θ ± h e_i), f_ij^±± = f(θ ± h e_i ± h e_j); every term O(h²)), 2n + n(n − 1)
     * evaluations; {@link #fourCorners} turns H_ij into the jackknife's four-corner difference.
     *
     * @param theta θ. Not modified.
     * @param gain G when it is not in θ
     * @param f0 f(θ)
     * @param grad g. Modified.
     * @param hess H, row-major. Modified.
     * @param corners f_ij⁺⁺ and f_ij⁻⁻ of the pairs i &lt; j in order, for {@link #fourCorners}. Modified.
     */
    private void derivatives(double[] theta, double gain, double f0, double[] grad, double[] hess, double[] corners) {
        int dim = theta.length;
        double h = HESSIAN_STEP;
        double[] x = theta.clone();
        double[] plus = new double[dim];
        double[] minus = new double[dim];
        for (int i = 0; i < dim; i++) {
            x[i] = theta[i] + h;
            plus[i] = nllAt(x, gain);
            x[i] = theta[i] - h;
            minus[i] = nllAt(x, gain);
            x[i] = theta[i];
            grad[i] = (plus[i] - minus[i]) / (2 * h);
            hess[i * dim + i] = (plus[i] - 2 * f0 + minus[i]) / (h * h);
        }
        int k = 0;
        for (int i = 0; i < dim; i++) {
            for (int j = i + 1; j < dim; j++) {
                x[i] = theta[i] + h;
                x[j] = theta[j] + h;
                double fpp = nllAt(x, gain);
                x[i] = theta[i] - h;
                x[j] = theta[j] - h;
                double fmm = nllAt(x, gain);
                x[i] = theta[i];
                x[j] = theta[j];
                corners[k++] = fpp;
                corners[k++] = fmm;
                double v = (fpp + fmm - plus[i] - minus[i] - plus[j] - minus[j] + 2 * f0) / (2 * h * h);
                hess[i * dim + j] = v;
                hess[j * dim + i] = v;
            }
        }
    }

    /**
     * Replaces the off-diagonal H_ij of {@link #derivatives} at θ by the four-corner difference
     * (f_ij⁺⁺ − f_ij⁺⁻ − f_ij⁻⁺ + f_ij⁻⁻) / 4h², the jackknife's Hessian (2 more evaluations a pair).
     *
     * @param theta θ. Not modified.
     * @param gain G when it is not in θ
     * @param corners from {@link #derivatives} at θ. Not modified.
     * @param hess H. Modified.
     */
    private void fourCorners(double[] theta, double gain, double[] corners, double[] hess) {
        int dim = theta.length;
        double h = HESSIAN_STEP;
        double[] x = theta.clone();
        int k = 0;
        for (int i = 0; i < dim; i++) {
            for (int j = i + 1; j < dim; j++) {
                x[i] = theta[i] + h;
                x[j] = theta[j] - h;
                double fpm = nllAt(x, gain);
                x[i] = theta[i] - h;
                x[j] = theta[j] + h;
                double fmp = nllAt(x, gain);
                x[i] = theta[i];
                x[j] = theta[j];
                double fpp = corners[k];
                double fmm = corners[k + 1];
                k += 2;
                double v = (fpp - fpm - fmp + fmm) / (4 * h * h);
                hess[i * dim + j] = v;
                hess[j * dim + i] = v;
            }
        }
    }

    /**
     * Standard errors of ln β and ln τ of an estimate, and their degrees of freedom.
     *
     * @param lnBeta SE of ln β (the relative error of β)
     * @param lnTau SE of ln τ (the relative error of τ)
     * @param dof replicates used − 1
     */
    record Errors(double lnBeta, double lnTau, int dof) {
    }

    /**
     * The linearised delete-a-group jackknife of an estimate θ̂ = (ln β̂, ln τ̂[, ln Ĝ]) on the current
     * sums (all P pixels): for each pixel group r, with the sums of the P_r pixels outside it, one
     * Newton step θ_r = θ̂ − (H P_r/P)⁻¹ ∇NLL_r(θ̂) (H the Hessian of the full NLL at θ̂; Hessian and
     * gradients by central differences, steps 10⁻³ and 10⁻⁴), then SE²(θ) = (B−1)/B Σ_r (θ_r − θ̄)².
     * H is the one {@link #minimise} computed where it stopped when θ is that point (or its ln β, ln τ
     * with G fixed at the minimiser's), else it is computed here, the same way. Leaves the last
     * replicate's sums set.
     *
     * @param theta the estimate. Not modified.
     * @param gain G when it is not in θ
     * @param p P, the pixels of the current sums
     * @param count B, the pixel groups
     * @param correlation the correlation workspace whose replicate sums are read. Not modified.
     * @param sums T × T scratch for a replicate's sums. Modified.
     * @param invMean T scratch for its 1/⟨I(t)⟩φ. Modified.
     * @return the errors; null when fewer than two replicates have sums, the Hessian is singular or
     *     the error of ln τ is not finite
     */
    Errors jackknife(double[] theta, double gain, int p, int count, CorrelationKernel.Workspace correlation,
                     double[] sums, double[] invMean) {
        int dim = theta.length;
        double[] hess = hessianAt(theta, gain);
        if (hess == null) {
            hess = new double[dim * dim];
            double[] corners = new double[dim * (dim - 1)];
            derivatives(theta, gain, nllAt(theta, gain), new double[dim], hess, corners);
            fourCorners(theta, gain, corners, hess);
        }
        DMatrixRMaj hinv = new DMatrixRMaj(dim, dim);
        if (!CommonOps_DDRM.invert(DMatrixRMaj.wrap(dim, dim, hess.clone()), hinv)) {
            return null;
        }
        double[] x = theta.clone();
        double[][] reps = new double[dim][count];
        int used = 0;
        for (int r = 0; r < count; r++) {
            int pr = CorrelationKernel.normalisedTwoTimeSums(correlation, r, sums, invMean);
            if (pr < 2) {
                continue;
            }
            set(frames, pr, frameSeconds, sums, invMean);
            double[] grad = new double[dim];
            double gh = 1e-4;
            for (int i = 0; i < dim; i++) {
                x[i] = theta[i] + gh;
                double fp = nllAt(x, gain);
                x[i] = theta[i] - gh;
                double fm = nllAt(x, gain);
                x[i] = theta[i];
                grad[i] = (fp - fm) / (2 * gh);
            }
            double scale = (double) p / pr; // (H P_r/P)⁻¹ = H⁻¹ P/P_r
            for (int i = 0; i < dim; i++) {
                double step = 0;
                for (int j = 0; j < dim; j++) {
                    step += hinv.get(i, j) * grad[j];
                }
                reps[i][used] = theta[i] - scale * step;
            }
            used++;
        }
        if (used < 2) {
            return null;
        }
        double lnTau = Jackknife.standardError(reps[1], 0, 1, used);
        return Double.isFinite(lnTau) ? new Errors(Jackknife.standardError(reps[0], 0, 1, used), lnTau, used - 1) : null;
    }

    /**
     * The Hessian the last {@link #minimise} kept at its minimiser, when θ (with G = {@code gain}
     * where θ has no ln G) is that point on the current sums: the whole Hessian, or its (ln β, ln τ)
     * block when θ is the minimiser's ln β, ln τ and {@code gain} is exp of its ln G — the NLL at
     * the same points, so the same numbers {@link #derivatives} would give.
     *
     * @return the Hessian, row-major (not to be modified), or null
     */
    private double[] hessianAt(double[] theta, double gain) {
        double[] at = hessianPoint;
        if (at == null || theta.length > at.length) {
            return null;
        }
        for (int i = 0; i < theta.length; i++) {
            if (Double.doubleToLongBits(theta[i]) != Double.doubleToLongBits(at[i])) {
                return null;
            }
        }
        double g = at.length > theta.length ? Math.exp(at[2]) : hessianGain;
        if (theta.length == 2 && Double.doubleToLongBits(g) != Double.doubleToLongBits(gain)) {
            return null;
        }
        if (theta.length == at.length) {
            return hessianAtPoint;
        }
        int n = at.length;
        return new double[] {hessianAtPoint[0], hessianAtPoint[1], hessianAtPoint[n], hessianAtPoint[n + 1]};
    }

    /** The NLL at θ = (ln β, ln τ[, ln G]), G = {@code gain} when θ has two components. */
    private double nllAt(double[] x, double gain) {
        return nll(Math.exp(x[0]), Math.exp(x[1]), x.length > 2 ? Math.exp(x[2]) : gain);
    }
}
