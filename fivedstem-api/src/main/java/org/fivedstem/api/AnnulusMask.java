/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.fivedstem.api.internal.Checks;

/**
 * The diffraction pixels over which the paper's azimuthal averages ⟨…⟩φ run: every valid pixel
 * whose {@code |Q|} lies in {@code qMin ≤ |Q| < qMax}, optionally split into several Q bins.
 *
 * <p>{@code |Q|} of pixel {@code (i, j)} is the distance of its centre {@code (i, j)} from the
 * pattern centre times the pixel size ({@link Calibration#qInverseNm}). Pixels masked out by the
 * {@link DetectorMask} (beam-stop shadow, hot or dead pixels) never belong to an annulus.
 *
 * <p>Pixel indices are row-major ({@code i * kx + j}) and ascending within each bin; bins do not
 * overlap and are ascending in Q. Immutable.
 */
public final class AnnulusMask {

    private final int ky;
    private final int kx;
    private final QRange[] bins;
    private final int[][] binPixels;
    private final int[] allPixels;
    private final int[] binOfAll;

    private AnnulusMask(int ky, int kx, QRange[] bins, int[][] binPixels) {
        this.ky = ky;
        this.kx = kx;
        this.bins = bins;
        this.binPixels = binPixels;
        int n = 0;
        for (int[] p : binPixels) {
            n += p.length;
        }
        long[] merged = new long[n];
        int k = 0;
        for (int b = 0; b < binPixels.length; b++) {
            for (int p : binPixels[b]) {
                merged[k++] = ((long) p << 32) | b;
            }
        }
        Arrays.sort(merged);
        this.allPixels = new int[n];
        this.binOfAll = new int[n];
        for (int i = 0; i < n; i++) {
            allPixels[i] = (int) (merged[i] >>> 32);
            binOfAll[i] = (int) merged[i];
        }
    }

    /**
     * The annulus of one Q range on a dataset's (binned) patterns, with its calibration and mask.
     *
     * @param dataset the dataset whose patterns the annulus selects from
     * @param range the Q range in nm⁻¹
     * @return the annulus
     * @throws IllegalArgumentException if no valid pixel lies in the range; the message says what
     *     range the pattern's valid pixels cover
     */
    public static AnnulusMask of(Dataset5D dataset, QRange range) {
        return of(dataset, range, 1);
    }

    /**
     * An annulus split into {@code bins} equal-width Q bins (for g(Q, t) or V(Q)).
     *
     * @param dataset the dataset whose patterns the annulus selects from
     * @param range the overall Q range in nm⁻¹
     * @param bins number of bins (&ge; 1)
     * @return the annulus
     * @throws IllegalArgumentException if a bin holds no valid pixel
     */
    public static AnnulusMask of(Dataset5D dataset, QRange range, int bins) {
        Shape5D s = dataset.shape();
        return of(s.ky(), s.kx(), dataset.calibration(), dataset.mask().orElse(null), Arrays.asList(range.split(bins)));
    }

