/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.hdf5;

/**
 * How {@link RecordingWriter} stores {@code /data}. Compressed recordings are chunked, one chunk per
 * pattern {@code (1, 1, 1, k_y, k_x)}, each chunk compressed on its own as it is written.
 */
public enum Compression {

    /** Contiguous and uncompressed: the fastest to write and to read, and the largest. */
    NONE,

    /**
     * HDF5 byte shuffle (filter 2; left out for 1-byte types, where it changes nothing) followed by
     * deflate (filter 1, zlib stream, level 4, {@link java.util.zip.Deflater}). Readable by every
     * HDF5 reader (libhdf5 and so h5py, MATLAB, HDFView; jhdf). Smaller than {@link #LZ4} on
     * typical diffraction patterns and slower to write.
     */
    GZIP,

    /**
     * LZ4 (HDF5 filter 32004) in the format of hdf5plugin's {@code H5Zlz4.c}: the original size
     * (8 bytes, big-endian), the block size (4 bytes, big-endian), then for each block its stored
     * size (4 bytes, big-endian) and an LZ4 block — or the block's raw bytes when LZ4 would not
     * make it smaller, signalled by a stored size equal to the block size. Fast to write and to
     * read; readable by jhdf, and by h5py once {@code import hdf5plugin} has registered the filter.
     */
    LZ4
}
