/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.Normalisation;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.QRange;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.TauSummary;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.correlation.CorrelationAlgorithm;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.StdErrMethod;
import org.fivedstem.core.engine.Analysis;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.preparation.DriftTrajectory;
import org.fivedstem.core.preparation.PatternStatistics;
import org.fivedstem.core.statistics.CensoredSample;
import org.fivedstem.io.results.Preparation;
import org.fivedstem.io.results.Provenance;
import org.fivedstem.io.results.ResultsFile;
import org.fivedstem.io.results.SavedAnalysis;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fivedstem analyze INPUT --out RESULTS.h5}: the whole method on one recording in one
 * streaming pass — τ map (eqs. 1–3), V map (eq. 5), Spearman ρ — written as a
 * {@code fivedstem-results/1} file.
 */
@Command(name = "analyze",
    header = "Maps of tau, beta, gamma and V from one recording, and Spearman rho, in one pass.",
    mixinStandardHelpOptions = true,
    description = {
        "Analyses one 5D-STEM recording: g(t) over the dynamics annulus at every scan position (eqs. 1-2), "
            + "KWW fits -> relaxation-time map tau (eq. 3), time-averaged speckle variance map V over the structure "
            + "annulus (eq. 5), and Spearman's rho between them. Reads the file once with bounded memory.",
        ""},
    footer = {"",
        "gamma defaults to 1 (fixed), as in the paper's correlation analysis: with ~100 frames a free gamma is poorly "
            + "determined per position and trades off against tau, which blurs the tau map. Use --gamma free to fit it. "
            + "(fit, which fits one curve of any instrument, fits gamma by default.)",
        "",
        "Exit codes: 0 success, 1 bad input or failure (one line on stderr, no partial output), 2 usage error."})
