/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.RecordingException;

/**
 * The tag tree of a Gatan DigitalMicrograph {@code .dm3} (version 3) or {@code .dm4} (version 4)
 * file, parsed without reading large arrays: each array tag keeps the absolute byte offset, element
 * type and count of its payload, so the image data can be memory-mapped where it lies.
 *
 * <p>Written by hand because Gatan never published the format and no maintained Java library
 * reads it (the reverse-engineered description followed here is the one RosettaSciIO and ncempy
 * implement; see {@code docs/input-formats.md}):
 * <ul>
 *   <li>header: version (int32), root length (uint32 in DM3, uint64 in DM4; informational),
 *       byte-order flag (int32: 1 = little-endian values, 0 = big-endian);</li>
 *   <li>group: [DM4 nested groups only: uint64 body size], sorted (u8), open (u8), number of tags
 *       (uint32 DM3 / uint64 DM4);</li>
 *   <li>tag: kind (u8: 20 group, 21 data), label length (u16), label, [DM4: uint64 tag size], then
 *       a group, or {@code %%%%}, the info-array length n and n info entries (uint32 DM3 / uint64
 *       DM4) describing the payload that follows.</li>
 * </ul>
 * Every structural field is big-endian; only payload values follow the byte-order flag.
 *
 * <p>Every count read from the file is checked against the bytes left in it before anything is
 * allocated or skipped, so a corrupt or truncated file fails with a {@link RecordingException}
 * naming the byte position and both numbers, never with an {@code OutOfMemoryError}.
 */
final class DmTags {

    /** Tag kind byte of a group. */
    private static final int GROUP = 20;
    /** Tag kind byte of a data tag. */
    private static final int DATA = 21;
    /** Encoded type codes of the info array. */
    private static final int STRUCT = 15;
    private static final int STRING = 18;
    private static final int ARRAY = 20;
    /** UTF-16 text (units, names) is stored as arrays of this type (uint16). */
    private static final int UINT16 = 4;
    /** Arrays up to this many bytes are read into memory (text, small lists); larger ones are only located. */
    private static final int SMALL_ARRAY_BYTES = 1 << 16;
    /** More info entries than any real type description needs (a struct of 10 000 fields). */
    private static final long MAX_INFO_ENTRIES = 20_001;
    /** Deeper nesting than any real file; bounds the recursion on a corrupt file. */
    private static final int MAX_DEPTH = 64;

    /** A group of tags: named entries, or unnamed list items such as ImageList's images. */
    static final class Group {
        private final List<String> labels = new ArrayList<>();
        private final List<Object> entries = new ArrayList<>();

        /** @return the number of entries */
        int size() {
            return entries.size();
        }

        /** @return the label of entry i ("" for unlabeled list items) */
        String label(int i) {
            return labels.get(i);
        }

        /** @return entry i: a {@link Group} or a {@link Data} */
        Object entry(int i) {
            return entries.get(i);
        }

        /** @return the first entry with this label, or {@code null} */
        Object get(String label) {
            int i = labels.indexOf(label);
            return i < 0 ? null : entries.get(i);
        }

        /** @return the group at a path of labels (e.g. {@code "ImageTags", "Meta Data"}), or {@code null} */
        Group group(String... path) {
            Object o = this;
            for (String p : path) {
                o = o instanceof Group g ? g.get(p) : null;
            }
            return o instanceof Group g ? g : null;
        }

        /** @return the data tag at a path of labels, or {@code null} */
        Data data(String... path) {
            Group g = group(java.util.Arrays.copyOf(path, path.length - 1));
            Object o = g == null ? null : g.get(path[path.length - 1]);
            return o instanceof Data d ? d : null;
        }

        /** @return the entries that are groups, in order (the items of a list such as ImageList) */
        List<Group> groups() {
            List<Group> out = new ArrayList<>();
            for (Object e : entries) {
                if (e instanceof Group g) {
                    out.add(g);
                }
            }
            return Collections.unmodifiableList(out);
        }

