/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jhdf.HdfFile;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.exceptions.HdfException;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.RecordingException;

/**
 * A chunked HDF5 dataset read chunk by chunk: jhdf locates and decompresses each chunk
 * ({@link ChunkedDataset#getDecompressedChunk}), this class decodes the bytes and gathers
 * patterns, in storage order. Decoded chunks are kept in a least-recently-used cache bounded in
 * bytes, so that chunks spanning several patterns are decompressed once in the usual layouts
 * (chunks of whole patterns, of scan rows or of whole frames); a layout whose working set exceeds
 * the budget still reads correctly, decompressing some chunks more than once. Chunks never
 * written read as the dataset's fill value.
 */
public final class ChunkedHdf5Storage extends GatheringStorage {

    private final Path path;
    private final String datasetPath;
    private final HdfFile hdf;
    private final ChunkedDataset dataset;
    private final Decoder decoder;
    private final String description;
    private final int[] chunk;
    private final int[] chunkStrides;
    private final int size;
    private final byte[] fill;
    private final Map<Long, ByteBuffer> cache;
    private final int[] offset = new int[5];
    /** Leading storage dimensions of extent 1 that the dataset does not have (5 − its rank). */
    private final int impliedDims;

    /**
     * @param path the file
     * @param datasetPath the dataset
     * @param hdf the open file (closed with this storage)
     * @param dataset the dataset
     * @param shape logical shape
     * @param axes storage order
     * @param decoder stored type and byte order
     * @param fillValue the dataset's fill value as stored bytes (used for chunks never written)
     * @param cacheBudgetBytes bytes of decoded chunks to keep
     * @param description for messages
     * @param impliedDims how many leading storage dimensions (of extent 1) the dataset lacks: 0 for
     *     a 5D dataset, 1 for one time step (4D), 2 for a frame stack (N, ky, kx) seen as (1, 1, N, ky, kx)
     */
    public ChunkedHdf5Storage(Path path, String datasetPath, HdfFile hdf, ChunkedDataset dataset, Shape5D shape,
                              AxisOrder axes, Decoder decoder, byte[] fillValue, long cacheBudgetBytes, String description,
                              int impliedDims) {
        super(shape, axes);
        this.impliedDims = impliedDims;
        this.path = path;
        this.datasetPath = datasetPath;
        this.hdf = hdf;
        this.dataset = dataset;
        this.decoder = decoder;
        this.description = description;
        int[] c = dataset.getChunkDimensions();
        if (c.length + impliedDims != 5) {
            throw new IllegalArgumentException("chunks of rank " + c.length + " with " + impliedDims + " implied dimensions");
        }
        this.chunk = new int[5];
        Arrays.fill(chunk, 0, impliedDims, 1);
        System.arraycopy(c, 0, chunk, impliedDims, c.length);
        this.size = decoder.type().sizeBytes();
        this.chunkStrides = new int[5];
        int s = 1;
        for (int d = 4; d >= 0; d--) {
            chunkStrides[d] = s;
            s *= chunk[d];
        }
        this.fill = fillValue;
        long chunkBytes = (long) s * size;
        int capacity = (int) Math.max(2, Math.min(1 << 20, cacheBudgetBytes / Math.max(1, chunkBytes)));
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, ByteBuffer> eldest) {
                return size() > capacity;
            }
        };
    }

    private ByteBuffer chunkAt(int[] coords) throws IOException {
        long key = 0;
        for (int d = 0; d < 5; d++) {
            int g = coords[d] / chunk[d];
            offset[d] = g * chunk[d];
            key = key * ((dims[d] + chunk[d] - 1) / chunk[d]) + g;
        }
        ByteBuffer b = cache.get(key);
        if (b == null) {
            byte[] bytes;
            try {
                bytes = dataset.getDecompressedChunk(Arrays.copyOfRange(offset, impliedDims, 5));
            } catch (HdfException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("No chunk with offset")) {
                    bytes = fillChunk();
                } else {
                    throw new RecordingException(path, datasetPath, "cannot read the chunk at "
                        + Arrays.toString(offset) + ": " + e.getMessage(), e);
                }
            }
            if (bytes.length < chunkStrides[0] * chunk[0] * size) {
                throw new RecordingException(path, datasetPath, "chunk at " + Arrays.toString(offset) + " decodes to "
                    + bytes.length + " bytes, expected " + (long) chunkStrides[0] * chunk[0] * size + " (truncated or corrupt)");
            }
            b = ByteBuffer.wrap(bytes);
            cache.put(key, b);
        }
        return b;
    }

    private byte[] fillChunk() {
        byte[] b = new byte[chunkStrides[0] * chunk[0] * size];
        if (fill != null) {
            for (int i = 0; i < b.length; i += size) {
                System.arraycopy(fill, 0, b, i, size);
            }
        }
        return b;
    }

    @Override
    protected void gather(int[] coords, double[] pattern) throws IOException {
        int ky = shape.ky();
        int kx = shape.kx();
        int[] c = coords.clone();
        for (int i = 0; i < ky; i++) {
            c[dKy] = i;
            int j = 0;
            while (j < kx) {
                c[dKx] = j;
                ByteBuffer b = chunkAt(c);
                int end = Math.min(kx, (j / chunk[dKx] + 1) * chunk[dKx]);
                int e = 0;
                for (int d = 0; d < 5; d++) {
                    e += (c[d] - offset[d]) * chunkStrides[d];
                }
                if (chunkStrides[dKx] == 1) {
                    decoder.decodeRun(b, e * size, end - j, pattern, i * kx + j);
                } else {
                    for (int jj = j; jj < end; jj++) {
                        pattern[i * kx + jj] = decoder.decode(b, (e + (jj - j) * chunkStrides[dKx]) * size);
                    }
                }
                j = end;
            }
        }
    }

    @Override
    public SampleType sampleType() {
        return decoder.type();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    protected void release() {
        cache.clear();
    }

    @Override
    public void close() {
        cache.clear();
        hdf.close();
    }
}
