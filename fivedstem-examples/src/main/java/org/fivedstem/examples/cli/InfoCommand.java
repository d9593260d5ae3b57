/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.QRange;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.preparation.CenterEstimate;
import org.fivedstem.core.preparation.CenterFinder;
import org.fivedstem.core.preparation.CenterOptions;
import org.fivedstem.core.preparation.MaskFinder;
import org.fivedstem.core.preparation.PatternStatistics;
import org.fivedstem.core.preparation.PreparedMask;
import org.fivedstem.core.preparation.RingCandidate;
import org.fivedstem.io.figures.PatternFigure;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fivedstem info INPUT [--out PNG]}: what a recording is (shape, storage type and chunking,
 * calibration found), its mean pattern's centre estimated from the halo, and the mean pattern drawn
 * with the Q annuli so users can check their ranges by eye; with {@code --mask auto} the automatic
 * mask (beam stop, hot and dead pixels) too. One streaming pass over the file.
 */
@Command(name = "info",
    header = "Shape, storage, calibration and halo centre of a recording; its mean pattern as PNG.",
    mixinStandardHelpOptions = true,
    description = {
        "Describes a 5D-STEM recording: dimensions, storage type and chunking, the calibration found, the "
            + "pattern centre estimated from the mean pattern's amorphous halo (± its standard error), and, with "
            + "--out, the mean pattern as PNG with the dynamics and structure annuli drawn on it. With --mask auto it "
            + "also finds the beam stop, the region outside the aperture, flares, hot and dead pixels (as analyze "
            + "--mask auto does), reports their counts, uses the mask for the centre and colours the masked pixels by "
            + "reason in the PNG. The centre comes from the best-supported ring (3-6 nm⁻¹ when the pixel size is "
            + "known); other rings found (a flare about the beam stop's tip, say) are listed. Reads the file once.",
        ""},
    footer = {"", "Exit codes: 0 success, 1 bad input or failure (one line on stderr), 2 usage error."})
