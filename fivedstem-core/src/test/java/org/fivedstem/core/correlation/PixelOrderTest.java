/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.QRange;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The correlation's pixel order: a permutation by azimuth (within each bin when bins are separate
 * ensembles), so that the pixel-group jackknife's contiguous groups are sectors of the ring.
 */
class PixelOrderTest {

    @ParameterizedTest(name = "seed {0}: {1} bins")
    @MethodSource("cases")
    void orderIsByBinThenAzimuthAndGroupsAreSectors(long seed, int bins) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        int k = rng.nextInt(40, 80);
        double cy = (k - 1) / 2.0 + rng.nextDouble(-3, 3);
        double cx = (k - 1) / 2.0 + rng.nextDouble(-3, 3);
        Calibration cal = Calibration.builder().frameIntervalSeconds(1).scanStepNm(1).pixelSizeInverseNm(0.2)
            .centerPx(cy, cx).build();
        AnnulusMask ann = AnnulusMask.of(k, k, cal, null, Arrays.asList(QRange.of(2.4, 4.0).split(bins)));
        int[] px = ann.pixelIndices();
        int[] bin = ann.binOfPixels();
        int[] order = CorrelationKernel.pixelOrder(ann, cy, cx, true);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i], "a permutation");
        }
        double[] angle = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            int p = px[order[i]];
            angle[i] = Math.atan2(p / k - cy, p % k - cx);
            if (i > 0) {
                int b0 = bin[order[i - 1]];
                int b1 = bin[order[i]];
                assertTrue(b0 < b1 || b0 == b1 && angle[i - 1] <= angle[i], "by bin, then azimuth, at " + i);
            }
        }
        // Ten contiguous groups of one ring span ten disjoint angular ranges (sectors) of about 2π/10.
        int first = 0;
        int inBin0 = ann.pixelCount(0);
        for (int g = 0; g < 10; g++) {
            int lo = first + g * inBin0 / 10;
            int hi = first + (g + 1) * inBin0 / 10 - 1;
            assertTrue(angle[hi] - angle[lo] < 2 * Math.PI / 10 * 1.5, "group " + g + " spans " + (angle[hi] - angle[lo]) + " rad");
        }
        // One ensemble: by azimuth across the bins, so groups are sectors of the whole annulus.
        int[] whole = CorrelationKernel.pixelOrder(ann, cy, cx, false);
        for (int i = 1; i < whole.length; i++) {
            int a = px[whole[i - 1]];
            int b = px[whole[i]];
            assertTrue(Math.atan2(a / k - cy, a % k - cx) <= Math.atan2(b / k - cy, b % k - cx), "azimuth only, at " + i);
        }
        assertArrayEquals(new int[] {px[order[0]], px[order[1]]},
            CorrelationKernel.inOrder(px, new int[] {order[0], order[1]}), "inOrder picks by the order");
    }

    static Stream<Arguments> cases() {
        return SeededCases.of(0x0A21L, 10, r -> new Object[] {r.nextInt(1, 4)});
    }

    @org.junit.jupiter.api.Test
    void rejectsANonFiniteCentre() {
        Calibration cal = Calibration.builder().frameIntervalSeconds(1).scanStepNm(1).pixelSizeInverseNm(0.2).centerPx(20, 20).build();
        AnnulusMask ann = AnnulusMask.of(41, 41, cal, null, List.of(QRange.of(2, 3)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> CorrelationKernel.pixelOrder(ann, Double.NaN, 20, true));
    }
}
