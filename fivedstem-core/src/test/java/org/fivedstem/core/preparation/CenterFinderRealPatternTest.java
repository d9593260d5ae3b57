/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.core.simulation.MeanPatternSimulation;
import org.fivedstem.core.simulation.PatternFeatures;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The centre finder on simulated real patterns (issue 15): a needle beam stop from any edge whose
 * tip ends short of the centre, a flare about the tip brighter than the halo, a condenser aperture
 * whose edge cuts the pattern, strong speckle from few frames.
 */
class CenterFinderRealPatternTest {

    /**
     * A pattern with features scaled to the halo radius R as on the issue's detector (R = 130 px:
     * needle 20 px wide, tip 11 px short of the centre, flare ring of radius 22 px at 2.5 × the
     * halo peak with a glow, aperture edge at ≈ 1.9 R cutting the pattern): 10 frames of fully
     * developed speckle of grain 1.5 px, 5 e⁻ per pixel per frame at the halo peak.
     */
    static MeanPatternSimulation pattern(UniformRandomProvider r, PatternFeatures.Edge edge, double radius, int size) {
        double cy = (size - 1) / 2.0 + r.nextDouble(-0.04, 0.04) * size;
        double cx = (size - 1) / 2.0 + r.nextDouble(-0.04, 0.04) * size;
        double width = Math.max(3, 0.15 * radius);
        PatternFeatures f = PatternFeatures.builder()
            .needleStop(edge, width, r.nextDouble(0.6, 1.4) * Math.max(0.085 * radius, 0.6 * width), r.nextDouble(-0.02, 0.02) * radius)
            .flare(0.17 * radius, Math.max(1, 0.025 * radius), 2.5, Math.max(1.5, 0.06 * radius), 1.5)
            .aperture(cy + r.nextDouble(-0.05, 0.05) * radius, cx + r.nextDouble(-0.05, 0.05) * radius, 1.9 * radius, 2, 0)
            .build();
        return MeanPatternSimulation.builder().patternSize(size, size).centerPx(cy, cx).haloRadiusPx(radius).features(f)
            .frames(10).speckleGrainPx(1.5).dose(5).seed(r.nextLong()).build();
    }

    static Stream<Arguments> edgesAndRadii() {
        double[] radii = {10, 25, 60, 130, 250};
        int[] sizes = {64, 96, 192, 512, 512};
        PatternFeatures.Edge[] edges = PatternFeatures.Edge.values();
        return SeededCases.of(0xED6EL, radii.length * edges.length, r -> new Object[0]).map(a -> a.get()).map(new java.util.function.Function<Object[], Arguments>() {
            int k;

            @Override
            public Arguments apply(Object[] a) {
                int i = k++;
                return Arguments.of(a[0], edges[i % edges.length], radii[i / edges.length], sizes[i / edges.length]);
            }
        });
    }

    @ParameterizedTest(name = "seed {0}: needle from {1}, halo radius {2} px on {3}²")
    @MethodSource("edgesAndRadii")
    void findsTheHaloCentreBesideANeedleStopAFlareAndAnAperture(long seed, PatternFeatures.Edge edge, double radius, int size) {
        MeanPatternSimulation sim = pattern(SeededCases.rng(seed), edge, radius, size);
        if (radius <= 10) {
            // A 10-px halo's inner shoulder holds the flare about the tip, and the octant uniformity
            // test (t ≥ 5) refuses it in 2 of these 4 cases (a known limit, docs/preparation.md).
            // Refusing is allowed; a wrong centre is not.
            for (CenterOptions o : new CenterOptions[] {CenterOptions.defaults(),
                CenterOptions.defaults().withPixelSizeInverseNm(sim.pixelSizeInverseNm())}) {
                try {
                    check(sim, o, sim.stopShadow());
                } catch (IllegalArgumentException e) {
                    assertTrue(e.getMessage().contains("not consistently brighter than its shoulders"), e.getMessage());
                }
            }
            return;
        }
        check(sim, CenterOptions.defaults(), sim.stopShadow());
        check(sim, CenterOptions.defaults().withPixelSizeInverseNm(sim.pixelSizeInverseNm()), sim.stopShadow());
    }

