/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * The real FFT of the FFT routes: JTransforms of length N, the smallest power of two ≥ 2T − 1 (and
 * ≥ 2), so that zero padding turns its circular correlation into the linear one; kept while T
 * stays the same. Power-of-two lengths take JTransforms' split-radix path, which is in place and
 * allocation-free. With a scratch array of N values. Not thread-safe.
 */
final class FftPlan {

    private DoubleFFT_1D fft;
    private int length;
    private double[] scratch = new double[0];

    /**
     * @param frames T
     * @return this, ready for series of T frames
     */
    FftPlan prepare(int frames) {
        int n = 2;
        while (n < 2 * frames - 1) {
            n <<= 1;
        }
        if (fft == null || length != n) {
            fft = new DoubleFFT_1D(n);
            length = n;
        }
        scratch = Grow.of(scratch, n);
        return this;
    }

    /** @return N */
    int length() {
        return length;
    }

    /** @return the transform of length N */
    DoubleFFT_1D transform() {
        return fft;
    }

    /** @return N scratch values (at least). Modified by its users. */
    double[] scratch() {
        return scratch;
    }
}