        /** @return the entries that are data tags, in order (the items of a list such as Dimensions) */
        List<Data> dataItems() {
            List<Data> out = new ArrayList<>();
            for (Object e : entries) {
                if (e instanceof Data d) {
                    out.add(d);
                }
            }
            return Collections.unmodifiableList(out);
        }

        private void add(String label, Object entry) {
            labels.add(label);
            entries.add(entry);
        }
    }

    /**
     * A data tag: where its payload lies and, when small, its value.
     *
     * @param label the tag's label
     * @param tagPosition absolute byte offset of the tag (its kind byte)
     * @param payloadOffset absolute byte offset of the payload (the first array element)
     * @param payloadBytes payload length in bytes
     * @param elementType encoded type of the value or the array's elements (a struct is 15)
     * @param count array length, or -1 for a single value
     * @param number a simple numeric value, or NaN
     * @param text a string or UTF-16 array as text, or {@code null}
     */
    record Data(String label, long tagPosition, long payloadOffset, long payloadBytes, int elementType, long count,
                double number, String text) {

        /** @return the value as a number, NaN if not a simple number */
        double asNumber() {
            return number;
        }
    }

    private final int version;
    private final ByteOrder valueOrder;
    private final long fileBytes;
    private final Group root;

    private DmTags(int version, ByteOrder valueOrder, long fileBytes, Group root) {
        this.version = version;
        this.valueOrder = valueOrder;
        this.fileBytes = fileBytes;
        this.root = root;
    }

    /** @return 3 or 4 */
    int version() {
        return version;
    }

    /** @return the byte order of payload values (image data included) */
    ByteOrder valueOrder() {
        return valueOrder;
    }

    /** @return the file's size in bytes */
    long fileBytes() {
        return fileBytes;
    }

    /** @return the root group */
    Group root() {
        return root;
    }

