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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.Normalisation;
import org.fivedstem.api.QRange;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.correlation.CorrelationAlgorithm;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.StdErrMethod;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.engine.AnalysisSettings;
import org.fivedstem.core.fitting.Estimator;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.preparation.DriftTrajectory;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.hdf5.Hdf5Attribute;
import org.fivedstem.io.internal.H5Type;
import org.fivedstem.io.internal.Hdf5FileWriter;
import org.fivedstem.io.internal.Hdf5Opener;

/**
 * Writes and reads results files, schema {@code fivedstem-results/1} (documented field by field
 * in {@code docs/results-format.md}): HDF5 that h5py, MATLAB and HDFView read.
 *
 * <pre>{@code
 * AnalysisResult result = Analysis.of(dataset).dynamics(...).structure(...).run();
 * ResultsFile.write(Path.of("maps.h5"), result, Provenance.of("scan.h5"));
 * SavedAnalysis back = ResultsFile.read(Path.of("maps.h5"));
 * ScalarMap tau = back.maps().reliableTauSeconds();
 * FitOptions asked = back.settings().dynamics().orElseThrow().fit();
 * }</pre>
 *
 * <p>Writing goes to a temporary file beside the target, which is moved into place only when
 * complete; a failure leaves no file (and an existing target untouched). Written with the
 * module's own HDF5 writer, because jhdf 0.11.0 cannot write {@code uint8} ({@code fit_status}).
 */
public final class ResultsFile {

    /** The schema identifier stored in the root attribute {@code schema}. */
    public static final String SCHEMA = "fivedstem-results/1";

    private static final String TAU_LIMIT = "tau_limit_s";

    private static final String TIMESTAMPS = "frame_timestamps_s";

    private static final String[][] MAPS = {
        {"tau_s", "s", "KWW relaxation time tau (eq. 3); NaN where the fit failed"},
        {"tau_err_s", "s", "standard error of tau"},
        {"beta", "1", "KWW contrast beta"},
        {"beta_err", "1", "standard error of beta"},
        {"gamma", "1", "KWW stretching exponent gamma"},
        {"gamma_err", "1", "standard error of gamma; 0 where gamma was fixed"},
        {"V", "1", "time-averaged speckle variance V (eq. 5); NaN where invalid"},
    };

    private ResultsFile() {
    }

    /** @return the fit status codes as documented in the file ({@code "0 = converged, 1 = …"}) */
    static String statusCodes() {
        List<String> parts = new ArrayList<>();
        for (FitStatus s : FitStatus.values()) {
            parts.add(s.code() + " = " + s.description());
        }
        return String.join("; ", parts);
    }

    /**
     * Saves an analysis: its maps, every position's g(t), its settings and ρ, with where its data came
     * from. The same as {@code write(target, SavedAnalysis.of(result, provenance))}.
     *
     * @param target the file (replaced if it exists)
     * @param result a run of {@code Analysis}
     * @param provenance where its data came from
     * @throws IOException if writing fails (no file is left behind)
     */
    public static void write(Path target, AnalysisResult result, Provenance provenance) throws IOException {
        write(target, SavedAnalysis.of(result, provenance));
    }

    /**
     * Writes a results file.
     *
     * @param target the file (replaced if it exists)
     * @param saved what to write
     * @throws IOException if writing fails (no file is left behind)
     */
    public static void write(Path target, SavedAnalysis saved) throws IOException {
        try (Hdf5FileWriter w = Hdf5FileWriter.create(target)) {
            if (saved.curves().isPresent()) {
                ResultCurves cv = saved.curves().get();
                long[] at = reserveCurves(w, cv.scanY(), cv.scanX(), cv.lagsSeconds());
                // large: written straight into the reserved blocks instead of a second in-memory copy
                double[] g = cv.valuesShared();
                writeDoubles(w, at[0], g, 0, g.length);
                double[] e = cv.stdErrsShared();
                writeDoubles(w, at[1], e, 0, e.length);
            }
            writeAllButCurves(w, saved);
            w.commit();
        }
    }

    /** Puts {@code /curves/lag_s} and reserves {@code /curves/g} and {@code /curves/g_err}; returns their addresses. */
    private static long[] reserveCurves(Hdf5FileWriter w, int scanY, int scanX, double[] lagsSeconds) {
        w.putDataset("/curves/lag_s", H5Type.FLOAT64, new long[] {lagsSeconds.length}, float64(lagsSeconds),
            List.of(Hdf5Attribute.of("units", "s")));
        long[] dims = {scanY, scanX, lagsSeconds.length};
        long gAt = w.reserveDataset("/curves/g", H5Type.FLOAT64, dims,
            List.of(Hdf5Attribute.of("description", "intensity autocorrelation g(t) per position (eq. 2), lag 0 included")));
        long eAt = w.reserveDataset("/curves/g_err", H5Type.FLOAT64, dims,
            List.of(Hdf5Attribute.of("description", "standard error of g; NaN where unknown")));
        return new long[] {gAt, eAt};
    }

