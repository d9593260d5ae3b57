/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.testing;

import java.net.URISyntaxException;
import java.nio.file.Path;

import org.fivedstem.api.Shape5D;
import org.fivedstem.io.SampleType;

/** The fixtures written by {@code fixtures/make_fixtures.py} and the array they all hold. */
public final class Fixtures {

    /** Shape of the logical array A in every recording fixture. */
    public static final Shape5D SHAPE = Shape5D.of(3, 4, 5, 6, 7);

    private Fixtures() {
    }

    /**
     * @param name file name in the fixtures folder
     * @return its path
     */
    public static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/org/fivedstem/io/fixtures/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("fixture " + name + " is missing; run make_fixtures.py", e);
        }
    }

    /**
     * The value of A in a type, as make_fixtures.py defines it.
     *
     * @param type the stored type
     * @param t frame
     * @param y row
     * @param x column
     * @param i pattern row
     * @param j pattern column
     * @return the value
     */
    public static double value(SampleType type, int t, int y, int x, int i, int j) {
        long linear = ((((long) t * 4 + y) * 5 + x) * 6 + i) * 7 + j;
        return inRange(type, linear * 37 % 251);
    }

    /**
     * @param type a sample type
     * @param base a number in [0, 251)
     * @return a value inside the type's range and exact in it, distinct for each base
     */
    public static double inRange(SampleType type, long base) {
        switch (type) {
            case UINT8: return base;
            case INT8: return base - 125;
            case UINT16: return base * 257;
            case INT16: return base * 100 - 12500;
            case UINT32: return base * (1L << 24) + 7;
            case INT32: return base * 8000000 - 1000000000;
            case FLOAT32: return (float) (base * 0.25 - 3.5);
            default: return base / 3.0;
        }
    }
}