    /**
     * Whether a file starts like a DigitalMicrograph file: version 3 or 4, byte-order flag 0 or 1,
     * root sorted/open flags 0 or 1, and a root length that fits in the file.
     *
     * @param file a file
     * @return whether the header looks like DM3 or DM4
     * @throws IOException if it cannot be read
     */
    static boolean looksLikeDm(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(18);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
            if (b.hasRemaining()) {
                return false;
            }
            b.flip();
            int version = b.getInt(0);
            if (version == 3) {
                return (b.getInt(4) & 0xffffffffL) <= ch.size() && (b.getInt(8) == 0 || b.getInt(8) == 1)
                    && (b.get(12) & 0xfe) == 0 && (b.get(13) & 0xfe) == 0;
            }
            if (version == 4) {
                long root = b.getLong(4);
                return root >= 0 && root <= ch.size() && (b.getInt(12) == 0 || b.getInt(12) == 1)
                    && (b.get(16) & 0xfe) == 0 && (b.get(17) & 0xfe) == 0;
            }
            return false;
        }
    }

    /**
     * Parses the whole tag tree, skipping large array payloads.
     *
     * @param file the file
     * @return the tree
     * @throws RecordingException if the file is not DM3/DM4, or any count or size contradicts the
     *     file (naming the byte position and the numbers)
     */
    static DmTags read(Path file) throws RecordingException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Reader r = new Reader(file, ch);
            long size = ch.size();
            if (size < 18) {
                throw new RecordingException(file, null, Checks.format(
                    "file has %d bytes; a DigitalMicrograph header and an empty root group need at least 18 (DM3) or 26 (DM4)", size));
            }
            int version = (int) r.u32();
            if (version != 3 && version != 4) {
                throw new RecordingException(file, null, Checks.format(
                    "not a DigitalMicrograph file: the version field (first 4 bytes, big-endian) is %d; expected 3 (.dm3) or 4 (.dm4)",
                    version));
            }
            Parser p = new Parser(r, version == 4);
            p.size(); // root length: informational only (no reader relies on it)
            long flag = r.u32();
            if (flag != 0 && flag != 1) {
                throw new RecordingException(file, null, Checks.format(
                    "byte-order flag at byte %d is %d; expected 1 (little-endian) or 0 (big-endian): not a DM%d file, or corrupt",
                    r.position() - 4, flag, version));
            }
            p.valueOrder = flag == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            Group root = p.groupBody("the root group", 0);
            return new DmTags(version, p.valueOrder, size, root);
        } catch (RecordingException e) {
            throw e;
        } catch (EOFException e) {
            throw new RecordingException(file, null, "the tag tree is truncated: it " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RecordingException(file, null, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads the tag structure: sizes are 32-bit in DM3 and 64-bit in DM4. */
    private static final class Parser {
        private final Reader r;
        private final boolean dm4;
        private ByteOrder valueOrder = ByteOrder.BIG_ENDIAN;

        Parser(Reader r, boolean dm4) {
            this.r = r;
            this.dm4 = dm4;
        }

        /** A size or count field: uint32 in DM3, uint64 in DM4 (negative if ≥ 2^63: refused by the callers' bounds). */
        long size() throws IOException {
            return dm4 ? r.u64() : r.u32();
        }

        Group groupBody(String what, int depth) throws IOException {
            if (depth > MAX_DEPTH) {
                throw r.corrupt(Checks.format("%s at byte %d is nested %d groups deep (more than %d): corrupt tag tree", what,
                    r.position(), depth, MAX_DEPTH));
            }
            r.u8(); // sorted
            r.u8(); // open
            long start = r.position();
            long n = size();
            // the smallest tag is 9 bytes (an empty unlabeled DM3 group): more tags than that cannot fit
            if (n < 0 || n > r.remaining() / 9) {
                throw r.corrupt(Checks.format("%s at byte %d claims %s tags but only %d bytes follow", what, start,
                    Long.toUnsignedString(n), r.remaining()));
            }
            Group g = new Group();
            for (long i = 0; i < n; i++) {
                tag(g, depth);
            }
            return g;
        }

        void tag(Group parent, int depth) throws IOException {
            long at = r.position();
            int kind = r.u8();
            int labelLength = r.u16();
            String label = r.latin1(labelLength);
            String name = label.isEmpty() ? "unlabeled tag " + parent.size() : "tag '" + label + "'";
            long tagBytes = dm4 ? r.u64() : -1;
            long bodyAt = r.position();
            if (kind == GROUP) {
                parent.add(label, groupBody(name, depth + 1));
            } else if (kind == DATA) {
                parent.add(label, data(label, name, at));
                // the DM4 tag size is redundant with the type description: a disagreement means corruption.
                // (Not checked before parsing: on a truncated file the data tag's own check names the image's bytes.)
                if (dm4 && tagBytes != r.position() - bodyAt) {
                    throw r.corrupt(Checks.format("%s at byte %d: its size field says %s bytes but its type description "
                        + "makes it %d bytes (to byte %d)", name, at, Long.toUnsignedString(tagBytes), r.position() - bodyAt,
                        r.position()));
                }
            } else {
                throw r.corrupt(Checks.format("%s at byte %d has kind %d; expected 20 (group) or 21 (data): corrupt tag tree",
                    name, at, kind));
            }
        }

        Data data(String label, String name, long at) throws IOException {
            byte[] mark = r.bytes(4);
            if (mark[0] != '%' || mark[1] != '%' || mark[2] != '%' || mark[3] != '%') {
                throw r.corrupt(Checks.format("%s at byte %d lacks the '%%%%%%%%' marker: corrupt tag tree", name, at));
            }
            long n = size();
            int entryBytes = dm4 ? 8 : 4;
            if (n < 1 || n > MAX_INFO_ENTRIES || n * entryBytes > r.remaining()) {
                throw r.corrupt(Checks.format("%s at byte %d has a type description of %s entries; expected 1 to %d "
                    + "within the %d bytes left", name, at, Long.toUnsignedString(n), MAX_INFO_ENTRIES, r.remaining()));
            }
            long[] info = new long[(int) n];
            for (int i = 0; i < n; i++) {
                info[i] = size();
            }
            long payload = r.position();
            long[] sizeAndNext = typeSize(info, 0, name, at, 0);
            if (sizeAndNext[1] != n) {
                throw r.corrupt(Checks.format("%s at byte %d: type description %s has %d entries left over", name, at,
                    describe(info), n - sizeAndNext[1]));
            }
            long bytes = sizeAndNext[0];
            if (bytes > r.remaining()) {
                throw r.corrupt(Checks.format("%s at byte %d holds %d bytes (type %s) starting at byte %d, but the file "
                    + "has %d bytes: truncated", name, at, bytes, describe(info), payload, r.fileBytes()));
            }
            int code = (int) info[0];
            if (code == ARRAY && n == 3) {
                int element = (int) info[1];
                long count = info[2];
                String text = null;
                if (element == UINT16 && bytes <= SMALL_ARRAY_BYTES) {
                    text = r.utf16((int) bytes, valueOrder);
                } else {
                    r.skip(bytes);
                }
                return new Data(label, at, payload, bytes, element, count, Double.NaN, text);
            }
            if (code == STRING) {
                String text = bytes <= SMALL_ARRAY_BYTES ? r.latin1((int) bytes) : null;
                if (text == null) {
                    r.skip(bytes);
                }
                return new Data(label, at, payload, bytes, STRING, bytes, Double.NaN, text);
            }
            if (n == 1) {
                double v = r.number(code, valueOrder);
                return new Data(label, at, payload, bytes, code, -1, v, null);
            }
            r.skip(bytes); // structs, arrays of structs or strings: not needed here
            return new Data(label, at, payload, bytes, code, -1, Double.NaN, null);
        }

        /**
         * The payload size of the type described from {@code info[i]} on, and the index after it.
         * Types: simple codes, 15 struct (name length, field count F, F × (name length, type)), 18
         * string (length), 20 array (element type, count).
         */
        long[] typeSize(long[] info, int i, String name, long at, int depth) throws IOException {
            if (depth > 8) {
                throw r.corrupt(Checks.format("%s at byte %d: type description %s nests more than 8 arrays or structs",
                    name, at, describe(info)));
            }
            if (i >= info.length) {
                throw r.corrupt(Checks.format("%s at byte %d: type description %s ends early", name, at, describe(info)));
            }
            long code = info[i];
            if (code == STRUCT) {
                if (i + 2 >= info.length) {
                    throw r.corrupt(Checks.format("%s at byte %d: struct description %s ends early", name, at, describe(info)));
                }
                long fields = info[i + 2];
                int j = i + 3;
                long total = 0;
                if (fields < 0 || fields > info.length) {
                    throw r.corrupt(Checks.format("%s at byte %d: struct of %d fields in a description of %d entries", name,
                        at, fields, info.length));
                }
                for (long f = 0; f < fields; f++) {
                    long[] field = typeSize(info, j + 1, name, at, depth + 1); // skip the field's name length
                    total = addBytes(total, field[0], name, at);
                    j = (int) field[1];
                }
                return new long[] {total, j};
            }
            if (code == STRING) {
                if (i + 1 >= info.length) {
                    throw r.corrupt(Checks.format("%s at byte %d: string description %s ends early", name, at, describe(info)));
                }
                return new long[] {checkedCount(info[i + 1], 1, name, at), i + 2};
            }
            if (code == ARRAY) {
                long[] element = typeSize(info, i + 1, name, at, depth + 1);
                int j = (int) element[1];
                if (j >= info.length) {
                    throw r.corrupt(Checks.format("%s at byte %d: array description %s lacks its length", name, at, describe(info)));
                }
                return new long[] {checkedCount(info[j], element[0], name, at), j + 1};
            }
            int size = simpleSize(code);
            if (size == 0) {
                throw r.corrupt(Checks.format("%s at byte %d: unknown value type %d in type description %s", name, at, code,
                    describe(info)));
            }
            return new long[] {size, i + 1};
        }

        /** count × element bytes, refusing a product beyond the file. */
        private long checkedCount(long count, long elementBytes, String name, long at) throws IOException {
            if (count < 0 || (elementBytes > 0 && count > r.fileBytes() / elementBytes)) {
                throw r.corrupt(Checks.format("%s at byte %d claims %s elements of %d bytes, more than the file's %d bytes",
                    name, at, Long.toUnsignedString(count), elementBytes, r.fileBytes()));
            }
            return count * elementBytes;
        }

        private long addBytes(long a, long b, String name, long at) throws IOException {
            if (a + b > r.fileBytes()) {
                throw r.corrupt(Checks.format("%s at byte %d: a struct of more than %d bytes, larger than the file", name, at,
                    r.fileBytes()));
            }
            return a + b;
        }
    }

    /** @return bytes of a simple encoded type, 0 if unknown */
    static int simpleSize(long code) {
        switch ((int) Math.min(code, 100)) {
            case 8: case 9: case 10: return 1;
            case 2: case 4: return 2;
            case 3: case 5: case 6: return 4;
            case 7: case 11: case 12: return 8;
            default: return 0;
        }
    }

    private static String describe(long[] info) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(info.length, 12); i++) {
            sb.append(i > 0 ? ", " : "").append(info[i]);
        }
        return sb.append(info.length > 12 ? ", …]" : "]").toString();
    }

    /** Buffered positional reads over the file, bounded by its size. */
    private static final class Reader {
        private final Path file;
        private final FileChannel ch;
        private final long size;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.BIG_ENDIAN);
        /** File position of buf's first byte. */
        private long bufStart;
        private long pos;

        Reader(Path file, FileChannel ch) throws IOException {
            this.file = file;
            this.ch = ch;
            this.size = ch.size();
            buf.limit(0);
        }

        long position() {
            return pos;
        }

        long remaining() {
            return size - pos;
        }

        long fileBytes() {
            return size;
        }

        RecordingException corrupt(String problem) {
            return new RecordingException(file, null, problem);
        }

        /** Makes {@code n} bytes (n ≤ buffer size) at pos available; returns their index in buf. */
        private int need(int n) throws IOException {
            if (n > remaining()) {
                throw new EOFException(Checks.format("needs %d bytes at byte %d but the file ends at byte %d", n, pos, size));
            }
            if (pos < bufStart || pos + n > bufStart + buf.limit()) {
                buf.clear();
                bufStart = pos;
                while (buf.position() < Math.min(buf.capacity(), size - pos)) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        break;
                    }
                }
                buf.flip();
            }
            int i = (int) (pos - bufStart);
            pos += n;
            return i;
        }

        int u8() throws IOException {
            return buf.get(need(1)) & 0xff;
        }

        int u16() throws IOException {
            return buf.getShort(need(2)) & 0xffff;
        }

        long u32() throws IOException {
            return buf.getInt(need(4)) & 0xffffffffL;
        }

        long u64() throws IOException {
            return buf.getLong(need(8));
        }

        void skip(long n) throws IOException {
            if (n > remaining()) {
                throw new EOFException(Checks.format("needs %d bytes at byte %d but the file ends at byte %d", n, pos, size));
            }
            pos += n;
        }

        byte[] bytes(int n) throws IOException {
            if (n > remaining()) {
                throw new EOFException(Checks.format("needs %d bytes at byte %d but the file ends at byte %d", n, pos, size));
            }
            byte[] out = new byte[n];
            int done = 0;
            while (done < n) {
                int chunk = Math.min(n - done, buf.capacity());
                int i = need(chunk);
                buf.get(i, out, done, chunk);
                done += chunk;
            }
            return out;
        }

        String latin1(int n) throws IOException {
            return new String(bytes(n), StandardCharsets.ISO_8859_1);
        }

        String utf16(int n, ByteOrder order) throws IOException {
            byte[] b = bytes(n);
            return new String(b, 0, n & ~1, order == ByteOrder.LITTLE_ENDIAN ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE);
        }

        double number(int code, ByteOrder order) throws IOException {
            int n = simpleSize(code);
            ByteBuffer b = ByteBuffer.wrap(bytes(n)).order(order);
            switch (code) {
                case 2: return b.getShort();
                case 3: return b.getInt();
                case 4: return b.getShort() & 0xffff;
                case 5: return b.getInt() & 0xffffffffL;
                case 6: return b.getFloat();
                case 7: return b.getDouble();
                case 8: case 10: return b.get() & 0xff;
                case 9: return b.get();
                case 11: return b.getLong();
                case 12: {
                    long v = b.getLong();
                    return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
                }
                default: return Double.NaN;
            }
        }
    }
}
