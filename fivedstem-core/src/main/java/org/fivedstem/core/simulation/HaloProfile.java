/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation;

import java.util.Objects;

import org.fivedstem.api.internal.Checks;

/**
 * The mean diffracted intensity H(|Q|) of the simulated glass, peak value 1: a ring like the first
 * sharp diffraction peak of a metallic glass on a constant background, or flat.
 *
 * <ul>
 * <li>{@link #gaussianRing}: {@code H(q) = b + (1 − b)·exp(−(q − q₀)²/(2σ²))}</li>
 * <li>{@link #lorentzianRing}: {@code H(q) = b + (1 − b)/(1 + ((q − q₀)/w)²)}</li>
 * <li>{@link #flat}: {@code H(q) = 1}</li>
 * </ul>
 *
 * <p>q in nm⁻¹; {@code b} is the background level relative to the peak, in [0, 1]. The beam-stop
 * shadow is not part of the profile ({@link SpeckleSimulation.Builder#beamStopRadiusInverseNm}).
 * Immutable; equality compares the parameters bit-wise.
 */
public final class HaloProfile {

    private enum Kind { FLAT, GAUSSIAN, LORENTZIAN }

    private final Kind kind;
    private final double peakInverseNm;
    private final double widthInverseNm;
    private final double background;

    private HaloProfile(Kind kind, double peakInverseNm, double widthInverseNm, double background) {
        this.kind = kind;
        this.peakInverseNm = peakInverseNm;
        this.widthInverseNm = widthInverseNm;
        this.background = background;
    }

    /** @return the profile {@code H(q) = 1} */
    public static HaloProfile flat() {
        return new HaloProfile(Kind.FLAT, 0, 0, 1);
    }

    /**
     * @param peakInverseNm ring position q₀ in nm⁻¹ (finite, &ge; 0)
     * @param sigmaInverseNm Gaussian standard deviation σ in nm⁻¹ (finite, &gt; 0)
     * @param background level b far from the ring, relative to the peak, in [0, 1]
     * @return the profile
     */
    public static HaloProfile gaussianRing(double peakInverseNm, double sigmaInverseNm, double background) {
        return new HaloProfile(Kind.GAUSSIAN, Checks.nonNegative("peakInverseNm", peakInverseNm),
            Checks.positive("sigmaInverseNm", sigmaInverseNm), checkBackground(background));
    }

    /**
     * @param peakInverseNm ring position q₀ in nm⁻¹ (finite, &ge; 0)
     * @param halfWidthInverseNm half width at half maximum w in nm⁻¹ (finite, &gt; 0)
     * @param background level b far from the ring, relative to the peak, in [0, 1]
     * @return the profile
     */
    public static HaloProfile lorentzianRing(double peakInverseNm, double halfWidthInverseNm, double background) {
        return new HaloProfile(Kind.LORENTZIAN, Checks.nonNegative("peakInverseNm", peakInverseNm),
            Checks.positive("halfWidthInverseNm", halfWidthInverseNm), checkBackground(background));
    }

    private static double checkBackground(double b) {
        if (!(b >= 0 && b <= 1)) {
            throw new IllegalArgumentException(Checks.format("background is outside [0, 1]: %s", b));
        }
        return b;
    }

    /**
     * @param qInverseNm |Q| in nm⁻¹
     * @return H(|Q|), in [b, 1]
     */
    public double valueAt(double qInverseNm) {
        switch (kind) {
            case GAUSSIAN: {
                double z = (qInverseNm - peakInverseNm) / widthInverseNm;
                return background + (1 - background) * Math.exp(-0.5 * z * z);
            }
            case LORENTZIAN: {
                double z = (qInverseNm - peakInverseNm) / widthInverseNm;
                return background + (1 - background) / (1 + z * z);
            }
            default:
                return 1;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HaloProfile)) {
            return false;
        }
        HaloProfile h = (HaloProfile) o;
        return kind == h.kind && Double.compare(peakInverseNm, h.peakInverseNm) == 0
            && Double.compare(widthInverseNm, h.widthInverseNm) == 0 && Double.compare(background, h.background) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, peakInverseNm, widthInverseNm, background);
    }

    @Override
    public String toString() {
        switch (kind) {
            case GAUSSIAN:
                return Checks.format("Gaussian ring at %.4g nm⁻¹ (σ %.3g nm⁻¹) on background %.3g", peakInverseNm, widthInverseNm, background);
            case LORENTZIAN:
                return Checks.format("Lorentzian ring at %.4g nm⁻¹ (HWHM %.3g nm⁻¹) on background %.3g", peakInverseNm, widthInverseNm, background);
            default:
                return "flat";
        }
    }
}
