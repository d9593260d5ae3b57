/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.results;

import static org.fivedstem.io.results.SchemaFields.float64;
import static org.fivedstem.io.results.SchemaFields.numbers;
import static org.fivedstem.io.results.SchemaFields.string;
import static org.fivedstem.io.results.SchemaFields.values;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.TauSummary;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.hdf5.Hdf5Attribute;
import org.fivedstem.io.internal.H5Type;
import org.fivedstem.io.internal.Hdf5FileWriter;
import org.fivedstem.io.internal.Hdf5Opener;

/**
 * Writes and reads temperature-series files, schema {@code fivedstem-series/1} (documented in
 * {@code docs/results-format.md}): one value per temperature in 1-D datasets, the Arrhenius fit in
 * root attributes.
 *
 * <pre>
 *   /temperature_K         float64 [n]   temperatures, ascending
 *   /n_valid               int64   [n]   positions with a reliable τ
 *   /n_censored            int64   [n]   positions with a right-censored τ (absent in older files: 0)
 *   /tau_summary_s         float64 [n]   τ summary (attribute summary: mean | median | geometric)
 *   /tau_summary_err_s     float64 [n]   its spatially aware standard error
 *   /V_mean                float64 [n]   mean speckle variance
 *   /spearman_rho          float64 [n]   Spearman ρ between the τ and V maps
 *   /spearman_p            float64 [n]   its two-sided p-value to report: the spatial one where computed
 *   /spearman/             the rest of each row's rank correlation (absent in files before 2026-12-06):
 *     n, p_independent (method per row in attribute p_methods), p_spatial, n_eff (method per row in
 *     attribute spatial_methods), ci_low, ci_high (level in attribute confidence_level); NaN where not computed
 *   /arrhenius/{temperature_K, tau_s, tau_err_s}   the points the fit used (only if fitted)
 *   root attributes: schema, summary, activation_energy_kJ_per_mol, activation_energy_err_kJ_per_mol,
 *     tau_inf_s, tau_inf_err_s, reduced_chi_square (NaN when not fitted), sources (one per line),
 *     warnings (one per line, e.g. inputs analysed with different settings; empty or absent: none),
 *     paired_positions (1: the Arrhenius errors treat the temperatures as the same positions; absent: 0)
 *   /activation_energy_map/   only when E(r) was computed (absent: no map; older files never have it)
 *     E_kJ_per_mol          float64 [h, w]  E(r), NaN where fewer than 3 temperatures measured τ
 *     E_err_kJ_per_mol      float64 [h, w]  σ_E(r)
 *     n_temperatures        int64   [h, w]  temperatures with a measured τ at the position
 *     group attributes: origin (y, x of the first position in the coldest scan), scan_step_nm (y, x),
 *       temperature_K, offset_y, offset_x, registration_rho, registration_p (one per temperature,
 *       ascending, the coldest — the reference, offset 0 — first), pooled_reduced_chi_square,
 *       error_scaling
 * </pre>
 *
 * <pre>{@code
 * SeriesFile.write(Path.of("series.h5"), series);
 * SeriesResults back = SeriesFile.read(Path.of("series.h5"));
 * }</pre>
 *
 * <p>Written with the module's HDF5 writer into a temporary file beside the target that is moved
 * into place when complete: a failure leaves no file (and an existing target untouched).
 */
public final class SeriesFile {

    /** The schema identifier stored in the root attribute {@code schema}. */
    public static final String SCHEMA = "fivedstem-series/1";

    /** The group of the activation-energy map. */
    private static final String ENERGY = "/activation_energy_map";

    private SeriesFile() {
    }

