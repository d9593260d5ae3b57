/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting;

import java.util.Objects;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.api.internal.KwwModel;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.fitting.FitClassifier.Candidate;
import org.fivedstem.core.fitting.internal.FitPoints;
import org.fivedstem.core.fitting.internal.KwwCovariance;
import org.fivedstem.core.fitting.internal.KwwEstimate;
import org.fivedstem.core.fitting.internal.KwwLeastSquares;
import org.fivedstem.core.fitting.internal.KwwParameters;
import org.fivedstem.core.fitting.internal.KwwStartValues;
import org.fivedstem.core.fitting.internal.LevenbergMarquardt;
import org.fivedstem.core.fitting.internal.ParameterErrors;
import org.fivedstem.core.internal.Jackknife;

/**
 * Fits the Kohlrausch–Williams–Watts form, the paper's eq. 3, to a g(t) curve:
 * <pre>
 *   g(t) = 1 + c + β · exp(−2 (t/τ)^γ)
 * </pre>
 * by weighted least squares (Levenberg–Marquardt with the analytic Jacobian; hand-written, see
 * {@code LevenbergMarquardt} for why and for its NIST StRD validation).
 *
 * <p><b>Bounds.</b> β &gt; 0 and τ &gt; 0 by fitting ln β and ln τ (which also makes τ's scale,
 * often spanning decades, well conditioned); ln τ is boxed to [t_min/100, 100·t_max] of the window
 * and ln β to [1e−12, 1e4]. γ, when free, is kept in [γmin, γmax] (default [0.2, 3]) by projecting
 * each trial step onto the interval. A fit that ends on the γ or β bound is {@link FitStatus#FAILED}
 * (the covariance means nothing there); one that ends on the τ box is flagged unresolved (fast or
 * slow) with NaN errors.
 *
 * <p><b>Starting values.</b> With γ at its fixed value or 1, the model is linear in β (and c) for a
 * given τ, so a 16-point logarithmic grid of τ over [t_min/4, 4·t_max] is scanned with β (and c)
 * solved in closed form; the best grid point with β &gt; 0 starts the iteration
 * ({@code KwwStartValues}). Robust against any scale of τ and β, cheaper than a multi-start.
 *
 * <p><b>Window.</b> See {@link FitOptions}. Inside it a lag with no frame pairs and NaN g is
 * skipped; any other non-finite g (or a missing SE under {@link Weighting#STD_ERR}) makes the fit
 * {@link FitStatus#NON_FINITE_DATA}; fewer usable lags than parameters + 1:
 * {@link FitStatus#INSUFFICIENT_DATA}.
 *
 * <p><b>Errors.</b> From the covariance (JᵀWJ)⁻¹ in the natural parameters β, τ, γ, c, scaled by
 * the reduced χ² under uniform weights ({@code KwwCovariance}).
 *
 * <p><b>Model.</b> The function and its derivatives are written once, in {@code KwwModel}
 * (fivedstem-api's internal package), which {@link KwwFit#evaluate} uses as well.
 *
 * <p><b>Status: precision decides, not τ's value.</b> A converged fit is
 * {@link FitStatus#CONVERGED} (τ measured) when its decay is significant (F test at
 * {@link FitOptions#decayTestLevel()}, see {@link FitOptions#withDecayTestLevel}), τ̂ is at least one
 * frame interval and τ's relative standard error is at most {@link FitOptions#maxRelativeTauError()}
 * — whatever τ̂ is, up to a ceiling of {@link FitOptions#slowLimitFraction()} × the recording. A
 * slow position the recording cannot resolve (τ̂ beyond the recording and imprecise, or beyond the
 * ceiling) is {@link FitStatus#UNRESOLVED_SLOW}, right-censored at the one-sided 95 % lower
 * confidence bound of τ ({@link KwwFit#tauLimitSeconds()}), so that statistics can keep it as
 * "τ &gt; limit" instead of dropping it (a cut on τ̂ biases every summary of a slow map low). The
 * order and the limit are stated at {@code FitClassifier.classify}. {@link #fitJackknife} judges
 * precision by the jackknife errors it reports, {@link #fit} by the covariance errors.
 *
 * <p>Immutable and thread-safe; the {@link Workspace} variants reuse memory for many fits
 * (one workspace per thread).
 */
