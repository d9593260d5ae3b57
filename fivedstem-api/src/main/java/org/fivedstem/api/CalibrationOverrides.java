/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

import org.fivedstem.api.internal.Checks;

/**
 * A partial {@link Calibration}: the values a user gives to replace (or supply) what a recording's
 * file says — frame interval, scan step, pixel size, pattern centre, temperature — each either set or
 * not. Opening a recording merges them over the file's values ({@code OpenOptions.withCalibration});
 * {@link #applyTo(Calibration)} does the same over a complete calibration.
 *
 * <pre>{@code
 * CalibrationOverrides o = CalibrationOverrides.none().withPixelSizeInverseNm(0.23).withCenterPx(32.5, 31.0);
 * Calibration fixed = o.applyTo(dataset.calibration());
 * }</pre>
 *
 * <p>Immutable; each wither validates as {@link Calibration.Builder}'s setter of the same value does
 * (it is that setter which validates) and returns a copy.
 */
public final class CalibrationOverrides {

    private static final CalibrationOverrides NONE = new CalibrationOverrides(Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN);

    private final double frameIntervalSeconds;
    private final double scanStepYNm;
    private final double scanStepXNm;
    private final double pixelSizeInverseNm;
    private final double centerKyPx;
    private final double centerKxPx;
    private final double temperatureKelvin;

    private CalibrationOverrides(double frameIntervalSeconds, double scanStepYNm, double scanStepXNm, double pixelSizeInverseNm,
                                 double centerKyPx, double centerKxPx, double temperatureKelvin) {
        this.frameIntervalSeconds = frameIntervalSeconds;
        this.scanStepYNm = scanStepYNm;
        this.scanStepXNm = scanStepXNm;
        this.pixelSizeInverseNm = pixelSizeInverseNm;
        this.centerKyPx = centerKyPx;
        this.centerKxPx = centerKxPx;
        this.temperatureKelvin = temperatureKelvin;
    }

    /** @return overrides with nothing set */
    public static CalibrationOverrides none() {
        return NONE;
    }

    /**
     * @param seconds time between frames in s (&gt; 0); replaces timestamps from the file
     * @return a copy
     */
    public CalibrationOverrides withFrameIntervalSeconds(double seconds) {
        Calibration.builder().frameIntervalSeconds(seconds);
        return new CalibrationOverrides(seconds, scanStepYNm, scanStepXNm, pixelSizeInverseNm, centerKyPx, centerKxPx,
            temperatureKelvin);
    }

    /**
     * @param nm scan step in nm along y and x (&gt; 0)
     * @return a copy
     */
    public CalibrationOverrides withScanStepNm(double nm) {
        return withScanStepNm(nm, nm);
    }

    /**
     * @param yNm scan step between rows in nm (&gt; 0)
     * @param xNm scan step between columns in nm (&gt; 0)
     * @return a copy
     */
    public CalibrationOverrides withScanStepNm(double yNm, double xNm) {
        Calibration.builder().scanStepNm(yNm, xNm);
        return new CalibrationOverrides(frameIntervalSeconds, yNm, xNm, pixelSizeInverseNm, centerKyPx, centerKxPx, temperatureKelvin);
    }

    /**
     * @param inverseNm diffraction pixel size in nm⁻¹ per pixel (&gt; 0)
     * @return a copy
     */
    public CalibrationOverrides withPixelSizeInverseNm(double inverseNm) {
        Calibration.builder().pixelSizeInverseNm(inverseNm);
        return new CalibrationOverrides(frameIntervalSeconds, scanStepYNm, scanStepXNm, inverseNm, centerKyPx, centerKxPx,
            temperatureKelvin);
    }

    /**
     * @param kyPx pattern centre row in pixels (finite)
     * @param kxPx pattern centre column in pixels (finite)
     * @return a copy
     */
    public CalibrationOverrides withCenterPx(double kyPx, double kxPx) {
        Calibration.builder().centerPx(kyPx, kxPx);
        return new CalibrationOverrides(frameIntervalSeconds, scanStepYNm, scanStepXNm, pixelSizeInverseNm, kyPx, kxPx,
            temperatureKelvin);
    }

