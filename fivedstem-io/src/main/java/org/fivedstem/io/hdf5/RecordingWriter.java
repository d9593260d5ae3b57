/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.hdf5;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.internal.Hdf5ChunkEncoder;
import org.fivedstem.io.internal.H5Type;
import org.fivedstem.io.internal.Hdf5FileWriter;

/**
 * Streams a recording into an HDF5 file in the project's raw layout, pattern by pattern, in any
 * order, with memory that does not grow with the recording:
 *
 * <ul>
 * <li>{@code /data}: dimensions {@code (t, scan_y, scan_x, k_y, k_x)}, the chosen sample type,
 *     little-endian, contiguous or — with a {@link Compression} other than {@code NONE} —
 *     chunked and compressed; attributes {@code frame_interval_s}, {@code scan_step_nm}
 *     (scalar, or {@code [y, x]} when the steps differ), {@code pixel_size_inv_nm},
 *     {@code center_px} {@code [k_y, k_x]}, {@code temperature_K} (when known) and
 *     {@code axes = "t,y,x,ky,kx"};</li>
 * <li>{@code /timestamps_s} (t) float64 when the calibration has timestamps;</li>
 * <li>optional {@code /mask} (k_y, k_x) uint8, 1 = valid pixel ({@link #putMask});</li>
 * <li>optional small float64 datasets with attributes, e.g. {@code /truth/tau_s}
 *     ({@link #putDataset}).</li>
 * </ul>
 *
 * <p>The file is written as a temporary file beside the target; {@link #commit()} checks that
 * every pattern was written and moves the file into place. Closing without a successful commit —
 * an exception inside try-with-resources — deletes the temporary file, so a failure never leaves a
 * partial recording behind.
 *
 * <pre>{@code
 * try (RecordingWriter w = RecordingWriter.create(path, Shape5D.of(100, 64, 64, 66, 66),
 *         SampleType.UINT16, calibration)) {
 *     for (int y = 0; y < 64; y++) {
 *         for (int x = 0; x < 64; x++) {
 *             w.writeFrames(y, x, simulateAllFrames(y, x)); // t-major block of 100 patterns
 *         }
 *     }
 *     w.putDataset("/truth/tau_s", new long[] {64, 64}, tauMap, Hdf5Attribute.of("units", "s"));
 *     w.commit();
 * }
 * }</pre>
 *
 * <p>Values are converted to the sample type exactly: integer types accept only integral values
 * inside their range (anything else, NaN included, is rejected with the position, pixel and
 * value), {@code float32} rounds to nearest and rejects finite values beyond its range. Patterns
 * may come in any order. Writing a pattern twice overwrites it: uncompressed, in place; compressed,
 * the new chunk is appended and the index points to it, so the earlier chunk's bytes stay in the
 * file unused (the file is that much larger). Not thread-safe.
 *
 * <p><b>Compressed layout.</b> {@code /data} is chunked with one chunk per pattern,
 * {@code (1, 1, 1, k_y, k_x)}: a pattern is the unit that arrives (so each chunk is compressed and
 * written once, as it comes, and memory stays at one pattern), and the unit that the project's
 * readers ask for (ChunkedHdf5Storage decodes one chunk per pattern, with nothing wasted; a frame
 * or a scan row per chunk would make reading one pattern decode hundreds). The cost is 15 or 16
 * bytes of index per pattern, a few bytes of filter header, and a weaker compression ratio than
 * larger chunks would give on small patterns. The chunk index is a Fixed Array written at commit, as libhdf5 writes it.
 */
public final class RecordingWriter implements AutoCloseable {

    private final Path target;
    private final Shape5D shape;
    private final SampleType type;
    private final Hdf5FileWriter file;
    private final long dataAddress;
    private final Hdf5FileWriter.Chunks chunks;
    private final int patternBytes;
    private final ByteBuffer buffer;
    private final long[] written;
    private long writtenCount;
    private boolean committed;

