/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import org.fivedstem.api.internal.Checks;

/**
 * The extents of a 5D-STEM recording: frames (time), scan rows and columns (real space), and the
 * diffraction pattern's rows and columns (reciprocal space).
 *
 * <p>The axis order in which the values are stored is a separate matter ({@link AxisOrder}); a
 * shape only says how many there are along each axis. Diffraction patterns are always presented to
 * algorithms row-major as {@code ky * kx} values, pixel {@code (i, j)} at index {@code i * kx + j}.
 *
 * @param frames number of time steps T (&ge; 1)
 * @param scanY number of scan rows (&ge; 1)
 * @param scanX number of scan columns (&ge; 1)
 * @param ky number of diffraction pixel rows (&ge; 1)
 * @param kx number of diffraction pixel columns (&ge; 1)
 */
public record Shape5D(int frames, int scanY, int scanX, int ky, int kx) {

    /**
     * Validates the extents.
     *
     * @param frames number of time steps T (&ge; 1)
     * @param scanY number of scan rows (&ge; 1)
     * @param scanX number of scan columns (&ge; 1)
     * @param ky number of diffraction pixel rows (&ge; 1)
     * @param kx number of diffraction pixel columns (&ge; 1)
     */
    public Shape5D {
        Checks.positive("frames", frames);
        Checks.positive("scanY", scanY);
        Checks.positive("scanX", scanX);
        Checks.positive("ky", ky);
        Checks.positive("kx", kx);
        long pattern = (long) ky * kx;
        if (pattern > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(Checks.format(
                "a diffraction pattern of %d×%d pixels is larger than one Java array can hold", ky, kx));
        }
    }

    /**
     * Creates a shape.
     *
     * @param frames number of time steps
     * @param scanY number of scan rows
     * @param scanX number of scan columns
     * @param ky number of diffraction pixel rows
     * @param kx number of diffraction pixel columns
     * @return the shape
     */
    public static Shape5D of(int frames, int scanY, int scanX, int ky, int kx) {
        return new Shape5D(frames, scanY, scanX, ky, kx);
    }

    /** @return pixels per diffraction pattern, {@code ky * kx} */
    public int patternSize() {
        return ky * kx;
    }

    /** @return scan positions, {@code scanY * scanX} */
    public int positionCount() {
        return scanY * scanX;
    }

    /** @return diffraction patterns in the recording, {@code frames * scanY * scanX} */
    public long patternCount() {
        return (long) frames * scanY * scanX;
    }

    /** @return values in the recording, {@code frames * scanY * scanX * ky * kx} */
    public long valueCount() {
        return patternCount() * patternSize();
    }

    @Override
    public String toString() {
        return Checks.format("%d frames × %d×%d scan × %d×%d pixels", frames, scanY, scanX, ky, kx);
    }
}
