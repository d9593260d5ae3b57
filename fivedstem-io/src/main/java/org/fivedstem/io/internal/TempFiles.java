package org.fivedstem.io.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Temporary files beside a target, for writing results that are moved into place when complete.
 * Not part of the public API.
 */
public final class TempFiles {

    private TempFiles() {
    }

    /**
     * Creates an empty temporary file in a folder. {@link Files#createTempFile} makes it
     * owner-only; results and recordings are meant to be shared, so on POSIX file systems it gets
     * the usual {@code rw-r--r--} instead, which the file keeps when it is moved into place.
     *
     * @param dir the target's folder
     * @param prefix the name's start
     * @param suffix the name's end
     * @return the new file
     * @throws IOException if it cannot be created
     */
    public static Path beside(Path dir, String prefix, String suffix) throws IOException {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix")
            ? Files.createTempFile(dir, prefix, suffix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")))
            : Files.createTempFile(dir, prefix, suffix);
    }
}
