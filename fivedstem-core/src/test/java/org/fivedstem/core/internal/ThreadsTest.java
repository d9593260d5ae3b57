/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The one thread factory: names, daemon threads, and a close that leaves no thread alive. */
@Timeout(60)
class ThreadsTest {

    @Test
    void threadsAreNamedDaemonsAndCloseJoinsThem() throws Exception {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch all = new CountDownLatch(3);
        try (Threads.Pool pool = Threads.pool("test-names", 3)) {
            List<Future<?>> f = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                f.add(pool.submit(() -> {
                    seen.add(Thread.currentThread());
                    all.countDown();
                    all.await(); // three tasks at once: three threads
                    return null;
                }));
            }
            for (Future<?> x : f) {
                x.get();
            }
        }
        assertEquals(Set.of("fivedstem-test-names-1", "fivedstem-test-names-2", "fivedstem-test-names-3"),
            seen.stream().map(Thread::getName).collect(Collectors.toSet()));
        for (Thread t : seen) {
            assertTrue(t.isDaemon(), t.getName());
            assertEquals(Thread.State.TERMINATED, t.getState(), t.getName() + " ended when close() returned");
        }
    }

    @Test
    void closeWaitsThroughAnInterruptAndKeepsIt() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        Thread[] worker = {null};
        Threads.Pool pool = Threads.pool("test-interrupt", 1);
        pool.submit(() -> {
            worker[0] = Thread.currentThread();
            running.countDown();
            // ignores interrupts for a while, as a CPU-bound map does
            long h = 0;
            for (int i = 0; i < 20_000_000; i++) {
                h += i * 31L;
            }
            return h;
        });
        running.await();
        Thread.currentThread().interrupt();
        pool.close();
        assertTrue(Thread.interrupted(), "the caller's interrupt is kept");
        assertEquals(Thread.State.TERMINATED, worker[0].getState());
        pool.close(); // idempotent
    }

    @Test
    void aPoolCannotCloseItselfFromItsOwnThread() throws Exception {
        Threads.Pool pool = Threads.pool("test-self", 1);
        try {
            Future<?> f = pool.submit(() -> {
                pool.close();
                return null;
            });
            Exception e = assertThrows(Exception.class, f::get);
            assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
        } finally {
            pool.close();
        }
        assertThrows(IllegalArgumentException.class, () -> Threads.pool("test-none", 0));
    }

    /** Where threads are made in core's main sources: only in {@link Threads}. */
    @Test
    void noOtherClassOfCoreMakesThreads() throws IOException {
        Path sources = Path.of(System.getProperty("basedir", "."), "src", "main", "java");
        assertTrue(Files.isDirectory(sources), sources + " (run from the module's directory, as Maven does)");
        Pattern making = Pattern.compile("new Thread\\(|Executors\\.|new ThreadPoolExecutor|new ForkJoinPool|Thread\\.of");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                .filter(p -> !p.getFileName().toString().equals("Threads.java"))
                .filter(p -> {
                    try {
                        return making.matcher(Files.readString(p, StandardCharsets.UTF_8)).find();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .map(p -> sources.relativize(p).toString())
                .collect(Collectors.toList());
        }
        assertEquals(List.of(), offenders, "threads are made through org.fivedstem.core.internal.Threads only");
    }
}
