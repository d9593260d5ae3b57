package org.fivedstem.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.fivedstem.api.AxisOrder;
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
 * {@link #withMaskFile}; these flag names appear in the messages about missing calibration.
 */
public final class OpenOptions {

    /** The dataset path used when none is given: the project's raw layout. */
    public static final String DEFAULT_DATASET = "/data";

    private static final OpenOptions DEFAULTS = new OpenOptions(null, null, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, null, 256L << 20);

    private final String datasetPath;
    private final AxisOrder axes;
    private final double frameIntervalSeconds;
    private final double scanStepYNm;
    private final double scanStepXNm;
    private final double pixelSizeInverseNm;
    private final double centerKyPx;
    private final double centerKxPx;
    private final double temperatureKelvin;
    private final Path maskFile;
    private final RawLayout rawLayout;
    private final long chunkCacheBytes;

    private OpenOptions(String datasetPath, AxisOrder axes, double frameIntervalSeconds, double scanStepYNm,
                        double scanStepXNm, double pixelSizeInverseNm, double centerKyPx, double centerKxPx,
                        double temperatureKelvin, Path maskFile, RawLayout rawLayout, long chunkCacheBytes) {
        this.datasetPath = datasetPath;
        this.axes = axes;
        this.frameIntervalSeconds = frameIntervalSeconds;
        this.scanStepYNm = scanStepYNm;
        this.scanStepXNm = scanStepXNm;
        this.pixelSizeInverseNm = pixelSizeInverseNm;
        this.centerKyPx = centerKyPx;
        this.centerKxPx = centerKxPx;
        this.temperatureKelvin = temperatureKelvin;
        this.maskFile = maskFile;
        this.rawLayout = rawLayout;
        this.chunkCacheBytes = chunkCacheBytes;
    }

    /** @return options with nothing overridden: dataset {@code /data}, axes and calibration from the file */
    public static OpenOptions defaults() {
        return DEFAULTS;
    }

    private OpenOptions copy(String ds, AxisOrder ax, double fi, double sy, double sx, double px, double cy, double cx,
                             double temp, Path mask, RawLayout raw, long cache) {
        return new OpenOptions(ds, ax, fi, sy, sx, px, cy, cx, temp, mask, raw, cache);
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
        return copy(path, axes, frameIntervalSeconds, scanStepYNm, scanStepXNm, pixelSizeInverseNm, centerKyPx, centerKxPx,
            temperatureKelvin, maskFile, rawLayout, chunkCacheBytes);
    }

    /**
     * @param order the storage axis order
     * @return a copy with this axis order (overriding the file's {@code axes} attribute)
     */
    public OpenOptions withAxes(AxisOrder order) {
        return copy(datasetPath, Objects.requireNonNull(order, "axes"), frameIntervalSeconds, scanStepYNm, scanStepXNm,
            pixelSizeInverseNm, centerKyPx, centerKxPx, temperatureKelvin, maskFile, rawLayout, chunkCacheBytes);
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
     * @param seconds time between frames in s (&gt; 0); replaces timestamps from the file
     * @return a copy
     */
    public OpenOptions withFrameIntervalSeconds(double seconds) {
        return copy(datasetPath, axes, Checks.positive("frameIntervalSeconds", seconds), scanStepYNm, scanStepXNm,
            pixelSizeInverseNm, centerKyPx, centerKxPx, temperatureKelvin, maskFile, rawLayout, chunkCacheBytes);
    }

    /**
     * @param nm scan step in nm along y and x (&gt; 0)
     * @return a copy
     */
    public OpenOptions withScanStepNm(double nm) {
        return withScanStepNm(nm, nm);
    }

    /**
     * @param yNm scan step between rows in nm (&gt; 0)
     * @param xNm scan step between columns in nm (&gt; 0)
     * @return a copy
     */
    public OpenOptions withScanStepNm(double yNm, double xNm) {
        return copy(datasetPath, axes, frameIntervalSeconds, Checks.positive("scanStepYNm", yNm),
            Checks.positive("scanStepXNm", xNm), pixelSizeInverseNm, centerKyPx, centerKxPx, temperatureKelvin, maskFile,
            rawLayout, chunkCacheBytes);
    }

    /**
     * @param inverseNm diffraction pixel size in nm⁻¹ per pixel (&gt; 0)
     * @return a copy
     */
    public OpenOptions withPixelSizeInverseNm(double inverseNm) {
        return copy(datasetPath, axes, frameIntervalSeconds, scanStepYNm, scanStepXNm,
            Checks.positive("pixelSizeInverseNm", inverseNm), centerKyPx, centerKxPx, temperatureKelvin, maskFile,
            rawLayout, chunkCacheBytes);
    }

    /**
     * @param kyPx pattern centre row in pixels (finite)
     * @param kxPx pattern centre column in pixels (finite)
     * @return a copy
     */
    public OpenOptions withCenterPx(double kyPx, double kxPx) {
        return copy(datasetPath, axes, frameIntervalSeconds, scanStepYNm, scanStepXNm, pixelSizeInverseNm,
            Checks.finite("centerKyPx", kyPx), Checks.finite("centerKxPx", kxPx), temperatureKelvin, maskFile, rawLayout,
            chunkCacheBytes);
    }

    /**
     * @param kelvin sample temperature in K (&gt; 0)
     * @return a copy
     */
    public OpenOptions withTemperatureKelvin(double kelvin) {
        return copy(datasetPath, axes, frameIntervalSeconds, scanStepYNm, scanStepXNm, pixelSizeInverseNm, centerKyPx,
            centerKxPx, Checks.positive("temperatureKelvin", kelvin), maskFile, rawLayout, chunkCacheBytes);
    }

    /**
     * @param file a detector mask (k_y, k_x), non-zero = valid: an HDF5 file with a dataset
     *     {@code /mask} or a {@code .npy} file; replaces a {@code /mask} in the recording
     * @return a copy
     */
    public OpenOptions withMaskFile(Path file) {
        return copy(datasetPath, axes, frameIntervalSeconds, scanStepYNm, scanStepXNm, pixelSizeInverseNm, centerKyPx,
            centerKxPx, temperatureKelvin, Objects.requireNonNull(file, "maskFile"), rawLayout, chunkCacheBytes);
    }

    /**
     * @param layout how a raw binary file is laid out (otherwise read from its JSON sidecar)
     * @return a copy
     */
    public OpenOptions withRawLayout(RawLayout layout) {
        return copy(datasetPath, axes, frameIntervalSeconds, scanStepYNm, scanStepXNm, pixelSizeInverseNm, centerKyPx,
            centerKxPx, temperatureKelvin, maskFile, Objects.requireNonNull(layout, "rawLayout"), chunkCacheBytes);
    }

    /**
     * @param bytes memory for decoded HDF5 chunks (&ge; 1 MiB; default 256 MiB)
     * @return a copy
     */
    public OpenOptions withChunkCacheBytes(long bytes) {
        if (bytes < (1 << 20)) {
            throw new IllegalArgumentException(Checks.format("chunkCacheBytes is below 1 MiB: %d", bytes));
        }
        return copy(datasetPath, axes, frameIntervalSeconds, scanStepYNm, scanStepXNm, pixelSizeInverseNm, centerKyPx,
            centerKxPx, temperatureKelvin, maskFile, rawLayout, bytes);
    }

    /** @return the dataset path to read ({@link #DEFAULT_DATASET} unless set) */
    public String datasetPath() {
        return datasetPath == null ? DEFAULT_DATASET : datasetPath;
    }

    /** @return the axis order given, or {@code null} to use the file's {@code axes} attribute or t,y,x,ky,kx */
    public AxisOrder axes() {
        return axes;
    }

    /** @return the frame interval in s, or NaN if not given */
    public double frameIntervalSeconds() {
        return frameIntervalSeconds;
    }

    /** @return the scan step between rows in nm, or NaN if not given */
    public double scanStepYNm() {
        return scanStepYNm;
    }

    /** @return the scan step between columns in nm, or NaN if not given */
    public double scanStepXNm() {
        return scanStepXNm;
    }

    /** @return the pixel size in nm⁻¹, or NaN if not given */
    public double pixelSizeInverseNm() {
        return pixelSizeInverseNm;
    }

    /** @return the centre row in px, or NaN if not given */
    public double centerKyPx() {
        return centerKyPx;
    }

    /** @return the centre column in px, or NaN if not given */
    public double centerKxPx() {
        return centerKxPx;
    }

    /** @return the temperature in K, or NaN if not given */
    public double temperatureKelvin() {
        return temperatureKelvin;
    }

    /** @return the mask file, or {@code null} */
    public Path maskFile() {
        return maskFile;
    }

    /** @return the raw layout, or {@code null} (then a JSON sidecar is looked for) */
    public RawLayout rawLayout() {
        return rawLayout;
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
        add(parts, "frame interval %s s", frameIntervalSeconds);
        if (!Double.isNaN(scanStepYNm)) {
            parts.add(scanStepYNm == scanStepXNm ? Checks.format("scan step %s nm", scanStepYNm)
                : Checks.format("scan step %s×%s nm", scanStepYNm, scanStepXNm));
        }
        add(parts, "pixel %s nm⁻¹", pixelSizeInverseNm);
        if (!Double.isNaN(centerKyPx)) {
            parts.add(Checks.format("centre (%s, %s) px", centerKyPx, centerKxPx));
        }
        add(parts, "%s K", temperatureKelvin);
        if (maskFile != null) {
            parts.add("mask " + maskFile);
        }
        if (rawLayout != null) {
            parts.add(rawLayout.toString());
        }
        return "OpenOptions[" + String.join(", ", parts) + "]";
    }

    private static void add(List<String> parts, String format, double v) {
        if (!Double.isNaN(v)) {
            parts.add(Checks.format(format, v));
        }
    }
}
