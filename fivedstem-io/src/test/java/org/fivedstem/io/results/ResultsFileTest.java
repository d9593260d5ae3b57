package org.fivedstem.io.results;

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
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.Normalisation;
import org.fivedstem.api.QRange;
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
    static AnalysisResults random(UniformRandomProvider rng, boolean withCurves, boolean gammaFree) {
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
        AnalysisMetadata md = AnalysisMetadata.builder().softwareVersion("0.1.0-SNAPSHOT")
            .input("scan ü.h5", "/data", AxisOrder.parse("y,x,t,ky,kx"))
            .calibration(9.2, 0.16, 0.2, 0.92, 7.125, 8.375)
            .binAndCrop(4, 2, 2 + sy, 0, sx)
            .annuli(QRange.of(3.5, 4.5), 120, QRange.of(2, 6), 800)
            .fit(rng.nextBoolean() ? Normalisation.ENSEMBLE : Normalisation.SYMMETRIC, gammaFree ? Double.NaN : 1.5, 1, 40,
                rng.nextBoolean() ? AnalysisMetadata.Weighting.UNIFORM : AnalysisMetadata.Weighting.STDERR)
            .stdErrMethod(AnalysisMetadata.STD_ERR_METHODS.get(rng.nextInt(0, AnalysisMetadata.STD_ERR_METHODS.size())))
            .estimator(AnalysisMetadata.ESTIMATORS.get(rng.nextInt(0, AnalysisMetadata.ESTIMATORS.size())))
            .pooling(1 + 2 * rng.nextInt(0, 3))
            .shotNoiseGain(rng.nextBoolean() ? Double.NaN : rng.nextDouble(0.5, 8))
            .temperatureKelvin(maps.temperatureKelvin().orElse(Double.NaN))
            .statistics(rng.nextDouble(-1, 1), rng.nextDouble(), maps.count(FitStatus.CONVERGED))
            .created(Instant.parse("2026-03-01T12:34:56.789Z"))
            .build();
        return AnalysisResults.of(maps, curves, md);
    }

    static Stream<Arguments> cases() {
        return SeededCases.of(0x2E5017L, 12, rng -> new Object[] {rng.nextBoolean(), rng.nextBoolean()});
    }

    @Test
    void unknownStandardErrorMethodIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> AnalysisMetadata.builder().stdErrMethod("bootstrap"));
        assertEquals("standard-error method 'bootstrap' is not one of [pixel-groups, frame-blocks, none, unrecorded]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AnalysisMetadata.builder().estimator("bayes"));
        assertThrows(IllegalArgumentException.class, () -> AnalysisMetadata.builder().pooling(2));
    }

    @ParameterizedTest(name = "seed {0}: curves {1}, gamma free {2}")
    @MethodSource("cases")
    void roundTripIsExact(long seed, boolean withCurves, boolean gammaFree) throws IOException {
        AnalysisResults r = random(SeededCases.rng(seed), withCurves, gammaFree);
        Path file = dir.resolve("maps.h5");
        ResultsFile.write(file, r);
        AnalysisResults back = ResultsFile.read(file);
        assertEquals(r.maps(), back.maps());
        assertEquals(r.curves(), back.curves());
        assertEquals(r.metadata(), back.metadata());
        assertEquals(r, back);
    }

    @Test
    void shotNoiseGainRoundTripsAndIsShownInToString() throws IOException {
        AnalysisResults r = random(SeededCases.rng(3), false, false);
        Path file = dir.resolve("gain.h5");
        for (double gain : new double[] {1, 3.7, Double.NaN}) {
            AnalysisResults withGain = AnalysisResults.of(r.maps(), null, r.metadata().toBuilder().shotNoiseGain(gain).build());
            ResultsFile.write(file, withGain);
            AnalysisMetadata back = ResultsFile.read(file).metadata();
            assertEquals(Double.doubleToLongBits(gain), Double.doubleToLongBits(back.shotNoiseGainAduPerElectron()));
            assertEquals(!Double.isNaN(gain), back.isShotNoiseCorrected());
            assertTrue(back.toString().contains(Double.isNaN(gain) ? "V not shot-noise corrected"
                : String.format(Locale.ROOT, "V shot-noise corrected at %.4g ADU/e⁻", gain)), back.toString());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> AnalysisMetadata.builder().shotNoiseGain(-1));
        assertEquals("shotNoiseGainAduPerElectron is not a finite, strictly positive number: -1.0", e.getMessage());
    }

    @Test
    void settingDifferencesNameEachSettingWithBothValuesButNotTheFrameInterval() {
        AnalysisMetadata a = random(SeededCases.rng(5), false, false).metadata().toBuilder()
            .fit(Normalisation.ENSEMBLE, 1, 1, 40, AnalysisMetadata.Weighting.STDERR).stdErrMethod("pixel-groups")
            .shotNoiseGain(Double.NaN).build();
        assertEquals(List.of(), a.settingDifferences(a));
        // The paper's series: 9.2 s and 4.8 s frames, different crops and temperatures — comparable.
        AnalysisMetadata other = a.toBuilder().calibration(4.8, a.scanStepYNm(), a.scanStepXNm(), a.pixelSizeInverseNm(), 3, 4)
            .binAndCrop(a.bin(), 0, 5, 0, 5).temperatureKelvin(673).build();
        assertEquals(List.of(), a.settingDifferences(other));
        AnalysisMetadata all = a.toBuilder()
            .annuli(QRange.of(4.0, 4.4), 10, QRange.of(3, 5.8), 10).binAndCrop(2, 0, 1, 0, 1)
            .fit(Normalisation.SYMMETRIC, Double.NaN, 1, 40, AnalysisMetadata.Weighting.STDERR).stdErrMethod("frame-blocks")
            .shotNoiseGain(1).calibration(9.2, 0.16, 0.2, 0.46, 7, 8).build();
        assertEquals(List.of("dynamics Q range (dyn_q_inv_nm): 3.500–4.500 nm⁻¹ vs 4.000–4.400 nm⁻¹",
            "structure Q range (struct_q_inv_nm): 2.000–6.000 nm⁻¹ vs 3.000–5.800 nm⁻¹", "binning (bin): 4 vs 2",
            "gamma mode (gamma_mode): fixed at 1.0 vs free", "normalisation: ensemble vs symmetric",
            "standard-error method (stderr_method): pixel-groups vs frame-blocks",
            "shot-noise correction of V (speckle_variance_shot_noise_gain): not corrected vs corrected at gain 1.0 ADU/e⁻",
            "pixel size (pixel_size_inv_nm): 0.92 vs 0.46 nm⁻¹"), a.settingDifferences(all));
    }

    @Test
    void aFileWrittenBeforeTheGainWasRecordedReadsAsNotCorrected() throws IOException {
        // Written by 'fivedstem analyze' (simulate --scan 3,3 --frames 8 --k 24 --pixel-size 0.5
        // --dose 1 --seed 3) before the root attribute speckle_variance_shot_noise_gain existed.
        AnalysisResults old = ResultsFile.read(Fixtures.path("results/before_shot_noise_gain.h5"));
        assertFalse(old.metadata().isShotNoiseCorrected());
        assertEquals("least squares", old.metadata().estimator(), "written before the estimator was recorded");
        assertEquals(1, old.metadata().pooling());
        assertEquals(0, old.maps().tauErrorDegreesOfFreedom(), "degrees of freedom not recorded: normal intervals");
        assertTrue(Double.isNaN(old.metadata().shotNoiseGainAduPerElectron()));
        assertEquals(633, old.metadata().temperatureKelvin());
        assertEquals(3, old.maps().scanY());
    }

    @Test
    void aFileWrittenBeforeCensoringReadsItsSlowPositionsAsCensored() throws IOException {
        // Written by 'fivedstem analyze --dyn-q 3.0:5.5 --temperature 633' of the session before
        // censoring (commit b4c570e) on 'simulate --scan 3,4 --frames 30 --k 24 --pixel-size 0.5
        // --frame-interval 10 --tau-median 500 --tau-spread 1.2 --seed 5': status 2 then meant τ̂ above
        // twice the recording, and the file holds no /maps/tau_limit_s.
        AnalysisResults old = ResultsFile.read(Fixtures.path("results/before_censoring.h5"));
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
        AnalysisResults r0 = random(SeededCases.rng(9), false, false);
        boolean[] valid = new boolean[12 * 10];
        for (int i = 0; i < valid.length; i++) {
            valid[i] = i % 7 != 0;
        }
        Preparation p = Preparation.none().withMask(org.fivedstem.api.DetectorMask.of(12, 10, valid))
            .withCenter(5.25, 4.75, 0.01, 0.02, 1.03, 0.4, "halo ridge, ellipse").withMaskCounts(30, 2, 1).withArtefactCounts(12, 400, 3)
            .withExcludedPerFrame(new int[] {0, 3, 0}).withDrift(new double[] {0, 9.2, 18.4}, new double[] {0, 0.1, 0.25},
                new double[] {0, -0.05, -0.1}, "bilinear");
        assertEquals("bilinear", p.driftResampling());
        AnalysisResults r = r0.withPreparation(p);
        Path file = dir.resolve("prep.h5");
        ResultsFile.write(file, r);
        AnalysisResults back = ResultsFile.read(file);
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
        assertEquals(Preparation.WHOLE_STEPS, whole.driftResampling());
        ResultsFile.write(file, r0.withPreparation(whole));
        assertEquals(whole, ResultsFile.read(file).preparation());
        assertEquals("", Preparation.none().driftResampling());
        assertThrows(IllegalArgumentException.class, () -> whole.withDrift(new double[] {0}, new double[] {0}, new double[] {0}, " "));
        // Without preparation nothing is added: older readers see the same file as before.
        ResultsFile.write(file, r0);
        assertTrue(ResultsFile.read(file).preparation().isEmpty());
    }

    @Test
    void h5pyReadsTheSchema() throws IOException {
        AnalysisResults r = random(SeededCases.rng(7), true, true);
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
        AnalysisMetadata md = r.metadata();
        assertEquals(String.format(Locale.ROOT, "fivedstem-results/1 scan ü.h5 y,x,t,ky,kx free 4 [2, %d, 0, %d] [3.5, 4.5] 2026-03-01T12:34:56.789Z %s",
            md.crop()[1], md.crop()[3], md.stdErrMethod()), lines[0]);
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
        AnalysisResults r = random(SeededCases.rng(3), true, false);
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
