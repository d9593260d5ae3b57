/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.fivedstem.api.DetectorMask;
import org.fivedstem.core.simulation.MeanPatternSimulation;
import org.fivedstem.core.simulation.PatternFeatures;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The automatic mask on the pattern: needle stop, flare, aperture edge inside the detector. */
class MaskRealPatternTest {

    static Stream<Arguments> cases() {
        return SeededCases.of(0x3A5C15L, 8, r -> new Object[] {PatternFeatures.Edge.values()[r.nextInt(4)]});
    }

    @ParameterizedTest(name = "seed {0}: needle from {1}")
    @MethodSource("cases")
    void separatesStopApertureAndFlare(long seed, PatternFeatures.Edge edge) {
        MeanPatternSimulation sim = CenterFinderRealPatternTest.pattern(SeededCases.rng(seed), edge, 130, 512);
        int k = 512;
        double[] mean = sim.meanPattern();
        // Any positive temporal variance: this test is not about dead pixels.
        double[] variance = new double[mean.length];
        java.util.Arrays.fill(variance, 1);
        MaskFinder finder = MaskFinder.defaults();
        PreparedMask m = finder.find(mean, variance, k, k, null);
        double[] ac = sim.features().apertureCentrePx();
        double rap = sim.features().apertureRadiusPx();
        DetectorMask needle = sim.stopShadow();
        int missedOutside = 0;
        int wrongOutside = 0;
        for (int p = 0; p < mean.length; p++) {
            double d = Math.hypot(p / k - ac[0], p % k - ac[1]) - rap;
            // The edge is soft (δ = 2 px): beyond 6 px (T < 0.05) it is dark, within 6 px of it inside lit.
            if (d > 6 && m.outsideAperture().isValid(p)) {
                missedOutside++;
            }
            if (d < -6 && !m.outsideAperture().isValid(p)) {
                wrongOutside++;
            }
            if (!needle.isValid(p)) {
                assertTrue(!m.mask().isValid(p), "needle pixel " + p + " left valid");
            }
        }
        assertEquals(0, missedOutside, m::toString);
        assertEquals(0, wrongOutside, m::toString);
        // The beam stop is the needle (inside the aperture), grown by 1 px: not the dark corners.
        int needleInside = 0;
        for (int p = 0; p < mean.length; p++) {
            if (!needle.isValid(p) && m.outsideAperture().isValid(p)) {
                needleInside++;
            }
        }
        int stop = m.beamStopPixels();
        int inside = needleInside;
        assertTrue(stop >= inside && stop < inside + 2.5 * 2 * 260 + 100, () -> "beam stop " + stop + " vs needle " + inside + ": " + m);
        // The centre from this mask, then the flares about it.
        CenterEstimate c = CenterFinder.defaults().estimate(mean, k, k, m.mask());
        assertTrue(Math.hypot(c.centerKyPx() - sim.centerKyPx(), c.centerKxPx() - sim.centerKxPx()) < 2, c::toString);
        PreparedMask f = finder.withFlares(m, mean, k, k, c.centerKyPx(), c.centerKxPx());
        DetectorMask bright = sim.flareRegion(2);    // the flare adds more than twice the halo
        DetectorMask faint = sim.flareRegion(0.1);   // the flare adds more than a tenth of the halo
        // A ring comparison can only see a flare where it covers a minority of its ring: count the
        // bright flare pixels whose 1-px ring about the true centre is less than half flare (F > 0.1 H).
        int bins = 400;
        int[] ringAll = new int[bins];
        int[] ringFlare = new int[bins];
        for (int p = 0; p < mean.length; p++) {
            int b = (int) Math.round(Math.hypot(p / k - sim.centerKyPx(), p % k - sim.centerKxPx()));
            if (b < bins && m.mask().isValid(p)) {
                ringAll[b]++;
                ringFlare[b] += faint.isValid(p) ? 0 : 1;
            }
        }
        int brightSeen = 0;
        int brightAll = 0;
        int falseFlare = 0;
        for (int p = 0; p < mean.length; p++) {
            int b = (int) Math.round(Math.hypot(p / k - sim.centerKyPx(), p % k - sim.centerKxPx()));
            if (!bright.isValid(p) && m.mask().isValid(p) && b < bins && 2 * ringFlare[b] < ringAll[b]) {
                brightAll++;
                brightSeen += f.flare().isValid(p) ? 0 : 1;
            }
            if (!f.flare().isValid(p) && faint.isValid(p)) {
                falseFlare++;
            }
        }
        int seen = brightSeen;
        int all = brightAll;
        int wrong = falseFlare;
        System.out.printf(java.util.Locale.ROOT, "%s: flare %d of %d bright pixels, %d false; %s%n", edge, seen, all, wrong, f);
        assertTrue(all > 100, "the trap is there: " + all + " pixels where the flare is twice the halo");
        assertTrue(seen >= 0.9 * all, () -> "flare found on " + seen + " of " + all + " pixels: " + f);
        assertTrue(wrong <= 0.05 * f.flarePixels(), () -> wrong + " flare pixels where the flare is < 0.1 × halo: " + f);
        assertEquals(k * k - f.flare().validCount(), f.flarePixels());
        assertEquals(f.mask().validCount(), m.mask().validCount() - f.flarePixels(), "flare pixels come off the valid ones");
        // With the flare masked too, the centre stays.
        CenterEstimate again = CenterFinder.defaults().estimate(mean, k, k, f.mask());
        assertTrue(Math.hypot(again.centerKyPx() - sim.centerKyPx(), again.centerKxPx() - sim.centerKxPx()) < 2, again::toString);
    }
}
