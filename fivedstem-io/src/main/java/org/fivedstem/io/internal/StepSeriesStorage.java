/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import org.fivedstem.api.Axis;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.FloatPixelSink;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.PatternVisitor;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.SampleType;

/**
 * A time series stored as one recording per file in any readable format (a folder of Gatan
 * {@code .dm4} 4D scans, EMPAD acquisitions, HyperSpy or EMD files, {@code .npy} arrays), the
 * files' time steps one after another. Files are opened one at a time while streaming, so a
 * thousand time steps do not hold a thousand open files; at open each is checked for the same
 * scan, pattern size and stored type as the first. Calibration and mask come from the first file.
 */
public final class StepSeriesStorage implements PatternStorage, StoredType {

    /** Opens one file of the series as a recording (the public {@code Recordings.open}). */
    @FunctionalInterface
    public interface Opener {
        /**
         * @param file a file of the series
         * @param options the options
         * @return it opened
         * @throws RecordingException if it cannot be
         */
        Dataset5D open(Path file, OpenOptions options) throws RecordingException;
    }

    private final List<Path> files;
    private final long[] starts;
    private final OpenOptions options;
    private final Opener opener;
    private final Shape5D shape;
    private final AxisOrder axes;
    private final SampleType type;
    private final String description;
    private OptionalDouble saturationLevel = OptionalDouble.empty();

    private StepSeriesStorage(List<Path> files, long[] starts, OpenOptions options, Opener opener, Shape5D shape, AxisOrder axes,
                              SampleType type, String description) {
        this.files = files;
        this.starts = starts;
        this.options = options;
        this.opener = opener;
        this.shape = shape;
        this.axes = axes;
        this.type = type;
        this.description = description;
    }

    /**
     * Opens the files once each to check them, and returns the series.
     *
     * @param files the files, first time step first
     * @param o options applied to every file
     * @param opener how to open one file
     * @return the series with the first file's calibration (timestamps replaced by their interval) and mask
     * @throws RecordingException naming the first file that differs from the first
     */
    public static Dataset5D open(List<Path> files, OpenOptions o, Opener opener) throws RecordingException {
        List<Long> starts = new ArrayList<>();
        long total = 0;
        Shape5D one = null;
        SampleType type = null;
        AxisOrder order = null;
        OptionalDouble level = OptionalDouble.empty();
        Calibration cal = null;
        Dataset5D firstDataset = null;
        String firstDescription = null;
        OpenOptions rest = o;
        for (Path f : files) {
            try (Dataset5D ds = opener.open(f, rest)) {
                Shape5D s = ds.shape();
                SampleType t = StoredType.of(ds.storage()).orElse(SampleType.FLOAT64);
                AxisOrder a = tFirst(f, ds);
                if (one == null) {
                    one = s;
                    type = t;
                    order = a;
                    cal = ds.calibration();
                    firstDataset = ds;
                    firstDescription = ds.storage().description();
                    level = ds.storage().saturationLevel();
                    // the calibration is the first file's: the others are opened with it, so need none of their own
                    rest = o.withFrameIntervalSeconds(cal.frameIntervalSeconds())
                        .withScanStepNm(cal.scanStepYNm(), cal.scanStepXNm()).withPixelSizeInverseNm(cal.pixelSizeInverseNm())
                        .withCenterPx(cal.centerKyPx(), cal.centerKxPx());
                } else if (s.scanY() != one.scanY() || s.scanX() != one.scanX() || s.ky() != one.ky() || s.kx() != one.kx()
                    || t != type) {
                    throw new RecordingException(f, null, Checks.format(
                        "time series file %d holds %d×%d positions of %d×%d %s pixels, but the first file %s holds %d×%d of %d×%d %s",
                        starts.size(), s.scanY(), s.scanX(), s.ky(), s.kx(), t, files.get(0).getFileName(), one.scanY(),
                        one.scanX(), one.ky(), one.kx(), type));
                }
                starts.add(total);
                total += s.frames();
            } catch (IOException e) {
                throw e instanceof RecordingException r ? r : new RecordingException(f, null, e.getMessage(), e);
            }
        }
        if (total > Integer.MAX_VALUE) {
            throw new RecordingException(files.get(0), null, Checks.format("%d time steps exceed the supported %d", total, Integer.MAX_VALUE));
        }
        long[] s = new long[starts.size() + 1];
        for (int i = 0; i < starts.size(); i++) {
            s[i] = starts.get(i);
        }
        s[starts.size()] = total;
        Shape5D shape = Shape5D.of((int) total, one.scanY(), one.scanX(), one.ky(), one.kx());
        if (cal.hasTimestamps()) {
            cal = cal.withFrameIntervalSeconds(cal.frameIntervalSeconds());
        }
        StepSeriesStorage storage = new StepSeriesStorage(List.copyOf(files), s, rest, opener, shape, order, type,
            files.size() + " files like " + firstDescription);
        storage.saturationLevel = level; // each file's own storage also guards its pixel subsets
        return Dataset5D.of(storage, cal).withMask(firstDataset.mask().orElse(null));
    }

