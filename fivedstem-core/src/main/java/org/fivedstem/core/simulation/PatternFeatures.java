/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation;

import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.internal.Checks;

/**
 * What a real detector adds to the amorphous halo: a needle (or arm) beam stop entering from an
 * edge, a flare around its tip, and the edge of the condenser aperture. Used by
 * {@link SpeckleSimulation.Builder#features} and {@link MeanPatternSimulation} so that tests can
 * hold the preparation (centre, mask) to the traps of real patterns. Immutable; built with
 * {@link #builder()}; {@link #NONE} has none of them.
 *
 * <pre>{@code
 * PatternFeatures f = PatternFeatures.builder()
 *     .needleStop(PatternFeatures.Edge.BOTTOM, 24, 12, 0)   // 24 px wide, tip 12 px short of the centre
 *     .flare(22, 3, 2.5, 8, 1.5)                            // ring of radius 22 px, 2.5 × the halo peak
 *     .aperture(256, 250, 250, 2, 0)                        // dark beyond 250 px from (256, 250)
 *     .build();
 * }</pre>
 *
 * <p><b>Geometry</b> (pixels, pixel {@code (i, j)}'s centre at {@code (i, j)}; the pattern centre
 * {@code (c_y, c_x)} is the simulation's). The needle is a bar of width {@code w} whose axis is
 * parallel to its entry direction at a lateral offset {@code e} from the centre (towards +k_x for
 * stops from the top or bottom, towards +k_y for stops from the left or right). It ends in a round
 * tip: a half disc of radius {@code w/2} about the <em>tip point</em> {@code t}, which lies on the
 * axis at distance {@code s} from the centre on the entry side ({@code s > 0}: the tip stops short
 * of the centre; {@code s < 0}: it passes it). Shadowed pixels have intensity exactly 0.
 *
 * <p><b>Flare</b> (electrons scattered by the stop's edge), added to the mean intensity, relative to
 * the halo peak (H = 1), at distance {@code d} from the tip point:
 * <pre>
 *   F(d) = A_ring·exp(−(d − r_f)²/(2 σ_f²)) + A_glow·exp(−d²/(2 σ_g²))
 * </pre>
 * A flare ring is a ring about the tip, not about the pattern centre: that is its trap.
 *
 * <p><b>Aperture</b>: with {@code ρ} the distance from the aperture centre and {@code R_ap} its
 * radius, the intensity (halo and flare) is multiplied by
 * <pre>
 *   T(ρ) = τ + (1 − τ)/(1 + exp((ρ − R_ap)/δ))
 * </pre>
 * ({@code τ} the transmission outside, 0 = dark; {@code δ} the edge width in px; δ = 0 is a sharp
 * edge). A step, not a ridge.
 */
public final class PatternFeatures {

    /** The detector edge a needle beam stop enters from. */
    public enum Edge {
        /** Enters from row 0 (small k_y). */
        TOP(-1, 0),
        /** Enters from the last row. */
        BOTTOM(1, 0),
        /** Enters from column 0. */
        LEFT(0, -1),
        /** Enters from the last column. */
        RIGHT(0, 1);

        /** Unit vector from the centre towards the edge, rows then columns. */
        final int dy;
        final int dx;

        Edge(int dy, int dx) {
            this.dy = dy;
            this.dx = dx;
        }
    }

    /** No stop, no flare, no aperture. */
    public static final PatternFeatures NONE = builder().build();

    private final Edge needleEdge;
    private final double needleWidthPx;
    private final double tipShortOfCentrePx;
    private final double lateralOffsetPx;
    private final double flareRadiusPx;
    private final double flareWidthPx;
    private final double flarePeak;
    private final double glowSigmaPx;
    private final double glowPeak;
    private final double apertureKyPx;
    private final double apertureKxPx;
    private final double apertureRadiusPx;
    private final double apertureEdgePx;
    private final double apertureTransmission;

