/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.FrameMapping;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.SampleType;

/**
 * A recording stored as a stream of frames — one or several parts (files, datasets), each a stack
 * of frames {@code (1, 1, N_i, ky, kx)} — mapped onto (t, y, x) by a {@link FrameMapping}. The one
 * place where frame streams (Merlin, Dectris, EMPAD, Gatan stacks) become 5D recordings: the parts
 * only know how to deliver frame {@code n}.
 *
 * <p>Memory: a part's decoded chunks are released when reading moves to another part, so the
 * chunk caches hold one part's budget ({@code OpenOptions.chunkCacheBytes}) however many data files
 * the stream spans.
 *
 * <p>The storage axis order is the mapping's ({@code t,y,x,ky,kx} or {@code y,x,t,ky,kx}), so
 * visiting in storage order reads the stream front to back, every byte once.
 */
public final class FrameStreamStorage extends GatheringStorage {

    private final GatheringStorage[] parts;
    /** First stream frame of each part, plus the total at the end. */
    private final long[] starts;
    private final long skip;
    private final String description;
    private final int[] partCoords = new int[5];
    private int lastPart;

    /**
     * @param parts the frame stacks in stream order, each of shape (1, 1, N_i, ky, kx) in axis order
     *     t,y,x,ky,kx; closed with this storage
     * @param mapping the scan, order and skipped frames (its scan must be given)
     * @param description for messages, e.g. {@code "scan.mib Merlin U16 quad 512×512, 7200 frames"}
     * @throws IllegalArgumentException if the parts disagree on the pattern size or the frames do not
     *     divide into the scan (naming both numbers)
     */
    public FrameStreamStorage(List<? extends GatheringStorage> parts, FrameMapping mapping, String description) {
        super(shapeOf(parts, mapping), mapping.order().axisOrder());
        this.parts = parts.toArray(new GatheringStorage[0]);
        this.starts = new long[this.parts.length + 1];
        for (int i = 0; i < this.parts.length; i++) {
            starts[i + 1] = starts[i] + this.parts[i].shape().scanX();
        }
        this.skip = mapping.skipFrames();
        this.description = description;
    }

