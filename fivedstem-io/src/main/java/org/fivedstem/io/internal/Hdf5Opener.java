/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.FrameMapping;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.SampleType;

/**
 * Opens recordings in HDF5 files through jhdf: finds and checks the dataset, chooses contiguous
 * (memory-mapped) or chunked (jhdf chunks, own decoding) reading, reads calibration, timestamps
 * and mask. Every failure becomes a {@link RecordingException} with file and dataset path.
 */
public final class Hdf5Opener {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private Hdf5Opener() {
    }

    /** {@link #open}'s rank for "5, or 3 as a frame stack". */
    public static final int RANK_5_OR_FRAMES = -1;

    /** What was found in one HDF5 file. */
    public static final class Opened {
        /**
         * The storage (5D; a 4D dataset has a leading t of extent 1; a frame stack is (1, 1, N, ky, kx),
         * a {@link GatheringStorage}).
         */
        public final GatheringStorage storage;
        /** Attribute lookup (dataset, then its groups up to the root). */
        public final Function<String, double[]> attributes;
        /** Timestamps from a sibling {@code timestamps_s}, or {@code null}. */
        public final double[] timestamps;
        /** Mask from a sibling {@code mask}, or {@code null}. */
        public final DetectorMask mask;
        /** The dataset's attribute {@code axes} if present, else {@code null}. */
        public final String axesAttribute;
        /** Whether the dataset is a stack of frames (N, ky, kx) that needs a {@link FrameStreamStorage}. */
        public final boolean frameStack;

        /**
         * The storage as a recording: a frame stack mapped onto (t, y, x) by the options' frame
         * mapping (closed if that fails), anything else as it is.
         *
         * @param file the file, for messages
         * @param dataset the dataset, for messages
         * @param mapping the frame mapping
         * @param format what the stack is, e.g. {@code "HDF5"} or {@code "HyperSpy"}
         * @return the storage
         * @throws RecordingException if the frames do not fit the mapping
         */
        public GatheringStorage asRecording(Path file, String dataset, FrameMapping mapping, String format)
            throws RecordingException {
            if (!frameStack) {
                return storage;
            }
            return FrameStreamStorage.open(file, dataset, List.of(storage), mapping, format + " frame stack "
                + storage.description(), "");
        }

        Opened(GatheringStorage storage, Function<String, double[]> attributes, double[] timestamps, DetectorMask mask,
               String axesAttribute, boolean frameStack) {
            this.frameStack = frameStack;
            this.storage = storage;
            this.attributes = attributes;
            this.timestamps = timestamps;
            this.mask = mask;
            this.axesAttribute = axesAttribute;
        }
    }