    /**
     * Writes a series file.
     *
     * @param target the file (replaced if it exists)
     * @param series what to write
     * @throws IOException if writing fails (no file is left behind)
     */
    public static void write(Path target, SeriesResults series) throws IOException {
        List<SeriesResults.Row> rows = series.rows();
        long[] dims = {rows.size()};
        try (Hdf5FileWriter w = Hdf5FileWriter.create(target)) {
            ArrheniusFit a = series.arrhenius().orElse(null);
            List<String> sources = new ArrayList<>();
            for (SeriesResults.Row r : rows) {
                sources.add(r.source());
            }
            w.putGroupAttributes("/", List.of(
                Hdf5Attribute.of("schema", SCHEMA),
                Hdf5Attribute.of("summary", series.summary().toString()),
                Hdf5Attribute.of("activation_energy_kJ_per_mol", a == null ? Double.NaN : a.activationEnergyKJPerMol()),
                Hdf5Attribute.of("activation_energy_err_kJ_per_mol", a == null ? Double.NaN : a.activationEnergyErrorKJPerMol()),
                Hdf5Attribute.of("tau_inf_s", a == null ? Double.NaN : a.tauInfSeconds()),
                Hdf5Attribute.of("tau_inf_err_s", a == null ? Double.NaN : a.tauInfErrorSeconds()),
                Hdf5Attribute.of("reduced_chi_square", a == null ? Double.NaN : a.reducedChiSquare()),
                Hdf5Attribute.of("sources", String.join("\n", sources)),
                Hdf5Attribute.of("warnings", String.join("\n", series.warnings())),
                Hdf5Attribute.of("paired_positions", series.pairedPositions() ? 1L : 0L)));
            put(w, "/temperature_K", series.temperaturesKelvin(), "K", "temperature of each recording");
            long[] n = rows.stream().mapToLong(SeriesResults.Row::n).toArray();
            w.putDataset("/n_valid", H5Type.INT64, dims, int64(n),
                List.of(Hdf5Attribute.of("description", "number of positions with a reliable tau")));
            w.putDataset("/n_censored", H5Type.INT64, dims, int64(rows.stream().mapToLong(SeriesResults.Row::censored).toArray()),
                List.of(Hdf5Attribute.of("description",
                    "number of positions whose tau is right-censored (slower than the recording resolves)")));
            put(w, "/tau_summary_s", series.tauSeconds(), "s", series.summary() + " of the reliable tau map");
            put(w, "/tau_summary_err_s", series.tauErrorSeconds(), "s",
                "standard error of the tau summary, accounting for spatial autocorrelation");
            put(w, "/V_mean", series.meanSpeckleVariance(), "1", "mean of the speckle variance map V (eq. 5)");
            put(w, "/spearman_rho", series.spearmanRho(), "1", "Spearman rank correlation between the tau and V maps");
            put(w, "/spearman_p", rows.stream().mapToDouble(SeriesResults.Row::spearmanP).toArray(), "1",
                "two-sided p-value of spearman_rho to report: the spatially aware one where computed");
            writeCorrelations(w, rows);
            if (a != null) {
                put(w, "/arrhenius/temperature_K", a.temperaturesKelvin(), "K", "temperatures the Arrhenius fit used");
                put(w, "/arrhenius/tau_s", a.tauSeconds(), "s", "tau summaries the Arrhenius fit used");
                put(w, "/arrhenius/tau_err_s", a.tauErrorSeconds(), "s", "their standard errors (NaN: unweighted fit)");
            }
            if (series.energyMap().isPresent()) {
                writeEnergyMap(w, series.energyMap().get());
            }
            w.commit();
        }
    }

    private static void put(Hdf5FileWriter w, String path, double[] v, String units, String description) {
        w.putDataset(path, H5Type.FLOAT64, new long[] {v.length}, float64(v),
            List.of(Hdf5Attribute.of("units", units), Hdf5Attribute.of("description", description)));
    }

