/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The batch pipeline's guarantees, for random worker counts, pool sizes, batch capacities and
 * item counts: folds in filling order on the reading thread, a bounded number of batches, the
 * earliest failure rethrown as it is, no worker thread alive afterwards, no hang (every test has a
 * timeout), cancellation. No assertion depends on timing: where a test needs the reader or a
 * worker to be blocked, it waits for the thread's state, and the timeout catches a hang.
 */
@Timeout(60)
class BatchPipelineTest {

    private static final AtomicInteger PIPELINES = new AtomicInteger();

    /** A unique purpose, so that a test finds its own threads by name. */
    private static String purpose(String what) {
        return "test-" + what + "-" + PIPELINES.incrementAndGet();
    }

    /** Names of the live threads a pipeline of this purpose made. */
    static List<String> alive(String purpose) {
        String prefix = Threads.PREFIX + purpose + "-";
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
            .filter(n -> n.startsWith(prefix)).collect(Collectors.toList());
    }

    /** Up to {@code capacity} item numbers and their squares. */
    static final class Items extends BatchPipeline.Batch {
        final int[] item;
        final long[] square;

        Items(int capacity) {
            super(capacity);
            item = new int[capacity];
            square = new long[capacity];
        }

        int first() {
            return item[0];
        }
    }

    /** A map failure that says which batch failed. */
    static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int firstItem;

