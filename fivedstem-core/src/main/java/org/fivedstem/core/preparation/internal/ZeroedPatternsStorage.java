/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation.internal;

import java.io.IOException;
import java.util.BitSet;
import java.util.OptionalLong;

import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.PatternVisitor;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;

/**
 * A storage that delivers some patterns as all zeros: the analysis kernels treat a pattern whose
 * annulus mean is 0 as blank (left out of g and V, and counted), so zeroing is how excluded
 * patterns are taken out without touching the kernels. Reads the underlying storage as usual.
 */
public final class ZeroedPatternsStorage extends StorageView {

    private final BitSet zeroed;

    /**
     * @param source the storage
     * @param zeroed patterns to zero, index {@code (t·scanY + y)·scanX + x} in storage coordinates
     */
    public ZeroedPatternsStorage(PatternStorage source, BitSet zeroed) {
        super(source, source.shape());
        this.zeroed = (BitSet) zeroed.clone();
    }



    /** Delivers the source's values, or zeros: counts within the source's limit (so the engine's float path applies through this view). */
    @Override
    public OptionalLong countLimit() {
        return source.countLimit();
    }

    @Override
    public String description() {
        return source.description() + ", " + zeroed.cardinality() + " patterns excluded";
    }

    @Override
    public void visit(Selection s, PatternVisitor visitor) throws IOException {
        double[] zeros = new double[shape.patternSize()];
        int sy = shape.scanY();
        int sx = shape.scanX();
        source.visit(s, (t, y, x, p) -> {
            int index = ((s.frameStart() + t) * sy + s.yStart() + y) * sx + s.xStart() + x;
            visitor.accept(t, y, x, zeroed.get(index) ? zeros : p);
        });
    }

    /**
     * @param t frame, in storage coordinates
     * @param y scan row
     * @param x scan column
     * @return whether this view delivers the pattern as zeros (it is excluded)
     */
    public boolean isZeroed(int t, int y, int x) {
        return zeroed.get((t * shape.scanY() + y) * shape.scanX() + x);
    }

    /** Forwards to the source's pixel-subset read (which may decode only those pixels). */
    @Override
    public void visitPixels(Selection s, int[] pixelIndices, PatternVisitor visitor) throws IOException {
        int[] idx = PatternStorage.checkedPixels(pixelIndices, shape.patternSize());
        double[] zeros = new double[idx.length];
        int sy = shape.scanY();
        int sx = shape.scanX();
        source.visitPixels(s, idx, (t, y, x, p) -> {
            int index = ((s.frameStart() + t) * sy + s.yStart() + y) * sx + s.xStart() + x;
            visitor.accept(t, y, x, zeroed.get(index) ? zeros : p);
        });
    }

}
