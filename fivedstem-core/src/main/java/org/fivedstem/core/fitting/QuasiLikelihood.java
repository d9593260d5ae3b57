/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.fivedstem.api.internal.KwwModel;
import org.fivedstem.core.correlation.CorrelationKernel;
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
 * predictions). Hand-written because no library evaluates a likelihood from these sums; the
 * optimiser is Commons Math's BOBYQA (bounded, derivative-free; 2 or 3 parameters).
 *
 * <p>Not thread-safe: one per thread (the fitter's workspace holds one).
 */
final class QuasiLikelihood {

    private int frames;
    private int pixels;
    private double frameSeconds;
    private double[] s = new double[0];
    private double[] invMean = new double[0];
    private double[] n = new double[0];
    private int evaluations;

    /**
     * @param t frames T
     * @param p pixels summed in s
     * @param dt frame interval in s
     * @param sums the sums S, {@code sums[t1 * T + t2]} for t2 ≥ t1. Not modified (copied).
     * @param inv 1/⟨I(t)⟩φ, 0 for frames to skip. Not modified (copied).
     */
    void set(int t, int p, double dt, double[] sums, double[] inv) {
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
        java.util.Arrays.fill(n, 0, t, 0);
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
     * Minimises the NLL over ln β, ln τ (and ln G when {@code gain} is NaN) within bounds, from a
     * start.
     *
     * @param start start {ln β, ln τ[, ln G]}
     * @param lo lower bounds, same layout
     * @param hi upper bounds, same layout
     * @param gain the fixed G, or NaN for free
     * @return the minimiser, or {@code null} if the optimiser failed
     */
    double[] minimise(double[] start, double[] lo, double[] hi, double gain) {
        int dim = start.length;
        MultivariateFunction fn = x -> {
            double v = nll(Math.exp(x[0]), Math.exp(x[1]), dim > 2 ? Math.exp(x[2]) : gain);
            return Double.isFinite(v) ? v : Double.MAX_VALUE;
        };
        try {
            PointValuePair p = new BOBYQAOptimizer(2 * dim + 1, 0.1, 1e-5).optimize(new MaxEval(2000),
                new ObjectiveFunction(fn), GoalType.MINIMIZE, new InitialGuess(start), new SimpleBounds(lo, hi));
            return p.getPoint();
        } catch (MathIllegalStateException | org.apache.commons.math3.exception.MathIllegalArgumentException e) {
            return null;
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
     * Leaves the last replicate's sums set.
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
        double h = 1e-3;
        double[][] hess = new double[dim][dim];
        double f0 = nllAt(theta, gain);
        double[] x = theta.clone();
        for (int i = 0; i < dim; i++) {
            for (int j = i; j < dim; j++) {
                double v;
                if (i == j) {
                    x[i] = theta[i] + h;
                    double fp = nllAt(x, gain);
                    x[i] = theta[i] - h;
                    double fm = nllAt(x, gain);
                    x[i] = theta[i];
                    v = (fp - 2 * f0 + fm) / (h * h);
                } else {
                    double[] s4 = new double[4];
                    int[][] sg = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};
                    for (int c = 0; c < 4; c++) {
                        x[i] = theta[i] + sg[c][0] * h;
                        x[j] = theta[j] + sg[c][1] * h;
                        s4[c] = nllAt(x, gain);
                    }
                    x[i] = theta[i];
                    x[j] = theta[j];
                    v = (s4[0] - s4[1] - s4[2] + s4[3]) / (4 * h * h);
                }
                hess[i][j] = v;
                hess[j][i] = v;
            }
        }
        DMatrixRMaj hm = new DMatrixRMaj(hess);
        DMatrixRMaj hinv = new DMatrixRMaj(dim, dim);
        if (!CommonOps_DDRM.invert(hm, hinv)) {
            return null;
        }
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

    /** The NLL at θ = (ln β, ln τ[, ln G]), G = {@code gain} when θ has two components. */
    private double nllAt(double[] x, double gain) {
        return nll(Math.exp(x[0]), Math.exp(x[1]), x.length > 2 ? Math.exp(x[2]) : gain);
    }
}
