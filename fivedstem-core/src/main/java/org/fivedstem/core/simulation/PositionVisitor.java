/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation;

import java.io.IOException;

/**
 * Receives the complete time series of diffraction patterns of one scan position: the natural
 * unit of the simulator (the circulant embedding needs the whole series at once), and the unit in
 * which a file writer with position chunks ({@code (T, 1, 1, ky, kx)}) or hyperslabs writes.
 */
@FunctionalInterface
public interface PositionVisitor {

    /**
     * @param y scan row
     * @param x scan column
     * @param frames {@code T · ky · kx} values, frame {@code t}, pixel {@code p} (row-major) at
     *     {@code t · ky·kx + p}. <i>Not modified; valid only during this call</i>: the buffer is
     *     reused, so copy what must be kept.
     * @throws IOException if the receiver fails (e.g. writing a file); generation stops and the
     *     exception propagates
     */
    void accept(int y, int x, double[] frames) throws IOException;
}