    private static void writeEnergyMap(Hdf5FileWriter w, SeriesResults.EnergyMap e) {
        ScalarMap m = e.energyKJPerMol();
        long[] dims = {m.scanY(), m.scanX()};
        List<SeriesResults.Offset> o = e.offsets();
        w.putGroupAttributes(ENERGY, List.of(
            Hdf5Attribute.ofArray("origin", new long[] {e.originY(), e.originX()}),
            Hdf5Attribute.ofArray("scan_step_nm", new double[] {m.scanStepYNm(), m.scanStepXNm()}),
            Hdf5Attribute.ofArray("temperature_K", o.stream().mapToDouble(SeriesResults.Offset::temperatureKelvin).toArray()),
            Hdf5Attribute.ofArray("offset_y", o.stream().mapToLong(SeriesResults.Offset::dy).toArray()),
            Hdf5Attribute.ofArray("offset_x", o.stream().mapToLong(SeriesResults.Offset::dx).toArray()),
            Hdf5Attribute.ofArray("registration_rho", o.stream().mapToDouble(SeriesResults.Offset::rho).toArray()),
            Hdf5Attribute.ofArray("registration_p", o.stream().mapToDouble(SeriesResults.Offset::pValue).toArray()),
            Hdf5Attribute.of("pooled_reduced_chi_square", e.pooledReducedChiSquare()),
            Hdf5Attribute.of("error_scaling", e.errorScaling())));
        w.putDataset(ENERGY + "/E_kJ_per_mol", H5Type.FLOAT64, dims, float64(m.values()), List.of(
            Hdf5Attribute.of("units", "kJ/mol"), Hdf5Attribute.of("description",
                "activation energy per position (Arrhenius fit of ln tau on 1/T); NaN below 3 measured temperatures")));
        w.putDataset(ENERGY + "/E_err_kJ_per_mol", H5Type.FLOAT64, dims, float64(e.energyErrorKJPerMol().values()), List.of(
            Hdf5Attribute.of("units", "kJ/mol"), Hdf5Attribute.of("description",
                "standard error of E per position, scaled by the pooled reduced chi-square as error_scaling says")));
        w.putDataset(ENERGY + "/n_temperatures", H5Type.INT64, dims,
            int64(java.util.Arrays.stream(e.temperaturesUsed().values()).mapToLong(v -> (long) v).toArray()), List.of(
                Hdf5Attribute.of("units", "1"), Hdf5Attribute.of("description",
                    "number of temperatures with a measured (reliable) tau at the position; censored ones are left out")));
    }

    private static SeriesResults.EnergyMap readEnergyMap(Path file, HdfFile hdf) throws RecordingException {
        Node g = hdf.getByPath(ENERGY);
        Dataset e = Hdf5Opener.findDataset(file, hdf, ENERGY + "/E_kJ_per_mol");
        int[] d = e.getDimensions();
        if (d.length != 2) {
            throw new RecordingException(file, ENERGY + "/E_kJ_per_mol", "map has rank " + d.length + "; expected 2");
        }
        double[] step = numbers(file, g, ENERGY, "scan_step_nm", 2);
        double[] origin = numbers(file, g, ENERGY, "origin", 2);
        double[] t = numbers(file, g, ENERGY, "temperature_K", -1);
        double[] oy = numbers(file, g, ENERGY, "offset_y", t.length);
        double[] ox = numbers(file, g, ENERGY, "offset_x", t.length);
        double[] rho = numbers(file, g, ENERGY, "registration_rho", t.length);
        double[] p = numbers(file, g, ENERGY, "registration_p", t.length);
        List<SeriesResults.Offset> offsets = new ArrayList<>();
        for (int i = 0; i < t.length; i++) {
            offsets.add(new SeriesResults.Offset(t[i], (int) oy[i], (int) ox[i], rho[i], p[i]));
        }
        String[][] names = {{"E_kJ_per_mol", "kJ/mol"}, {"E_err_kJ_per_mol", "kJ/mol"}, {"n_temperatures", ""}};
        ScalarMap[] maps = new ScalarMap[names.length];
        for (int i = 0; i < names.length; i++) {
            maps[i] = ScalarMap.of(names[i][0], names[i][1], d[0], d[1],
                values(file, hdf, ENERGY + "/" + names[i][0], d[0] * d[1]), step[0], step[1]);
        }
        return new SeriesResults.EnergyMap(maps[0], maps[1], maps[2], (int) origin[0], (int) origin[1],
            numbers(file, g, ENERGY, "pooled_reduced_chi_square", 1)[0],
            string(file, g, ENERGY, "error_scaling"), offsets);
    }

    private static byte[] int64(long[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long d : v) {
            b.putLong(d);
        }
        return b.array();
    }