public final class KwwFitter {

    private final FitOptions options;
    private final FitClassifier classifier;

    private KwwFitter(FitOptions options) {
        this.options = options;
        this.classifier = new FitClassifier(options);
    }

    /**
     * @param options how to fit
     * @return the fitter
     */
    public static KwwFitter of(FitOptions options) {
        return new KwwFitter(Objects.requireNonNull(options, "options"));
    }

    /** @return a fitter with {@link FitOptions#defaults()} */
    public static KwwFitter withDefaults() {
        return of(FitOptions.defaults());
    }

    /** @return the options */
    public FitOptions options() {
        return options;
    }

    /** One thread's scratch space for fits; not thread-safe. */
    public static final class Workspace {
        private final LevenbergMarquardt lm = new LevenbergMarquardt();
        private final FitPoints points = new FitPoints();
        private final KwwCovariance covariance = new KwwCovariance();
        private final QuasiLikelihood ql = new QuasiLikelihood();
        private double[] sums = new double[0];
        private double[] invMean = new double[0];

        private Workspace() {
        }
    }

    /** @return a new workspace */
    public static Workspace newWorkspace() {
        return new Workspace();
    }

    /**
     * @param curve the curve
     * @return the fit
     */
    public KwwFit fit(CorrelationCurve curve) {
        return fit(curve.lagsSeconds(), curve.values(), curve.stdErrs(), curve.pairCounts(), newWorkspace());
    }

    /**
     * Fits arrays (the primitive layer, for maps).
     *
     * @param lagsSeconds lag times in s, ascending. Not modified.
     * @param g g per lag. Not modified.
     * @param stdErr standard errors per lag (NaN where unknown), or {@code null}. Not modified.
     * @param pairCounts frame pairs per lag, or {@code null} if unknown. Not modified.
     * @param ws this thread's workspace. Modified.
     * @return the fit
     */
    public KwwFit fit(double[] lagsSeconds, double[] g, double[] stdErr, int[] pairCounts, Workspace ws) {
        Candidate u = fitUnclassified(lagsSeconds, g, stdErr, pairCounts, ws);
        return u.fit().status().hasParameters() ? classifier.classify(u, u.fit(), u.covarianceDof()) : u.fit();
    }

    private Candidate failure(FitStatus status, int iterations, int firstLag, int lastLag) {
        return Candidate.failure(KwwFit.failed(status, !options.gammaFree(), options.baseline(), iterations, firstLag,
            lastLag));
    }

