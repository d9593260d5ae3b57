/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import java.util.BitSet;
import java.util.Objects;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.preparation.internal.ZeroedPatternsStorage;

/**
 * Which patterns of a recording are left out of the analysis (blanked beam, dimmed or flashed
 * patterns), by reason, and the dataset view that leaves them out.
 *
 * <p>Left out means <i>delivered as all zeros</i>: the correlation and speckle-variance kernels
 * treat a pattern whose annulus mean is exactly 0 as blank — every frame pair containing it is
 * dropped from g(t), its V is NaN and not averaged, and it is counted in the blank-frame counts of
 * the results. Immutable.
 */
public final class FrameExclusion {

    /** Why a pattern was excluded. */
    public enum Reason {
        /** Total intensity (almost) zero: the beam was blanked. */
        BLANK,
        /** Total intensity far below the position's usual level. */
        DIM,
        /** Total intensity far above the position's usual level: a flash, a cosmic-ray shower. */
        FLASH
    }

    private final Shape5D shape;
    private final BitSet blank;
    private final BitSet dim;
    private final BitSet flash;

    private FrameExclusion(Shape5D shape, BitSet blank, BitSet dim, BitSet flash) {
        this.shape = shape;
        this.blank = blank;
        this.dim = dim;
        this.flash = flash;
    }

    /**
     * @param shape the recording's shape
     * @return an exclusion of nothing
     */
    public static FrameExclusion none(Shape5D shape) {
        return new FrameExclusion(Objects.requireNonNull(shape, "shape"), new BitSet(), new BitSet(), new BitSet());
    }

    /**
     * @param shape the recording's shape
     * @param blank blanked patterns, index {@code (t·scanY + y)·scanX + x} (copied)
     * @param dim dimmed patterns (copied)
     * @param flash flashed patterns (copied)
     * @return the exclusion
     */
    public static FrameExclusion of(Shape5D shape, BitSet blank, BitSet dim, BitSet flash) {
        Objects.requireNonNull(shape, "shape");
        long n = shape.patternCount();
        for (BitSet b : new BitSet[] {blank, dim, flash}) {
            if (b.length() > n) {
                throw new IllegalArgumentException(Checks.format("pattern index %d is outside the %d patterns of %s",
                    b.length() - 1, n, shape));
            }
        }
        return new FrameExclusion(shape, (BitSet) blank.clone(), (BitSet) dim.clone(), (BitSet) flash.clone());
    }

    /**
     * @param shape the recording's shape
     * @param frames whole frames (time steps) to exclude, e.g. chosen by the user
     * @return the exclusion of every pattern of these frames, reason {@link Reason#BLANK}
     */
    public static FrameExclusion ofFrames(Shape5D shape, int... frames) {
        BitSet b = new BitSet();
        int per = shape.positionCount();
        for (int t : frames) {
            Checks.index("frame", t, shape.frames());
            b.set(t * per, (t + 1) * per);
        }
        return new FrameExclusion(shape, b, new BitSet(), new BitSet());
    }

    /** @return the shape of the recording */
    public Shape5D shape() {
        return shape;
    }

    /**
     * @param frame frame index
     * @param y scan row
     * @param x scan column
     * @return whether the pattern is excluded, for any reason
     */
    public boolean isExcluded(int frame, int y, int x) {
        int i = index(frame, y, x);
        return blank.get(i) || dim.get(i) || flash.get(i);
    }

    /**
     * @param frame frame index
     * @param y scan row
     * @param x scan column
     * @return why the pattern is excluded, or null if it is not
     */
    public Reason reason(int frame, int y, int x) {
        int i = index(frame, y, x);
        return blank.get(i) ? Reason.BLANK : dim.get(i) ? Reason.DIM : flash.get(i) ? Reason.FLASH : null;
    }

    private int index(int frame, int y, int x) {
        Checks.index("frame", frame, shape.frames());
        Checks.index("y", y, shape.scanY());
        Checks.index("x", x, shape.scanX());
        return (frame * shape.scanY() + y) * shape.scanX() + x;
    }

