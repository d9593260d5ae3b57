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

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.Normalisation;
import org.fivedstem.api.QRange;
import org.fivedstem.api.ScalarMap;
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
 * ResultsFile.write(Path.of("maps.h5"), AnalysisResults.of(maps, curves, metadata));
 * AnalysisResults back = ResultsFile.read(Path.of("maps.h5"));
 * ScalarMap tau = back.maps().reliableTauSeconds();
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
     * Writes a results file.
     *
     * @param target the file (replaced if it exists)
     * @param results what to write
     * @throws IOException if writing fails (no file is left behind)
     */
    public static void write(Path target, AnalysisResults results) throws IOException {
        HeterogeneityMaps m = results.maps();
        AnalysisMetadata md = results.metadata();
        long[] mapDims = {m.scanY(), m.scanX()};
        try (Hdf5FileWriter w = Hdf5FileWriter.create(target)) {
            List<Hdf5Attribute> root = new ArrayList<>();
            root.add(Hdf5Attribute.of("schema", SCHEMA));
            root.add(Hdf5Attribute.of("software_version", md.softwareVersion()));
            root.add(Hdf5Attribute.of("input_file", md.inputFile()));
            root.add(Hdf5Attribute.of("input_dataset", md.inputDataset()));
            root.add(Hdf5Attribute.of("axes", md.axes().toString()));
            root.add(Hdf5Attribute.of("frame_interval_s", md.frameIntervalSeconds()));
            root.add(Hdf5Attribute.ofArray("scan_step_nm", new double[] {md.scanStepYNm(), md.scanStepXNm()}));
            root.add(Hdf5Attribute.of("pixel_size_inv_nm", md.pixelSizeInverseNm()));
            root.add(Hdf5Attribute.ofArray("center_px", new double[] {md.centerKyPx(), md.centerKxPx()}));
            root.add(Hdf5Attribute.of("bin", (long) md.bin()));
            int[] c = md.crop();
            root.add(Hdf5Attribute.ofArray("crop", new long[] {c[0], c[1], c[2], c[3]}));
            root.add(Hdf5Attribute.ofArray("dyn_q_inv_nm", new double[] {md.dynamicsQ().qMinInverseNm(), md.dynamicsQ().qMaxInverseNm()}));
            root.add(Hdf5Attribute.ofArray("struct_q_inv_nm", new double[] {md.structureQ().qMinInverseNm(), md.structureQ().qMaxInverseNm()}));
            root.add(Hdf5Attribute.of("dyn_pixels", (long) md.dynamicsPixels()));
            root.add(Hdf5Attribute.of("struct_pixels", (long) md.structurePixels()));
            root.add(Hdf5Attribute.of("speckle_variance_shot_noise_gain", md.shotNoiseGainAduPerElectron()));
            root.add(Hdf5Attribute.of("normalisation", md.normalisation().toString()));
            root.add(md.isGammaFree() ? Hdf5Attribute.of("gamma_mode", "free") : Hdf5Attribute.of("gamma_mode", md.gammaFixed()));
            root.add(Hdf5Attribute.of("fit_first_lag", (long) md.fitFirstLag()));
            root.add(Hdf5Attribute.of("fit_last_lag", (long) md.fitLastLag()));
            root.add(Hdf5Attribute.of("weighting", md.weighting().toString()));
            root.add(Hdf5Attribute.of("stderr_method", md.stdErrMethod()));
            root.add(Hdf5Attribute.of("estimator", md.estimator()));
            root.add(Hdf5Attribute.of("pool", (long) md.pooling()));
            root.add(Hdf5Attribute.of("temperature_K", md.temperatureKelvin()));
            root.add(Hdf5Attribute.of("spearman_rho", md.spearmanRho()));
            root.add(Hdf5Attribute.of("spearman_p", md.spearmanP()));
            root.add(Hdf5Attribute.of("n_valid", (long) md.validCount()));
            root.add(Hdf5Attribute.of("created", md.created().toString()));
            w.putGroupAttributes("/", root);
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
            if (results.curves().isPresent()) {
                ResultCurves cv = results.curves().get();
                w.putDataset("/curves/lag_s", H5Type.FLOAT64, new long[] {cv.lagCount()}, float64(cv.lagsSeconds()),
                    List.of(Hdf5Attribute.of("units", "s")));
                long[] dims = {cv.scanY(), cv.scanX(), cv.lagCount()};
                // large: written straight into reserved blocks instead of a second in-memory copy
                long gAt = w.reserveDataset("/curves/g", H5Type.FLOAT64, dims,
                    List.of(Hdf5Attribute.of("description", "intensity autocorrelation g(t) per position (eq. 2), lag 0 included")));
                writeDoubles(w, gAt, cv.values());
                long eAt = w.reserveDataset("/curves/g_err", H5Type.FLOAT64, dims,
                    List.of(Hdf5Attribute.of("description", "standard error of g; NaN where unknown")));
                writeDoubles(w, eAt, cv.stdErrs());
            }
            writePreparation(w, results.preparation());
            w.commit();
        }
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
            a.add(Hdf5Attribute.of("drift_resampling", p.driftResampling()));
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
                resampling == null ? Preparation.WHOLE_STEPS : (String) resampling.getData());
        }
        return p;
    }

    private static int count(Node g, String name) {
        Attribute a = g.getAttribute(name);
        return a == null ? 0 : ((Number) a.getData()).intValue();
    }

    private static void writeDoubles(Hdf5FileWriter w, long address, double[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        long pos = address;
        for (int i = 0; i < v.length; i++) {
            b.putDouble(v[i]);
            if (!b.hasRemaining() || i == v.length - 1) {
                b.flip();
                int n = b.remaining();
                w.write(pos, b);
                pos += n;
                b.clear();
            }
        }
    }

    /**
     * Reads a results file back.
     *
     * @param file a {@code fivedstem-results/1} file
     * @return its maps, curves (if stored) and metadata
     * @throws RecordingException if the file is missing, not HDF5, of another schema or incomplete
     */
    public static AnalysisResults read(Path file) throws RecordingException {
        Hdf5Opener.requireHdf5(file);
        try (HdfFile hdf = new HdfFile(file)) {
            String schema = string(file, hdf, "schema");
            if (!SCHEMA.equals(schema)) {
                throw new RecordingException(file, null, "schema is '" + schema + "'; this reader reads " + SCHEMA);
            }
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
            if (flag(mapsGroup, "dynamics_analysed")) {
                ScalarMap limit = ScalarMap.of(TAU_LIMIT, "s", sy, sx, tauLimits(file, hdf, mapsGroup, maps[0], maps[1], status),
                    step[0], step[1]);
                b.dynamics(maps[0], maps[1], limit, maps[2], maps[3], maps[4], maps[5], status);
            }
            if (flag(mapsGroup, "structure_analysed")) {
                b.structure(maps[6]);
            }
            double temperature = numbers(file, hdf, "temperature_K", 1)[0];
            b.temperatureKelvin(temperature);
            ResultCurves curves = null;
            if (hdf.getChildren().containsKey("curves")) {
                double[] lags = values(file, hdf, "/curves/lag_s", -1);
                curves = ResultCurves.of(sy, sx, lags, values(file, hdf, "/curves/g", sy * sx * lags.length),
                    values(file, hdf, "/curves/g_err", sy * sx * lags.length));
            }
            double[] center = numbers(file, hdf, "center_px", 2);
            double[] crop = numbers(file, hdf, "crop", 4);
            double[] dq = numbers(file, hdf, "dyn_q_inv_nm", 2);
            double[] sq = numbers(file, hdf, "struct_q_inv_nm", 2);
            Attribute gm = hdf.getAttribute("gamma_mode");
            double gammaFixed = gm != null && gm.getData() instanceof Number ? ((Number) gm.getData()).doubleValue() : Double.NaN;
            AnalysisMetadata md = AnalysisMetadata.builder()
                .softwareVersion(string(file, hdf, "software_version"))
                .input(string(file, hdf, "input_file"), string(file, hdf, "input_dataset"), AxisOrder.parse(string(file, hdf, "axes")))
                .calibration(numbers(file, hdf, "frame_interval_s", 1)[0], step[0], step[1],
                    numbers(file, hdf, "pixel_size_inv_nm", 1)[0], center[0], center[1])
                .binAndCrop((int) numbers(file, hdf, "bin", 1)[0], (int) crop[0], (int) crop[1], (int) crop[2], (int) crop[3])
                .annuli(QRange.of(dq[0], dq[1]), (int) numbers(file, hdf, "dyn_pixels", 1)[0],
                    QRange.of(sq[0], sq[1]), (int) numbers(file, hdf, "struct_pixels", 1)[0])
                // Files written before the attribute existed hold V as analyze wrote it then: uncorrected.
                .shotNoiseGain(hdf.getAttribute("speckle_variance_shot_noise_gain") == null ? Double.NaN
                    : numbers(file, hdf, "speckle_variance_shot_noise_gain", 1)[0])
                .fit(Normalisation.parse(string(file, hdf, "normalisation")), gammaFixed,
                    (int) numbers(file, hdf, "fit_first_lag", 1)[0], (int) numbers(file, hdf, "fit_last_lag", 1)[0],
                    AnalysisMetadata.Weighting.parse(string(file, hdf, "weighting")))
                .stdErrMethod(hdf.getAttribute("stderr_method") == null ? "unrecorded" : string(file, hdf, "stderr_method"))
                .estimator(hdf.getAttribute("estimator") == null ? "least squares" : string(file, hdf, "estimator"))
                .pooling(hdf.getAttribute("pool") == null ? 1 : (int) numbers(file, hdf, "pool", 1)[0])
                .temperatureKelvin(temperature)
                .statistics(numbers(file, hdf, "spearman_rho", 1)[0], numbers(file, hdf, "spearman_p", 1)[0],
                    (int) numbers(file, hdf, "n_valid", 1)[0])
                .created(Instant.parse(string(file, hdf, "created")))
                .build();
            return AnalysisResults.of(b.build(), curves, md).withPreparation(readPreparation(file, hdf));
        } catch (RecordingException e) {
            throw e;
        } catch (HdfException | IllegalArgumentException | IllegalStateException | DateTimeParseException e) {
            throw new RecordingException(file, null, "not a valid " + SCHEMA + " file: " + e.getMessage(), e);
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
