/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.Recordings;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.hdf5.Compression;
import org.fivedstem.io.hdf5.Hdf5Attribute;
import org.fivedstem.io.hdf5.RecordingWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fivedstem convert INPUT --out OUT.h5}: streams any readable recording (Merlin, Dectris,
 * Gatan, EMPAD, HyperSpy/EMD, HDF5 in any layout, raw, .npy) into the project's layout
 * {@code /data (t, y, x, ky, kx)}, keeping the stored type, with the calibration the input has
 * (values it lacks are left out, so reading the output asks for them as reading the input did)
 * and its mask; optionally cropped, cut in time, binned and compressed. One pass, one pattern in memory,
 * written to a temporary file that is moved into place when complete.
 */
@Command(name = "convert",
    header = "Converts a recording (any readable format) to the project's HDF5 layout.",
    mixinStandardHelpOptions = true,
    description = {
        "Reads a recording in any format fivedstem opens (Merlin .mib, Dectris master files, Gatan .dm3/.dm4, "
            + "EMPAD, HyperSpy/EMD, HDF5 in any axis order, raw, .npy) and writes /data (t, scan_y, scan_x, k_y, k_x) in "
            + "the stored type, with the calibration attributes the input has, /mask and /timestamps_s. Frame streams "
            + "need --scan (unless the file says). --bin sums B×B pixels (integer types widen to 32 bits, float32 to "
            + "float64, so sums stay exact); a detector saturation level is kept as an attribute, or, when binning, "
            + "every binned pixel holding a saturated count is masked. The output appears only when complete.",
        ""},
    footer = {"", "Exit codes: 0 success, 1 bad input or failure (no partial output), 2 usage error."})
