/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fluctuation;

import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.QRange;
import org.fivedstem.api.internal.Checks;

/**
 * A V(Q) profile: the time-averaged speckle variance (eq. 5) in each thin Q ring. Immutable;
 * arrays are copied in and out. Equality compares values bit-wise (NaN equals NaN).
 */
public final class VarianceProfile {

    private final QRange[] rings;
    private final double[] variance;

    private VarianceProfile(QRange[] rings, double[] variance) {
        this.rings = rings;
        this.variance = variance;
    }

    /**
     * @param rings the Q rings in nm⁻¹, ascending (copied)
     * @param variance V of each ring, NaN where no frame was usable (copied)
     * @return the profile
     */
    public static VarianceProfile of(QRange[] rings, double[] variance) {
        Objects.requireNonNull(rings, "rings");
        Objects.requireNonNull(variance, "variance");
        Checks.length("variance", rings.length, variance.length);
        for (int i = 0; i < rings.length; i++) {
            Objects.requireNonNull(rings[i], "rings[" + i + "]");
        }
        return new VarianceProfile(rings.clone(), variance.clone());
    }

    /** @return number of rings */
    public int size() {
        return rings.length;
    }

    /**
     * @param i ring index
     * @return the ring's Q range in nm⁻¹
     */
    public QRange ring(int i) {
        return rings[Checks.index("ring", i, rings.length)];
    }

    /** @return the centre of each ring in nm⁻¹ (a new array) */
    public double[] qInverseNm() {
        return Arrays.stream(rings).mapToDouble(QRange::centerInverseNm).toArray();
    }

    /** @return V of each ring (a copy) */
    public double[] variance() {
        return variance.clone();
    }

    /**
     * @param i ring index
     * @return V of the ring
     */
    public double variance(int i) {
        return variance[Checks.index("ring", i, rings.length)];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VarianceProfile && Arrays.equals(rings, ((VarianceProfile) o).rings)
            && Arrays.equals(variance, ((VarianceProfile) o).variance);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(rings) + Arrays.hashCode(variance);
    }

    /** @return a two-column table, Q (nm⁻¹) and V */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(Checks.format("VarianceProfile[%d rings]%n  Q (nm⁻¹)        V%n", rings.length));
        for (int i = 0; i < rings.length; i++) {
            sb.append(Checks.format("  %8.4f  %9.5f%n", rings[i].centerInverseNm(), variance[i]));
        }
        return sb.toString();
    }
}
