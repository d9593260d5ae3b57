/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToDoubleFunction;

import org.fivedstem.io.SampleType;

/**
 * Writes Gatan DigitalMicrograph {@code .dm3}/{@code .dm4} files from the format's description
 * (the reverse-engineered layout in {@code docs/input-formats.md}: big-endian header and tag
 * structure, 32-bit sizes in DM3 and 64-bit in DM4, the DM4 tag size after each label, payload
 * values in the byte order the header's flag names).
 *
 * <p>The file holds what GMS writes for an image, reduced to what readers look at: a root struct
 * tag, {@code ImageList} with a 2D RGBA thumbnail as item 0 and the image as item 1 (its
 * {@code ImageData} with {@code Calibrations}, {@code Data}, {@code DataType}, {@code Dimensions},
 * {@code PixelDepth}; its {@code ImageTags/Meta Data}), {@code Thumbnails} pointing at item 0, and
 * the 8 zero bytes GMS puts after the root group.
 */
public final class DmFiles {

    /** Value of element n (in file order) of an image of a type, inside the type's range and exact in it. */
    public static double value(SampleType type, long n) {
        return Fixtures.inRange(type, (n * 37 + 11) % 251);
    }

    /** ImageData DataType code of a sample type. */
    public static int dataType(SampleType type) {
        switch (type) {
            case INT16: return 1;
            case FLOAT32: return 2;
            case UINT8: return 6;
            case INT32: return 7;
            case INT8: return 9;
            case UINT16: return 10;
            case UINT32: return 11;
            default: return 12;
        }
    }

    /** A tag group: labelled or unlabelled entries, each a {@link Group} or a {@link Value}. */
    public static final class Group {
        final List<String> labels = new ArrayList<>();
        final List<Object> entries = new ArrayList<>();

        /**
         * @param label the label ("" for a list item)
         * @param entry a {@link Group} or a {@link Value}
         * @return this
         */
        public Group add(String label, Object entry) {
            labels.add(label);
            entries.add(entry);
            return this;
        }
    }

    /**
     * A data tag: its info array (the type description) and payload bytes.
     *
     * @param info the info array
     * @param payload the payload
     */
    public record Value(long[] info, byte[] payload) {
    }

    /** One calibrated DM dimension: physical coordinate = (index − origin) × scale, in units. */
    public record Cal(double scale, double origin, String units) {
    }

    private final int version;
    private final ByteOrder order;
    private long dataOffset = -1;

    /**
     * @param version 3 or 4
     * @param order the byte order of values (the header flag: 1 little-endian, 0 big-endian)
     */
    public DmFiles(int version, ByteOrder order) {
        this.version = version;
        this.order = order;
    }

    /** @return the absolute offset of the last written image's pixels */
    public long dataOffset() {
        return dataOffset;
    }

    /** A simple uint32 value (encoded type 5). */
    public Value u32(long v) {
        return new Value(new long[] {5}, buffer(4).putInt((int) v).array());
    }

    /** A float32 value (type 6). */
    public Value f32(double v) {
        return new Value(new long[] {6}, buffer(4).putFloat((float) v).array());
    }

    /** A bool value (type 8). */
    public Value bool(boolean v) {
        return new Value(new long[] {8}, new byte[] {(byte) (v ? 1 : 0)});
    }

    /** Text as GMS stores it: an array of uint16 (type 4) UTF-16 code units. */
    public Value text(String s) {
        ByteBuffer b = buffer(2 * s.length());
        for (char c : s.toCharArray()) {
            b.putChar(c);
        }
        return new Value(new long[] {20, 4, s.length()}, b.array());
    }

    /** A struct of four float32 fields, as ImageDisplayBounds is stored. */
    public Value struct4f32(double a, double b, double c, double d) {
        return new Value(new long[] {15, 0, 4, 0, 6, 0, 6, 0, 6, 0, 6},
            buffer(16).putFloat((float) a).putFloat((float) b).putFloat((float) c).putFloat((float) d).array());
    }

    /**
     * The pixels of an image of a DataType code (complex, binary and RGBA with their real sizes).
     *
     * @param dataType ImageData DataType code
     * @param count pixels
     * @param values value of pixel n in file order (ignored for complex, binary and RGBA)
     * @return the Data tag
     */
    public Value pixels(int dataType, long count, LongToDoubleFunction values) {
        int element;
        int size;
        long stored = count;
        switch (dataType) {
            case 1: element = 2; size = 2; break;
            case 2: element = 6; size = 4; break;
            case 6: element = 10; size = 1; break;
            case 7: element = 3; size = 4; break;
            case 9: element = 9; size = 1; break;
            case 10: element = 4; size = 2; break;
            case 11: element = 5; size = 4; break;
            case 12: element = 7; size = 8; break;
            case 3: element = 6; size = 4; stored = 2 * count; break;
            case 13: element = 7; size = 8; stored = 2 * count; break;
            case 14: element = 10; size = 1; break;
            default: element = 3; size = 4; break; // RGB(A) as one 32-bit word per pixel
        }
        ByteBuffer b = buffer(Math.toIntExact(stored * size));
        for (long n = 0; n < count; n++) {
            double v = values.applyAsDouble(n);
            switch (dataType) {
                case 1: b.putShort((short) v); break;
                case 2: b.putFloat((float) v); break;
                case 6: case 9: b.put((byte) (long) v); break;
                case 7: case 11: b.putInt((int) (long) v); break;
                case 10: b.putShort((short) (long) v); break;
                case 12: b.putDouble(v); break;
                case 3: b.putFloat((float) v).putFloat(0f); break;
                case 13: b.putDouble(v).putDouble(0); break;
                case 14: b.put((byte) (v != 0 ? 1 : 0)); break;
                default: b.putInt((int) n); break;
            }
        }
        return new Value(new long[] {20, element, stored}, b.array());
    }

