/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import java.util.List;
import java.util.Objects;

import org.fivedstem.api.Calibration;
import org.fivedstem.api.Estimate;
import org.fivedstem.api.internal.Checks;

/**
 * A pattern centre found from the amorphous halo, with its uncertainty, and the halo's shape.
 *
 * <p>Coordinates in pixels of the patterns it was found on, pixel {@code (i, j)}'s centre at
 * {@code (i, j)} (as {@link Calibration}). The standard errors come from a delete-one jackknife
 * over angular sectors of the ridge points, so they include the scatter of the ridge (noise,
 * speckle) and its correlation along the ring; they do not include a systematic distortion of the
 * halo that the model (circle or ellipse) does not describe.
 *
 * @param centerKyPx centre row in px
 * @param centerKxPx centre column in px
 * @param stdErrKyPx standard error of the row in px
 * @param stdErrKxPx standard error of the column in px
 * @param radiusPx the ridge radius in px ({@code √(ab)} for an ellipse)
 * @param axisRatio {@code a/b ≥ 1} of the ridge ellipse; exactly 1 for a circle fit
 * @param axisRatioStdErr its standard error (0 for a circle fit)
 * @param angleRadians major-axis direction from +k_x towards +k_y, in [0, π) (0 for a circle fit)
 * @param angleStdErrRadians its standard error (0 for a circle fit; large when the ring is
 *     nearly circular, where the direction is undefined)
 * @param ellipse whether an ellipse was fitted
 * @param raysUsed rays on which a ridge point was found
 * @param rays rays cast
 * @param rmsResidualPx root-mean-square distance of the ridge points from the fitted ring
 * @param iterations re-centring iterations done
 * @param radiusInverseNm the ridge radius in nm⁻¹ when the pixel size was given, else NaN
 * @param ring the ring the search started the fit from (its centre and radius before the fit,
 *     its support), or null when a start point was given instead of searching
 * @param otherRings the other rings the search found, best supported first (a flare about the
 *     stop's tip, say); empty when there were none or no search was made
 */
public record CenterEstimate(double centerKyPx, double centerKxPx, double stdErrKyPx, double stdErrKxPx,
                             double radiusPx, double axisRatio, double axisRatioStdErr, double angleRadians,
                             double angleStdErrRadians, boolean ellipse, int raysUsed, int rays, double rmsResidualPx, int iterations,
                             double radiusInverseNm, RingCandidate ring, List<RingCandidate> otherRings) {

    /**
     * Copies the list of other rings.
     *
     * @param centerKyPx centre row in px
     * @param centerKxPx centre column in px
     * @param stdErrKyPx standard error of the row in px
     * @param stdErrKxPx standard error of the column in px
     * @param radiusPx the ridge radius in px ({@code √(ab)} for an ellipse)
     * @param axisRatio {@code a/b ≥ 1} of the ridge ellipse; exactly 1 for a circle fit
     * @param axisRatioStdErr its standard error (0 for a circle fit)
     * @param angleRadians major-axis direction from +k_x towards +k_y, in [0, π) (0 for a circle fit)
     * @param angleStdErrRadians its standard error (0 for a circle fit; large when the ring is nearly circular, where the direction is undefined)
     * @param ellipse whether an ellipse was fitted
     * @param raysUsed rays on which a ridge point was found
     * @param rays rays cast
     * @param rmsResidualPx root-mean-square distance of the ridge points from the fitted ring
     * @param iterations re-centring iterations done
     * @param radiusInverseNm the ridge radius in nm⁻¹ when the pixel size was given, else NaN
     * @param ring the ring the search started the fit from (its centre and radius before the fit, its support), or null when a start point was given instead of searching
     * @param otherRings the other rings the search found, best supported first (a flare about the stop's tip, say); empty when there were none or no search was made
     */
    public CenterEstimate {
        otherRings = List.copyOf(Objects.requireNonNull(otherRings, "otherRings"));
    }

    /**
     * The estimate without the search's report (as before the ring search existed): radius in nm⁻¹
     * unknown, no ring, no other rings.
     *
     * @param centerKyPx centre row in px
     * @param centerKxPx centre column in px
     * @param stdErrKyPx standard error of the row in px
     * @param stdErrKxPx standard error of the column in px
     * @param radiusPx ridge radius in px
     * @param axisRatio a/b
     * @param axisRatioStdErr its standard error
     * @param angleRadians major-axis direction
     * @param angleStdErrRadians its standard error
     * @param ellipse whether an ellipse was fitted
     * @param raysUsed rays with a ridge point
     * @param rays rays cast
     * @param rmsResidualPx rms distance of the ridge points from the ring in px
     * @param iterations re-centring iterations
     */
    public CenterEstimate(double centerKyPx, double centerKxPx, double stdErrKyPx, double stdErrKxPx, double radiusPx, double axisRatio,
                          double axisRatioStdErr, double angleRadians, double angleStdErrRadians, boolean ellipse, int raysUsed, int rays,
                          double rmsResidualPx, int iterations) {
        this(centerKyPx, centerKxPx, stdErrKyPx, stdErrKxPx, radiusPx, axisRatio, axisRatioStdErr, angleRadians, angleStdErrRadians,
            ellipse, raysUsed, rays, rmsResidualPx, iterations, Double.NaN, null, List.of());
    }

    /**
     * @param calibration a calibration of the same patterns
     * @return it with this centre, and with this ellipse as its elliptical distortion if an
     *     ellipse was fitted
     */
    public Calibration applyTo(Calibration calibration) {
        Calibration c = calibration.withCenterPx(centerKyPx, centerKxPx);
        return ellipse ? c.withEllipticalDistortion(Math.max(1, axisRatio), angleRadians) : c;
    }

    /** @return the centre row in px ± its standard error */
    public Estimate centerKy() {
        return new Estimate(centerKyPx, stdErrKyPx);
    }

    /** @return the centre column in px ± its standard error */
    public Estimate centerKx() {
        return new Estimate(centerKxPx, stdErrKxPx);
    }

    /** @return the ridge ellipse's axis ratio a/b ± its standard error (1 ± 0 for a circle fit) */
    public Estimate axisRatioEstimate() {
        return new Estimate(axisRatio, axisRatioStdErr);
    }

    /** @return the major-axis direction in rad ± its standard error (0 ± 0 for a circle fit) */
    public Estimate angleEstimate() {
        return new Estimate(angleRadians, angleStdErrRadians);
    }

    /** @return the larger of the two standard errors, in px */
    public double stdErrPx() {
        return Math.max(stdErrKyPx, stdErrKxPx);
    }

    @Override
    public String toString() {
        String s = Checks.format("CenterEstimate[(%.3f ± %.3f, %.3f ± %.3f) px, ridge radius %.2f px", centerKyPx, stdErrKyPx,
            centerKxPx, stdErrKxPx, radiusPx);
        if (ellipse) {
            s += Checks.format(", ellipse %.4f ± %.4f at %.1f ± %.1f°", axisRatio, axisRatioStdErr, Math.toDegrees(angleRadians),
                Math.toDegrees(angleStdErrRadians));
        }
        if (!Double.isNaN(radiusInverseNm)) {
            s += Checks.format(" = %.3f nm⁻¹", radiusInverseNm);
        }
        s += Checks.format(", %d/%d rays, rms %.3f px", raysUsed, rays, rmsResidualPx);
        if (!otherRings.isEmpty()) {
            s += Checks.format(", %d other ring%s", otherRings.size(), otherRings.size() == 1 ? "" : "s");
        }
        return s + "]";
    }
}
