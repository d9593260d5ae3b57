/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.hdf5.Hdf5Attribute;

/**
 * A minimal HDF5 writer: groups, contiguous and chunked-compressed datasets of fixed-point and
 * floating-point numbers, and attributes (float64, int64, UTF-8 strings), written into a
 * temporary file beside the target and moved into place by {@link #commit()}.
 *
 * <p><b>Why hand-written.</b> jhdf 0.11.0's writer ({@code HdfFile.write(path).putDataset(name,
 * array)}) takes each dataset as one in-memory Java array and writes it when the file closes, so
 * a recording of several GB would need several GB of heap (and arrays are limited to 2³¹
 * elements); it also has no unsigned types (results need {@code uint8} for {@code fit_status}).
 * Writing patterns one at a time, in any order, into a pre-allocated contiguous block by
 * positional writes needs control of the file layout, which jhdf does not offer. The format
 * produced here is small and standard, and every file is checked in the tests by reading it back
 * with jhdf and with h5py (libhdf5).
 *
 * <p><b>Layout</b> (HDF5 file format specification 3.0): a version-2 superblock at 0; large
 * datasets' data blocks from byte 4096 on, reserved when declared so that they can be filled by
 * positional writes in any order; at commit, the small datasets' data, a global heap collection
 * for the string attributes, and version-2 object headers (compact link storage for groups) are
 * appended, and finally the superblock is written. Checksums are Jenkins lookup3 ({@link
 * Lookup3}). All numbers are little-endian.
 *
 * <p><b>Chunked datasets</b> ({@link #reserveChunkedDataset}) are compressed chunk by chunk as
 * they are written, in any order: each compressed chunk is appended at the end of the file at
 * once, so memory does not grow with the dataset. Their chunk index is a Fixed Array (data layout
 * message version 4, index type 3; specification sections "Data Layout Message" and "Fixed Array
 * Index"), the index libhdf5 itself uses for chunked datasets without unlimited dimensions. Its
 * data block is reserved when the dataset is declared, each chunk's entry (address, compressed
 * size, filter mask 0) is written into it by a positional write, and at commit the checksums are
 * computed page by page and the header ({@code FAHD}) is written. As libhdf5 does by default,
 * pages hold 2¹⁰ entries: an index of more than 1024 chunks is paged (a page-initialised bitmap
 * after the block's prefix, then the pages, each with its own checksum), which keeps every piece
 * of index libhdf5 caches small. The writer itself keeps one bit per chunk (written or not);
 * chunks never written get the undefined address, which libhdf5 shows as the fill value (jhdf 0.11
 * fails on them when reading the whole dataset, as it does on libhdf5's own files). A chunk written
 * again is appended again and its entry replaced: the earlier bytes stay in the file, unused. The
 * layout message is version 4, whose entries give a chunk's size in as few bytes as libhdf5's rule
 * allows, not version 5 (HDF5 2.0's default, 8 bytes), so that HDF5 1.10 to 2.0 and jhdf all read
 * it.
 *
 * <p>Not thread-safe.
 */
public final class Hdf5FileWriter implements Closeable {

    private static final long UNDEFINED = -1L;
    private static final int FIRST_DATA_ADDRESS = 4096;
    private static final int GLOBAL_HEAP_MIN_SIZE = 4096;
    /** Page size of Fixed Array data blocks, as a power of 2: libhdf5's default (1024 entries). */
    static final int FIXED_ARRAY_PAGE_BITS = 10;
    private static final int FIXED_ARRAY_PREFIX = 4 + 1 + 1 + 8; // signature, version, client id, header address

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final GroupNode root = new GroupNode();
    /** First free byte: reserved data blocks, indexes and appended chunks all come from here. */
    private long end = FIRST_DATA_ADDRESS;
    private boolean committed;
    private boolean closed;

