/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api.internal;

import java.util.Locale;

/**
 * Argument checks whose messages name the parameter, its value and the rule, formatted with
 * {@link Locale#ROOT} (the convention of Apache Commons Numbers). Every check is written so that
 * NaN fails it.
 *
 * <p>Not part of the public API: the package {@code org.fivedstem.api.internal} may change
 * without notice. Core and io use it so that all modules phrase their messages alike.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * Formats a message with {@link Locale#ROOT}.
     *
     * @param format the format string
     * @param args the arguments
     * @return the message
     */
    public static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /**
     * Requires a finite, strictly positive value.
     *
     * @param name the parameter name as users know it, with its unit, e.g. {@code "tauSeconds"}
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException if the value is not finite or not &gt; 0
     */
    public static double positive(String name, double value) {
        if (!(value > 0) || value == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(format("%s is not a finite, strictly positive number: %s", name, value));
        }
        return value;
    }

    /**
     * Requires a finite value.
     *
     * @param name the parameter name
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException if the value is NaN or infinite
     */
    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(format("%s is not finite: %s", name, value));
        }
        return value;
    }

    /**
     * Requires a finite value that is not negative.
     *
     * @param name the parameter name
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException if the value is NaN, infinite or &lt; 0
     */
    public static double nonNegative(String name, double value) {
        if (!(value >= 0) || value == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(format("%s is not a finite, non-negative number: %s", name, value));
        }
        return value;
    }

    /**
     * Requires a strictly positive integer.
     *
     * @param name the parameter name
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException if the value is &lt; 1
     */
    public static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(format("%s is not strictly positive: %d", name, value));
        }
        return value;
    }

    /**
     * Requires {@code 0 <= index < size}.
     *
     * @param name the index name
     * @param index the index
     * @param size the exclusive upper bound
     * @return the index
     * @throws IndexOutOfBoundsException if the index is outside {@code [0, size)}
     */
    public static int index(String name, int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(format("%s is outside [0, %d): %d", name, size, index));
        }
        return index;
    }

    /**
     * Requires a half-open range {@code [start, end)} with {@code 0 <= start < end <= size}.
     *
     * @param name the range name, e.g. {@code "scanY"}
     * @param start the first index, inclusive
     * @param end the last index, exclusive
     * @param size the extent of the axis
     * @throws IllegalArgumentException if the range is empty, reversed or outside the axis
     */
    public static void range(String name, int start, int end, int size) {
        if (start < 0 || end > size || start >= end) {
            throw new IllegalArgumentException(
                format("%s range [%d, %d) is not a non-empty range within [0, %d)", name, start, end, size));
        }
    }

    /**
     * Requires two array lengths to be equal.
     *
     * @param name the name of the second array
     * @param expected the required length
     * @param actual the length found
     * @throws IllegalArgumentException if the lengths differ
     */
    public static void length(String name, int expected, int actual) {
        if (expected != actual) {
            throw new IllegalArgumentException(format("%s has length %d, expected %d", name, actual, expected));
        }
    }

    /**
     * For reading a recording as {@code float}: its count limit must be present and at most
     * {@code exactLimit} (2²⁴, up to which float holds every whole number).
     *
     * @param countLimit the recording's count limit
     * @param exactLimit the largest limit allowed
     * @param what the recording, for the message
     * @throws IllegalStateException otherwise, naming the recording and its limit
     */
    public static void floatExact(java.util.OptionalLong countLimit, long exactLimit, String what) {
        if (countLimit.isEmpty() || countLimit.getAsLong() > exactLimit) {
            throw new IllegalStateException(format(
                "%s: values are not whole counts of at most %d (count limit %s), which float would round; read them as double",
                what, exactLimit, countLimit.isEmpty() ? "none" : Long.toString(countLimit.getAsLong())));
        }
    }
}