    /**
     * Maps frame stacks onto (t, y, x), closing them if that fails.
     *
     * @param file the file, for messages
     * @param dataset the dataset, for messages, or {@code null}
     * @param parts the frame stacks in stream order (closed on failure)
     * @param mapping the scan, order and skipped frames
     * @param format what the stream is, for {@link #description()}, e.g. {@code "Merlin U16 quad"}
     * @param scanHint what the file says about the scan when {@code mapping} has none (e.g. the
     *     {@code .hdr}'s frame counts), or an empty string
     * @return the storage
     * @throws RecordingException if the scan is missing or does not fit the frames, naming both
     */
    public static FrameStreamStorage open(Path file, String dataset, List<? extends GatheringStorage> parts,
                                          FrameMapping mapping, String format, String scanHint) throws RecordingException {
        try {
            long frames = frameCount(parts);
            int ky = parts.isEmpty() ? 0 : parts.get(0).shape().ky();
            int kx = parts.isEmpty() ? 0 : parts.get(0).shape().kx();
            if (!mapping.hasScan()) {
                throw new RecordingException(file, dataset, Checks.format(
                    "%s holds %d frames of %d × %d pixels but not the scan they belong to%s; give it with --scan NY,NX "
                        + "(OpenOptions.withFrameMapping(FrameMapping.scan(ny, nx)))", format, frames, ky, kx,
                    scanHint.isEmpty() ? "" : " (" + scanHint + ")"));
            }
            try {
                int nt = mapping.timeSteps(frames);
                String text = Checks.format("%s, %d frames%s → %d × %d × %d (%s)", format, frames,
                    mapping.skipFrames() > 0 ? Checks.format(" (%d skipped)", mapping.skipFrames()) : "",
                    nt, mapping.scanY(), mapping.scanX(), mapping.order() == FrameMapping.Order.T_Y_X ? "t,y,x" : "y,x,t");
                return new FrameStreamStorage(parts, mapping, text);
            } catch (IllegalArgumentException e) {
                throw new RecordingException(file, dataset, format + ": " + e.getMessage(), e);
            }
        } catch (RecordingException e) {
            for (GatheringStorage p : parts) {
                try {
                    p.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * @param parts frame stacks
     * @return the number of frames in all of them
     */
    public static long frameCount(List<? extends GatheringStorage> parts) {
        long n = 0;
        for (GatheringStorage p : parts) {
            n += p.shape().scanX();
        }
        return n;
    }

    private static Shape5D shapeOf(List<? extends GatheringStorage> parts, FrameMapping mapping) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no frames: the stream has no parts");
        }
        Shape5D first = parts.get(0).shape();
        List<String> bad = new ArrayList<>();
        for (GatheringStorage p : parts) {
            Shape5D s = p.shape();
            if (s.frames() != 1 || s.scanY() != 1 || !p.axisOrder().equals(org.fivedstem.api.AxisOrder.DEFAULT)) {
                throw new IllegalArgumentException("part " + p.description() + " is not a frame stack (1, 1, N, ky, kx)");
            }
            if (s.ky() != first.ky() || s.kx() != first.kx()) {
                bad.add(p.description() + " has " + s.ky() + " × " + s.kx());
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("frames differ in size: the first part has " + first.ky() + " × " + first.kx()
                + " pixels but " + String.join(", ", bad));
        }
        int nt = mapping.timeSteps(frameCount(parts));
        return new Shape5D(nt, mapping.scanY(), mapping.scanX(), first.ky(), first.kx());
    }

    /** Sets {@link #partCoords} to the frame's place in its part and returns the part. */
    private GatheringStorage locate(int[] coords) {
        long n = skip + ((long) coords[0] * dims[1] + coords[1]) * dims[2] + coords[2];
        int p = lastPart;
        if (n < starts[p] || n >= starts[p + 1]) {
            p = Arrays.binarySearch(starts, n);
            p = p >= 0 ? p : -p - 2;
            while (starts[p + 1] == starts[p]) {
                p++; // skip empty parts
            }
            // Streams are read front to back: the part left behind gives back its decoded chunks, so
            // the chunk caches of a stream of many data files hold one part's worth at most.
            parts[lastPart].release();
            lastPart = p;
        }
        partCoords[2] = (int) (n - starts[p]);
        return parts[p];
    }

    @Override
    protected void gather(int[] coords, double[] pattern) throws IOException {
        GatheringStorage part = locate(coords);
        part.gather(partCoords, pattern);
    }

    @Override
    protected void gatherPixels(int[] coords, int[] pixelIndices, double[] out, double[] scratch) throws IOException {
        GatheringStorage part = locate(coords);
        part.gatherPixels(partCoords, pixelIndices, out, scratch);
    }

    @Override
    protected void gatherPixels(int[] coords, int[] pixelIndices, float[] out, int outOffset, double[] scratch)
        throws IOException {
        GatheringStorage part = locate(coords);
        part.gatherPixels(partCoords, pixelIndices, out, outOffset, scratch);
    }

    @Override
    public SampleType sampleType() {
        return parts[0].sampleType();
    }

    /**
     * The largest of the parts' limits, and none if any part has none: a stream whose files were written
     * with different sample types (which no format allows, but a file can hold) then takes the exact path.
     */
    @Override
    public OptionalLong countLimit() {
        long limit = 0;
        for (GatheringStorage p : parts) {
            OptionalLong l = p.countLimit();
            if (l.isEmpty()) {
                return OptionalLong.empty();
            }
            limit = Math.max(limit, l.getAsLong());
        }
        return OptionalLong.of(limit);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (GatheringStorage p : parts) {
            try {
                p.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