    /**
     * @param kelvin sample temperature in K (&gt; 0)
     * @return a copy
     */
    public CalibrationOverrides withTemperatureKelvin(double kelvin) {
        Checks.positive("temperatureKelvin", kelvin);   // NaN means "unknown" to the builder, not "not given"
        return new CalibrationOverrides(frameIntervalSeconds, scanStepYNm, scanStepXNm, pixelSizeInverseNm, centerKyPx, centerKxPx,
            kelvin);
    }

    /** @return the frame interval in s, if given */
    public OptionalDouble frameIntervalSeconds() {
        return optional(frameIntervalSeconds);
    }

    /** @return the scan step between rows in nm, if given (then the column step is too) */
    public OptionalDouble scanStepYNm() {
        return optional(scanStepYNm);
    }

    /** @return the scan step between columns in nm, if given */
    public OptionalDouble scanStepXNm() {
        return optional(scanStepXNm);
    }

    /** @return the pixel size in nm⁻¹, if given */
    public OptionalDouble pixelSizeInverseNm() {
        return optional(pixelSizeInverseNm);
    }

    /** @return the centre row in px, if given (then the column is too) */
    public OptionalDouble centerKyPx() {
        return optional(centerKyPx);
    }

    /** @return the centre column in px, if given */
    public OptionalDouble centerKxPx() {
        return optional(centerKxPx);
    }

    /** @return the temperature in K, if given */
    public OptionalDouble temperatureKelvin() {
        return optional(temperatureKelvin);
    }

    private static OptionalDouble optional(double v) {
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** @return whether nothing is set */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /**
     * @param c a complete calibration
     * @return {@code c} with every value set here replacing its own (a frame interval replaces timestamps)
     */
    public Calibration applyTo(Calibration c) {
        Objects.requireNonNull(c, "calibration");
        Calibration out = Double.isNaN(frameIntervalSeconds) ? c : c.withFrameIntervalSeconds(frameIntervalSeconds);
        Calibration.Builder b = out.toBuilder();
        if (!Double.isNaN(scanStepYNm)) {
            b.scanStepNm(scanStepYNm, scanStepXNm);
        }
        if (!Double.isNaN(pixelSizeInverseNm)) {
            b.pixelSizeInverseNm(pixelSizeInverseNm);
        }
        if (!Double.isNaN(centerKyPx)) {
            b.centerPx(centerKyPx, centerKxPx);
        }
        if (!Double.isNaN(temperatureKelvin)) {
            b.temperatureKelvin(temperatureKelvin);
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CalibrationOverrides c && Double.compare(frameIntervalSeconds, c.frameIntervalSeconds) == 0
            && Double.compare(scanStepYNm, c.scanStepYNm) == 0 && Double.compare(scanStepXNm, c.scanStepXNm) == 0
            && Double.compare(pixelSizeInverseNm, c.pixelSizeInverseNm) == 0 && Double.compare(centerKyPx, c.centerKyPx) == 0
            && Double.compare(centerKxPx, c.centerKxPx) == 0 && Double.compare(temperatureKelvin, c.temperatureKelvin) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(frameIntervalSeconds, scanStepYNm, scanStepXNm, pixelSizeInverseNm, centerKyPx, centerKxPx,
            temperatureKelvin);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        frameIntervalSeconds().ifPresent(v -> parts.add(Checks.format("frame interval %s s", v)));
        if (!Double.isNaN(scanStepYNm)) {
            parts.add(scanStepYNm == scanStepXNm ? Checks.format("scan step %s nm", scanStepYNm)
                : Checks.format("scan step %s×%s nm", scanStepYNm, scanStepXNm));
        }
        pixelSizeInverseNm().ifPresent(v -> parts.add(Checks.format("pixel %s nm⁻¹", v)));
        if (!Double.isNaN(centerKyPx)) {
            parts.add(Checks.format("centre (%s, %s) px", centerKyPx, centerKxPx));
        }
        temperatureKelvin().ifPresent(v -> parts.add(Checks.format("%s K", v)));
        return "CalibrationOverrides[" + (parts.isEmpty() ? "none" : String.join(", ", parts)) + "]";
    }
}
