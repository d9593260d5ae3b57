/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.QRange;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.TauSummary;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.engine.Analysis;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.fitting.Estimator;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.core.statistics.Spearman;
import org.fivedstem.core.statistics.TemperatureSeries;
import org.fivedstem.io.figures.MapFigure;
import org.fivedstem.io.results.Provenance;
import org.fivedstem.io.results.ResultsFile;
import org.fivedstem.io.results.SavedAnalysis;
import org.fivedstem.io.results.SeriesFile;
import org.fivedstem.io.results.SeriesResults;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fivedstem demo}: the paper's temperature study on simulated recordings with known truth.
 * Five temperatures 633–673 K, E = 97 kJ/mol, Spearman ρ(τ, β) = 0.4 drawn into the maps; each
 * recording is generated on the fly, analysed with the engine exactly as {@code analyze} does
 * (γ fixed at 1, the paper's annuli), written as a results file with its figures; then the series
 * is summarised, fitted (eq. 4), written and drawn, and the recovered numbers are printed next to
 * the true ones.
 */
@Command(name = "demo",
    header = "The paper's 633-673 K study on simulated data: recovered against true.",
    mixinStandardHelpOptions = true,
    description = {
        "Simulates the paper's temperature series (633-673 K in 10 K steps, E = 97 kJ/mol, rank correlation "
            + "0.4 between tau and local order), analyses each recording, and prints the recovered tau, E and rho "
            + "next to the truth. Writes results files, figures and the series file into --out.",
        ""},
    footer = {"",
        "Sizes (smaller than the paper's 60×120 positions × 106 frames × 66×66 pixels so that it runs quickly; "
            + "the physics is the paper's):",
        "  default: 24×24 positions × 100 frames × 48×48 pixels of 0.25 nm⁻¹, about a minute on 2 cores, "
            + "into fivedstem-demo/",
        "  --quick: 8×8 positions × 100 frames × 32×32 pixels of 0.375 nm⁻¹, a few seconds, "
            + "into fivedstem-demo-quick/",
        "Frame interval 9.2 s at 633 and 643 K, 4.8 s above, as in the paper. A folder holding a demo of the "
            + "other size is refused unless --force.",
        "",
        "Exit codes: 0 success, 1 failure (one line on stderr), 2 usage error."})
public final class DemoCommand implements Callable<Integer> {

    /** The temperatures of the paper's series, K. */
    static final double[] TEMPERATURES_K = {633, 643, 653, 663, 673};
    /** The activation energy the truth follows, kJ/mol (the paper's value). */
    static final double ACTIVATION_ENERGY_KJ_PER_MOL = 97;
    /** The rank correlation between τ and β drawn into the maps (the paper measured 0.39 at 633 K). */
    static final double RANK_CORRELATION = 0.4;
    /**
     * Median τ at 633 K in s. The paper's τ at 633 K (200–5000 s) mostly exceeds its 975 s
     * recording; a demo that shows recovery needs τ well inside the recording, so the truth is
     * scaled down: the median at 633 K is a quarter of the recording, and at 673 K (≈ 84 s) still
     * 17 frame intervals.
     */
    static final double TAU_MEDIAN_633_S = 250;
    /** Spread σ(ln τ) of the τ map: the slowest positions (≈ +2.5σ) reach about the recording length. */
    static final double TAU_SPREAD_LN = 0.5;
    /** β range: 2–5 speckle modes, which puts the mean V near the paper's 0.5–0.6. */
    static final double BETA_MIN = 0.2;
    static final double BETA_MAX = 0.5;
    /** Correlation length of the maps in scan steps. */
    static final double CORRELATION_LENGTH_STEPS = 1.5;
    static final QRange DYNAMICS_Q = QRange.of(4.2, 4.6);
    static final QRange STRUCTURE_Q = QRange.of(3.0, 5.8);

    /**
     * The recording sizes of a run.
     *
     * @param name what to call it
     * @param scan scan positions along each axis
     * @param frames frames per recording
     * @param pattern pattern size in pixels along each axis
     * @param pixelSizeInverseNm pixel size in nm⁻¹ (the pattern reaches |Q| ≈ 5.8 nm⁻¹ along its axes)
     */
    record Size(String name, int scan, int frames, int pattern, double pixelSizeInverseNm) {

        static final Size DEFAULT = new Size("default", 24, 100, 48, 0.25);
        static final Size QUICK = new Size("--quick", 8, 100, 32, 0.375);

        @Override
        public String toString() {
            return Checks.format("%d×%d positions × %d frames × %d×%d pixels of %.3g nm⁻¹", scan, scan, frames, pattern, pattern,
                pixelSizeInverseNm);
        }
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The default folder of a default run. */
    static final String DEFAULT_FOLDER = "fivedstem-demo";
    /** The default folder of a {@code --quick} run: not the default run's, which it would overwrite. */
    static final String QUICK_FOLDER = "fivedstem-demo-quick";

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
        description = "folder for results and figures (default: " + DEFAULT_FOLDER + ", with --quick " + QUICK_FOLDER + ")")
    private Path outDir;

    @Option(names = "--quick", description = "small recordings: seconds instead of a minute (noisier numbers)")
    private boolean quick;

    @Option(names = {"-f", "--force"}, description = "write into a folder that holds a demo of the other size "
        + "(its files are replaced)")
    private boolean force;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "random seed of the maps and the speckle (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--summary", paramLabel = "mean|median|geometric", defaultValue = "mean",
        converter = SeriesOptions.SummaryConverter.class,
        description = "how each tau map is summarised for the Arrhenius fit (default: ${DEFAULT-VALUE}, as the paper)")
    private TauSummary summary;

    @Option(names = "--threads", paramLabel = "N", description = "threads (default: all processors); results do not depend on it")
    private Integer threads;

    @CommandLine.Mixin
    private OutputOptions output;

    /**
     * @param size the recording sizes
     * @param temperatureKelvin the temperature
     * @param seed the seed (the same maps at every temperature, fresh speckle)
     * @return the simulation of one recording of the demo series
     */
    static SpeckleSimulation simulation(Size size, double temperatureKelvin, long seed) {
        return SpeckleSimulation.builder()
            .scan(size.scan(), size.scan()).frames(size.frames()).patternSize(size.pattern(), size.pattern())
            .pixelSizeInverseNm(size.pixelSizeInverseNm())
            .frameIntervalSeconds(temperatureKelvin < 650 ? 9.2 : 4.8)
            .tauMedianSeconds(TAU_MEDIAN_633_S).tauSpreadLn(TAU_SPREAD_LN).betaRange(BETA_MIN, BETA_MAX)
            .rankCorrelation(RANK_CORRELATION).correlationLengthSteps(CORRELATION_LENGTH_STEPS)
            .arrhenius(TEMPERATURES_K[0], ACTIVATION_ENERGY_KJ_PER_MOL).temperatureKelvin(temperatureKelvin)
            .dose(10).seed(seed).build();
    }

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(cl, "--threads must be at least 1: " + threads);
        }
        Size size = quick ? Size.QUICK : Size.DEFAULT;
        Path out = outDir != null ? outDir : Path.of(quick ? QUICK_FOLDER : DEFAULT_FOLDER);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file; the demo writes into a folder");
        }
        if (!force) {
            refuseOtherRun(out, size);
        }
        Files.createDirectories(out);
        PrintWriter o = output.showSummary() ? cl.getOut() : new PrintWriter(java.io.Writer.nullWriter());
        PrintWriter err = cl.getErr();
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        long start = System.nanoTime();
        o.println(Checks.format("fivedstem demo: the paper's temperature series on simulated recordings (%s run, seed %d)",
            size.name(), seed));
        o.println("  recordings: " + size + "; dose 10 e⁻/pixel/frame; Δt 9.2 s at 633–643 K, 4.8 s at 653–673 K");
        o.println(Checks.format("  truth: τ median %.0f s at 633 K (σ ln τ = %.2g), γ = 1, Arrhenius E = %.0f kJ/mol; "
            + "β %.2g–%.2g with Spearman ρ(τ, β) = %.2g; map correlation length %.2g steps",
            TAU_MEDIAN_633_S, TAU_SPREAD_LN, ACTIVATION_ENERGY_KJ_PER_MOL, BETA_MIN, BETA_MAX, RANK_CORRELATION,
            CORRELATION_LENGTH_STEPS));
        o.println(Checks.format("  analysis: g over %s, KWW (γ = 1) by the quasi-likelihood on the pixel series; V over %s; %s τ; %d thread(s)",
            DYNAMICS_Q, STRUCTURE_Q, summary, nThreads));
        o.flush();

        List<HeterogeneityMaps> maps = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        double[] trueTau = new double[TEMPERATURES_K.length];
        double[] trueRho = new double[TEMPERATURES_K.length];
        int[] positions = new int[TEMPERATURES_K.length];
        for (int i = 0; i < TEMPERATURES_K.length; i++) {
            double t = TEMPERATURES_K[i];
            long t0 = System.nanoTime();
            SpeckleSimulation sim = simulation(size, t, seed);
            Dataset5D ds = sim.dataset();
            String tag = Checks.format("%.0fK", t);
            ProgressBar progress = output.progressBar(err, 0);
            AnalysisResult r;
            CorrelationOptions co = CorrelationOptions.defaults();
            FitOptions fo = FitOptions.defaults().withGammaFixed(1)
                .withEstimator(Estimator.QUASI_LIKELIHOOD).withShotNoiseGain(sim.gainAduPerElectron()); // as analyze
            try {
                Analysis a = Analysis.of(ds).dynamics(AnnulusMask.of(ds, DYNAMICS_Q), co, fo)
                    .structure(structureAnnulus(ds)).withThreads(nThreads)
                    .withProgress(progress == null ? ProgressListener.NONE
                        : (stage, done, total, bytes) -> progress.onProgress(tag + " " + stage, done, total, bytes));
                r = a.run();
            } finally {
                if (progress != null) {
                    progress.finish();
                }
            }
            SavedAnalysis results = SavedAnalysis.of(r, Provenance.of(Checks.format("simulated (fivedstem demo, seed %d, %.0f K)",
                sim.seed(), t)).withAxes(ds.axisOrder()));
            Path file = out.resolve("results-" + tag + ".h5");
            ResultsFile.write(file, results);
            Path figDir = out.resolve("figures-" + tag);
            ResultFigures.write(figDir, results);
            ScalarMap recovered = r.maps().reliableTauSeconds();
            // The truth in the colours of tau.png (the recovered map's range; values beyond it are clamped to the ends).
            MapFigure truth = MapFigure.of(sim.tauSeconds()).withLogScale(true);
            if (recovered.validCount() > 0 && recovered.max() > recovered.min()) {
                truth = truth.withRange(recovered.min(), recovered.max());
            }
            truth.withTitle(Checks.format("true relaxation time τ, %.0f K (colours as tau.png)", t)).withColourBarLabel("τ (s)")
                .writePng(figDir.resolve("tau-true.png"));
            maps.add(r.maps());
            sources.add(file.toString());
            trueTau[i] = summary.of(sim.tauSeconds());
            trueRho[i] = Spearman.test(sim.tauSeconds(), sim.beta()).rho();
            positions[i] = sim.shape().positionCount();
            o.println(Checks.format("  %.0f K: simulated and analysed %d patterns in %.1f s -> %s, %s/",
                t, sim.shape().patternCount(), (System.nanoTime() - t0) * 1e-9, file, figDir));
            o.flush();
        }

        TemperatureSeries ts = TemperatureSeries.of(maps, TEMPERATURES_K.clone(),
            TemperatureSeries.Options.defaults().withSummary(summary));
        SeriesResults series = SeriesReport.toResults(ts, sources);
        Path seriesFile = out.resolve("series.h5");
        SeriesFile.write(seriesFile, series);
        SeriesReport.writeFigures(out, series, maps);

        o.println();
        o.println("Recovered against true (± is the standard error of the τ summary over the map, spatially aware;");
        o.println("the CI is the 95 % interval of ρ; the truth is the simulated map, all positions):");
        o.println(Checks.format("  %7s %9s  %-16s %-18s %7s   %-8s %s", "T (K)", "n/N", "true " + summary + " τ",
            "recovered", "ratio", "true ρ", "recovered ρ(τ,V) [CI]"));
        for (int i = 0; i < TEMPERATURES_K.length; i++) {
            SeriesResults.Row row = series.rows().get(i);
            RankCorrelation c = ts.rows().get(i).correlation();
            o.println(Checks.format("  %7.0f %9s  %-16s %-18s %7.3f   %-8.3f %s", row.temperatureKelvin(),
                row.n() + "/" + positions[i], Checks.format("%.4g s", trueTau[i]),
                Checks.format("%.4g ± %.2g s", row.tauSeconds(), row.tauErrorSeconds()), row.tauSeconds() / trueTau[i],
                trueRho[i], Checks.format("%.3f [%.2f, %.2f]", c.rho(), c.confidenceLow(), c.confidenceHigh())));
        }
        ArrheniusFit fit = series.arrhenius().orElse(null);
        if (fit != null) {
            double e = fit.activationEnergyKJPerMol();
            double se = fit.activationEnergyErrorKJPerMol();
            double r = ArrheniusFit.GAS_CONSTANT_J_PER_MOL_K;
            double trueTauInf = trueTau[0] * Math.exp(-ACTIVATION_ENERGY_KJ_PER_MOL * 1000 / (r * TEMPERATURES_K[0]));
            o.println(Checks.format("  activation energy: true %.1f kJ/mol, recovered %.1f ± %.1f kJ/mol (%+.2f σ); "
                + "τ∞ true %.3g s, recovered %.3g ± %.2g s", ACTIVATION_ENERGY_KJ_PER_MOL, e, se,
                (e - ACTIVATION_ENERGY_KJ_PER_MOL) / se, trueTauInf, fit.tauInfSeconds(), fit.tauInfErrorSeconds()));
            o.println(ts.pairedPositions()
                ? "  σ(E) for one area at every temperature: the summaries' shared spatial sampling error cancels in E "
                    + "(paired positions; docs/structure-statistics.md §5)."
                : Checks.format("  χ²/ν of the Arrhenius fit = %.3g: all five recordings image the same simulated area, "
                    + "so the summaries share their spatial sampling error and scatter less than their error bars "
                    + "(the scan is too small to show it from the V maps, so σ(E) treats the temperatures as independent).",
                    fit.reducedChiSquare()));
        } else {
            o.println(SeriesReport.arrheniusLine(series));
        }
        o.println(Checks.format("  ρ: the maps are drawn with ρ(τ, β) = %.2g in expectation (\"true ρ\" is this map's); "
            + "the analysis correlates fitted τ with measured V,", RANK_CORRELATION));
        o.println("     whose estimation noise pulls ρ towards 0.");
        o.println(Checks.format("Wrote %s, results-*.h5, figures-*/ (tau, tau-true, V, scatter, g, profile), arrhenius.png, "
            + "series.png, scatter-all.png in %s (%.1f s in all)", seriesFile.getFileName(), out,
            (System.nanoTime() - start) * 1e-9));
        o.flush();
        return 0;
    }

    /**
     * Refuses a folder that holds the demo of the other size (or a first results file that is not a
     * demo's), whose files this run would replace: a quick run must not overwrite the minute-long
     * default run silently, nor the other way round. A folder with the same size's demo is
     * re-run into, as any command rewrites its output.
     */
    private static void refuseOtherRun(Path out, Size size) {
        Path first = out.resolve(Checks.format("results-%.0fK.h5", TEMPERATURES_K[0]));
        if (!Files.exists(first)) {
            return;
        }
        String held;
        try {
            HeterogeneityMaps maps = ResultsFile.read(first).maps();
            if (maps.scanY() == size.scan() && maps.scanX() == size.scan()) {
                return;
            }
            Size other = maps.scanY() == Size.DEFAULT.scan() ? Size.DEFAULT : maps.scanY() == Size.QUICK.scan() ? Size.QUICK : null;
            held = other == null ? Checks.format("a demo of %d×%d positions", maps.scanY(), maps.scanX())
                : other == Size.QUICK ? "a --quick demo" : "a default demo";
        } catch (org.fivedstem.io.RecordingException e) {
            held = first.getFileName() + ", which is not a demo results file";
        }
        throw new IllegalArgumentException(Checks.format("%s holds %s, which this %s run would replace; give another "
            + "--out, or --force to replace it", out, held, size == Size.QUICK ? "--quick" : "default"));
    }

    /** The structure annulus split into rings about one pixel wide, for V(Q) — as {@code analyze} does. */
    private static AnnulusMask structureAnnulus(Dataset5D ds) {
        double width = STRUCTURE_Q.qMaxInverseNm() - STRUCTURE_Q.qMinInverseNm();
        int rings = (int) Math.max(1, Math.min(64, Math.floor(width / ds.calibration().pixelSizeInverseNm())));
        return AnnulusMask.of(ds, STRUCTURE_Q, rings);
    }

}
