/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.benchmarks;

import java.util.concurrent.TimeUnit;

import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.internal.KwwModel;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.fitting.KwwFitter;
import org.fivedstem.core.fitting.internal.LevenbergMarquardt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * KWW fits per second on a typical curve (105 lags, β = 0.3, τ = 25 frames, γ = 0.8, Gaussian noise
 * of 0.005, weights 1/SE², γ free): fivedstem's hand-written Levenberg–Marquardt (including its
 * 16-point grid for starting values) against Commons Math 3's {@code LevenbergMarquardtOptimizer}
 * with the same analytic Jacobian and parameterisation, started from a good guess (no grid).
 * Run:
 * <pre>
 *   java -jar fivedstem-benchmarks/target/fivedstem-benchmarks.jar FitBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FitBenchmark {

    private double[] lags;
    private double[] g;
    private double[] se;
    private int[] pairs;
    private KwwFitter fitter;
    private KwwFitter.Workspace ws;

    /** Builds the noisy curve. */
    @Setup
    public void setUp() {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(7L);
        ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
        int n = 106;
        lags = new double[n];
        g = new double[n];
        se = new double[n];
        pairs = new int[n];
        for (int k = 0; k < n; k++) {
            lags[k] = k;
            se[k] = 0.005;
            pairs[k] = n - k;
            g[k] = KwwModel.g(k, 0.3, 25.0, 0.8, 0) + se[k] * z.sample();
        }
        fitter = KwwFitter.of(FitOptions.defaults().withLags(1, 105));
        ws = KwwFitter.newWorkspace();
    }

    /** @return τ */
    @Benchmark
    public double handWritten() {
        KwwFit f = fitter.fit(lags, g, se, pairs, ws);
        return f.tauSeconds();
    }

    private final LevenbergMarquardt lm = new LevenbergMarquardt();
    private final double[] x = new double[3];
    private static final double[] LOWER = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    private static final double[] UPPER = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};

    /**
     * The hand-written Levenberg–Marquardt alone, on exactly {@link #commonsMath()}'s problem (weighted
     * residuals of β, ln τ, γ over lags 1–105) from the same start: the like-for-like comparison of the two
     * optimisers. {@link #handWritten()} is the whole fitter (start grid, covariance, status tests).
     *
     * @return τ
     */
    @Benchmark
    public double handWrittenFromStart() {
        x[0] = Math.log(0.25);
        x[1] = Math.log(30);
        x[2] = 1;
        lm.minimize((p, r, jac) -> {
            double beta = Math.exp(p[0]);
            for (int i = 0; i < 105; i++) {
                double lt = Math.log(lags[i + 1]);
                double s = KwwModel.stretchFromLogs(lt, p[1], p[2]);
                double be = beta * KwwModel.decay(s);
                double w = 1 / se[i + 1];
                r[i] = (g[i + 1] - 1 - be) * w;
                if (jac != null) {
                    jac[3 * i] = be * w;
                    jac[3 * i + 1] = KwwModel.dLnTau(p[2], s, be) * w;
                    jac[3 * i + 2] = KwwModel.dGammaOfBetaE(lags[i + 1], be, s, lt - p[1]) * w;
                }
            }
        }, 105, x, LOWER, UPPER);
        return Math.exp(x[1]);
    }

    /** @return τ */
    @Benchmark
    public double commonsMath() {
        int m = 105;
        double[] target = new double[m];
        double[] weights = new double[m];
        for (int i = 0; i < m; i++) {
            target[i] = g[i + 1] - 1;
            weights[i] = 1 / (se[i + 1] * se[i + 1]);
        }
        MultivariateJacobianFunction model = point -> {
            double lnBeta = point.getEntry(0);
            double lnTau = point.getEntry(1);
            double gam = point.getEntry(2);
            double beta = Math.exp(lnBeta);
            RealVector value = new ArrayRealVector(m);
            double[][] jac = new double[m][3];
            for (int i = 0; i < m; i++) {
                double lt = Math.log(lags[i + 1]);
                double s = KwwModel.stretchFromLogs(lt, lnTau, gam);
                double be = beta * KwwModel.decay(s);
                value.setEntry(i, be);
                jac[i][0] = be;
                jac[i][1] = KwwModel.dLnTau(gam, s, be);
                jac[i][2] = KwwModel.dGammaOfBetaE(lags[i + 1], be, s, lt - lnTau);
            }
            return new Pair<>(value, new Array2DRowRealMatrix(jac, false));
        };
        LeastSquaresOptimizer.Optimum opt = new LevenbergMarquardtOptimizer().optimize(new LeastSquaresBuilder()
            .model(model).target(target).weight(new org.apache.commons.math3.linear.DiagonalMatrix(weights))
            .start(new double[] {Math.log(0.25), Math.log(30), 1}).maxEvaluations(1000).maxIterations(1000).build());
        return Math.exp(opt.getPoint().getEntry(1));
    }
}
