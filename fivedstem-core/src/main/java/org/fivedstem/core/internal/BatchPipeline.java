/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.internal;

import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.fivedstem.api.internal.Checks;

/**
 * The library's one bounded reader → workers pipeline: the reading thread fills pooled batches,
 * worker threads map them, and the reading thread folds the mapped batches in the order they were
 * filled. The streaming analysis, the pattern statistics, the speckle variance and the simulator
 * all run on it.
 *
 * <pre>{@code
 * try (BatchPipeline<Chunk, IOException> pipe = BatchPipeline.of("writing", workers, 2 * workers + 1,
 *         Chunk::new,                   // a batch: capacity and arrays of the caller's choice
 *         Chunk::compute,               // on a worker
 *         chunk -> out.write(chunk))) { // on this thread, in filling order
 *     for (Item item : items) {
 *         Chunk c = pipe.fill();        // the batch being filled, with room for one more item
 *         int k = c.add();
 *         c.copy(k, item);
 *     }
 *     pipe.finish();                    // maps and folds the rest; the threads have ended
 * }
 * }</pre>
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li><b>Order.</b> The fold is called on the reading thread, once for every batch that holds an
 *       item, in the order the batches were filled, whatever the number of workers and however the
 *       scheduler interleaves them. A fold that adds results up therefore gives the same bits for
 *       any number of workers, including none. What a map writes is visible to the fold of its batch
 *       and, after {@link #finish()}, to the reading thread.</li>
 *   <li><b>Bounded memory.</b> At most {@code batches} batches are ever made (lazily, by the
 *       supplier, on the reading thread); a folded batch is emptied ({@link Batch#size()} 0) and
 *       reused. When all of them are mapping or waiting to be folded, {@link #fill()} blocks until
 *       the oldest is folded: the reader never runs further ahead of the fold than that.</li>
 *   <li><b>Failures.</b> A map's exception (runtime exception or error) is rethrown on the reading
 *       thread, as the same object, by the next {@link #fill()} that moves to a new batch, or by
 *       {@link #finish()}. If several
 *       maps fail, the one rethrown is the earliest in filling order, and batches before it are
 *       folded first: the exception is the one a single thread would have met first, whatever the
 *       number of workers. A fold's exception propagates from the call that folded, as it is (so
 *       a fold that declares {@code IOException} delivers its {@code IOException}). Once a
 *       failure has left a method of the pipeline, the workers have ended and the pipeline is
 *       closed. An exception of the reading code itself (between calls) propagates as it is;
 *       {@link #close()} then ends the workers and attaches a map's failure, if one had already
 *       happened, as a suppressed exception (try-with-resources does the attaching).</li>
 *   <li><b>No thread left behind.</b> {@link #finish()}, {@link #cancel()}, {@link #close()} and
 *       every failure return only after all the pipeline's worker threads have ended (they come
 *       from {@link Threads}); batches not yet mapped then never are, running maps are
 *       interrupted, and no fold is called any more. No call blocks forever as long as maps
 *       return: the reading thread waits only for a map it submitted.</li>
 *   <li><b>Interruption.</b> If the reading thread is interrupted while it waits for a map, the
 *       pipeline cancels itself and throws {@link CancellationException}, with the thread's
 *       interrupt status set again.</li>
 *   <li><b>Without workers</b> ({@code workers} 0) nothing is concurrent: each batch is mapped
 *       and folded on the reading thread as soon as it is full (or at {@link #finish()}).</li>
 * </ul>
 *
 * <p>All methods are for the reading thread only (the one that made the pipeline); to stop a
 * pipeline from another thread, interrupt the reading thread.
 *
 * <p>Why not a library: {@code java.util.concurrent} provides the threads ({@link Threads}), the
 * futures and the waiting, but no executor or stream keeps a bounded set of reusable buffers
 * circulating between one producer and a fold in submission order ({@code parallel()} streams
 * collect unordered chunks and allocate per element; a {@code CompletionService} returns results
 * in completion order). This class is that bookkeeping, once.
 *
 * <p>Not part of the public API.
 *
 * @param <B> the batches
 * @param <X> what the fold may throw (and so the reading-thread methods); {@link RuntimeException}
 *     for a fold that throws no checked exception
 */
