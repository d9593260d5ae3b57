/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.PoissonSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.QRange;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.Correlator;
import org.fivedstem.core.simulation.HaloProfile;
import org.fivedstem.core.simulation.Replicates;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The measurement behind docs/dynamics.md, "No significant decay": for contrast-free and for
 * decaying simulated positions, how many fits are reported {@code CONVERGED} without the decay
 * test and with it at levels 0.01, 0.001 and 0.0001, and how many converged fits each level
 * flags. Prints Markdown table rows. Not part of the suite (≈ 25 min); run with
 * {@code mvn -B -o test -pl fivedstem-core -am -Dtest=NoContrastMeasurement -Dfivedstem.measure=true
 * -Dsurefire.failIfNoSpecifiedTests=false}. The assertions on these rates are in {@link NoContrastTest}.
 *
 * <p>The decay test's p-value is recomputed here from each fit (decay test off) so that one fit
 * serves all three levels; {@link NoContrastTest} checks that this F test is exactly the fitter's.
 */
@EnabledIfSystemProperty(named = "fivedstem.measure", matches = "true")
class NoContrastMeasurement {
    static final int FRAMES = 106;
    static final int K = 20;

    static SpeckleSimulation.Builder base(int side, double tau, double beta, double gamma, double dose) {
        return Replicates.constant(side, side, FRAMES, K, tau, beta, gamma).pixelSizeInverseNm(0.4).dose(dose);
    }

    static AnnulusMask ann(SpeckleSimulation sim) {
        return AnnulusMask.of(sim.dataset(), QRange.of(0.8, 3.6));
    }

    /**
     * Per position: {status code without the decay test, amplitude of the fitted decay shape over
     * its exact jackknife error, the same over its independent-lag error, F, β̂ over its jackknife
     * error, τ̂, F's degrees of freedom d1, d2}.
     */
    static List<double[]> run(double[][] series, int pixels, FitOptions fo) {
        CorrelationOptions co = CorrelationOptions.defaults();
        int blocks = CorrelationKernel.replicateCount(co, FRAMES);
        CorrelationKernel.Workspace cw = CorrelationKernel.newWorkspace();
        KwwFitter.Workspace fw = KwwFitter.newWorkspace();
        KwwFitter f = KwwFitter.of(fo.withDecayTestLevel(1));
        double[] lags = Correlator.lagsSeconds(FRAMES, 1.0);
        List<double[]> out = new ArrayList<>();
        for (double[] s : series) {
            double[] g = new double[FRAMES];
            double[] se = new double[FRAMES];
            int[] pairs = new int[FRAMES];
            double[] reps = new double[blocks * FRAMES];
            CorrelationKernel.correlate(s, FRAMES, pixels, new int[pixels], 1, co, cw, g, se, pairs, new int[1], reps);
            KwwFit fit = f.fitJackknife(lags, g, se, pairs, reps, 0, blocks, fw);
            double[] r = new double[8];
            Arrays.fill(r, Double.NaN);
            r[0] = fit.status().code();
            if (fit.status().hasParameters()) {
                int a = fit.firstLag();
                int b = fit.lastLag();
                int m = b - a + 1;
                double sw = 0;
                double swe = 0;
                double sy = 0;
                double[] e = new double[m];
                double[] w2 = new double[m];
                for (int k = a; k <= b; k++) {
                    double t = lags[k];
                    e[k - a] = Math.exp(-2 * Math.pow(t / fit.tauSeconds(), fit.gamma()));
                    w2[k - a] = 1 / (se[k] * se[k]);
                    sw += w2[k - a];
                    swe += w2[k - a] * e[k - a];
                    sy += w2[k - a] * (g[k] - 1);
                }
                double em = swe / sw;
                double ym = sy / sw;
                double see = 0;
                double sey = 0;
                double ssr0 = 0;
                for (int k = a; k <= b; k++) {
                    double de = e[k - a] - em;
                    see += w2[k - a] * de * de;
                    sey += w2[k - a] * de * (g[k] - 1);
                    ssr0 += w2[k - a] * (g[k] - 1 - ym) * (g[k] - 1 - ym);
                }
                double amp = sey / see;
                double[] ab = new double[blocks];
                for (int rr = 0; rr < blocks; rr++) {
                    double sy2 = 0;
                    double sey2 = 0;
                    for (int k = a; k <= b; k++) {
                        double v = reps[rr * FRAMES + k];
                        if (Double.isNaN(v)) {
                            v = g[k];
                        }
                        sy2 += w2[k - a] * (v - 1);
                    }
                    double ym2 = sy2 / sw;
                    for (int k = a; k <= b; k++) {
                        double v = reps[rr * FRAMES + k];
                        if (Double.isNaN(v)) {
                            v = g[k];
                        }
                        sey2 += w2[k - a] * (e[k - a] - em) * (v - 1);
                    }
                    ab[rr] = sey2 / see;
                }
                double mean = 0;
                for (double v : ab) {
                    mean += v;
                }
                mean /= blocks;
                double ss = 0;
                for (double v : ab) {
                    ss += (v - mean) * (v - mean);
                }
                double sjk = Math.sqrt((blocks - 1) * ss / blocks);
                int np = fo.parameterCount();
                double ssr1 = fit.reducedChiSquare() * (m - np);
                r[1] = amp / sjk;
                r[2] = amp * Math.sqrt(see);
                r[3] = ((ssr0 - ssr1) / (np - 1)) / (ssr1 / (m - np));
                r[4] = fit.beta() / fit.betaError();
                r[5] = fit.tauSeconds();
                r[6] = np - 1;
                r[7] = m - np;
            }
            out.add(r);
        }
        return out;
    }

