/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fluctuation;

import java.util.Objects;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.QRange;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.internal.Checks;

/**
 * The result of {@link SpeckleVariance#compute}: the time-averaged V map over the annulus (the
 * structural map of the paper, Fig. 3), the frames used and excluded per position, and — with
 * profile bins — the V(Q) profile of every position and of the whole scan. Immutable. Equality
 * compares values bit-wise and ignores the thread count (which never changes results).
 */
public final class VarianceMaps {

    private final ScalarMap variance;
    private final ScalarMap usedFrames;
    private final long excludedFrames;
    private final QRange[] rings;
    private final double[] binMeans;
    private final VarianceOptions options;
    private final AnnulusMask annulus;

    VarianceMaps(ScalarMap variance, ScalarMap usedFrames, long excludedFrames, QRange[] rings, double[] binMeans,
                 VarianceOptions options, AnnulusMask annulus) {
        this.variance = variance;
        this.usedFrames = usedFrames;
        this.excludedFrames = excludedFrames;
        this.rings = rings;
        this.binMeans = binMeans;
        this.options = options;
        this.annulus = annulus;
    }

    /** @return time-averaged V per position over the whole annulus; NaN where no frame was usable */
    public ScalarMap variance() {
        return variance;
    }

    /** @return number of frames averaged at each position */
    public ScalarMap usedFrames() {
        return usedFrames;
    }

    /** @return number of (position, frame) patterns excluded as blank or non-finite */
    public long excludedFrames() {
        return excludedFrames;
    }

    /** @return the options used */
    public VarianceOptions options() {
        return options;
    }

    /** @return the annulus used, with its profile bins */
    public AnnulusMask annulus() {
        return annulus;
    }

    /**
     * @param y scan row
     * @param x scan column
     * @return the time-averaged V(Q) profile at the position, over the {@code profileBins} thin rings
     */
    public VarianceProfile profile(int y, int x) {
        int p = Checks.index("y", y, variance.scanY()) * variance.scanX() + Checks.index("x", x, variance.scanX());
        double[] v = new double[rings.length];
        System.arraycopy(binMeans, p * rings.length, v, 0, rings.length);
        return VarianceProfile.of(rings, v);
    }

    /**
     * @return the scan-averaged V(Q) profile: for each ring, the mean over positions of their
     *     time-averaged V (positions without a usable frame in the ring are skipped)
     */
    public VarianceProfile meanProfile() {
        int bins = rings.length;
        double[] s = new double[bins];
        int[] n = new int[bins];
        for (int i = 0; i < binMeans.length; i++) {
            if (!Double.isNaN(binMeans[i])) {
                s[i % bins] += binMeans[i];
                n[i % bins]++;
            }
        }
        for (int b = 0; b < bins; b++) {
            s[b] = n[b] == 0 ? Double.NaN : s[b] / n[b];
        }
        return VarianceProfile.of(rings, s);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof VarianceMaps)) {
            return false;
        }
        VarianceMaps m = (VarianceMaps) o;
        return variance.equals(m.variance) && usedFrames.equals(m.usedFrames) && excludedFrames == m.excludedFrames
            && java.util.Arrays.equals(binMeans, m.binMeans) && java.util.Arrays.equals(rings, m.rings)
            && options.withThreads(1).equals(m.options.withThreads(1));
    }

    @Override
    public int hashCode() {
        return Objects.hash(variance, excludedFrames, java.util.Arrays.hashCode(binMeans));
    }

    @Override
    public String toString() {
        return Checks.format("VarianceMaps[%s, %s, mean V %.4g (%.4g–%.4g), %d excluded frames, %d profile ring%s]",
            variance.scanY() + "×" + variance.scanX(), annulus.range(), variance.mean(), variance.min(), variance.max(),
            excludedFrames, rings.length, rings.length == 1 ? "" : "s");
    }
}