    private Hdf5FileWriter(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    /**
     * Opens a temporary file beside {@code target} (same directory, so the final move is a rename).
     *
     * @param target where the file will be once committed
     * @return the writer
     * @throws IOException if the temporary file cannot be created
     */
    public static Hdf5FileWriter create(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + target + ": directory " + dir + " does not exist");
        }
        Path temp = TempFiles.beside(dir, "." + abs.getFileName() + ".", ".part");
        FileChannel ch;
        try {
            ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.READ);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            TempFiles.release(temp);
            throw e;
        }
        return new Hdf5FileWriter(abs, temp, ch);
    }

    /**
     * @return the temporary file being written (deleted on close without commit, and at JVM exit
     *     if neither happened: {@link TempFiles})
     */
    public Path temporaryFile() {
        return temp;
    }

    /**
     * Declares a large contiguous dataset and reserves its data block, to be filled with
     * {@link #write(long, ByteBuffer)} at {@code address + offset}.
     *
     * @param path absolute dataset path, e.g. {@code /data}; parent groups are created
     * @param type element type
     * @param dims dimensions (each &ge; 1)
     * @param attributes the dataset's attributes
     * @return the file address of the first element of the data block
     */
    public long reserveDataset(String path, H5Type type, long[] dims, List<Hdf5Attribute> attributes) {
        long size = type.size();
        for (long d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException(Checks.format("dataset %s has a dimension < 1: %d", path, d));
            }
            size = Math.multiplyExact(size, d);
        }
        DatasetNode n = new DatasetNode(type, dims.clone(), attributes);
        n.address = align(end, 8);
        n.size = size;
        end = n.address + size;
        put(path, n);
        return n.address;
    }

    /**
     * Declares a chunked, compressed dataset whose chunks are given one at a time with
     * {@link Chunks#write}, in any order. Its Fixed Array index is reserved now (12 bytes a chunk
     * plus 1 to 8 for its size); chunks are appended as they come.
     *
     * @param path absolute dataset path; parent groups are created
     * @param type element type
     * @param dims dimensions (each &ge; 1)
     * @param chunkDims chunk dimensions, same rank, each in {@code [1, dims[i]]}; edge chunks
     *     that overhang the dataset are stored whole, as HDF5 requires
     * @param encoder the compression (also describes the filter pipeline)
     * @param attributes the dataset's attributes
     * @return the handle through which chunks are written
     */
    public Chunks reserveChunkedDataset(String path, H5Type type, long[] dims, long[] chunkDims, Hdf5ChunkEncoder encoder,
                                        List<Hdf5Attribute> attributes) {
        if (dims.length == 0 || chunkDims.length != dims.length) {
            throw new IllegalArgumentException(Checks.format("dataset %s: chunks of rank %d for rank %d",
                path, chunkDims.length, dims.length));
        }
        long chunkBytes = type.size();
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 1 || chunkDims[i] < 1 || chunkDims[i] > dims[i]) {
                throw new IllegalArgumentException(Checks.format("dataset %s: dimension %d is %d with chunks of %d; "
                    + "need 1 <= chunk <= dimension", path, i, dims[i], chunkDims[i]));
            }
            chunkBytes = Math.multiplyExact(chunkBytes, chunkDims[i]);
            count = Math.multiplyExact(count, (dims[i] + chunkDims[i] - 1) / chunkDims[i]);
        }
        if (chunkBytes > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException(Checks.format("dataset %s: chunks of %d bytes exceed 2 GiB", path, chunkBytes));
        }
        DatasetNode n = new DatasetNode(type, dims.clone(), attributes);
        Chunks c = new Chunks(n, chunkDims.clone(), (int) chunkBytes, count, encoder);
        n.chunks = c;
        c.indexAddress = align(end, 8);
        end = c.indexAddress + c.indexBytes();
        put(path, n);
        return c;
    }

    /**
     * Declares a small dataset whose data is given now (kept in memory until commit).
     *
     * @param path absolute dataset path
     * @param type element type
     * @param dims dimensions (empty for a scalar)
     * @param littleEndianData the elements, row-major, little-endian. <i>Not modified.</i>
     * @param attributes the dataset's attributes
     */
    public void putDataset(String path, H5Type type, long[] dims, byte[] littleEndianData, List<Hdf5Attribute> attributes) {
        long n = 1;
        for (long d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException(Checks.format("dataset %s has a dimension < 1: %d", path, d));
            }
            n *= d;
        }
        if (n * type.size() != littleEndianData.length) {
            throw new IllegalArgumentException(Checks.format("dataset %s: %d bytes given, %d expected",
                path, littleEndianData.length, n * type.size()));
        }
        DatasetNode node = new DatasetNode(type, dims.clone(), attributes);
        node.data = littleEndianData.clone();
        node.size = littleEndianData.length;
        put(path, node);
    }

    /**
     * Adds attributes to a group (created if needed); {@code "/"} is the root group.
     *
     * @param path absolute group path
     * @param attributes the attributes
     */
    public void putGroupAttributes(String path, List<Hdf5Attribute> attributes) {
        GroupNode g = path.equals("/") ? root : group(path, true);
        for (Hdf5Attribute a : attributes) {
            g.addAttribute(a, path);
        }
    }

    /**
     * Writes bytes at a file position (inside a reserved data block).
     *
     * @param position file position
     * @param bytes the bytes, from position to limit (consumed)
     * @throws IOException if writing fails
     */
    public void write(long position, ByteBuffer bytes) throws IOException {
        long p = position;
        while (bytes.hasRemaining()) {
            p += channel.write(bytes, p);
        }
    }

    private void put(String path, Node node) {
        String[] parts = split(path);
        GroupNode parent = root;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            sb.append('/').append(parts[i]);
            parent = group(sb.toString(), true);
        }
        String name = parts[parts.length - 1];
        if (parent.children.containsKey(name)) {
            throw new IllegalArgumentException("an object named " + path + " already exists");
        }
        parent.children.put(name, node);
        for (Hdf5Attribute a : node.attributes()) {
            if (a == null) {
                throw new NullPointerException("attribute of " + path);
            }
        }
    }

    private GroupNode group(String path, boolean create) {
        GroupNode g = root;
        for (String part : split(path)) {
            Node n = g.children.get(part);
            if (n == null) {
                if (!create) {
                    return null;
                }
                n = new GroupNode();
                g.children.put(part, n);
            }
            if (!(n instanceof GroupNode)) {
                throw new IllegalArgumentException("path " + path + " passes through dataset " + part);
            }
            g = (GroupNode) n;
        }
        return g;
    }

    private static String[] split(String path) {
        if (path == null || !path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("HDF5 path '" + path + "' is not an absolute path like /group/name");
        }
        return path.substring(1).split("/");
    }

    /**
     * Writes the metadata, forces the file to disk and moves it into place (atomically where the
     * file system allows, replacing an existing file).
     *
     * @throws IOException if writing or moving fails (the temporary file is then deleted by {@link #close()})
     */
    public void commit() throws IOException {
        if (committed || closed) {
            throw new IllegalStateException("writer for " + target + " is already committed or closed");
        }
        long pos = align(Math.max(end, FIRST_DATA_ADDRESS), 8);
        // 0. chunk indexes: the Fixed Array headers, then the data blocks' remaining fields and checksums
        List<DatasetNode> chunked = new ArrayList<>();
        collectChunked(root, chunked);
        for (DatasetNode d : chunked) {
            d.address = pos;
            byte[] header = d.chunks.fixedArrayHeader();
            write(pos, ByteBuffer.wrap(header));
            pos = align(pos + header.length, 8);
            d.chunks.finishIndex(d.address);
        }
        // 1. small datasets' data
        List<DatasetNode> small = new ArrayList<>();
        collectSmall(root, small);
        for (DatasetNode d : small) {
            d.address = pos;
            write(pos, ByteBuffer.wrap(d.data));
            pos = align(pos + d.data.length, 8);
        }
        // 2. a global heap collection for the string attributes
        List<Hdf5Attribute> strings = new ArrayList<>();
        collectStrings(root, strings);
        Map<Hdf5Attribute, Integer> heapIndex = new LinkedHashMap<>();
        long heapAddress = UNDEFINED;
        if (!strings.isEmpty()) {
            heapAddress = pos;
            ByteArrayOutputStream heap = new ByteArrayOutputStream();
            heap.writeBytes(new byte[] {'G', 'C', 'O', 'L', 1, 0, 0, 0});
            Le.putLong(heap, 0); // collection size, patched below
            int index = 1;
            for (Hdf5Attribute a : strings) {
                if (heapIndex.containsKey(a)) {
                    continue;
                }
                byte[] utf8 = a.text().getBytes(StandardCharsets.UTF_8);
                heapIndex.put(a, index);
                Le.putShort(heap, index++);
                Le.putShort(heap, 1);   // reference count
                Le.putInt(heap, 0);     // reserved
                Le.putLong(heap, utf8.length);
                heap.writeBytes(utf8);
                heap.writeBytes(new byte[(int) (align(utf8.length, 8) - utf8.length)]);
            }
            int used = heap.size();
            int total = (int) Math.max(GLOBAL_HEAP_MIN_SIZE, align(used + 16, 8));
            // free-space object (index 0); its size covers its own header
            Le.putShort(heap, 0);
            Le.putShort(heap, 0);
            Le.putInt(heap, 0);
            Le.putLong(heap, total - used);
            heap.writeBytes(new byte[total - used - 16]);
            byte[] bytes = heap.toByteArray();
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(8, total);
            write(pos, ByteBuffer.wrap(bytes));
            pos += total;
        }
        // 3. object headers, children before parents
        long[] cursor = {pos};
        long rootAddress = writeHeaders(root, cursor, heapAddress, heapIndex);
        long eof = cursor[0];
        // 4. superblock version 2
        ByteArrayOutputStream sb = new ByteArrayOutputStream();
        sb.writeBytes(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'});
        sb.write(2);  // superblock version
        sb.write(8);  // size of offsets
        sb.write(8);  // size of lengths
        sb.write(0);  // file consistency flags
        Le.putLong(sb, 0);          // base address
        Le.putLong(sb, UNDEFINED);  // superblock extension address
        Le.putLong(sb, eof);        // end of file address
        Le.putLong(sb, rootAddress);
        byte[] head = sb.toByteArray();
        Le.putInt(sb, Lookup3.hash(head, 0, head.length));
        write(0, ByteBuffer.wrap(sb.toByteArray()));
        if (channel.size() < eof) {
            write(eof - 1, ByteBuffer.wrap(new byte[1])); // pad the last header's alignment
        } else if (channel.size() > eof) {
            channel.truncate(eof);
        }
        channel.force(true);
        channel.close();
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        TempFiles.release(temp);
        committed = true;
    }

    /** Closes the file; without a successful {@link #commit()} the temporary file is deleted. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!committed) {
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(temp);
                TempFiles.release(temp);
            }
        }
    }

    private static void collectSmall(GroupNode g, List<DatasetNode> out) {
        for (Node n : g.children.values()) {
            if (n instanceof GroupNode) {
                collectSmall((GroupNode) n, out);
            } else if (((DatasetNode) n).data != null) {
                out.add((DatasetNode) n);
            }
        }
    }

    private static void collectChunked(GroupNode g, List<DatasetNode> out) {
        for (Node n : g.children.values()) {
            if (n instanceof GroupNode) {
                collectChunked((GroupNode) n, out);
            } else if (((DatasetNode) n).chunks != null) {
                out.add((DatasetNode) n);
            }
        }
    }

    private static void collectStrings(Node node, List<Hdf5Attribute> out) {
        for (Hdf5Attribute a : node.attributes()) {
            if (a.kind() == Hdf5Attribute.Kind.STRING) {
                out.add(a);
            }
        }
        if (node instanceof GroupNode) {
            for (Node n : ((GroupNode) node).children.values()) {
                collectStrings(n, out);
            }
        }
    }

    private long writeHeaders(Node node, long[] cursor, long heapAddress, Map<Hdf5Attribute, Integer> heapIndex)
        throws IOException {
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        if (node instanceof GroupNode) {
            Map<String, Long> childAddresses = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : ((GroupNode) node).children.entrySet()) {
                childAddresses.put(e.getKey(), writeHeaders(e.getValue(), cursor, heapAddress, heapIndex));
            }
            // Link info: no creation order, no dense storage (fractal heap and B-tree undefined)
            ByteArrayOutputStream li = new ByteArrayOutputStream();
            li.write(0);
            li.write(0);
            Le.putLong(li, UNDEFINED);
            Le.putLong(li, UNDEFINED);
            message(messages, 0x02, li.toByteArray());
            message(messages, 0x0A, new byte[] {0, 0}); // group info, defaults
            for (Map.Entry<String, Long> e : childAddresses.entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                if (name.length > 255) {
                    throw new IllegalArgumentException("link name longer than 255 bytes: " + e.getKey());
                }
                ByteArrayOutputStream link = new ByteArrayOutputStream();
                link.write(1);     // version
                link.write(0x10);  // flags: charset field present, 1-byte name length, hard link
                link.write(1);     // UTF-8
                link.write(name.length);
                link.writeBytes(name);
                Le.putLong(link, e.getValue());
                message(messages, 0x06, link.toByteArray());
            }
        } else {
            DatasetNode d = (DatasetNode) node;
            message(messages, 0x01, dataspace(d.dims));
            message(messages, 0x03, d.type.encode());
            if (d.chunks == null) {
                message(messages, 0x05, new byte[] {3, 0x09}); // fill value v3: early allocation, write if set, undefined
                ByteArrayOutputStream layout = new ByteArrayOutputStream();
                layout.write(3);   // version
                layout.write(1);   // contiguous
                Le.putLong(layout, d.address);
                Le.putLong(layout, d.size);
                message(messages, 0x08, layout.toByteArray());
            } else {
                message(messages, 0x05, new byte[] {3, 0x0B}); // fill value v3: incremental allocation, write if set, undefined
                message(messages, 0x0B, d.chunks.encoder.pipelineMessage());
                message(messages, 0x08, d.chunks.layoutMessage(d.address));
            }
        }
        for (Hdf5Attribute a : node.attributes()) {
            message(messages, 0x0C, attribute(a, heapAddress, heapIndex));
        }
        byte[] body = messages.toByteArray();
        ByteArrayOutputStream oh = new ByteArrayOutputStream();
        oh.writeBytes(new byte[] {'O', 'H', 'D', 'R', 2, 0x02}); // version 2, 4-byte chunk size
        Le.putInt(oh, body.length);
        oh.writeBytes(body);
        byte[] h = oh.toByteArray();
        Le.putInt(oh, Lookup3.hash(h, 0, h.length));
        long address = cursor[0];
        byte[] all = oh.toByteArray();
        write(address, ByteBuffer.wrap(all));
        cursor[0] = align(address + all.length, 8);
        return address;
    }

    private static void message(ByteArrayOutputStream out, int type, byte[] body) {
        if (body.length > 0xFFFF) {
            throw new IllegalArgumentException("HDF5 header message of " + body.length + " bytes exceeds 65535");
        }
        out.write(type);
        Le.putShort(out, body.length);
        out.write(0); // flags
        out.writeBytes(body);
    }

    private static byte[] dataspace(long[] dims) {
        ByteArrayOutputStream ds = new ByteArrayOutputStream();
        ds.write(2);                       // version
        ds.write(dims.length);             // rank
        ds.write(0);                       // flags: no maximum dimensions
        ds.write(dims.length == 0 ? 0 : 1); // scalar or simple
        for (long d : dims) {
            Le.putLong(ds, d);
        }
        return ds.toByteArray();
    }

    private static byte[] attribute(Hdf5Attribute a, long heapAddress, Map<Hdf5Attribute, Integer> heapIndex) {
        H5Type type;
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        switch (a.kind()) {
            case FLOAT64:
                type = H5Type.FLOAT64;
                for (double v : a.doubles()) {
                    Le.putLong(data, Double.doubleToRawLongBits(v));
                }
                break;
            case INT64:
                type = H5Type.INT64;
                for (long v : a.longs()) {
                    Le.putLong(data, v);
                }
                break;
            default:
                type = H5Type.VLEN_UTF8;
                Le.putInt(data, a.text().getBytes(StandardCharsets.UTF_8).length);
                Le.putLong(data, heapAddress);
                Le.putInt(data, heapIndex.get(a));
        }
        byte[] name = a.name().getBytes(StandardCharsets.UTF_8);
        byte[] dt = type.encode();
        byte[] ds = dataspace(a.isScalar() ? new long[0] : new long[] {a.length()});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(3);                 // version 3: no padding, name encoding
        out.write(0);                 // flags
        Le.putShort(out, name.length + 1);
        Le.putShort(out, dt.length);
        Le.putShort(out, ds.length);
        out.write(1);                 // name in UTF-8
        out.writeBytes(name);
        out.write(0);
        out.writeBytes(dt);
        out.writeBytes(ds);
        out.writeBytes(data.toByteArray());
        return out.toByteArray();
    }

    private static long align(long v, int a) {
        return (v + a - 1) / a * a;
    }

    private abstract static class Node {
        final List<Hdf5Attribute> attributes = new ArrayList<>();

        List<Hdf5Attribute> attributes() {
            return attributes;
        }

        void addAttribute(Hdf5Attribute a, String where) {
            for (Hdf5Attribute b : attributes) {
                if (b.name().equals(a.name())) {
                    throw new IllegalArgumentException("attribute " + a.name() + " of " + where + " is given twice");
                }
            }
            attributes.add(a);
        }
    }

    private static final class GroupNode extends Node {
        final Map<String, Node> children = new LinkedHashMap<>();
    }

    private static final class DatasetNode extends Node {
        final H5Type type;
        final long[] dims;
        long address;
        long size;
        byte[] data;
        Chunks chunks;

        DatasetNode(H5Type type, long[] dims, List<Hdf5Attribute> attrs) {
            this.type = type;
            this.dims = dims;
            for (Hdf5Attribute a : attrs) {
                addAttribute(a, "dataset");
            }
        }
    }

    /**
     * The chunks of a dataset declared by {@link #reserveChunkedDataset}. Chunks are numbered in
     * row-major order of the chunk grid (for chunks of one pattern of a {@code (t, y, x, ky, kx)}
     * dataset: the pattern index {@code (t * Y + y) * X + x}).
     */
    public final class Chunks {

        private final DatasetNode node;
        private final long[] chunkDims;
        private final int chunkBytes;
        private final long count;
        private final Hdf5ChunkEncoder encoder;
        /** Bytes of the chunk's compressed size in an index entry: libhdf5's rule, room for a chunk that grew. */
        private final int sizeLength;
        private final int entrySize;
        private final long pages;
        private final long[] written;
        private long indexAddress;

        private Chunks(DatasetNode node, long[] chunkDims, int chunkBytes, long count, Hdf5ChunkEncoder encoder) {
            this.node = node;
            this.chunkDims = chunkDims;
            this.chunkBytes = chunkBytes;
            this.count = count;
            this.encoder = encoder;
            this.sizeLength = Math.min(8, 1 + (log2(chunkBytes) + 8) / 8);
            this.entrySize = 8 + sizeLength + 4;
            this.pages = count > (1L << FIXED_ARRAY_PAGE_BITS) ? (count + (1L << FIXED_ARRAY_PAGE_BITS) - 1) >>> FIXED_ARRAY_PAGE_BITS : 0;
            if ((count + 63) / 64 > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("more than 2^37 chunks: " + count);
            }
            this.written = new long[(int) ((count + 63) / 64)];
        }

        /** @return number of chunks */
        public long count() {
            return count;
        }

        /** @return uncompressed bytes of one chunk */
        public int chunkBytes() {
            return chunkBytes;
        }

        /**
         * Compresses one chunk and appends it to the file.
         *
         * @param index chunk number, row-major over the chunk grid
         * @param raw the whole chunk, {@link #chunkBytes()} bytes, little-endian elements,
         *     row-major. <i>Not modified.</i>
         * @throws IOException if writing fails
         */
        public void write(long index, byte[] raw) throws IOException {
            if (committed || closed) {
                throw new IllegalStateException("writer for " + target + " is already committed or closed");
            }
            if (index < 0 || index >= count) {
                throw new IndexOutOfBoundsException(Checks.format("chunk %d of %d", index, count));
            }
            if (raw.length != chunkBytes) {
                throw new IllegalArgumentException(Checks.format("chunk of %d bytes; expected %d", raw.length, chunkBytes));
            }
            ByteBuffer packed = encoder.encode(raw, chunkBytes);
            long address = end;
            int size = packed.remaining();
            Hdf5FileWriter.this.write(address, packed);
            end = address + size;
            writeEntry(index, address, size);
            written[(int) (index >>> 6)] |= 1L << (index & 63);
        }

        private void writeEntry(long index, long address, long size) throws IOException {
            ByteBuffer e = ByteBuffer.allocate(entrySize).order(ByteOrder.LITTLE_ENDIAN);
            e.putLong(address);
            for (int i = 0; i < sizeLength; i++) {
                e.put((byte) (size >>> (8 * i)));
            }
            e.putInt(0); // filter mask: every filter applied
            e.flip();
            Hdf5FileWriter.this.write(entryPosition(index), e);
        }

        private long entryPosition(long index) {
            if (pages == 0) {
                return indexAddress + FIXED_ARRAY_PREFIX + index * entrySize;
            }
            long page = index >>> FIXED_ARRAY_PAGE_BITS;
            long inPage = index & ((1L << FIXED_ARRAY_PAGE_BITS) - 1);
            return firstPage() + page * pageBytes(1L << FIXED_ARRAY_PAGE_BITS) + inPage * entrySize;
        }

        private long firstPage() {
            return indexAddress + FIXED_ARRAY_PREFIX + (pages + 7) / 8 + 4;
        }

        private long pageBytes(long entries) {
            return entries * entrySize + 4;
        }

        /** @return bytes of the Fixed Array data block, pages included */
        long indexBytes() {
            if (pages == 0) {
                return FIXED_ARRAY_PREFIX + count * entrySize + 4;
            }
            return firstPage() - indexAddress + count * entrySize + 4 * pages;
        }

        /** Fixed Array header: signature, version 0, client 1 (filtered chunks), entry size, page bits, entries, block address, checksum. */
        byte[] fixedArrayHeader() {
            ByteArrayOutputStream h = new ByteArrayOutputStream();
            h.writeBytes(new byte[] {'F', 'A', 'H', 'D', 0, 1});
            h.write(entrySize);
            h.write(FIXED_ARRAY_PAGE_BITS);
            Le.putLong(h, count);
            Le.putLong(h, indexAddress);
            byte[] b = h.toByteArray();
            Le.putInt(h, Lookup3.hash(b, 0, b.length));
            return h.toByteArray();
        }

        /**
         * Marks chunks never written as undefined, writes the data block's prefix, and checksums
         * the block (or its prefix and each page), reading entries back one page at a time.
         */
        void finishIndex(long headerAddress) throws IOException {
            for (long i = 0; i < count; i++) {
                if ((written[(int) (i >>> 6)] & (1L << (i & 63))) == 0) {
                    writeEntry(i, UNDEFINED, 0);
                }
            }
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            p.writeBytes(new byte[] {'F', 'A', 'D', 'B', 0, 1});
            Le.putLong(p, headerAddress);
            if (pages == 0) {
                byte[] prefix = p.toByteArray();
                Hdf5FileWriter.this.write(indexAddress, ByteBuffer.wrap(prefix));
                checksum(indexAddress, (int) (indexBytes() - 4));
                return;
            }
            // page-initialised bitmap, most significant bit first (libhdf5's H5VM_bit_set): all pages hold entries
            byte[] bitmap = new byte[(int) ((pages + 7) / 8)];
            for (long k = 0; k < pages; k++) {
                bitmap[(int) (k / 8)] |= (byte) (0x80 >>> (k % 8));
            }
            p.writeBytes(bitmap);
            byte[] prefix = p.toByteArray();
            Le.putInt(p, Lookup3.hash(prefix, 0, prefix.length));
            Hdf5FileWriter.this.write(indexAddress, ByteBuffer.wrap(p.toByteArray()));
            long perPage = 1L << FIXED_ARRAY_PAGE_BITS;
            for (long k = 0; k < pages; k++) {
                long entries = Math.min(perPage, count - k * perPage);
                checksum(firstPage() + k * pageBytes(perPage), (int) (entries * entrySize));
            }
        }

        /** Reads {@code length} bytes at {@code position} and writes their lookup3 checksum after them. */
        private void checksum(long position, int length) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining()) {
                if (channel.read(b, position + b.position()) < 0) {
                    throw new IOException("chunk index of " + target + " ends early at " + (position + b.position()));
                }
            }
            ByteBuffer sum = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            sum.putInt(Lookup3.hash(b.array(), 0, length)).flip();
            Hdf5FileWriter.this.write(position + length, sum);
        }

        /** Data layout message version 4: chunked, Fixed Array index. */
        byte[] layoutMessage(long headerAddress) {
            long largest = node.type.size();
            for (long c : chunkDims) {
                largest = Math.max(largest, c);
            }
            int dimBytes = (log2(largest) + 8) / 8; // libhdf5's encoded length of a chunk dimension
            ByteArrayOutputStream l = new ByteArrayOutputStream();
            l.write(4);                      // version
            l.write(2);                      // chunked
            l.write(0);                      // flags: partial edge chunks filtered, no single-chunk index
            l.write(chunkDims.length + 1);   // dimensionality, the element size being the last dimension
            l.write(dimBytes);
            for (int i = 0; i <= chunkDims.length; i++) {
                long v = i < chunkDims.length ? chunkDims[i] : node.type.size();
                for (int b = 0; b < dimBytes; b++) {
                    l.write((int) (v >>> (8 * b)));
                }
            }
            l.write(3);                      // chunk index: Fixed Array
            l.write(FIXED_ARRAY_PAGE_BITS);
            Le.putLong(l, headerAddress);
            return l.toByteArray();
        }

        @Override
        public String toString() {
            return Checks.format("Chunks[%d chunks of %d bytes, %s]", count, chunkBytes, encoder);
        }
    }

    /** @return floor(log2(v)) for v &ge; 1 */
    private static int log2(long v) {
        return 63 - Long.numberOfLeadingZeros(v);
    }
}
