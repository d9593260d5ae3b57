/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.fivedstem.api.DetectorMask;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class PatternFeaturesTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(PatternFeatures.Edge.class)
    void aNeedleRunsFromItsEdgeToARoundTipShortOfTheCentre(PatternFeatures.Edge edge) {
        int k = 200;
        double cy = 101.3;
        double cx = 97.6;
        double w = 16;
        double s = 12;
        PatternFeatures f = PatternFeatures.builder().needleStop(edge, w, s, 3).build();
        DetectorMask m = f.needleShadow(k, k, cy, cx);
        double[] t = f.tipPointPx(cy, cx);
        // The tip point lies s px from the centre towards the entry edge, offset 3 px sideways.
        assertEquals(s, Math.abs(edge == PatternFeatures.Edge.TOP || edge == PatternFeatures.Edge.BOTTOM ? t[0] - cy : t[1] - cx), 1e-12);
        // Area: a bar from the tip point to the edge plus a half disc, to within the pixel grid's
        // perimeter share (≈ the perimeter in px × 0.5).
        double length = switch (edge) {
            case TOP -> t[0] + 0.5;
            case BOTTOM -> k - 0.5 - t[0];
            case LEFT -> t[1] + 0.5;
            case RIGHT -> k - 0.5 - t[1];
        };
        double area = w * length + Math.PI * w * w / 8;
        int shadow = k * k - m.validCount();
        assertEquals(area, shadow, 0.5 * (2 * length + Math.PI * w / 2), () -> edge + ": " + shadow + " vs " + area);
        // The centre is not shadowed (tip short of it), the tip point and the edge are.
        assertTrue(m.isValid((int) Math.round(cy), (int) Math.round(cx)));
        assertFalse(m.isValid((int) Math.round(t[0]), (int) Math.round(t[1])));
        int ei = edge == PatternFeatures.Edge.TOP ? 0 : edge == PatternFeatures.Edge.BOTTOM ? k - 1 : (int) Math.round(t[0]);
        int ej = edge == PatternFeatures.Edge.LEFT ? 0 : edge == PatternFeatures.Edge.RIGHT ? k - 1 : (int) Math.round(t[1]);
        assertFalse(m.isValid(ei, ej), "the needle reaches its edge");
    }

    @Test
    void aFlareBrighterThanTheHaloSurroundsTheTipAndTheApertureDarkensBeyondItsRadius() {
        PatternFeatures f = PatternFeatures.builder().needleStop(PatternFeatures.Edge.BOTTOM, 20, 11, 0)
            .flare(22, 3, 2.5, 8, 1).aperture(250, 262, 240, 0, 0).build();
        MeanPatternSimulation sim = MeanPatternSimulation.builder().patternSize(512, 512).centerPx(258.4, 255.1).haloRadiusPx(130)
            .features(f).build();
        double[] e = sim.expectedPattern();
        double[] t = f.tipPointPx(258.4, 255.1);
        // On the flare ring (off the needle): 2.5 × the halo peak plus the halo there.
        int p = (int) Math.round(t[0] - 22) * 512 + (int) Math.round(t[1]);
        assertTrue(e[p] > 2.5, () -> "flare ring " + e[p]);
        double haloPeak = 0;
        for (int j = 0; j < 512; j++) {
            haloPeak = Math.max(haloPeak, e[(int) Math.round(258.4 - 130) * 512 + j]);
        }
        assertEquals(1, haloPeak, 0.01, "halo peak on the ring's top");
        DetectorMask outside = sim.outsideAperture();
        DetectorMask shadow = sim.stopShadow();
        for (int q = 0; q < e.length; q++) {
            if (!outside.isValid(q) || !shadow.isValid(q)) {
                assertEquals(0, e[q], "dark pixel " + q);
            } else {
                assertTrue(e[q] > 0.1, "lit pixel " + q);
            }
        }
        // The aperture cuts the pattern inside the detector: some dark pixels are not at a corner.
        assertFalse(outside.isValid(255, 511));
        DetectorMask flare = sim.flareRegion(0.5);
        assertFalse(flare.isValid(p));
        assertTrue(flare.isValid(258 - 130, 255), "the halo's top is not flare");
        assertThrows(IllegalArgumentException.class, () -> PatternFeatures.builder().flare(5, 1, 2, 3, 0).build());
        assertTrue(f.toString().contains("needle stop from bottom"), f::toString);
    }

    static Stream<Arguments> speckle() {
        return SeededCases.of(0x5BECL, 6, r -> new Object[] {r.nextBoolean() ? 0.0 : 1.5, 1 + r.nextInt(3)});
    }

    /**
     * One frame on a flat halo (H = 1): E[S] = 1 and Var S = 1/M, exactly by construction. With
     * independent pixels (g = 0, N = 65 536) the SE of the mean is √(1/(M N)) ≤ 0.004 and that of
     * the variance √((E S⁴ − E[S²]²)/N) ≤ 0.02; with a grain of 1.5 px the effective N is about
     * N/(4π g²) ≈ 2300, so SEs grow by ≈ 5.3. Tolerances are 5 SE (false failure < 1e-6 each).
     */
    @ParameterizedTest(name = "seed {0}: grain {1} px, {2} modes")
    @MethodSource("speckle")
    void speckleHasUnitMeanAndContrastOneOverModes(long seed, double grain, int modes) {
        MeanPatternSimulation sim = MeanPatternSimulation.builder().halo(4.4, 0.18, 1).frames(1).speckleModes(modes)
            .speckleGrainPx(grain).seed(seed).build();
        double[] v = sim.meanPattern();
        double m = 0;
        for (double x : v) {
            m += x / v.length;
        }
        double var = 0;
        for (double x : v) {
            var += (x - m) * (x - m) / (v.length - 1);
        }
        double inflate = grain > 0 ? Math.sqrt(4 * Math.PI * grain * grain) : 1;
        assertEquals(1, m, 5 * inflate * Math.sqrt(1.0 / (modes * v.length)), "mean");
        assertEquals(1.0 / modes, var, 5 * inflate * 0.02, "variance");
    }

    @Test
    void speckleSimulationKeepsItsPatternsWithoutFeaturesAndShadowsTheNeedleWithThem() {
        SpeckleSimulation plain = SpeckleSimulation.builder().scan(2, 2).frames(3).build();
        SpeckleSimulation none = SpeckleSimulation.builder().scan(2, 2).frames(3).features(PatternFeatures.NONE).build();
        double[] a = new double[3 * 66 * 66];
        double[] b = new double[a.length];
        plain.newGenerator().generate(1, 1, a);
        none.newGenerator().generate(1, 1, b);
        assertTrue(java.util.Arrays.equals(a, b), "no features: the same patterns, bit for bit");
        PatternFeatures f = PatternFeatures.builder().needleStop(PatternFeatures.Edge.LEFT, 4, 6, 0).build();
        SpeckleSimulation needle = SpeckleSimulation.builder().scan(2, 2).frames(3).features(f).build();
        DetectorMask mask = needle.detectorMask();
        assertFalse(mask.isValid(32, 0), "needle at the left edge");
        assertTrue(plain.detectorMask().isValid(32, 0));
        needle.newGenerator().generate(0, 0, a);
        for (int t = 0; t < 3; t++) {
            for (int q = 0; q < 66 * 66; q++) {
                if (!mask.isValid(q)) {
                    assertEquals(0, a[t * 66 * 66 + q]);
                }
            }
        }
    }
}