    /**
     * The file's axis order with t first, which is how the series visits: the same order when t is
     * first or the file has one time step; otherwise the series cannot stream in storage order.
     */
    private static AxisOrder tFirst(Path f, Dataset5D ds) throws RecordingException {
        AxisOrder a = ds.axisOrder();
        if (a.axis(0) == Axis.T) {
            return a;
        }
        if (ds.shape().frames() == 1) {
            List<Axis> rest = new ArrayList<>();
            rest.add(Axis.T);
            for (int i = 0; i < 5; i++) {
                if (a.axis(i) != Axis.T) {
                    rest.add(a.axis(i));
                }
            }
            return AxisOrder.of(rest.toArray(new Axis[0]));
        }
        throw new RecordingException(f, null, "holds " + ds.shape().frames() + " time steps in axis order " + a
            + "; a series of such files needs each file's time steps first (t,…)");
    }

    @Override
    public Shape5D shape() {
        return shape;
    }

    @Override
    public AxisOrder axisOrder() {
        return axes;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public OptionalDouble saturationLevel() {
        return saturationLevel;
    }

    /** Unsigned integer storage delivers counts as stored ({@link StoredType#countLimit}). */
    @Override
    public OptionalLong countLimit() {
        return StoredType.countLimit(sampleType());
    }

    @Override
    public SampleType sampleType() {
        return type;
    }

    @Override
    public void visit(Selection s, PatternVisitor visitor) throws IOException {
        each(s, (storage, part, offset) -> storage.visit(part, (t, y, x, p) -> visitor.accept(t + offset, y, x, p)));
    }

    /** Each file's own float path ({@code visitPixelsAsFloat}), its frames shifted to the series'. */
    @Override
    public void visitPixelsAsFloat(Selection s, int[] pixelIndices, FloatPixelSink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        Checks.floatExact(countLimit(), FLOAT_EXACT_LIMIT, description());
        int[] idx = PatternStorage.checkedPixels(pixelIndices, shape.patternSize());
        each(s, (storage, part, offset) -> storage.visitPixelsAsFloat(part, idx, new FloatPixelSink() {
            @Override
            public int claim(int frame, int y, int x) {
                return sink.claim(frame + offset, y, x);
            }

            @Override
            public float[] array() {
                return sink.array();
            }
        }));
    }

    @Override
    public void visitPixels(Selection s, int[] pixelIndices, PatternVisitor visitor) throws IOException {
        int[] idx = PatternStorage.checkedPixels(pixelIndices, shape.patternSize());
        each(s, (storage, part, offset) -> storage.visitPixels(part, idx, (t, y, x, p) -> visitor.accept(t + offset, y, x, p)));
    }

    /** Reads one file's share of a selection. */
    private interface Share {
        void read(PatternStorage storage, Selection part, int offset) throws IOException;
    }

    /** Opens each file that overlaps the selection's frames, in order, and reads its share. */
    private void each(Selection s, Share share) throws IOException {
        if (!s.fitsIn(shape)) {
            throw new IllegalArgumentException("selection " + s + " does not fit " + shape);
        }
        for (int i = 0; i < files.size(); i++) {
            long lo = Math.max(s.frameStart(), starts[i]);
            long hi = Math.min(s.frameEnd(), starts[i + 1]);
            if (lo >= hi) {
                continue;
            }
            try (Dataset5D ds = opener.open(files.get(i), options)) {
                Selection part = new Selection((int) (lo - starts[i]), (int) (hi - starts[i]), s.yStart(), s.yEnd(), s.xStart(),
                    s.xEnd());
                share.read(ds.storage(), part, (int) (lo - s.frameStart()));
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
