/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempFilesTest {

    @TempDir
    Path dir;

    @Test
    void temporaryFilesAreReadableByOthersOnPosix() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path p = TempFiles.beside(dir, ".results.h5.", ".part");
        assertTrue(Files.exists(p));
        assertTrue(p.getFileName().toString().startsWith(".results.h5."));
        // Files.createTempFile alone would give rw-------. A temporary file must be as readable by
        // others as a file created the ordinary way under the same umask (rw-r--r-- under 022).
        Path ordinary = Files.createFile(dir.resolve("ordinary"));
        String expected = PosixFilePermissions.toString(Files.getPosixFilePermissions(ordinary));
        String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        assertEquals("rw-", perms.substring(0, 3), perms);
        assertEquals(expected.charAt(3), perms.charAt(3), "group read like an ordinary file: " + perms + " vs " + expected);
        assertEquals(expected.charAt(6), perms.charAt(6), "others read like an ordinary file: " + perms + " vs " + expected);
    }

    @Test
    void aFileStaysInFlightUntilReleasedAndTheExitHookDeletesOnlyThose() throws IOException {
        Path written = TempFiles.beside(dir, ".a.h5.", ".part");
        Path committed = TempFiles.beside(dir, ".b.h5.", ".part");
        assertTrue(TempFiles.inFlight().contains(written));
        Path target = dir.resolve("b.h5");
        Files.move(committed, target);
        TempFiles.release(committed);
        assertFalse(TempFiles.inFlight().contains(committed));

        // What the shutdown hook does when the JVM exits in the middle of writing a.h5.
        TempFiles.deleteInFlight();

        assertFalse(Files.exists(written), "the interrupted write's temporary file is deleted");
        assertTrue(Files.exists(target), "a committed file is not touched");
        assertTrue(TempFiles.inFlight().isEmpty());
    }

    @Test
    void writersReleaseTheirTemporaryFiles() throws IOException {
        try (Hdf5FileWriter w = Hdf5FileWriter.create(dir.resolve("closed.h5"))) {
            assertTrue(TempFiles.inFlight().contains(w.temporaryFile()));
        }
        Hdf5FileWriter w = Hdf5FileWriter.create(dir.resolve("committed.h5"));
        w.commit();
        w.close();
        assertFalse(TempFiles.inFlight().contains(w.temporaryFile()));
        assertTrue(Files.exists(dir.resolve("committed.h5")));
    }
}
