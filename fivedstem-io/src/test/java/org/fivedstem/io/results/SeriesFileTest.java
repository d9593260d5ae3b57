/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.TauSummary;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.testing.H5py;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SeriesFileTest {

    @TempDir
    Path dir;

    /** A rank correlation with any of its parts NaN now and then, as a series row holds it. */
    static RankCorrelation correlation(UniformRandomProvider rng) {
        double low = nanOr(rng, rng.nextDouble() - 0.5);
        return new RankCorrelation(nanOr(rng, 2 * rng.nextDouble() - 1), rng.nextInt(4000), nanOr(rng, rng.nextDouble()),
            rng.nextBoolean() ? "asymptotic t, 574 df" : "exact permutation", low, Double.isNaN(low) ? Double.NaN : low + 0.4,
            0.95, nanOr(rng, rng.nextDouble()), nanOr(rng, 10 + 500 * rng.nextDouble()),
            rng.nextBoolean() ? "toroidal shifts, 575 of 575" : "none");
    }

    /** A random series: 1–8 ascending temperatures, NaN in any column now and then, a fit when there are ≥ 2. */
    static SeriesResults random(UniformRandomProvider rng) {
        int n = 1 + rng.nextInt(8);
        TauSummary summary = TauSummary.values()[rng.nextInt(3)];
        List<SeriesResults.Row> rows = new ArrayList<>();
        double t = 500 + 100 * rng.nextDouble();
        for (int i = 0; i < n; i++) {
            t += rng.nextInt(3) == 0 ? 0 : 5 * rng.nextDouble() + 0.1; // repeated temperatures are allowed
            rows.add(new SeriesResults.Row(t, rng.nextInt(4000), rng.nextInt(300), nanOr(rng, 10 + 1000 * rng.nextDouble()),
                nanOr(rng, rng.nextDouble() * 50), nanOr(rng, rng.nextDouble()), correlation(rng),
                rng.nextInt(4) == 0 ? "" : "r" + i + " ü.h5"));
        }
        ArrheniusFit fit = null;
        if (n >= 2 && rng.nextBoolean()) {
            int k = 2 + rng.nextInt(n - 1);
            double[] ft = new double[k];
            double[] tau = new double[k];
            double[] err = new double[k];
            for (int i = 0; i < k; i++) {
                ft[i] = rows.get(i).temperatureKelvin();
                tau[i] = 1 + rng.nextDouble() * 100;
                err[i] = rng.nextBoolean() ? Double.NaN : rng.nextDouble();
            }
            fit = ArrheniusFit.of(50 + 100 * rng.nextDouble(), rng.nextDouble() * 10, 1e-6 * rng.nextDouble(), Double.NaN,
                k == 2 ? Double.NaN : rng.nextDouble(), ft, tau, err, summary);
        }
        return SeriesResults.of(summary, rows, fit).withWarnings(rng.nextBoolean() ? List.of()
            : List.of("r1.h5 and r0 ü.h5 differ in normalisation: symmetric vs ensemble", "binning (bin): 4 vs 2"))
            .withPairedPositions(rng.nextBoolean()).withEnergyMap(rng.nextBoolean() ? energyMap(rng, rows) : null);
    }

    /** A random activation-energy map: NaN where fewer than 3 temperatures, offsets per row, the first the reference. */
    static SeriesResults.EnergyMap energyMap(UniformRandomProvider rng, List<SeriesResults.Row> rows) {
        int h = 1 + rng.nextInt(9);
        int w = 1 + rng.nextInt(9);
        double[] e = new double[h * w];
        double[] err = new double[h * w];
        double[] used = new double[h * w];
        for (int i = 0; i < e.length; i++) {
            used[i] = rng.nextInt(rows.size() + 1);
            e[i] = used[i] >= 3 ? 60 + 80 * rng.nextDouble() : Double.NaN;
            err[i] = used[i] >= 3 ? 5 + 20 * rng.nextDouble() : Double.NaN;
        }
        double step = 0.1 + rng.nextDouble();
        List<SeriesResults.Offset> offsets = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            offsets.add(i == 0 ? new SeriesResults.Offset(rows.get(0).temperatureKelvin(), 0, 0, Double.NaN, Double.NaN)
                : new SeriesResults.Offset(rows.get(i).temperatureKelvin(), rng.nextInt(11) - 5, rng.nextInt(11) - 5,
                    rng.nextDouble(), 1e-6 * rng.nextDouble()));
        }
        return new SeriesResults.EnergyMap(ScalarMap.of("E_kJ_per_mol", "kJ/mol", h, w, e, step, step),
            ScalarMap.of("E_err_kJ_per_mol", "kJ/mol", h, w, err, step, step),
            ScalarMap.of("n_temperatures", "", h, w, used, step, step), rng.nextInt(5), rng.nextInt(5),
            rng.nextBoolean() ? Double.NaN : 2 * rng.nextDouble(), rng.nextBoolean() ? "IF_ABOVE_ONE" : "NONE", offsets);
    }

    private static double nanOr(UniformRandomProvider rng, double v) {
        return rng.nextInt(5) == 0 ? Double.NaN : v;
    }

    static Stream<Arguments> cases() {
        return SeededCases.of(0x5E21E5L, 40, rng -> new Object[] {random(rng)});
    }

    @ParameterizedTest(name = "seed {0}: {1}")
    @MethodSource("cases")
    void roundTripsExactly(long seed, SeriesResults s) throws IOException {
        Path file = dir.resolve("series.h5");
        SeriesFile.write(file, s);
        assertEquals(s, SeriesFile.read(file), "seed " + seed);
        try (Stream<Path> l = Files.list(dir)) {
            assertEquals(List.of(file), l.toList(), "only the file, no temporary file");
        }
    }

    @Test
    void aSeriesFileWrittenBeforeWarningsExistedReadsWithNone() throws IOException {
        // Written by 'fivedstem series' on results/before_shot_noise_gain.h5 before the warnings attribute existed.
        SeriesResults old = SeriesFile.read(org.fivedstem.io.testing.Fixtures.path("results/series_before_warnings.h5"));
        assertEquals(List.of(), old.warnings());
        assertEquals(1, old.rows().size());
        assertEquals(0, old.rows().get(0).censored(), "written before censoring: no censored count, read as 0");
        assertFalse(old.pairedPositions(), "written before pairing: independent errors");
        assertTrue(old.energyMap().isEmpty(), "written before the activation-energy map: no map");
        // Written before the whole rank correlation was stored: ρ and the reported p, read as the spatial p.
        SeriesResults.Row row = old.rows().get(0);
        assertEquals(row.correlation().spatialPValue(), row.spearmanP(), 0.0);
        assertTrue(Double.isNaN(row.correlation().pValue()) && Double.isNaN(row.correlation().effectiveSampleSize()));
        assertTrue(row.correlation().spatialMethod().contains("before 2026-12-06"), row.correlation().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> old.withWarnings(List.of("a\nb")));
        assertEquals("warnings[0] is blank or holds a line break: 'a\nb'", e.getMessage());
    }

    @Test
    void h5pyReadsTheNamedDatasetsAndAttributes() throws IOException {
        SeriesResults s = random(SeededCases.rng(11));
        while (s.arrhenius().isEmpty() || s.rows().size() < 3) {
            s = random(SeededCases.rng(s.hashCode()));
        }
        Path file = dir.resolve("series.h5");
        SeriesFile.write(file, s);
        String out = H5py.run(String.join("\n",
            "import sys, h5py, numpy as np",
            "f = h5py.File(sys.argv[1], 'r')",
            "print(f.attrs['schema'], f.attrs['summary'], repr(float(f.attrs['activation_energy_kJ_per_mol'])))",
            "print(len(f['temperature_K']), repr(float(f['temperature_K'][0])), f['n_valid'].dtype, f['tau_summary_s'].dtype,"
                + " f['V_mean'].shape, f['spearman_rho'].shape)"), file.toString());
        String[] lines = out.split("\n");
        assertEquals(SeriesFile.SCHEMA + " " + s.summary() + " " + s.arrhenius().get().activationEnergyKJPerMol(), lines[0]);
        int n = s.rows().size();
        assertEquals(n + " " + s.rows().get(0).temperatureKelvin() + " int64 float64 (" + n + ",) (" + n + ",)", lines[1]);
    }

    @Test
    void h5pyReadsTheActivationEnergyMap() throws IOException {
        UniformRandomProvider rng = SeededCases.rng(0xE3A9L);
        SeriesResults s = random(rng);
        while (s.rows().size() < 3) {
            s = random(rng);
        }
        s = s.withEnergyMap(energyMap(rng, s.rows()));
        Path file = dir.resolve("series.h5");
        SeriesFile.write(file, s);
        SeriesResults.EnergyMap e = s.energyMap().orElseThrow();
        String out = H5py.run(String.join("\n",
            "import sys, h5py, numpy as np",
            "g = h5py.File(sys.argv[1], 'r')['activation_energy_map']",
            "print(g['E_kJ_per_mol'].shape, g['E_err_kJ_per_mol'].dtype, g['n_temperatures'].dtype, g['E_kJ_per_mol'].attrs['units'])",
            "print(g.attrs['origin'].tolist(), list(g.attrs['offset_y']) == [int(v) for v in g.attrs['offset_y']], len(g.attrs['offset_x']))"),
            file.toString());
        String[] lines = out.split("\n");
        ScalarMap m = e.energyKJPerMol();
        assertEquals("(" + m.scanY() + ", " + m.scanX() + ") float64 int64 kJ/mol", lines[0]);
        assertEquals("[" + e.originY() + ", " + e.originX() + "] True " + s.rows().size(), lines[1]);
        assertThrows(IllegalArgumentException.class, () -> new SeriesResults.EnergyMap(m, e.energyErrorKJPerMol(),
            ScalarMap.of("n", "", 1, 1, new double[1], 1, 1), 0, 0, 1, "NONE", e.offsets()), "maps of different shapes");
        assertThrows(IllegalArgumentException.class, () -> new SeriesResults.EnergyMap(m, e.energyErrorKJPerMol(),
            e.temperaturesUsed(), -1, 0, 1, "NONE", e.offsets()), "negative origin");
    }

    @Test
    void refusesOtherFilesNamingThem() throws IOException {
        Path results = dir.resolve("maps.h5");
        ResultsFile.write(results, ResultsFileTest.random(SeededCases.rng(3), false, false));
        RecordingException e = assertThrows(RecordingException.class, () -> SeriesFile.read(results));
        assertTrue(e.getMessage().contains("maps.h5") && e.getMessage().contains("fivedstem-results/1")
            && e.getMessage().contains(SeriesFile.SCHEMA), e.getMessage());
        Path missing = dir.resolve("none.h5");
        assertTrue(assertThrows(RecordingException.class, () -> SeriesFile.read(missing)).getMessage().contains("none.h5"));
    }

    @Test
    void failedWriteLeavesNoFile() {
        Path target = dir.resolve("no-such-folder").resolve("series.h5");
        assertThrows(IOException.class, () -> SeriesFile.write(target, random(SeededCases.rng(5))));
        assertFalse(Files.exists(target));
    }

    @Test
    void validatesRows() {
        RankCorrelation c = new RankCorrelation(0.3, 10, 0.01, "exact", 0.1, 0.5, 0.95, 0.2, 5, "toroidal shifts");
        SeriesResults.Row hot = new SeriesResults.Row(673, 10, 0, 80, 5, 0.5, c, "");
        SeriesResults.Row cold = new SeriesResults.Row(633, 10, 0, 250, 5, 0.5, c, "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SeriesResults.of(TauSummary.MEAN, List.of(hot, cold), null));
        assertTrue(e.getMessage().contains("ascending"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SeriesResults.Row(Double.NaN, 1, 0, 1, 1, 1, c, ""));
        assertThrows(IllegalArgumentException.class, () -> new SeriesResults.Row(633, -1, 0, 1, 1, 1, c, ""));
        assertThrows(NullPointerException.class, () -> new SeriesResults.Row(633, 1, 0, 1, 1, 1, null, ""));
        assertThrows(IllegalArgumentException.class, () -> SeriesResults.of(TauSummary.MEAN, List.of(), null));
        ArrheniusFit medianFit = ArrheniusFit.of(97, 5, 1e-6, Double.NaN, 1, new double[] {633, 673}, new double[] {250, 80},
            new double[] {5, 5}, TauSummary.MEDIAN);
        e = assertThrows(IllegalArgumentException.class, () -> SeriesResults.of(TauSummary.MEAN, List.of(cold, hot), medianFit));
        assertTrue(e.getMessage().contains("median") && e.getMessage().contains("mean"), e.getMessage());
    }
}