    private BitSet all() {
        BitSet a = (BitSet) blank.clone();
        a.or(dim);
        a.or(flash);
        return a;
    }

    /** @return number of excluded patterns */
    public int excludedCount() {
        return all().cardinality();
    }

    /**
     * @param reason a reason
     * @return number of patterns excluded for it
     */
    public int count(Reason reason) {
        switch (reason) {
            case BLANK:
                return blank.cardinality();
            case DIM:
                return dim.cardinality();
            default:
                return flash.cardinality();
        }
    }

    /** @return for each frame, how many of its patterns are excluded */
    public int[] excludedPerFrame() {
        int[] c = new int[shape.frames()];
        int per = shape.positionCount();
        BitSet a = all();
        for (int i = a.nextSetBit(0); i >= 0; i = a.nextSetBit(i + 1)) {
            c[i / per]++;
        }
        return c;
    }

    /** @return frames in which at least half of the patterns are excluded, ascending */
    public int[] badFrames() {
        int[] per = excludedPerFrame();
        int n = shape.positionCount();
        return java.util.stream.IntStream.range(0, per.length).filter(t -> 2L * per[t] >= n && per[t] > 0).toArray();
    }

    /**
     * @param other an exclusion of the same recording
     * @return the patterns excluded by either (reasons of this one first)
     */
    public FrameExclusion or(FrameExclusion other) {
        if (!other.shape.equals(shape)) {
            throw new IllegalArgumentException("exclusions of " + shape + " and " + other.shape + " cannot be combined");
        }
        BitSet b = (BitSet) blank.clone();
        b.or(other.blank);
        BitSet d = (BitSet) dim.clone();
        d.or(other.dim);
        d.andNot(b);
        BitSet f = (BitSet) flash.clone();
        f.or(other.flash);
        f.andNot(b);
        f.andNot(d);
        return new FrameExclusion(shape, b, d, f);
    }

    /**
     * The view of a whole recording in which the excluded patterns are all zeros (so the kernels
     * treat them as blank). Apply it to the unbinned, uncropped dataset, then crop and bin.
     *
     * @param dataset the recording as opened: the whole storage, not binned
     * @return the view with the same calibration and mask
     * @throws IllegalArgumentException if the dataset is a cropped, time-ranged or binned view, or
     *     of another shape
     */
    public Dataset5D applyTo(Dataset5D dataset) {
        Objects.requireNonNull(dataset, "dataset");
        if (dataset.binFactor() != 1 || !dataset.selection().equals(Selection.all(dataset.storage().shape()))) {
            throw new IllegalArgumentException("frame exclusion applies to the whole unbinned recording; apply it before crop, "
                + "timeRange or bin (dataset: " + dataset.shape() + ", view of " + dataset.selection() + ", bin "
                + dataset.binFactor() + ")");
        }
        if (!dataset.shape().equals(shape)) {
            throw new IllegalArgumentException("exclusion of " + shape + " does not fit the dataset " + dataset.shape());
        }
        BitSet a = all();
        if (a.isEmpty()) {
            return dataset;
        }
        return Dataset5D.of(new ZeroedPatternsStorage(dataset.storage(), a), dataset.calibration())
            .withMask(dataset.mask().orElse(null));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameExclusion && ((FrameExclusion) o).shape.equals(shape) && ((FrameExclusion) o).blank.equals(blank)
            && ((FrameExclusion) o).dim.equals(dim) && ((FrameExclusion) o).flash.equals(flash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(shape, blank, dim, flash);
    }

    @Override
    public String toString() {
        return Checks.format("FrameExclusion[%d of %d patterns: %d blank, %d dim, %d flash; %d bad frames]", excludedCount(),
            shape.patternCount(), blank.cardinality(), dim.cardinality(), flash.cardinality(), badFrames().length);
    }
}