    /**
     * The least-squares fit of the window, before its status is decided: the window and its
     * points, start values ({@link KwwStartValues}), Levenberg–Marquardt on {@link KwwLeastSquares}
     * in θ = [ln β, ln τ, (γ), (c)], the bound checks, the covariance errors ({@link KwwCovariance})
     * and the decay test.
     */
    private Candidate fitUnclassified(double[] lagsSeconds, double[] g, double[] stdErr, int[] pairCounts,
                                      Workspace ws) {
        Objects.requireNonNull(lagsSeconds, "lagsSeconds");
        Objects.requireNonNull(g, "g");
        Objects.requireNonNull(ws, "workspace");
        int n = lagsSeconds.length;
        Checks.positive("lag count", n);
        Checks.length("g", n, g.length);
        if (stdErr != null) {
            Checks.length("stdErr", n, stdErr.length);
        }
        if (pairCounts != null) {
            Checks.length("pairCounts", n, pairCounts.length);
        }
        int first = firstLag(lagsSeconds);
        int last = options.lastLag() >= 0 ? Math.min(options.lastLag(), n - 1) : defaultLastLag(pairCounts, n);
        if (first >= n || last < first) {
            int f = Math.min(first, n - 1);
            return failure(FitStatus.INSUFFICIENT_DATA, 0, f, Math.max(f, last));
        }
        // The usable points: a lag without pairs and with NaN g is skipped, other non-finite data fail.
        FitPoints points = ws.points;
        points.clear(last - first + 1);
        boolean useSe = usesStdErr(stdErr, pairCounts, g, first, last);
        for (int k = first; k <= last; k++) {
            if (pairCounts != null && pairCounts[k] == 0 && Double.isNaN(g[k])) {
                continue;
            }
            double se = useSe ? (stdErr == null ? Double.NaN : stdErr[k]) : 1;
            if (!Double.isFinite(g[k]) || !Double.isFinite(lagsSeconds[k]) || lagsSeconds[k] < 0
                || !(se > 0) || se == Double.POSITIVE_INFINITY) {
                return failure(FitStatus.NON_FINITE_DATA, 0, first, last);
            }
            points.add(lagsSeconds[k], g[k], se);
        }
        int m = points.size();
        KwwParameters layout = KwwParameters.of(options);
        int np = layout.count();
        if (m <= np) {
            return failure(FitStatus.INSUFFICIENT_DATA, 0, first, last);
        }
        double tMin = points.minPositiveLag();
        double tMax = points.maxLag();
        if (!(tMax > 0)) {
            return failure(FitStatus.INSUFFICIENT_DATA, 0, first, last);
        }
        double gamma0 = layout.gammaFree() ? 1 : options.gammaFixed();
        int gi = layout.gammaIndex();
        int ci = layout.baselineIndex();
        double[] q = new double[np];
        double[] lo = new double[np];
        double[] hi = new double[np];
        KwwStartValues.search(points, tMin, tMax, gamma0, layout, q);
        layout.bounds(tMin, tMax, options, lo, hi);
        if (gi >= 0) {
            q[gi] = Math.min(options.gammaMax(), Math.max(options.gammaMin(), gamma0));
        }
        ws.lm.tolerances(1e-12, 1e-10, options.maxIterations());
        LevenbergMarquardt.Outcome outcome = ws.lm.minimize(new KwwLeastSquares(points, layout, gamma0), m, q, lo, hi);
        int it = ws.lm.iterations();
        if (outcome == LevenbergMarquardt.Outcome.MAX_ITERATIONS) {
            return failure(FitStatus.MAX_ITERATIONS, it, first, last);
        }
        if (outcome != LevenbergMarquardt.Outcome.CONVERGED) {
            return failure(FitStatus.FAILED, it, first, last);
        }
        KwwEstimate estimate = new KwwEstimate(Math.exp(q[0]), Math.exp(q[1]), gi >= 0 ? q[gi] : gamma0,
            ci >= 0 ? q[ci] : 0);
        boolean atBound = q[0] <= lo[0] || q[0] >= hi[0]
            || (gi >= 0 && (q[gi] <= lo[gi] || q[gi] >= hi[gi]));
        if (atBound) {
            return failure(FitStatus.FAILED, it, first, last);
        }
        boolean tauAtBox = q[1] <= lo[1] || q[1] >= hi[1];
        double chi2 = ws.lm.sumOfSquares() / (m - np);
        ParameterErrors errors = tauAtBox ? ParameterErrors.unknown(layout)
            : ws.covariance.errors(points, layout, estimate.beta(), estimate.tauSeconds(), estimate.gamma(),
                useSe ? 1 : chi2);
        if (errors == null) {
            return failure(FitStatus.FAILED, it, first, last);
        }
        double p = options.decayTestLevel() < 1 ? FitClassifier.decayPValue(points, np, ws.lm.sumOfSquares())
            : Double.NaN;
        KwwFit fit = estimate.converged(errors, layout, chi2, it, first, last);
        return new Candidate(fit, p, firstPositive(lagsSeconds), lagsSeconds[n - 1], m - np);
    }