    private RecordingWriter(Path target, Shape5D shape, SampleType type, Hdf5FileWriter file, long dataAddress,
                            Hdf5FileWriter.Chunks chunks) {
        this.target = target;
        this.shape = shape;
        this.type = type;
        this.file = file;
        this.dataAddress = dataAddress;
        this.chunks = chunks;
        this.patternBytes = shape.patternSize() * type.sizeBytes();
        this.buffer = ByteBuffer.allocate(patternBytes).order(ByteOrder.LITTLE_ENDIAN);
        this.written = new long[(int) ((shape.patternCount() + 63) / 64)];
    }

    /**
     * Starts a recording file.
     *
     * @param target the file to create (replaced on commit if it exists); its directory must exist
     * @param shape the recording's extents
     * @param type the stored sample type
     * @param calibration written as attributes of {@code /data} (and {@code /timestamps_s})
     * @return the writer
     * @throws IOException if the temporary file cannot be created
     */
    public static RecordingWriter create(Path target, Shape5D shape, SampleType type, Calibration calibration)
        throws IOException {
        return create(target, shape, type, calibration, Set.of());
    }

    /**
     * Starts a recording file whose source lacked some calibration values: their attributes are
     * not written (the calibration's placeholders for them are ignored), so that reading the file
     * asks for them as reading the source did.
     *
     * @param target the file to create (replaced on commit if it exists); its directory must exist
     * @param shape the recording's extents
     * @param type the stored sample type
     * @param calibration written as attributes of {@code /data} (and {@code /timestamps_s})
     * @param unknown attribute names not to write: any of {@code frame_interval_s},
     *     {@code scan_step_nm}, {@code pixel_size_inv_nm}, {@code center_px}
     * @return the writer
     * @throws IOException if the temporary file cannot be created
     */
    public static RecordingWriter create(Path target, Shape5D shape, SampleType type, Calibration calibration,
                                         Set<String> unknown) throws IOException {
        return create(target, shape, type, calibration, unknown, Compression.NONE);
    }

