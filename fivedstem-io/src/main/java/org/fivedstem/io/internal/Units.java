/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

/**
 * Conversion of the unit strings that files attach to a scale (HyperSpy axes, EMD dims, py4DSTEM
 * calibration, Gatan DM calibrations, Dectris NeXus {@code units} attributes), into the project's units: nm for lengths, nm⁻¹ for reciprocal
 * lengths, seconds for times. Unknown or non-physical units ("pixels", "mrad", "_None_") give NaN,
 * so the value is left unset and the user is asked for it rather than given a wrong number.
 *
 * <p>Spellings accepted (case of the prefix letters matters: "mm" is not "Mm"): plain symbols
 * ({@code nm}, {@code Å}, {@code A}, {@code pm}, {@code µm}/{@code um}, {@code m}), reciprocal
 * forms {@code 1/nm}, {@code nm^-1}, {@code nm⁻¹}, {@code 1 / Å}, and the EMD 0.x bracket form
 * {@code [n_m]}, {@code [n_m^-1]} written by Prismatic and RosettaSciIO.
 */
final class Units {

    private Units() {
    }

    /**
     * @param unit a length unit, e.g. {@code "nm"}, {@code "Å"}, {@code "A"}, {@code "[n_m]"}
     * @return nm per unit (Å → 0.1), or NaN if not a length
     */
    static double nmPer(String unit) {
        String u = normalise(unit);
        if (u == null) {
            return Double.NaN;
        }
        return lengthNm(u);
    }

    /**
     * @param unit a reciprocal length unit, e.g. {@code "1/nm"}, {@code "1/Å"}, {@code "A^-1"}
     * @return nm⁻¹ per unit (1/Å → 10, 1/pm → 1000), or NaN if not a reciprocal length
     */
    static double inverseNmPer(String unit) {
        String u = normalise(unit);
        if (u == null) {
            return Double.NaN;
        }
        String length = null;
        if (u.startsWith("1/")) {
            length = u.substring(2);
        } else if (u.endsWith("^-1")) {
            length = u.substring(0, u.length() - 3);
        } else if (u.endsWith("-1")) {
            length = u.substring(0, u.length() - 2);   // "nm-1" after ⁻¹ was normalised
        }
        if (length == null || length.isEmpty()) {
            return Double.NaN;
        }
        double nm = lengthNm(length);
        return 1 / nm;
    }

    /**
     * @param unit a time unit: {@code s}, {@code ms}, {@code µs}/{@code us}, {@code ns}, {@code min}
     * @return seconds per unit, or NaN if not a time
     */
    static double secondsPer(String unit) {
        String u = normalise(unit);
        if (u == null) {
            return Double.NaN;
        }
        switch (u) {
            case "s": case "sec": case "second": case "seconds": return 1;
            case "ms": return 1e-3;
            case "us": return 1e-6;
            case "ns": return 1e-9;
            case "min": return 60;
            default: return Double.NaN;
        }
    }

    /** Removes spaces, brackets and underscores, writes µ as u and Å as A, ⁻¹ as ^-1; null for "no unit". */
    private static String normalise(String unit) {
        if (unit == null) {
            return null;
        }
        String u = unit.trim();
        if (u.isEmpty() || u.equals("_None_") || u.equalsIgnoreCase("none") || u.equals("<undefined>")) {
            return null;
        }
        u = u.replace(" ", "").replace("[", "").replace("]", "").replace("_", "")
            .replace('µ', 'u').replace('μ', 'u').replace('Å', 'A').replace('Å', 'A')
            .replace("⁻¹", "^-1").replace("**", "^");
        return u;
    }

    private static double lengthNm(String u) {
        switch (u) {
            case "m": case "meter": case "metre": case "meters": case "metres": return 1e9;
            case "mm": return 1e6;
            case "um": case "micron": case "microns": return 1e3;
            case "nm": return 1;
            case "A": case "Ang": case "Angstrom": case "angstrom": return 0.1;
            case "pm": return 1e-3;
            default: return Double.NaN;
        }
    }
}