    /**
     * Fits arrays and takes the parameters' standard errors from a jackknife of the fit (over
     * pixel groups or frame blocks, as the correlation made the replicates): for each jackknife
     * replicate of g (see {@code CorrelationKernel.correlate} with
     * replicates) the parameters the replicate would give are found by one Gauss–Newton step from
     * the full fit over the same window and weights — the linearised jackknife,
     * <pre>
     *   θ_b = θ̂ + (JᵀWJ)⁻¹ JᵀW (g_b − g),      SE²(θ) = (B' − 1)/B' · Σ_b (θ_b − θ̄)²
     * </pre>
     * over the B' replicates with data (J the model's Jacobian at θ̂ in β, τ, γ, c; W the weights).
     * Replicates differ from g by about their standard error, so the step is exact to second order
     * in that difference, and it costs one Jacobian instead of B refits. A lag a replicate lost
     * contributes no change. Unlike the covariance of one fit, which treats the lags as independent,
     * this accounts for the strong correlation between neighbouring lags of g (they share frames),
     * so the errors follow the actual scatter of τ (see {@code SimulatedFitTest}). Parameters,
     * status, window and χ² are those of the full fit; with fewer than two replicates with data the
     * errors are NaN, and so are they when the full fit's τ ended on its search box. A fixed γ keeps
     * error 0.
     *
     * @param lagsSeconds lag times in s. Not modified.
     * @param g g per lag. Not modified.
     * @param stdErr standard errors per lag, or {@code null}. Not modified.
     * @param pairCounts frame pairs per lag, or {@code null}. Not modified.
     * @param replicates jackknife replicates of g: replicate {@code r} at lag {@code k} is
     *     {@code replicates[offset + r * n + k]}, n = number of lags; NaN where undefined. Not modified.
     * @param offset where replicate 0 starts
     * @param count number of replicates B (&ge; 2 for errors)
     * @param ws this thread's workspace. Modified.
     * @return the full fit with jackknife errors
     */
    public KwwFit fitJackknife(double[] lagsSeconds, double[] g, double[] stdErr, int[] pairCounts, double[] replicates,
                               int offset, int count, Workspace ws) {
        Jackknifed j = jackknife(lagsSeconds, g, stdErr, pairCounts, replicates, offset, count, ws);
        return j.dof < 0 ? j.fit : classifier.classify(j.u, j.fit, j.dof);
    }

    /**
     * As {@link #fitJackknife(double[], double[], double[], int[], double[], int, int, Workspace)}, and
     * where the options ask for the {@linkplain Estimator#QUASI_LIKELIHOOD quasi-likelihood} and it
     * applies (γ fixed at 1, no baseline, the two-time sums of a pixel-group correlation at hand in
     * {@code correlation}), β and τ are re-estimated by it, starting from the least-squares fit, with
     * errors from the linearised delete-a-group jackknife of the quasi-likelihood: for each replicate r
     * (the pixels outside group r, P_r of them) one Newton step from θ̂ = (ln β̂, ln τ̂[, ln Ĝ]),
     * <pre>
     *   θ_r = θ̂ − (H P_r/P)⁻¹ ∇NLL_r(θ̂),     SE²(θ) = (B − 1)/B Σ_r (θ_r − θ̄)²
     * </pre>
     * (H the Hessian of the full NLL at θ̂, gradients and Hessian by central differences), so the
     * errors, like the least-squares ones, follow the pixel groups (sectors of the ring) and stay valid
     * when a speckle spans several pixels. The status is decided as for least squares, with the decay
     * test of the least-squares fit (g shows a decay or not) and the quasi-likelihood's τ and error.
     * Where the quasi-likelihood does not apply, or its optimiser fails, the least-squares fit is
     * returned. χ²/ν and the window are those of the least-squares fit; {@code iterations} counts the
     * quasi-likelihood's evaluations.
     *
     * @param lagsSeconds lag times in s, lag k = k·Δt. Not modified.
     * @param g g per lag. Not modified.
     * @param stdErr standard errors per lag, or {@code null}. Not modified.
     * @param pairCounts frame pairs per lag, or {@code null}. Not modified.
     * @param replicates jackknife replicates of g, as {@link #fitJackknife}. Not modified.
     * @param offset where replicate 0 starts
     * @param count number of replicates B
     * @param correlation the correlation workspace that produced g (its two-time sums are read). Not modified.
     * @param ws this thread's workspace. Modified.
     * @return the fit
     */
    public KwwFit fitJackknife(double[] lagsSeconds, double[] g, double[] stdErr, int[] pairCounts, double[] replicates,
                               int offset, int count, CorrelationKernel.Workspace correlation,
                               Workspace ws) {
        Jackknifed j = jackknife(lagsSeconds, g, stdErr, pairCounts, replicates, offset, count, ws);
        if (j.dof < 0) {
            return j.fit;
        }
        if (options.quasiLikelihood() && correlation != null) {
            Jackknifed q = quasiLikelihood(j, lagsSeconds, count, correlation, ws);
            if (q != null) {
                return classifier.classify(q.u, q.fit, q.dof);
            }
        }
        return classifier.classify(j.u, j.fit, j.dof);
    }

