/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.Normalisation;
import org.fivedstem.api.QRange;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.core.correlation.CorrelationAlgorithm;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.StdErrMethod;
import org.fivedstem.core.engine.Analysis;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.engine.AnalysisSettings;
import org.fivedstem.core.fitting.Estimator;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.fitting.Weighting;
import org.fivedstem.core.preparation.DriftTrajectory.Resampling;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.testing.Fixtures;
import org.fivedstem.io.testing.H5py;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResultsFileTest {

    @TempDir
    Path dir;

    /** Random maps with every fit status, NaN for failed fits and some invalid V, random curves with NaN. */
    static SavedAnalysis random(UniformRandomProvider rng, boolean withCurves, boolean gammaFree) {
        int sy = 1 + rng.nextInt(7);
        int sx = 1 + rng.nextInt(7);
        HeterogeneityMaps.Builder b = HeterogeneityMaps.builder(sy, sx, 0.16, 0.2).temperatureKelvin(rng.nextBoolean() ? 633 : Double.NaN);
        FitStatus[] all = FitStatus.values();
        for (int y = 0; y < sy; y++) {
            for (int x = 0; x < sx; x++) {
                FitStatus s = all[rng.nextInt(all.length)];
                KwwFit f = s.hasParameters()
                    ? new KwwFit(rng.nextDouble(0.01, 0.3), rng.nextDouble() * 0.01, rng.nextDouble(1, 1000), rng.nextDouble(),
                        gammaFree ? rng.nextDouble(0.3, 2) : 1.5, gammaFree ? rng.nextDouble() * 0.1 : 0, !gammaFree,
                        0, 0, false, rng.nextDouble(0.5, 2), rng.nextInt(100), s, 1, 40,
                        s.isCensored() ? rng.nextDouble(200, 900) : Double.NaN)
                    : KwwFit.failed(s, !gammaFree, false, rng.nextInt(100), 1, 40);
                b.fit(y, x, f);
                b.speckleVariance(y, x, rng.nextInt(5) == 0 ? Double.NaN : rng.nextDouble(0.1, 3));
            }
        }
        HeterogeneityMaps maps = b.tauErrorDegreesOfFreedom(rng.nextInt(0, 20)).build();
        ResultCurves curves = null;
        if (withCurves) {
            int lags = 1 + rng.nextInt(12);
            double[] lag = new double[lags];
            for (int i = 0; i < lags; i++) {
                lag[i] = i * 9.2;
            }
            double[] g = new double[sy * sx * lags];
            double[] e = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = rng.nextInt(20) == 0 ? Double.NaN : 1 + rng.nextDouble() * 0.3;
                e[i] = rng.nextInt(20) == 0 ? Double.NaN : rng.nextDouble() * 0.01;
            }
            curves = ResultCurves.of(sy, sx, lag, g, e);
        }
        AnalysisSettings settings = randomSettings(rng, maps, gammaFree);
        RankCorrelation rho = rng.nextBoolean() ? null : new RankCorrelation(rng.nextDouble(-1, 1), rng.nextInt(2, 50),
            rng.nextDouble(), "asymptotic", -0.5, 0.5, 0.95, rng.nextBoolean() ? Double.NaN : rng.nextDouble(),
            rng.nextDouble(2, 20), "toroidal shifts");
        Provenance provenance = Provenance.of("scan ü.h5").withDataset("/data").withAxes(AxisOrder.parse("y,x,t,ky,kx"))
            .withBin(4).withCrop(2, 2 + sy, 0, sx).withSoftwareVersion("0.1.0-SNAPSHOT")
            .withCreated(Instant.parse("2026-03-01T12:34:56.789Z"))
            // the engine is recorded only when it is not the single-machine one
            .withEngine(rng.nextBoolean() ? "" : "spark 4.2.0, master local[2], 4 partitions");
        SavedAnalysis saved = SavedAnalysis.of(maps, curves, settings, rho, provenance);
        if (rng.nextBoolean()) {
            int bins = 1 + rng.nextInt(8);
            QRange[] q = QRange.of(2, 6).split(bins);
            double[] v = new double[sy * sx * bins];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextInt(10) == 0 ? Double.NaN : rng.nextDouble(0.1, 3);
            }
            saved = saved.withProfiles(ResultProfiles.of(sy, sx, q, v));
        }
        return saved;
    }

    /** Every option a results file stores, drawn at random within its valid range. */
    static AnalysisSettings randomSettings(UniformRandomProvider rng, HeterogeneityMaps maps, boolean gammaFree) {
        Calibration.Builder cal = Calibration.builder().scanStepNm(0.16, 0.2).pixelSizeInverseNm(0.92).centerPx(7.125, 8.375)
            .temperatureKelvin(maps.temperatureKelvin().orElse(Double.NaN));
        if (rng.nextBoolean()) {
            cal.frameIntervalSeconds(9.2);
        } else {
            cal.timestampsSeconds(new double[] {0, 9.1, 18.4, 27.5});
        }
        if (rng.nextBoolean()) {
            cal.ellipticalDistortion(rng.nextDouble(1, 1.1), rng.nextDouble(-1.5, 1.5));
        }
        StdErrMethod[] methods = StdErrMethod.values();
        CorrelationAlgorithm[] algorithms = CorrelationAlgorithm.values();
        CorrelationOptions co = CorrelationOptions.defaults()
            .withNormalisation(rng.nextBoolean() ? Normalisation.ENSEMBLE : Normalisation.SYMMETRIC)
            .withStdErrMethod(methods[rng.nextInt(methods.length)]).withJackknifeBlocks(rng.nextInt(2, 20))
            .withFactorialLag0(rng.nextBoolean()).withAlgorithm(algorithms[rng.nextInt(algorithms.length)]);
        Weighting[] weightings = Weighting.values();
        FitOptions fo = FitOptions.defaults().withBaseline(rng.nextBoolean()).withWeighting(weightings[rng.nextInt(weightings.length)])
            .withGammaBounds(rng.nextDouble(0.1, 0.5), rng.nextDouble(2, 4)).withMaxIterations(rng.nextInt(50, 500))
            .withSlowLimitFraction(rng.nextDouble(1, 20)).withDecayTestLevel(rng.nextDouble(0.001, 1))
            .withMaxRelativeTauError(rng.nextDouble(0.1, 1))
            .withEstimator(rng.nextBoolean() ? Estimator.LEAST_SQUARES : Estimator.QUASI_LIKELIHOOD);
        fo = gammaFree ? fo.withGammaFree() : fo.withGammaFixed(1.5);
        fo = rng.nextBoolean() ? fo.withLags(1, 40) : fo.withDefaultLags();
        if (rng.nextBoolean()) {
            fo = fo.withShotNoiseGain(rng.nextDouble(0.5, 8));
        }
        return AnalysisSettings.builder(cal.build())
            .dynamics(new AnalysisSettings.Dynamics(QRange.of(3.5, 4.5), 120, co, fo, 1, 40,
                rng.nextBoolean() ? Estimator.LEAST_SQUARES : Estimator.QUASI_LIKELIHOOD))
            .structure(new AnalysisSettings.Structure(QRange.of(2, 6), 800, rng.nextBoolean() ? Double.NaN : rng.nextDouble(0.5, 8)))
            .pooling(1 + 2 * rng.nextInt(0, 3))
            .build();
    }

    static Stream<Arguments> cases() {
        return SeededCases.of(0x2E5017L, 12, rng -> new Object[] {rng.nextBoolean(), rng.nextBoolean()});
    }

    @ParameterizedTest(name = "seed {0}: curves {1}, gamma free {2}")
    @MethodSource("cases")
    void roundTripIsExact(long seed, boolean withCurves, boolean gammaFree) throws IOException {
        SavedAnalysis r = random(SeededCases.rng(seed), withCurves, gammaFree);
        Path file = dir.resolve("maps.h5");
        ResultsFile.write(file, r);
        SavedAnalysis back = ResultsFile.read(file);
        assertEquals(r.maps(), back.maps());
        assertEquals(r.curves(), back.curves());
        assertEquals(r.profiles(), back.profiles());
        assertEquals(r.settings(), back.settings());
        assertEquals(r.spearman(), back.spearman());
        assertEquals(r.provenance(), back.provenance());
        assertEquals(Set.of(), back.unrecordedSettings(), "this version records every setting");
        assertEquals(r, back);
    }

    @Test
    void settingDifferencesNameEachSettingWithBothValuesButNotTheFrameInterval() {
        SavedAnalysis a0 = random(SeededCases.rng(5), false, false);
        AnalysisSettings s0 = a0.settings();
        AnalysisSettings.Dynamics d0 = s0.dynamics().orElseThrow();
        CorrelationOptions co = d0.correlation().withNormalisation(Normalisation.ENSEMBLE)
            .withStdErrMethod(StdErrMethod.PIXEL_GROUP_JACKKNIFE);
        AnalysisSettings s = AnalysisSettings.builder(s0.calibration())
            .dynamics(new AnalysisSettings.Dynamics(d0.range(), d0.pixelCount(), co, d0.fit().withGammaFixed(1), 1, 40,
                Estimator.LEAST_SQUARES))
            .structure(new AnalysisSettings.Structure(QRange.of(2, 6), 800, Double.NaN)).build();
        SavedAnalysis a = SavedAnalysis.of(a0.maps(), null, s, null, a0.provenance());
        assertEquals(List.of(), a.settingDifferences(a));
        // The paper's series: 9.2 s and 4.8 s frames, different crops, centres and temperatures — comparable.
        Calibration other = s0.calibration().withFrameIntervalSeconds(4.8).withCenterPx(3, 4).withTemperatureKelvin(673);
        SavedAnalysis b = SavedAnalysis.of(a0.maps(), null, AnalysisSettings.builder(other).dynamics(s.dynamics().orElseThrow())
            .structure(s.structure().orElseThrow()).build(), null, a0.provenance().withCrop(0, 5, 0, 5));
        assertEquals(List.of(), a.settingDifferences(b));
        AnalysisSettings all = AnalysisSettings.builder(s0.calibration().withPixelSizeInverseNm(0.46))
            .dynamics(new AnalysisSettings.Dynamics(QRange.of(4.0, 4.4), 10, co.withNormalisation(Normalisation.SYMMETRIC)
                .withStdErrMethod(StdErrMethod.FRAME_BLOCK_JACKKNIFE), d0.fit().withGammaFree(), 1, 40, Estimator.LEAST_SQUARES))
            .structure(new AnalysisSettings.Structure(QRange.of(3, 5.8), 10, 1)).pooling(3).build();
        SavedAnalysis c = SavedAnalysis.of(a0.maps(), null, all, null, a0.provenance().withBin(2));
        assertEquals(List.of("dynamics Q range (dyn_q_inv_nm): 3.500–4.500 nm⁻¹ vs 4.000–4.400 nm⁻¹",
            "structure Q range (struct_q_inv_nm): 2.000–6.000 nm⁻¹ vs 3.000–5.800 nm⁻¹", "binning (bin): 4 vs 2",
            "gamma mode (gamma_mode): fixed at 1.0 vs free", "normalisation: ensemble vs symmetric",
            "standard-error method (stderr_method): pixel-groups vs frame-blocks", "pooling (pool): 1 vs 3",
            "shot-noise correction of V (speckle_variance_shot_noise_gain): not corrected vs corrected at gain 1.0 ADU/e⁻",
            "pixel size (pixel_size_inv_nm): 0.92 vs 0.46 nm⁻¹"), a.settingDifferences(c));
        SavedAnalysis structureOnly = SavedAnalysis.of(HeterogeneityMaps.builder(a.maps().scanY(), a.maps().scanX(), 0.16, 0.2)
                .structure(a.maps().speckleVariance()).build(), null,
            AnalysisSettings.builder(s0.calibration()).structure(s.structure().orElseThrow()).build(), null, a.provenance());
        assertEquals(List.of("parts analysed (dynamics_analysed, structure_analysed): dynamics and structure vs structure only"),
            a.settingDifferences(structureOnly));
    }

    @Test
    void oneCallSavesARunAndReadingGivesBackItsTypedSettings() throws IOException {
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(3, 4).frames(16).patternSize(24, 24).pixelSizeInverseNm(0.5)
            .temperatureKelvin(640).seed(11).build();
        CorrelationOptions co = CorrelationOptions.defaults().withJackknifeBlocks(6);
        FitOptions fo = FitOptions.defaults().withGammaFixed(1).withLags(1, 10);
        AnalysisResult run = Analysis.of(sim.dataset()).dynamics(QRange.of(3.0, 5.0), co, fo).structure(QRange.of(2.5, 5.5))
            .withPooling(3).run();
        Path file = dir.resolve("run.h5");
        ResultsFile.write(file, run, Provenance.of("sim.h5"));
        SavedAnalysis back = ResultsFile.read(file);
        assertEquals(run.settings(), back.settings());
        assertEquals(co, back.settings().dynamics().orElseThrow().correlation());
        assertEquals(fo, back.settings().dynamics().orElseThrow().fit());
        assertEquals(3, back.settings().pooling());
        assertEquals(sim.dataset().calibration(), back.settings().calibration());
        assertEquals(run.maps(), back.maps());
        assertEquals(run.spearman(), back.spearman());
        assertEquals(ResultCurves.of(3, 4, run.lagsSeconds(), run.correlationValues(), run.correlationStdErrs()),
            back.curves().orElseThrow());
        ResultProfiles profiles = back.profiles().orElseThrow();
        assertArrayEquals(run.structureBins(), profiles.bins());
        assertArrayEquals(run.meanSpeckleVarianceProfile(), profiles.meanProfile(), "the scan's V(Q), from the file as from the run");
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                assertArrayEquals(run.speckleVarianceProfile(y, x), profiles.profile(y, x), "V(Q) at (" + y + ", " + x + ")");
            }
        }
        assertEquals(List.of(0, 3, 0, 4), java.util.Arrays.stream(back.provenance().crop(0, 0)).boxed().toList(),
            "no crop given: the whole scan");
        assertEquals(Provenance.libraryVersion(), back.provenance().softwareVersion());
        // A structure-only analysis saves too: no curves, no dynamics attributes.
        AnalysisResult structure = Analysis.of(sim.dataset()).structure(QRange.of(2.5, 5.5)).run();
        ResultsFile.write(file, structure, Provenance.of("sim.h5"));
        SavedAnalysis s = ResultsFile.read(file);
        assertEquals(structure.settings(), s.settings());
        assertTrue(s.curves().isEmpty() && s.spearman().isEmpty() && s.settings().dynamics().isEmpty());
    }

    /** A long series' run (multi-tau lags, fewer than the frames) saves and reads back like any other. */
    @Test
    void aMultiTauRunKeepsItsLagsAndSettings() throws IOException {
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(2, 2).frames(600).patternSize(24, 24).pixelSizeInverseNm(0.5)
            .frameIntervalSeconds(0.5).tauMedianSeconds(20).temperatureKelvin(640).seed(12).build();
        CorrelationOptions co = CorrelationOptions.defaults().withAlgorithm(CorrelationAlgorithm.MULTI_TAU);
        AnalysisResult run = Analysis.of(sim.dataset()).dynamics(QRange.of(3.0, 5.0), co, FitOptions.defaults().withGammaFixed(1))
            .structure(QRange.of(2.5, 5.5)).run();
        int[] lagFrames = CorrelationKernel.lagFrames(co, 600);
        assertEquals(lagFrames.length, run.lagCount());
        Path file = dir.resolve("long.h5");
        ResultsFile.write(file, run, Provenance.of("long.h5"));
        SavedAnalysis back = ResultsFile.read(file);
        assertEquals(run.settings(), back.settings());
        assertEquals(CorrelationAlgorithm.MULTI_TAU, back.settings().dynamics().orElseThrow().correlation().algorithm());
        ResultCurves curves = back.curves().orElseThrow();
        assertEquals(lagFrames.length, curves.lagCount());
        for (int i = 0; i < lagFrames.length; i++) {
            assertEquals(lagFrames[i] * 0.5, curves.lagsSeconds()[i], 0.0, "lag " + i);
        }
        assertEquals(ResultCurves.of(2, 2, run.lagsSeconds(), run.correlationValues(), run.correlationStdErrs()), curves);
        assertEquals(run.maps(), back.maps());
    }

    @Test
    void mapsAndSettingsMustDescribeTheSameParts() {
        SavedAnalysis a = random(SeededCases.rng(4), false, false);
        AnalysisSettings structureOnly = AnalysisSettings.builder(a.settings().calibration())
            .structure(a.settings().structure().orElseThrow()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SavedAnalysis.of(a.maps(), null, structureOnly, null, a.provenance()));
        assertEquals("the settings describe structure only but the maps hold dynamics and structure", e.getMessage());
    }

    @Test
    void aFileWrittenBeforeTheGainWasRecordedReadsAsNotCorrected() throws IOException {
        // Written by 'fivedstem analyze' (simulate --scan 3,3 --frames 8 --k 24 --pixel-size 0.5
        // --dose 1 --seed 3) before the root attribute speckle_variance_shot_noise_gain existed.
        SavedAnalysis old = ResultsFile.read(Fixtures.path("results/before_shot_noise_gain.h5"));
        AnalysisSettings.Structure structure = old.settings().structure().orElseThrow();
        assertFalse(structure.isShotNoiseCorrected());
        assertEquals(Estimator.LEAST_SQUARES, old.settings().dynamics().orElseThrow().estimator(),
            "written before the estimator was recorded");
        assertEquals(1, old.settings().pooling());
        assertEquals(0, old.maps().tauErrorDegreesOfFreedom(), "degrees of freedom not recorded: normal intervals");
        assertTrue(Double.isNaN(structure.shotNoiseGainAduPerElectron()));
        assertEquals(633, old.settings().calibration().temperatureKelvin().orElseThrow());
        assertEquals(3, old.maps().scanY());
        assertTrue(old.unrecordedSettings().containsAll(Set.of("speckle_variance_shot_noise_gain", "estimator", "pool",
            "fit_weighting", "fit_lags_asked", "ellipse", "jackknife_blocks")), old.unrecordedSettings().toString());
        assertFalse(old.unrecordedSettings().contains("stderr_method"), "recorded since 2026-11-22");
    }

    @Test
    void aFileWrittenBeforeCensoringReadsItsSlowPositionsAsCensored() throws IOException {
        // Written by 'fivedstem analyze --dyn-q 3.0:5.5 --temperature 633' of the session before
        // censoring (commit b4c570e) on 'simulate --scan 3,4 --frames 30 --k 24 --pixel-size 0.5
        // --frame-interval 10 --tau-median 500 --tau-spread 1.2 --seed 5': status 2 then meant τ̂ above
        // twice the recording, and the file holds no /maps/tau_limit_s.
        SavedAnalysis old = ResultsFile.read(Fixtures.path("results/before_censoring.h5"));
        HeterogeneityMaps m = old.maps();
        assertTrue(m.censoredCount() > 0, m.toString());
        for (int y = 0; y < m.scanY(); y++) {
            for (int x = 0; x < m.scanX(); x++) {
                double limit = m.tauLimitSeconds().get(y, x);
                if (m.fitStatus(y, x).isCensored()) {
                    double tau = m.tauSeconds().get(y, x);
                    double rel = m.tauErrorSeconds().get(y, x) / tau;
                    double expected = rel > 0 && Double.isFinite(rel) ? tau * Math.exp(-1.6448536269514722 * rel) : tau / 100;
                    assertEquals(expected, limit, "the legacy limit: one-sided normal 95 % bound");
                } else {
                    assertTrue(Double.isNaN(limit));
                }
            }
        }
        // Written again, the limits are stored and read back as they are.
        Path again = dir.resolve("again.h5");
        ResultsFile.write(again, old);
        assertEquals(m, ResultsFile.read(again).maps());
    }

    @Test
    void preparationRoundTripsAndH5pyReadsIt() throws IOException {
        SavedAnalysis r0 = random(SeededCases.rng(9), false, false);
        boolean[] valid = new boolean[12 * 10];
        for (int i = 0; i < valid.length; i++) {
            valid[i] = i % 7 != 0;
        }
        Preparation p = Preparation.none().withMask(org.fivedstem.api.DetectorMask.of(12, 10, valid))
            .withCenter(5.25, 4.75, 0.01, 0.02, 1.03, 0.4, "halo ridge, ellipse").withMaskCounts(30, 2, 1).withArtefactCounts(12, 400, 3)
            .withExcludedPerFrame(new int[] {0, 3, 0}).withDrift(new double[] {0, 9.2, 18.4}, new double[] {0, 0.1, 0.25},
                new double[] {0, -0.05, -0.1}, Resampling.BILINEAR);
        assertEquals(Resampling.BILINEAR, p.driftResampling().orElseThrow());
        SavedAnalysis r = r0.withPreparation(p);
        Path file = dir.resolve("prep.h5");
        ResultsFile.write(file, r);
        SavedAnalysis back = ResultsFile.read(file);
        assertEquals(p, back.preparation());
        assertEquals(r, back);
        String out = H5py.run(String.join("\n",
            "import sys, h5py, numpy as np",
            "f = h5py.File(sys.argv[1], 'r')",
            "print(f['mask'].dtype, f['mask'].shape, int(f['mask'][...].sum()))",
            "g = f['preparation']",
            "print(g.attrs['center_px'].tolist(), g.attrs['center_method'], int(g.attrs['hot_pixels']), g['drift_y_nm'][...].tolist())",
            "print(g.attrs['drift_resampling'])"),
            file.toString());
        String[] lines = out.split("\n");
        int validCount = 0;
        for (boolean v : valid) {
            validCount += v ? 1 : 0;
        }
        assertEquals("uint8 (12, 10) " + validCount, lines[0]);
        assertEquals("[5.25, 4.75] halo ridge, ellipse 2 [0.0, 0.1, 0.25]", lines[1]);
        assertEquals("bilinear", lines[2]);
        // Whole steps, the default, round-trips too.
        Preparation whole = Preparation.none().withDrift(new double[] {0, 1}, new double[] {0, 0.2}, new double[] {0, 0.1});
        assertEquals(Resampling.WHOLE_STEPS, whole.driftResampling().orElseThrow());
        ResultsFile.write(file, r0.withPreparation(whole));
        assertEquals(whole, ResultsFile.read(file).preparation());
        assertTrue(Preparation.none().driftResampling().isEmpty());
        assertThrows(NullPointerException.class, () -> whole.withDrift(new double[] {0}, new double[] {0}, new double[] {0}, null));
        // Without preparation nothing is added: older readers see the same file as before.
        ResultsFile.write(file, r0);
        assertTrue(ResultsFile.read(file).preparation().isEmpty());
    }

    @Test
    void h5pyReadsTheSchema() throws IOException {
        SavedAnalysis r = random(SeededCases.rng(7), true, true);
        Path file = dir.resolve("maps.h5");
        ResultsFile.write(file, r);
        String out = H5py.run(String.join("\n",
            "import sys, h5py, numpy as np",
            "f = h5py.File(sys.argv[1], 'r')",
            "a = f.attrs",
            "print(a['schema'], a['input_file'], a['axes'], a['gamma_mode'], int(a['bin']), a['crop'].tolist(), a['dyn_q_inv_nm'].tolist(), a['created'], a['stderr_method'])",
            "m = f['maps']",
            "print(sorted(m.keys()), m['fit_status'].dtype, m['tau_s'].dtype, m['tau_s'].shape)",
            "print(int(np.isnan(m['tau_s'][...]).sum()), repr(float(np.nansum(m['tau_s'][...]))), int(m['fit_status'][...].astype(int).sum()))",
            "c = f['curves']",
            "print(c['g'].shape, c['g'].dtype, c['lag_s'][0], repr(float(np.nansum(c['g'][...]))))"), file.toString());
        double[] tau = r.maps().tauSeconds().values();
        int nan = 0;
        double sum = 0;
        for (double t : tau) {
            if (Double.isNaN(t)) {
                nan++;
            } else {
                sum += t;
            }
        }
        int status = 0;
        for (byte s : r.maps().fitStatusCodes()) {
            status += s;
        }
        String[] lines = out.split("\n");
        int[] crop = r.provenance().crop(0, 0);
        assertEquals(String.format(Locale.ROOT, "fivedstem-results/1 scan ü.h5 y,x,t,ky,kx free 4 [2, %d, 0, %d] [3.5, 4.5] 2026-03-01T12:34:56.789Z %s",
            crop[1], crop[3], SchemaNames.of(r.settings().dynamics().orElseThrow().correlation().stdErrMethod())), lines[0]);
        assertEquals("['V', 'beta', 'beta_err', 'fit_status', 'gamma', 'gamma_err', 'tau_err_s', 'tau_limit_s', 'tau_s'] uint8 float64 ("
            + r.maps().scanY() + ", " + r.maps().scanX() + ")", lines[1]);
        // numpy's nansum adds pairwise, Java here left to right: compare as numbers, within a few ulps of the sum
        String[] third = lines[2].split(" ");
        assertEquals(nan, Integer.parseInt(third[0]));
        assertEquals(sum, Double.parseDouble(third[1]), 1e-12 * Math.abs(sum));
        assertEquals(status, Integer.parseInt(third[2]));
        ResultCurves c = r.curves().orElseThrow();
        assertTrue(lines[3].startsWith("(" + c.scanY() + ", " + c.scanX() + ", " + c.lagCount() + ") float64 0.0 "), lines[3]);
    }

    @Test
    void failedWriteLeavesNoFileAndKeepsAnExistingTarget() throws IOException {
        Path target = dir.resolve("taken");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside.txt"), "keep me");
        SavedAnalysis r = random(SeededCases.rng(3), true, false);
        assertThrows(IOException.class, () -> ResultsFile.write(target, r));
        assertEquals("keep me", Files.readString(target.resolve("inside.txt")));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file remains");
        }
    }

    @Test
    void readingARecordingIsRefusedWithTheSchema() {
        RecordingException e = assertThrows(RecordingException.class, () -> ResultsFile.read(Fixtures.path("raw_layout_uint16.h5")));
        assertTrue(e.getMessage().endsWith("root attribute schema is missing or not a string"), e.getMessage());
        assertFalse(e.datasetPath().isPresent());
    }
}