    /** Everything of a results file but its curves: attributes, maps, V(Q), preparation. */
    private static void writeAllButCurves(Hdf5FileWriter w, SavedAnalysis saved) throws IOException {
        HeterogeneityMaps m = saved.maps();
        long[] mapDims = {m.scanY(), m.scanX()};
        List<Hdf5Attribute> root = new ArrayList<>();
        root.add(Hdf5Attribute.of("schema", SCHEMA));
        provenanceAttributes(root, saved.provenance(), m);
        Calibration cal = saved.settings().calibration();
        calibrationAttributes(root, cal);
        saved.settings().dynamics().ifPresent(d -> dynamicsAttributes(root, d));
        saved.settings().structure().ifPresent(st -> structureAttributes(root, st));
        root.add(Hdf5Attribute.of("pool", (long) saved.settings().pooling()));
        statisticsAttributes(root, saved);
        w.putGroupAttributes("/", root);
        if (cal.hasTimestamps()) {
            double[] ts = cal.timestampsSeconds();
            w.putDataset("/" + TIMESTAMPS, H5Type.FLOAT64, new long[] {ts.length}, float64(ts),
                List.of(Hdf5Attribute.of("units", "s"), Hdf5Attribute.of("description",
                    "time of each analysed frame; frame_interval_s is their median spacing")));
        }
        ScalarMap[] maps = {m.tauSeconds(), m.tauErrorSeconds(), m.beta(), m.betaError(), m.gamma(), m.gammaError(), m.speckleVariance()};
        for (int i = 0; i < maps.length; i++) {
            w.putDataset("/maps/" + MAPS[i][0], H5Type.FLOAT64, mapDims, float64(maps[i].values()),
                List.of(Hdf5Attribute.of("units", MAPS[i][1]), Hdf5Attribute.of("description", MAPS[i][2])));
        }
        w.putDataset("/maps/fit_status", H5Type.UINT8, mapDims, m.fitStatusCodes(),
            List.of(Hdf5Attribute.of("codes", statusCodes())));
        w.putDataset("/maps/" + TAU_LIMIT, H5Type.FLOAT64, mapDims, float64(m.tauLimitSeconds().values()),
            List.of(Hdf5Attribute.of("units", "s"), Hdf5Attribute.of("description",
                "right-censoring limit of tau where fit_status is 2 (tau slower than the recording resolves: "
                    + "tau exceeds this one-sided 95 % lower confidence bound); NaN elsewhere")));
        w.putGroupAttributes("/maps", List.of(Hdf5Attribute.of("dynamics_analysed", m.hasDynamics() ? 1L : 0L),
            Hdf5Attribute.of("structure_analysed", m.hasStructure() ? 1L : 0L),
            Hdf5Attribute.of("tau_err_dof", (long) m.tauErrorDegreesOfFreedom())));
        if (saved.profiles().isPresent()) {
            ResultProfiles pr = saved.profiles().get();
            QRange[] bins = pr.bins();
            double[] q = new double[2 * bins.length];
            for (int i = 0; i < bins.length; i++) {
                q[2 * i] = bins[i].qMinInverseNm();
                q[2 * i + 1] = bins[i].qMaxInverseNm();
            }
            w.putDataset("/profiles/q_inv_nm", H5Type.FLOAT64, new long[] {bins.length, 2}, float64(q),
                List.of(Hdf5Attribute.of("units", "nm^-1"), Hdf5Attribute.of("description", "[min, max) of each Q bin")));
            w.putDataset("/profiles/V_q", H5Type.FLOAT64, new long[] {pr.scanY(), pr.scanX(), bins.length}, float64(pr.values()),
                List.of(Hdf5Attribute.of("description", "time-averaged speckle variance V (eq. 5) per position and Q bin; "
                    + "NaN where no frame was usable")));
        }
        writePreparation(w, saved.preparation());
    }

    /**
     * Writes a results file whose curves come in parts before the rest is known — the tiles of a distributed
     * run, as they arrive — so that the scan's curves are never held at once: {@link #putCurves} for every
     * position, then {@link #finish} with everything else. The file appears at the target, complete, only
     * when {@link #finish} returns; closing an unfinished writer leaves nothing behind. Reads back as any
     * results file. Not thread-safe.
     */
    public static final class Writer implements java.io.Closeable {
        private final Hdf5FileWriter w;
        private final int scanY;
        private final int scanX;
        private final double[] lagsSeconds;
        private final long gAt;
        private final long eAt;
        private final java.util.BitSet given = new java.util.BitSet();
        private boolean finished;

        private Writer(Hdf5FileWriter w, int scanY, int scanX, double[] lagsSeconds) {
            this.w = w;
            this.scanY = scanY;
            this.scanX = scanX;
            this.lagsSeconds = lagsSeconds;
            long[] at = reserveCurves(w, scanY, scanX, lagsSeconds);
            this.gAt = at[0];
            this.eAt = at[1];
        }

        /**
         * @param target the results file (replaced when finished)
         * @param scanY scan rows
         * @param scanX scan columns
         * @param lagsSeconds the curves' lag times in s (copied)
         * @return a writer expecting every position's curve
         * @throws IOException if the temporary file cannot be created
         */
        public static Writer open(Path target, int scanY, int scanX, double[] lagsSeconds) throws IOException {
            Checks.positive("scanY", scanY);
            Checks.positive("scanX", scanX);
            if (lagsSeconds.length == 0) {
                throw new IllegalArgumentException("lagsSeconds is empty; expected at least lag 0");
            }
            return new Writer(Hdf5FileWriter.create(target), scanY, scanX, lagsSeconds.clone());
        }