    /** The quasi-likelihood estimate and its jackknife errors; null when it cannot be had. */
    private Jackknifed quasiLikelihood(Jackknifed lsq, double[] lags, int count,
                                       CorrelationKernel.Workspace correlation, Workspace ws) {
        int t = lags.length;
        double dt = firstPositive(lags);
        if (!(dt > 0) || t < 3) {
            return null;
        }
        if (ws.sums.length < t * t) {
            ws.sums = new double[t * t];
        }
        if (ws.invMean.length < t) {
            ws.invMean = new double[t];
        }
        int p = CorrelationKernel.normalisedTwoTimeSums(correlation, -1, ws.sums, ws.invMean);
        if (p < 2) {
            return null;
        }
        QuasiLikelihood ql = ws.ql;
        ql.set(t, p, dt, ws.sums, ws.invMean);
        ql.resetEvaluations();
        double gain = options.shotNoiseGain();
        boolean freeGain = Double.isNaN(gain);
        int dim = freeGain ? 3 : 2;
        KwwFit start = lsq.fit;
        double recording = lags[t - 1];
        double[] x0 = new double[dim];
        double[] lo = new double[dim];
        double[] hi = new double[dim];
        x0[0] = Math.log(Math.min(5, Math.max(1e-5, start.beta())));
        lo[0] = Math.log(1e-6);
        hi[0] = Math.log(10);
        lo[1] = Math.log(dt / 100);
        hi[1] = Math.log(recording * 100);
        x0[1] = Math.min(hi[1] - 1e-3, Math.max(lo[1] + 1e-3, Math.log(start.tauSeconds())));
        if (freeGain) {
            // Start G from lag 0: E[S_tt/P] = β + G/⟨I(t)⟩φ.
            double sum = 0;
            int used = 0;
            for (int i = 0; i < t; i++) {
                if (ws.invMean[i] > 0) {
                    sum += (ws.sums[i * t + i] / p - start.beta()) / ws.invMean[i];
                    used++;
                }
            }
            double g0 = used > 0 && sum > 0 ? sum / used : 1;
            x0[2] = Math.log(g0);
            lo[2] = x0[2] - Math.log(1e4);
            hi[2] = x0[2] + Math.log(1e4);
        }
        double[] theta = ql.minimise(x0, lo, hi, gain);
        if (theta == null) {
            return null;
        }
        int evaluations = ql.evaluations();
        double beta = Math.exp(theta[0]);
        double tau = Math.exp(theta[1]);
        boolean onBound = false;
        for (int i = 0; i < 2; i++) {
            onBound |= theta[i] <= lo[i] + 1e-6 || theta[i] >= hi[i] - 1e-6;
        }
        double[] errorsAt = theta;
        double errorsGain = gain;
        if (freeGain && (theta[2] <= lo[2] + 1e-6 || theta[2] >= hi[2] - 1e-6)) {
            // The shot noise is negligible (or dominant) beyond the bound: G stays there, and the
            // errors are those of β and τ at that G.
            errorsAt = new double[] {theta[0], theta[1]};
            errorsGain = Math.exp(theta[2]);
        }
        QuasiLikelihood.Errors se = onBound ? null
            : ql.jackknife(errorsAt, errorsGain, p, count, correlation, ws.sums, ws.invMean);
        double nan = Double.NaN;
        double betaErr = se == null ? nan : beta * se.lnBeta();
        double tauErr = se == null ? nan : tau * se.lnTau();
        KwwFit fit = new KwwEstimate(beta, tau, 1, 0).converged(new ParameterErrors(betaErr, tauErr, 0, nan),
            KwwParameters.BETA_TAU, start.reducedChiSquare(), evaluations, start.firstLag(), start.lastLag());
        return new Jackknifed(lsq.u, fit, se == null ? 0 : se.dof());
    }

