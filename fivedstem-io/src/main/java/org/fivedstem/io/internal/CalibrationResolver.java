/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.nio.file.Path;
import java.util.function.Function;

import org.fivedstem.api.Calibration;
import org.fivedstem.api.CalibrationOverrides;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;

/**
 * Assembles a {@link Calibration} from a file's metadata (the project's raw-layout attribute
 * names) and the open options, options winning. A missing value is reported with the attribute
 * name, where it was looked for, and the option that supplies it.
 */
public final class CalibrationResolver {

    /** Attribute names of the project's raw layout. */
    public static final String FRAME_INTERVAL = "frame_interval_s";
    /** Scan step attribute: scalar, or [y, x]. */
    public static final String SCAN_STEP = "scan_step_nm";
    /** Pixel size attribute. */
    public static final String PIXEL_SIZE = "pixel_size_inv_nm";
    /** Centre attribute [k_y, k_x]. */
    public static final String CENTER = "center_px";
    /** Temperature attribute (optional). */
    public static final String TEMPERATURE = "temperature_K";

    private CalibrationResolver() {
    }

    /**
     * @param file the file, for messages
     * @param dataset the dataset path, for messages (or {@code null})
     * @param where where the attributes were looked for, e.g. {@code "on /data, its group or the root"}
     * @param lookup attribute name → values, or {@code null} when absent
     * @param timestamps timestamps from the file, or {@code null}
     * @param o the options
     * @return the calibration
     * @throws RecordingException naming the first missing or invalid value
     */
    public static Calibration resolve(Path file, String dataset, String where, Function<String, double[]> lookup,
                                      double[] timestamps, OpenOptions o) throws RecordingException {
        Calibration.Builder b = Calibration.builder();
        CalibrationOverrides given = o.calibration();
        try {
            if (given.frameIntervalSeconds().isPresent()) {
                b.frameIntervalSeconds(given.frameIntervalSeconds().getAsDouble());
            } else if (timestamps != null) {
                b.timestampsSeconds(timestamps);
                double[] fi = lookup.apply(FRAME_INTERVAL);
                if (fi != null && timestamps.length < 2) {
                    b.frameIntervalSeconds(scalar(file, dataset, FRAME_INTERVAL, fi));
                }
            } else {
                b.frameIntervalSeconds(scalar(file, dataset, FRAME_INTERVAL,
                    require(file, dataset, where, lookup, FRAME_INTERVAL, "the frame interval", "--frame-interval",
                        "withFrameIntervalSeconds")));
            }
            if (given.scanStepYNm().isPresent()) {
                b.scanStepNm(given.scanStepYNm().getAsDouble(), given.scanStepXNm().getAsDouble());
            } else {
                double[] s = require(file, dataset, where, lookup, SCAN_STEP, "the scan step", "--scan-step", "withScanStepNm");
                if (s.length == 1) {
                    b.scanStepNm(s[0]);
                } else if (s.length == 2) {
                    b.scanStepNm(s[0], s[1]);
                } else {
                    throw new RecordingException(file, dataset, Checks.format(
                        "attribute %s has %d values; expected 1 or 2 ([y, x]) in nm", SCAN_STEP, s.length));
                }
            }
            if (given.pixelSizeInverseNm().isPresent()) {
                b.pixelSizeInverseNm(given.pixelSizeInverseNm().getAsDouble());
            } else {
                b.pixelSizeInverseNm(scalar(file, dataset, PIXEL_SIZE, require(file, dataset, where, lookup, PIXEL_SIZE,
                    "the diffraction pixel size", "--pixel-size", "withPixelSizeInverseNm")));
            }
            if (given.centerKyPx().isPresent()) {
                b.centerPx(given.centerKyPx().getAsDouble(), given.centerKxPx().getAsDouble());
            } else {
                double[] c = require(file, dataset, where, lookup, CENTER, "the pattern centre", "--center", "withCenterPx");
                if (c.length != 2) {
                    throw new RecordingException(file, dataset, Checks.format(
                        "attribute %s has %d values; expected 2: [k_y, k_x] in pixels", CENTER, c.length));
                }
                b.centerPx(c[0], c[1]);
            }
            if (given.temperatureKelvin().isPresent()) {
                b.temperatureKelvin(given.temperatureKelvin().getAsDouble());
            } else {
                double[] t = lookup.apply(TEMPERATURE);
                if (t != null) {
                    b.temperatureKelvin(scalar(file, dataset, TEMPERATURE, t));
                }
            }
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new RecordingException(file, dataset, "invalid calibration: " + e.getMessage(), e);
        }
    }

    private static double[] require(Path file, String dataset, String where, Function<String, double[]> lookup,
                                     String attribute, String what, String flag, String wither) throws RecordingException {
        double[] v = lookup.apply(attribute);
        if (v == null) {
            throw new RecordingException(file, dataset, Checks.format(
                "calibration lacks %s: no attribute %s %s; give it with %s (OpenOptions.%s)", what, attribute, where, flag, wither));
        }
        return v;
    }

    private static double scalar(Path file, String dataset, String attribute, double[] v) throws RecordingException {
        if (v.length != 1) {
            throw new RecordingException(file, dataset, Checks.format("attribute %s has %d values; expected one", attribute, v.length));
        }
        return v[0];
    }
}
