/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.CalibrationOverrides;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.raw.RawLayout;

/**
 * How to open a recording: where the data is in the file, in which axis order, and calibration
 * values that override (or supply) what the file says. Immutable; configured by copy-returning
 * withers, each validating at once. Unset values are taken from the file.
 *
 * <pre>{@code
 * OpenOptions o = OpenOptions.defaults()
 *     .withDatasetPath("/entry/data")
 *     .withAxes("y,x,t,ky,kx")
 *     .withPixelSizeInverseNm(0.23)
 *     .withCenterPx(32.5, 31.0);
 * Dataset5D ds = Recordings.open(Path.of("scan.h5"), o);
 * }</pre>
 *
 * <p>A command-line tool maps its options one to one: {@code --dataset} → {@link
 * #withDatasetPath}, {@code --axes} → {@link #withAxes(String)}, {@code --frame-interval} →
 * {@link #withFrameIntervalSeconds}, {@code --scan-step} → {@link #withScanStepNm},
 * {@code --pixel-size} → {@link #withPixelSizeInverseNm}, {@code --center} → {@link
 * #withCenterPx}, {@code --temperature} → {@link #withTemperatureKelvin}, {@code --mask} →
 * {@link #withMaskFile}, {@code --scan}, {@code --frame-order}, {@code --skip-frames} → {@link
 * #withFrameMapping}; these flag names appear in the messages about missing calibration.
 */
public final class OpenOptions {

    /** The dataset path used when none is given: the project's raw layout. */
    public static final String DEFAULT_DATASET = "/data";

    private static final OpenOptions DEFAULTS = new OpenOptions(new Fields());

    private final String datasetPath;
    private final AxisOrder axes;
    private final CalibrationOverrides calibration;
    private final Path maskFile;
    private final RawLayout rawLayout;
    private final FrameMapping frameMapping;
    private final long chunkCacheBytes;

    /**
     * The values of an options object while a wither changes one of them: withers copy the
     * current values, set theirs and freeze the result, so each names only what it changes.
     */
    private static final class Fields {
        String datasetPath;
        AxisOrder axes;
        CalibrationOverrides calibration = CalibrationOverrides.none();
        Path maskFile;
        RawLayout rawLayout;
        FrameMapping frameMapping = FrameMapping.fromFile();
        long chunkCacheBytes = 256L << 20;

        Fields() {
        }

        Fields(OpenOptions o) {
            datasetPath = o.datasetPath;
            axes = o.axes;
            calibration = o.calibration;
            maskFile = o.maskFile;
            rawLayout = o.rawLayout;
            frameMapping = o.frameMapping;
            chunkCacheBytes = o.chunkCacheBytes;
        }
    }

    private OpenOptions(Fields f) {
        this.datasetPath = f.datasetPath;
        this.axes = f.axes;
        this.calibration = f.calibration;
        this.maskFile = f.maskFile;
        this.rawLayout = f.rawLayout;
        this.frameMapping = f.frameMapping;
        this.chunkCacheBytes = f.chunkCacheBytes;
    }

    /** @return options with nothing overridden: dataset {@code /data}, axes and calibration from the file */
    public static OpenOptions defaults() {
        return DEFAULTS;
    }

    private OpenOptions with(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return new OpenOptions(f);
    }

