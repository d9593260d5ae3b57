/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.internal;

/**
 * The delete-one-group jackknife standard error, shared by the correlation's frame-block and
 * pixel-group errors and the fits' linearised-jackknife errors:
 * <pre>
 *   SE = √((B − 1)/B · Σ_b (θ_b − θ̄)²),   θ̄ = Σ_b θ_b / B
 * </pre>
 * over B replicates θ_b. Written out (rather than Commons Statistics' variance) because the
 * callers' results are pinned bit for bit: the order of the sums is part of the result, and a
 * replicate that is NaN makes the SE NaN.
 */
public final class Jackknife {

    private Jackknife() {
    }

    /**
     * @param values the replicates θ_b at {@code values[offset + b·stride]}. Not modified.
     * @param offset where θ_0 is
     * @param stride the distance between replicates
     * @param count B (≥ 1)
     * @return the SE, both sums taken over b ascending
     */
    public static double standardError(double[] values, int offset, int stride, int count) {
        double sum = 0;
        for (int b = 0; b < count; b++) {
            sum += values[offset + b * stride];
        }
        double m = sum / count;
        double ss = 0;
        for (int b = 0; b < count; b++) {
            double d = values[offset + b * stride] - m;
            ss += d * d;
        }
        return Math.sqrt((count - 1) * ss / count);
    }
}
