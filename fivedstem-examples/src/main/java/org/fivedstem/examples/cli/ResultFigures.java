/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.Estimate;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.QRange;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.engine.AnalysisSettings;
import org.fivedstem.io.figures.CorrelationFigure;
import org.fivedstem.io.figures.MapFigure;
import org.fivedstem.io.figures.ProfileFigure;
import org.fivedstem.io.figures.ScatterFigure;
import org.fivedstem.io.results.SavedAnalysis;

/**
 * The standard figures of one analysed recording: {@code tau.png} (reliable τ, log colour),
 * {@code V.png}, {@code scatter.png} (τ–V with ρ and p), {@code g.png} (g(t) with error bars and
 * the KWW fit at the fastest, median and slowest reliable positions) and, when the analysis kept V
 * per Q ring, {@code profile.png} (scan-averaged V(Q)).
 */
final class ResultFigures {

    private ResultFigures() {
    }

    /**
     * @param dir the folder (created if missing)
     * @param results maps, curves and metadata
     * @return the files written
     * @throws IOException if a figure cannot be written
     */
    static List<Path> write(Path dir, SavedAnalysis results) throws IOException {
        return write(dir, results, results.curves().map(c -> (Curves) c::curve).orElse(null));
    }

    /** Where the figures find a position's g(t): the results in memory, or the results file read back. */
    @FunctionalInterface
    interface Curves {
        CorrelationCurve at(int y, int x) throws IOException;
    }

    /**
     * @param dir the folder (created if missing)
     * @param results maps and metadata
     * @param curves where g(t) comes from, or {@code null} for none (no {@code g.png})
     * @return the files written
     * @throws IOException if a figure cannot be written or a curve read
     */
    static List<Path> write(Path dir, SavedAnalysis results, Curves curves) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        HeterogeneityMaps maps = results.maps();
        AnalysisSettings settings = results.settings();
        OptionalDouble kelvin = settings.calibration().temperatureKelvin();
        String at = kelvin.isEmpty() ? "" : Checks.format(", %.0f K", kelvin.getAsDouble());
        ScalarMap tau = maps.reliableTauSeconds();
        if (maps.hasDynamics()) {
            Path p = dir.resolve("tau.png");
            MapFigure.of(tau).withLogScale(true).withTitle("relaxation time τ" + at + " (grey: no reliable fit)")
                .withColourBarLabel("τ (s)").writePng(p);
            written.add(p);
        }
        if (maps.hasStructure()) {
            AnalysisSettings.Structure structure = settings.structure().orElseThrow();
            Path p = dir.resolve("V.png");
            MapFigure.of(maps.speckleVariance()).withTitle("speckle variance V" + at + ", " + structure.range() + ", "
                + AnalysisResult.shotNoiseNote(structure.shotNoiseGainAduPerElectron()))
                .withColourBarLabel("V").writePng(p);
            written.add(p);
        }
        if (maps.hasDynamics() && maps.hasStructure()) {
            Path p = dir.resolve("scatter.png");
            RankCorrelation rho = results.spearman().orElse(null);
            ScatterFigure.of(tau, maps.speckleVariance(), rho == null || Double.isNaN(rho.rho()) ? null : rho)
                .withTitle("structure–dynamics relation" + at).writePng(p);
            written.add(p);
        }
        if (maps.hasDynamics() && curves != null) {
            AnalysisSettings.Dynamics dynamics = settings.dynamics().orElseThrow();
            CorrelationFigure f = curves(maps, curves, dynamics);
            if (f != null) {
                Path p = dir.resolve("g.png");
                f.withTitle("intensity autocorrelation g(t)" + at + ", " + dynamics.range()).writePng(p);
                written.add(p);
            }
        }
        if (results.profiles().isPresent() && results.profiles().get().binCount() > 1) {
            QRange[] rings = results.profiles().get().bins();
            double[] q = new double[rings.length];
            for (int i = 0; i < q.length; i++) {
                q[i] = rings[i].centerInverseNm();
            }
            Path p = dir.resolve("profile.png");
            ProfileFigure.of(q, results.profiles().get().meanProfile(), null)
                .withTitle("scan-averaged speckle variance V(Q)" + at).writePng(p);
            written.add(p);
        }
        return written;
    }

    /** g(t) with its fit at the positions of smallest, median and largest reliable τ. */
    private static CorrelationFigure curves(HeterogeneityMaps maps, Curves curves, AnalysisSettings.Dynamics dynamics)
        throws IOException {
        List<int[]> reliable = new ArrayList<>();
        for (int y = 0; y < maps.scanY(); y++) {
            for (int x = 0; x < maps.scanX(); x++) {
                if (maps.fitStatus(y, x).isReliable()) {
                    reliable.add(new int[] {y, x});
                }
            }
        }
        if (reliable.isEmpty()) {
            return null;
        }
        ScalarMap tau = maps.tauSeconds();
        reliable.sort((a, b) -> Double.compare(tau.get(a[0], a[1]), tau.get(b[0], b[1])));
        int[][] chosen = {reliable.get(0), reliable.get(reliable.size() / 2), reliable.get(reliable.size() - 1)};
        String[] names = {"fastest", "median", "slowest"};
        CorrelationFigure f = null;
        for (int i = 0; i < chosen.length; i++) {
            if (i > 0 && chosen[i] == chosen[i - 1]) {
                continue;
            }
            int y = chosen[i][0];
            int x = chosen[i][1];
            CorrelationCurve c = curves.at(y, x);
            KwwFit.Builder b = KwwFit.builder(FitStatus.CONVERGED, dynamics.firstLag(), Math.min(dynamics.lastLag(), c.lagCount() - 1))
                .beta(new Estimate(maps.beta().get(y, x), maps.betaError().get(y, x)))
                .tauSeconds(new Estimate(tau.get(y, x), maps.tauErrorSeconds().get(y, x)));
            KwwFit fit = (dynamics.fit().gammaFree() ? b.gamma(new Estimate(maps.gamma().get(y, x), maps.gammaError().get(y, x)))
                : b.gammaFixed(maps.gamma().get(y, x))).build();
            String label = Checks.format("%s (%d, %d)", names[i], y, x);
            f = f == null ? CorrelationFigure.of(label, c, fit) : f.with(label, c, fit);
        }
        return f;
    }
}
