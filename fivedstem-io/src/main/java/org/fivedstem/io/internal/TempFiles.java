/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Temporary files beside a target, for writing results that are moved into place when complete.
 * Not part of the public API.
 *
 * <p><b>Interruption.</b> Every file written by this module (recordings, results and series files,
 * figures) is first a temporary file made here, and stays <i>in flight</i> until {@link #release}
 * is called after it was moved into place or deleted. A JVM shutdown hook, installed with the first
 * such file, deletes the files still in flight when the JVM exits — on Ctrl-C (SIGINT), SIGTERM,
 * or {@code System.exit} in the middle of a write — so that an interrupted run leaves no hidden
 * {@code .part} file of hundreds of MB behind. This is the one place that does it: writers only
 * create and release. A kill that skips shutdown hooks (SIGKILL, a power cut) still leaves the
 * temporary file; its name starts with a dot and the target's name and ends in {@code .part} or
 * {@code .tmp}. Deleting a file that another thread is still writing is safe on POSIX systems (the
 * space is freed when the file is closed); on Windows an open file cannot be deleted and the
 * deletion is skipped.
 */
public final class TempFiles {

    /** Files created and not yet released, in creation order. Guarded by itself. */
    private static final Set<Path> IN_FLIGHT = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private TempFiles() {
    }

    /**
     * Creates an empty temporary file in a folder and registers it for deletion at JVM exit until
     * {@link #release released}. {@link Files#createTempFile} makes it owner-only; results and
     * recordings are meant to be shared, so on POSIX file systems it gets the usual
     * {@code rw-r--r--} instead, which the file keeps when it is moved into place.
     *
     * @param dir the target's folder
     * @param prefix the name's start
     * @param suffix the name's end
     * @return the new file
     * @throws IOException if it cannot be created
     */
    public static Path beside(Path dir, String prefix, String suffix) throws IOException {
        synchronized (IN_FLIGHT) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::deleteInFlight, "fivedstem-temp-cleanup"));
                hookInstalled = true;
            }
            // Created while holding the lock: the hook, which takes it too, either runs before the
            // file exists or sees it registered.
            Path p = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile(dir, prefix, suffix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")))
                : Files.createTempFile(dir, prefix, suffix);
            IN_FLIGHT.add(p);
            return p;
        }
    }

    /**
     * Ends the registration of a temporary file that was moved into place or deleted: the JVM's
     * exit will not touch its name.
     *
     * @param temp a file from {@link #beside}
     */
    public static void release(Path temp) {
        synchronized (IN_FLIGHT) {
            IN_FLIGHT.remove(temp);
        }
    }

    /** @return the temporary files not yet released, in creation order (a copy) */
    static List<Path> inFlight() {
        synchronized (IN_FLIGHT) {
            return List.copyOf(IN_FLIGHT);
        }
    }

    /** The shutdown hook: deletes every file still in flight. */
    static void deleteInFlight() {
        synchronized (IN_FLIGHT) {
            for (Path p : IN_FLIGHT) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException | RuntimeException e) {
                    // The JVM is exiting: nothing better to do than leave it (e.g. open on Windows).
                }
            }
            IN_FLIGHT.clear();
        }
    }
}