        /**
         * Writes the curves of a run of positions along one scan row.
         *
         * @param y scan row
         * @param x first scan column
         * @param count positions
         * @param g their g, {@code count × lags} values from {@code offset}. Not modified.
         * @param gErr their standard errors, same layout. Not modified.
         * @param offset index in {@code g} and {@code gErr} of the first position's lag 0
         * @throws IOException if writing fails
         * @throws IllegalArgumentException if the run leaves the row, or a position was given before
         */
        public void putCurves(int y, int x, int count, double[] g, double[] gErr, int offset) throws IOException {
            Checks.index("y", y, scanY);
            if (x < 0 || count < 1 || x + count > scanX) {
                throw new IllegalArgumentException(Checks.format("positions %d…%d of row %d are outside the scan's %d columns",
                    x, x + count - 1, y, scanX));
            }
            int n = count * lagsSeconds.length;
            if (offset < 0 || offset + n > g.length || offset + n > gErr.length) {
                throw new IllegalArgumentException(Checks.format("%d values from %d do not fit arrays of %d and %d",
                    n, offset, g.length, gErr.length));
            }
            int first = y * scanX + x;
            int again = given.get(first, first + count).nextSetBit(0);
            if (again >= 0) {
                throw new IllegalArgumentException(Checks.format("the curve of (%d, %d) was given before", y, x + again));
            }
            long byteOffset = (long) first * lagsSeconds.length * 8;
            writeDoubles(w, gAt + byteOffset, g, offset, n);
            writeDoubles(w, eAt + byteOffset, gErr, offset, n);
            given.set(first, first + count);
        }

        /**
         * Writes everything else and moves the file into place.
         *
         * @param saved the maps, settings and the rest, of the same scan and lags, without curves
         * @throws IOException if writing fails
         * @throws IllegalStateException if a position's curve was not given
         * @throws IllegalArgumentException if {@code saved} holds curves or covers another scan
         */
        public void finish(SavedAnalysis saved) throws IOException {
            if (saved.curves().isPresent()) {
                throw new IllegalArgumentException("the analysis holds curves; the writer has them already");
            }
            if (saved.maps().scanY() != scanY || saved.maps().scanX() != scanX) {
                throw new IllegalArgumentException(Checks.format("the analysis covers %d×%d positions, the curves %d×%d",
                    saved.maps().scanY(), saved.maps().scanX(), scanY, scanX));
            }
            int missing = given.nextClearBit(0);
            if (missing < scanY * scanX) {
                throw new IllegalStateException(Checks.format("the curve of (%d, %d) was not given (%d of %d positions were)",
                    missing / scanX, missing % scanX, given.cardinality(), scanY * scanX));
            }
            writeAllButCurves(w, saved);
            w.commit();
            finished = true;
        }

        @Override
        public void close() throws IOException {
            w.close();
        }

        @Override
        public String toString() {
            return Checks.format("ResultsFile.Writer[%d×%d positions × %d lags, %d curves given%s]", scanY, scanX,
                lagsSeconds.length, given.cardinality(), finished ? ", finished" : "");
        }
    }

    private static void provenanceAttributes(List<Hdf5Attribute> root, Provenance p, HeterogeneityMaps m) {
        root.add(Hdf5Attribute.of("software_version", p.softwareVersion()));
        root.add(Hdf5Attribute.of("input_file", p.inputFile()));
        root.add(Hdf5Attribute.of("input_dataset", p.inputDataset()));
        root.add(Hdf5Attribute.of("axes", p.axes().toString()));
        root.add(Hdf5Attribute.of("bin", (long) p.bin()));
        int[] c = p.crop(m.scanY(), m.scanX());
        root.add(Hdf5Attribute.ofArray("crop", new long[] {c[0], c[1], c[2], c[3]}));
        root.add(Hdf5Attribute.of("created", p.created().toString()));
        if (!p.engine().isEmpty()) {
            root.add(Hdf5Attribute.of("engine", p.engine()));
        }
    }

    private static void calibrationAttributes(List<Hdf5Attribute> root, Calibration cal) {
        root.add(Hdf5Attribute.of("frame_interval_s", cal.frameIntervalSeconds()));
        root.add(Hdf5Attribute.ofArray("scan_step_nm", new double[] {cal.scanStepYNm(), cal.scanStepXNm()}));
        root.add(Hdf5Attribute.of("pixel_size_inv_nm", cal.pixelSizeInverseNm()));
        root.add(Hdf5Attribute.ofArray("center_px", new double[] {cal.centerKyPx(), cal.centerKxPx()}));
        root.add(Hdf5Attribute.ofArray("ellipse", new double[] {cal.ellipseAxisRatio(), cal.ellipseAngleRadians()}));
        root.add(Hdf5Attribute.of("temperature_K", cal.temperatureKelvin().orElse(Double.NaN)));
    }

