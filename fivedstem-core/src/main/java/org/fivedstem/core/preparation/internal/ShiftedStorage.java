/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation.internal;

import java.io.IOException;
import java.util.OptionalLong;

import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.PatternVisitor;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;

/**
 * A storage whose position {@code (y, x)} at frame {@code t} is the source's
 * {@code (y + offY[t], x + offX[t])}: whole-step drift correction by re-indexing, with the scan
 * cropped so that every frame's source position exists. A selection is read as one box of the
 * source that covers it for all its frames (each source pattern at most once per visit), and each
 * pattern is routed to its corrected position or dropped; the extra read is the drift range.
 */
public final class ShiftedStorage extends StorageView {

    private final int[] offY;
    private final int[] offX;

    /**
     * @param source the storage (frames as the offsets)
     * @param offY per-frame source row of corrected row 0 (≥ 0)
     * @param offX per-frame source column of corrected column 0 (≥ 0)
     * @param scanY corrected rows (every {@code offY[t] + scanY ≤ source rows})
     * @param scanX corrected columns
     */
    public ShiftedStorage(PatternStorage source, int[] offY, int[] offX, int scanY, int scanX) {
        super(source, Shape5D.of(source.shape().frames(), scanY, scanX, source.shape().ky(), source.shape().kx()));
        this.offY = offY.clone();
        this.offX = offX.clone();
    }



    /** Delivers the source's patterns, re-indexed: the source's counts (so the engine's float path applies through this view). */
    @Override
    public OptionalLong countLimit() {
        return source.countLimit();
    }

    @Override
    public String description() {
        return source.description() + ", drift-corrected " + shape.scanY() + "×" + shape.scanX() + " field of view";
    }

    @Override
    public void visit(Selection s, PatternVisitor visitor) throws IOException {
        route(s, null, visitor);
    }

    /** Reads through the source's own pixel-subset path (the annulus only, for storages that decode subsets). */
    @Override
    public void visitPixels(Selection s, int[] pixelIndices, PatternVisitor visitor) throws IOException {
        route(s, PatternStorage.checkedPixels(pixelIndices, shape.patternSize()), visitor);
    }

    private void route(Selection s, int[] pixels, PatternVisitor visitor) throws IOException {
        if (!s.fitsIn(shape)) {
            throw new IllegalArgumentException("selection " + s + " does not fit " + shape);
        }
        int minY = Integer.MAX_VALUE;
        int maxY = Integer.MIN_VALUE;
        int minX = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        for (int t = s.frameStart(); t < s.frameEnd(); t++) {
            minY = Math.min(minY, offY[t]);
            maxY = Math.max(maxY, offY[t]);
            minX = Math.min(minX, offX[t]);
            maxX = Math.max(maxX, offX[t]);
        }
        Selection box = new Selection(s.frameStart(), s.frameEnd(), s.yStart() + minY, s.yEnd() + maxY,
            s.xStart() + minX, s.xEnd() + maxX);
        int rows = s.rows();
        int cols = s.columns();
        PatternVisitor router = (t, y, x, p) -> {
            int frame = s.frameStart() + t;
            int cy = box.yStart() + y - offY[frame] - s.yStart();
            int cx = box.xStart() + x - offX[frame] - s.xStart();
            if (cy >= 0 && cy < rows && cx >= 0 && cx < cols) {
                visitor.accept(t, cy, cx, p);
            }
        };
        if (pixels == null) {
            source.visit(box, router);
        } else {
            source.visitPixels(box, pixels, router);
        }
    }

}
