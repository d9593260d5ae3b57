/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalDouble;

import org.fivedstem.api.internal.Checks;

/**
 * The physical calibration of a 5D-STEM recording: how long between frames, how far between scan
 * positions, how large a diffraction pixel is in reciprocal space, where the pattern centre lies,
 * and at what temperature the sample was.
 *
 * <p>Immutable; built with {@link #builder()} and copied with {@code withXxx} methods. Every value
 * is validated when set: a message names the value, its unit and the rule it broke.
 *
 * <pre>{@code
 * Calibration cal = Calibration.builder()
 *     .frameIntervalSeconds(9.2)
 *     .scanStepNm(0.16)
 *     .pixelSizeInverseNm(0.23)
 *     .centerPx(32.5, 32.5)
 *     .temperatureKelvin(633)
 *     .build();
 * }</pre>
 *
 * <p><b>Time.</b> Frames are either evenly spaced ({@link #frameIntervalSeconds()}) or carry
 * explicit timestamps ({@link #timestampsSeconds()}); with timestamps only, the frame interval is
 * the median spacing of the timestamps, which is what lag axes use.
 *
 * <p><b>Pattern centre.</b> In pixels, sub-pixel, with pixel {@code (i, j)}'s centre at
 * {@code (i, j)}: {@code |Q|} of pixel {@code (i, j)} is
 * {@code hypot(i - centerKyPx, j - centerKxPx) * pixelSizeInverseNm}.
 *
 * <p><b>Elliptical distortion</b> (optional; none by default). Projector-lens distortion makes an
 * amorphous halo slightly elliptical on the detector: a ring of constant |Q| has semi-axes
 * {@code a ≥ b} (ratio {@code r = a/b}) with the major axis at angle θ from the +k_x axis towards
 * +k_y. With a distortion set, |Q| is measured in the metric that turns that ellipse back into a
 * circle of radius {@code √(ab)} (area-preserving, so the pixel size keeps its meaning as the mean
 * scale): with {@code (dy, dx) = (i − centerKyPx, j − centerKxPx)},
 * {@code u = dx cos θ + dy sin θ}, {@code v = −dx sin θ + dy cos θ},
 * {@code |Q| = hypot(u / √r, v · √r) · pixelSizeInverseNm}. With {@code r = 1} (the default) this
 * is exactly the circular formula above.
 */
public final class Calibration {

    private final double frameIntervalSeconds;
    private final double[] timestampsSeconds;
    private final double scanStepYNm;
    private final double scanStepXNm;
    private final double pixelSizeInverseNm;
    private final double centerKyPx;
    private final double centerKxPx;
    private final double temperatureKelvin;
    private final double ellipseAxisRatio;
    private final double ellipseAngleRadians;

