/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.google.gson.JsonObject;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.FrameMapping;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.SampleType;

/**
 * Opens Quantum Detectors Merlin recordings: {@code .mib} files, a stream of frames each preceded
 * by an ASCII header {@code MQ1,seq,offset,chips,width,height,type,layout,chipSelect,timestamp,
 * shutter,…} whose third field is the header's size in bytes (384 for one chip, 768 for a quad),
 * with big-endian pixel data after it ({@code U08} for counter depths 1 and 6, {@code U16} for 12,
 * {@code U32} for 24; quad frames already assembled in these modes). The packed raw mode
 * ({@code R64}) is unpacked for counter depths 1, 6 and 12, one chip or a 2 × 2 quad
 * ({@link MerlinRawStorage}); depth 24 and other layouts are refused by name.
 *
 * <p>The input may be one {@code .mib} file, the acquisition's {@code .hdr} (then every
 * {@code .mib} in its folder whose name starts with the header's base name is read, in natural
 * order), or a folder of {@code .mib} files. The scan comes from the {@link FrameMapping}, else from
 * the {@code .hdr}'s {@code ScanX}, {@code ScanY} (newer Merlin software); otherwise the error
 * quotes the {@code .hdr}'s frame counts. The frame
 * interval comes from the options, a JSON sidecar, or the frame headers' timestamps (time between
 * the first frames of consecutive time steps) when they have sub-second resolution. Frames keep
 * the file's orientation: row 0 is the first row stored (as LiberTEM reads them; RosettaSciIO's
 * reader flips them vertically).
 */
public final class MerlinOpener {

    /** Bytes read to find the first header's size: a header is at most a few kB. */
    private static final int PROBE_BYTES = 4096;
    private static final byte[] MAGIC = "MQ1,".getBytes(StandardCharsets.US_ASCII);

    private MerlinOpener() {
    }

    /** One frame header's fields that matter here. */
    record Header(int headerBytes, int chips, int width, int height, String type, String layout, String timestamp,
                  double shutterSeconds, int counterDepth) {

        SampleType sampleType(Path file) throws RecordingException {
            switch (type) {
                case "U08":
                    return SampleType.UINT8;
                case "U16":
                    return SampleType.UINT16;
                case "U32":
                    return SampleType.UINT32;
                case "R64":
                    return rawBits(file) == 16 ? SampleType.UINT16 : SampleType.UINT8;
                default:
                    throw new RecordingException(file, null, "Merlin pixel type '" + type
                        + "' is not one of U08, U16, U32 or the raw mode R64");
            }
        }

        /**
         * Bits per stored pixel in raw mode: 1 for counter depth 1, 8 for 6, 16 for 12.
         *
         * @throws RecordingException for depth 24 (two 12-bit frames per header) or a layout other
         *     than one chip or a 2 × 2 quad of 1,024 × 256 stored pixels, refused by name
         */
        int rawBits(Path file) throws RecordingException {
            int b = switch (counterDepth) {
                case 1 -> 1;
                case 6 -> 8;
                case 12 -> 16;
                default -> 0;
            };
            if (b == 0) {
                throw new RecordingException(file, null, "Merlin raw mode R64 with counter depth "
                    + (counterDepth > 0 ? counterDepth : "(not stated)") + " is not supported (raw frames of depth 1, 6 "
                    + "and 12 are); record with 'save raw' off (types U08, U16, U32)");
            }
            if (chips != 1 && !(quadRaw())) {
                throw new RecordingException(file, null, Checks.format("Merlin raw mode R64 with %d chips in layout '%s' "
                    + "(%d × %d stored) is not supported (one chip, or a 2x2 quad stored as 1024 × 256, are); record with "
                    + "'save raw' off", chips, layout, width, height));
            }
            return b;
        }

        /** Whether this is a raw quad frame: four chips of 256 × 256 stored side by side. */
        boolean quadRaw() {
            return type.equals("R64") && chips == 4 && layout.startsWith("2x2") && width == 1024 && height == 256;
        }

        long frameBytes(Path file) throws RecordingException {
            return type.equals("R64") ? MerlinRawStorage.frameBytes(width, height, rawBits(file))
                : (long) width * height * sampleType(file).sizeBytes();
        }
    }

