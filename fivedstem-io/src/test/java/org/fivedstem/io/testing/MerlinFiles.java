/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes Quantum Detectors Merlin {@code .mib} files from the format's description (Merlin manual,
 * "MIB file format"; the readers of LiberTEM and RosettaSciIO show the same): every frame is an
 * ASCII header of comma-separated fields padded to its stated size (384 bytes for one chip, 768 for
 * four), then the pixels big-endian, row by row.
 *
 * <p>Header fields written: {@code MQ1}, sequence number (from 1), header size, chips, width,
 * height, type ({@code U08 U16 U32 R64}), sensor layout ({@code "   1x1"}, {@code "   2x2"}), chip
 * select (hex), timestamp {@code yyyy-MM-dd HH:mm:ss.SSSSSS}, shutter time (s), counter, colour
 * mode, gain mode, eight thresholds, the DAC block and the counter depth last.
 */
public final class MerlinFiles {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

    /** Value of pixel (i, j) of stream frame n, kept inside every type's range (U08: 0…255). */
    public static int value(String type, long n, int i, int j) {
        long v = n * 7919 + i * 31L + j * 7L;
        return switch (type) {
            case "U08" -> (int) (v % 256);
            case "U16" -> (int) (v % 65536);
            default -> (int) (v % 2_000_000_000L) + 70_000;
        };
    }

    private final int chips;
    private final int height;
    private final int width;
    private final String type;
    private char pad = '\0';
    private LocalDateTime start = LocalDateTime.of(2020, 5, 18, 16, 51, 49, 971_626_000);
    private double frameSeconds = 0.001;
    private boolean extended = true;
    private int rawDepth = 12;

    /**
     * @param chips 1 or 4 (quad)
     * @param height frame rows
     * @param width frame columns
     * @param type {@code U08}, {@code U16}, {@code U32} or {@code R64}
     */
    public MerlinFiles(int chips, int height, int width, String type) {
        this.chips = chips;
        this.height = height;
        this.width = width;
        this.type = type;
    }

    /**
     * @param c the character the header is padded with (NUL in files seen in the field; some
     *     writers pad with spaces)
     * @return this
     */
    public MerlinFiles padding(char c) {
        this.pad = c;
        return this;
    }

    /**
     * @param seconds time from one frame's timestamp to the next
     * @return this
     */
    public MerlinFiles frameSeconds(double seconds) {
        this.frameSeconds = seconds;
        return this;
    }

    /**
     * @param on whether headers carry the extended part {@code MQ1A,<UTC ns timestamp>,<shutter ns>}
     *     (Merlin firmware from about 2019; older files have only the local timestamp, field 9)
     * @return this
     */
    public MerlinFiles extendedHeader(boolean on) {
        this.extended = on;
        return this;
    }

    /**
     * Raw mode ({@code R64}) frames: the counter depth written in the header's last field, and the
     * bits per stored pixel it implies (1 → 1, 6 → 8, 12 → 16; 24 is not a single raw frame).
     *
     * @param depth the counter depth
     * @return this
     */
    public MerlinFiles rawDepth(int depth) {
        this.rawDepth = depth;
        return this;
    }

    /**
     * Value of pixel (i, j) of the assembled raw-mode frame n: inside the counter's range.
     *
     * @param depth counter depth 1, 6 or 12
     * @param n frame
     * @param i row of the assembled frame
     * @param j column of the assembled frame
     * @return the count
     */
    public static int rawValue(int depth, long n, int i, int j) {
        long v = n * 7919 + i * 31L + j * 7L + (long) i * j;
        return (int) (v % (1L << depth));
    }

    /** @return the header size for this many chips: 256 + 128 per chip (384 single, 768 quad) */
    public int headerBytes() {
        return 256 + 128 * chips;
    }

    /** @return bytes per pixel */
    public int pixelBytes() {
        return switch (type) {
            case "U08" -> 1;
            case "U16" -> 2;
            case "U32" -> 4;
            default -> 8;
        };
    }