        Boom(int firstItem) {
            super("batch from item " + firstItem);
            this.firstItem = firstItem;
        }
    }

    /** Work that takes longer for some batches than others, so that later batches often finish first. */
    static long spin(int item) {
        int n = (int) (((item * 0x9E3779B97F4A7C15L) >>> 40) % 40_000);
        long h = item;
        for (int i = 0; i < n; i++) {
            h = h * 6364136223846793005L + 1442695040888963407L;
        }
        return h;
    }

    static void square(Items b) {
        long h = spin(b.first());
        for (int k = 0; k < b.size(); k++) {
            b.square[k] = (long) b.item[k] * b.item[k] + (h == 42 ? 1 : 0);
        }
    }

    static <X extends Exception> void feed(BatchPipeline<Items, X> pipe, int items) throws X {
        for (int i = 0; i < items; i++) {
            Items b = pipe.fill();
            b.item[b.add()] = i;
        }
    }

    static Stream<Arguments> shapes() {
        return SeededCases.of(0xBA7CL, 40, r -> new Object[] {r.nextInt(0, 6), r.nextInt(1, 9), r.nextInt(1, 17),
            r.nextInt(0, 1500)});
    }

    @ParameterizedTest(name = "seed {0}: {1} workers, {2} batches of {3}, {4} items")
    @MethodSource("shapes")
    void foldsEveryItemOnceInFillingOrderWithBoundedBatches(long seed, int workers, int batches, int capacity, int items) {
        String purpose = purpose("order");
        Thread reader = Thread.currentThread();
        List<Integer> folded = new ArrayList<>();
        AtomicInteger made = new AtomicInteger();
        AtomicInteger mapping = new AtomicInteger();
        AtomicInteger mostMapping = new AtomicInteger();
        Set<Thread> mappers = ConcurrentHashMap.newKeySet();
        int[] outstanding = {0, 0};
        try (BatchPipeline<Items, RuntimeException> pipe = BatchPipeline.of(purpose, workers, batches,
                () -> {
                    made.incrementAndGet();
                    return new Items(capacity);
                },
                b -> {
                    mostMapping.accumulateAndGet(mapping.incrementAndGet(), Math::max);
                    mappers.add(Thread.currentThread());
                    square(b);
                    mapping.decrementAndGet();
                },
                b -> {
                    assertSame(reader, Thread.currentThread(), "fold on the reading thread");
                    assertTrue(b.size() > 0, "only batches with items are folded");
                    for (int k = 0; k < b.size(); k++) {
                        assertEquals((long) b.item[k] * b.item[k], b.square[k], "the map's results reach the fold");
                        folded.add(b.item[k]);
                    }
                    outstanding[0]--;
                })) {
            for (int i = 0; i < items; i++) {
                Items b = pipe.fill();
                if (b.size() == 0) {
                    outstanding[1] = Math.max(outstanding[1], ++outstanding[0]);
                }
                b.item[b.add()] = i;
            }
            pipe.finish();
            assertEquals(List.of(), alive(purpose), "finish ends the workers");
        }
        assertEquals(IntStream.range(0, items).boxed().collect(Collectors.toList()), folded);
        int bound = workers == 0 ? 1 : batches;
        assertTrue(made.get() <= bound, made + " batches made, at most " + bound);
        assertTrue(outstanding[1] <= bound, outstanding[1] + " batches out at once, at most " + bound);
        assertTrue(mostMapping.get() <= Math.max(1, workers), mostMapping + " maps at once with " + workers + " workers");
        if (workers == 0) {
            assertTrue(mappers.isEmpty() || mappers.equals(Set.of(reader)), "without workers the reader maps");
        } else {
            assertFalse(mappers.contains(reader), "with workers the reader does not map");
        }
    }

    static Stream<Arguments> failures() {
        return SeededCases.of(0xFA11L, 40, r -> {
            int items = r.nextInt(1, 1200);
            return new Object[] {r.nextInt(0, 6), r.nextInt(1, 9), r.nextInt(1, 17), items, r.nextInt(0, items),
                r.nextInt(1, 50)};
        });
    }

    /**
     * Items {@code failAt}, {@code failAt + stride}, … make their batches' maps fail: the failure
     * rethrown is always the earliest batch's, as one thread would meet it, with every batch before
     * it folded and none after.
     */
    @ParameterizedTest(name = "seed {0}: {1} workers, {2} batches of {3}, {4} items, failing from item {5} every {6}")
    @MethodSource("failures")
    void aWorkersFailureIsTheEarliestAndLeavesNoThread(long seed, int workers, int batches, int capacity, int items,
                                                        int failAt, int stride) {
        String purpose = purpose("worker-failure");
        Map<Integer, Boom> thrown = new ConcurrentHashMap<>();
        List<Integer> folded = new ArrayList<>();
        Boom e = assertThrows(Boom.class, () -> {
            try (BatchPipeline<Items, RuntimeException> pipe = BatchPipeline.of(purpose, workers, batches,
                    () -> new Items(capacity),
                    b -> {
                        square(b);
                        for (int k = 0; k < b.size(); k++) {
                            if (b.item[k] >= failAt && (b.item[k] - failAt) % stride == 0) {
                                Boom boom = new Boom(b.first());
                                thrown.put(b.first(), boom);
                                throw boom;
                            }
                        }
                    },
                    b -> {
                        for (int k = 0; k < b.size(); k++) {
                            folded.add(b.item[k]);
                        }
                    })) {
                feed(pipe, items);
                pipe.finish();
            }
        });
        int failedBatch = failAt - failAt % capacity;
        assertEquals(failedBatch, e.firstItem, e.getMessage());
        assertSame(thrown.get(failedBatch), e, "the map's own exception object");
        assertEquals(IntStream.range(0, failedBatch).boxed().collect(Collectors.toList()), folded,
            "every batch before the failed one folded, none after");
        assertEquals(List.of(), alive(purpose));
    }

    /** Workers, batches, capacity, items and the item at which something fails. */
    static Stream<Arguments> failurePoints(long baseSeed) {
        return SeededCases.of(baseSeed, 30, r -> {
            int items = r.nextInt(1, 1500);
            return new Object[] {r.nextInt(0, 6), r.nextInt(1, 9), r.nextInt(1, 17), items, r.nextInt(0, items)};
        });
    }

    static Stream<Arguments> readerFailures() {
        return failurePoints(0x4EADL);
    }

    @ParameterizedTest(name = "seed {0}: {1} workers, {2} batches of {3}, {4} items, reader fails at {5}")
    @MethodSource("readerFailures")
    void aReadersExceptionPropagatesAsItIsAndLeavesNoThread(long seed, int workers, int batches, int capacity, int items,
                                                           int failAt) {
        String purpose = purpose("reader-failure");
        IOException disk = new IOException("disk gone at item " + failAt);
        IOException e = assertThrows(IOException.class, () -> {
            try (BatchPipeline<Items, RuntimeException> pipe = BatchPipeline.of(purpose, workers, batches,
                    () -> new Items(capacity), BatchPipelineTest::square, b -> { })) {
                for (int i = 0; i < items; i++) {
                    if (i == failAt) {
                        throw disk;
                    }
                    Items b = pipe.fill();
                    b.item[b.add()] = i;
                }
                pipe.finish();
            }
        });
        assertSame(disk, e);
        assertEquals(0, e.getSuppressed().length, "no map failed");
        assertEquals(List.of(), alive(purpose));
    }

    static Stream<Arguments> foldFailures() {
        return failurePoints(0xF01DL);
    }

    /** A fold that declares {@code IOException} delivers it, the same object, from the call that folded. */
    @ParameterizedTest(name = "seed {0}: {1} workers, {2} batches of {3}, {4} items, fold fails at item {5}")
    @MethodSource("foldFailures")
    void aFoldsCheckedExceptionPropagatesAsItIsAndLeavesNoThread(long seed, int workers, int batches, int capacity,
                                                                 int items, int failAt) {
        String purpose = purpose("fold-failure");
        AtomicReference<IOException> thrown = new AtomicReference<>();
        List<Integer> folded = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> {
            try (BatchPipeline<Items, IOException> pipe = BatchPipeline.of(purpose, workers, batches,
                    () -> new Items(capacity), BatchPipelineTest::square,
                    b -> {
                        for (int k = 0; k < b.size(); k++) {
                            if (b.item[k] == failAt) {
                                thrown.set(new IOException("disk full at item " + failAt));
                                throw thrown.get();
                            }
                            folded.add(b.item[k]);
                        }
                    })) {
                feed(pipe, items);
                pipe.finish();
            }
        });
        assertSame(thrown.get(), e);
        assertEquals(IntStream.range(0, failAt).boxed().collect(Collectors.toList()), folded);
        assertEquals(List.of(), alive(purpose));
    }

    /** A map that counts its start and waits for {@code release}; an interrupt (cancellation) ends the wait. */
    static BatchPipeline.Mapper<Items> blockedUntil(CountDownLatch release, AtomicInteger started, AtomicInteger interrupted) {
        return b -> {
            started.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Waits (without a deadline: the test's timeout catches a hang) until the thread is blocked. */
    static void awaitBlocked(Thread t) {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TERMINATED) {
            Thread.onSpinWait();
        }
    }

    static Stream<Arguments> pressure() {
        return SeededCases.of(0xB0DEL, 12, r -> new Object[] {r.nextInt(1, 5), r.nextInt(1, 8), r.nextInt(1, 9)});
    }

    /**
     * With the maps held up, the reader gets exactly {@code batches} batches and then waits inside
     * {@code fill()}, however many items it still has; released, it goes on with recycled ones.
     */
    @ParameterizedTest(name = "seed {0}: {1} workers, {2} batches of {3}")
    @MethodSource("pressure")
    void backPressureHoldsTheReaderAtTheBatchBound(long seed, int workers, int batches, int capacity) throws Exception {
        String purpose = purpose("pressure");
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        AtomicInteger filled = new AtomicInteger();
        AtomicInteger foldedCount = new AtomicInteger();
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        int items = (batches + 3) * capacity + 1;
        Set<Items> distinct = ConcurrentHashMap.newKeySet();
        Thread reader = new Thread(() -> {
            try (BatchPipeline<Items, RuntimeException> pipe = BatchPipeline.of(purpose, workers, batches,
                    () -> {
                        made.incrementAndGet();
                        return new Items(capacity);
                    },
                    blockedUntil(release, new AtomicInteger(), new AtomicInteger()), b -> foldedCount.addAndGet(b.size()))) {
                for (int i = 0; i < items; i++) {
                    Items b = pipe.fill();
                    distinct.add(b);
                    b.item[b.add()] = i;
                    filled.incrementAndGet();
                }
                pipe.finish();
            } catch (Throwable t) {
                readerFailure.set(t);
            }
        }, "test-reader");
        reader.start();
        while (filled.get() < batches * capacity) {
            Thread.onSpinWait();
        }
        awaitBlocked(reader);
        assertEquals(batches * capacity, filled.get(), "the reader stopped when every batch was out");
        assertEquals(batches, made.get());
        assertEquals(0, foldedCount.get());
        release.countDown();
        reader.join();
        assertEquals(null, readerFailure.get());
        assertEquals(items, foldedCount.get());
        assertEquals(batches, made.get(), "no batch made beyond the bound");
        assertEquals(batches, distinct.size(), "the same batches, recycled");
        assertEquals(List.of(), alive(purpose));
    }

    @Test
    void cancelStopsWithoutFoldingAndEndsTheWorkers() {
        String purpose = purpose("cancel");
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        AtomicInteger foldedCount = new AtomicInteger();
        BatchPipeline<Items, RuntimeException> pipe = BatchPipeline.of(purpose, 3, 7, () -> new Items(2),
            blockedUntil(never, started, interrupted), b -> foldedCount.incrementAndGet());
        feed(pipe, 11); // 5 batches submitted, the sixth being filled: the reader is not held up
        while (started.get() < 3) {
            Thread.onSpinWait();
        }
        pipe.cancel();
        assertEquals(List.of(), alive(purpose));
        assertEquals(0, foldedCount.get());
        assertEquals(3, interrupted.get(), "the three running maps were interrupted");
        assertEquals(3, started.get(), "the two queued maps never ran");
        assertThrows(IllegalStateException.class, pipe::fill);
        assertThrows(IllegalStateException.class, pipe::finish);
        pipe.close();
        pipe.cancel();
        assertEquals(0, foldedCount.get());
    }

    /** The reader is interrupted while it waits for a map: the pipeline cancels itself, nothing hangs. */
    @Test
    void interruptingTheWaitingReaderCancels() throws InterruptedException {
        String purpose = purpose("interrupt");
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (BatchPipeline<Items, RuntimeException> pipe = BatchPipeline.of(purpose, 2, 3, () -> new Items(1),
                    blockedUntil(never, started, interrupted), b -> { })) {
                feed(pipe, 100);
                pipe.finish();
            } catch (Throwable t) {
                readerFailure.set(t);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        }, "test-reader");
        reader.start();
        while (started.get() < 2) {
            Thread.onSpinWait();
        }
        awaitBlocked(reader);
        reader.interrupt();
        reader.join();
        assertTrue(readerFailure.get() instanceof CancellationException, String.valueOf(readerFailure.get()));
        assertTrue(readerFailure.get().getCause() instanceof InterruptedException);
        assertEquals(Boolean.TRUE, flagKept.get(), "the interrupt status is set again");
        assertEquals(2, interrupted.get());
        assertEquals(List.of(), alive(purpose));
    }

    /**
     * A map fails while the reader is busy elsewhere; the reader then fails on its own: its exception
     * propagates, with the map's attached as suppressed by close(). Without the reader's exception,
     * close() throws the map's.
     */
    @Test
    void closeReportsAMapFailureTheReaderDidNotSee() throws InterruptedException {
        for (boolean readerFails : new boolean[] {true, false}) {
            String purpose = purpose("close");
            Boom boom = new Boom(0);
            // The map fails only once the reader has fed both items: if it failed earlier, the reader's
            // fill() of the second batch could fold the first and rethrow its failure — a race, not the
            // close() behaviour under test.
            CountDownLatch fed = new CountDownLatch(1);
            Throwable e = assertThrows(Exception.class, () -> {
                try (BatchPipeline<Items, RuntimeException> pipe = BatchPipeline.of(purpose, 1, 3, () -> new Items(1),
                        b -> {
                            try {
                                fed.await();
                            } catch (InterruptedException interrupted) {
                                Thread.currentThread().interrupt();
                            }
                            throw boom;
                        }, b -> { })) {
                    feed(pipe, 2); // the first batch is submitted, the second being filled
                    fed.countDown();
                    // Wait until the worker has recorded the failure: a thread state is no signal, since
                    // a worker can park on the way (class loading, a lambda's bootstrap) and a close()
                    // that came first would rightly count the failure as the cancellation's.
                    while (!pipe.mapFailed()) {
                        Thread.onSpinWait();
                    }
                    if (readerFails) {
                        throw new IOException("the reader's own failure");
                    }
                    // the reader leaves without finish() or cancel()
                }
            });
            if (readerFails) {
                assertTrue(e instanceof IOException, e.toString());
                assertSame(boom, e.getSuppressed()[0]);
            } else {
                assertSame(boom, e);
            }
            assertEquals(List.of(), alive(purpose));
        }
    }

    @Test
    void anErrorInAMapIsRethrownAsAnError() {
        String purpose = purpose("error");
        StackOverflowError overflow = new StackOverflowError("deep");
        StackOverflowError e = assertThrows(StackOverflowError.class, () -> {
            try (BatchPipeline<Items, RuntimeException> pipe = BatchPipeline.of(purpose, 2, 5, () -> new Items(3),
                    b -> {
                        throw overflow;
                    }, b -> { })) {
                feed(pipe, 10);
                pipe.finish();
            }
        });
        assertSame(overflow, e);
        assertEquals(List.of(), alive(purpose));
    }

    @Test
    void misuseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BatchPipeline.of("x", -1, 1, () -> new Items(1), b -> { }, b -> { }));
        assertThrows(IllegalArgumentException.class, () -> BatchPipeline.of("x", 1, 0, () -> new Items(1), b -> { }, b -> { }));
        assertThrows(IllegalArgumentException.class, () -> new Items(0));
        Items full = new Items(1);
        full.add();
        assertThrows(IllegalStateException.class, full::add);
        String purpose = purpose("misuse");
        BatchPipeline<Items, RuntimeException> pipe = BatchPipeline.of(purpose, 2, 3, () -> new Items(4), b -> { }, b -> { });
        feed(pipe, 9);
        pipe.finish();
        assertThrows(IllegalStateException.class, pipe::fill);
        assertThrows(IllegalStateException.class, pipe::finish);
        pipe.close();
        assertTrue(pipe.toString().contains(purpose) && pipe.toString().contains("FINISHED"), pipe.toString());
        assertEquals(List.of(), alive(purpose));
    }

    /** Without workers each full batch is mapped and folded at once, on the reading thread. */
    @Test
    void withoutWorkersEachBatchIsFoldedWhenFull() {
        List<Integer> order = new ArrayList<>();
        Items[] only = {null};
        try (BatchPipeline<Items, RuntimeException> pipe = BatchPipeline.of("unused", 0, 9, () -> new Items(2),
                b -> order.add(-b.first() - 1), b -> order.add(b.first()))) {
            for (int i = 0; i < 5; i++) {
                Items b = pipe.fill();
                if (only[0] == null) {
                    only[0] = b;
                }
                assertSame(only[0], b, "one batch, recycled");
                b.item[b.add()] = i;
            }
            assertEquals(List.of(-1, 0, -3, 2), order);
            pipe.finish();
        }
        assertEquals(List.of(-1, 0, -3, 2, -5, 4), order);
    }
}
