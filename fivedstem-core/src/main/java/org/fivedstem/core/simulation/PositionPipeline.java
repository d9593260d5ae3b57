/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation;

import java.io.IOException;

import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.internal.BatchPipeline;

/**
 * Generates a box of scan positions with several threads and delivers them in row-major order on
 * the calling thread. Each position is a batch of one in a {@link BatchPipeline}: at most
 * {@code 2·threads + 1} positions exist at once, each in a pooled buffer, so memory is bounded
 * whatever the recording's size. A visitor's {@link IOException} stops the generation and
 * propagates as it is.
 */
final class PositionPipeline {

    private PositionPipeline() {
    }

    /** One scan position's buffer: where it is and its generated time series. */
    private static final class Position extends BatchPipeline.Batch {
        final double[] values;
        int y;
        int x;

        Position(int values) {
            super(1);
            this.values = new double[values];
        }
    }

    static void run(SpeckleSimulation sim, int y0, int y1, int x0, int x1, int threads, PositionVisitor visitor)
        throws IOException {
        Checks.positive("threads", threads);
        int values = sim.shape().frames() * sim.shape().patternSize();
        // Generators hold workspaces and are not thread-safe: one per thread (with one thread, the
        // caller's).
        ThreadLocal<SpeckleGenerator> generators = ThreadLocal.withInitial(sim::newGenerator);
        try (BatchPipeline<Position, IOException> pipe = BatchPipeline.of("simulation", threads > 1 ? threads : 0,
                2 * threads + 1, () -> new Position(values),
                p -> generators.get().generate(p.y, p.x, p.values),
                p -> visitor.accept(p.y, p.x, p.values))) {
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    Position p = pipe.fill();
                    p.add();
                    p.y = y;
                    p.x = x;
                }
            }
            pipe.finish();
        }
    }
}