    private PatternFeatures(Builder b) {
        needleEdge = b.needleEdge;
        needleWidthPx = b.needleWidthPx;
        tipShortOfCentrePx = b.tipShortOfCentrePx;
        lateralOffsetPx = b.lateralOffsetPx;
        flareRadiusPx = b.flareRadiusPx;
        flareWidthPx = b.flareWidthPx;
        flarePeak = b.flarePeak;
        glowSigmaPx = b.glowSigmaPx;
        glowPeak = b.glowPeak;
        apertureKyPx = b.apertureKyPx;
        apertureKxPx = b.apertureKxPx;
        apertureRadiusPx = b.apertureRadiusPx;
        apertureEdgePx = b.apertureEdgePx;
        apertureTransmission = b.apertureTransmission;
    }

    /** @return a builder with no features */
    public static Builder builder() {
        return new Builder();
    }

    /** @return whether there is a needle beam stop */
    public boolean hasNeedleStop() {
        return needleEdge != null;
    }

    /** @return whether there is a flare (ring or glow) */
    public boolean hasFlare() {
        return flarePeak > 0 || glowPeak > 0;
    }

    /** @return whether there is an aperture edge */
    public boolean hasAperture() {
        return !Double.isNaN(apertureRadiusPx);
    }

    /** @return the needle's entry edge, or null if there is no needle */
    public Edge needleEdge() {
        return needleEdge;
    }

    /** @return the needle's width in px (0 without a needle) */
    public double needleWidthPx() {
        return needleWidthPx;
    }

    /** @return the aperture radius R_ap in px (NaN without an aperture) */
    public double apertureRadiusPx() {
        return apertureRadiusPx;
    }

    /** @return {row, column} of the aperture centre in px (NaN without an aperture) */
    public double[] apertureCentrePx() {
        return new double[] {apertureKyPx, apertureKxPx};
    }

    /**
     * @param cy pattern centre row in px
     * @param cx pattern centre column in px
     * @return {row, column} of the tip point (the centre of the round tip), in px; NaN without a needle
     */
    public double[] tipPointPx(double cy, double cx) {
        if (needleEdge == null) {
            return new double[] {Double.NaN, Double.NaN};
        }
        // Lateral direction: +k_x for vertical needles, +k_y for horizontal ones.
        double ly = needleEdge.dx != 0 ? 1 : 0;
        double lx = needleEdge.dy != 0 ? 1 : 0;
        return new double[] {cy + needleEdge.dy * tipShortOfCentrePx + ly * lateralOffsetPx,
            cx + needleEdge.dx * tipShortOfCentrePx + lx * lateralOffsetPx};
    }

    /**
     * @param i row in px
     * @param j column in px
     * @param cy pattern centre row in px
     * @param cx pattern centre column in px
     * @return whether the needle shadows this point
     */
    public boolean inNeedleShadow(double i, double j, double cy, double cx) {
        if (needleEdge == null) {
            return false;
        }
        double[] t = tipPointPx(cy, cx);
        double dy = i - t[0];
        double dx = j - t[1];
        double along = dy * needleEdge.dy + dx * needleEdge.dx;       // towards the entry edge
        double across = needleEdge.dy != 0 ? dx : dy;
        double half = needleWidthPx / 2;
        return along >= 0 ? Math.abs(across) <= half : dy * dy + dx * dx <= half * half;
    }

    /**
     * @param i row in px
     * @param j column in px
     * @param cy pattern centre row in px
     * @param cx pattern centre column in px
     * @return the flare intensity F relative to the halo peak (0 without a flare)
     */
    public double flareAt(double i, double j, double cy, double cx) {
        if (!hasFlare() || needleEdge == null) {
            return 0;
        }
        double[] t = tipPointPx(cy, cx);
        double d = Math.hypot(i - t[0], j - t[1]);
        double f = 0;
        if (flarePeak > 0) {
            double z = (d - flareRadiusPx) / flareWidthPx;
            f += flarePeak * Math.exp(-0.5 * z * z);
        }
        if (glowPeak > 0) {
            double z = d / glowSigmaPx;
            f += glowPeak * Math.exp(-0.5 * z * z);
        }
        return f;
    }

    /**
     * @param i row in px
     * @param j column in px
     * @return the aperture's transmission T in [τ, 1] (1 without an aperture)
     */
    public double apertureTransmission(double i, double j) {
        if (!hasAperture()) {
            return 1;
        }
        double rho = Math.hypot(i - apertureKyPx, j - apertureKxPx);
        if (apertureEdgePx == 0) {
            return rho <= apertureRadiusPx ? 1 : apertureTransmission;
        }
        return apertureTransmission + (1 - apertureTransmission) / (1 + Math.exp((rho - apertureRadiusPx) / apertureEdgePx));
    }