    private static final String CORRELATION = "/spearman";

    /** Each row's rank correlation beyond ρ and the reported p: the group {@value #CORRELATION}. */
    private static void writeCorrelations(Hdf5FileWriter w, List<SeriesResults.Row> rows) {
        List<RankCorrelation> c = rows.stream().map(SeriesResults.Row::correlation).toList();
        long[] dims = {c.size()};
        w.putDataset(CORRELATION + "/n", H5Type.INT64, dims, int64(c.stream().mapToLong(RankCorrelation::n).toArray()),
            List.of(Hdf5Attribute.of("description", "positions valid in both maps")));
        put(w, CORRELATION + "/p_independent", c.stream().mapToDouble(RankCorrelation::pValue).toArray(), "1",
            "two-sided p-value treating the positions as independent (far too small for overlapping positions)");
        put(w, CORRELATION + "/p_spatial", c.stream().mapToDouble(RankCorrelation::spatialPValue).toArray(), "1",
            "two-sided p-value respecting the maps' spatial autocorrelation");
        put(w, CORRELATION + "/n_eff", c.stream().mapToDouble(RankCorrelation::effectiveSampleSize).toArray(), "1",
            "effectively independent positions behind p_spatial");
        put(w, CORRELATION + "/ci_low", c.stream().mapToDouble(RankCorrelation::confidenceLow).toArray(), "1",
            "lower end of the confidence interval of rho");
        put(w, CORRELATION + "/ci_high", c.stream().mapToDouble(RankCorrelation::confidenceHigh).toArray(), "1",
            "upper end of the confidence interval of rho");
        double level = c.isEmpty() ? Double.NaN : c.get(0).confidenceLevel();
        w.putGroupAttributes(CORRELATION, List.of(
            Hdf5Attribute.of("confidence_level", level),
            Hdf5Attribute.of("p_methods", String.join("\n", c.stream().map(RankCorrelation::pValueMethod).toList())),
            Hdf5Attribute.of("spatial_methods", String.join("\n", c.stream().map(RankCorrelation::spatialMethod).toList()))));
    }

    private static RankCorrelation[] readCorrelations(Path file, HdfFile hdf, double[] rho, int k) throws RecordingException {
        double[] n = values(file, hdf, CORRELATION + "/n", k);
        double[] independent = values(file, hdf, CORRELATION + "/p_independent", k);
        double[] spatial = values(file, hdf, CORRELATION + "/p_spatial", k);
        double[] nEff = values(file, hdf, CORRELATION + "/n_eff", k);
        double[] low = values(file, hdf, CORRELATION + "/ci_low", k);
        double[] high = values(file, hdf, CORRELATION + "/ci_high", k);
        Node group = hdf.getChild(CORRELATION.substring(1));
        double level = ((Number) group.getAttribute("confidence_level").getData()).doubleValue();
        String[] pMethods = lines(file, group, "p_methods", k);
        String[] spatialMethods = lines(file, group, "spatial_methods", k);
        RankCorrelation[] out = new RankCorrelation[k];
        for (int i = 0; i < k; i++) {
            out[i] = new RankCorrelation(rho[i], (int) n[i], independent[i], pMethods[i], low[i], high[i], level, spatial[i],
                nEff[i], spatialMethods[i]);
        }
        return out;
    }

    private static String[] lines(Path file, Node group, String name, int k) throws RecordingException {
        io.jhdf.api.Attribute a = group.getAttribute(name);
        String[] lines = a == null ? new String[0] : a.getData().toString().split("\n", -1);
        if (lines.length != k) {
            throw new RecordingException(file, CORRELATION, Checks.format("attribute %s holds %d lines; expected %d", name,
                lines.length, k));
        }
        return lines;
    }

    /**
     * Files written before 2026-12-06 stored ρ and the p the command line reported, which was the
     * spatially aware one wherever the analysis computed it: it is read back as that.
     */
    private static RankCorrelation[] legacyCorrelations(double[] rho, double[] p, double[] n) {
        RankCorrelation[] out = new RankCorrelation[rho.length];
        for (int i = 0; i < rho.length; i++) {
            out[i] = new RankCorrelation(rho[i], (int) n[i], Double.NaN, "not stored (series file before 2026-12-06)",
                Double.NaN, Double.NaN, Double.NaN, p[i], Double.NaN, "as reported (series file before 2026-12-06)");
        }
        return out;
    }

