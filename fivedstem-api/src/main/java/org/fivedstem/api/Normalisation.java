/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.Locale;

/**
 * How the intensity correlation g(t) is normalised.
 */
public enum Normalisation {
    /**
     * The paper's eqs. 1–2: G(t1, t2) = ⟨I(t1) I(t2)⟩φ / (⟨I(t1)⟩φ ⟨I(t2)⟩φ), the averages taken
     * over the annulus pixels at each time, then g(t) = mean over t1 of G(t1, t1 + t). Each frame
     * is normalised by its own annulus mean, so per-frame changes of dose cancel exactly.
     */
    ENSEMBLE,
    /**
     * The XPCS / electron-correlation-microscopy convention: per pixel,
     * Σ I(t1) I(t1 + t) / (T − t) divided by the product of the pixel's means over the two
     * overlapping windows [0, T − t) and [t, T), then averaged over the annulus pixels.
     *
     * <p>Biased low when the series is not many thousand τ long: the windows' means carry part of
     * the pixel's slow fluctuation, so τ fitted to this g is short — by a quarter at τ = T/20 and by
     * a factor of 3 at τ = T/2.4 on the paper's 106 frames (docs/dynamics.md). Use it to check for a
     * static uneven pattern, not to measure τ.
     */
    SYMMETRIC;

    /**
     * @param text {@code "ensemble"} or {@code "symmetric"}, case-insensitive
     * @return the normalisation
     */
    public static Normalisation parse(String text) {
        for (Normalisation n : values()) {
            if (n.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return n;
            }
        }
        throw new IllegalArgumentException("normalisation '" + text + "' is neither 'ensemble' nor 'symmetric'");
    }

    /** @return the lower-case name used in files and on the command line */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
