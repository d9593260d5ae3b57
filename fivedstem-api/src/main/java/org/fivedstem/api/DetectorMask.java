/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.internal.Checks;

/**
 * Which diffraction pixels hold usable signal: {@code false} for the beam-stop shadow, hot and dead
 * pixels. Pixels are addressed row-major, pixel {@code (i, j)} at index {@code i * kx + j}.
 * Immutable.
 */
public final class DetectorMask {

    private final int ky;
    private final int kx;
    private final boolean[] valid;
    private final int validCount;

    private DetectorMask(int ky, int kx, boolean[] valid) {
        this.ky = ky;
        this.kx = kx;
        this.valid = valid;
        int n = 0;
        for (boolean v : valid) {
            if (v) {
                n++;
            }
        }
        this.validCount = n;
    }

    /**
     * @param ky pattern rows
     * @param kx pattern columns
     * @param valid {@code ky * kx} flags, row-major, {@code true} = usable (copied)
     * @return the mask
     */
    public static DetectorMask of(int ky, int kx, boolean[] valid) {
        Checks.positive("ky", ky);
        Checks.positive("kx", kx);
        Objects.requireNonNull(valid, "valid");
        Checks.length("valid", ky * kx, valid.length);
        return new DetectorMask(ky, kx, valid.clone());
    }

    /**
     * @param ky pattern rows
     * @param kx pattern columns
     * @return a mask in which every pixel is valid
     */
    public static DetectorMask allValid(int ky, int kx) {
        Checks.positive("ky", ky);
        Checks.positive("kx", kx);
        boolean[] v = new boolean[ky * kx];
        Arrays.fill(v, true);
        return new DetectorMask(ky, kx, v);
    }

    /** @return pattern rows */
    public int ky() {
        return ky;
    }

    /** @return pattern columns */
    public int kx() {
        return kx;
    }

    /** @return number of valid pixels */
    public int validCount() {
        return validCount;
    }

    /**
     * @param i pixel row
     * @param j pixel column
     * @return whether the pixel is valid
     */
    public boolean isValid(int i, int j) {
        return valid[Checks.index("ky", i, ky) * kx + Checks.index("kx", j, kx)];
    }

    /**
     * @param index row-major pixel index
     * @return whether the pixel is valid
     */
    public boolean isValid(int index) {
        return valid[Checks.index("pixel index", index, valid.length)];
    }

    /** @return the flags, row-major (a copy) */
    public boolean[] toArray() {
        return valid.clone();
    }

    /**
     * @param other a mask of the same shape
     * @return pixels valid in both masks
     */
    public DetectorMask and(DetectorMask other) {
        if (other.ky != ky || other.kx != kx) {
            throw new IllegalArgumentException(Checks.format(
                "mask of %d×%d pixels cannot be combined with a mask of %d×%d pixels", other.ky, other.kx, ky, kx));
        }
        boolean[] v = new boolean[valid.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = valid[i] && other.valid[i];
        }
        return new DetectorMask(ky, kx, v);
    }

    /**
     * The mask of patterns binned {@code bin × bin}: a binned pixel is valid only if all of its
     * {@code bin²} source pixels are, because a sum that includes an invalid pixel is not a
     * measurement. Trailing rows and columns that do not fill a bin are dropped, as in
     * {@link Dataset5D#bin(int)}.
     *
     * @param bin the binning factor (&ge; 1, at most the pattern size)
     * @return the binned mask
     */
    public DetectorMask binned(int bin) {
        Checks.positive("bin", bin);
        if (bin == 1) {
            return this;
        }
        int by = ky / bin;
        int bx = kx / bin;
        if (by < 1 || bx < 1) {
            throw new IllegalArgumentException(Checks.format("bin %d is larger than the %d×%d pattern", bin, ky, kx));
        }
        boolean[] v = new boolean[by * bx];
        for (int i = 0; i < by; i++) {
            for (int j = 0; j < bx; j++) {
                boolean ok = true;
                for (int a = 0; a < bin && ok; a++) {
                    for (int b = 0; b < bin; b++) {
                        if (!valid[(i * bin + a) * kx + j * bin + b]) {
                            ok = false;
                            break;
                        }
                    }
                }
                v[i * bx + j] = ok;
            }
        }
        return new DetectorMask(by, bx, v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetectorMask && ((DetectorMask) o).ky == ky && ((DetectorMask) o).kx == kx
            && Arrays.equals(valid, ((DetectorMask) o).valid);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * ky + kx) + Arrays.hashCode(valid);
    }

    @Override
    public String toString() {
        return Checks.format("DetectorMask[%d×%d, %d valid (%.1f %%)]", ky, kx, validCount, 100.0 * validCount / valid.length);
    }
}
