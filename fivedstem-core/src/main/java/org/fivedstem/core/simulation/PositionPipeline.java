package org.fivedstem.core.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.fivedstem.api.internal.Checks;

/**
 * Generates a box of scan positions with several threads and delivers them in row-major order on
 * the calling thread. At most {@code 2·threads} positions are in flight, each in one of
 * {@code 2·threads + 1} pooled buffers, so memory is bounded whatever the recording's size.
 */
final class PositionPipeline {

    private PositionPipeline() {
    }

    static void run(SpeckleSimulation sim, int y0, int y1, int x0, int x1, int threads, PositionVisitor visitor)
        throws IOException {
        Checks.positive("threads", threads);
        int columns = x1 - x0;
        int count = (y1 - y0) * columns;
        if (threads == 1) {
            SpeckleGenerator gen = sim.newGenerator();
            double[] buffer = new double[gen.valuesPerPosition()];
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    gen.generate(y, x, buffer);
                    visitor.accept(y, x, buffer);
                }
            }
            return;
        }
        int window = 2 * threads;
        int values = sim.shape().frames() * sim.shape().patternSize();
        BlockingQueue<double[]> pool = new ArrayBlockingQueue<>(window + 1);
        for (int i = 0; i <= window; i++) {
            pool.add(new double[values]);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fivedstem-simulation-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<SpeckleGenerator> generators = ThreadLocal.withInitial(sim::newGenerator);
        ArrayDeque<Future<double[]>> inFlight = new ArrayDeque<>();
        try {
            int next = 0;
            for (int done = 0; done < count; done++) {
                while (next < count && inFlight.size() < window) {
                    int y = y0 + next / columns;
                    int x = x0 + next % columns;
                    inFlight.add(executor.submit(() -> {
                        double[] buffer = pool.take();
                        generators.get().generate(y, x, buffer);
                        return buffer;
                    }));
                    next++;
                }
                double[] buffer = await(inFlight.poll());
                int y = y0 + done / columns;
                int x = x0 + done % columns;
                visitor.accept(y, x, buffer);
                pool.add(buffer);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static double[] await(Future<double[]> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating simulated patterns", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new UncheckedIOException(new IOException("simulation worker failed", cause));
        }
    }
}