    private static void dynamicsAttributes(List<Hdf5Attribute> root, AnalysisSettings.Dynamics d) {
        CorrelationOptions co = d.correlation();
        FitOptions fo = d.fit();
        root.add(Hdf5Attribute.ofArray("dyn_q_inv_nm", new double[] {d.range().qMinInverseNm(), d.range().qMaxInverseNm()}));
        root.add(Hdf5Attribute.of("dyn_pixels", (long) d.pixelCount()));
        root.add(Hdf5Attribute.of("normalisation", co.normalisation().toString()));
        root.add(Hdf5Attribute.of("stderr_method", SchemaNames.of(co.stdErrMethod())));
        root.add(Hdf5Attribute.of("jackknife_blocks", (long) co.jackknifeBlocks()));
        root.add(Hdf5Attribute.of("factorial_lag0", co.factorialLag0() ? 1L : 0L));
        root.add(Hdf5Attribute.of("correlation_algorithm", SchemaNames.of(co.algorithm())));
        root.add(fo.gammaFree() ? Hdf5Attribute.of("gamma_mode", "free") : Hdf5Attribute.of("gamma_mode", fo.gammaFixed()));
        root.add(Hdf5Attribute.ofArray("gamma_bounds", new double[] {fo.gammaMin(), fo.gammaMax()}));
        root.add(Hdf5Attribute.of("fit_baseline", fo.baseline() ? 1L : 0L));
        root.add(Hdf5Attribute.of("fit_first_lag", (long) d.firstLag()));
        root.add(Hdf5Attribute.of("fit_last_lag", (long) d.lastLag()));
        root.add(Hdf5Attribute.ofArray("fit_lags_asked", new long[] {fo.firstLag(), fo.lastLag()}));
        root.add(Hdf5Attribute.of("weighting", SchemaNames.of(d.effectiveWeighting())));
        root.add(Hdf5Attribute.of("fit_weighting", SchemaNames.of(fo.weighting())));
        root.add(Hdf5Attribute.of("estimator", SchemaNames.of(d.estimator())));
        root.add(Hdf5Attribute.of("fit_estimator", SchemaNames.of(fo.estimator())));
        root.add(Hdf5Attribute.of("fit_shot_noise_gain", fo.shotNoiseGain()));
        root.add(Hdf5Attribute.of("fit_max_iterations", (long) fo.maxIterations()));
        root.add(Hdf5Attribute.of("slow_limit_fraction", fo.slowLimitFraction()));
        root.add(Hdf5Attribute.of("decay_test_level", fo.decayTestLevel()));
        root.add(Hdf5Attribute.of("max_relative_tau_error", fo.maxRelativeTauError()));
    }

    private static void structureAttributes(List<Hdf5Attribute> root, AnalysisSettings.Structure st) {
        root.add(Hdf5Attribute.ofArray("struct_q_inv_nm", new double[] {st.range().qMinInverseNm(), st.range().qMaxInverseNm()}));
        root.add(Hdf5Attribute.of("struct_pixels", (long) st.pixelCount()));
        root.add(Hdf5Attribute.of("speckle_variance_shot_noise_gain", st.shotNoiseGainAduPerElectron()));
    }

    private static void statisticsAttributes(List<Hdf5Attribute> root, SavedAnalysis saved) {
        RankCorrelation r = saved.spearman().orElse(null);
        root.add(Hdf5Attribute.of("spearman_rho", r == null ? Double.NaN : r.rho()));
        root.add(Hdf5Attribute.of("spearman_p", saved.reportedSpearmanP()));
        if (r != null) {
            root.add(Hdf5Attribute.of("spearman_n", (long) r.n()));
            root.add(Hdf5Attribute.of("spearman_p_independent", r.pValue()));
            root.add(Hdf5Attribute.of("spearman_p_method", r.pValueMethod()));
            root.add(Hdf5Attribute.ofArray("spearman_ci", new double[] {r.confidenceLow(), r.confidenceHigh()}));
            root.add(Hdf5Attribute.of("spearman_ci_level", r.confidenceLevel()));
            root.add(Hdf5Attribute.of("spearman_p_spatial", r.spatialPValue()));
            root.add(Hdf5Attribute.of("spearman_n_eff", r.effectiveSampleSize()));
            root.add(Hdf5Attribute.of("spearman_spatial_method", r.spatialMethod()));
        }
        root.add(Hdf5Attribute.of("n_valid", (long) saved.validCount()));
    }