    static Stream<Arguments> issueCases() {
        return SeededCases.of(0x15L, 8, r -> new Object[] {PatternFeatures.Edge.values()[r.nextInt(4)]});
    }

    /** The issue's pattern: 512², halo at 130 px, flare 2.5 × brighter than the halo, aperture at ≈ 250 px. */
    @ParameterizedTest(name = "seed {0}: needle from {1}")
    @MethodSource("issueCases")
    void findsTheCentreOfTheIssuesPattern(long seed, PatternFeatures.Edge edge) {
        MeanPatternSimulation sim = pattern(SeededCases.rng(seed), edge, 130, 512);
        CenterEstimate c = check(sim, CenterOptions.defaults(), sim.stopShadow());
        assertTrue(c.ring() != null && Double.isNaN(c.radiusInverseNm()), c::toString);
        CenterEstimate q = check(sim, CenterOptions.defaults().withPixelSizeInverseNm(sim.pixelSizeInverseNm()), sim.stopShadow());
        assertEquals(4.4, q.radiusInverseNm(), 0.1, q::toString);
    }

    /**
     * No halo, only a needle, its flare (a ring of 0.75 nm⁻¹ about the tip, 2.5 × the background)
     * and the aperture: with the pixel size known the flare is not where a halo can be, and the
     * finder refuses, saying what it searched, instead of fitting the flare.
     */
    @org.junit.jupiter.api.Test
    void refusesAPatternWithoutHaloInsteadOfFittingTheFlare() {
        UniformRandomProvider r = SeededCases.rng(0x0F1AL);
        PatternFeatures f = PatternFeatures.builder().needleStop(PatternFeatures.Edge.BOTTOM, 20, 11, 0).flare(22, 3, 2.5, 8, 1.5)
            .aperture(255.5, 255.5, 247, 2, 0).build();
        MeanPatternSimulation sim = MeanPatternSimulation.builder().patternSize(512, 512).haloRadiusPx(130).halo(4.4, 0.18, 1)
            .features(f).frames(10).dose(5).seed(r.nextLong()).build();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> CenterFinder.of(CenterOptions.defaults().withPixelSizeInverseNm(sim.pixelSizeInverseNm()))
                .estimate(sim.meanPattern(), 512, 512, sim.stopShadow()));
        assertTrue(e.getMessage().contains("searched") && e.getMessage().contains("nm⁻¹"), e.getMessage());
    }

    static CenterEstimate check(MeanPatternSimulation sim, CenterOptions options, DetectorMask mask) {
        CenterEstimate c = CenterFinder.of(options).estimate(sim.meanPattern(), sim.ky(), sim.kx(), mask);
        double err = Math.hypot(c.centerKyPx() - sim.centerKyPx(), c.centerKxPx() - sim.centerKxPx());
        System.out.printf(java.util.Locale.ROOT, "R %.0f: error %.3f px, SE %.3f px, radius %.2f px; %s%n", sim.haloRadiusPx(), err,
            c.stdErrPx(), c.radiusPx(), c.otherRings());
        // The issue's requirement: within a couple of pixels.
        assertTrue(err < 2, () -> "error " + err + " px: " + c + " for " + sim);
        // And within the jackknife's uncertainty: 12 sectors give a t distribution of 11 degrees of
        // freedom, P(|t| > 5) ≈ 4e-4 per component (≈ 0.05 false failures over the 112 components
        // checked here), plus 0.2 px for what the circle model and the sampling do not describe.
        assertTrue(Math.abs(c.centerKyPx() - sim.centerKyPx()) < 5 * c.stdErrKyPx() + 0.2, c::toString);
        assertTrue(Math.abs(c.centerKxPx() - sim.centerKxPx()) < 5 * c.stdErrKxPx() + 0.2, c::toString);
        assertEquals(sim.haloRadiusPx(), c.radiusPx(), 0.05 * sim.haloRadiusPx() + 1, c::toString);
        assertTrue(c.ring() != null && c.ring().support() > 0, c::toString);
        return c;
    }
}
