/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.engine;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

import org.fivedstem.api.FitStatus;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.QRange;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.fitting.Estimator;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.fitting.Weighting;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measurement (not a test) behind docs/dynamics.md "Estimator": on homogeneous maps of the paper's
 * geometry (every position the same truth, independent speckle), the median |τ̂/τ − 1| of the
 * least-squares fit with uniform weights (the estimator of SciPy's {@code curve_fit} with default
 * arguments, on the same g and window), of the jackknife-weighted least squares (the previous
 * default) and of the quasi-likelihood with the gain known and free; and the fraction of
 * |τ̂ − τ| within 1σ and 2σ of the reported errors. Run with {@code mvn -B -o test -pl fivedstem-core
 * -Dtest=EstimatorMeasurement -Dfivedstem.measure=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "fivedstem.measure", matches = "true")
class EstimatorMeasurement {

    @Test
    void measure() throws IOException {
        double recording = 106 * 9.2;
        int side = Integer.getInteger("fivedstem.side", 20);
        String[] only = System.getProperty("fivedstem.cases", "").isEmpty() ? null
            : System.getProperty("fivedstem.cases").split(",");
        FitOptions base = FitOptions.defaults().withGammaFixed(1);
        FitOptions[] estimators = {base.withWeighting(Weighting.UNIFORM), base,
            base.withEstimator(Estimator.QUASI_LIKELIHOOD).withShotNoiseGain(1),
            base.withEstimator(Estimator.QUASI_LIKELIHOOD)};
        String[] names = {"uniform LS", "jackknife-weighted LS", "QML gain 1", "QML gain free"};
        int c = 0;
        for (double beta : new double[] {0.1, 0.2}) {
            for (double tauT : new double[] {0.05, 0.25, 0.5, 1, 1.5}) {
                for (double dose : new double[] {1, 10, 50}) {
                    c++;
                    if (only != null && !Arrays.asList(only).contains(Integer.toString(c))) {
                        continue;
                    }
                    SpeckleSimulation sim = SpeckleSimulation.builder().scan(side, side).tauMedianSeconds(tauT * recording)
                        .tauSpreadLn(0).betaRange(beta, beta).dose(dose).seed(1000 + c).temperatureKelvin(Double.NaN).build();
                    double truth = tauT * recording;
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "beta %.1f tau/T %.2f dose %4.0f:", beta,
                        tauT, dose));
                    double ref = Double.NaN;
                    for (int e = 0; e < estimators.length; e++) {
                        AnalysisResult r = Analysis.of(sim.dataset()).dynamics(QRange.of(4.2, 4.6), CorrelationOptions.defaults(),
                            estimators[e]).withThreads(2).run();
                        int n = side * side;
                        double[] rel = new double[n];
                        int m = 0;
                        int in1 = 0;
                        int in2 = 0;
                        int withErr = 0;
                        for (int i = 0; i < n; i++) {
                            KwwFit f = r.fit(i / side, i % side);
                            if (!f.status().hasParameters()) {
                                continue;
                            }
                            rel[m++] = Math.abs(f.tauSeconds() / truth - 1);
                            if (f.tauErrorSeconds() > 0) {
                                withErr++;
                                double z = Math.abs(f.tauSeconds() - truth) / f.tauErrorSeconds();
                                in1 += z <= 1 ? 1 : 0;
                                in2 += z <= 2 ? 1 : 0;
                            }
                        }
                        double[] sorted = Arrays.copyOf(rel, m);
                        Arrays.sort(sorted);
                        double med = m == 0 ? Double.NaN : sorted[m / 2];
                        if (e == 0) {
                            ref = med;
                        }
                        line.append(String.format(Locale.ROOT, " | %s %.4f (x%.2f, %d/%d fitted, %d reliable, 1σ %.2f 2σ %.2f, %.1f s)",
                            names[e], med, med / ref, m, n, r.maps().count(FitStatus.CONVERGED),
                            withErr == 0 ? Double.NaN : (double) in1 / withErr, withErr == 0 ? Double.NaN : (double) in2 / withErr,
                            r.seconds()));
                    }
                    System.out.println(line);
                }
            }
        }
    }
}