    /**
     * The header of stream frame n.
     *
     * @param n frame index in the stream (sequence number n + 1)
     * @return its bytes, padded to {@link #headerBytes()}
     */
    public byte[] header(long n) {
        String layout = chips == 4 ? "   2x2" : "   1x1";
        String stamp = STAMP.format(start.plusNanos(Math.round(n * frameSeconds * 1e9)));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "MQ1,%06d,%05d,%02d,%04d,%04d,%s,%s,%s,%s,%.6f,0,0,0,", n + 1, headerBytes(),
            chips, width, height, type, layout, chips == 4 ? "0F" : "01", stamp, 0.000555));
        sb.append("1.200000E+2,5.110000E+2,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,");
        for (int c = 0; c < chips; c++) {
            sb.append("3RX,175,511,000,000,000,000,000,000,125,255,125,125,100,100,082,100,087,030,128,004,255,129,128,176,168,");
            sb.append("511,511,");
        }
        if (extended) {
            // UTC, two hours behind the local field 9, with nanoseconds
            LocalDateTime utc = start.plusNanos(Math.round(n * frameSeconds * 1e9) + 178).minusHours(2);
            sb.append("MQ1A,").append(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT).format(utc))
                .append(",555000ns,");
        }
        // the counter depth is the last field; real headers end with a comma before the padding
        sb.append(type.equals("U08") ? 6 : type.equals("U16") ? 12 : type.equals("U32") ? 24 : rawDepth).append(',');
        byte[] b = new byte[headerBytes()];
        java.util.Arrays.fill(b, (byte) pad);
        byte[] text = sb.toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, b, 0, Math.min(text.length, b.length));
        return b;
    }

    /**
     * Writes frames {@code first … first + count − 1} of the stream to a file.
     *
     * @param file the file
     * @param first index of the first frame in the stream
     * @param count frames
     * @return the file
     * @throws IOException if writing fails
     */
    public Path write(Path file, long first, long count) throws IOException {
        if (type.equals("R64")) {
            return writeRaw(file, first, count);
        }
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            ByteBuffer data = ByteBuffer.allocate(height * width * pixelBytes()).order(ByteOrder.BIG_ENDIAN);
            for (long n = first; n < first + count; n++) {
                out.write(header(n));
                data.clear();
                for (int i = 0; i < height; i++) {
                    for (int j = 0; j < width; j++) {
                        int v = value(type, n, i, j);
                        switch (pixelBytes()) {
                            case 1 -> data.put((byte) v);
                            case 2 -> data.putShort((short) v);
                            case 4 -> data.putInt(v);
                            default -> data.putLong(v);
                        }
                    }
                }
                out.write(data.array());
            }
        }
        return file;
    }

    /**
     * Raw mode, written from the layout LiberTEM's reader describes: each stored row is 64-bit
     * big-endian words of 64/b pixels, the first pixel in the least significant bits; a quad is
     * stored as 256 rows of 1,024 pixels, chips c0 | c1 | c2 | c3, where c3 and c2 hold rows 0–255
     * of the assembled frame's left and right halves, and c1 and c0 rows 511…256 of its left and
     * right halves, reversed. The header's width × height are the stored ones (1024 × 256 for a
     * quad): construct with those.
     */
    private Path writeRaw(Path file, long first, long count) throws IOException {
        int bits = rawDepth == 1 ? 1 : rawDepth == 6 ? 8 : 16;
        int perWord = 64 / bits;
        boolean quad = chips == 4;
        int outWidth = quad ? width / 2 : width;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            ByteBuffer data = ByteBuffer.allocate(width * height / 8 * bits).order(ByteOrder.BIG_ENDIAN);
            for (long n = first; n < first + count; n++) {
                out.write(header(n));
                data.clear();
                for (int r = 0; r < height; r++) {
                    for (int w = 0; w < width / perWord; w++) {
                        long word = 0;
                        for (int k = 0; k < perWord; k++) {
                            int c = w * perWord + k;
                            int i = r;
                            int j = c;
                            if (quad) {
                                int chip = c / 256;
                                int x = c % 256;
                                i = chip >= 2 ? r : 2 * height - 1 - r;
                                j = chip == 3 ? x : chip == 2 ? 256 + x : chip == 1 ? 255 - x : 511 - x;
                            }
                            word |= (long) rawValue(rawDepth, n, i, j) << (k * bits);
                        }
                        data.putLong(word);
                    }
                }
                out.write(data.array());
            }
        }
        return file;
    }

    /**
     * Writes an acquisition header ({@code .hdr}) as the Merlin software does.
     *
     * @param file the file
     * @param frames frames in the acquisition
     * @param perTrigger frames per trigger
     * @return the file
     * @throws IOException if writing fails
     */
    public Path writeHdr(Path file, long frames, long perTrigger) throws IOException {
        return writeHdr(file, frames, perTrigger, 0, 0);
    }

    /**
     * Writes an acquisition header ({@code .hdr}) as Merlin software 1.5 does, with the scan.
     *
     * @param file the file
     * @param frames frames in the acquisition
     * @param perTrigger frames per trigger
     * @param scanY {@code ScanY} (0: not written)
     * @param scanX {@code ScanX} (0: not written)
     * @return the file
     * @throws IOException if writing fails
     */
    public Path writeHdr(Path file, long frames, long perTrigger, int scanY, int scanX) throws IOException {
        String text = "HDR,\t\n"
            + "Time and Date Stamp (day, mnth, yr, hr, min, s):\t18/05/2020 16:51:48\n"
            + "Chip ID:\tW529_F5,-,-,-\n"
            + "Chip Type (Medipix 3.0, Medipix 3.1, Medipix 3RX):\tMedipix 3RX\n"
            + "Assembly Size (NX1, 2X2):\t" + (chips == 4 ? "   2x2" : "   1x1") + "\n"
            + "Chip Mode  (SPM, CSM, CM, CSCM):\tSPM\n"
            + "Counter Depth (number):\t12\n"
            + "Gain:\tSLGM\n"
            + "Active Counters:\tAlternating\n"
            + "Acquisition Type (Normal, Th_scan, Config):\tNormal\n"
            + "Frames in Acquisition (Number):\t" + frames + "\n"
            + "Frames per Trigger (Number):\t" + perTrigger + "\n"
            + "Trigger Start (Positive, Negative, Internal):\tRising Edge\n"
            + "Software Version:\t0.67.0.9\n"
            + (scanX > 0 ? "ScanX:\t" + scanX + "\nScanY:\t" + scanY + "\n" : "")
            + "End\t          ";
        text = text.replace("\n", "\r\n");
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        return file;
    }
}
