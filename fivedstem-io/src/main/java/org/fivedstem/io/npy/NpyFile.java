/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.npy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fivedstem.api.Axis;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.internal.Assembly;
import org.fivedstem.io.internal.CalibrationResolver;
import org.fivedstem.io.internal.ContiguousStorage;
import org.fivedstem.io.internal.Decoder;
import org.fivedstem.io.internal.Hdf5Opener;
import org.fivedstem.io.internal.RawOpener;

/**
 * A NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0): its header, and its data as a
 * memory-mapped recording or a small array.
 *
 * <p><b>Why a hand-written header parser.</b> The Java libraries for {@code .npy} that exist are
 * either unmaintained or pull in a Kotlin runtime; the format is small and fully specified
 * (numpy.lib.format): the magic {@code \x93NUMPY}, a major and minor version byte, the header
 * length (2 bytes little-endian in 1.0, 4 bytes in 2.0/3.0), then a Python dict literal such as
 * {@code {'descr': '<u2', 'fortran_order': False, 'shape': (3, 4, 5, 6, 7), }} padded with
 * spaces to a multiple of 64 bytes, then the data. This parser reads exactly those three keys;
 * {@code descr} must be a simple type ({@code |u1 |i1 <u2 >u2 <i2 <u4 <i4 <f4 >f4 <f8 >f8 |b1}
 * and the like); structured and 64-bit integer types are rejected with their descr.
 * {@code fortran_order: True} files are read with their axes reversed, without copying.
 */
public final class NpyFile {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final Path file;
    private final SampleType type;
    private final ByteOrder order;
    private final boolean fortranOrder;
    private final int[] shape;
    private final long dataOffset;
    private final String descr;

    private NpyFile(Path file, String descr, SampleType type, ByteOrder order, boolean fortranOrder, int[] shape, long dataOffset) {
        this.file = file;
        this.descr = descr;
        this.type = type;
        this.order = order;
        this.fortranOrder = fortranOrder;
        this.shape = shape;
        this.dataOffset = dataOffset;
    }

