/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

/**
 * Receives diffraction patterns one at a time, in the order in which they lie in storage.
 */
@FunctionalInterface
public interface PatternVisitor {

    /**
     * Accepts one diffraction pattern.
     *
     * @param frame frame index, relative to the dataset or selection visited
     * @param y scan row, relative to the dataset or selection visited
     * @param x scan column, relative to the dataset or selection visited
     * @param pattern {@code ky * kx} intensities, row-major. <i>Not modified; valid only during
     *     this call</i>: the buffer is reused for the next pattern, so copy what must be kept.
     */
    void accept(int frame, int y, int x, double[] pattern);
}
