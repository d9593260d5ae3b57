/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fluctuation.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.fivedstem.core.internal.Vectorization;

/**
 * The sums behind V's exact path over one contiguous run of a pattern's pixels (one Q bin): Σv,
 * Σv² and an integrality witness. The speckle-variance kernel turns them into exact integer sums
 * when every value is a whole number and Σv² &lt; 2⁵³ — then any order of addition gives the same
 * result, which is why a vector implementation may add in lanes — and otherwise falls back to its
 * long or compensated sums, which this interface does not touch.
 *
 * <p><b>Contract.</b> For values all finite and whole, with the computed Σv² below 2⁵³: the witness
 * is 0 and the sums are exact. For any non-finite value the witness is NaN. For a value that is not
 * whole and below 2⁵² in magnitude the witness is positive. (A whole value of 2⁵² or more may give a
 * positive witness: the caller then takes its exact long path, which gives the same numbers.)
 * Stateless; one instance serves every thread.
 */
public interface RunSums {

    /**
     * @param a the values. Not modified.
     * @param from the first index
     * @param to one past the last index
     * @param out out[0] = Σv, out[1] = Σv² over {@code a[from … to−1]}. Modified.
     * @return the witness: 0 when every value is a whole number (see the class notes)
     */
    double sums(double[] a, int from, int to, double[] out);

    /**
     * The same sums over {@code float} values, each widened to {@code double} exactly before it is
     * used: the contract above for the widened values (the streaming engine keeps whole counts
     * below 2²⁴ in {@code float}, which holds them exactly).
     *
     * @param a the values. Not modified.
     * @param from the first index
     * @param to one past the last index
     * @param out out[0] = Σv, out[1] = Σv² over {@code a[from … to−1]}. Modified.
     * @return the witness: 0 when every value is a whole number
     */
    double sums(float[] a, int from, int to, double[] out);

    /** @return the implementation to use on this JVM (the Vector API one when {@link Vectorization#preferred()}) */
    static RunSums preferred() {
        return Choice.PREFERRED;
    }

    /** @return every implementation that can run on this JVM, the scalar one first */
    static List<RunSums> all() {
        List<RunSums> all = new ArrayList<>(List.of(ScalarRunSums.INSTANCE));
        Choice.VECTOR.ifPresent(all::add);
        return List.copyOf(all);
    }

    /** The choice, made once (an interface cannot hold private constants). */
    final class Choice {
        private static final Optional<RunSums> VECTOR =
            Vectorization.load("org.fivedstem.core.fluctuation.internal.PanamaRunSums", RunSums.class);
        private static final RunSums PREFERRED = Vectorization.preferred() ? VECTOR.orElseThrow() : ScalarRunSums.INSTANCE;

        private Choice() {
        }
    }
}