    /**
     * @param file a file
     * @return whether it starts with a Merlin frame header {@code MQ1,}
     * @throws IOException if it cannot be read
     */
    public static boolean isMerlin(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(MAGIC.length);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
            return !b.hasRemaining() && java.util.Arrays.equals(b.array(), MAGIC);
        }
    }

    /**
     * @param dir a folder
     * @return whether it holds {@code .mib} files
     * @throws RecordingException if it cannot be listed
     */
    public static boolean holdsMib(Path dir) throws RecordingException {
        return !list(dir, "").isEmpty();
    }

    /**
     * @param input a {@code .mib} file, a {@code .hdr} file or a folder of {@code .mib} files
     * @return the {@code .mib} files in stream order
     * @throws RecordingException if there are none
     */
    public static List<Path> files(Path input) throws RecordingException {
        String name = input.getFileName().toString();
        if (Files.isDirectory(input)) {
            List<Path> mib = list(input, "");
            if (mib.isEmpty()) {
                throw new RecordingException(input, null, "the folder holds no .mib files");
            }
            return mib;
        }
        if (name.toLowerCase(Locale.ROOT).endsWith(".hdr")) {
            String base = name.substring(0, name.length() - 4);
            Path dir = input.toAbsolutePath().getParent();
            List<Path> mib = list(dir, base);
            if (mib.isEmpty()) {
                throw new RecordingException(input, null, "no .mib file beside this header named " + base
                    + ".mib or " + base + "_N.mib");
            }
            return mib;
        }
        return List.of(input);
    }

    /**
     * The {@code .mib} files of a folder: all of them ({@code base} empty), or those of one
     * acquisition, {@code base.mib} and {@code base_N.mib} / {@code base-N.mib} / {@code baseN.mib}.
     */
    private static List<Path> list(Path dir, String base) throws RecordingException {
        Pattern own = Pattern.compile(Pattern.quote(base) + "([_-]?\\d+)?\\.mib", Pattern.CASE_INSENSITIVE);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                boolean named = base.isEmpty() ? n.toLowerCase(Locale.ROOT).endsWith(".mib") : own.matcher(n).matches();
                return named && Files.isRegularFile(p);
            }).sorted(Comparator.comparing(p -> p.getFileName().toString(), SeriesOpener::natural)).toList();
        } catch (IOException e) {
            throw new RecordingException(dir, null, "cannot list: " + e.getMessage(), e);
        }
    }

    /**
     * @param input a {@code .mib} or {@code .hdr} file or a folder of {@code .mib} files
     * @param o options: the frame mapping (scan required), calibration
     * @return the recording
     * @throws RecordingException for any problem, naming the file and the numbers
     */
    public static Dataset5D open(Path input, OpenOptions o) throws RecordingException {
        List<Path> files = files(input);
        List<GatheringStorage> parts = new ArrayList<>();
        Header first = null;
        try {
            for (Path f : files) {
                Hdf5Opener.requireReadable(f);
                Header h = readHeader(f, 0);
                if (first == null) {
                    first = h;
                } else if (h.width != first.width || h.height != first.height || !h.type.equals(first.type)
                    || h.headerBytes != first.headerBytes) {
                    throw new RecordingException(f, null, Checks.format(
                        "frames of %d × %d %s with %d-byte headers, but %s has %d × %d %s with %d-byte headers", h.height,
                        h.width, h.type, h.headerBytes, files.get(0).getFileName(), first.height, first.width, first.type,
                        first.headerBytes));
                }
                parts.add(stack(f, h));
            }
        } catch (RecordingException | RuntimeException e) {
            closeAll(parts, e);
            throw e instanceof RecordingException r ? r : new RecordingException(files.get(parts.size()), null, e.getMessage(), e);
        }
        String format = Checks.format("Merlin %s%s %s %d × %d%s", first.type,
            first.type.equals("R64") ? " " + first.counterDepth + "-bit" : "", first.chips == 4 ? "quad" : first.chips + "-chip",
            parts.get(0).shape().ky(), parts.get(0).shape().kx(), files.size() > 1 ? Checks.format(" in %d files", files.size()) : "");
        Path hdrFile = findHdr(input, files.get(0));
        Map<String, String> hdr = readHdr(hdrFile);
        FrameMapping mapping = mapping(o.frameMapping(), hdr);
        if (mapping != o.frameMapping()) {
            format += " (scan from " + hdrFile.getFileName() + ")";
        }
        FrameStreamStorage storage = FrameStreamStorage.open(files.get(0), null, parts, mapping, format, hdrHint(hdrFile, hdr));
        try {
            Path sidePath = RawOpener.sidecarOf(files.get(0));
            JsonObject side = RawOpener.readSidecar(files.get(0));
            Function<String, double[]> lookup = RawOpener.lookup(side, sidePath);
            double[] timestamps = null;
            if (o.calibration().frameIntervalSeconds().isEmpty() && lookup.apply(CalibrationResolver.FRAME_INTERVAL) == null) {
                timestamps = timestamps(files, parts, storage.shape(), mapping, first);
            }
            Calibration cal = CalibrationResolver.resolve(files.get(0), null, "in the Merlin file (which stores none) or a "
                + "sidecar " + sidePath.getFileName(), lookup, timestamps, o);
            return Assembly.assemble(files.get(0), null, storage, cal, null, o);
        } catch (RecordingException | RuntimeException e) {
            Assembly.closeQuietly(storage, e);
            throw e instanceof RecordingException r ? r : new RecordingException(files.get(0), null, e.getMessage(), e);
        }
    }

    private static void closeAll(List<GatheringStorage> parts, Exception e) {
        for (GatheringStorage p : parts) {
            Assembly.closeQuietly(p, e);
        }
    }

    /** The frames of one file as a (1, 1, N, ky, kx) stack, after checking the file's size and last header. */
    private static GatheringStorage stack(Path f, Header h) throws RecordingException {
        SampleType type = h.sampleType(f);
        long stride = h.headerBytes + h.frameBytes(f);
        long size;
        try {
            size = Files.size(f);
        } catch (IOException e) {
            throw new RecordingException(f, null, "cannot read: " + e.getMessage(), e);
        }
        long n = size / stride;
        long rest = size - n * stride;
        if (rest != 0) {
            throw new RecordingException(f, null, Checks.format(
                "file has %d bytes: %d whole frames of %d bytes (a %d-byte header and %d × %d %s pixels) and %d bytes over; "
                    + "the last frame is truncated, or the header's size or type does not match the data",
                size, n, stride, h.headerBytes, h.height, h.width, h.type, rest));
        }
        if (n > Integer.MAX_VALUE) {
            throw new RecordingException(f, null, Checks.format("%d frames exceed the supported %d", n, Integer.MAX_VALUE));
        }
        if (n > 1) {
            Header last = readHeader(f, (n - 1) * stride);
            if (last.headerBytes != h.headerBytes || last.width != h.width || last.height != h.height || !last.type.equals(h.type)) {
                throw new RecordingException(f, null, Checks.format(
                    "frame %d's header (%d bytes, %d × %d %s) contradicts frame 0's (%d bytes, %d × %d %s)", n - 1,
                    last.headerBytes, last.height, last.width, last.type, h.headerBytes, h.height, h.width, h.type));
            }
        }
        try {
            if (h.type.equals("R64")) {
                return new MerlinRawStorage(f, (int) n, h.headerBytes, h.width, h.height, h.rawBits(f), h.quadRaw());
            }
            return new ContiguousStorage(f, h.headerBytes, stride, new Shape5D(1, 1, (int) n, h.height, h.width),
                AxisOrder.DEFAULT, new Decoder(type, ByteOrder.BIG_ENDIAN), f.getFileName() + " Merlin " + h.type);
        } catch (IOException | IllegalArgumentException e) {
            throw new RecordingException(f, null, "cannot map: " + e.getMessage(), e);
        }
    }

    /**
     * Reads and checks the frame header at a byte position.
     *
     * @param f the file
     * @param position where the header starts
     * @return the header
     * @throws RecordingException if it is not a Merlin header or contradicts itself
     */
    static Header readHeader(Path f, long position) throws RecordingException {
        byte[] bytes;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) Math.max(0, Math.min(PROBE_BYTES, ch.size() - position)));
            while (b.hasRemaining() && ch.read(b, position + b.position()) >= 0) {
                // fill
            }
            bytes = b.array();
        } catch (IOException e) {
            throw new RecordingException(f, null, "cannot read: " + e.getMessage(), e);
        }
        return parseHeader(f, position, bytes);
    }

    /**
     * Parses a frame header from its first bytes.
     *
     * @param f the file, for messages
     * @param position where the header starts, for messages
     * @param bytes at least the header's bytes (more is fine)
     * @return the header
     * @throws RecordingException if it is not a Merlin header or contradicts itself
     */
    static Header parseHeader(Path f, long position, byte[] bytes) throws RecordingException {
        String where = position == 0 ? "the first frame header" : "the frame header at byte " + position;
        if (bytes.length < MAGIC.length || !new String(bytes, 0, MAGIC.length, StandardCharsets.US_ASCII).equals("MQ1,")) {
            throw new RecordingException(f, null, where + " does not start with 'MQ1,': not a Merlin .mib file, or the "
                + "frames are not all the same size");
        }
        String[] fields = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII).split(",", -1);
        if (fields.length < 8) {
            throw new RecordingException(f, null, where + " has " + (fields.length - 1) + " fields; expected at least "
                + "MQ1,sequence,offset,chips,width,height,type,layout");
        }
        int headerBytes = field(f, where, fields, 2, "header size", 16, PROBE_BYTES);
        if (headerBytes > bytes.length) {
            throw new RecordingException(f, null, Checks.format("%s gives a header of %d bytes but only %d remain", where,
                headerBytes, bytes.length));
        }
        String text = new String(bytes, 0, headerBytes, StandardCharsets.US_ASCII);
        int nul = text.indexOf('\0');
        fields = (nul >= 0 ? text.substring(0, nul) : text).split(",", -1);
        if (fields.length < 8) {
            throw new RecordingException(f, null, Checks.format("%s of %d bytes has %d fields; expected at least "
                + "MQ1,sequence,offset,chips,width,height,type,layout", where, headerBytes, fields.length));
        }
        int chips = field(f, where, fields, 3, "number of chips", 1, 64);
        int width = field(f, where, fields, 4, "width", 1, 1 << 15);
        int height = field(f, where, fields, 5, "height", 1, 1 << 15);
        String type = fields[6].trim().toUpperCase(Locale.ROOT);
        String layout = fields[7].trim();
        // The extended header (firmware from about 2019) follows a token MQ1A: an ISO-8601 UTC time
        // with nanoseconds; field 9 is local time with microseconds.
        String timestamp = fields.length > 9 ? fields[9].trim() : "";
        for (int i = 10; i + 1 < fields.length; i++) {
            if (fields[i].trim().equals("MQ1A") && fields[i + 1].trim().endsWith("Z")) {
                timestamp = fields[i + 1].trim();
                break;
            }
        }
        double shutter = Double.NaN;
        if (fields.length > 10) {
            try {
                shutter = Double.parseDouble(fields[10].trim());
            } catch (NumberFormatException e) {
                // optional: left NaN
            }
        }
        int depth = 0;
        if (type.equals("R64")) {
            // the counter depth is the last non-empty field (headers end with a comma, then padding)
            for (int i = fields.length - 1; i > 7 && depth == 0; i--) {
                String v = fields[i].trim();
                if (!v.isEmpty()) {
                    try {
                        depth = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        break; // optional: only for the message
                    }
                }
            }
        }
        return new Header(headerBytes, chips, width, height, type, layout, timestamp, shutter, depth);
    }

    private static int field(Path f, String where, String[] fields, int index, String what, int min, int max)
        throws RecordingException {
        String v = fields.length > index ? fields[index].trim() : "";
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new RecordingException(f, null, Checks.format("%s: field %d (%s) is '%s'; expected an integer in [%d, %d]",
            where, index, what, v, min, max));
    }

    /**
     * The acquisition's {@code .hdr}: the input if it is one, else {@code BASE.hdr} beside the
     * first {@code .mib} (also with a trailing frame-file number such as {@code _1} removed, as
     * multi-file acquisitions are named), else the only {@code .hdr} of an input folder.
     */
    private static Path findHdr(Path input, Path firstMib) {
        if (input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".hdr")) {
            return input;
        }
        String n = firstMib.getFileName().toString();
        String base = n.substring(0, n.length() - 4);
        for (String b : new String[] {base, base.replaceFirst("[_-]?\\d+$", "")}) {
            Path candidate = firstMib.resolveSibling(b + ".hdr");
            if (!b.isEmpty() && Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        if (Files.isDirectory(input)) {
            try (Stream<Path> s = Files.list(input)) {
                List<Path> hdrs = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".hdr")).toList();
                return hdrs.size() == 1 ? hdrs.get(0) : null;
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Reads a {@code .hdr}: tab-separated {@code key:\tvalue} lines (CRLF in the files seen),
     * between {@code HDR,} and {@code End}.
     *
     * @param hdr the file, or {@code null}
     * @return key (without the trailing colon) → value, trimmed; empty if absent or unreadable
     */
    static Map<String, String> readHdr(Path hdr) {
        Map<String, String> out = new LinkedHashMap<>();
        if (hdr == null) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(hdr, StandardCharsets.ISO_8859_1)) {
                int colon = line.indexOf(':');
                int tab = line.indexOf('\t');
                int cut = tab > 0 ? tab : colon;
                if (cut <= 0 || line.startsWith("HDR")) {
                    continue;
                }
                String key = line.substring(0, cut).trim();
                if (key.endsWith(":")) {
                    key = key.substring(0, key.length() - 1).trim();
                }
                out.put(key, line.substring(cut + 1).trim());
            }
        } catch (IOException e) {
            // the .hdr is optional: without it the scan must be given
        }
        return out;
    }

    /** The value of the first key starting with {@code prefix}, or {@code null}. */
    private static String get(Map<String, String> hdr, String prefix) {
        for (Map.Entry<String, String> e : hdr.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * The mapping to use: the options' if they give a scan, else the {@code .hdr}'s {@code ScanY} ×
     * {@code ScanX} (written by Merlin software from 1.5 on), else the options' (then the stream
     * asks for the scan).
     */
    private static FrameMapping mapping(FrameMapping given, Map<String, String> hdr) {
        if (given.hasScan()) {
            return given;
        }
        try {
            String sy = get(hdr, "ScanY");
            String sx = get(hdr, "ScanX");
            if (sy != null && sx != null) {
                return given.withScan(Integer.parseInt(sy), Integer.parseInt(sx));
            }
        } catch (IllegalArgumentException e) {
            // unusable values: the scan must be given
        }
        return given;
    }

    /** What the acquisition's {@code .hdr} says about the frames, to help the user give the scan. */
    private static String hdrHint(Path hdrFile, Map<String, String> hdr) {
        String frames = get(hdr, "Frames in Acquisition");
        String perTrigger = get(hdr, "Frames per Trigger");
        if (frames == null && perTrigger == null) {
            return "";
        }
        return hdrFile.getFileName() + " says " + (frames == null ? "" : frames + " frames in the acquisition")
            + (frames != null && perTrigger != null ? ", " : "") + (perTrigger == null ? "" : perTrigger + " per trigger");
    }

    /**
     * The times of the first frame of each time step, from the frame headers, in seconds from the
     * first; {@code null} if there is a single time step or the headers lack sub-second timestamps.
     */
    private static double[] timestamps(List<Path> files, List<GatheringStorage> parts, Shape5D shape, FrameMapping m,
                                       Header first) throws RecordingException {
        int nt = shape.frames();
        if (nt < 2 || !first.timestamp.contains(".")) {
            return null;
        }
        long step = m.order() == FrameMapping.Order.T_Y_X ? (long) shape.scanY() * shape.scanX() : 1;
        double[] t = new double[nt];
        LocalDateTime t0 = null;
        for (int i = 0; i < nt; i++) {
            long n = m.skipFrames() + i * step;
            int p = 0;
            while (n >= parts.get(p).shape().scanX()) {
                n -= parts.get(p).shape().scanX();
                p++;
            }
            LocalDateTime ti;
            try {
                Header h = readHeader(files.get(p), n * (first.headerBytes + first.frameBytes(files.get(p))));
                ti = h.timestamp.endsWith("Z") ? LocalDateTime.ofInstant(Instant.parse(h.timestamp), ZoneOffset.UTC)
                    : LocalDateTime.parse(h.timestamp.replace(' ', 'T'));
                if (t0 == null) {
                    t0 = ti;
                }
                t[i] = ChronoUnit.NANOS.between(t0, ti) * 1e-9;
            } catch (RecordingException | DateTimeParseException | ArithmeticException e) {
                // timestamps are optional: an unreadable one leaves the frame interval to the options
                return null;
            }
            if (i > 0 && !(t[i] > t[i - 1])) {
                return null;
            }
        }
        return t;
    }
}
