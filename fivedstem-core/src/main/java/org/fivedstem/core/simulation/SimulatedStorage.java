/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation;

import java.io.IOException;
import java.util.Objects;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.PatternVisitor;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;

/**
 * A simulated recording that is never stored: {@link #visit} generates the patterns position by
 * position (axis order {@code y,x,t,ky,kx}, the simulator's natural order) with several threads
 * working ahead of the visitor, so a recording of any size streams through an analysis with
 * memory bounded by a few positions' time series. Every visit of a pattern returns the same values
 * (they depend only on the seed and the position).
 *
 * <p>Visiting a selection with fewer frames still generates each selected position's whole time
 * series (the circulant embedding needs it) and delivers the selected frames.
 */
public final class SimulatedStorage implements PatternStorage {

    private static final AxisOrder ORDER = AxisOrder.parse("y,x,t,ky,kx");

    private final SpeckleSimulation simulation;
    private final int threads;

    private SimulatedStorage(SpeckleSimulation simulation, int threads) {
        this.simulation = simulation;
        this.threads = threads;
    }

    /**
     * @param simulation the simulation
     * @return a storage generating with all available processors
     */
    public static SimulatedStorage of(SpeckleSimulation simulation) {
        return of(simulation, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param simulation the simulation
     * @param threads number of generating threads (&ge; 1)
     * @return the storage
     */
    public static SimulatedStorage of(SpeckleSimulation simulation, int threads) {
        return new SimulatedStorage(Objects.requireNonNull(simulation, "simulation"), Checks.positive("threads", threads));
    }

    /** @return the simulation behind this storage */
    public SpeckleSimulation simulation() {
        return simulation;
    }

    @Override
    public Shape5D shape() {
        return simulation.shape();
    }

    @Override
    public AxisOrder axisOrder() {
        return ORDER;
    }

    @Override
    public String description() {
        return Checks.format("simulated speckle (seed %d), generated on the fly, y,x,t,ky,kx, %d threads",
            simulation.seed(), threads);
    }

    @Override
    public void visit(Selection selection, PatternVisitor visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        Shape5D shape = shape();
        if (!selection.fitsIn(shape)) {
            throw new IllegalArgumentException("selection " + selection + " does not fit " + shape);
        }
        int n = shape.patternSize();
        double[] pattern = new double[n];
        PositionPipeline.run(simulation, selection.yStart(), selection.yEnd(), selection.xStart(), selection.xEnd(),
            threads, (y, x, frames) -> {
                for (int t = selection.frameStart(); t < selection.frameEnd(); t++) {
                    System.arraycopy(frames, t * n, pattern, 0, n);
                    visitor.accept(t - selection.frameStart(), y - selection.yStart(), x - selection.xStart(), pattern);
                }
            });
    }

    @Override
    public void readPattern(int frame, int y, int x, double[] destination) {
        Shape5D shape = shape();
        Checks.index("frame", frame, shape.frames());
        Checks.length("destination", shape.patternSize(), destination.length);
        SpeckleGenerator gen = simulation.newGenerator();
        double[] all = new double[gen.valuesPerPosition()];
        gen.generate(y, x, all);
        System.arraycopy(all, frame * shape.patternSize(), destination, 0, shape.patternSize());
    }

    @Override
    public String toString() {
        return "SimulatedStorage[" + shape() + ", " + description() + "]";
    }
}
