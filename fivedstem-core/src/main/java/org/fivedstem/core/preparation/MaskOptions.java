/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import org.fivedstem.api.internal.Checks;

/**
 * How {@link MaskFinder} decides which pixels are unusable. Immutable; configured with withers.
 *
 * <p>Defaults: the beam-stop shadow is every connected region of at least 9 pixels whose mean is
 * below 0.1 × the median pixel mean, grown by 1 pixel (its penumbra); a pixel is hot when its mean
 * exceeds the median of its 5×5 neighbourhood by more than both 8 robust standard deviations of
 * that relative residual and 50 %, cold (dead) when it falls short by as much, and dead when it
 * never changed at all while its neighbours did; dark regions at the border whose edge is a circle
 * with the dark side outside are the region outside the aperture, not beam stop; once the centre is
 * known, flares are groups of at least 9 pixels more than both 6 robust standard deviations and
 * 100 % above the lower quartile of their 1-px ring about the centre (not its median, so that a flare
 * covering up to three quarters of a ring does not lift the level).
 */
public final class MaskOptions {

    private static final MaskOptions DEFAULTS = new MaskOptions(0.1, 9, 1, 8, 0.5, 6, 1);

    private final double beamStopFraction;
    private final int beamStopMinPixels;
    private final int growPx;
    private final double sigmas;
    private final double minRelative;
    private final double flareSigmas;
    private final double flareMinRelative;

    private MaskOptions(double beamStopFraction, int beamStopMinPixels, int growPx, double sigmas, double minRelative, double flareSigmas,
                        double flareMinRelative) {
        this.flareSigmas = flareSigmas;
        this.flareMinRelative = flareMinRelative;
        this.beamStopFraction = beamStopFraction;
        this.beamStopMinPixels = beamStopMinPixels;
        this.growPx = growPx;
        this.sigmas = sigmas;
        this.minRelative = minRelative;
    }

    /** @return the defaults (see the class notes) */
    public static MaskOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param fraction pixels whose mean is below this fraction of the median pixel mean are shadow
     *     candidates (0–1, exclusive)
     * @param minPixels smallest connected region that counts as the shadow (≥ 1)
     * @param grow pixels by which the shadow is grown (0–10)
     * @return a copy
     */
    public MaskOptions withBeamStop(double fraction, int minPixels, int grow) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException(Checks.format("beam-stop fraction is outside (0, 1): %s", fraction));
        }
        Checks.positive("beamStopMinPixels", minPixels);
        if (grow < 0 || grow > 10) {
            throw new IllegalArgumentException(Checks.format("beam-stop grow is outside 0–10 px: %d", grow));
        }
        return new MaskOptions(fraction, minPixels, grow, sigmas, minRelative, flareSigmas, flareMinRelative);
    }

    /**
     * @param k robust standard deviations a hot or cold pixel must lie from its neighbours (finite, &gt; 0)
     * @param relative and by at least this fraction of their median (finite, &gt; 0)
     * @return a copy
     */
    public MaskOptions withOutlierThreshold(double k, double relative) {
        return new MaskOptions(beamStopFraction, beamStopMinPixels, growPx, Checks.positive("sigmas", k),
            Checks.positive("minRelative", relative), flareSigmas, flareMinRelative);
    }

    /**
     * @param k robust standard deviations of its radius bin a flare pixel must exceed the bin's
     *     lower quartile by (finite, &gt; 0)
     * @param relative and by at least this fraction of the lower quartile (finite, &gt; 0)
     * @return a copy
     */
    public MaskOptions withFlareThreshold(double k, double relative) {
        return new MaskOptions(beamStopFraction, beamStopMinPixels, growPx, sigmas, minRelative, Checks.positive("flareSigmas", k),
            Checks.positive("flareMinRelative", relative));
    }

    /** @return robust standard deviations for flare pixels */
    public double flareSigmas() {
        return flareSigmas;
    }

    /** @return minimum relative excess over the ring's lower quartile for flare pixels */
    public double flareMinRelative() {
        return flareMinRelative;
    }

    /** @return shadow threshold as a fraction of the median pixel mean */
    public double beamStopFraction() {
        return beamStopFraction;
    }

    /** @return smallest shadow region in pixels */
    public int beamStopMinPixels() {
        return beamStopMinPixels;
    }

    /** @return pixels the shadow is grown by */
    public int growPx() {
        return growPx;
    }

    /** @return robust standard deviations for hot and cold pixels */
    public double sigmas() {
        return sigmas;
    }

    /** @return minimum relative deviation for hot and cold pixels */
    public double minRelative() {
        return minRelative;
    }

    @Override
    public String toString() {
        return Checks.format("MaskOptions[beam stop < %.3g × median, ≥ %d px, grown %d px; outliers %.3g σ and %.0f %%; flares %.3g σ and %.0f %%]",
            beamStopFraction, beamStopMinPixels, growPx, sigmas, 100 * minRelative, flareSigmas, 100 * flareMinRelative);
    }
}