    /**
     * Starts a recording file, compressed or not; otherwise as
     * {@link #create(Path, Shape5D, SampleType, Calibration, Set)}.
     *
     * @param target the file to create (replaced on commit if it exists); its directory must exist
     * @param shape the recording's extents
     * @param type the stored sample type
     * @param calibration written as attributes of {@code /data} (and {@code /timestamps_s})
     * @param unknown attribute names not to write (see the 5-argument overload)
     * @param compression {@link Compression#NONE} for a contiguous {@code /data}, otherwise chunks
     *     of one pattern compressed with it
     * @return the writer
     * @throws IOException if the temporary file cannot be created
     */
    public static RecordingWriter create(Path target, Shape5D shape, SampleType type, Calibration calibration,
                                         Set<String> unknown, Compression compression) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(calibration, "calibration");
        if (calibration.hasTimestamps() && calibration.timestampsSeconds().length != shape.frames()) {
            throw new IllegalArgumentException(Checks.format("calibration has %d timestamps, but the recording has %d frames",
                calibration.timestampsSeconds().length, shape.frames()));
        }
        for (String u : unknown) {
            if (!Set.of("frame_interval_s", "scan_step_nm", "pixel_size_inv_nm", "center_px").contains(u)) {
                throw new IllegalArgumentException("unknown calibration attribute '" + u
                    + "'; expected frame_interval_s, scan_step_nm, pixel_size_inv_nm or center_px");
            }
        }
        List<Hdf5Attribute> attrs = new ArrayList<>();
        if (!unknown.contains("frame_interval_s")) {
            attrs.add(Hdf5Attribute.of("frame_interval_s", calibration.frameIntervalSeconds()));
        }
        if (unknown.contains("scan_step_nm")) {
            // not known: not written
        } else if (calibration.scanStepYNm() == calibration.scanStepXNm()) {
            attrs.add(Hdf5Attribute.of("scan_step_nm", calibration.scanStepYNm()));
        } else {
            attrs.add(Hdf5Attribute.ofArray("scan_step_nm", new double[] {calibration.scanStepYNm(), calibration.scanStepXNm()}));
        }
        if (!unknown.contains("pixel_size_inv_nm")) {
            attrs.add(Hdf5Attribute.of("pixel_size_inv_nm", calibration.pixelSizeInverseNm()));
        }
        if (!unknown.contains("center_px")) {
            attrs.add(Hdf5Attribute.ofArray("center_px", new double[] {calibration.centerKyPx(), calibration.centerKxPx()}));
        }
        if (calibration.temperatureKelvin().isPresent()) {
            attrs.add(Hdf5Attribute.of("temperature_K", calibration.temperatureKelvin().getAsDouble()));
        }
        attrs.add(Hdf5Attribute.of("axes", AxisOrder.DEFAULT.toString()));
        Hdf5FileWriter f = Hdf5FileWriter.create(target);
        try {
            long[] dims = {shape.frames(), shape.scanY(), shape.scanX(), shape.ky(), shape.kx()};
            long address = -1;
            Hdf5FileWriter.Chunks chunks = null;
            if (compression == Compression.NONE) {
                address = f.reserveDataset("/data", H5Type.of(type), dims, attrs);
            } else {
                chunks = f.reserveChunkedDataset("/data", H5Type.of(type), dims, new long[] {1, 1, 1, shape.ky(), shape.kx()},
                    Hdf5ChunkEncoder.of(compression, type.sizeBytes()), attrs);
            }
            if (calibration.hasTimestamps() && !unknown.contains("frame_interval_s")) {
                f.putDataset("/timestamps_s", H5Type.FLOAT64, new long[] {shape.frames()},
                    float64(calibration.timestampsSeconds()), List.of(Hdf5Attribute.of("units", "s")));
            }
            return new RecordingWriter(target, shape, type, f, address, chunks);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** @return the recording's extents */
    public Shape5D shape() {
        return shape;
    }

    /** @return the stored sample type */
    public SampleType sampleType() {
        return type;
    }

    /** @return number of distinct patterns written so far */
    public long patternsWritten() {
        return writtenCount;
    }

    /**
     * Writes one pattern.
     *
     * @param frame frame index
     * @param y scan row
     * @param x scan column
     * @param pattern {@code ky * kx} values, row-major. <i>Not modified.</i>
     * @throws IOException if writing fails
     */
    public void writePattern(int frame, int y, int x, double[] pattern) throws IOException {
        Checks.length("pattern", shape.patternSize(), pattern.length);
        writeAt(frame, y, x, pattern, 0);
    }

    /**
     * Writes all frames of one scan position (the simulator's natural order).
     *
     * @param y scan row
     * @param x scan column
     * @param frames {@code frames * ky * kx} values: frame 0's pattern, then frame 1's, …
     *     <i>Not modified.</i>
     * @throws IOException if writing fails
     */
    public void writeFrames(int y, int x, double[] frames) throws IOException {
        Checks.length("frames", shape.frames() * shape.patternSize(), frames.length);
        for (int t = 0; t < shape.frames(); t++) {
            writeAt(t, y, x, frames, t * shape.patternSize());
        }
    }

    private void writeAt(int frame, int y, int x, double[] src, int offset) throws IOException {
        requireOpen();
        Checks.index("frame", frame, shape.frames());
        Checks.index("y", y, shape.scanY());
        Checks.index("x", x, shape.scanX());
        buffer.clear();
        int n = shape.patternSize();
        for (int i = 0; i < n; i++) {
            double v = src[offset + i];
            if (type.isFloatingPoint()) {
                if (type == SampleType.FLOAT32) {
                    if (Math.abs(v) > Float.MAX_VALUE && Double.isFinite(v)) {
                        throw badValue(frame, y, x, i, v, "beyond the float32 range");
                    }
                    buffer.putFloat((float) v);
                } else {
                    buffer.putDouble(v);
                }
                continue;
            }
            if (!(v >= type.minValue() && v <= type.maxValue()) || v != Math.rint(v)) {
                throw badValue(frame, y, x, i, v, Checks.format("not an integer in [%.0f, %.0f]", type.minValue(), type.maxValue()));
            }
            long l = (long) v;
            switch (type.sizeBytes()) {
                case 1: buffer.put((byte) l); break;
                case 2: buffer.putShort((short) l); break;
                default: buffer.putInt((int) l); break;
            }
        }
        buffer.flip();
        long index = ((long) frame * shape.scanY() + y) * shape.scanX() + x;
        if (chunks == null) {
            file.write(dataAddress + index * patternBytes, buffer);
        } else {
            chunks.write(index, buffer.array());
        }
        long bit = 1L << (index & 63);
        int word = (int) (index >>> 6);
        if ((written[word] & bit) == 0) {
            written[word] |= bit;
            writtenCount++;
        }
    }

    private IllegalArgumentException badValue(int frame, int y, int x, int pixel, double v, String rule) {
        return new IllegalArgumentException(Checks.format(
            "pattern (t=%d, y=%d, x=%d) pixel (%d, %d) = %s cannot be stored as %s: %s",
            frame, y, x, pixel / shape.kx(), pixel % shape.kx(), v, type, rule));
    }

    /**
     * Adds {@code /mask}: uint8 (k_y, k_x), 1 = valid pixel, 0 = masked.
     *
     * @param mask a mask of the pattern size
     */
    public void putMask(DetectorMask mask) {
        requireOpen();
        if (mask.ky() != shape.ky() || mask.kx() != shape.kx()) {
            throw new IllegalArgumentException(Checks.format("mask of %d×%d pixels does not match the %d×%d patterns",
                mask.ky(), mask.kx(), shape.ky(), shape.kx()));
        }
        boolean[] v = mask.toArray();
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) (v[i] ? 1 : 0);
        }
        file.putDataset("/mask", H5Type.UINT8, new long[] {shape.ky(), shape.kx()}, b,
            List.of(Hdf5Attribute.of("description", "1 = valid detector pixel, 0 = masked")));
    }

    /**
     * Adds a small float64 dataset, e.g. a ground-truth map {@code /truth/tau_s} of
     * {@code (scan_y, scan_x)}. Held in memory until {@link #commit()}.
     *
     * @param path absolute path; groups on the way are created
     * @param dims dimensions, row-major
     * @param values the values (copied; NaN allowed)
     * @param attributes attributes of the dataset
     */
    public void putDataset(String path, long[] dims, double[] values, Hdf5Attribute... attributes) {
        requireOpen();
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(Checks.format("dataset %s has dimensions %s (%d values) but %d values were given",
                path, Arrays.toString(dims), n, values.length));
        }
        file.putDataset(path, H5Type.FLOAT64, dims, float64(values), List.of(attributes));
    }

    /**
     * Adds attributes to a group, e.g. provenance on {@code "/"} or parameters on {@code "/truth"}.
     *
     * @param path absolute group path
     * @param attributes the attributes
     */
    public void putGroupAttributes(String path, Hdf5Attribute... attributes) {
        requireOpen();
        file.putGroupAttributes(path, List.of(attributes));
    }

    /**
     * Finishes the file and moves it into place.
     *
     * @throws IOException if writing or moving fails
     * @throws IllegalStateException if a pattern was never written (naming the first missing one)
     */
    public void commit() throws IOException {
        requireOpen();
        if (writtenCount != shape.patternCount()) {
            long missing = firstMissing();
            int x = (int) (missing % shape.scanX());
            int y = (int) (missing / shape.scanX() % shape.scanY());
            int t = (int) (missing / shape.scanX() / shape.scanY());
            throw new IllegalStateException(Checks.format(
                "%s: %d of %d patterns were written; the first missing is t=%d, y=%d, x=%d",
                target, writtenCount, shape.patternCount(), t, y, x));
        }
        file.commit();
        committed = true;
    }

    private long firstMissing() {
        for (int w = 0; w < written.length; w++) {
            if (written[w] != -1L) {
                return w * 64L + Long.numberOfTrailingZeros(~written[w]);
            }
        }
        return shape.patternCount();
    }

    private void requireOpen() {
        if (committed) {
            throw new IllegalStateException("recording " + target + " is already committed");
        }
    }

    /** Closes; without a successful {@link #commit()} the temporary file is deleted. */
    @Override
    public void close() throws IOException {
        file.close();
    }

    private static byte[] float64(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    @Override
    public String toString() {
        return Checks.format("RecordingWriter[%s, %s, %s, %s, %d/%d patterns written%s]", target, shape, type,
            chunks == null ? "contiguous" : chunks.toString(), writtenCount, shape.patternCount(), committed ? ", committed" : "");
    }
}