public final class BatchPipeline<B extends BatchPipeline.Batch, X extends Exception> implements AutoCloseable {

    /**
     * A batch: up to {@link #capacity()} items whose data the subclass holds. The pipeline counts
     * them: {@link #add()} reserves one, and the pipeline empties the batch when it comes back
     * from the fold.
     */
    public abstract static class Batch {
        private final int capacity;
        private int size;

        /**
         * @param capacity items the batch holds (&ge; 1)
         */
        protected Batch(int capacity) {
            this.capacity = Checks.positive("capacity", capacity);
        }

        /** @return the number of items in the batch */
        public final int size() {
            return size;
        }

        /** @return the most items the batch holds */
        public final int capacity() {
            return capacity;
        }

        /**
         * Reserves the next item.
         *
         * @return its index, from 0
         * @throws IllegalStateException if the batch is full
         */
        public final int add() {
            if (size == capacity) {
                throw new IllegalStateException("batch is full: " + capacity + " items");
            }
            return size++;
        }
    }

    /**
     * The work done on a worker: reads the batch's items and writes its results, into the batch or
     * into places no other batch writes.
     *
     * @param <B> the batches
     */
    @FunctionalInterface
    public interface Mapper<B> {
        /** @param batch a filled batch */
        void map(B batch);
    }

    /**
     * The work done on the reading thread, in filling order.
     *
     * @param <B> the batches
     * @param <X> what it may throw
     */
    @FunctionalInterface
    public interface Folder<B, X extends Exception> {
        /**
         * @param batch a mapped batch; it is emptied and reused once this returns
         * @throws X to stop the pipeline
         */
        void fold(B batch) throws X;
    }

    private enum State { OPEN, FINISHED, FAILED, CANCELLED }

    /** {@link #firstFailed} while no map has failed. */
    private static final long NONE = Long.MAX_VALUE;

    private final String purpose;
    /** The workers; {@code null} maps on the reading thread. */
    private final Threads.Pool workers;
    private final int batches;
    private final Supplier<? extends B> newBatch;
    private final Mapper<? super B> mapper;
    private final Folder<? super B, ? extends X> folder;
    /** Reading thread only: emptied batches. */
    private final ArrayDeque<B> free = new ArrayDeque<>();
    /** Reading thread only: submitted batches not yet folded, in filling order. */
    private final ArrayDeque<Task> inFlight = new ArrayDeque<>();
    /** The lowest sequence number of a batch whose map failed; later batches are not mapped. */
    private final AtomicLong firstFailed = new AtomicLong(NONE);
    /** Set before the workers are stopped: a map not started by then is not started. */
    private volatile boolean cancelled;
    private State state = State.OPEN;
    private int created;
    private long submitted;
    private B filling;

    private BatchPipeline(String purpose, int workers, int batches, Supplier<? extends B> newBatch,
                          Mapper<? super B> mapper, Folder<? super B, ? extends X> folder) {
        this.purpose = Objects.requireNonNull(purpose, "purpose");
        if (workers < 0) {
            throw new IllegalArgumentException(Checks.format("workers is negative: %d", workers));
        }
        this.batches = workers == 0 ? 1 : Checks.positive("batches", batches);
        this.newBatch = Objects.requireNonNull(newBatch, "newBatch");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.folder = Objects.requireNonNull(folder, "folder");
        this.workers = workers == 0 ? null : Threads.pool(purpose, workers);
    }

