/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

/**
 * The five axes of a 5D-STEM recording, with the letters used to name axis orders
 * ({@code t, y, x, ky, kx}).
 */
public enum Axis {
    /** Time (frame index). */
    T("t"),
    /** Scan row (real space). */
    Y("y"),
    /** Scan column (real space). */
    X("x"),
    /** Diffraction pixel row (reciprocal space). */
    KY("ky"),
    /** Diffraction pixel column (reciprocal space). */
    KX("kx");

    private final String letter;

    Axis(String letter) {
        this.letter = letter;
    }

    /** @return the axis name used in axis-order strings, e.g. {@code "ky"} */
    public String letter() {
        return letter;
    }

    /** @return whether this is a scan axis or time ({@code t}, {@code y}, {@code x}) */
    public boolean isScanOrTime() {
        return this == T || this == Y || this == X;
    }

    /** @return the extent of this axis in a shape */
    int extentIn(Shape5D shape) {
        switch (this) {
            case T: return shape.frames();
            case Y: return shape.scanY();
            case X: return shape.scanX();
            case KY: return shape.ky();
            default: return shape.kx();
        }
    }

    @Override
    public String toString() {
        return letter;
    }
}
