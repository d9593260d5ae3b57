/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import java.nio.file.Path;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.FrameMapping;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.Recordings;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options that say how to read a recording and override its calibration; shared by the
 * commands that open recordings. Each maps one-to-one onto {@link OpenOptions} (whose error
 * messages name these options).
 */
public final class InputOptions {

    @Option(names = "--dataset", paramLabel = "PATH", description = "dataset inside an HDF5 file (default: /data)")
    String dataset;

    @Option(names = "--axes", paramLabel = "ORDER", converter = AxesConverter.class,
        description = "storage axis order, such as t,y,x,ky,kx or y,x,t,ky,kx (default: the file's 'axes' attribute, else t,y,x,ky,kx)")
    AxisOrder axes;

    @Option(names = "--scan", paramLabel = "NY,NX", converter = ScanConverter.class,
        description = "scan rows and columns of a frame stream (Merlin .mib, Dectris, EMPAD, Gatan stacks, rank-3 HDF5), "
            + "whose files do not say; the number of time steps is inferred")
    ScanSize scan;

    @Option(names = "--frame-order", paramLabel = "ORDER", converter = FrameOrderConverter.class,
        description = "order of a frame stream: t,y,x (repeated scans, the default) or y,x,t (a time series at each position)")
    FrameMapping.Order frameOrder;

    @Option(names = "--skip-frames", paramLabel = "K", description = "leading frames of a frame stream to ignore (sync or flyback frames)")
    Long skipFrames;

    @Option(names = "--frame-interval", paramLabel = "S", description = "time between frames in s (overrides the file)")
    Double frameInterval;

    @Option(names = "--pixel-size", paramLabel = "INV_NM", description = "diffraction pixel size in nm⁻¹ before binning (overrides the file)")
    Double pixelSize;

    @Option(names = "--scan-step", paramLabel = "NM", description = "scan step in nm (overrides the file)")
    Double scanStep;

    @Option(names = "--center", paramLabel = "KY,KX|auto", converter = CenterConverter.class,
        description = "pattern centre in pixels before binning, row,column (overrides the file); 'auto': "
            + "found from the mean pattern's halo (see docs/preparation.md)")
    Pair center;

    @Option(names = "--temperature", paramLabel = "K", description = "sample temperature in K (overrides the file)")
    Double temperature;

    @Option(names = "--mask", paramLabel = "FILE|auto",
        description = "detector mask (HDF5 /mask or .npy, k_y × k_x, non-zero = valid); 'auto': beam stop, hot and "
            + "dead pixels found from the data (repeat the option to combine 'auto' with a FILE)")
    java.util.List<Path> mask;

    /** The value of {@code --center auto}: no number, the centre is to be estimated. */
    static final Pair AUTO_CENTER = new Pair(Double.NaN, Double.NaN);

    /** @return whether {@code --center auto} was given */
    boolean centerAuto() {
        return AUTO_CENTER.equals(center);
    }

    /** @return whether {@code --mask auto} was given */
    boolean maskAuto() {
        return mask != null && mask.stream().anyMatch(p -> p.toString().equals("auto"));
    }

    /** @return the mask file given with {@code --mask}, or null */
    Path maskFile() {
        if (mask == null) {
            return null;
        }
        java.util.List<Path> files = mask.stream().filter(p -> !p.toString().equals("auto")).toList();
        if (files.size() > 1) {
            throw new IllegalArgumentException("--mask names " + files.size() + " files " + files
                + "; give at most one file (plus 'auto')");
        }
        return files.isEmpty() ? null : files.get(0);
    }

    /**
     * @return the open options these command-line options describe
     * @throws CommandLine.ParameterException never; invalid values fail in {@link OpenOptions}'s withers
     */
    OpenOptions toOpenOptions() {
        OpenOptions o = OpenOptions.defaults();
        if (dataset != null) {
            o = o.withDatasetPath(dataset);
        }
        if (axes != null) {
            o = o.withAxes(axes);
        }
        if (scan != null || frameOrder != null || skipFrames != null) {
            FrameMapping m = scan == null ? FrameMapping.fromFile() : FrameMapping.scan(scan.rows(), scan.columns());
            if (frameOrder != null) {
                m = m.withOrder(frameOrder);
            }
            if (skipFrames != null) {
                m = m.withSkipFrames(skipFrames);
            }
            o = o.withFrameMapping(m);
        }
        if (frameInterval != null) {
            o = o.withFrameIntervalSeconds(frameInterval);
        }
        if (pixelSize != null) {
            o = o.withPixelSizeInverseNm(pixelSize);
        }
        if (scanStep != null) {
            o = o.withScanStepNm(scanStep);
        }
        if (center != null && !centerAuto()) {
            o = o.withCenterPx(center.first(), center.second());
        }
        if (temperature != null) {
            o = o.withTemperatureKelvin(temperature);
        }
        if (maskFile() != null) {
            o = o.withMaskFile(maskFile());
        }
        return o;
    }

    /**
     * @param input the recording
     * @return it opened as a streaming dataset
     * @throws RecordingException if it cannot be read
     */
    Dataset5D open(Path input) throws RecordingException {
        return Recordings.open(input, toOpenOptions());
    }

    /** Parses an axis order. */
    static final class AxesConverter implements CommandLine.ITypeConverter<AxisOrder> {
        @Override
        public AxisOrder convert(String value) {
            try {
                return AxisOrder.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * A scan's extents.
     *
     * @param rows NY
     * @param columns NX
     */
    record ScanSize(int rows, int columns) { }

    /** Parses {@code NY,NX} into two positive integers. */
    static final class ScanConverter implements CommandLine.ITypeConverter<ScanSize> {
        @Override
        public ScanSize convert(String value) {
            String[] parts = value.split(",", -1);
            try {
                if (parts.length == 2) {
                    int ny = Integer.parseInt(parts[0].trim());
                    int nx = Integer.parseInt(parts[1].trim());
                    if (ny >= 1 && nx >= 1) {
                        return new ScanSize(ny, nx);
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException(Checks.format(
                "'%s' is not a scan NY,NX of two positive integers (rows, columns)", value));
        }
    }

    /** Parses {@code t,y,x} or {@code y,x,t}. */
    static final class FrameOrderConverter implements CommandLine.ITypeConverter<FrameMapping.Order> {
        @Override
        public FrameMapping.Order convert(String value) {
            try {
                return FrameMapping.Order.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * Two numbers given as {@code A,B}.
     *
     * @param first A
     * @param second B
     */
    record Pair(double first, double second) { }

    /** Parses {@code KY,KX} or {@code auto} ({@link #AUTO_CENTER}). */
    static final class CenterConverter implements CommandLine.ITypeConverter<Pair> {
        @Override
        public Pair convert(String value) {
            return value.trim().equals("auto") ? AUTO_CENTER : new PairConverter().convert(value);
        }
    }

    /** Parses {@code A,B} into two finite numbers. */
    static final class PairConverter implements CommandLine.ITypeConverter<Pair> {
        @Override
        public Pair convert(String value) {
            String[] parts = value.split(",", -1);
            try {
                if (parts.length == 2) {
                    double a = Double.parseDouble(parts[0].trim());
                    double b = Double.parseDouble(parts[1].trim());
                    if (Double.isFinite(a) && Double.isFinite(b)) {
                        return new Pair(a, b);
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException(Checks.format("'%s' is not two numbers A,B", value));
        }
    }
}
