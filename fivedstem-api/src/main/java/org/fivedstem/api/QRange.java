/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import org.fivedstem.api.internal.Checks;

/**
 * A range of scattering vector magnitudes {@code qMin ≤ |Q| < qMax} in nm⁻¹.
 *
 * @param qMinInverseNm lower bound in nm⁻¹, inclusive (finite, &ge; 0)
 * @param qMaxInverseNm upper bound in nm⁻¹, exclusive (finite, &gt; qMin)
 */
public record QRange(double qMinInverseNm, double qMaxInverseNm) {

    /**
     * Validates the bounds.
     *
     * @param qMinInverseNm lower bound in nm⁻¹, inclusive (finite, &ge; 0)
     * @param qMaxInverseNm upper bound in nm⁻¹, exclusive (finite, &gt; qMin)
     */
    public QRange {
        Checks.nonNegative("qMinInverseNm", qMinInverseNm);
        Checks.finite("qMaxInverseNm", qMaxInverseNm);
        if (!(qMaxInverseNm > qMinInverseNm)) {
            throw new IllegalArgumentException(Checks.format(
                "Q range %s–%s nm⁻¹ is empty or reversed: qMax must be greater than qMin", qMinInverseNm, qMaxInverseNm));
        }
    }

    /**
     * @param qMinInverseNm lower bound in nm⁻¹, inclusive
     * @param qMaxInverseNm upper bound in nm⁻¹, exclusive
     * @return the range
     */
    public static QRange of(double qMinInverseNm, double qMaxInverseNm) {
        return new QRange(qMinInverseNm, qMaxInverseNm);
    }

    /**
     * Parses {@code "QMIN:QMAX"}, e.g. {@code "4.2:4.6"}.
     *
     * @param text the range
     * @return the range
     * @throws IllegalArgumentException if the text is not two numbers separated by a colon, or the range is invalid
     */
    public static QRange parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(":", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException(Checks.format("Q range '%s' is not of the form QMIN:QMAX (nm⁻¹)", text));
        }
        try {
            return of(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(Checks.format("Q range '%s' is not of the form QMIN:QMAX (nm⁻¹)", text), e);
        }
    }

    /**
     * @param q a magnitude in nm⁻¹
     * @return whether {@code qMin ≤ q < qMax}
     */
    public boolean contains(double q) {
        return q >= qMinInverseNm && q < qMaxInverseNm;
    }

    /** @return the middle of the range in nm⁻¹ */
    public double centerInverseNm() {
        return 0.5 * (qMinInverseNm + qMaxInverseNm);
    }

    /**
     * Splits the range into equal-width bins.
     *
     * @param bins number of bins (&ge; 1)
     * @return the bins, ascending
     */
    public QRange[] split(int bins) {
        Checks.positive("bins", bins);
        QRange[] out = new QRange[bins];
        double w = (qMaxInverseNm - qMinInverseNm) / bins;
        for (int i = 0; i < bins; i++) {
            double lo = qMinInverseNm + i * w;
            double hi = i == bins - 1 ? qMaxInverseNm : qMinInverseNm + (i + 1) * w;
            out[i] = new QRange(lo, hi);
        }
        return out;
    }

    /** @return e.g. {@code 4.2–4.6 nm⁻¹}, to four significant digits */
    @Override
    public String toString() {
        return Checks.format("%.4g–%.4g nm⁻¹", qMinInverseNm, qMaxInverseNm);
    }
}