    /**
     * Reads a series file back.
     *
     * @param file a {@code fivedstem-series/1} file
     * @return its rows and Arrhenius fit
     * @throws RecordingException if the file is missing, not HDF5, of another schema or incomplete
     */
    public static SeriesResults read(Path file) throws RecordingException {
        Hdf5Opener.requireHdf5(file);
        try (HdfFile hdf = new HdfFile(file)) {
            String schema = string(file, hdf, "schema");
            if (!SCHEMA.equals(schema)) {
                throw new RecordingException(file, null, "schema is '" + schema + "'; this reader reads " + SCHEMA);
            }
            TauSummary summary = TauSummary.parse(string(file, hdf, "summary"));
            double[] t = values(file, hdf, "/temperature_K", -1);
            int k = t.length;
            double[] n = values(file, hdf, "/n_valid", k);
            double[] censored = hdf.getChildren().containsKey("n_censored") ? values(file, hdf, "/n_censored", k) : new double[k];
            double[] tau = values(file, hdf, "/tau_summary_s", k);
            double[] err = values(file, hdf, "/tau_summary_err_s", k);
            double[] v = values(file, hdf, "/V_mean", k);
            double[] rho = values(file, hdf, "/spearman_rho", k);
            double[] p = values(file, hdf, "/spearman_p", k);
            RankCorrelation[] correlations = hdf.getChildren().containsKey("spearman")
                ? readCorrelations(file, hdf, rho, k) : legacyCorrelations(rho, p, n);
            String[] sources = string(file, hdf, "sources").split("\n", -1);
            if (sources.length != k) {
                throw new RecordingException(file, null, Checks.format("root attribute sources holds %d lines; expected %d",
                    sources.length, k));
            }
            List<SeriesResults.Row> rows = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                rows.add(new SeriesResults.Row(t[i], (int) n[i], (int) censored[i], tau[i], err[i], v[i], correlations[i],
                    sources[i]));
            }
            ArrheniusFit fit = null;
            if (hdf.getChildren().containsKey("arrhenius")) {
                double[] at = values(file, hdf, "/arrhenius/temperature_K", -1);
                fit = ArrheniusFit.of(numbers(file, hdf, "activation_energy_kJ_per_mol", 1)[0],
                    numbers(file, hdf, "activation_energy_err_kJ_per_mol", 1)[0], numbers(file, hdf, "tau_inf_s", 1)[0],
                    numbers(file, hdf, "tau_inf_err_s", 1)[0], numbers(file, hdf, "reduced_chi_square", 1)[0], at,
                    values(file, hdf, "/arrhenius/tau_s", at.length), values(file, hdf, "/arrhenius/tau_err_s", at.length),
                    summary);
            }
            // Files written before the attribute existed carry no warnings.
            String warnings = hdf.getAttribute("warnings") == null ? "" : string(file, hdf, "warnings");
            // Files written before pairing existed fitted E with independent errors.
            boolean paired = hdf.getAttribute("paired_positions") != null
                && ((Number) hdf.getAttribute("paired_positions").getData()).longValue() != 0;
            // Files written before the activation-energy map existed, or without one, hold no map.
            SeriesResults.EnergyMap energy = hdf.getChildren().containsKey(ENERGY.substring(1)) ? readEnergyMap(file, hdf) : null;
            return SeriesResults.of(summary, rows, fit).withWarnings(warnings.isEmpty() ? List.of()
                : List.of(warnings.split("\n", -1))).withPairedPositions(paired).withEnergyMap(energy);
        } catch (RecordingException e) {
            throw e;
        } catch (HdfException | IllegalArgumentException | IllegalStateException e) {
            throw new RecordingException(file, null, "not a valid " + SCHEMA + " file: " + e.getMessage(), e);
        }
    }
}