    private Calibration(Builder b) {
        this.timestampsSeconds = b.timestampsSeconds;
        this.frameIntervalSeconds = Double.isNaN(b.frameIntervalSeconds)
            ? medianSpacing(b.timestampsSeconds) : b.frameIntervalSeconds;
        this.scanStepYNm = b.scanStepYNm;
        this.scanStepXNm = b.scanStepXNm;
        this.pixelSizeInverseNm = b.pixelSizeInverseNm;
        this.centerKyPx = b.centerKyPx;
        this.centerKxPx = b.centerKxPx;
        this.temperatureKelvin = b.temperatureKelvin;
        this.ellipseAxisRatio = b.ellipseAxisRatio;
        this.ellipseAngleRadians = b.ellipseAngleRadians;
    }

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this calibration's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.frameIntervalSeconds = timestampsSeconds == null ? frameIntervalSeconds : Double.NaN;
        b.timestampsSeconds = timestampsSeconds;
        b.scanStepYNm = scanStepYNm;
        b.scanStepXNm = scanStepXNm;
        b.pixelSizeInverseNm = pixelSizeInverseNm;
        b.centerKyPx = centerKyPx;
        b.centerKxPx = centerKxPx;
        b.temperatureKelvin = temperatureKelvin;
        b.ellipseAxisRatio = ellipseAxisRatio;
        b.ellipseAngleRadians = ellipseAngleRadians;
        return b;
    }

    private static double medianSpacing(double[] t) {
        if (t.length < 2) {
            throw new IllegalArgumentException(
                "timestampsSeconds holds a single frame; give frameIntervalSeconds as well so lags have a unit");
        }
        double[] d = new double[t.length - 1];
        for (int i = 0; i < d.length; i++) {
            d[i] = t[i + 1] - t[i];
        }
        Arrays.sort(d);
        int m = d.length / 2;
        return d.length % 2 == 1 ? d[m] : 0.5 * (d[m - 1] + d[m]);
    }

    /** @return time between frames in seconds (the median spacing when only timestamps were given) */
    public double frameIntervalSeconds() {
        return frameIntervalSeconds;
    }

    /** @return whether explicit per-frame timestamps are known */
    public boolean hasTimestamps() {
        return timestampsSeconds != null;
    }

    /** @return per-frame timestamps in seconds (a copy), or an empty array when frames are evenly spaced */
    public double[] timestampsSeconds() {
        return timestampsSeconds == null ? new double[0] : timestampsSeconds.clone();
    }

    /**
     * @param frame a frame index
     * @return the frame's time in seconds after frame 0
     */
    public double frameTimeSeconds(int frame) {
        if (frame < 0) {
            throw new IndexOutOfBoundsException(Checks.format("frame is negative: %d", frame));
        }
        if (timestampsSeconds != null) {
            return timestampsSeconds[Checks.index("frame", frame, timestampsSeconds.length)] - timestampsSeconds[0];
        }
        return frame * frameIntervalSeconds;
    }

    /** @return scan step along y (between rows) in nm */
    public double scanStepYNm() {
        return scanStepYNm;
    }

    /** @return scan step along x (between columns) in nm */
    public double scanStepXNm() {
        return scanStepXNm;
    }

    /** @return diffraction pixel size in nm⁻¹ per pixel */
    public double pixelSizeInverseNm() {
        return pixelSizeInverseNm;
    }

    /** @return pattern centre row in pixels (sub-pixel) */
    public double centerKyPx() {
        return centerKyPx;
    }

    /** @return pattern centre column in pixels (sub-pixel) */
    public double centerKxPx() {
        return centerKxPx;
    }

    /** @return sample temperature in kelvin, if known */
    public OptionalDouble temperatureKelvin() {
        return Double.isNaN(temperatureKelvin) ? OptionalDouble.empty() : OptionalDouble.of(temperatureKelvin);
    }

    /**
     * {@code |Q|} of a diffraction pixel.
     *
     * @param ky pixel row
     * @param kx pixel column
     * @return distance of the pixel centre from the pattern centre, in nm⁻¹
     */
    public double qInverseNm(int ky, int kx) {
        if (ellipseAxisRatio == 1) {
            return Math.hypot(ky - centerKyPx, kx - centerKxPx) * pixelSizeInverseNm;
        }
        double dy = ky - centerKyPx;
        double dx = kx - centerKxPx;
        double c = Math.cos(ellipseAngleRadians);
        double s = Math.sin(ellipseAngleRadians);
        double root = Math.sqrt(ellipseAxisRatio);
        return Math.hypot((dx * c + dy * s) / root, (-dx * s + dy * c) * root) * pixelSizeInverseNm;
    }

    /**
     * @return the elliptical distortion's axis ratio {@code a/b ≥ 1} of a ring of constant |Q| on
     *     the detector; 1 = no distortion (the default)
     */
    public double ellipseAxisRatio() {
        return ellipseAxisRatio;
    }

    /**
     * @return direction of the distortion ellipse's major axis in radians, in [0, π), measured
     *     from the +k_x axis towards +k_y; 0 when there is no distortion
     */
    public double ellipseAngleRadians() {
        return ellipseAngleRadians;
    }

    /** @return whether an elliptical distortion is set (axis ratio other than 1) */
    public boolean hasEllipticalDistortion() {
        return ellipseAxisRatio != 1;
    }

    /**
     * The calibration of patterns binned {@code bin × bin} (summed): the pixel size is
     * {@code bin} times larger and the centre moves to {@code (c - (bin - 1) / 2) / bin}, because
     * binned pixel {@code i} covers source pixels {@code bin·i … bin·i + bin − 1}, whose centre is
     * at {@code bin·i + (bin − 1)/2}.
     *
     * @param bin the binning factor (&ge; 1)
     * @return the binned calibration
     */
    public Calibration binned(int bin) {
        Checks.positive("bin", bin);
        if (bin == 1) {
            return this;
        }
        double shift = (bin - 1) / 2.0;
        return toBuilder()
            .pixelSizeInverseNm(pixelSizeInverseNm * bin)
            .centerPx((centerKyPx - shift) / bin, (centerKxPx - shift) / bin)
            .build();
    }

    /**
     * The calibration of frames {@code [start, end)}: timestamps, when present, are sliced.
     *
     * @param start first frame, inclusive
     * @param end last frame, exclusive
     * @return the calibration of the time range
     */
    public Calibration timeRange(int start, int end) {
        if (timestampsSeconds == null) {
            return this;
        }
        Checks.range("frames", start, end, timestampsSeconds.length);
        Builder b = toBuilder();
        b.timestampsSeconds = Arrays.copyOfRange(timestampsSeconds, start, end);
        b.frameIntervalSeconds = frameIntervalSeconds;
        return b.build();
    }

    /**
     * @param seconds the new frame interval in seconds
     * @return a copy with evenly spaced frames at this interval (timestamps dropped)
     */
    public Calibration withFrameIntervalSeconds(double seconds) {
        Builder b = toBuilder();
        b.timestampsSeconds = null;
        return b.frameIntervalSeconds(seconds).build();
    }

    /**
     * @param ky centre row in pixels
     * @param kx centre column in pixels
     * @return a copy with this pattern centre
     */
    public Calibration withCenterPx(double ky, double kx) {
        return toBuilder().centerPx(ky, kx).build();
    }

    /**
     * @param axisRatio ratio {@code a/b} of the semi-axes of a ring of constant |Q| (finite, ≥ 1;
     *     1 = none)
     * @param angleRadians direction of the major axis from +k_x towards +k_y (finite; reduced
     *     modulo π)
     * @return a copy with this elliptical distortion (see the class notes)
     */
    public Calibration withEllipticalDistortion(double axisRatio, double angleRadians) {
        return toBuilder().ellipticalDistortion(axisRatio, angleRadians).build();
    }

    /**
     * @param inverseNm pixel size in nm⁻¹ per pixel
     * @return a copy with this pixel size
     */
    public Calibration withPixelSizeInverseNm(double inverseNm) {
        return toBuilder().pixelSizeInverseNm(inverseNm).build();
    }

    /**
     * @param nm scan step in nm, the same along y and x
     * @return a copy with this scan step
     */
    public Calibration withScanStepNm(double nm) {
        return toBuilder().scanStepNm(nm).build();
    }

    /**
     * @param kelvin sample temperature in K
     * @return a copy with this temperature
     */
    public Calibration withTemperatureKelvin(double kelvin) {
        return toBuilder().temperatureKelvin(kelvin).build();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Calibration)) {
            return false;
        }
        Calibration c = (Calibration) o;
        return Double.compare(frameIntervalSeconds, c.frameIntervalSeconds) == 0
            && Arrays.equals(timestampsSeconds, c.timestampsSeconds)
            && Double.compare(scanStepYNm, c.scanStepYNm) == 0
            && Double.compare(scanStepXNm, c.scanStepXNm) == 0
            && Double.compare(pixelSizeInverseNm, c.pixelSizeInverseNm) == 0
            && Double.compare(centerKyPx, c.centerKyPx) == 0
            && Double.compare(centerKxPx, c.centerKxPx) == 0
            && Double.compare(temperatureKelvin, c.temperatureKelvin) == 0
            && Double.compare(ellipseAxisRatio, c.ellipseAxisRatio) == 0
            && Double.compare(ellipseAngleRadians, c.ellipseAngleRadians) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(frameIntervalSeconds, Arrays.hashCode(timestampsSeconds), scanStepYNm, scanStepXNm,
            pixelSizeInverseNm, centerKyPx, centerKxPx, temperatureKelvin, ellipseAxisRatio, ellipseAngleRadians);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Calibration[frame interval ");
        sb.append(Checks.format("%.4g s", frameIntervalSeconds));
        if (timestampsSeconds != null) {
            sb.append(Checks.format(" (median of %d timestamps)", timestampsSeconds.length));
        }
        if (scanStepYNm == scanStepXNm) {
            sb.append(Checks.format(", scan step %.4g nm", scanStepYNm));
        } else {
            sb.append(Checks.format(", scan step %.4g×%.4g nm (y×x)", scanStepYNm, scanStepXNm));
        }
        sb.append(Checks.format(", pixel %.4g nm⁻¹, centre (%.2f, %.2f) px", pixelSizeInverseNm, centerKyPx, centerKxPx));
        if (ellipseAxisRatio != 1) {
            sb.append(Checks.format(", ellipse %.4f at %.1f°", ellipseAxisRatio, Math.toDegrees(ellipseAngleRadians)));
        }
        if (!Double.isNaN(temperatureKelvin)) {
            sb.append(Checks.format(", %.1f K", temperatureKelvin));
        }
        return sb.append(']').toString();
    }

    /**
     * Assembles a {@link Calibration}. Each setter validates at once; {@link #build()} checks that
     * every required value was given: timing (interval or timestamps), scan step, pixel size and
     * centre. The temperature is optional.
     */
    public static final class Builder {
        private double frameIntervalSeconds = Double.NaN;
        private double[] timestampsSeconds;
        private double scanStepYNm = Double.NaN;
        private double scanStepXNm = Double.NaN;
        private double pixelSizeInverseNm = Double.NaN;
        private double centerKyPx = Double.NaN;
        private double centerKxPx = Double.NaN;
        private double temperatureKelvin = Double.NaN;
        private double ellipseAxisRatio = 1;
        private double ellipseAngleRadians;

        private Builder() {
        }

        /**
         * @param axisRatio ratio {@code a/b} of the semi-axes of a ring of constant |Q| on the
         *     detector (finite, ≥ 1; 1 = no distortion, the default)
         * @param angleRadians direction of the major axis from +k_x towards +k_y (finite; reduced
         *     modulo π, ignored when the ratio is 1)
         * @return this builder
         */
        public Builder ellipticalDistortion(double axisRatio, double angleRadians) {
            if (!(axisRatio >= 1) || Double.isInfinite(axisRatio)) {
                throw new IllegalArgumentException(Checks.format(
                    "ellipseAxisRatio is not a finite ratio ≥ 1 (major/minor semi-axis): %s", axisRatio));
            }
            Checks.finite("ellipseAngleRadians", angleRadians);
            this.ellipseAxisRatio = axisRatio;
            double a = axisRatio == 1 ? 0 : angleRadians % Math.PI;
            this.ellipseAngleRadians = a < 0 ? a + Math.PI : a;
            return this;
        }

        /**
         * @param seconds time between frames in s (finite, &gt; 0)
         * @return this builder
         */
        public Builder frameIntervalSeconds(double seconds) {
            this.frameIntervalSeconds = Checks.positive("frameIntervalSeconds", seconds);
            return this;
        }

        /**
         * @param seconds per-frame timestamps in s, finite and strictly increasing (copied)
         * @return this builder
         */
        public Builder timestampsSeconds(double[] seconds) {
            Objects.requireNonNull(seconds, "timestampsSeconds");
            if (seconds.length == 0) {
                throw new IllegalArgumentException("timestampsSeconds is empty; expected one timestamp per frame");
            }
            for (int i = 0; i < seconds.length; i++) {
                Checks.finite("timestampsSeconds[" + i + "]", seconds[i]);
                if (i > 0 && !(seconds[i] > seconds[i - 1])) {
                    throw new IllegalArgumentException(Checks.format(
                        "timestampsSeconds is not strictly increasing: [%d] = %s follows [%d] = %s",
                        i, seconds[i], i - 1, seconds[i - 1]));
                }
            }
            this.timestampsSeconds = seconds.clone();
            return this;
        }

        /**
         * @param nm scan step in nm along both y and x (finite, &gt; 0)
         * @return this builder
         */
        public Builder scanStepNm(double nm) {
            return scanStepNm(nm, nm);
        }

        /**
         * @param yNm scan step between rows in nm (finite, &gt; 0)
         * @param xNm scan step between columns in nm (finite, &gt; 0)
         * @return this builder
         */
        public Builder scanStepNm(double yNm, double xNm) {
            this.scanStepYNm = Checks.positive("scanStepYNm", yNm);
            this.scanStepXNm = Checks.positive("scanStepXNm", xNm);
            return this;
        }

        /**
         * @param inverseNm diffraction pixel size in nm⁻¹ per pixel (finite, &gt; 0)
         * @return this builder
         */
        public Builder pixelSizeInverseNm(double inverseNm) {
            this.pixelSizeInverseNm = Checks.positive("pixelSizeInverseNm", inverseNm);
            return this;
        }

        /**
         * @param kyPx centre row in pixels (finite; may lie outside the pattern)
         * @param kxPx centre column in pixels (finite; may lie outside the pattern)
         * @return this builder
         */
        public Builder centerPx(double kyPx, double kxPx) {
            this.centerKyPx = Checks.finite("centerKyPx", kyPx);
            this.centerKxPx = Checks.finite("centerKxPx", kxPx);
            return this;
        }

        /**
         * @param kelvin sample temperature in K (finite, &gt; 0), or NaN for unknown
         * @return this builder
         */
        public Builder temperatureKelvin(double kelvin) {
            this.temperatureKelvin = Double.isNaN(kelvin) ? kelvin : Checks.positive("temperatureKelvin", kelvin);
            return this;
        }

        /**
         * @return the calibration
         * @throws IllegalStateException naming the first required value that was not set
         */
        public Calibration build() {
            if (Double.isNaN(frameIntervalSeconds) && timestampsSeconds == null) {
                throw new IllegalStateException("calibration lacks the frame timing: set frameIntervalSeconds or timestampsSeconds");
            }
            if (Double.isNaN(scanStepYNm)) {
                throw new IllegalStateException("calibration lacks the scan step: set scanStepNm (nm)");
            }
            if (Double.isNaN(pixelSizeInverseNm)) {
                throw new IllegalStateException("calibration lacks the diffraction pixel size: set pixelSizeInverseNm (nm⁻¹ per pixel)");
            }
            if (Double.isNaN(centerKyPx)) {
                throw new IllegalStateException("calibration lacks the pattern centre: set centerPx (k_y, k_x in pixels)");
            }
            return new Calibration(this);
        }
    }
}
