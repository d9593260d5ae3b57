package org.fivedstem.core.fitting;

import java.util.Objects;

import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.KwwFit;
import org.apache.commons.numbers.gamma.RegularizedBeta;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.statistics.TauIntervals;
import org.fivedstem.core.fitting.internal.LevenbergMarquardt;

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
 * solved in closed form; the best grid point with β &gt; 0 starts the iteration. Robust against
 * any scale of τ and β, cheaper than a multi-start.
 *
 * <p><b>Window.</b> See {@link FitOptions}. Inside it a lag with no frame pairs and NaN g is
 * skipped; any other non-finite g (or a missing SE under {@link Weighting#STD_ERR}) makes the fit
 * {@link FitStatus#NON_FINITE_DATA}; fewer usable lags than parameters + 1:
 * {@link FitStatus#INSUFFICIENT_DATA}.
 *
 * <p><b>Errors.</b> From the covariance (JᵀWJ)⁻¹ in the natural parameters β, τ, γ, c, scaled by
 * the reduced χ² under uniform weights.
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
 * order and the limit are stated at {@code classify}. {@link #fitJackknife} judges precision by the
 * jackknife errors it reports, {@link #fit} by the covariance errors.
 *
 * <p>Immutable and thread-safe; the {@link Workspace} variants reuse memory for many fits
 * (one workspace per thread).
 */
public final class KwwFitter {

    private static final int GRID = 16;
    private static final double BETA_MIN = 1e-12;
    private static final double BETA_MAX = 1e4;

    private final FitOptions options;

    private KwwFitter(FitOptions options) {
        this.options = options;
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
        private double[] t = new double[0];
        private double[] logT = new double[0];
        private double[] y = new double[0];
        private double[] w = new double[0];
        private final double[] cov = new double[16];
        private final double[] jn = new double[4];
        private final double[] a = new double[16];
        private final QuasiLikelihood ql = new QuasiLikelihood();
        private double[] sums = new double[0];
        private double[] invMean = new double[0];
        private Workspace() {
        }

        private void ensure(int n) {
            if (t.length < n) {
                t = new double[n];
                logT = new double[n];
                y = new double[n];
                w = new double[n];
            }
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
        Unclassified u = fitUnclassified(lagsSeconds, g, stdErr, pairCounts, ws);
        return u.fit.status().hasParameters() ? classify(u, u.fit, u.covarianceDof) : u.fit;
    }

    /**
     * A fit before its status is decided: parameters and covariance errors with status
     * {@code CONVERGED} (or a failure), and what the classification needs.
     *
     * @param fit the fit
     * @param decayPValue p-value of the decay test (see {@link FitOptions#withDecayTestLevel}); NaN if not computed
     * @param frameSeconds the curve's first positive lag (one frame interval)
     * @param recordingSeconds the curve's longest lag (the recording length)
     * @param covarianceDof degrees of freedom of the covariance errors (usable lags − parameters)
     */
    private record Unclassified(KwwFit fit, double decayPValue, double frameSeconds, double recordingSeconds,
                                int covarianceDof) {
    }

    private Unclassified failure(KwwFit failed) {
        return new Unclassified(failed, Double.NaN, Double.NaN, Double.NaN, 0);
    }

    private Unclassified fitUnclassified(double[] lagsSeconds, double[] g, double[] stdErr, int[] pairCounts,
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
        boolean gammaFree = options.gammaFree();
        boolean base = options.baseline();
        int first = options.firstLag();
        if (first < 0) {
            first = 0;
            while (first < n && !(lagsSeconds[first] > 0)) {
                first++;
            }
        }
        int last = options.lastLag() >= 0 ? Math.min(options.lastLag(), n - 1) : defaultLastLag(pairCounts, n);
        if (first >= n || last < first) {
            int f = Math.min(first, n - 1);
            return failure(KwwFit.failed(FitStatus.INSUFFICIENT_DATA, !gammaFree, base, 0, f, Math.max(f, last)));
        }
        // Collect the usable points.
        ws.ensure(last - first + 1);
        boolean useSe = usesStdErr(stdErr, pairCounts, g, first, last);
        int m = 0;
        for (int k = first; k <= last; k++) {
            if (pairCounts != null && pairCounts[k] == 0 && Double.isNaN(g[k])) {
                continue;
            }
            double se = useSe ? (stdErr == null ? Double.NaN : stdErr[k]) : 1;
            if (!Double.isFinite(g[k]) || !Double.isFinite(lagsSeconds[k]) || lagsSeconds[k] < 0
                || !(se > 0) || se == Double.POSITIVE_INFINITY) {
                return failure(KwwFit.failed(FitStatus.NON_FINITE_DATA, !gammaFree, base, 0, first, last));
            }
            ws.t[m] = lagsSeconds[k];
            ws.logT[m] = lagsSeconds[k] > 0 ? Math.log(lagsSeconds[k]) : Double.NEGATIVE_INFINITY;
            ws.y[m] = g[k] - 1;
            ws.w[m] = 1 / se;
            m++;
        }
        int np = options.parameterCount();
        if (m <= np) {
            return failure(KwwFit.failed(FitStatus.INSUFFICIENT_DATA, !gammaFree, base, 0, first, last));
        }
        double tMin = Double.POSITIVE_INFINITY;
        double tMax = 0;
        for (int i = 0; i < m; i++) {
            if (ws.t[i] > 0) {
                tMin = Math.min(tMin, ws.t[i]);
            }
            tMax = Math.max(tMax, ws.t[i]);
        }
        if (!(tMax > 0)) {
            return failure(KwwFit.failed(FitStatus.INSUFFICIENT_DATA, !gammaFree, base, 0, first, last));
        }
        double gamma0 = gammaFree ? 1 : options.gammaFixed();
        // Parameter vector: [ln β, ln τ, (γ), (c)].
        int gi = gammaFree ? 2 : -1;
        int ci = base ? (gammaFree ? 3 : 2) : -1;
        double[] q = new double[np];
        double[] lo = new double[np];
        double[] hi = new double[np];
        start(ws, m, tMin, tMax, gamma0, base, q);
        lo[0] = Math.log(BETA_MIN);
        hi[0] = Math.log(BETA_MAX);
        lo[1] = Math.log(tMin / 100);
        hi[1] = Math.log(tMax * 100);
        if (gi >= 0) {
            q[gi] = Math.min(options.gammaMax(), Math.max(options.gammaMin(), gamma0));
            lo[gi] = options.gammaMin();
            hi[gi] = options.gammaMax();
        }
        if (ci >= 0) {
            lo[ci] = Double.NEGATIVE_INFINITY;
            hi[ci] = Double.POSITIVE_INFINITY;
        }
        double gFix = gamma0;
        int points = m;
        LevenbergMarquardt.Problem problem = (x, r, jac) -> {
            double beta = Math.exp(x[0]);
            double lnTau = x[1];
            double gam = gi >= 0 ? x[gi] : gFix;
            double c = ci >= 0 ? x[ci] : 0;
            for (int i = 0; i < points; i++) {
                double s = ws.t[i] > 0 ? Math.exp(gam * (ws.logT[i] - lnTau)) : 0;
                double e = Math.exp(-2 * s);
                double be = beta * e;
                double wi = ws.w[i];
                r[i] = (ws.y[i] - be - c) * wi;
                if (jac != null) {
                    int o = i * np;
                    jac[o] = be * wi;
                    jac[o + 1] = 2 * gam * s * be * wi;
                    if (gi >= 0) {
                        jac[o + gi] = s == 0 ? 0 : -2 * be * s * (ws.logT[i] - lnTau) * wi;
                    }
                    if (ci >= 0) {
                        jac[o + ci] = wi;
                    }
                }
            }
        };
        ws.lm.tolerances(1e-12, 1e-10, options.maxIterations());
        LevenbergMarquardt.Outcome outcome = ws.lm.minimize(problem, m, q, lo, hi);
        int it = ws.lm.iterations();
        if (outcome == LevenbergMarquardt.Outcome.MAX_ITERATIONS) {
            return failure(KwwFit.failed(FitStatus.MAX_ITERATIONS, !gammaFree, base, it, first, last));
        }
        if (outcome != LevenbergMarquardt.Outcome.CONVERGED) {
            return failure(KwwFit.failed(FitStatus.FAILED, !gammaFree, base, it, first, last));
        }
        double beta = Math.exp(q[0]);
        double tau = Math.exp(q[1]);
        double gam = gi >= 0 ? q[gi] : gFix;
        double c = ci >= 0 ? q[ci] : 0;
        boolean atBound = q[0] <= lo[0] || q[0] >= hi[0]
            || (gi >= 0 && (q[gi] <= lo[gi] || q[gi] >= hi[gi]));
        if (atBound) {
            return failure(KwwFit.failed(FitStatus.FAILED, !gammaFree, base, it, first, last));
        }
        boolean tauAtBox = q[1] <= lo[1] || q[1] >= hi[1];
        double chi2 = ws.lm.sumOfSquares() / (m - np);
        double[] err = new double[4];
        boolean ok = tauAtBox || errors(ws, m, np, beta, tau, gam, gi, ci, useSe ? 1 : chi2, err);
        if (!ok) {
            return failure(KwwFit.failed(FitStatus.FAILED, !gammaFree, base, it, first, last));
        }
        if (tauAtBox) {
            java.util.Arrays.fill(err, Double.NaN);
        }
        double p = options.decayTestLevel() < 1 ? decayPValue(ws, m, np, ws.lm.sumOfSquares()) : Double.NaN;
        KwwFit fit = new KwwFit(beta, err[0], tau, err[1], gam, gi >= 0 ? err[2] : 0, !gammaFree, c,
            ci >= 0 ? err[3] : Double.NaN, base, chi2, it, FitStatus.CONVERGED, first, last);
        return new Unclassified(fit, p, firstPositive(lagsSeconds), lagsSeconds[n - 1], m - np);
    }

    /**
     * Decides the status of a converged fit from its τ, τ's standard error and the decay test, in
     * this order (see {@link FitStatus}):
     * <ol>
     * <li>τ̂ above the ceiling {@link FitOptions#slowLimitFraction()} × the recording:
     *   {@code UNRESOLVED_SLOW} (a static or barely decaying pattern lands here whether or not its
     *   slight decay is significant);</li>
     * <li>no significant decay: {@code NO_CONTRAST};</li>
     * <li>τ̂ below one frame interval: {@code UNRESOLVED_FAST};</li>
     * <li>relative error σ_τ/τ̂ above {@link FitOptions#maxRelativeTauError()} (or no error):
     *   {@code UNRESOLVED_SLOW} when τ̂ exceeds the recording, {@code IMPRECISE} otherwise;</li>
     * <li>otherwise {@code CONVERGED}: τ is measured, whatever its value.</li>
     * </ol>
     * A censored fit's limit is τ_L = τ̂ · exp(−t₀.₉₅(ν) σ_τ/τ̂), the one-sided 95 % lower confidence
     * bound of τ from the delta method on ln τ with the errors' ν degrees of freedom (Student t;
     * ν = replicates − 1 for jackknife errors, usable lags − parameters for covariance errors), but
     * not below one frame interval; without an error, the recording length (a decay too slow to be
     * seen within it).
     */
    private KwwFit classify(Unclassified u, KwwFit withErrors, int dof) {
        double tau = withErrors.tauSeconds();
        double rel = withErrors.tauErrorSeconds() / tau;
        boolean precise = rel <= options.maxRelativeTauError();
        double recording = u.recordingSeconds;
        boolean beyondCeiling = tau > options.slowLimitFraction() * recording;
        if (!beyondCeiling) {
            if (!(u.decayPValue <= options.decayTestLevel()) && options.decayTestLevel() < 1) {
                return withErrors.withStatus(FitStatus.NO_CONTRAST);
            }
            if (tau < u.frameSeconds) {
                return withErrors.withStatus(FitStatus.UNRESOLVED_FAST);
            }
            if (precise) {
                return withErrors;
            }
            if (!(tau > recording)) {
                return withErrors.withStatus(FitStatus.IMPRECISE);
            }
        }
        double limit = rel > 0 && Double.isFinite(rel) && dof >= 1
            ? Math.max(u.frameSeconds, tau * Math.exp(-oneSidedQuantile95(dof) * rel)) : recording;
        return withErrors.withCensoring(limit);
    }

    /** The 95 % quantile of Student's t with ν degrees of freedom, the normal one above 1000. */
    private static double oneSidedQuantile95(int dof) {
        return TauIntervals.quantile(dof > 1000 ? 0 : dof, 0.95);
    }

    /**
     * The p-value of the extra-sum-of-squares F test of the fitted model (np parameters, weighted
     * residual sum of squares ssr1) against the best constant g − 1 = c over the same m usable
     * lags and weights (see {@link FitOptions#withDecayTestLevel}). The upper tail of F(d1, d2) is
     * the regularised incomplete beta function I_x(d1/2, d2/2) complemented at x = d1F/(d1F + d2)
     * (Commons Numbers). 1 when the model is not better than the constant (also when the constant
     * fits exactly); 0 when the model fits exactly and the constant does not.
     */
    static double decayPValue(Workspace ws, int m, int np, double ssr1) {
        double sw = 0;
        double swy = 0;
        for (int i = 0; i < m; i++) {
            double w2 = ws.w[i] * ws.w[i];
            sw += w2;
            swy += w2 * ws.y[i];
        }
        double mean = swy / sw;
        double ssr0 = 0;
        for (int i = 0; i < m; i++) {
            double d = (ws.y[i] - mean) * ws.w[i];
            ssr0 += d * d;
        }
        int d1 = np - 1;
        int d2 = m - np;
        double gain = ssr0 - ssr1;
        if (!(gain > 0)) {
            return gain <= 0 ? 1 : Double.NaN;
        }
        if (ssr1 == 0) {
            return 0;
        }
        double f = (gain / d1) / (ssr1 / d2);
        return RegularizedBeta.complement(d1 * f / (d1 * f + d2), 0.5 * d1, 0.5 * d2);
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
        return j.dof < 0 ? j.fit : classify(j.u, j.fit, j.dof);
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
                return classify(q.u, q.fit, q.dof);
            }
        }
        return classify(j.u, j.fit, j.dof);
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
        double[] se = onBound ? null : quasiLikelihoodErrors(ql, errorsAt, errorsGain, p, count, correlation, ws);
        double nan = Double.NaN;
        double betaErr = se == null ? nan : beta * se[0];
        double tauErr = se == null ? nan : tau * se[1];
        KwwFit fit = new KwwFit(beta, betaErr, tau, tauErr, 1, 0, true, 0, nan, false, start.reducedChiSquare(),
            evaluations, FitStatus.CONVERGED, start.firstLag(), start.lastLag());
        return new Jackknifed(lsq.u, fit, se == null ? 0 : (int) se[errorsAt.length]);
    }

    /**
     * Linearised delete-a-group jackknife of the quasi-likelihood estimate: SE of each component of θ
     * (ln β, ln τ[, ln G]) and, last, the degrees of freedom (replicates used − 1); null when fewer
     * than two replicates or a singular Hessian.
     */
    private static double[] quasiLikelihoodErrors(QuasiLikelihood ql, double[] theta, double gain, int p, int count,
                                                  CorrelationKernel.Workspace correlation,
                                                  Workspace ws) {
        int dim = theta.length;
        double h = 1e-3;
        double[][] hess = new double[dim][dim];
        double f0 = nllAt(ql, theta, gain);
        double[] x = theta.clone();
        for (int i = 0; i < dim; i++) {
            for (int j = i; j < dim; j++) {
                double v;
                if (i == j) {
                    x[i] = theta[i] + h;
                    double fp = nllAt(ql, x, gain);
                    x[i] = theta[i] - h;
                    double fm = nllAt(ql, x, gain);
                    x[i] = theta[i];
                    v = (fp - 2 * f0 + fm) / (h * h);
                } else {
                    double[] s4 = new double[4];
                    int[][] sg = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};
                    for (int c = 0; c < 4; c++) {
                        x[i] = theta[i] + sg[c][0] * h;
                        x[j] = theta[j] + sg[c][1] * h;
                        s4[c] = nllAt(ql, x, gain);
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
        double dtSeconds = ql.frameSeconds();
        for (int r = 0; r < count; r++) {
            int pr = CorrelationKernel.normalisedTwoTimeSums(correlation, r, ws.sums,
                ws.invMean);
            if (pr < 2) {
                continue;
            }
            ql.set(ql.frames(), pr, dtSeconds, ws.sums, ws.invMean);
            double[] grad = new double[dim];
            double gh = 1e-4;
            for (int i = 0; i < dim; i++) {
                x[i] = theta[i] + gh;
                double fp = nllAt(ql, x, gain);
                x[i] = theta[i] - gh;
                double fm = nllAt(ql, x, gain);
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
        double[] se = new double[dim + 1];
        for (int i = 0; i < dim; i++) {
            se[i] = jackknifeError(reps[i], used);
        }
        se[dim] = used - 1;
        return Double.isFinite(se[1]) ? se : null;
    }

    private static double nllAt(QuasiLikelihood ql, double[] x, double gain) {
        return ql.nll(Math.exp(x[0]), Math.exp(x[1]), x.length > 2 ? Math.exp(x[2]) : gain);
    }

    /**
     * A least-squares fit with its linearised-jackknife errors before the status is decided.
     *
     * @param u the fit and what the classification needs
     * @param fit the fit with the jackknife errors (or NaN errors)
     * @param dof the errors' degrees of freedom (replicates − 1); −1 when {@code fit} is final (failed)
     */
    private record Jackknifed(Unclassified u, KwwFit fit, int dof) {
    }

    private Jackknifed jackknife(double[] lagsSeconds, double[] g, double[] stdErr, int[] pairCounts, double[] replicates,
                                 int offset, int count, Workspace ws) {
        Objects.requireNonNull(replicates, "replicates");
        if (count < 0 || offset < 0 || replicates.length < offset + (long) count * lagsSeconds.length) {
            throw new IllegalArgumentException(Checks.format(
                "replicates holds %d values, fewer than offset %d + %d replicates × %d lags",
                replicates.length, offset, count, lagsSeconds.length));
        }
        Unclassified u = fitUnclassified(lagsSeconds, g, stdErr, pairCounts, ws);
        KwwFit full = u.fit;
        if (!full.status().hasParameters()) {
            return new Jackknifed(u, full, -1);
        }
        if (Double.isNaN(full.tauErrorSeconds())) {
            return new Jackknifed(u, full, 0);
        }
        int n = lagsSeconds.length;
        boolean gammaFree = options.gammaFree();
        boolean base = options.baseline();
        int np = options.parameterCount();
        int gi = gammaFree ? 2 : -1;
        int ci = base ? (gammaFree ? 3 : 2) : -1;
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
            double s = t > 0 ? Math.pow(t / tau, gam) : 0;
            double e = Math.exp(-2 * s);
            row[0] = e;
            row[1] = 2 * beta * e * gam * s / tau;
            if (gi >= 0) {
                row[gi] = t > 0 ? -2 * beta * e * s * Math.log(t / tau) : 0;
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
            double nan = Double.NaN;
            return new Jackknifed(u, new KwwFit(beta, nan, tau, nan, gam, gammaFree ? nan : 0, full.gammaFixed(),
                full.baseline(), nan, base, full.reducedChiSquare(), full.iterations(), full.status(), full.firstLag(),
                full.lastLag()), 0);
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
            se[q] = used >= 2 ? jackknifeError(values, used) : Double.NaN;
        }
        return new Jackknifed(u, new KwwFit(beta, se[0], tau, se[1], gam, se[2], full.gammaFixed(), full.baseline(),
            se[3], base, full.reducedChiSquare(), full.iterations(), full.status(), full.firstLag(), full.lastLag()),
            replicatesUsed - 1);
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

    private static double jackknifeError(double[] v, int used) {
        double mean = 0;
        for (int i = 0; i < used; i++) {
            mean += v[i];
        }
        mean /= used;
        double ss = 0;
        for (int i = 0; i < used; i++) {
            double d = v[i] - mean;
            ss += d * d;
        }
        return Math.sqrt((used - 1) * ss / used);
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

    private static double firstPositive(double[] lags) {
        for (double l : lags) {
            if (l > 0) {
                return l;
            }
        }
        return Double.NaN;
    }

    /** Grid over τ with β (and c) by linear least squares; writes ln β, ln τ into q. */
    private static void start(Workspace ws, int m, double tMin, double tMax, double gamma, boolean base, double[] q) {
        double lo = Math.log(tMin / 4);
        double hi = Math.log(tMax * 4);
        double best = Double.POSITIVE_INFINITY;
        double bestBeta = Double.NaN;
        double bestLnTau = 0.5 * (lo + hi);
        double bestC = 0;
        for (int k = 0; k < GRID; k++) {
            double lnTau = lo + (hi - lo) * k / (GRID - 1);
            // Weighted normal equations of y ≈ β e (+ c).
            double see = 0;
            double se1 = 0;
            double s11 = 0;
            double sey = 0;
            double s1y = 0;
            double syy = 0;
            for (int i = 0; i < m; i++) {
                double s = ws.t[i] > 0 ? Math.exp(gamma * (ws.logT[i] - lnTau)) : 0;
                double e = Math.exp(-2 * s);
                double w2 = ws.w[i] * ws.w[i];
                see += w2 * e * e;
                se1 += w2 * e;
                s11 += w2;
                sey += w2 * e * ws.y[i];
                s1y += w2 * ws.y[i];
                syy += w2 * ws.y[i] * ws.y[i];
            }
            double beta;
            double c = 0;
            double ssr;
            if (base) {
                double det = see * s11 - se1 * se1;
                if (!(det > 1e-300)) {
                    continue;
                }
                beta = (sey * s11 - se1 * s1y) / det;
                c = (see * s1y - se1 * sey) / det;
                ssr = syy - beta * sey - c * s1y;
            } else {
                if (!(see > 0)) {
                    continue;
                }
                beta = sey / see;
                ssr = syy - beta * sey;
            }
            if (beta > 0 && ssr < best) {
                best = ssr;
                bestBeta = beta;
                bestLnTau = lnTau;
                bestC = c;
            }
        }
        if (Double.isNaN(bestBeta)) {
            // Nothing decays above the baseline: start small and let the fit report the outcome.
            bestBeta = 1e-3;
        }
        q[0] = Math.log(Math.min(BETA_MAX / 2, Math.max(BETA_MIN * 2, bestBeta)));
        q[1] = bestLnTau;
        if (base) {
            q[q.length - 1] = bestC;
        }
    }

    /** Natural-parameter covariance (JᵀWJ)⁻¹ · scale; false if singular. */
    private static boolean errors(Workspace ws, int m, int np, double beta, double tau, double gam, int gi, int ci,
                                  double scale, double[] err) {
        double[] a = ws.a;
        java.util.Arrays.fill(a, 0, np * np, 0);
        double[] j = ws.jn;
        double lnTau = Math.log(tau);
        for (int i = 0; i < m; i++) {
            double s = ws.t[i] > 0 ? Math.exp(gam * (ws.logT[i] - lnTau)) : 0;
            double e = Math.exp(-2 * s);
            double wi = ws.w[i];
            j[0] = e * wi;
            j[1] = 2 * beta * gam * s * e / tau * wi;
            if (gi >= 0) {
                j[gi] = s == 0 ? 0 : -2 * beta * e * s * (ws.logT[i] - lnTau) * wi;
            }
            if (ci >= 0) {
                j[ci] = wi;
            }
            for (int r = 0; r < np; r++) {
                for (int c = 0; c < np; c++) {
                    a[r * np + c] += j[r] * j[c];
                }
            }
        }
        // Invert by Gauss–Jordan on the small symmetric matrix (np ≤ 4).
        double[] inv = ws.cov;
        if (!invert(a, np, inv)) {
            return false;
        }
        err[0] = Math.sqrt(scale * inv[0]);
        err[1] = Math.sqrt(scale * inv[np + 1]);
        if (gi >= 0) {
            err[2] = Math.sqrt(scale * inv[gi * np + gi]);
        }
        if (ci >= 0) {
            err[3] = Math.sqrt(scale * inv[ci * np + ci]);
        }
        return Double.isFinite(err[0]) && Double.isFinite(err[1]);
    }

    private static boolean invert(double[] a, int n, double[] inv) {
        double[] m = a.clone();
        java.util.Arrays.fill(inv, 0, n * n, 0);
        for (int i = 0; i < n; i++) {
            inv[i * n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r * n + col]) > Math.abs(m[piv * n + col])) {
                    piv = r;
                }
            }
            double p = m[piv * n + col];
            if (!(Math.abs(p) > 0) || !Double.isFinite(p)) {
                return false;
            }
            if (piv != col) {
                for (int c = 0; c < n; c++) {
                    double t = m[col * n + c];
                    m[col * n + c] = m[piv * n + c];
                    m[piv * n + c] = t;
                    t = inv[col * n + c];
                    inv[col * n + c] = inv[piv * n + c];
                    inv[piv * n + c] = t;
                }
            }
            for (int c = 0; c < n; c++) {
                m[col * n + c] /= p;
                inv[col * n + c] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = m[r * n + col];
                    for (int c = 0; c < n; c++) {
                        m[r * n + c] -= f * m[col * n + c];
                        inv[r * n + c] -= f * inv[col * n + c];
                    }
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "KwwFitter[" + options + "]";
    }
}