    /**
     * The mean intensity of a pixel: {@code T·(H + F)}, 0 in the needle's shadow.
     *
     * @param halo H at the pixel (relative to the halo peak)
     * @param i row
     * @param j column
     * @param cy pattern centre row
     * @param cx pattern centre column
     * @return the intensity relative to the halo peak
     */
    public double intensity(double halo, int i, int j, double cy, double cx) {
        if (inNeedleShadow(i, j, cy, cx)) {
            return 0;
        }
        return apertureTransmission(i, j) * (halo + flareAt(i, j, cy, cx));
    }

    /**
     * @param ky pattern rows
     * @param kx pattern columns
     * @param cy pattern centre row in px
     * @param cx pattern centre column in px
     * @return the needle's shadow (shadowed pixels invalid)
     */
    public DetectorMask needleShadow(int ky, int kx, double cy, double cx) {
        boolean[] v = new boolean[ky * kx];
        for (int i = 0; i < ky; i++) {
            for (int j = 0; j < kx; j++) {
                v[i * kx + j] = !inNeedleShadow(i, j, cy, cx);
            }
        }
        return DetectorMask.of(ky, kx, v);
    }

    /**
     * The truth of a flare mask: pixels outside the shadow where the flare adds more than
     * {@code fraction} of the halo there.
     *
     * @param halo H at each pixel (ky·kx, row-major). Not modified.
     * @param ky pattern rows
     * @param kx pattern columns
     * @param cy pattern centre row in px
     * @param cx pattern centre column in px
     * @param fraction the threshold F/H (finite, &gt; 0)
     * @return the mask (flare pixels invalid)
     */
    public DetectorMask flareRegion(double[] halo, int ky, int kx, double cy, double cx, double fraction) {
        Checks.positive("fraction", fraction);
        Checks.length("halo", ky * kx, halo.length);
        boolean[] v = new boolean[ky * kx];
        for (int i = 0; i < ky; i++) {
            for (int j = 0; j < kx; j++) {
                int p = i * kx + j;
                v[p] = inNeedleShadow(i, j, cy, cx) || !(flareAt(i, j, cy, cx) > fraction * halo[p]);
            }
        }
        return DetectorMask.of(ky, kx, v);
    }