public final class InfoCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "recording: HDF5, .npy, raw binary, or a folder of per-time-step HDF5 files")
    private Path input;

    @Option(names = {"-o", "--out"}, paramLabel = "PNG", description = "write the mean pattern with the annuli drawn on it")
    private Path out;

    @Mixin
    private InputOptions inputOptions;

    @Option(names = "--dyn-q", paramLabel = "QMIN:QMAX", defaultValue = "4.2:4.6", converter = AnalyzeCommand.QRangeConverter.class,
        description = "dynamics annulus drawn, nm⁻¹ (default: ${DEFAULT-VALUE})")
    private QRange dynQ;

    @Option(names = "--struct-q", paramLabel = "QMIN:QMAX", defaultValue = "3.0:5.8", converter = AnalyzeCommand.QRangeConverter.class,
        description = "structure annulus drawn, nm⁻¹ (default: ${DEFAULT-VALUE})")
    private QRange structQ;

    @Option(names = "--ellipse", description = "fit an ellipse to the halo ridge (centre and elliptical distortion)")
    private boolean ellipse;

    @Option(names = "--max-frames", paramLabel = "N", description = "average only the first N frames (default: all)")
    private Integer maxFrames;

    @Mixin
    private OutputOptions output;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        if (maxFrames != null && maxFrames < 1) {
            throw new CommandLine.ParameterException(cl, "--max-frames must be at least 1: " + maxFrames);
        }
        PrintWriter o = output.showSummary() ? cl.getOut() : new PrintWriter(java.io.Writer.nullWriter());
        LenientOpen.Opened opened = LenientOpen.open(input, inputOptions,
            List.of("--frame-interval", "--scan-step", "--pixel-size", "--center"));
        try (Dataset5D ds = opened.dataset()) {
            Shape5D s = ds.shape();
            Calibration cal = ds.calibration();
            o.println(input + ":");
            o.println("  shape        " + s + Checks.format(" (%d patterns, %.3g GB as float64)", s.patternCount(),
                s.valueCount() * 8e-9));
            o.println("  storage      " + ds.storage().description() + ", axes " + ds.axisOrder());
            o.println("  calibration  " + cal);
            o.println("  sources      " + sources(opened, cal));
            if (!opened.placeholders().isEmpty()) {
                o.println("  not found    " + String.join(", ", opened.placeholders())
                    + " — placeholders above; give them as options for analyze");
            }
            o.println("  mask         " + ds.mask().map(DetectorMask::toString).orElse("none in the file"));
            o.flush();
            Dataset5D part = maxFrames != null && maxFrames < s.frames() ? ds.timeRange(0, maxFrames) : ds;
            ProgressBar progress = output.progressBar(cl.getErr(), 0);
            PatternStatistics stats;
            try {
                stats = PatternStatistics.compute(part, progress == null ? ProgressListener.NONE : progress);
            } finally {
                if (progress != null) {
                    progress.finish();
                }
            }
            double[] mean = stats.meanPattern();
            DetectorMask mask = ds.maskOrAllValid();
            o.println(Checks.format("  mean pattern %d patterns; pixel means %.4g to %.4g", stats.patternCount(), min(mean), max(mean)));
            PreparedMask auto = null;
            if (inputOptions.maskAuto()) {
                // The mask analyze --mask auto would use (without --exclude-bad-frames): found from the same pass.
                auto = MaskFinder.defaults().find(stats, ds.mask().orElse(null));
                mask = auto.mask();
            }
            CenterOptions options = CenterOptions.defaults().withEllipse(ellipse);
            if (!opened.lacks("--pixel-size")) {
                // Search the halo where an amorphous halo can be (3–6 nm⁻¹), not at any radius.
                options = options.withPixelSizeInverseNm(cal.pixelSizeInverseNm());
            }
            CenterEstimate c;
            try {
                c = CenterFinder.of(options).estimate(mean, s.ky(), s.kx(), mask);
                if (auto != null) {
                    // Flares are pixels far above their ring about the centre: found now, then the centre again without them.
                    auto = MaskFinder.defaults().withFlares(auto, mean, s.ky(), s.kx(), c.centerKyPx(), c.centerKxPx());
                    if (auto.flarePixels() > 0) {
                        mask = auto.mask();
                        try {
                            c = CenterFinder.of(options).estimate(mean, s.ky(), s.kx(), mask);
                        } catch (IllegalArgumentException e) {
                            // the first estimate stands
                            o.println("  note         centre refit without the flares failed (" + e.getMessage()
                                + "); the estimate with them is shown");
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                c = null;
                if (auto != null) {
                    printAutoMask(o, auto, s, ds);
                }
                o.println("  centre       not found: " + e.getMessage());
            }
            if (c != null && auto != null) {
                printAutoMask(o, auto, s, ds);
            }
            Calibration shown = cal;
            if (c != null) {
                shown = c.applyTo(cal);
                StringBuilder line = new StringBuilder(Checks.format("  centre       (%.3f ± %.3f, %.3f ± %.3f) px from the halo ridge",
                    c.centerKyPx(), c.stdErrKyPx(), c.centerKxPx(), c.stdErrKxPx()));
                line.append(opened.lacks("--pixel-size") ? Checks.format(" (radius %.2f px)", c.radiusPx())
                    : Checks.format(" (radius %.2f px = %.3f nm⁻¹)", c.radiusPx(), c.radiusPx() * cal.pixelSizeInverseNm()));
                if (!opened.lacks("--center")) {
                    line.append(Checks.format("; the calibration says (%.2f, %.2f) px, %.3f px away", cal.centerKyPx(),
                        cal.centerKxPx(), Math.hypot(c.centerKyPx() - cal.centerKyPx(), c.centerKxPx() - cal.centerKxPx())));
                }
                o.println(line);
                if (c.ring() != null && !c.otherRings().isEmpty()) {
                    o.println("  other rings  " + c.otherRings().size() + " less supported (the halo's support "
                        + Checks.format("%.3g", c.ring().support()) + "):");
                    for (RingCandidate other : c.otherRings()) {
                        o.println("               " + other);
                    }
                }
                if (c.ellipse()) {
                    o.println(Checks.format("  ellipse      axis ratio %.4f ± %.4f, major axis at %.1f ± %.1f° from +kx towards +ky",
                        c.axisRatio(), c.axisRatioStdErr(), Math.toDegrees(c.angleRadians()), Math.toDegrees(c.angleStdErrRadians())));
                }
            }
            if (out != null) {
                PatternFigure f = PatternFigure.of(mean, s.ky(), s.kx(), shown).withMask(mask);
                if (auto != null) {
                    // Why each pixel is masked, each reason in its own colour with a legend.
                    // Always in this order, so each reason keeps its colour from figure to figure.
                    f = f.withMaskReason("beam stop", auto.beamStop()).withMaskReason("outside aperture", auto.outsideAperture())
                        .withMaskReason("flare", auto.flare()).withMaskReason("hot", auto.hot()).withMaskReason("dead", auto.dead());
                    if (ds.mask().isPresent()) {
                        f = f.withMaskReason("given mask", auto.given());
                    }
                }
                f = f
                    .withTitle("mean pattern of " + (input.getFileName() == null ? input : input.getFileName()));
                if (opened.lacks("--pixel-size")) {
                    o.println("  figure       no annuli drawn: the pixel size is unknown (give --pixel-size)");
                } else {
                    f = f.withAnnulus("dynamics", dynQ).withAnnulus("structure", structQ);
                }
                f.writePng(out);
                o.println("  figure       " + out);
            }
            o.flush();
        }
        return 0;
    }

    /** The auto mask line; flare and outside-aperture counts appear when there are any. */
    private static void printAutoMask(PrintWriter o, PreparedMask m, Shape5D s, Dataset5D ds) {
        StringBuilder extra = new StringBuilder();
        if (m.flarePixels() > 0) {
            extra.append(Checks.format(", flare %d", m.flarePixels()));
        }
        if (m.outsideAperturePixels() > 0) {
            extra.append(Checks.format(", outside aperture %d", m.outsideAperturePixels()));
        }
        o.println(Checks.format("  auto mask    %d of %d pixels valid: beam stop %d, hot %d, dead %d%s%s", m.mask().validCount(),
            s.patternSize(), m.beamStopPixels(), m.hotPixels(), m.deadPixels(), extra,
            ds.mask().isPresent() ? Checks.format(", given mask %d", m.givenPixels()) : ""));
    }

    /**
     * Where each calibration value came from: an option given here, the recording (its metadata,
     * timestamps or a JSON sidecar beside it; the storage line names the format), or nowhere (a
     * placeholder, listed under "not found").
     */
    private String sources(LenientOpen.Opened opened, Calibration cal) {
        InputOptions i = inputOptions;
        String[][] values = {
            {"frame interval", "--frame-interval", i.frameInterval != null ? "option"
                : cal.hasTimestamps() ? "the recording's timestamps" : null},
            {"scan step", "--scan-step", i.scanStep != null ? "option" : null},
            {"pixel size", "--pixel-size", i.pixelSize != null ? "option" : null},
            {"centre", "--center", i.center != null && !i.centerAuto() ? "option" : null},
        };
        List<String> parts = new java.util.ArrayList<>();
        for (String[] v : values) {
            String from = opened.lacks(v[1]) ? "not found" : v[2] != null ? v[2] : "the recording (metadata or sidecar)";
            parts.add(v[0] + ": " + from);
        }
        parts.add("temperature: " + (i.temperature != null ? "option" : cal.temperatureKelvin().isPresent()
            ? "the recording (metadata or sidecar)" : "none"));
        return String.join("; ", parts);
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
