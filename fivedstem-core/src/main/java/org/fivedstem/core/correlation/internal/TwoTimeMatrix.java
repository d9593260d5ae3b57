/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import java.util.Arrays;

/**
 * The two-time matrix of the ensemble normalisation (eq. 1) for one bin:
 * <pre>
 *   G(t1, t2) = ⟨I(t1) I(t2)⟩φ / (⟨I(t1)⟩φ ⟨I(t2)⟩φ) = (1/P) Σ_p J_p(t1) J_p(t2),
 * </pre>
 * dimensionless; with the factorial lag-0 correction the diagonal is ⟨I(I−1)⟩φ/⟨I⟩φ², i.e.
 * reduced by P/m(t) before the division. Rows and columns of blank frames are NaN, and every entry
 * is NaN when the bin holds a non-finite intensity.
 */
final class TwoTimeMatrix {

    private TwoTimeMatrix() {
    }

    /**
     * @param bin the gathered bin; made relative. Modified.
     * @param lagZero the lag-0 correction of the diagonal
     * @param kernel the pair sums
     * @param out T × T, {@code out[t1·T + t2]}. Modified.
     * @return the number of blank frames
     */
    static int compute(BinSeries bin, LagZero lagZero, GramKernel kernel, double[] out) {
        int t = bin.frames();
        int p = bin.pixels();
        if (!bin.finite()) {
            Arrays.fill(out, 0, t * t, Double.NaN);
            return bin.blankFrames();
        }
        double[] x = bin.relative();
        boolean[] usable = bin.usable();
        double[] mean = bin.mean();
        for (int t1 = 0; t1 < t; t1++) {
            if (!usable[t1]) {
                Arrays.fill(out, t1 * t, t1 * t + t, Double.NaN);
                for (int t2 = 0; t2 < t; t2++) {
                    out[t2 * t + t1] = Double.NaN;
                }
                continue;
            }
            for (int t2 = t1; t2 < t; t2++) {
                if (!usable[t2]) {
                    continue;
                }
                double w = kernel.dot(x, t1 * p, t2 * p, p);
                if (t1 == t2 && lagZero == LagZero.FACTORIAL) {
                    w -= p / mean[t1];
                }
                double v = w / p;
                out[t1 * t + t2] = v;
                out[t2 * t + t1] = v;
            }
        }
        return bin.blankFrames();
    }
}