    /**
     * Describes an image for {@link #write}.
     *
     * @param dataType ImageData DataType code
     * @param dims DM dimensions, index 0 fastest
     * @param values value of pixel n in file order
     * @param cals calibration of each DM dimension, or {@code null} for none
     * @param swapped the {@code Meta Data/Data Order Swapped} flag, or {@code null} to leave it out
     * @param format the {@code Meta Data/Format} text, or {@code null}
     * @return the ImageList item
     */
    public Group image(int dataType, long[] dims, LongToDoubleFunction values, Cal[] cals, Boolean swapped, String format) {
        long count = 1;
        Group dimensions = new Group();
        for (long d : dims) {
            count *= d;
            dimensions.add("", u32(d));
        }
        Group calibrations = new Group();
        calibrations.add("Brightness", new Group().add("Origin", f32(0)).add("Scale", f32(1)).add("Units", text("")));
        Group dimCal = new Group();
        if (cals != null) {
            for (Cal c : cals) {
                dimCal.add("", new Group().add("Origin", f32(c.origin())).add("Scale", f32(c.scale())).add("Units", text(c.units())));
            }
        }
        calibrations.add("Dimension", dimCal).add("DisplayCalibratedUnits", bool(true));
        Group imageData = new Group().add("Calibrations", calibrations).add("Data", pixels(dataType, count, values))
            .add("DataType", u32(dataType)).add("Dimensions", dimensions).add("PixelDepth", u32(pixelDepth(dataType)));
        Group meta = new Group();
        if (format != null) {
            meta.add("Format", text(format));
        }
        if (swapped != null) {
            meta.add("Data Order Swapped", bool(swapped));
        }
        Group imageTags = new Group().add("GMS Version", new Group().add("Created", text("3.60.4435.0"))).add("Meta Data", meta);
        return new Group().add("ImageData", imageData).add("ImageTags", imageTags).add("Name", text("test"))
            .add("UniqueID", new Group().add("", u32(1)).add("", u32(2)));
    }

    private static int pixelDepth(int dataType) {
        switch (dataType) {
            case 6: case 9: case 14: return 1;
            case 1: case 10: return 2;
            case 12: case 3: return 8;
            case 13: return 16;
            default: return 4;
        }
    }

    /**
     * Writes a file: a thumbnail (8 × 8 RGBA) as ImageList item 0, then the given items.
     *
     * @param file the file
     * @param images ImageList items after the thumbnail
     * @return the file
     * @throws IOException if writing fails
     */
    public Path write(Path file, Group... images) throws IOException {
        Group list = new Group().add("", image(23, new long[] {8, 8}, n -> 0, null, null, null));
        for (Group g : images) {
            list.add("", g);
        }
        Group root = new Group().add("ApplicationBounds", struct4f32(0, 0, 1080, 1920))
            .add("DocumentObjectList", new Group().add("", new Group().add("AnnotationType", u32(20))))
            .add("ImageList", list)
            .add("Thumbnails", new Group().add("", new Group().add("ImageIndex", u32(0))));
        Files.write(file, bytes(root));
        return file;
    }

    /** The whole file for a root group. */
    public byte[] bytes(Group root) {
        int headerBytes = version == 4 ? 16 : 12;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        groupBody(root, body, headerBytes);
        // the root length field: measured as file size − 24 (DM4) / − 16 (DM3) in GMS files
        long total = headerBytes + body.size() + 8;
        ByteBuffer h = ByteBuffer.allocate(headerBytes).order(ByteOrder.BIG_ENDIAN).putInt(version);
        if (version == 4) {
            h.putLong(total - 24);
        } else {
            h.putInt((int) (total - 16));
        }
        h.putInt(order == ByteOrder.LITTLE_ENDIAN ? 1 : 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        out.writeBytes(body.toByteArray());
        out.writeBytes(new byte[8]);
        return out.toByteArray();
    }

    /** Writes sorted, open, the tag count and the tags; {@code at} is the body's absolute offset. */
    private void groupBody(Group g, ByteArrayOutputStream out, long at) {
        int start = out.size();
        out.write(0); // sorted
        out.write(1); // open
        out.writeBytes(size(g.entries.size()));
        for (int i = 0; i < g.entries.size(); i++) {
            tag(g.labels.get(i), g.entries.get(i), out, at + out.size() - start);
        }
    }

    private void tag(String label, Object entry, ByteArrayOutputStream out, long at) {
        byte[] name = label.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        long restAt = at + 1 + 2 + name.length + (version == 4 ? 8 : 0);
        if (entry instanceof Group g) {
            groupBody(g, rest, restAt);
        } else {
            Value v = (Value) entry;
            rest.writeBytes("%%%%".getBytes(StandardCharsets.US_ASCII));
            rest.writeBytes(size(v.info().length));
            for (long x : v.info()) {
                rest.writeBytes(size(x));
            }
            if (label.equals("Data") && v.info().length == 3) {
                dataOffset = restAt + rest.size();
            }
            rest.writeBytes(v.payload());
        }
        out.write(entry instanceof Group ? 20 : 21);
        out.writeBytes(ByteBuffer.allocate(2).putShort((short) name.length).array());
        out.writeBytes(name);
        if (version == 4) {
            out.writeBytes(ByteBuffer.allocate(8).putLong(rest.size()).array());
        }
        out.writeBytes(rest.toByteArray());
    }

    /** A size or count: big-endian uint32 (DM3) or uint64 (DM4). */
    private byte[] size(long v) {
        return version == 4 ? ByteBuffer.allocate(8).putLong(v).array() : ByteBuffer.allocate(4).putInt((int) v).array();
    }

    private ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(order);
    }
}