    /**
     * A least-squares fit with its linearised-jackknife errors before the status is decided.
     *
     * @param u the fit and what the classification needs
     * @param fit the fit with the jackknife errors (or NaN errors)
     * @param dof the errors' degrees of freedom (replicates − 1); −1 when {@code fit} is final (failed)
     */
    private record Jackknifed(Candidate u, KwwFit fit, int dof) {
    }

    private Jackknifed jackknife(double[] lagsSeconds, double[] g, double[] stdErr, int[] pairCounts, double[] replicates,
                                 int offset, int count, Workspace ws) {
        Objects.requireNonNull(replicates, "replicates");
        if (count < 0 || offset < 0 || replicates.length < offset + (long) count * lagsSeconds.length) {
            throw new IllegalArgumentException(Checks.format(
                "replicates holds %d values, fewer than offset %d + %d replicates × %d lags",
                replicates.length, offset, count, lagsSeconds.length));
        }
        Candidate u = fitUnclassified(lagsSeconds, g, stdErr, pairCounts, ws);
        KwwFit full = u.fit();
        if (!full.status().hasParameters()) {
            return new Jackknifed(u, full, -1);
        }
        if (Double.isNaN(full.tauErrorSeconds())) {
            return new Jackknifed(u, full, 0);
        }
        int n = lagsSeconds.length;
        KwwParameters layout = KwwParameters.of(options);
        int np = layout.count();
        int gi = layout.gammaIndex();
        int ci = layout.baselineIndex();
        boolean useSe = usesStdErr(stdErr, pairCounts, g, full.firstLag(), full.lastLag());
        double beta = full.beta();
        double tau = full.tauSeconds();
        double gam = full.gamma();
        DMatrixRMaj normal = new DMatrixRMaj(np, np);
        DMatrixRMaj rhs = new DMatrixRMaj(np, count);
        boolean[] hasData = new boolean[count];
        double[] row = new double[np];
        for (int k = full.firstLag(); k <= full.lastLag(); k++) {
            if (pairCounts != null && pairCounts[k] == 0 && Double.isNaN(g[k])) {
                continue;
            }
            double t = lagsSeconds[k];
            double w = useSe ? 1 / stdErr[k] : 1;
            double w2 = w * w;
            double s = t > 0 ? KwwModel.stretch(t, tau, gam) : 0;
            double e = KwwModel.decay(s);
            row[0] = e;
            row[1] = KwwModel.dTauBetaEFirst(beta, e, gam, s, tau);
            if (gi >= 0) {
                row[gi] = KwwModel.dGamma(t, beta, e, s, Math.log(t / tau));
            }
            if (ci >= 0) {
                row[ci] = 1;
            }
            for (int i = 0; i < np; i++) {
                for (int j = 0; j < np; j++) {
                    normal.add(i, j, w2 * row[i] * row[j]);
                }
            }
            for (int r = 0; r < count; r++) {
                double d = replicates[offset + r * n + k] - g[k];
                if (Double.isNaN(d)) {
                    continue;
                }
                hasData[r] = true;
                for (int i = 0; i < np; i++) {
                    rhs.add(i, r, w2 * row[i] * d);
                }
            }
        }
        DMatrixRMaj delta = new DMatrixRMaj(np, count);
        // EJML's linear solver for the small normal equations (positive definite at a converged fit).
        if (!CommonOps_DDRM.solve(normal, rhs, delta)) {
            // No jackknife errors to be had; the covariance ones would be mislabelled as such.
            ParameterErrors none = ParameterErrors.unknown(layout);
            return new Jackknifed(u, full.withErrors(none.beta(), none.tauSeconds(), none.gamma(), none.baseline()), 0);
        }
        double[] natural = {beta, tau, gam, full.baseline()};
        int[] index = {0, 1, gi, ci};
        double[] se = new double[4];
        double[] values = new double[count];
        int replicatesUsed = 0;
        for (int r = 0; r < count; r++) {
            replicatesUsed += hasData[r] ? 1 : 0;
        }
        for (int q = 0; q < 4; q++) {
            if (index[q] < 0) {
                se[q] = q == 2 ? 0 : Double.NaN;
                continue;
            }
            int used = 0;
            for (int r = 0; r < count; r++) {
                if (hasData[r]) {
                    values[used++] = natural[q] + delta.get(index[q], r);
                }
            }
            se[q] = used >= 2 ? Jackknife.standardError(values, 0, 1, used) : Double.NaN;
        }
        return new Jackknifed(u, full.withErrors(se[0], se[1], se[2], se[3]), replicatesUsed - 1);
    }