public final class AnalyzeCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "recording: HDF5, .npy, raw binary, or a folder of per-time-step HDF5 files")
    private Path input;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "RESULTS.h5", description = "results file to write")
    private Path out;

    @Mixin
    private InputOptions inputOptions;

    @Option(names = "--bin", paramLabel = "B", defaultValue = "1", description = "bin diffraction patterns B×B (sum) before analysis (default: ${DEFAULT-VALUE})")
    private int bin;

    @Option(names = "--crop", paramLabel = "Y0:Y1,X0:X1", converter = CropConverter.class,
        description = "analyse scan rows Y0..Y1-1 and columns X0..X1-1 only")
    private Crop crop;

    /**
     * A scan region, end exclusive.
     *
     * @param y0 first row
     * @param y1 end row
     * @param x0 first column
     * @param x1 end column
     */
    record Crop(int y0, int y1, int x0, int x1) { }

    @Option(names = "--dyn-q", paramLabel = "QMIN:QMAX", defaultValue = "4.2:4.6", converter = QRangeConverter.class,
        description = "dynamics annulus in nm⁻¹ (default: ${DEFAULT-VALUE}, the paper's first sharp diffraction peak)")
    private QRange dynQ;

    @Option(names = "--struct-q", paramLabel = "QMIN:QMAX", defaultValue = "3.0:5.8", converter = QRangeConverter.class,
        description = "structure annulus in nm⁻¹ (default: ${DEFAULT-VALUE}, as the paper)")
    private QRange structQ;

    @Option(names = "--estimator", paramLabel = "qml|ls", defaultValue = "qml", converter = EstimatorConverter.class,
        description = "how tau and beta are estimated: qml, the quasi-likelihood on the pixel series (with --gamma 1: "
            + "every frame pair weighted, shot noise modelled, the more precise), or ls, least squares of g(t) over the "
            + "fit window (any gamma; what --gamma free, --pool and the multi-tau correlator use) (default: ${DEFAULT-VALUE})")
    private org.fivedstem.core.fitting.Estimator estimator;

    @Option(names = "--weighting", paramLabel = "auto|uniform|stderr", defaultValue = "auto",
        converter = WeightingConverter.class,
        description = "weights of the least-squares fit of g: 1/SE^2 of the jackknife (stderr), none (uniform, as "
            + "curve_fit), or stderr where every lag has an SE (auto) (default: ${DEFAULT-VALUE})")
    private org.fivedstem.core.fitting.Weighting weighting;

    /** Parses {@code qml} or {@code ls}. */
    static final class EstimatorConverter implements CommandLine.ITypeConverter<org.fivedstem.core.fitting.Estimator> {
        @Override
        public org.fivedstem.core.fitting.Estimator convert(String value) {
            switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "qml":
                    return org.fivedstem.core.fitting.Estimator.QUASI_LIKELIHOOD;
                case "ls":
                    return org.fivedstem.core.fitting.Estimator.LEAST_SQUARES;
                default:
                    throw new CommandLine.TypeConversionException("'" + value + "' is neither qml nor ls");
            }
        }
    }

    /** Parses {@code auto}, {@code uniform} or {@code stderr}. */
    static final class WeightingConverter implements CommandLine.ITypeConverter<org.fivedstem.core.fitting.Weighting> {
        @Override
        public org.fivedstem.core.fitting.Weighting convert(String value) {
            switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "auto":
                    return org.fivedstem.core.fitting.Weighting.AUTO;
                case "uniform":
                    return org.fivedstem.core.fitting.Weighting.UNIFORM;
                case "stderr":
                    return org.fivedstem.core.fitting.Weighting.STD_ERR;
                default:
                    throw new CommandLine.TypeConversionException("'" + value + "' is not one of auto, uniform, stderr");
            }
        }
    }

    @Option(names = "--gain", paramLabel = "G", converter = GainConverter.class,
        description = "detector units (ADU) per detected electron: corrects V exactly for shot noise. Counting detectors "
            + "record counts (G = 1); formats that state a gain give G. Refused when the values are not counts × G "
            + "(floating-point intensities, say). Default: none, V not corrected (it then carries about G/<I>, "
            + "docs/structure-statistics.md)")
    private Double gain;

    /** Parses a finite gain &gt; 0 in ADU per electron. */
    static final class GainConverter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double g;
            try {
                g = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                g = Double.NaN;
            }
            if (!(g > 0) || Double.isInfinite(g)) {
                throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a gain: give a finite number of ADU per electron > 0 (1 for counted data)");
            }
            return g;
        }
    }

    @Option(names = "--gamma", paramLabel = "free|VALUE", defaultValue = "1", converter = FitCommand.GammaConverter.class,
        description = "stretching exponent: 'free' (fitted in [0.2, 3]) or a fixed value in (0, 10] (default: "
            + "${DEFAULT-VALUE}, fixed, as the paper; unlike fit, whose default is free: see below)")
    private double gamma;

    @Option(names = "--fit-lags", paramLabel = "FIRST:LAST", converter = FitCommand.LagsConverter.class,
        description = "fit window as lag indices FIRST to LAST inclusive, 0 being lag 0, as in fit (default: lag 1 to "
            + "the last lag with at least a quarter of lag 0's frame pairs)")
    private FitCommand.LagWindow fitLags;

    @Option(names = "--normalisation", paramLabel = "ensemble|symmetric", defaultValue = "ensemble",
        converter = NormalisationConverter.class, description = "normalisation of g (default: ${DEFAULT-VALUE}, the paper's eqs. 1-2); "
            + "symmetric gives tau too short unless the series is thousands of tau long (docs/dynamics.md)")
    private Normalisation normalisation;

    @Option(names = "--correlator", paramLabel = "auto|direct|fft|multi-tau", defaultValue = "auto",
        converter = CorrelatorConverter.class, description = "how g is computed: direct (every frame pair, every lag), fft "
            + "(the same g, faster for long series; frame-blocks SEs only), multi-tau (XPCS's: 16 lags per level of a series "
            + "binned 1, 2, 4 ... frames, for long series; least-squares fits), or auto: multi-tau above 512 frames, "
            + "else direct or fft, whichever is faster (default: ${DEFAULT-VALUE}; docs/dynamics.md)")
    private CorrelationAlgorithm correlator;

    @Option(names = "--stderr", paramLabel = "pixel-groups|frame-blocks", defaultValue = "pixel-groups",
        converter = StdErrConverter.class, description = "jackknife of g's standard errors and the tau errors "
            + "(default: ${DEFAULT-VALUE}; frame blocks understate the errors of slow dynamics, docs/dynamics.md)")
    private StdErrMethod stdErr;

    @Option(names = "--pool", paramLabel = "K", defaultValue = "1", description = "average g over K×K neighbouring positions before fitting, K odd (default: ${DEFAULT-VALUE})")
    private int pool;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all processors); results do not depend on it")
    private Integer threads;

    @Option(names = "--figures", paramLabel = "DIR", description = "also write PNG figures (maps, scatter, curves, V(Q)) into DIR")
    private Path figures;

    @Mixin
    private OutputOptions output;

    @Option(names = "--exclude-bad-frames", description = "find blanked, dimmed and flashed patterns from their total "
        + "intensity and leave them out (counted; see docs/preparation.md)")
    private boolean excludeBadFrames;

    @Option(names = "--drift-correct", description = "estimate the scan drift from a virtual image per frame and correct "
        + "it (see --drift-resampling), cropping to the field of view all frames share (--crop then applies to that)")
    private boolean driftCorrect;

    @Option(names = "--drift-resampling", paramLabel = "whole|bilinear", converter = ResamplingConverter.class,
        description = "with --drift-correct: 'whole' (default) re-indexes positions by whole scan steps, leaving up to half "
            + "a step of drift but every pattern as measured; 'bilinear' interpolates between the four nearest positions, "
            + "removing the sub-step drift but lowering V and the contrast of g(t) when the probe does not overlap between "
            + "steps (independent speckle; see docs/preparation.md)")
    private DriftTrajectory.Resampling driftResampling;

    /** Parses {@code whole} or {@code bilinear}. */
    static final class ResamplingConverter implements CommandLine.ITypeConverter<DriftTrajectory.Resampling> {
        @Override
        public DriftTrajectory.Resampling convert(String value) {
            try {
                return DriftTrajectory.Resampling.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--ellipse", description = "with --center auto: fit an ellipse to the halo and correct |Q| for the "
        + "elliptical distortion")
    private boolean ellipse;

    /** Parses {@code QMIN:QMAX}. */
    static final class QRangeConverter implements CommandLine.ITypeConverter<QRange> {
        @Override
        public QRange convert(String value) {
            try {
                return QRange.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "': " + e.getMessage());
            }
        }
    }

    /** Parses {@code ensemble} or {@code symmetric}. */
    static final class NormalisationConverter implements CommandLine.ITypeConverter<Normalisation> {
        @Override
        public Normalisation convert(String value) {
            try {
                return Normalisation.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Parses {@code pixel-groups} or {@code frame-blocks}. */
    static final class StdErrConverter implements CommandLine.ITypeConverter<StdErrMethod> {
        @Override
        public StdErrMethod convert(String value) {
            switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "pixel-groups":
                    return StdErrMethod.PIXEL_GROUP_JACKKNIFE;
                case "frame-blocks":
                    return StdErrMethod.FRAME_BLOCK_JACKKNIFE;
                default:
                    throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a standard-error method: use pixel-groups or frame-blocks");
            }
        }
    }

    static final class CorrelatorConverter implements CommandLine.ITypeConverter<CorrelationAlgorithm> {
        @Override
        public CorrelationAlgorithm convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            for (CorrelationAlgorithm a : CorrelationAlgorithm.values()) {
                if (a.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-').equals(v)) {
                    return a;
                }
            }
            throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a correlator: use auto, direct, fft or multi-tau");
        }
    }

    /** Parses {@code Y0:Y1,X0:X1}. */
    static final class CropConverter implements CommandLine.ITypeConverter<Crop> {
        @Override
        public Crop convert(String value) {
            String[] parts = value.split(",", -1);
            try {
                if (parts.length == 2) {
                    String[] a = parts[0].split(":", -1);
                    String[] b = parts[1].split(":", -1);
                    if (a.length == 2 && b.length == 2) {
                        int[] c = {Integer.parseInt(a[0].trim()), Integer.parseInt(a[1].trim()),
                            Integer.parseInt(b[0].trim()), Integer.parseInt(b[1].trim())};
                        if (c[0] >= 0 && c[1] > c[0] && c[2] >= 0 && c[3] > c[2]) {
                            return new Crop(c[0], c[1], c[2], c[3]);
                        }
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException(
                "'" + value + "' is not Y0:Y1,X0:X1 with 0 <= Y0 < Y1 and 0 <= X0 < X1 (end exclusive)");
        }
    }

    /** The checks of the options among themselves, before anything is read. */
    private void validate(CommandLine cl) throws IOException {
        if (bin < 1) {
            throw new CommandLine.ParameterException(cl, "--bin must be at least 1: " + bin);
        }
        if (pool < 1 || pool % 2 == 0) {
            throw new CommandLine.ParameterException(cl, "--pool must be an odd number >= 1: " + pool);
        }
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(cl, "--threads must be at least 1: " + threads);
        }
        if (Files.exists(out) && Files.exists(input) && Files.isSameFile(out, input)) {
            throw new IllegalArgumentException("--out " + out + " is the input recording; choose another file");
        }
        if (ellipse && !inputOptions.centerAuto()) {
            throw new CommandLine.ParameterException(cl, "--ellipse needs --center auto");
        }
        if (driftResampling != null && !driftCorrect) {
            throw new CommandLine.ParameterException(cl, "--drift-resampling needs --drift-correct");
        }
        if (correlator == CorrelationAlgorithm.FFT && stdErr == StdErrMethod.PIXEL_GROUP_JACKKNIFE) {
            throw new CommandLine.ParameterException(cl, "--correlator fft needs --stderr frame-blocks");
        }
        if (correlator == CorrelationAlgorithm.MULTI_TAU
            && (stdErr == StdErrMethod.FRAME_BLOCK_JACKKNIFE || normalisation != Normalisation.ENSEMBLE)) {
            throw new CommandLine.ParameterException(cl, "--correlator multi-tau needs --stderr pixel-groups and --normalisation ensemble");
        }
    }

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        validate(cl);
        PrintWriter err = cl.getErr();
        try (Planned plan = plan(cl, true, null)) {
            PrepareStep.Outcome prep = plan.prep;
            Dataset5D ds = plan.dataset;
            int[] c = plan.crop;
            double bytesPerPattern = plan.bytesPerPattern;
            ProgressBar progressBar = output.progressBar(err, bytesPerPattern * bin * bin);
            Analysis analysis = plan.analysis.withProgress(progressBar == null ? ProgressListener.NONE : progressBar);
            AnalysisResult result;
            // An engine whose curves arrive in parts writes them into the results file as they come.
            ResultsFile.Writer curves = engine.streamsCurves() && analysis.hasDynamics()
                ? ResultsFile.Writer.open(out, ds.shape().scanY(), ds.shape().scanX(), analysis.lagsSeconds()) : null;
            try {
                try {
                    ProgressListener p = progressBar == null ? ProgressListener.NONE : progressBar;
                    result = curves == null ? engine.run(plan, analysis, p) : engine.run(plan, analysis, p, curves);
                } finally {
                    if (progressBar != null) {
                        progressBar.finish();
                    }
                }
                refuseBlank(result, ds);
                Preparation record = prep == null ? Preparation.none() : prep.record();
                if (ds.mask().isPresent()) {
                    record = record.withMask(ds.mask().get());
                }
                SavedAnalysis results = SavedAnalysis.of(result, Provenance.of(input.toString())
                        .withDataset(isHdf5() ? datasetPath() : "").withAxes(ds.axisOrder()).withBin(bin).withCrop(c[0], c[1], c[2], c[3])
                        .withEngine(engine.description()))
                    .withPreparation(record);
                if (curves != null && !result.hasCurves()) {
                    curves.finish(results);
                } else {
                    ResultsFile.write(out, results);
                }
                if (figures != null) {
                    // g.png's three curves come back from the file when the run did not hold the scan's.
                    ResultFigures.write(figures, results, results.curves().isPresent()
                        ? results.curves().get()::curve : result.hasDynamics() ? (y, x) -> ResultsFile.readCurve(out, y, x) : null);
                    if (prep != null) {
                        prep.writeFigures(figures);
                    }
                }
            } finally {
                if (curves != null) {
                    curves.close(); // after finish() a no-op; else it removes the unfinished file
                }
            }
            if (output.showSummary()) {
                cl.getOut().println(summary(result, ds, bytesPerPattern * bin * bin));
                cl.getOut().flush();
            }
            if (System.getenv("FIVEDSTEM_DEBUG") != null) {
                err.println("fivedstem analyze: stage seconds " + result.stageSeconds());
                err.flush();
            }
        }
        return 0;
    }

    /**
     * What runs the analysis that {@code analyze} has built. The command line runs it on this machine
     * ({@link #LOCAL}); fivedstem-spark runs it on Apache Spark. Everything before (opening, preparing,
     * cropping, binning, the options' checks) and after (the blank-recording check, the results file,
     * figures, the summary) is the command's own, whatever the engine.
     */
    public interface Engine {

        /**
         * @param plan what the command built: the recording as analysed, its storage bytes, the options
         * @param analysis {@code plan.analysis()} with the progress bar
         * @param progress the progress bar (or {@link ProgressListener#NONE}), for an engine that reports its
         *     own progress rather than the analysis's
         * @return its result, the same as {@code analysis.run()}
         * @throws IOException if the recording fails to read
         */
        AnalysisResult run(Planned plan, Analysis analysis, ProgressListener progress) throws IOException;

        /**
         * @return whether the engine writes the curves into the results file as they come
         *     ({@link #run(Planned, Analysis, ProgressListener, ResultsFile.Writer)}) rather than hold the scan's
         *     (false, the default)
         */
        default boolean streamsCurves() {
            return false;
        }

        /**
         * Runs the analysis, putting every position's curve into the results file's writer as it comes, so that
         * the scan's curves are never held at once; the command then finishes the file with the rest. Called
         * instead of {@link #run(Planned, Analysis, ProgressListener)} when {@link #streamsCurves()} and the
         * analysis has the dynamics part.
         *
         * @param plan as for {@link #run(Planned, Analysis, ProgressListener)}
         * @param analysis as there
         * @param progress as there
         * @param curves the results file's writer, open on the analysed scan and lags
         * @return the result without curves ({@link AnalysisResult#hasCurves()} false), or with them (then the
         *     command writes the file from it and the writer's curves are dropped)
         * @throws IOException if the recording fails to read or the file to write
         */
        default AnalysisResult run(Planned plan, Analysis analysis, ProgressListener progress, ResultsFile.Writer curves)
            throws IOException {
            return run(plan, analysis, progress);
        }

        /**
         * The statistics pass of the preparation options ({@code --center auto}, {@code --mask auto},
         * {@code --exclude-bad-frames}, {@code --drift-correct}); the finders then run on its result, on this
         * machine (the driver), and what they found is applied to the recording.
         *
         * @param input the recording as given
         * @param raw the recording as opened (whole, unprepared)
         * @param threads worker threads asked for
         * @param progress the preparation's progress bar
         * @return the statistics of {@code raw}, the same as {@code PatternStatistics.compute(raw, threads, progress)}
         * @throws IOException if the recording fails to read
         */
        default PatternStatistics statistics(Path input, Dataset5D raw, int threads, ProgressListener progress)
            throws IOException {
            return PatternStatistics.compute(raw, threads, progress);
        }

        /**
         * @return how the analysis ran, recorded in the results file ({@code Provenance#withEngine}); empty for
         *     the single-machine engine
         */
        default String description() {
            return "";
        }
    }

    /** The single-machine engine: {@link Analysis#run()}. */
    public static final Engine LOCAL = (plan, analysis, progress) -> analysis.run();

    private final Engine engine;

    /** The command as {@code fivedstem analyze} runs it: the analysis on this machine. */
    public AnalyzeCommand() {
        this(LOCAL);
    }

    /**
     * @param engine what runs the analysis the command builds
     */
    public AnalyzeCommand(Engine engine) {
        this.engine = java.util.Objects.requireNonNull(engine, "engine");
    }

    /**
     * The analysis that {@code analyze} builds from its arguments, not yet run, with the recording it reads.
     * Closing it closes the recording.
     */
    public static final class Planned implements AutoCloseable {
        private final Dataset5D raw;
        private final PrepareStep.Outcome prep;
        private final Dataset5D dataset;
        private final int[] crop;
        private final double bytesPerPattern;
        private final Analysis analysis;
        private final Path input;
        private final int pooling;
        private final String hdf5Dataset;

        Planned(Dataset5D raw, PrepareStep.Outcome prep, Dataset5D dataset, int[] crop, double bytesPerPattern,
                Analysis analysis, Path input, int pooling, String hdf5Dataset) {
            this.hdf5Dataset = hdf5Dataset;
            this.input = input;
            this.pooling = pooling;
            this.raw = raw;
            this.prep = prep;
            this.dataset = dataset;
            this.crop = crop;
            this.bytesPerPattern = bytesPerPattern;
            this.analysis = analysis;
        }

        /** @return the recording as analysed: prepared, cropped and binned */
        public Dataset5D dataset() {
            return dataset;
        }

        /** @return the analysis of {@link #dataset()}, not run */
        public Analysis analysis() {
            return analysis;
        }

        /**
         * @return bytes of storage behind one scan position, all its frames: the file size spread over the
         *     recording's positions, or 2 bytes a pixel when the size is unknown (a folder of files); cropping,
         *     binning and drift correction do not change what is read for a position
         */
        public double bytesPerPosition() {
            Shape5D s = raw.shape();
            return (bytesPerPattern > 0 ? bytesPerPattern : 2.0 * s.patternSize()) * s.frames();
        }

        /** @return the recording as given on the command line */
        public Path input() {
            return input;
        }

        /** @return the scan region of the (prepared) recording analysed: {@code [y0, y1, x0, x1]}, ends exclusive */
        public int[] crop() {
            return crop.clone();
        }

        /** @return the dataset path inside the input when it is one HDF5 file, else empty */
        public java.util.Optional<String> hdf5Dataset() {
            return java.util.Optional.ofNullable(hdf5Dataset);
        }

        /** @return k of the k × k pooling of g before fitting (1: none) */
        public int pooling() {
            return pooling;
        }

        /**
         * @return what the preparation options found (bad patterns, mask, centre, drift), for a distributed
         *     engine to send to its workers ({@link AnalyzeCommand#plan(Path, FoundPreparation, String...)});
         *     empty without them
         */
        public java.util.Optional<FoundPreparation> preparation() {
            return java.util.Optional.ofNullable(prep == null ? null : prep.found());
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }

        @Override
        public String toString() {
            return "Planned[" + analysis + "]";
        }
    }

    /**
     * Parses {@code analyze}'s arguments and builds the analysis they describe, without running it or
     * writing anything: what a distributed engine's workers do to analyse their part of the same
     * recording. With the preparation options ({@code --center auto}, {@code --mask auto},
     * {@code --exclude-bad-frames}, {@code --drift-correct}) the recording is prepared with what the driver's
     * preparation found ({@link Planned#preparation()}), without running a finder: every worker gets the
     * driver's centre, mask, excluded patterns and drift.
     *
     * @param input the recording to read, in place of the arguments' INPUT (the same file, named so that this
     *     machine finds it: an absolute path on shared storage)
     * @param found what the preparation found on the whole recording, or null without preparation
     * @param args the arguments of {@code analyze} (INPUT, {@code --out} and the options)
     * @return the plan; the caller closes it
     * @throws IOException if the recording cannot be opened
     * @throws IllegalArgumentException if the arguments do not parse, ask for the preparation without what it found,
     *     or {@code found} was found for other options or another recording
     */
    public static Planned plan(Path input, FoundPreparation found, String... args) throws IOException {
        AnalyzeCommand command = parsed(input, args);
        if (command.preparationAsked() && found == null) {
            throw new IllegalArgumentException("the preparation options (--center auto, --mask auto, --exclude-bad-frames, "
                + "--drift-correct) need what the preparation found on the whole recording");
        }
        if (!command.preparationAsked() && found != null) {
            throw new IllegalArgumentException("a preparation was given, but none of the preparation options (--center auto, "
                + "--mask auto, --exclude-bad-frames, --drift-correct)");
        }
        return command.plan(null, false, found);
    }

    /**
     * Opens the recording as {@code analyze} does before its preparation (a missing centre tolerated
     * with {@code --center auto}): for a distributed statistics pass.
     *
     * @param input the recording to read, in place of the arguments' INPUT
     * @param args the arguments of {@code analyze}
     * @return the recording, whole and unprepared; the caller closes it
     * @throws IOException if it cannot be opened
     * @throws IllegalArgumentException if the arguments do not parse
     */
    public static Dataset5D openRecording(Path input, String... args) throws IOException {
        return parsed(input, args).openRaw();
    }

    private static AnalyzeCommand parsed(Path input, String... args) {
        AnalyzeCommand command = new AnalyzeCommand();
        CommandLine cl = new CommandLine(command);
        try {
            cl.parseArgs(args);
            command.input = java.util.Objects.requireNonNull(input, "input");
            command.validate(cl);
        } catch (CommandLine.ParameterException | IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return command;
    }

    private Dataset5D openRaw() throws IOException {
        // a missing centre is tolerated only when --center auto will estimate it
        return preparationAsked() && inputOptions.centerAuto()
            ? LenientOpen.open(input, inputOptions, java.util.List.of("--center")).dataset() : inputOptions.open(input);
    }

    private boolean preparationAsked() {
        return inputOptions.centerAuto() || inputOptions.maskAuto() || excludeBadFrames || driftCorrect;
    }

    /**
     * Opens, prepares, crops and bins the recording and builds the analysis.
     *
     * @param cl the command line, for the progress bar and the summary when {@code interactive}
     * @param interactive whether the preparation shows its progress bar and summary
     * @param found what the preparation found, or null to find it from the engine's statistics pass
     *     ({@link Engine#statistics})
     */
    private Planned plan(CommandLine cl, boolean interactive, FoundPreparation found) throws IOException {
        boolean prepare = preparationAsked();
        Dataset5D raw = openRaw();
        try {
            PrepareStep.Outcome prep = null;
            if (prepare) {
                DriftTrajectory.Resampling resampling =
                    !driftCorrect ? null : driftResampling == null ? DriftTrajectory.Resampling.WHOLE_STEPS : driftResampling;
                if (found == null) {
                    ProgressBar pb = interactive ? output.progressBar(cl.getErr(), 0) : null;
                    try {
                        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
                        ProgressListener listener = pb == null ? ProgressListener.NONE : pb;
                        PatternStatistics stats = engine.statistics(input, raw, workers, listener);
                        found = PrepareStep.find(raw, stats, inputOptions.centerAuto(), ellipse, inputOptions.maskAuto(),
                            excludeBadFrames, resampling);
                    } finally {
                        if (pb != null) {
                            pb.finish();
                        }
                    }
                } else {
                    found.checkFits(raw.shape(), inputOptions.centerAuto(), ellipse, inputOptions.maskAuto(), excludeBadFrames,
                        resampling);
                }
                prep = PrepareStep.apply(raw, found);
                if (interactive && output.showSummary()) {
                    cl.getOut().println(prep.summary());
                    cl.getOut().flush();
                }
            }
            Dataset5D ds = prep == null ? raw : prep.dataset();
            Shape5D full = ds.shape(); // the drift-corrected field of view, if corrected
            int[] c = crop == null ? new int[] {0, full.scanY(), 0, full.scanX()} : new int[] {crop.y0(), crop.y1(), crop.x0(), crop.x1()};
            if (c[1] > full.scanY() || c[3] > full.scanX()) {
                throw new IllegalArgumentException(Checks.format("--crop %d:%d,%d:%d lies outside the %d×%d scan of %s",
                    c[0], c[1], c[2], c[3], full.scanY(), full.scanX(), input));
            }
            ds = ds.crop(c[0], c[1], c[2], c[3]);
            if (bin > 1) {
                if (bin > Math.min(full.ky(), full.kx())) {
                    throw new IllegalArgumentException(Checks.format("--bin %d is larger than the %d×%d patterns of %s",
                        bin, full.ky(), full.kx(), input));
                }
                ds = ds.bin(bin);
            }
            AnnulusMask dyn = annulus(ds, dynQ, "--dyn-q");
            AnnulusMask struct = structureAnnulus(ds);
            CorrelationOptions co = CorrelationOptions.defaults().withNormalisation(normalisation).withStdErrMethod(stdErr)
                .withAlgorithm(correlator);
            FitOptions fo = FitOptions.defaults().withEstimator(estimator).withWeighting(weighting);
            if (gain != null) {
                fo = fo.withShotNoiseGain(gain);
            }
            if (!Double.isNaN(gamma)) {
                fo = fo.withGammaFixed(gamma);
            }
            if (fitLags != null) {
                if (fitLags.last() >= ds.shape().frames()) {
                    throw new IllegalArgumentException(Checks.format("--fit-lags %d:%d reaches beyond the last lag %d of %s",
                        fitLags.first(), fitLags.last(), ds.shape().frames() - 1, input));
                }
                fo = fo.withLags(fitLags.first(), fitLags.last());
            }
            double bytesPerPattern = bytesPerPattern(raw.shape());
            Analysis analysis = Analysis.of(ds).dynamics(dyn, co, fo)
                .structure(struct, gain == null ? Double.NaN : gain).withPooling(pool);
            if (threads != null) {
                analysis = analysis.withThreads(threads);
            }
            return new Planned(raw, prep, ds, c, bytesPerPattern, analysis, input, pool,
                isHdf5() && !Files.isDirectory(input) ? datasetPath() : null);
        } catch (IOException | RuntimeException e) {
            try {
                raw.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private AnnulusMask annulus(Dataset5D ds, QRange q, String option) {
        try {
            return AnnulusMask.of(ds, q);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + q + ": " + e.getMessage(), e);
        }
    }

    /** The structure annulus split into rings about one pixel wide, for V(Q); one ring if that fails. */
    private AnnulusMask structureAnnulus(Dataset5D ds) {
        double width = structQ.qMaxInverseNm() - structQ.qMinInverseNm();
        int rings = (int) Math.max(1, Math.min(64, Math.floor(width / ds.calibration().pixelSizeInverseNm())));
        try {
            return AnnulusMask.of(ds, structQ, rings);
        } catch (IllegalArgumentException e) {
            return annulus(ds, structQ, "--struct-q");
        }
    }

    /** Bytes of storage behind one unbinned pattern: the file size spread over its patterns. */
    private double bytesPerPattern(Shape5D stored) {
        try {
            long size = Files.isDirectory(input) ? 0 : Files.size(input);
            return size > 0 ? (double) size / stored.patternCount() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Refuses a recording whose dynamics annulus holds no counts in any frame at any position (or
     * whose structure annulus has no usable frame anywhere): a blank recording, the beam off, or the
     * wrong dataset, which would otherwise give all-NaN maps and exit 0. Frames blank among good
     * ones stay the preparation's business ({@code --exclude-bad-frames}).
     */
    private void refuseBlank(AnalysisResult r, Dataset5D ds) {
        long all = (long) ds.shape().positionCount() * ds.shape().frames();
        AnnulusMask dyn = r.dynamicsAnnulus().orElse(null);
        if (dyn != null && r.blankDynamicsFrames() == all) {
            throw new IllegalArgumentException(Checks.format(
                "%s: the dynamics annulus %s (%d pixels) holds no counts in any of the %d frames at any of the %d "
                    + "positions — a blank recording (beam off or blanked), a wrong --dyn-q or the wrong dataset; "
                    + "nothing was written", input, dyn.range(), dyn.pixelCount(), ds.shape().frames(),
                ds.shape().positionCount()));
        }
        AnnulusMask struct = r.structureAnnulus().orElse(null);
        if (struct != null && r.excludedStructureFrames() == all) {
            throw new IllegalArgumentException(Checks.format(
                "%s: the structure annulus %s (%d pixels) holds no usable frame at any of the %d positions — a blank "
                    + "recording, a wrong --struct-q or the wrong dataset; nothing was written", input, struct.range(),
                struct.pixelCount(), ds.shape().positionCount()));
        }
    }

    private boolean isHdf5() {
        String name = input.getFileName() == null ? "" : input.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return Files.isDirectory(input) || name.endsWith(".h5") || name.endsWith(".hdf5") || name.endsWith(".nxs")
            || name.endsWith(".emd");
    }

    private String datasetPath() {
        return inputOptions.dataset != null ? inputOptions.dataset : org.fivedstem.io.OpenOptions.DEFAULT_DATASET;
    }

    private String summary(AnalysisResult r, Dataset5D ds, double bytesPerPattern) {
        HeterogeneityMaps maps = r.maps();
        StringBuilder sb = new StringBuilder(Checks.format("%s: %d×%d positions × %d frames, %d/%d reliable fits, "
                + "%d censored, median tau %.4g s, mean V %.4g (%s)",
            out, maps.scanY(), maps.scanX(), ds.shape().frames(), maps.count(FitStatus.CONVERGED),
            maps.scanY() * maps.scanX(), maps.censoredCount(),
            CensoredSample.of(maps).summary(TauSummary.MEDIAN),
            maps.speckleVariance().mean(),
            AnalysisResult.shotNoiseNote(r.shotNoiseGainAduPerElectron())));
        r.spearman().ifPresent(rho -> sb.append(Checks.format(", rho %.3f (%s)", rho.rho(), rho.reportedPText())));
        if (pool > 1) {
            sb.append(Checks.format(", g pooled over %d×%d positions: tau errors describe the neighbourhood, not the position",
                pool, pool));
        }
        sb.append(Checks.format(", %.2f s", r.seconds()));
        if (bytesPerPattern > 0) {
            sb.append(Checks.format(", %.2f GB/s", r.patternsRead() * bytesPerPattern / r.seconds() / 1e9));
        }
        return sb.toString();
    }
}