    /**
     * @param purpose names the worker threads ({@code fivedstem-<purpose>-<k>}) and the messages
     * @param workers worker threads; 0 maps on the reading thread
     * @param batches how many batches may exist at once (&ge; 1; ignored without workers, where one
     *     is enough): the one being filled and those mapping or waiting for the fold.
     *     {@code 2·workers + 1} keeps every worker busy while the reader fills
     * @param newBatch makes an empty batch, called on the reading thread
     * @param mapper the work on a worker
     * @param folder the work on the reading thread, in filling order
     * @param <B> the batches
     * @param <X> what the fold may throw
     * @return the pipeline, open; close it
     * @throws IllegalArgumentException if {@code workers} &lt; 0 or {@code batches} &lt; 1
     */
    public static <B extends Batch, X extends Exception> BatchPipeline<B, X> of(String purpose, int workers, int batches,
            Supplier<? extends B> newBatch, Mapper<? super B> mapper, Folder<? super B, ? extends X> folder) {
        return new BatchPipeline<>(purpose, workers, batches, newBatch, mapper, folder);
    }

    /**
     * The batch being filled, with room for at least one more item: when the last one is full it
     * is submitted and an empty one taken, which may mean folding finished batches and, when all
     * batches are in use, waiting for the oldest.
     *
     * @return a batch that is not full; reserve an item with {@link Batch#add()}
     * @throws X if a fold throws it
     * @throws RuntimeException a map's failure (see the class notes), or
     *     {@link CancellationException} if the thread was interrupted while waiting
     * @throws IllegalStateException if the pipeline is finished, failed or cancelled
     */
    public B fill() throws X {
        requireOpen();
        B b = filling;
        if (b != null && b.size() < b.capacity()) {
            return b;
        }
        filling = null;
        if (b != null) {
            submit(b);
        }
        filling = take();
        return filling;
    }

    /**
     * Submits the batch being filled, if it holds an item, waits for every map and folds all
     * batches not yet folded, in order; then ends the worker threads.
     *
     * @throws X if a fold throws it
     * @throws RuntimeException a map's failure (see the class notes), or
     *     {@link CancellationException} if the thread was interrupted while waiting
     * @throws IllegalStateException if the pipeline is already finished, failed or cancelled
     */
    public void finish() throws X {
        requireOpen();
        B b = filling;
        filling = null;
        if (b != null && b.size() > 0) {
            submit(b);
        }
        while (!inFlight.isEmpty()) {
            foldOldest();
        }
        state = State.FINISHED;
        stopWorkers();
    }

    /**
     * Stops the pipeline without folding what is left: batches not yet mapped never are, running
     * maps are interrupted, no fold is called any more, and a map's failure not yet rethrown is
     * dropped. Returns once every worker thread has ended. Does nothing on a pipeline that is no
     * longer open.
     */
    public void cancel() {
        if (state == State.OPEN) {
            state = State.CANCELLED;
            stopWorkers();
            inFlight.clear();
            filling = null;
        }
    }

    /**
     * Ends the worker threads. On a pipeline still open — the reading code threw, or it stopped
     * without {@link #finish()} or {@link #cancel()} — this cancels it and then throws the earliest
     * map failure that had happened before, if any (try-with-resources adds it to the reading
     * code's exception as suppressed). Idempotent.
     *
     * @throws RuntimeException an earlier map failure not yet rethrown, as it is (an error as an
     *     error)
     */
    @Override
    public void close() {
        if (state != State.OPEN) {
            stopWorkers();
            return;
        }
        state = State.CANCELLED;
        stopWorkers();
        for (Task t : inFlight) {
            if (t.failure != null) {
                inFlight.clear();
                throw unchecked(t.failure);
            }
        }
        inFlight.clear();
    }

    /** @return whether a map has failed and its failure is recorded (tests wait on this, not on thread states) */
    boolean mapFailed() {
        return firstFailed.get() != NONE;
    }