public final class ConvertCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT",
        description = "recording: HDF5 (incl. Dectris, HyperSpy, EMD), .mib/.hdr, .dm3/.dm4, EMPAD .xml, .npy, raw, or a folder")
    private Path input;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT.h5", description = "recording to write")
    private Path out;

    @Mixin
    private InputOptions inputOptions;

    @Option(names = "--crop", paramLabel = "Y0:Y1,X0:X1", converter = AnalyzeCommand.CropConverter.class,
        description = "keep scan rows Y0…Y1−1 and columns X0…X1−1")
    private AnalyzeCommand.Crop crop;

    @Option(names = "--frames", paramLabel = "T0:T1", converter = FramesConverter.class,
        description = "keep time steps T0…T1−1")
    private FrameRange frames;

    /**
     * Time steps {@code [first, end)}.
     *
     * @param first first time step kept
     * @param end one past the last
     */
    record FrameRange(int first, int end) { }

    @Option(names = "--bin", paramLabel = "B", defaultValue = "1", description = "sum B×B diffraction pixels (default: ${DEFAULT-VALUE})")
    private int bin;

    @Option(names = "--compression", paramLabel = "none|gzip|lz4", defaultValue = "none", converter = CompressionConverter.class,
        description = "none (contiguous, memory-mapped when read), gzip (shuffle + deflate, any HDF5 reader) or lz4 "
            + "(HDF5 filter 32004: fast; h5py needs hdf5plugin); compressed data is stored one pattern per chunk "
            + "(default: ${DEFAULT-VALUE})")
    private Compression compression;

    @Mixin
    private OutputOptions output;

    /** Calibration attributes, by the flag that supplies them. */
    private static final List<String[]> ATTRIBUTES = List.of(new String[] {"--frame-interval", "frame_interval_s"},
        new String[] {"--scan-step", "scan_step_nm"}, new String[] {"--pixel-size", "pixel_size_inv_nm"},
        new String[] {"--center", "center_px"});

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        if (bin < 1) {
            throw new CommandLine.ParameterException(cl, "--bin must be at least 1: " + bin);
        }
        if (inputOptions.centerAuto() || inputOptions.maskAuto()) {
            throw new CommandLine.ParameterException(cl, "convert copies the recording as it is: --center auto and --mask auto "
                + "belong to info and analyze (give a centre or a mask file to store them)");
        }
        if (Files.exists(out) && Files.exists(input) && Files.isSameFile(out, input)) {
            throw new CommandLine.ParameterException(cl, "--out " + out + " is the input itself; write to another file");
        }
        LenientOpen.Opened opened = LenientOpen.open(input, inputOptions,
            List.of("--frame-interval", "--scan-step", "--pixel-size", "--center"));
        try (Dataset5D raw = opened.dataset()) {
            Dataset5D ds = view(raw);
            SampleType stored = Recordings.storedType(raw).orElse(SampleType.FLOAT64);
            SampleType type = bin == 1 ? stored : widened(stored, bin);
            Shape5D shape = ds.bin(bin).shape();
            Set<String> unknown = new LinkedHashSet<>();
            for (String[] a : ATTRIBUTES) {
                if (opened.lacks(a[0])) {
                    unknown.add(a[1]);
                }
            }
            PrintWriter err = cl.getErr();
            ProgressBar progress = output.progressBar(err, (double) ds.shape().patternSize() * stored.sizeBytes());
            double level = raw.storage().saturationLevel().orElse(Double.NaN);
            int saturatedPixels = 0;
            try (RecordingWriter w = RecordingWriter.create(out, shape, type, ds.bin(bin).calibration(), unknown, compression)) {
                boolean[] saturated = write(ds, w, bin, level, progress);
                DetectorMask mask = ds.bin(bin).mask().orElse(null);
                if (saturated != null) {
                    // binned sums hide which counts were clipped: mask the binned pixels that hold one
                    boolean[] valid = mask == null ? new boolean[saturated.length] : mask.toArray();
                    for (int i = 0; i < valid.length; i++) {
                        if (mask == null) {
                            valid[i] = true;
                        }
                        if (saturated[i]) {
                            saturatedPixels += valid[i] ? 1 : 0;
                            valid[i] = false;
                        }
                    }
                    mask = DetectorMask.of(shape.ky(), shape.kx(), valid);
                }
                if (mask != null) {
                    w.putMask(mask);
                }
                if (!Double.isNaN(level) && bin == 1) {
                    w.putGroupAttributes("/", Hdf5Attribute.of("saturation_level", level),
                        Hdf5Attribute.of("saturation_source", "converted from " + input.getFileName()));
                }
                w.putGroupAttributes("/", Hdf5Attribute.of("converted_from", input.toAbsolutePath().toString()),
                    Hdf5Attribute.of("source_storage", raw.storage().description()));
                w.commit();
            } finally {
                if (progress != null) {
                    progress.finish();
                }
            }
            if (output.showSummary()) {
                cl.getOut().println(Checks.format("%s: %s %s%s from %s%s%s%s", out, shape, type,
                    compression == Compression.NONE ? "" : " " + compression.toString().toLowerCase(Locale.ROOT),
                    raw.storage().description(),
                    bin > 1 ? Checks.format(", binned %d×%d", bin, bin) : "",
                    unknown.isEmpty() ? "" : "; not in the input, so not written: " + String.join(", ", unknown),
                    saturatedPixels > 0 ? Checks.format("; %d binned pixels masked for saturated counts", saturatedPixels) : ""));
                cl.getOut().flush();
            }
        }
        return 0;
    }

    private Dataset5D view(Dataset5D raw) {
        Shape5D full = raw.shape();
        Dataset5D ds = raw;
        if (crop != null) {
            if (crop.y1() > full.scanY() || crop.x1() > full.scanX()) {
                throw new IllegalArgumentException(Checks.format("--crop %d:%d,%d:%d lies outside the %d×%d scan of %s",
                    crop.y0(), crop.y1(), crop.x0(), crop.x1(), full.scanY(), full.scanX(), input));
            }
            ds = ds.crop(crop.y0(), crop.y1(), crop.x0(), crop.x1());
        }
        if (frames != null) {
            if (frames.end() > full.frames()) {
                throw new IllegalArgumentException(Checks.format("--frames %d:%d lies outside the %d time steps of %s",
                    frames.first(), frames.end(), full.frames(), input));
            }
            ds = ds.timeRange(frames.first(), frames.end());
        }
        if (bin > Math.min(full.ky(), full.kx())) {
            throw new IllegalArgumentException(Checks.format("--bin %d is larger than the %d×%d patterns of %s", bin, full.ky(),
                full.kx(), input));
        }
        return ds;
    }

    /**
     * The type that holds sums of B² stored values exactly: 8- and 16-bit integers widen to 32 bits
     * while B² times their largest magnitude fits (B ≤ 256 for 16 bits, ≤ 4,096 for 8 bits), else
     * float64, as 32-bit integers and float32 do (float64 is exact to 2⁵³); float64 stays.
     */
    static SampleType widened(SampleType t, int b) {
        double sums = Math.max(Math.abs(t.minValue()), t.maxValue()) * b * (double) b;
        return switch (t) {
            case UINT8, UINT16 -> sums <= SampleType.UINT32.maxValue() ? SampleType.UINT32 : SampleType.FLOAT64;
            case INT8, INT16 -> sums <= SampleType.INT32.maxValue() ? SampleType.INT32 : SampleType.FLOAT64;
            default -> SampleType.FLOAT64;
        };
    }

    /**
     * Streams the patterns of a view into the writer, binning B×B here (in the order
     * {@link Dataset5D#bin} sums, so the values are the same) so that the stored values are seen:
     * returns which binned pixels hold a value at or above the saturation level, or {@code null}
     * when not binning or no level is known.
     */
    private static boolean[] write(Dataset5D ds, RecordingWriter w, int b, double level, ProgressBar progress)
        throws IOException {
        Shape5D s = ds.shape();
        long total = s.patternCount();
        long[] done = {0};
        int ky = s.ky() / b;
        int kx = s.kx() / b;
        boolean[] saturated = b > 1 && !Double.isNaN(level) ? new boolean[ky * kx] : null;
        double[] binned = new double[ky * kx];
        try {
            ds.forEachPattern((t, y, x, p) -> {
                try {
                    writeOne(w, t, y, x, p, s, b, ky, kx, level, saturated, binned);
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // the visitor cannot throw checked exceptions
                }
                done[0]++;
                if (progress != null) {
                    progress.onProgress("converting", done[0], total, -1);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return saturated;
    }

    /** Writes one pattern, binned B×B when B &gt; 1, noting binned pixels that hold a saturated count. */
    private static void writeOne(RecordingWriter w, int t, int y, int x, double[] p, Shape5D s, int b, int ky, int kx,
                                 double level, boolean[] saturated, double[] binned) throws IOException {
        if (b == 1) {
            w.writePattern(t, y, x, p);
            return;
        }
        for (int i = 0; i < ky; i++) {
            for (int j = 0; j < kx; j++) {
                double sum = 0;
                for (int a = 0; a < b; a++) {
                    int src = (i * b + a) * s.kx() + j * b;
                    for (int c = 0; c < b; c++) {
                        double v = p[src + c];
                        sum += v;
                        if (saturated != null && v >= level) {
                            saturated[i * kx + j] = true;
                        }
                    }
                }
                binned[i * kx + j] = sum;
            }
        }
        w.writePattern(t, y, x, binned);
    }

    /** Parses {@code none}, {@code gzip} or {@code lz4}. */
    static final class CompressionConverter implements CommandLine.ITypeConverter<Compression> {
        @Override
        public Compression convert(String value) {
            for (Compression c : Compression.values()) {
                if (c.name().equalsIgnoreCase(value.trim())) {
                    return c;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not none, gzip or lz4");
        }
    }

    /** Parses {@code T0:T1} with 0 ≤ T0 &lt; T1. */
    static final class FramesConverter implements CommandLine.ITypeConverter<FrameRange> {
        @Override
        public FrameRange convert(String value) {
            String[] parts = value.split(":", -1);
            try {
                if (parts.length == 2) {
                    int a = Integer.parseInt(parts[0].trim());
                    int b = Integer.parseInt(parts[1].trim());
                    if (a >= 0 && b > a) {
                        return new FrameRange(a, b);
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not T0:T1 with 0 <= T0 < T1 (end exclusive)");
        }
    }
}