    private static void writePreparation(Hdf5FileWriter w, Preparation p) {
        if (p.mask().isPresent()) {
            DetectorMask mk = p.mask().get();
            byte[] b = new byte[mk.ky() * mk.kx()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (mk.isValid(i) ? 1 : 0);
            }
            w.putDataset("/mask", H5Type.UINT8, new long[] {mk.ky(), mk.kx()}, b,
                List.of(Hdf5Attribute.of("description", "detector mask of the analysed (binned) patterns: 1 = used, 0 = excluded")));
        }
        if (p.isEmpty() || (p.mask().isPresent() && !p.hasCenter() && p.excludedPerFrame().length == 0 && !p.hasDrift()
            && p.beamStopPixels() == 0 && p.hotPixels() == 0 && p.deadPixels() == 0)) {
            return;
        }
        List<Hdf5Attribute> a = new ArrayList<>();
        if (p.hasCenter()) {
            double[] c = p.center();
            a.add(Hdf5Attribute.ofArray("center_px", new double[] {c[0], c[1]}));
            a.add(Hdf5Attribute.ofArray("center_err_px", new double[] {c[2], c[3]}));
            a.add(Hdf5Attribute.of("ellipse_axis_ratio", c[4]));
            a.add(Hdf5Attribute.of("ellipse_angle_rad", c[5]));
            a.add(Hdf5Attribute.of("center_method", p.centerMethod()));
        }
        a.add(Hdf5Attribute.of("beam_stop_pixels", (long) p.beamStopPixels()));
        a.add(Hdf5Attribute.of("hot_pixels", (long) p.hotPixels()));
        a.add(Hdf5Attribute.of("dead_pixels", (long) p.deadPixels()));
        a.add(Hdf5Attribute.of("flare_pixels", (long) p.flarePixels()));
        a.add(Hdf5Attribute.of("outside_aperture_pixels", (long) p.outsideAperturePixels()));
        a.add(Hdf5Attribute.of("saturated_pixels", (long) p.saturatedPixels()));
        if (p.hasDrift()) {
            a.add(Hdf5Attribute.of("drift_resampling", p.driftResampling().orElseThrow().label()));
        }
        w.putGroupAttributes("/preparation", a);
        int[] ex = p.excludedPerFrame();
        if (ex.length > 0) {
            double[] d = new double[ex.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = ex[i];
            }
            w.putDataset("/preparation/excluded_per_frame", H5Type.FLOAT64, new long[] {d.length}, float64(d),
                List.of(Hdf5Attribute.of("description", "patterns excluded (blank, dim, flash) in each frame")));
        }
        if (p.hasDrift()) {
            long[] dims = {p.driftTimeSeconds().length};
            w.putDataset("/preparation/drift_time_s", H5Type.FLOAT64, dims, float64(p.driftTimeSeconds()),
                List.of(Hdf5Attribute.of("units", "s")));
            w.putDataset("/preparation/drift_y_nm", H5Type.FLOAT64, dims, float64(p.driftYNm()),
                List.of(Hdf5Attribute.of("units", "nm"), Hdf5Attribute.of("description", "scan drift along y (rows)")));
            w.putDataset("/preparation/drift_x_nm", H5Type.FLOAT64, dims, float64(p.driftXNm()),
                List.of(Hdf5Attribute.of("units", "nm"), Hdf5Attribute.of("description", "scan drift along x (columns)")));
        }
    }