    /**
     * @param file a file
     * @return whether the file starts with the HDF5 signature (at 0 or a user-block offset)
     * @throws IOException if the file cannot be read
     */
    public static boolean isHdf5(Path file) throws IOException {
        long size = Files.size(file);
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            for (long at = 0; at + 8 <= size; at = at == 0 ? 512 : at * 2) {
                ByteBuffer b = ByteBuffer.allocate(8);
                ch.read(b, at);
                if (Arrays.equals(b.array(), SIGNATURE)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Checks that a file exists, is readable and is HDF5.
     *
     * @param file the file
     * @throws RecordingException otherwise
     */
    public static void requireHdf5(Path file) throws RecordingException {
        requireReadable(file);
        try {
            if (!isHdf5(file)) {
                throw new RecordingException(file, null, "not an HDF5 file (no HDF5 signature at offset 0, 512, 1024, …)");
            }
        } catch (RecordingException e) {
            throw e;
        } catch (IOException e) {
            throw new RecordingException(file, null, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * @param file a file
     * @throws RecordingException if it does not exist, is a directory or is unreadable
     */
    public static void requireReadable(Path file) throws RecordingException {
        if (!Files.exists(file)) {
            throw new RecordingException(file, null, "file does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new RecordingException(file, null, "not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new RecordingException(file, null, "file is not readable (permissions)");
        }
    }

    /**
     * Opens a dataset of rank 5, 4 (one time step of a series: t is implied) or 3 (a frame stack
     * {@code (N, ky, kx)}, opened as shape {@code (1, 1, N, ky, kx)} in order t,y,x,ky,kx for a
     * {@link FrameStreamStorage}).
     *
     * @param file the file
     * @param datasetPath the dataset
     * @param axes the axis order (5 axes; for a 4D dataset t must come first and is implied)
     * @param rank the rank required: 5, 4, 3, or {@link #RANK_5_OR_FRAMES} for either 5 or 3
     *     (then {@link Opened#frameStack} says which)
     * @param cacheBytes chunk cache budget
     * @param axesFromFile whether {@code axes} may be replaced by the dataset's {@code axes} attribute
     * @return what was found
     * @throws RecordingException for any problem
     */
    public static Opened open(Path file, String datasetPath, AxisOrder axes, int rank, long cacheBytes,
                              boolean axesFromFile) throws RecordingException {
        requireHdf5(file);
        HdfFile hdf;
        try {
            hdf = new HdfFile(file);
        } catch (HdfException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            throw new RecordingException(file, null, "cannot open as HDF5 (truncated or corrupt?): " + e.getMessage(), e);
        }
        boolean keepOpen = false;
        try {
            Dataset ds = findDataset(file, hdf, datasetPath);
            int[] dims = ds.getDimensions();
            boolean rank4 = rank == 4;
            boolean frames = dims.length == 3 && (rank == 3 || rank == RANK_5_OR_FRAMES);
            if (!frames && dims.length != (rank4 ? 4 : 5)) {
                throw new RecordingException(file, datasetPath, Checks.format(
                    "dataset has rank %d (dimensions %s); expected %s", dims.length, Arrays.toString(dims),
                    rank4 ? "4 dimensions (y, x, ky, kx in some order)" : rank == 3 ? "3 dimensions (frames, ky, kx)"
                        : rank == 5 ? "5 dimensions (t, y, x, ky, kx in some order)"
                        : "5 dimensions (t, y, x, ky, kx in some order) or 3 (a stack of frames, ky, kx, with the scan "
                        + "given by --scan)"));
            }
            String axesAttr = null;
            Attribute a = ds.getAttribute("axes");
            if (a != null && a.getData() instanceof String) {
                axesAttr = (String) a.getData();
            }
            AxisOrder order = axes;
            if (frames) {
                if (rank == RANK_5_OR_FRAMES && !axesFromFile) {
                    throw new RecordingException(file, datasetPath, Checks.format("dataset is a stack of %d frames of %d × %d "
                        + "pixels: --axes does not apply; say how the frames map onto the scan with --scan, --frame-order "
                        + "and --skip-frames", dims[0], dims[1], dims[2]));
                }
                order = AxisOrder.DEFAULT;
            } else if (axesFromFile && axesAttr != null && !rank4) {
                try {
                    order = AxisOrder.parse(axesAttr);
                } catch (IllegalArgumentException e) {
                    throw new RecordingException(file, datasetPath, "attribute axes is invalid: " + e.getMessage(), e);
                }
            }
            if (rank4 && order.axis(0) != org.fivedstem.api.Axis.T) {
                throw new RecordingException(file, datasetPath, "axes " + order + " of a series of 4D files must start with t");
            }
            int implied = 5 - dims.length;
            int[] dims5 = new int[5];
            Arrays.fill(dims5, 0, implied, 1);
            System.arraycopy(dims, 0, dims5, implied, dims.length);
            Shape5D shape;
            try {
                shape = order.shapeOf(dims5);
            } catch (IllegalArgumentException e) {
                throw new RecordingException(file, datasetPath, "dimensions " + Arrays.toString(dims) + ": " + e.getMessage(), e);
            }
            Decoder decoder = decoder(file, datasetPath, ds.getDataType());
            String layoutText;
            GatheringStorage storage;
            if (ds instanceof ContiguousDataset) {
                long address = ((ContiguousDataset) ds).getDataAddress();
                long bytes = shape.valueCount() * decoder.type().sizeBytes();
                long fileSize = Files.size(file);
                if (address < 0 || address + bytes > fileSize) {
                    throw new RecordingException(file, datasetPath, Checks.format(
                        "file is truncated: the data block needs bytes %d–%d but the file has %d bytes",
                        address, address + bytes, fileSize));
                }
                layoutText = "contiguous";
                storage = new ContiguousStorage(file, address, shape, order, decoder,
                    describe(file, datasetPath, decoder, layoutText, order, shape));
            } else if (ds instanceof ChunkedDataset) {
                ChunkedDataset cd = (ChunkedDataset) ds;
                List<String> filters = new ArrayList<>();
                try {
                    for (PipelineFilterWithData f : cd.getFilters()) {
                        filters.add(f.getName());
                    }
                } catch (HdfException e) {
                    throw new RecordingException(file, datasetPath, "unsupported compression filter " + filterName(e.getMessage())
                        + "; readable are deflate (gzip), shuffle, fletcher32, LZF, LZ4, zstd and bitshuffle (with LZ4 or zstd)", e);
                }
                int[] chunk = cd.getChunkDimensions();
                layoutText = "chunked" + Arrays.toString(chunk).replace('[', '(').replace(']', ')').replace(" ", "")
                    + (filters.isEmpty() ? "" : " " + String.join("+", filters).toLowerCase(Locale.ROOT));
                byte[] fill = fillBytes(ds.getFillValue(), decoder);
                storage = new ChunkedHdf5Storage(file, datasetPath, hdf, cd, shape, order, decoder, fill, cacheBytes,
                    describe(file, datasetPath, decoder, layoutText, order, shape), implied);
                keepOpen = true;
            } else {
                throw new RecordingException(file, datasetPath, "dataset layout " + ds.getDataLayout()
                    + " is not supported; expected contiguous or chunked storage");
            }
            try {
                Group parent = ds.getParent();
                Function<String, double[]> attrs = attributeLookup(ds);
                double[] timestamps = null;
                Node t = parent.getChild("timestamps_s");
                if (t instanceof Dataset) {
                    timestamps = toDoubles(((Dataset) t).getDataFlat());
                }
                DetectorMask mask = null;
                Node m = parent.getChild("mask");
                if (m instanceof Dataset) {
                    mask = maskOf(file, m.getPath(), (Dataset) m, shape.ky(), shape.kx());
                }
                return new Opened(storage, attrs, timestamps, mask, axesAttr, frames);
            } catch (RecordingException | RuntimeException e) {
                keepOpen = false; // the storage, and with it the file, is given up
                Assembly.closeQuietly(storage, e);
                throw e;
            }
        } catch (RecordingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // The message only: a user needs what failed, not jhdf's exception class.
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new RecordingException(file, datasetPath, "cannot read (truncated or corrupt?): " + why, e);
        } finally {
            if (!keepOpen) {
                hdf.close();
            }
        }
    }

    /**
     * Names the filter in jhdf's "filter is not available" message by its registered HDF5 id (jhdf
     * calls the ones it does not know 'undefined').
     */
    static String filterName(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("id=(\\d+)").matcher(message == null ? "" : message);
        if (!m.find()) {
            return "(" + message + ")";
        }
        int id = Integer.parseInt(m.group(1));
        String name;
        switch (id) {
            case 4: name = "szip"; break;
            case 5: name = "nbit"; break;
            case 6: name = "scaleoffset"; break;
            case 32001: name = "blosc"; break;
            case 32015: name = "zstd"; break;
            case 32026: name = "blosc2"; break;
            default: name = "unknown";
        }
        return "'" + name + "' (HDF5 filter id " + id + ")";
    }

    private static String describe(Path file, String ds, Decoder d, String layout, AxisOrder order, Shape5D shape) {
        return file.getFileName() + ":" + ds + " " + d + " " + layout + " " + order;
    }

    /**
     * Finds a dataset, listing the datasets that exist when it is missing.
     *
     * @param file the file (messages)
     * @param hdf the open file
     * @param path the dataset path
     * @return the dataset
     * @throws RecordingException if the path does not name a dataset
     */
    public static Dataset findDataset(Path file, HdfFile hdf, String path) throws RecordingException {
        Node n;
        try {
            n = hdf.getByPath(path);
        } catch (HdfException e) {
            n = null;
        }
        if (n instanceof Dataset) {
            return (Dataset) n;
        }
        List<String> found = new ArrayList<>();
        listDatasets(hdf, found);
        throw new RecordingException(file, path, (n == null ? "no such dataset" : "is a group, not a dataset")
            + "; the file holds " + (found.isEmpty() ? "no datasets" : String.join(", ", found)));
    }

    private static void listDatasets(Group g, List<String> out) {
        for (Node n : g) {
            try {
                if (n instanceof Dataset) {
                    Dataset d = (Dataset) n;
                    out.add(d.getPath() + " " + Arrays.toString(d.getDimensions()));
                } else if (n instanceof Group) {
                    listDatasets((Group) n, out);
                }
            } catch (HdfException e) {
                out.add(n.getPath() + " (unreadable)");
            }
        }
    }

    /**
     * @param file for messages
     * @param path for messages
     * @param t a jhdf data type
     * @return a decoder for it
     * @throws RecordingException for types other than 8/16/32-bit integers and 32/64-bit floats
     */
    public static Decoder decoder(Path file, String path, DataType t) throws RecordingException {
        if (t instanceof FixedPoint) {
            FixedPoint f = (FixedPoint) t;
            int size = f.getSize();
            if (f.getBitOffset() == 0 && f.getBitPrecision() == size * 8 && size <= 4) {
                SampleType s = size == 1 ? (f.isSigned() ? SampleType.INT8 : SampleType.UINT8)
                    : size == 2 ? (f.isSigned() ? SampleType.INT16 : SampleType.UINT16)
                    : (f.isSigned() ? SampleType.INT32 : SampleType.UINT32);
                return new Decoder(s, f.getByteOrder());
            }
            throw new RecordingException(file, path, Checks.format(
                "%s %d-bit integers (%d significant bits) are not supported; expected 8, 16 or 32-bit integers or 32/64-bit floats",
                f.isSigned() ? "signed" : "unsigned", size * 8, (int) f.getBitPrecision()));
        }
        if (t instanceof FloatingPoint) {
            FloatingPoint f = (FloatingPoint) t;
            if (f.getSize() == 4 || f.getSize() == 8) {
                return new Decoder(f.getSize() == 4 ? SampleType.FLOAT32 : SampleType.FLOAT64, f.getByteOrder());
            }
            throw new RecordingException(file, path, f.getSize() * 8 + "-bit floats are not supported; expected 32 or 64 bits");
        }
        throw new RecordingException(file, path, "data type " + t.getClass().getSimpleName()
            + " is not supported; expected 8, 16 or 32-bit integers or 32/64-bit floats");
    }

    private static byte[] fillBytes(Object fill, Decoder d) {
        if (!(fill instanceof Number)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(d.type().sizeBytes()).order(d.order());
        Number n = (Number) fill;
        switch (d.type()) {
            case UINT8: case INT8: b.put(n.byteValue()); break;
            case UINT16: case INT16: b.putShort(n.shortValue()); break;
            case UINT32: case INT32: b.putInt((int) n.longValue()); break;
            case FLOAT32: b.putFloat(n.floatValue()); break;
            default: b.putDouble(n.doubleValue());
        }
        return b.array();
    }

    /**
     * @param node a dataset
     * @return a lookup of numeric attributes on the node, then its groups up to the root
     */
    public static Function<String, double[]> attributeLookup(Node node) {
        return name -> {
            for (Node n = node; n != null; n = n.getParent() == n ? null : n.getParent()) {
                Attribute a = n.getAttribute(name);
                if (a != null) {
                    return toDoubles(a.getData());
                }
                if (n.getPath().equals("/")) {
                    break;
                }
            }
            return null;
        };
    }

    /**
     * @param data a number, a numeric array (any rank) or something else
     * @return the numbers flattened, or {@code null} if not numeric
     */
    public static double[] toDoubles(Object data) {
        if (data instanceof Number) {
            return new double[] {((Number) data).doubleValue()};
        }
        if (data == null || !data.getClass().isArray()) {
            return null;
        }
        if (data instanceof double[]) {
            return ((double[]) data).clone();
        }
        if (data instanceof float[] || data instanceof int[] || data instanceof long[] || data instanceof short[]
            || data instanceof byte[]) {
            double[] d = new double[Array.getLength(data)];
            for (int i = 0; i < d.length; i++) {
                d[i] = ((Number) Array.get(data, i)).doubleValue();
            }
            return d;
        }
        List<Double> out = new ArrayList<>();
        if (!flatten(data, out)) {
            return null;
        }
        double[] d = new double[out.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = out.get(i);
        }
        return d;
    }

    private static boolean flatten(Object data, List<Double> out) {
        int n = Array.getLength(data);
        for (int i = 0; i < n; i++) {
            Object v = Array.get(data, i);
            if (v instanceof Number) {
                out.add(((Number) v).doubleValue());
            } else if (v != null && v.getClass().isArray()) {
                if (!flatten(v, out)) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a 2D mask dataset: non-zero = valid.
     *
     * @param file for messages
     * @param path dataset path
     * @param ds the dataset
     * @param ky expected rows
     * @param kx expected columns
     * @return the mask
     * @throws RecordingException if the shape does not match or the values are not numeric
     */
    public static DetectorMask maskOf(Path file, String path, Dataset ds, int ky, int kx) throws RecordingException {
        int[] d = ds.getDimensions();
        if (d.length != 2 || d[0] != ky || d[1] != kx) {
            throw new RecordingException(file, path, Checks.format(
                "mask has dimensions %s; expected [%d, %d] (k_y, k_x) like the diffraction patterns", Arrays.toString(d), ky, kx));
        }
        Object flat = ds.getDataFlat();
        double[] v = toDoubles(flat);
        if (v == null && flat instanceof boolean[]) {
            boolean[] b = (boolean[]) flat;
            return DetectorMask.of(ky, kx, b);
        }
        if (v == null) {
            throw new RecordingException(file, path, "mask is not numeric; expected 0 = masked, non-zero = valid");
        }
        boolean[] valid = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            valid[i] = v[i] != 0;
        }
        return DetectorMask.of(ky, kx, valid);
    }

    /**
     * Reads a mask from an HDF5 file (dataset {@code /mask}).
     *
     * @param file the file
     * @param ky expected rows
     * @param kx expected columns
     * @return the mask
     * @throws RecordingException for any problem
     */
    public static DetectorMask readMaskFile(Path file, int ky, int kx) throws RecordingException {
        requireHdf5(file);
        try (HdfFile hdf = new HdfFile(file)) {
            return maskOf(file, "/mask", findDataset(file, hdf, "/mask"), ky, kx);
        } catch (HdfException e) {
            throw new RecordingException(file, "/mask", "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Assembles the calibration for a dataset found by {@link #open}.
     *
     * @param file the file
     * @param datasetPath the dataset
     * @param opened what was found
     * @param o the options
     * @return the calibration
     * @throws RecordingException naming a missing value
     */
    public static Calibration calibration(Path file, String datasetPath, Opened opened, OpenOptions o) throws RecordingException {
        return CalibrationResolver.resolve(file, datasetPath, "on " + datasetPath + ", its groups or the root",
            opened.attributes, opened.timestamps, o);
    }
}
