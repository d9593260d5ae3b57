/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import org.fivedstem.api.internal.Checks;

/**
 * A ring that {@link CenterFinder}'s search found in the mean pattern: its centre, radius and how
 * well it is supported. The halo is the best-supported ring; the others (a flare about the beam
 * stop's tip, a ring of another centre) are reported so users can see what else was there.
 *
 * <p><b>Support</b> is the ring's integrated excess intensity over its shoulders, made robust to
 * features that are not rings about this centre: with the pattern split into 8 angular sectors
 * (octants) about the centre, {@code e_s} the mean intensity of the ridge band (radii within half
 * the ring's half width) minus the brighter of the inner and outer shoulder bands (1.5–2.5 half
 * widths inside and outside) in sector s, and {@code n_s} the number of valid pixels of the ridge
 * band there, {@code support = Σ_s min(e_s, median e)·n_s} over sectors with data (negative
 * terms count as 0). A ring that is bright in one or two sectors only (a flare or glow seen from
 * elsewhere) is clipped to the median and scores little; a full ring scores its total excess, in
 * (pattern units) × pixels.
 *
 * @param centerKyPx ring centre row in px
 * @param centerKxPx ring centre column in px
 * @param radiusPx ridge radius in px
 * @param radiusInverseNm ridge radius in nm⁻¹, NaN when the pixel size is not known
 * @param support the robust integrated excess (see above); larger is better supported
 * @param sectorsSeen octants in which the ring and a shoulder were seen (0–8)
 */
public record RingCandidate(double centerKyPx, double centerKxPx, double radiusPx, double radiusInverseNm, double support,
                            int sectorsSeen) {

    @Override
    public String toString() {
        return Checks.format("ring of radius %.1f px%s about (%.1f, %.1f) px, support %.3g, seen in %d of 8 octants", radiusPx,
            Double.isNaN(radiusInverseNm) ? "" : Checks.format(" (%.3f nm⁻¹)", radiusInverseNm), centerKyPx, centerKxPx, support,
            sectorsSeen);
    }
}