    /**
     * @param ky pattern rows
     * @param kx pattern columns
     * @return the pixels beyond the aperture radius (invalid), all valid without an aperture
     */
    public DetectorMask outsideAperture(int ky, int kx) {
        boolean[] v = new boolean[ky * kx];
        for (int i = 0; i < ky; i++) {
            for (int j = 0; j < kx; j++) {
                v[i * kx + j] = !hasAperture() || Math.hypot(i - apertureKyPx, j - apertureKxPx) <= apertureRadiusPx;
            }
        }
        return DetectorMask.of(ky, kx, v);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PatternFeatures[");
        if (needleEdge != null) {
            sb.append(Checks.format("needle stop from %s, %.3g px wide, tip %.3g px short of the centre, offset %.3g px",
                needleEdge.name().toLowerCase(java.util.Locale.ROOT), needleWidthPx, tipShortOfCentrePx, lateralOffsetPx));
        }
        if (hasFlare()) {
            sb.append(Checks.format("; flare ring r %.3g px (σ %.3g) × %.3g, glow σ %.3g px × %.3g", flareRadiusPx, flareWidthPx, flarePeak,
                glowSigmaPx, glowPeak));
        }
        if (hasAperture()) {
            sb.append(Checks.format("; aperture R %.4g px at (%.1f, %.1f), edge %.3g px, outside %.3g", apertureRadiusPx, apertureKyPx,
                apertureKxPx, apertureEdgePx, apertureTransmission));
        }
        if (!hasNeedleStop() && !hasFlare() && !hasAperture()) {
            sb.append("none");
        }
        return sb.append(']').toString();
    }

    /** Assembles {@link PatternFeatures}; every setter validates at once. */
    public static final class Builder {
        private Edge needleEdge;
        private double needleWidthPx;
        private double tipShortOfCentrePx;
        private double lateralOffsetPx;
        private double flareRadiusPx;
        private double flareWidthPx = 1;
        private double flarePeak;
        private double glowSigmaPx = 1;
        private double glowPeak;
        private double apertureKyPx = Double.NaN;
        private double apertureKxPx = Double.NaN;
        private double apertureRadiusPx = Double.NaN;
        private double apertureEdgePx;
        private double apertureTransmission;

        private Builder() {
        }

        /**
         * @param from the edge it enters from
         * @param widthPx its width w in px (finite, &gt; 0)
         * @param tipShortOfCentrePx distance s of the tip point from the pattern centre along the
         *     axis, towards the entry edge, in px (finite; negative: past the centre)
         * @param lateralOffsetPx offset e of the axis from the centre, in px (finite)
         * @return this builder
         */
        public Builder needleStop(Edge from, double widthPx, double tipShortOfCentrePx, double lateralOffsetPx) {
            this.needleEdge = java.util.Objects.requireNonNull(from, "from");
            this.needleWidthPx = Checks.positive("needle widthPx", widthPx);
            this.tipShortOfCentrePx = Checks.finite("tipShortOfCentrePx", tipShortOfCentrePx);
            this.lateralOffsetPx = Checks.finite("lateralOffsetPx", lateralOffsetPx);
            return this;
        }

        /**
         * A flare about the needle's tip point (needs a needle).
         *
         * @param ringRadiusPx radius r_f of the bright ring in px (finite, &ge; 0)
         * @param ringWidthPx its Gaussian σ_f in px (finite, &gt; 0)
         * @param ringPeak its peak A_ring relative to the halo peak (finite, &ge; 0; above 1 it is
         *     brighter than the halo)
         * @param glowSigmaPx the glow's Gaussian σ_g in px (finite, &gt; 0)
         * @param glowPeak the glow's peak A_glow relative to the halo peak (finite, &ge; 0)
         * @return this builder
         */
        public Builder flare(double ringRadiusPx, double ringWidthPx, double ringPeak, double glowSigmaPx, double glowPeak) {
            this.flareRadiusPx = Checks.nonNegative("ringRadiusPx", ringRadiusPx);
            this.flareWidthPx = Checks.positive("ringWidthPx", ringWidthPx);
            this.flarePeak = Checks.nonNegative("ringPeak", ringPeak);
            this.glowSigmaPx = Checks.positive("glowSigmaPx", glowSigmaPx);
            this.glowPeak = Checks.nonNegative("glowPeak", glowPeak);
            return this;
        }

        /**
         * @param centerKyPx aperture centre row in px (finite)
         * @param centerKxPx aperture centre column in px (finite)
         * @param radiusPx R_ap in px (finite, &gt; 0)
         * @param edgeWidthPx δ in px (finite, &ge; 0)
         * @param transmissionOutside τ in [0, 1)
         * @return this builder
         */
        public Builder aperture(double centerKyPx, double centerKxPx, double radiusPx, double edgeWidthPx, double transmissionOutside) {
            if (!(transmissionOutside >= 0 && transmissionOutside < 1)) {
                throw new IllegalArgumentException(Checks.format("transmissionOutside is outside [0, 1): %s", transmissionOutside));
            }
            this.apertureKyPx = Checks.finite("aperture centerKyPx", centerKyPx);
            this.apertureKxPx = Checks.finite("aperture centerKxPx", centerKxPx);
            this.apertureRadiusPx = Checks.positive("aperture radiusPx", radiusPx);
            this.apertureEdgePx = Checks.nonNegative("aperture edgeWidthPx", edgeWidthPx);
            this.apertureTransmission = transmissionOutside;
            return this;
        }

        /**
         * @return the features
         * @throws IllegalArgumentException if a flare is given without a needle
         */
        public PatternFeatures build() {
            if ((flarePeak > 0 || glowPeak > 0) && needleEdge == null) {
                throw new IllegalArgumentException("a flare surrounds the needle's tip: give needleStop too");
            }
            return new PatternFeatures(this);
        }
    }
}
