/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

/** Workspace arrays that grow to the largest problem seen and are then reused. */
final class Grow {

    private Grow() {
    }

    /** @return {@code a} if it holds at least {@code n} values, else a new zeroed array of {@code n} */
    static double[] of(double[] a, int n) {
        return a.length >= n ? a : new double[n];
    }

    /** @return {@code a} if it holds at least {@code n} values, else a new zeroed array of {@code n} */
    static int[] of(int[] a, int n) {
        return a.length >= n ? a : new int[n];
    }
}
