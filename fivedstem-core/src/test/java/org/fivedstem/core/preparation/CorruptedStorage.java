/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.PatternVisitor;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;

/**
 * A storage with a detector's and a beam's faults injected: hot pixels (×factor), dead pixels
 * (always 0), stuck pixels (always a constant), blanked patterns (all 0) and flashed patterns
 * (×factor). Pattern keys are {@code (t·scanY + y)·scanX + x} in storage coordinates.
 */
final class CorruptedStorage implements PatternStorage {

    private final PatternStorage source;
    private final Set<Integer> hot;
    private final double hotFactor;
    private final Set<Integer> dead;
    private final Map<Integer, Double> stuck;
    private final Set<Integer> blank;
    private final Set<Integer> flash;
    private final double flashFactor;

    CorruptedStorage(PatternStorage source, Set<Integer> hot, double hotFactor, Set<Integer> dead, Map<Integer, Double> stuck,
                     Set<Integer> blank, Set<Integer> flash, double flashFactor) {
        this.source = source;
        this.hot = hot;
        this.hotFactor = hotFactor;
        this.dead = dead;
        this.stuck = stuck;
        this.blank = blank;
        this.flash = flash;
        this.flashFactor = flashFactor;
    }

    @Override
    public Shape5D shape() {
        return source.shape();
    }

    @Override
    public AxisOrder axisOrder() {
        return source.axisOrder();
    }

    @Override
    public String description() {
        return "corrupted " + source.description();
    }

    @Override
    public void visit(Selection s, PatternVisitor visitor) throws IOException {
        Shape5D sh = shape();
        double[] buf = new double[sh.patternSize()];
        source.visit(s, (t, y, x, p) -> {
            int key = ((s.frameStart() + t) * sh.scanY() + s.yStart() + y) * sh.scanX() + s.xStart() + x;
            for (int i = 0; i < buf.length; i++) {
                double v = p[i];
                if (hot.contains(i)) {
                    v *= hotFactor;
                }
                if (dead.contains(i)) {
                    v = 0;
                }
                if (stuck.containsKey(i)) {
                    v = stuck.get(i);
                }
                if (blank.contains(key)) {
                    v = 0;
                }
                if (flash.contains(key)) {
                    v *= flashFactor;
                }
                buf[i] = v;
            }
            visitor.accept(t, y, x, buf);
        });
    }
}
