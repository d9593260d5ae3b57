/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fluctuation.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RunSums} on the JDK Vector API: Σv, Σv² and the witness in vector lanes, then across them.
 * The order of additions differs from the scalar twin's, which the contract allows: the caller uses
 * the sums only when they are exact. The witness is Σ| |v| − ((|v| + 2⁵²) − 2⁵²) |: adding and
 * removing 2⁵² rounds |v| &lt; 2⁵² to a whole number in round-to-nearest (Java 17's Vector API has no
 * rint), so the term is 0 exactly for whole values and positive otherwise, NaN for NaN or ±∞.
 * Loaded by {@link RunSums#preferred()} only where {@code org.fivedstem.core.internal.Vectorization}
 * allows; compiled apart from the module (the core POM's {@code panama} execution).
 */
public final class PanamaRunSums implements RunSums {

    /** The instance; stateless. */
    public static final PanamaRunSums INSTANCE = new PanamaRunSums();

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Floats as many as the doubles of {@link #SPECIES}, in half its width: one load widens to one double vector. */
    private static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class,
        VectorShape.forBitSize(SPECIES.vectorBitSize() / 2));
    private static final double TWO_POW_52 = 0x1p52;

    private PanamaRunSums() {
    }

    @Override
    public double sums(double[] a, int from, int to, double[] out) {
        DoubleVector s1 = DoubleVector.zero(SPECIES);
        DoubleVector s2 = DoubleVector.zero(SPECIES);
        DoubleVector frac = DoubleVector.zero(SPECIES);
        int k = from;
        for (; k + LANES <= to; k += LANES) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, a, k);
            DoubleVector m = v.abs();
            s1 = s1.add(v);
            s2 = s2.add(v.mul(v));
            frac = frac.add(m.sub(m.add(TWO_POW_52).sub(TWO_POW_52)).abs());
        }
        double t1 = s1.reduceLanes(VectorOperators.ADD);
        double t2 = s2.reduceLanes(VectorOperators.ADD);
        double w = frac.reduceLanes(VectorOperators.ADD);
        for (; k < to; k++) {
            double v = a[k];
            double m = Math.abs(v);
            t1 += v;
            t2 += v * v;
            w += Math.abs(m - ((m + TWO_POW_52) - TWO_POW_52));
        }
        out[0] = t1;
        out[1] = t2;
        return w;
    }

    @Override
    public double sums(float[] a, int from, int to, double[] out) {
        DoubleVector s1 = DoubleVector.zero(SPECIES);
        DoubleVector s2 = DoubleVector.zero(SPECIES);
        DoubleVector frac = DoubleVector.zero(SPECIES);
        int k = from;
        for (; k + LANES <= to; k += LANES) {
            // F2D widens every float exactly; the rest is the double method's loop.
            DoubleVector v = (DoubleVector) FloatVector.fromArray(FLOATS, a, k).convertShape(VectorOperators.F2D, SPECIES, 0);
            DoubleVector m = v.abs();
            s1 = s1.add(v);
            s2 = s2.add(v.mul(v));
            frac = frac.add(m.sub(m.add(TWO_POW_52).sub(TWO_POW_52)).abs());
        }
        double t1 = s1.reduceLanes(VectorOperators.ADD);
        double t2 = s2.reduceLanes(VectorOperators.ADD);
        double w = frac.reduceLanes(VectorOperators.ADD);
        for (; k < to; k++) {
            double v = a[k];
            double m = Math.abs(v);
            t1 += v;
            t2 += v * v;
            w += Math.abs(m - ((m + TWO_POW_52) - TWO_POW_52));
        }
        out[0] = t1;
        out[1] = t2;
        return w;
    }

    @Override
    public String toString() {
        return "PanamaRunSums[" + SPECIES.vectorBitSize() + "-bit]";
    }
}
