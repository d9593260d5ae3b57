/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Splitting an index range over worker threads, as the engine and the mappers do: small chunks
 * for load balance, failures of a worker rethrown on the caller. Which thread runs a chunk never
 * changes its result, so callers stay bit-identical for any thread count. The executors come
 * from {@link Threads}; streams of batches go through {@link BatchPipeline} instead.
 *
 * <p>Not part of the public API.
 */
public final class ParallelRanges {

    private ParallelRanges() {
    }

    /** Work on the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        /**
         * @param from first index, inclusive
         * @param to last index, exclusive
         */
        void run(int from, int to);
    }

    /**
     * Submits {@code [0, n)} in chunks of about {@code n / (8·threads)} to an executor, or runs it
     * here when there is none.
     *
     * @param n the range's size
     * @param executor the workers, or {@code null} to run on this thread
     * @param threads how many workers the executor has
     * @param body the work
     * @param pending receives the futures of the submitted chunks. <i>Modified.</i>
     */
    public static void submit(int n, ExecutorService executor, int threads, Range body, List<Future<?>> pending) {
        if (executor == null || n < 2) {
            body.run(0, n);
            return;
        }
        int chunk = Math.max(1, n / (threads * 8));
        for (int from = 0; from < n; from += chunk) {
            int f = from;
            int to = Math.min(n, from + chunk);
            pending.add(executor.submit(() -> body.run(f, to)));
        }
    }

    /**
     * Runs {@code [0, n)} on an executor (or here) and waits for it.
     *
     * @param n the range's size
     * @param executor the workers, or {@code null}
     * @param threads how many workers the executor has
     * @param body the work
     */
    public static void run(int n, ExecutorService executor, int threads, Range body) {
        List<Future<?>> pending = new ArrayList<>();
        submit(n, executor, threads, body, pending);
        await(pending);
    }

    /**
     * Waits for futures and clears the list; a worker's exception is rethrown here (runtime
     * exceptions and errors as they are, checked ones wrapped in {@link IllegalStateException}).
     *
     * @param pending the futures. <i>Modified.</i>
     */
    public static void await(List<Future<?>> pending) {
        for (Future<?> f : pending) {
            get(f);
        }
        pending.clear();
    }

    /**
     * @param f a future
     * @throws RuntimeException the worker's exception, if it failed
     */
    private static void get(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for workers", e);
        } catch (ExecutionException e) {
            throw BatchPipeline.unchecked(e.getCause());
        }
    }
}