    /**
     * @param path absolute HDF5 path of the 5D dataset, e.g. {@code /entry/data}
     * @return a copy reading that dataset
     */
    public OpenOptions withDatasetPath(String path) {
        Objects.requireNonNull(path, "datasetPath");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(Checks.format("datasetPath '%s' is not absolute; expected e.g. /data", path));
        }
        return with(f -> f.datasetPath = path);
    }

    /**
     * @param order the storage axis order
     * @return a copy with this axis order (overriding the file's {@code axes} attribute)
     */
    public OpenOptions withAxes(AxisOrder order) {
        Objects.requireNonNull(order, "axes");
        return with(f -> f.axes = order);
    }

    /**
     * @param order the storage axis order as letters, e.g. {@code "y,x,t,ky,kx"}
     * @return a copy with this axis order
     * @throws IllegalArgumentException if the text is not a permutation of t, y, x, ky, kx
     */
    public OpenOptions withAxes(String order) {
        return withAxes(AxisOrder.parse(order));
    }

    /**
     * @param overrides calibration values that replace (or supply) the file's; replaces any given before
     * @return a copy
     */
    public OpenOptions withCalibration(CalibrationOverrides overrides) {
        Objects.requireNonNull(overrides, "calibration");
        return with(f -> f.calibration = overrides);
    }

    /**
     * @param seconds time between frames in s (&gt; 0); replaces timestamps from the file
     * @return a copy ({@link CalibrationOverrides#withFrameIntervalSeconds} on {@link #calibration()})
     */
    public OpenOptions withFrameIntervalSeconds(double seconds) {
        return withCalibration(calibration.withFrameIntervalSeconds(seconds));
    }

    /**
     * @param nm scan step in nm along y and x (&gt; 0)
     * @return a copy ({@link CalibrationOverrides#withScanStepNm(double)} on {@link #calibration()})
     */
    public OpenOptions withScanStepNm(double nm) {
        return withCalibration(calibration.withScanStepNm(nm));
    }

    /**
     * @param yNm scan step between rows in nm (&gt; 0)
     * @param xNm scan step between columns in nm (&gt; 0)
     * @return a copy ({@link CalibrationOverrides#withScanStepNm(double, double)} on {@link #calibration()})
     */
    public OpenOptions withScanStepNm(double yNm, double xNm) {
        return withCalibration(calibration.withScanStepNm(yNm, xNm));
    }

    /**
     * @param inverseNm diffraction pixel size in nm⁻¹ per pixel (&gt; 0)
     * @return a copy ({@link CalibrationOverrides#withPixelSizeInverseNm} on {@link #calibration()})
     */
    public OpenOptions withPixelSizeInverseNm(double inverseNm) {
        return withCalibration(calibration.withPixelSizeInverseNm(inverseNm));
    }

    /**
     * @param kyPx pattern centre row in pixels (finite)
     * @param kxPx pattern centre column in pixels (finite)
     * @return a copy ({@link CalibrationOverrides#withCenterPx} on {@link #calibration()})
     */
    public OpenOptions withCenterPx(double kyPx, double kxPx) {
        return withCalibration(calibration.withCenterPx(kyPx, kxPx));
    }

    /**
     * @param kelvin sample temperature in K (&gt; 0)
     * @return a copy ({@link CalibrationOverrides#withTemperatureKelvin} on {@link #calibration()})
     */
    public OpenOptions withTemperatureKelvin(double kelvin) {
        return withCalibration(calibration.withTemperatureKelvin(kelvin));
    }

    /**
     * @param file a detector mask (k_y, k_x), non-zero = valid: an HDF5 file with a dataset
     *     {@code /mask} or a {@code .npy} file; replaces a {@code /mask} in the recording
     * @return a copy
     */
    public OpenOptions withMaskFile(Path file) {
        Objects.requireNonNull(file, "maskFile");
        return with(f -> f.maskFile = file);
    }

    /**
     * @param layout how a raw binary file is laid out (otherwise read from its JSON sidecar)
     * @return a copy
     */
    public OpenOptions withRawLayout(RawLayout layout) {
        Objects.requireNonNull(layout, "rawLayout");
        return with(f -> f.rawLayout = layout);
    }

    /**
     * @param mapping how the frames of a frame stream (Merlin, Dectris, EMPAD, Gatan stacks) map
     *     onto (t, y, x): the scan, the frame order, leading frames to skip
     * @return a copy
     */
    public OpenOptions withFrameMapping(FrameMapping mapping) {
        Objects.requireNonNull(mapping, "frameMapping");
        return with(f -> f.frameMapping = mapping);
    }

    /**
     * @param bytes memory for decoded HDF5 chunks (&ge; 1 MiB; default 256 MiB)
     * @return a copy
     */
    public OpenOptions withChunkCacheBytes(long bytes) {
        if (bytes < (1 << 20)) {
            throw new IllegalArgumentException(Checks.format("chunkCacheBytes is below 1 MiB: %d", bytes));
        }
        return with(f -> f.chunkCacheBytes = bytes);
    }

    /** @return the dataset path to read ({@link #DEFAULT_DATASET} unless set) */
    public String datasetPath() {
        return datasetPath == null ? DEFAULT_DATASET : datasetPath;
    }

    /**
     * @return whether a dataset path was given: then self-describing HDF5 files (HyperSpy, EMD)
     *     read that dataset rather than the one their metadata points to
     */
    public boolean hasDatasetPath() {
        return datasetPath != null;
    }

    /** @return the axis order given, or {@code null} to use the file's {@code axes} attribute or t,y,x,ky,kx */
    public AxisOrder axes() {
        return axes;
    }

    /** @return the calibration values given, which win over the file's */
    public CalibrationOverrides calibration() {
        return calibration;
    }

    /** @return the mask file, or {@code null} */
    public Path maskFile() {
        return maskFile;
    }

    /** @return the raw layout, or {@code null} (then a JSON sidecar is looked for) */
    public RawLayout rawLayout() {
        return rawLayout;
    }

    /** @return how frame streams map onto (t, y, x); {@link FrameMapping#fromFile()} unless set */
    public FrameMapping frameMapping() {
        return frameMapping;
    }

    /** @return bytes of decoded chunks kept in memory */
    public long chunkCacheBytes() {
        return chunkCacheBytes;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add("dataset " + datasetPath());
        parts.add("axes " + (axes == null ? "from file" : axes.toString()));
        if (!calibration.isEmpty()) {
            parts.add(calibration.toString());
        }
        if (maskFile != null) {
            parts.add("mask " + maskFile);
        }
        if (rawLayout != null) {
            parts.add(rawLayout.toString());
        }
        if (!frameMapping.equals(FrameMapping.fromFile())) {
            parts.add(frameMapping.toString());
        }
        return "OpenOptions[" + String.join(", ", parts) + "]";
    }
}