    /**
     * The general factory.
     *
     * @param ky pattern rows
     * @param kx pattern columns
     * @param calibration gives the pixel size and pattern centre
     * @param mask valid pixels, or {@code null} for all
     * @param ranges one or more non-overlapping Q ranges (bins), in any order
     * @return the annulus, bins ascending in Q
     * @throws IllegalArgumentException if ranges overlap or a range holds no valid pixel
     */
    public static AnnulusMask of(int ky, int kx, Calibration calibration, DetectorMask mask, List<QRange> ranges) {
        Checks.positive("ky", ky);
        Checks.positive("kx", kx);
        Objects.requireNonNull(calibration, "calibration");
        Objects.requireNonNull(ranges, "ranges");
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("ranges is empty; expected at least one Q range");
        }
        if (mask != null && (mask.ky() != ky || mask.kx() != kx)) {
            throw new IllegalArgumentException(Checks.format(
                "mask of %d×%d pixels does not match the %d×%d patterns", mask.ky(), mask.kx(), ky, kx));
        }
        QRange[] sorted = ranges.toArray(new QRange[0]);
        for (QRange r : sorted) {
            Objects.requireNonNull(r, "Q range");
        }
        Arrays.sort(sorted, Comparator.comparingDouble(QRange::qMinInverseNm));
        for (int b = 1; b < sorted.length; b++) {
            if (sorted[b].qMinInverseNm() < sorted[b - 1].qMaxInverseNm()) {
                throw new IllegalArgumentException("Q ranges " + sorted[b - 1] + " and " + sorted[b] + " overlap");
            }
        }
        List<List<Integer>> members = new ArrayList<>();
        for (int b = 0; b < sorted.length; b++) {
            members.add(new ArrayList<>());
        }
        double qLo = Double.POSITIVE_INFINITY;
        double qHi = 0;
        for (int i = 0; i < ky; i++) {
            for (int j = 0; j < kx; j++) {
                int idx = i * kx + j;
                if (mask != null && !mask.isValid(idx)) {
                    continue;
                }
                double q = calibration.qInverseNm(i, j);
                qLo = Math.min(qLo, q);
                qHi = Math.max(qHi, q);
                for (int b = 0; b < sorted.length; b++) {
                    if (sorted[b].contains(q)) {
                        members.get(b).add(idx);
                        break;
                    }
                }
            }
        }
        int[][] binPixels = new int[sorted.length][];
        for (int b = 0; b < sorted.length; b++) {
            List<Integer> m = members.get(b);
            if (m.isEmpty()) {
                String where = qHi == 0 && qLo == Double.POSITIVE_INFINITY
                    ? "the pattern has no valid pixel at all"
                    : Checks.format("the valid pixels cover |Q| from %.3g to %.3g nm⁻¹", qLo, qHi);
                String side = sorted[b].qMinInverseNm() > qHi ? " (the range lies beyond the pattern)" : "";
                throw new IllegalArgumentException(Checks.format(
                    "annulus %s holds no valid pixel%s: %s (%d×%d pixels of %.4g nm⁻¹, centre (%.2f, %.2f) px)",
                    sorted[b], side, where, ky, kx, calibration.pixelSizeInverseNm(),
                    calibration.centerKyPx(), calibration.centerKxPx()));
            }
            binPixels[b] = m.stream().mapToInt(Integer::intValue).toArray();
        }
        return new AnnulusMask(ky, kx, sorted, binPixels);
    }

    /** @return pattern rows the annulus was built for */
    public int ky() {
        return ky;
    }

    /** @return pattern columns the annulus was built for */
    public int kx() {
        return kx;
    }

    /** @return number of Q bins */
    public int binCount() {
        return bins.length;
    }

    /** @return the whole Q range, from the first bin's qMin to the last bin's qMax */
    public QRange range() {
        return QRange.of(bins[0].qMinInverseNm(), bins[bins.length - 1].qMaxInverseNm());
    }

    /**
     * @param bin bin index
     * @return the bin's Q range
     */
    public QRange bin(int bin) {
        return bins[Checks.index("bin", bin, bins.length)];
    }

    /** @return number of pixels in all bins */
    public int pixelCount() {
        return allPixels.length;
    }

    /**
     * @param bin bin index
     * @return number of pixels in the bin
     */
    public int pixelCount(int bin) {
        return binPixels[Checks.index("bin", bin, bins.length)].length;
    }

    /** @return row-major indices of all pixels, ascending (a copy) */
    public int[] pixelIndices() {
        return allPixels.clone();
    }

    /**
     * @param bin bin index
     * @return row-major indices of the bin's pixels, ascending (a copy)
     */
    public int[] pixelIndices(int bin) {
        return binPixels[Checks.index("bin", bin, bins.length)].clone();
    }

    /**
     * @return for each pixel of {@link #pixelIndices()}, in the same order, the bin it belongs to
     *     (a copy)
     */
    public int[] binOfPixels() {
        return binOfAll.clone();
    }

    /**
     * @param ky pixel row
     * @param kx pixel column
     * @return whether the pixel belongs to the annulus
     */
    public boolean contains(int ky, int kx) {
        Checks.index("ky", ky, this.ky);
        Checks.index("kx", kx, this.kx);
        return Arrays.binarySearch(allPixels, ky * this.kx + kx) >= 0;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AnnulusMask)) {
            return false;
        }
        AnnulusMask a = (AnnulusMask) o;
        return ky == a.ky && kx == a.kx && Arrays.equals(bins, a.bins) && Arrays.deepEquals(binPixels, a.binPixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ky, kx, Arrays.hashCode(bins), Arrays.deepHashCode(binPixels));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("AnnulusMask[").append(range());
        sb.append(Checks.format(", %d pixels of a %d×%d pattern", allPixels.length, ky, kx));
        if (bins.length > 1) {
            sb.append(Checks.format(", %d bins of", bins.length));
            for (int b = 0; b < bins.length && b < 4; b++) {
                sb.append(' ').append(binPixels[b].length);
            }
            if (bins.length > 4) {
                sb.append(" …");
            }
            sb.append(" pixels");
        }
        return sb.append(']').toString();
    }
}
