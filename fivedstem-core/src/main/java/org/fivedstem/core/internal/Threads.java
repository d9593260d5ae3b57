/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.fivedstem.api.internal.Checks;

/**
 * The one place where fivedstem-core makes threads, as EJML routes all its threading through one
 * class: every worker pool of the library is a {@link Pool} made here, so that all of them have
 * the same properties and a test can find them by name.
 *
 * <ul>
 *   <li>Threads are <b>daemon</b> threads: a pool left behind by a bug never keeps the JVM alive.</li>
 *   <li>Threads are named {@code fivedstem-<purpose>-<k>} ({@code k} from 1 within a pool), so a thread
 *       dump says which part of the library they work for.</li>
 *   <li>{@link Pool#close()} returns only once every thread the pool made has ended, so a caller that
 *       closes its pool in a {@code finally} (or try-with-resources) leaves no thread running behind
 *       it, after a failure as after success.</li>
 * </ul>
 *
 * <p>The pools are plain {@link ThreadPoolExecutor}s of {@code java.util.concurrent}: this class only
 * fixes how their threads are made and ended. (Java 17's {@code ExecutorService} is not
 * {@link AutoCloseable}, and its {@code shutdownNow} + {@code awaitTermination} return before the
 * worker threads have actually died; joining them is what {@link Pool#close()} adds.)
 *
 * <p>Not part of the public API.
 */
public final class Threads {

    /** The prefix of every thread name this class makes. */
    public static final String PREFIX = "fivedstem-";

    private Threads() {
    }

    /**
     * A fixed pool of {@code threads} daemon threads named {@code fivedstem-<purpose>-<k>}, started
     * as tasks arrive.
     *
     * @param purpose what the threads do, a short lower-case word or two ("analysis", "simulation")
     * @param threads the number of threads (&ge; 1)
     * @return the pool; close it
     * @throws IllegalArgumentException if {@code threads} &lt; 1
     */
    public static Pool pool(String purpose, int threads) {
        Checks.positive("threads", threads);
        return new Pool(purpose, threads, new CopyOnWriteArrayList<>());
    }

    /**
     * A fixed-size executor whose threads all end in {@link #close()}. Tasks are queued without
     * bound: callers bound what they submit (the batch pipeline and the range splitter submit a
     * fixed number of tasks).
     */
    public static final class Pool extends ThreadPoolExecutor implements AutoCloseable {

        private final List<Thread> made;

        private Pool(String purpose, int threads, List<Thread> made) {
            super(threads, threads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory(purpose, made));
            this.made = made;
        }

        private static ThreadFactory factory(String purpose, List<Thread> made) {
            String prefix = PREFIX + purpose + "-";
            AtomicInteger number = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, prefix + number.incrementAndGet());
                t.setDaemon(true);
                made.add(t);
                return t;
            };
        }

        /**
         * Stops the pool and waits for its threads to end: queued tasks are dropped, running ones
         * are interrupted ({@link #shutdownNow()}), and this returns once every thread the pool
         * made has terminated. An interruption of the calling thread does not cut the wait short
         * (that would leave threads running); it is kept and set again on return. Must not be
         * called from one of the pool's own threads. Idempotent.
         *
         * @throws IllegalStateException if called from one of the pool's threads (it would wait for itself)
         */
        @Override
        public void close() {
            if (made.contains(Thread.currentThread())) {
                throw new IllegalStateException(Thread.currentThread().getName() + " cannot close its own pool");
            }
            shutdownNow();
            boolean interrupted = false;
            while (true) {
                try {
                    if (awaitTermination(1, TimeUnit.MINUTES)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            for (Thread t : made) {
                while (t.isAlive()) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
