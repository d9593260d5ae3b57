/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation.internal;

import java.io.IOException;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.Shape5D;

/**
 * A storage that presents another one differently — some patterns excluded, positions shifted or
 * resampled — in the source's axis order; closing it closes the source. Subclasses read through
 * {@link #source} and must override both {@code visit} and {@code visitPixels}, so that pixel-subset
 * reads reach the source's own (cheaper) subset path.
 */
abstract class StorageView implements PatternStorage {

    /** The storage presented. */
    protected final PatternStorage source;
    /** The view's shape. */
    protected final Shape5D shape;

    StorageView(PatternStorage source, Shape5D shape) {
        this.source = source;
        this.shape = shape;
    }

    @Override
    public final Shape5D shape() {
        return shape;
    }

    @Override
    public final AxisOrder axisOrder() {
        return source.axisOrder();
    }

    @Override
    public final void close() throws IOException {
        source.close();
    }
}