    static double[][] poisson(int n, int pixels, double dose, long seed) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        PoissonSampler ps = new PoissonSampler(rng, dose);
        double[][] out = new double[n][FRAMES * pixels];
        for (double[] s : out) {
            for (int i = 0; i < s.length; i++) s[i] = ps.sample();
        }
        return out;
    }

    static double q(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        if (s.length == 0) return Double.NaN;
        return s[Math.min(s.length - 1, (int) Math.floor(p * s.length))];
    }

    static final double[] LEVELS = {0.01, 0.001, 1e-4};

    static int newStatus(double[] r, double alpha) {
        int old = (int) r[0];
        if (old == 0 || old == 1) {
            double f = r[3];
            double d1 = r[6];
            double d2 = r[7];
            double p = !(f > 0) ? 1 : org.apache.commons.numbers.gamma.RegularizedBeta.complement(d1 * f / (d1 * f + d2), 0.5 * d1, 0.5 * d2);
            if (!(p <= alpha)) {
                return 8;
            }
        }
        return old;
    }

    static void report(String name, List<double[]> rs, double tauTrue) {
        int n = rs.size();
        int conv = 0;
        int[] convNew = new int[LEVELS.length];
        int[] flaggedConv = new int[LEVELS.length];
        List<Double> rel = new ArrayList<>();
        for (double[] r : rs) {
            if (r[0] == 0) {
                conv++;
                rel.add(Math.abs(r[5] / tauTrue - 1));
            }
            for (int i = 0; i < LEVELS.length; i++) {
                int st = newStatus(r, LEVELS[i]);
                if (st == 0) convNew[i]++;
                if (r[0] == 0 && st == 8) flaggedConv[i]++;
            }
        }
        double[] rela = rel.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.println(String.format(Locale.ROOT,
            "| %s | %d | %d | %.2f | %d / %d / %d | %d / %d / %d |",
            name, n, conv, rela.length == 0 ? Double.NaN : q(rela, 0.5), convNew[0], convNew[1], convNew[2],
            flaggedConv[0], flaggedConv[1], flaggedConv[2]));
    }

    static FitOptions fixed() { return FitOptions.defaults().withGammaFixed(1); }
    static FitOptions free() { return FitOptions.defaults().withGammaFree(); }

    @Test
    void nulls() throws IOException {
        int side = 30;
        for (double dose : new double[] {1, 20}) {
            SpeckleSimulation sim = base(side, 0.01, 0.2, 1, dose).seed(11).build();
            AnnulusMask a = ann(sim);
            double[][] s = Replicates.series(sim, a.pixelIndices());
            report("null uncorrelated speckle dose " + dose + " fixed", run(s, a.pixelCount(), fixed()), 1);
            report("null uncorrelated speckle dose " + dose + " free", run(s, a.pixelCount(), free()), 1);
            report("null uncorrelated speckle dose " + dose + " fixed+c", run(s, a.pixelCount(), fixed().withBaseline(true)), 1);
            double[][] p = poisson(side * side, a.pixelCount(), dose, 5);
            report("null poisson dose " + dose + " fixed", run(p, a.pixelCount(), fixed()), 1);
            report("null poisson dose " + dose + " free", run(p, a.pixelCount(), free()), 1);
            SpeckleSimulation h = base(side, 0.01, 0.2, 1, dose).halo(HaloProfile.gaussianRing(2.0, 0.6, 0.1)).seed(12).build();
            double[][] hs = Replicates.series(h, a.pixelIndices());
            System.out.println("kappa " + h.kappa(a));
            report("null uneven halo dose " + dose + " fixed", run(hs, a.pixelCount(), fixed()), 1);
            report("null uneven halo dose " + dose + " free", run(hs, a.pixelCount(), free()), 1);
            report("null uneven halo dose " + dose + " fixed+c", run(hs, a.pixelCount(), fixed().withBaseline(true)), 1);
        }
    }

    @Test
    void resolvable() throws IOException {
        int side = 10;
        long seed = 100;
        for (double dose : new double[] {1, 20}) {
            for (double beta : new double[] {0.01, 0.05, 0.2}) {
                for (double tau : new double[] {2, 5, 20, 100}) {
                    for (double gamma : new double[] {1, 0.6, 1.5}) {
                        SpeckleSimulation sim = base(side, tau, beta, gamma, dose).seed(seed++).build();
                        AnnulusMask a = ann(sim);
                        double[][] s = Replicates.series(sim, a.pixelIndices());
                        String nm = String.format(Locale.ROOT, "D %.0f b %.2f tau %.0f g %.1f", dose, beta, tau, gamma);
                        if (gamma == 1) {
                            report(nm + " fixed", run(s, a.pixelCount(), fixed()), tau);
                        }
                        report(nm + " free", run(s, a.pixelCount(), free()), tau);
                    }
                }
            }
        }
    }
}