    @Override
    public String toString() {
        return Checks.format("BatchPipeline[%s, %d workers, %d batches, %s, %d submitted]", purpose,
            workers == null ? 0 : workers.getCorePoolSize(), batches, state, submitted);
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("the " + purpose + " pipeline is " + state.name().toLowerCase(Locale.ROOT));
        }
    }

    /** An empty batch: a free one, a new one while fewer than {@link #batches} exist, or the oldest once folded. */
    private B take() throws X {
        foldFinished();
        B b = free.poll();
        if (b != null) {
            return b;
        }
        if (created < batches) {
            created++;
            return newBatch.get();
        }
        foldOldest();
        return free.poll();
    }

    private void submit(B b) throws X {
        if (workers == null) {
            boolean ok = false;
            try {
                mapper.map(b);
                folder.fold(b);
                ok = true;
            } finally {
                if (!ok) {
                    state = State.FAILED;
                }
            }
            recycle(b);
            return;
        }
        Task t = new Task(b, submitted++);
        inFlight.add(t);
        t.future = workers.submit(t);
        foldFinished();
    }

    /**
     * Folds the batches at the head whose maps are done, without waiting; once any map has failed,
     * waits for and folds everything up to the earliest failure, and throws it.
     */
    private void foldFinished() throws X {
        if (firstFailed.get() != NONE) {
            while (!inFlight.isEmpty()) {
                foldOldest();
            }
            // Unreachable: the failed batch is in flight until foldOldest reaches it and throws.
            throw new IllegalStateException("the " + purpose + " pipeline lost a failed batch");
        }
        while (!inFlight.isEmpty() && inFlight.peek().future.isDone()) {
            foldOldest();
        }
    }

    /** Waits for the oldest batch's map, then folds it or throws its failure. */
    private void foldOldest() throws X {
        Task t = inFlight.peek();
        try {
            t.future.get();
        } catch (InterruptedException e) {
            fail();
            Thread.currentThread().interrupt();
            CancellationException c = new CancellationException("interrupted while waiting for the " + purpose + " workers");
            c.initCause(e);
            throw c;
        } catch (ExecutionException e) {
            // Task.run catches everything; a failure is in t.failure.
            throw new AssertionError(e);
        }
        inFlight.poll();
        if (t.failure != null) {
            fail();
            throw unchecked(t.failure);
        }
        if (t.skipped) {
            // Batches after a failed one are skipped, and the failed one is folded (thrown) first.
            fail();
            throw new IllegalStateException("the " + purpose + " pipeline skipped batch " + t.sequence + " before a failure");
        }
        boolean ok = false;
        try {
            folder.fold(t.batch);
            ok = true;
        } finally {
            if (!ok) {
                fail();
            }
        }
        recycle(t.batch);
    }

    private void recycle(B b) {
        ((Batch) b).size = 0;
        free.add(b);
    }

    private void fail() {
        state = State.FAILED;
        stopWorkers();
        inFlight.clear();
    }

    private void stopWorkers() {
        cancelled = true;
        if (workers != null) {
            workers.close();
        }
    }

    /**
     * A worker's failure, to rethrow on the caller: a runtime exception as it is, an error thrown
     * here as it is, anything else (a task declares no checked exception; one thrown anyway)
     * wrapped in {@link IllegalStateException}.
     *
     * @param t the failure
     * @return the exception to throw
     */
    static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException(t);
    }

    /** One submitted batch: mapped on a worker unless cancelled or after an earlier failure. */
    private final class Task implements Runnable {
        final B batch;
        final long sequence;
        /** Written by the worker before its future completes; read after {@code get()}. */
        Throwable failure;
        boolean skipped;
        Future<?> future;

        Task(B batch, long sequence) {
            this.batch = batch;
            this.sequence = sequence;
        }

        @Override
        public void run() {
            if (cancelled || sequence > firstFailed.get()) {
                skipped = true;
                return;
            }
            try {
                mapper.map(batch);
            } catch (Throwable e) {
                // A failure caused by the cancellation (an interrupted map) is not the map's own.
                if (!cancelled) {
                    failure = e;
                    firstFailed.accumulateAndGet(sequence, Math::min);
                }
            }
        }
    }
}
