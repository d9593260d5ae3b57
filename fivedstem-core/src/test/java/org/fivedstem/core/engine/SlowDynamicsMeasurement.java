/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.engine;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.QRange;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measurement (not a test) behind docs/dynamics.md "Slow dynamics": per τ/T bin of the true map,
 * what the engine's default analysis reports on the paper's geometry, for heterogeneous maps whose
 * median τ is a given fraction of the recording. Run with
 * {@code mvn -B -o test -pl fivedstem-core -am -Dtest=SlowDynamicsMeasurement -Dfivedstem.measure=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "fivedstem.measure", matches = "true")
class SlowDynamicsMeasurement {

    @Test
    void measure() throws IOException {
        double recording = 106 * 9.2;
        double[] edges = {0, 0.25, 0.5, 1, 1.5, 2, 3, 5, 1e9};
        boolean qml = Boolean.getBoolean("fivedstem.qml");
        FitOptions fo = FitOptions.defaults().withGammaFixed(1);
        if (qml) {
            fo = fo.withEstimator(org.fivedstem.core.fitting.Estimator.QUASI_LIKELIHOOD);
        }
        double[] doses = qml ? new double[] {10, 1} : new double[] {10, 2};
        for (double dose : doses) {
            for (double median : new double[] {0.5, 1.5, 3}) {
                SpeckleSimulation sim = SpeckleSimulation.builder().scan(30, 30).tauMedianSeconds(median * recording)
                    .tauSpreadLn(0.8).dose(dose).seed(41 + (long) (median * 10)).temperatureKelvin(Double.NaN).build();
                Dataset5D ds = sim.dataset();
                AnalysisResult r = Analysis.of(ds).dynamics(QRange.of(4.2, 4.6), CorrelationOptions.defaults(), fo)
                    .withThreads(2).run();
                HeterogeneityMaps m = r.maps();
                double[] lo68 = org.fivedstem.core.statistics.TauIntervals.of(m, 0.6827).lowerSeconds().values();
                double[] hi68 = org.fivedstem.core.statistics.TauIntervals.of(m, 0.6827).upperSeconds().values();
                double[] lo95 = org.fivedstem.core.statistics.TauIntervals.of(m, 0.9545).lowerSeconds().values();
                double[] hi95 = org.fivedstem.core.statistics.TauIntervals.of(m, 0.9545).upperSeconds().values();
                double[] truth = sim.tauSeconds().values();
                System.out.printf(Locale.ROOT, "%n== dose %s, median tau/T %s: %s%n", dose, median, m);
                System.out.printf(Locale.ROOT, "%-10s %5s %5s %5s %5s %5s | %6s %6s %6s | %6s %6s %6s | %6s | %6s %6s%n", "tau/T",
                    "n", "conv", "slow", "noC", "fail", "rel25", "rel50", "rel75", "in1s", "in2s", "zmean", "|dlnt|",
                    "ci68", "ci95");
                for (int b = 0; b + 1 < edges.length; b++) {
                    int n = 0;
                    int[] st = new int[9];
                    double[] rel = new double[truth.length];
                    int nr = 0;
                    int in1 = 0;
                    int in2 = 0;
                    double zs = 0;
                    double[] dl = new double[truth.length];
                    int nci = 0;
                    int in68 = 0;
                    int in95 = 0;
                    for (int y = 0; y < 30; y++) {
                        for (int x = 0; x < 30; x++) {
                            double t = truth[y * 30 + x];
                            if (!(t / recording >= edges[b] && t / recording < edges[b + 1])) {
                                continue;
                            }
                            n++;
                            KwwFit f = r.fit(y, x);
                            int i = y * 30 + x;
                            if (Double.isFinite(lo68[i])) {
                                nci++;
                                in68 += t >= lo68[i] && t <= hi68[i] ? 1 : 0;
                                in95 += t >= lo95[i] && t <= hi95[i] ? 1 : 0;
                            }
                            st[f.status().code()]++;
                            if (f.status().hasParameters() && f.tauErrorSeconds() > 0) {
                                rel[nr] = f.tauErrorSeconds() / f.tauSeconds();
                                double z = (f.tauSeconds() - t) / f.tauErrorSeconds();
                                dl[nr] = Math.abs(Math.log(f.tauSeconds() / t));
                                nr++;
                                in1 += Math.abs(z) <= 1 ? 1 : 0;
                                in2 += Math.abs(z) <= 2 ? 1 : 0;
                                zs += z;
                            }
                        }
                    }
                    if (n == 0) {
                        continue;
                    }
                    double[] rs = Arrays.copyOf(rel, nr);
                    Arrays.sort(rs);
                    double[] ds2 = Arrays.copyOf(dl, nr);
                    Arrays.sort(ds2);
                    System.out.printf(Locale.ROOT, "%4.2f-%-5.2f %5d %5d %5d %5d %5d | %6.3f %6.3f %6.3f | %6.3f %6.3f %6.2f | %6.3f | %6.3f %6.3f%n",
                        edges[b], Math.min(edges[b + 1], 99), n, st[FitStatus.CONVERGED.code()],
                        st[FitStatus.UNRESOLVED_SLOW.code()], st[FitStatus.NO_CONTRAST.code()],
                        n - st[0] - st[2] - st[8] - st[1], q(rs, 0.25), q(rs, 0.5), q(rs, 0.75),
                        nr == 0 ? Double.NaN : (double) in1 / nr, nr == 0 ? Double.NaN : (double) in2 / nr,
                        nr == 0 ? Double.NaN : zs / nr, q(ds2, 0.5), nci == 0 ? Double.NaN : (double) in68 / nci,
                        nci == 0 ? Double.NaN : (double) in95 / nci);
                }
            }
        }
    }

    private static double q(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }
}
