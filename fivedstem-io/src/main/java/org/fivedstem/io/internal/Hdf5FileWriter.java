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
 * A minimal HDF5 writer: groups, contiguous datasets of fixed-point and floating-point numbers,
 * and attributes (float64, int64, UTF-8 strings), written into a temporary file beside the
 * target and moved into place by {@link #commit()}.
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
 * <p>Not thread-safe.
 */
public final class Hdf5FileWriter implements Closeable {

    private static final long UNDEFINED = -1L;
    private static final int FIRST_DATA_ADDRESS = 4096;
    private static final int GLOBAL_HEAP_MIN_SIZE = 4096;

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final GroupNode root = new GroupNode();
    private long reservedEnd = FIRST_DATA_ADDRESS;
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
        FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.READ);
        return new Hdf5FileWriter(abs, temp, ch);
    }

    /** @return the temporary file being written (deleted on close without commit) */
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
        n.address = align(reservedEnd, 8);
        n.size = size;
        reservedEnd = n.address + size;
        put(path, n);
        return n.address;
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
        long pos = align(Math.max(reservedEnd, FIRST_DATA_ADDRESS), 8);
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
            message(messages, 0x05, new byte[] {3, 0x09}); // fill value v3: early allocation, write if set, undefined
            ByteArrayOutputStream layout = new ByteArrayOutputStream();
            layout.write(3);   // version
            layout.write(1);   // contiguous
            Le.putLong(layout, d.address);
            Le.putLong(layout, d.size);
            message(messages, 0x08, layout.toByteArray());
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

        DatasetNode(H5Type type, long[] dims, List<Hdf5Attribute> attrs) {
            this.type = type;
            this.dims = dims;
            for (Hdf5Attribute a : attrs) {
                addAttribute(a, "dataset");
            }
        }
    }
}
