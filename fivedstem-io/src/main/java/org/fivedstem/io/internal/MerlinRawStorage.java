/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.SampleType;

/**
 * The frames of a Merlin {@code .mib} file recorded in raw mode ({@code R64}), unpacked as
 * (1, 1, N, ky, kx). Why hand-written: no library reads this layout; it follows the Merlin
 * readers of LiberTEM (described in docs/input-formats.md), and was checked against real raw
 * files (their 1-bit frames correlate with the same detector's processed frames as closely as
 * two exposures can).
 *
 * <p>Layout of a frame: rows of 64-bit big-endian words; a word holds 64 / b pixels of b bits
 * (b = 1 for counter depth 1, 8 for depth 6, 16 for depth 12), the first pixel in the least
 * significant bits. A quad (2 × 2 chips) frame is stored as 256 rows of 1,024 pixels, the four
 * chips' rows side by side in the order c0 | c1 | c2 | c3, and is assembled to 512 × 512: row r
 * of c3 and c2 become the left and right halves of output row r, and c1 and c0, each reversed,
 * the left and right halves of output row 511 − r (the bottom chips are rotated by 180°).
 */
final class MerlinRawStorage extends GatheringStorage {

    private static final int CHIP = 256;

    private final Path file;
    private final FileChannel channel;
    private final long headerBytes;
    private final long strideBytes;
    private final int rawWidth;
    private final int rawHeight;
    private final int bits;
    private final boolean quad;
    private final SampleType type;
    private final String description;
    private final ByteBuffer frame;

    /**
     * @param file the file
     * @param frames frames in the file
     * @param headerBytes bytes of each frame's header
     * @param rawWidth pixels per stored row (the header's width)
     * @param rawHeight stored rows (the header's height)
     * @param bits bits per stored pixel: 1, 8 or 16
     * @param quad whether the frame is a 2 × 2 quad stored as 256 rows of 1,024 pixels
     * @throws IOException if the file cannot be opened
     */
    MerlinRawStorage(Path file, int frames, int headerBytes, int rawWidth, int rawHeight, int bits, boolean quad)
        throws IOException {
        super(quad ? Shape5D.of(1, 1, frames, 2 * rawHeight, rawWidth / 2) : Shape5D.of(1, 1, frames, rawHeight, rawWidth),
            AxisOrder.DEFAULT);
        this.file = file;
        this.headerBytes = headerBytes;
        this.rawWidth = rawWidth;
        this.rawHeight = rawHeight;
        this.bits = bits;
        this.quad = quad;
        int frameBytes = (int) frameBytes(rawWidth, rawHeight, bits);
        this.strideBytes = headerBytes + (long) frameBytes;
        this.type = bits == 16 ? SampleType.UINT16 : SampleType.UINT8;
        this.description = file.getFileName() + " Merlin R64 " + bits + "-bit" + (quad ? " quad" : "");
        this.frame = ByteBuffer.allocate(frameBytes).order(ByteOrder.BIG_ENDIAN);
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
    }

    /** @return bytes of one frame's pixels for this layout */
    static long frameBytes(int rawWidth, int rawHeight, int bits) {
        return (long) rawWidth * rawHeight / 8 * bits;
    }

    @Override
    protected void gather(int[] coords, double[] pattern) throws IOException {
        long n = coords[2];
        frame.clear();
        long position = n * strideBytes + headerBytes;
        while (frame.hasRemaining()) {
            if (channel.read(frame, position + frame.position()) < 0) {
                throw new RecordingException(file, null, "frame " + n + " ends early (truncated file?)");
            }
        }
        int perWord = 64 / bits;
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        int wordsPerRow = rawWidth / perWord;
        int outWidth = shape.kx();
        for (int r = 0; r < rawHeight; r++) {
            for (int w = 0; w < wordsPerRow; w++) {
                long word = frame.getLong((r * wordsPerRow + w) * 8);
                for (int k = 0; k < perWord; k++) {
                    int c = w * perWord + k;
                    double v = (word >>> (k * bits)) & mask;
                    if (!quad) {
                        pattern[r * outWidth + c] = v;
                        continue;
                    }
                    int chip = c / CHIP;
                    int x = c % CHIP;
                    int outRow;
                    int outCol;
                    switch (chip) {
                        case 3 -> {
                            outRow = r;
                            outCol = x;
                        }
                        case 2 -> {
                            outRow = r;
                            outCol = CHIP + x;
                        }
                        case 1 -> {
                            outRow = 2 * rawHeight - 1 - r;
                            outCol = CHIP - 1 - x;
                        }
                        default -> {
                            outRow = 2 * rawHeight - 1 - r;
                            outCol = 2 * CHIP - 1 - x;
                        }
                    }
                    pattern[outRow * outWidth + outCol] = v;
                }
            }
        }
    }

    @Override
    public SampleType sampleType() {
        return type;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