    /**
     * Whether a fit over lags [first, last] weights by the standard errors: always under
     * {@link Weighting#STD_ERR}; under {@link Weighting#AUTO} when every lag that is not skipped has a
     * finite positive one.
     */
    private boolean usesStdErr(double[] stdErr, int[] pairCounts, double[] g, int first, int last) {
        if (options.weighting() == Weighting.STD_ERR) {
            return true;
        }
        if (options.weighting() == Weighting.UNIFORM || stdErr == null) {
            return false;
        }
        for (int k = first; k <= last; k++) {
            if (!(stdErr[k] > 0) || stdErr[k] == Double.POSITIVE_INFINITY) {
                boolean skippable = pairCounts != null && pairCounts[k] == 0 && Double.isNaN(g[k]);
                if (!skippable) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The default last lag: the last lag with at least a quarter of lag 0's frame pairs (about
     * 3T/4 — long lags average few pairs, and the jackknife SE is undefined for the last ~T/B),
     * or the last lag when pair counts are unknown.
     *
     * @param pairCounts pair counts per lag, or {@code null}
     * @param n number of lags
     * @return the lag index
     */
    public static int defaultLastLag(int[] pairCounts, int n) {
        if (pairCounts == null || pairCounts.length == 0 || pairCounts[0] <= 0) {
            return n - 1;
        }
        double need = pairCounts[0] / 4.0;
        int last = 0;
        for (int k = 0; k < n; k++) {
            if (pairCounts[k] >= need) {
                last = k;
            }
        }
        return last;
    }

    /** The first lag of the window: the options', else the first positive lag (n when none is). */
    private int firstLag(double[] lagsSeconds) {
        int first = options.firstLag();
        if (first < 0) {
            first = 0;
            while (first < lagsSeconds.length && !(lagsSeconds[first] > 0)) {
                first++;
            }
        }
        return first;
    }

    private static double firstPositive(double[] lags) {
        for (double l : lags) {
            if (l > 0) {
                return l;
            }
        }
        return Double.NaN;
    }

    @Override
    public String toString() {
        return "KwwFitter[" + options + "]";
    }
}