    private static Preparation readPreparation(Path file, HdfFile hdf) throws RecordingException {
        Preparation p = Preparation.none();
        if (hdf.getChildren().containsKey("mask")) {
            Dataset m = Hdf5Opener.findDataset(file, hdf, "/mask");
            int[] d = m.getDimensions();
            double[] v = values(file, hdf, "/mask", d[0] * d[1]);
            boolean[] valid = new boolean[v.length];
            for (int i = 0; i < v.length; i++) {
                valid[i] = v[i] != 0;
            }
            p = p.withMask(DetectorMask.of(d[0], d[1], valid));
        }
        if (!hdf.getChildren().containsKey("preparation")) {
            return p;
        }
        Node g = hdf.getByPath("/preparation");
        Attribute c = g.getAttribute("center_px");
        if (c != null) {
            double[] xy = Hdf5Opener.toDoubles(c.getData());
            double[] err = Hdf5Opener.toDoubles(g.getAttribute("center_err_px").getData());
            p = p.withCenter(xy[0], xy[1], err[0], err[1], ((Number) g.getAttribute("ellipse_axis_ratio").getData()).doubleValue(),
                ((Number) g.getAttribute("ellipse_angle_rad").getData()).doubleValue(),
                (String) g.getAttribute("center_method").getData());
        }
        p = p.withMaskCounts(count(g, "beam_stop_pixels"), count(g, "hot_pixels"), count(g, "dead_pixels"))
            .withArtefactCounts(count(g, "flare_pixels"), count(g, "outside_aperture_pixels"), count(g, "saturated_pixels"));
        Map<String, Node> kids = ((io.jhdf.api.Group) g).getChildren();
        if (kids.containsKey("excluded_per_frame")) {
            double[] v = values(file, hdf, "/preparation/excluded_per_frame", -1);
            int[] e = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                e[i] = (int) v[i];
            }
            p = p.withExcludedPerFrame(e);
        }
        if (kids.containsKey("drift_time_s")) {
            // Files written before the attribute existed were corrected by whole steps, the only way then.
            Attribute resampling = g.getAttribute("drift_resampling");
            p = p.withDrift(values(file, hdf, "/preparation/drift_time_s", -1), values(file, hdf, "/preparation/drift_y_nm", -1),
                values(file, hdf, "/preparation/drift_x_nm", -1),
                resampling == null ? DriftTrajectory.Resampling.WHOLE_STEPS : DriftTrajectory.Resampling.parse((String) resampling.getData()));
        }
        return p;
    }

    private static int count(Node g, String name) {
        Attribute a = g.getAttribute(name);
        return a == null ? 0 : ((Number) a.getData()).intValue();
    }

    private static void writeDoubles(Hdf5FileWriter w, long address, double[] v, int from, int count) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        long pos = address;
        int end = from + count;
        for (int i = from; i < end; i++) {
            b.putDouble(v[i]);
            if (!b.hasRemaining() || i == end - 1) {
                b.flip();
                int n = b.remaining();
                w.write(pos, b);
                pos += n;
                b.clear();
            }
        }
    }

    /**
     * Reads one position's g(t) and its standard errors from a results file, without reading the scan's curves:
     * for a file larger than memory, or one written by {@link Writer} from a run that held no curves.
     *
     * @param file a {@code fivedstem-results/1} file with curves
     * @param y scan row
     * @param x scan column
     * @return the curve (pair counts unknown: 0)
     * @throws RecordingException if the file cannot be read or holds no curves, or the position is outside its scan
     */
    public static CorrelationCurve readCurve(Path file, int y, int x) throws RecordingException {
        Hdf5Opener.requireHdf5(file);
        try (HdfFile hdf = new HdfFile(file)) {
            if (!hdf.getChildren().containsKey("curves")) {
                throw new RecordingException(file, "/curves", "the file holds no curves (analysed without g(t))");
            }
            double[] lags = values(file, hdf, "/curves/lag_s", -1);
            Dataset g = Hdf5Opener.findDataset(file, hdf, "/curves/g");
            int[] d = g.getDimensions();
            if (d.length != 3 || y < 0 || y >= d[0] || x < 0 || x >= d[1] || d[2] != lags.length) {
                throw new RecordingException(file, "/curves/g", Checks.format(
                    "position (%d, %d) is outside the curves' %s positions × lags, or their lags are not lag_s's %d", y, x,
                    java.util.Arrays.toString(d), lags.length));
            }
            long[] at = {y, x, 0};
            int[] one = {1, 1, lags.length};
            double[] v = Hdf5Opener.toDoubles(g.getData(at, one));
            double[] e = Hdf5Opener.toDoubles(Hdf5Opener.findDataset(file, hdf, "/curves/g_err").getData(at, one));
            return CorrelationCurve.of(lags, v, e, new int[lags.length], null, null);
        } catch (HdfException | IllegalArgumentException e) {
            throw new RecordingException(file, "/curves", "cannot read the curve at (" + y + ", " + x + "): " + e.getMessage(), e);
        }
    }

    /**
     * Reads a results file back.
     *
     * <p>Files written by earlier versions lack some attributes; their settings are read as
     * {@code docs/results-format.md} says (the defaults of the time, or what the file's other
     * attributes imply) and named by {@link SavedAnalysis#unrecordedSettings()}.
     *
     * @param file a {@code fivedstem-results/1} file
     * @return its maps, curves (if stored), settings, ρ, provenance and preparation
     * @throws RecordingException if the file is missing, not HDF5, of another schema or incomplete
     */
    public static SavedAnalysis read(Path file) throws RecordingException {
        Hdf5Opener.requireHdf5(file);
        try (HdfFile hdf = new HdfFile(file)) {
            String schema = string(file, hdf, "schema");
            if (!SCHEMA.equals(schema)) {
                throw new RecordingException(file, null, "schema is '" + schema + "'; this reader reads " + SCHEMA);
            }
            Root root = new Root(file, hdf);
            double[] step = numbers(file, hdf, "scan_step_nm", 2);
            Dataset tau = Hdf5Opener.findDataset(file, hdf, "/maps/tau_s");
            int[] d = tau.getDimensions();
            if (d.length != 2) {
                throw new RecordingException(file, "/maps/tau_s", "map has rank " + d.length + "; expected 2 (scan_y, scan_x)");
            }
            int sy = d[0];
            int sx = d[1];
            ScalarMap[] maps = new ScalarMap[MAPS.length];
            for (int i = 0; i < MAPS.length; i++) {
                String path = "/maps/" + MAPS[i][0];
                double[] v = values(file, hdf, path, sy * sx);
                maps[i] = ScalarMap.of(MAPS[i][0], MAPS[i][1].equals("1") ? "" : MAPS[i][1], sy, sx, v, step[0], step[1]);
            }
            double[] st = values(file, hdf, "/maps/fit_status", sy * sx);
            byte[] status = new byte[st.length];
            for (int i = 0; i < st.length; i++) {
                status[i] = (byte) st[i];
            }
            Node mapsGroup = hdf.getByPath("/maps");
            HeterogeneityMaps.Builder b = HeterogeneityMaps.builder(sy, sx, step[0], step[1]);
            Attribute dofAttribute = mapsGroup.getAttribute("tau_err_dof");
            b.tauErrorDegreesOfFreedom(dofAttribute == null ? 0 : ((Number) dofAttribute.getData()).intValue());
            boolean dynamics = flag(mapsGroup, "dynamics_analysed");
            boolean structure = flag(mapsGroup, "structure_analysed");
            if (dynamics) {
                ScalarMap limit = ScalarMap.of(TAU_LIMIT, "s", sy, sx, tauLimits(file, hdf, mapsGroup, maps[0], maps[1], status),
                    step[0], step[1]);
                b.dynamics(maps[0], maps[1], limit, maps[2], maps[3], maps[4], maps[5], status);
            }
            if (structure) {
                b.structure(maps[6]);
            }
            Calibration cal = readCalibration(root, hdf, step);
            b.temperatureKelvin(cal.temperatureKelvin().orElse(Double.NaN));
            ResultCurves curves = null;
            if (hdf.getChildren().containsKey("curves")) {
                double[] lags = values(file, hdf, "/curves/lag_s", -1);
                curves = ResultCurves.adopt(sy, sx, lags, values(file, hdf, "/curves/g", sy * sx * lags.length),
                    values(file, hdf, "/curves/g_err", sy * sx * lags.length));
            }
            AnalysisSettings.Builder settings = AnalysisSettings.builder(cal);
            if (dynamics) {
                settings.dynamics(readDynamics(root));
            }
            if (structure) {
                double[] sq = root.numbers("struct_q_inv_nm", 2);
                // Files written before the attribute existed hold V as analyze wrote it then: uncorrected.
                settings.structure(new AnalysisSettings.Structure(QRange.of(sq[0], sq[1]), (int) root.number("struct_pixels"),
                    root.optionalNumber("speckle_variance_shot_noise_gain", Double.NaN)));
            }
            settings.pooling((int) root.optionalNumber("pool", 1));
            double[] crop = numbers(file, hdf, "crop", 4);
            Provenance provenance = Provenance.of(string(file, hdf, "input_file"))
                .withSoftwareVersion(string(file, hdf, "software_version"))
                .withDataset(string(file, hdf, "input_dataset"))
                .withAxes(AxisOrder.parse(string(file, hdf, "axes")))
                .withBin((int) root.number("bin"))
                .withCrop((int) crop[0], (int) crop[1], (int) crop[2], (int) crop[3])
                .withCreated(Instant.parse(string(file, hdf, "created")))
                // written only by other engines than the single-machine one
                .withEngine(hdf.getAttribute("engine") == null ? "" : string(file, hdf, "engine"));
            SavedAnalysis saved = SavedAnalysis.of(b.build(), curves, settings.build(), readSpearman(root), provenance)
                .withPreparation(readPreparation(file, hdf));
            if (structure && hdf.getChildren().containsKey("profiles")) {
                double[] q = values(file, hdf, "/profiles/q_inv_nm", -1);
                if (q.length == 0 || q.length % 2 != 0) {
                    throw new RecordingException(file, "/profiles/q_inv_nm", Checks.format(
                        "dataset holds %d values; expected [min, max] pairs of Q bins (shape (bins, 2))", q.length));
                }
                QRange[] bins = new QRange[q.length / 2];
                for (int i = 0; i < bins.length; i++) {
                    bins[i] = QRange.of(q[2 * i], q[2 * i + 1]);
                }
                saved = saved.withProfiles(ResultProfiles.adopt(sy, sx, bins, values(file, hdf, "/profiles/V_q", sy * sx * bins.length)));
            }
            return saved.withUnrecorded(root.unrecorded);
        } catch (RecordingException e) {
            throw e;
        } catch (HdfException | IllegalArgumentException | IllegalStateException | DateTimeParseException e) {
            throw new RecordingException(file, null, "not a valid " + SCHEMA + " file: " + e.getMessage(), e);
        }
    }

    private static Calibration readCalibration(Root root, HdfFile hdf, double[] step) throws RecordingException {
        double[] center = root.numbers("center_px", 2);
        Calibration.Builder c = Calibration.builder()
            .scanStepNm(step[0], step[1])
            .pixelSizeInverseNm(root.number("pixel_size_inv_nm"))
            .centerPx(center[0], center[1])
            .temperatureKelvin(root.number("temperature_K"));
        if (hdf.getChildren().containsKey(TIMESTAMPS)) {
            c.timestampsSeconds(values(root.file, hdf, "/" + TIMESTAMPS, -1));
        } else {
            c.frameIntervalSeconds(root.number("frame_interval_s"));
        }
        // Files written before the attribute existed: a circular calibration, the only kind analyze wrote then.
        double[] ellipse = root.optionalNumbers("ellipse", new double[] {1, 0});
        if (ellipse[0] != 1) {
            c.ellipticalDistortion(ellipse[0], ellipse[1]);
        }
        return c.build();
    }

    private static AnalysisSettings.Dynamics readDynamics(Root root) throws RecordingException {
        Path file = root.file;
        double[] dq = root.numbers("dyn_q_inv_nm", 2);
        int first = (int) root.number("fit_first_lag");
        int last = (int) root.number("fit_last_lag");
        CorrelationOptions co = CorrelationOptions.defaults()
            .withNormalisation(Normalisation.parse(root.string("normalisation")))
            // files written before 2026-11-22: unknown; read as that time's default, and named unrecorded
            .withStdErrMethod(SchemaNames.stdErrMethod(file, "stderr_method",
                root.optionalString("stderr_method", SchemaNames.of(StdErrMethod.PIXEL_GROUP_JACKKNIFE))))
            .withJackknifeBlocks((int) root.optionalNumber("jackknife_blocks", CorrelationOptions.DEFAULT_JACKKNIFE_BLOCKS))
            .withFactorialLag0(root.optionalNumber("factorial_lag0", 0) != 0)
            .withAlgorithm(SchemaNames.algorithm(file, "correlation_algorithm",
                root.optionalString("correlation_algorithm", SchemaNames.of(CorrelationAlgorithm.AUTO))));
        Attribute gm = root.hdf.getAttribute("gamma_mode");
        double gammaFixed = gm != null && gm.getData() instanceof Number ? ((Number) gm.getData()).doubleValue() : Double.NaN;
        double[] bounds = root.optionalNumbers("gamma_bounds", new double[] {FitOptions.DEFAULT_GAMMA_MIN, FitOptions.DEFAULT_GAMMA_MAX});
        // Before fit_weighting, only the weighting the fits had was recorded: read it as the one asked for.
        String effectiveWeighting = root.string("weighting");
        Estimator used = SchemaNames.estimator(file, "estimator",
            root.optionalString("estimator", SchemaNames.of(Estimator.LEAST_SQUARES)));
        FitOptions fo = FitOptions.defaults()
            .withGammaBounds(bounds[0], bounds[1])
            .withBaseline(root.optionalNumber("fit_baseline", 0) != 0)
            .withWeighting(SchemaNames.weighting(file, "fit_weighting", root.optionalString("fit_weighting", effectiveWeighting)))
            .withEstimator(SchemaNames.estimator(file, "fit_estimator", root.optionalString("fit_estimator", SchemaNames.of(used))))
            .withMaxIterations((int) root.optionalNumber("fit_max_iterations", FitOptions.defaults().maxIterations()))
            .withSlowLimitFraction(root.optionalNumber("slow_limit_fraction", FitOptions.DEFAULT_SLOW_LIMIT_FRACTION))
            .withDecayTestLevel(root.optionalNumber("decay_test_level", FitOptions.DEFAULT_DECAY_TEST_LEVEL))
            .withMaxRelativeTauError(root.optionalNumber("max_relative_tau_error", FitOptions.DEFAULT_MAX_RELATIVE_TAU_ERROR));
        fo = Double.isNaN(gammaFixed) ? fo.withGammaFree() : fo.withGammaFixed(gammaFixed);
        double gain = root.optionalNumber("fit_shot_noise_gain", Double.NaN);
        if (!Double.isNaN(gain)) {
            fo = fo.withShotNoiseGain(gain);
        }
        // Before fit_lags_asked, the window the fits had is all that is known of the one asked for.
        double[] asked = root.optionalNumbers("fit_lags_asked", new double[] {first, last});
        fo = asked[0] < 0 ? fo.withDefaultLags() : fo.withLags((int) asked[0], (int) asked[1]);
        return new AnalysisSettings.Dynamics(QRange.of(dq[0], dq[1]), (int) root.number("dyn_pixels"), co, fo, first, last, used);
    }

    /**
     * ρ with its tests; for files written before they were stored, ρ with the one p-value then stored
     * (the spatial one where it was computed) as the spatial p, the others NaN and named unrecorded.
     */
    private static RankCorrelation readSpearman(Root root) throws RecordingException {
        double rho = root.number("spearman_rho");
        if (Double.isNaN(rho) && root.hdf.getAttribute("spearman_n") == null) {
            return null;
        }
        double[] ci = root.optionalNumbers("spearman_ci", new double[] {Double.NaN, Double.NaN});
        return new RankCorrelation(rho, (int) root.optionalNumber("spearman_n", root.number("n_valid")),
            root.optionalNumber("spearman_p_independent", Double.NaN), root.optionalString("spearman_p_method", "unrecorded"),
            ci[0], ci[1], root.optionalNumber("spearman_ci_level", Double.NaN),
            root.optionalNumber("spearman_p_spatial", root.number("spearman_p")), root.optionalNumber("spearman_n_eff", Double.NaN),
            root.optionalString("spearman_spatial_method", "unrecorded"));
    }

    /** Typed reads of root attributes; an optional one that is missing is read as its default and noted. */
    private static final class Root {
        final Path file;
        final HdfFile hdf;
        final Set<String> unrecorded = new TreeSet<>();

        Root(Path file, HdfFile hdf) {
            this.file = file;
            this.hdf = hdf;
        }

        String string(String name) throws RecordingException {
            return SchemaFields.string(file, hdf, name);
        }

        double number(String name) throws RecordingException {
            return numbers(name, 1)[0];
        }

        double[] numbers(String name, int count) throws RecordingException {
            return SchemaFields.numbers(file, hdf, name, count);
        }

        String optionalString(String name, String fallback) throws RecordingException {
            if (hdf.getAttribute(name) == null) {
                unrecorded.add(name);
                return fallback;
            }
            return string(name);
        }

        double optionalNumber(String name, double fallback) throws RecordingException {
            return optionalNumbers(name, new double[] {fallback})[0];
        }

        double[] optionalNumbers(String name, double[] fallback) throws RecordingException {
            if (hdf.getAttribute(name) == null) {
                unrecorded.add(name);
                return fallback;
            }
            return numbers(name, fallback.length);
        }
    }

    /**
     * The censoring limits: {@code /maps/tau_limit_s}, or for a file written before it (where
     * status 2 meant "τ̂ above twice the recording", a cut on the estimate) the limit the current rule
     * gives without the errors' degrees of freedom: the one-sided 95 % normal lower bound
     * τ̂·exp(−1.645 σ/τ̂), or τ̂/100 (the fit window's last lag, since τ̂ then ended on its box at
     * 100 × that lag) where σ is not finite.
     */
    private static double[] tauLimits(Path file, HdfFile hdf, Node mapsGroup, ScalarMap tau, ScalarMap tauErr, byte[] status)
        throws RecordingException {
        int n = status.length;
        if (mapsGroup instanceof io.jhdf.api.Group g && g.getChildren().containsKey(TAU_LIMIT)) {
            return values(file, hdf, "/maps/" + TAU_LIMIT, n);
        }
        double[] t = tau.values();
        double[] e = tauErr.values();
        double[] limit = new double[n];
        for (int i = 0; i < n; i++) {
            if (!FitStatus.ofCode(status[i]).isCensored()) {
                limit[i] = Double.NaN;
            } else {
                double rel = e[i] / t[i];
                limit[i] = rel > 0 && Double.isFinite(rel) ? t[i] * Math.exp(-1.6448536269514722 * rel) : t[i] / 100;
            }
        }
        return limit;
    }

    private static boolean flag(Node n, String name) {
        Attribute a = n.getAttribute(name);
        return a == null || ((Number) a.getData()).longValue() != 0;
    }
}