    /**
     * Reads the header.
     *
     * @param file a {@code .npy} file
     * @return the file's description
     * @throws RecordingException if the file is missing, not {@code .npy}, truncated or of an unsupported type
     */
    public static NpyFile open(Path file) throws RecordingException {
        Hdf5Opener.requireReadable(file);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(10);
            if (head.length < 10 || !Arrays.equals(Arrays.copyOf(head, 6), MAGIC)) {
                throw new RecordingException(file, null, "not a NumPy .npy file (no \\x93NUMPY magic)");
            }
            int major = head[6];
            long headerLen;
            int prefix;
            if (major == 1) {
                headerLen = (head[8] & 0xff) | (head[9] & 0xff) << 8;
                prefix = 10;
            } else if (major == 2 || major == 3) {
                byte[] more = in.readNBytes(2);
                if (more.length < 2) {
                    throw new RecordingException(file, null, ".npy header is truncated");
                }
                headerLen = (head[8] & 0xff) | (head[9] & 0xff) << 8 | (more[0] & 0xff) << 16 | (long) (more[1] & 0xff) << 24;
                prefix = 12;
            } else {
                throw new RecordingException(file, null, ".npy format version " + major + " is not supported; expected 1, 2 or 3");
            }
            byte[] h = in.readNBytes((int) headerLen);
            if (h.length < headerLen) {
                throw new RecordingException(file, null, ".npy header is truncated");
            }
            String header = new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            Matcher f = FORTRAN.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !f.find() || !s.find()) {
                throw new RecordingException(file, null, ".npy header lacks a simple descr, fortran_order or shape: " + header.trim());
            }
            String descr = d.group(1);
            ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            String code = descr.replaceFirst("^[<>|=]", "");
            SampleType type;
            if (code.equals("b1")) {
                type = SampleType.UINT8;
            } else {
                try {
                    type = SampleType.parse(code);
                } catch (IllegalArgumentException e) {
                    throw new RecordingException(file, null, ".npy dtype '" + descr
                        + "' is not supported; expected 8, 16 or 32-bit integers, 32/64-bit floats or bool");
                }
            }
            String[] parts = s.group(1).split(",");
            int n = 0;
            int[] dims = new int[parts.length];
            for (String p : parts) {
                if (!p.isBlank()) {
                    dims[n++] = Integer.parseInt(p.trim());
                }
            }
            dims = Arrays.copyOf(dims, n);
            NpyFile npy = new NpyFile(file, descr, type, order, f.group(1).equals("True"), dims, prefix + headerLen);
            long need = npy.dataOffset + npy.elementCount() * type.sizeBytes();
            long size = Files.size(file);
            if (size < need) {
                throw new RecordingException(file, null, Checks.format(
                    "file is truncated: shape %s of %s needs %d bytes, the file has %d", Arrays.toString(dims), descr, need, size));
            }
            return npy;
        } catch (RecordingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RecordingException(file, null, "cannot read the .npy header: " + e.getMessage(), e);
        }
    }

    /** @return the array's shape, in C (row-major) order as NumPy reports it (a copy) */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the stored sample type ({@code bool} reads as {@link SampleType#UINT8}) */
    public SampleType type() {
        return type;
    }

    /** @return the stored byte order */
    public ByteOrder byteOrder() {
        return order;
    }

    /** @return whether the data is stored in Fortran (column-major) order */
    public boolean isFortranOrder() {
        return fortranOrder;
    }

    /** @return byte offset of the first element */
    public long dataOffset() {
        return dataOffset;
    }

    /** @return number of elements */
    public long elementCount() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * Reads the whole array (for masks and small arrays), in C order.
     *
     * @return the values, row-major in {@link #shape()}
     * @throws RecordingException if reading fails or the array is larger than 2³¹ − 9 elements
     */
    public double[] readAll() throws RecordingException {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new RecordingException(file, null, "array of " + n + " elements is too large to read at once; open it as a recording");
        }
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate((int) n * type.sizeBytes());
            while (b.hasRemaining()) {
                if (ch.read(b, dataOffset + b.position()) < 0) {
                    throw new RecordingException(file, null, "file is truncated");
                }
            }
            double[] raw = new double[(int) n];
            new Decoder(type, order).decodeRun(b, 0, (int) n, raw, 0);
            if (!fortranOrder || shape.length < 2) {
                return raw;
            }
            double[] c = new double[raw.length];
            int[] idx = new int[shape.length];
            for (int i = 0; i < c.length; i++) {
                // i is the Fortran linear index: first axis fastest
                int rem = i;
                for (int d = 0; d < shape.length; d++) {
                    idx[d] = rem % shape[d];
                    rem /= shape[d];
                }
                int ci = 0;
                for (int d = 0; d < shape.length; d++) {
                    ci = ci * shape[d] + idx[d];
                }
                c[ci] = raw[i];
            }
            return c;
        } catch (IOException e) {
            throw new RecordingException(file, null, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a 5D {@code .npy} array as a memory-mapped recording. The axis order names the
     * array's axes in C order (options, else the sidecar's {@code "axes"}, else
     * {@code t,y,x,ky,kx}); calibration comes from a JSON sidecar ({@code name.npy.json} or
     * {@code name.json}, keys as the HDF5 attributes) and the options.
     *
     * @param file the file
     * @param o options
     * @return the dataset
     * @throws RecordingException for any problem
     */
    public static Dataset5D openRecording(Path file, OpenOptions o) throws RecordingException {
        NpyFile npy = open(file);
        if (npy.shape.length != 5) {
            throw new RecordingException(file, null, Checks.format(
                "array has rank %d (shape %s); expected 5 dimensions (t, y, x, ky, kx in some order)",
                npy.shape.length, Arrays.toString(npy.shape)));
        }
        var side = RawOpener.readSidecar(file);
        Path sidePath = RawOpener.sidecarOf(file);
        try {
            AxisOrder axes = o.axes() != null ? o.axes()
                : side != null && side.has("axes") ? AxisOrder.parse(side.get("axes").getAsString()) : AxisOrder.DEFAULT;
            Shape5D shape = axes.shapeOf(npy.shape);
            AxisOrder storageAxes = axes;
            if (npy.fortranOrder) {
                Axis[] a = axes.axes();
                storageAxes = AxisOrder.of(a[4], a[3], a[2], a[1], a[0]);
            }
            Decoder dec = new Decoder(npy.type, npy.order);
            ContiguousStorage storage = new ContiguousStorage(file, npy.dataOffset, shape, storageAxes, dec,
                file.getFileName() + " npy " + npy.descr + (npy.fortranOrder ? " fortran" : "") + " " + storageAxes);
            Calibration cal;
            try {
                cal = CalibrationResolver.resolve(file, null, "in the sidecar " + sidePath.getFileName(),
                    RawOpener.lookup(side, sidePath), null, o);
            } catch (RecordingException | RuntimeException e) {
                storage.close();
                throw e;
            }
            return Assembly.assemble(file, null, storage, cal, null, o);
        } catch (RecordingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RecordingException(file, null, e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return Checks.format("NpyFile[%s, %s %s%s, data at byte %d]", file.getFileName(), descr, Arrays.toString(shape),
            fortranOrder ? " fortran order" : "", dataOffset);
    }
}
