/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.internal.BatchPipeline;

/**
 * What one cheap streaming pass over a recording tells about it before the analysis: the mean
 * diffraction pattern and each pixel's temporal variance (for centre finding, the beam-stop
 * shadow, hot and dead pixels), and each pattern's total intensity (for blanked and flashed
 * patterns, and as the virtual image of each time step for drift estimation).
 *
 * <pre>{@code
 * PatternStatistics s = PatternStatistics.compute(dataset, ProgressListener.NONE);
 * double[] mean = s.meanPattern();            // ky·kx, row-major
 * ScalarMap vi = s.virtualImage(0);           // frame 0's virtual image (total of each pattern)
 * }</pre>
 *
 * <p><b>Cost and memory.</b> The pass reads every pattern once in storage order and does four
 * additions per pixel, on all cores (the reading thread copies patterns into batches, workers add
 * them up); it keeps three {@code ky·kx} double arrays, one float per pattern
 * ({@code 4·frames·scanY·scanX} bytes: 1.5 MB for a 60×60×106 recording) and a few batches of
 * patterns. Everything else streams.
 *
 * <p><b>Totals.</b> The total intensity of a pattern is the sum over the pixels valid in the
 * dataset's mask (all pixels without a mask), as float. The per-pixel sums are accumulated about
 * the first pattern's values (shifted sums) so that the variance of integer data is exact when it
 * is 0 and free of cancellation otherwise. They are summed per batch of consecutive patterns and
 * the batch sums added in order: the same bits for any thread count.
 *
 * <p>Immutable once computed (accessors return copies).
 */
public final class PatternStatistics {

    private final Shape5D shape;
    private final long patterns;
    private final double[] shift;
    private final double[] sum;
    private final double[] sumSquares;
    private final double[] maximum;
    private final float[] totals;

    private PatternStatistics(Shape5D shape, long patterns, double[] shift, double[] sum, double[] sumSquares,
                              double[] maximum, float[] totals) {
        this.shape = shape;
        this.patterns = patterns;
        this.shift = shift;
        this.sum = sum;
        this.sumSquares = sumSquares;
        this.maximum = maximum;
        this.totals = totals;
    }

    /**
     * Reads the whole dataset once, in storage order, on all available cores.
     *
     * @param dataset the recording (any view)
     * @param progress receives "statistics" reports (patterns done of total)
     * @return the statistics
     * @throws IOException if the storage fails to read
     * @throws IllegalArgumentException if the dataset has more patterns than one array can total
     */
    public static PatternStatistics compute(Dataset5D dataset, ProgressListener progress) throws IOException {
        return compute(dataset, Runtime.getRuntime().availableProcessors(), progress);
    }

    /**
     * Reads the whole dataset once, in storage order. The calling thread reads; {@code threads}
     * workers add up batches of {@value #BATCH} consecutive patterns, and the batches' partial
     * sums are added in batch order, so the result is bit for bit the same for any thread count.
     *
     * @param dataset the recording (any view)
     * @param threads worker threads (1: everything on the calling thread)
     * @param progress receives "statistics" reports (patterns done of total)
     * @return the statistics
     * @throws IOException if the storage fails to read
     * @throws IllegalArgumentException if the dataset has more patterns than one array can total
     *     or {@code threads} &lt; 1
     */
    public static PatternStatistics compute(Dataset5D dataset, int threads, ProgressListener progress) throws IOException {
        return compute(dataset, null, threads, progress);
    }

    /**
     * The statistics of a part of a recording (a region of its scan, say), summed about a given
     * shift rather than the part's first pattern, so that the parts' sums can be added up: for
     * integer data every partial sum is an integer, and the parts' sums added in any order are the
     * very bits of {@link #compute} over the whole recording when the shift is its first pattern
     * (as long as the sums stay below 2<sup>53</sup>). See {@link #of} for putting them together.
     *
     * @param dataset the part (any view)
     * @param shift the values the sums are taken about, {@code ky·kx} (not modified): the whole
     *     recording's first pattern in storage order, {@code readPattern(0, 0, 0)}
     * @param threads worker threads (1: everything on the calling thread)
     * @param progress receives "statistics" reports (patterns done of total)
     * @return the part's statistics
     * @throws IOException if the storage fails to read
     * @throws IllegalArgumentException as {@link #compute(Dataset5D, int, ProgressListener)}, or if the
     *     shift's length is not the pattern size
     */
    public static PatternStatistics compute(Dataset5D dataset, double[] shift, int threads, ProgressListener progress)
        throws IOException {
        Objects.requireNonNull(dataset, "dataset");
        if (shift != null) {
            Checks.length("shift", dataset.shape().patternSize(), shift.length);
        }
        Checks.positive("threads", threads);
        ProgressListener pl = progress == null ? ProgressListener.NONE : progress;
        Shape5D s = dataset.shape();
        if (s.patternCount() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(Checks.format(
                "%s has %d patterns, more than the per-pattern totals can index; crop the scan or the time range",
                s, s.patternCount()));
        }
        Pass pass = new Pass(s, dataset.maskOrAllValid(), pl);
        if (shift != null) {
            System.arraycopy(shift, 0, pass.shift, 0, shift.length);
            pass.first = false;
        }
        int n = s.patternSize();
        // 2·threads + 1 batches keep the workers busy; on many cores with large detectors that is
        // capped at IN_FLIGHT_BYTES (the cap changes scheduling only, not the result).
        long batchBytes = 8L * BATCH * n;
        int batches = (int) Math.min(2L * threads + 1, Math.max(2, IN_FLIGHT_BYTES / batchBytes));
        try (BatchPipeline<Batch, RuntimeException> pipe = BatchPipeline.of("statistics", threads > 1 ? threads : 0, batches,
                () -> new Batch(n), b -> b.add(pass.shift, pass.weight, pass.totals), pass::fold)) {
            dataset.forEachPattern((t, y, x, p) -> pass.accept(pipe, t, y, x, p));
            pipe.finish();
        }
        pl.onProgress("statistics", pass.done, s.patternCount(), -1);
        return new PatternStatistics(s, pass.done, pass.shift, pass.sum, pass.sumSquares, pass.maximum, pass.totals);
    }

    /** Patterns per batch of the parallel pass. */
    static final int BATCH = 32;

    /** Bytes of pattern batches in flight at most (beyond two batches). */
    static final long IN_FLIGHT_BYTES = 64L << 20;

    /**
     * The mechanics of {@link #compute}: the reading thread copies patterns into batches, each
     * worker adds up its batch's per-pixel partial sums and the batch's pattern totals, and the
     * reading thread folds the partials into the sums strictly in batch order
     * ({@link BatchPipeline}).
     */
    private static final class Pass {
        final int n;
        final int scanY;
        final int scanX;
        final long total;
        final long every;
        final double[] weight;
        final double[] shift;
        final double[] sum;
        final double[] sumSquares;
        final double[] maximum;
        final float[] totals;
        final ProgressListener progress;
        long done;
        boolean first = true;

        Pass(Shape5D s, DetectorMask mask, ProgressListener progress) {
            n = s.patternSize();
            scanY = s.scanY();
            scanX = s.scanX();
            total = s.patternCount();
            every = Math.max(1, total / 200);
            weight = new double[n];
            for (int i = 0; i < n; i++) {
                weight[i] = mask.isValid(i) ? 1 : 0;
            }
            shift = new double[n];
            sum = new double[n];
            sumSquares = new double[n];
            maximum = new double[n];
            Arrays.fill(maximum, Double.NEGATIVE_INFINITY);
            totals = new float[(int) total];
            this.progress = progress;
        }

        void accept(BatchPipeline<Batch, RuntimeException> pipe, int t, int y, int x, double[] p) {
            if (first) {
                // Sums about the first pattern's values: exact 0 variance for constant integer pixels.
                System.arraycopy(p, 0, shift, 0, n);
                first = false;
            }
            Batch b = pipe.fill();
            int k = b.add();
            System.arraycopy(p, 0, b.patterns, k * n, n);
            b.slot[k] = (t * scanY + y) * scanX + x;
        }

        /** Folds a batch's partials into the sums (batches come in order). */
        void fold(Batch b) {
            for (int i = 0; i < n; i++) {
                sum[i] += b.partialSum[i];
                sumSquares[i] += b.partialSquares[i];
                if (b.partialMax[i] > maximum[i]) {
                    maximum[i] = b.partialMax[i]; // NaN never wins: a NaN pattern cannot hide saturation
                }
            }
            long d = done += b.size();
            if (d / every != (d - b.size()) / every) {
                progress.onProgress("statistics", d, total, -1);
            }
        }
    }

    /** Up to {@link #BATCH} consecutive patterns and their partial sums. */
    private static final class Batch extends BatchPipeline.Batch {
        final double[] patterns;
        final int[] slot = new int[BATCH];
        final double[] partialSum;
        final double[] partialSquares;
        final double[] partialMax;

        Batch(int n) {
            super(BATCH);
            patterns = new double[BATCH * n];
            partialSum = new double[n];
            partialSquares = new double[n];
            partialMax = new double[n];
        }

        /** This batch's per-pixel sums (in pattern order) and each pattern's total. */
        void add(double[] shift, double[] weight, float[] totals) {
            int n = partialSum.length;
            Arrays.fill(partialSum, 0);
            Arrays.fill(partialSquares, 0);
            Arrays.fill(partialMax, Double.NEGATIVE_INFINITY);
            for (int k = 0; k < size(); k++) {
                int o = k * n;
                double tot = 0;
                for (int i = 0; i < n; i++) {
                    double v = patterns[o + i];
                    double d = v - shift[i];
                    partialSum[i] += d;
                    partialSquares[i] += d * d;
                    if (v > partialMax[i]) {
                        partialMax[i] = v;
                    }
                    tot += v * weight[i];
                }
                totals[slot[k]] = (float) tot;
            }
        }
    }

    /**
     * The statistics without some patterns: their contributions are read again (random access)
     * and taken out of the per-pixel sums; their totals are kept. For excluding the few blanked or
     * flashed patterns from the mean pattern without a second pass.
     *
     * @param dataset the dataset these statistics were computed from
     * @param exclusion the patterns to take out
     * @return the statistics of the remaining patterns
     * @throws IOException if the storage fails to read
     */
    public PatternStatistics without(Dataset5D dataset, FrameExclusion exclusion) throws IOException {
        if (!dataset.shape().equals(shape) || !exclusion.shape().equals(shape)) {
            throw new IllegalArgumentException("dataset " + dataset.shape() + " or exclusion " + exclusion.shape()
                + " does not match the statistics of " + shape);
        }
        double[] s1 = sum.clone();
        double[] s2 = sumSquares.clone();
        int n = shape.patternSize();
        long removed = 0;
        for (int t = 0; t < shape.frames(); t++) {
            for (int y = 0; y < shape.scanY(); y++) {
                for (int x = 0; x < shape.scanX(); x++) {
                    if (exclusion.isExcluded(t, y, x)) {
                        double[] p = dataset.readPattern(t, y, x);
                        for (int i = 0; i < n; i++) {
                            double d = p[i] - shift[i];
                            s1[i] -= d;
                            s2[i] -= d * d;
                        }
                        removed++;
                    }
                }
            }
        }
        if (removed >= patterns) {
            throw new IllegalArgumentException(Checks.format("excluding %d of %d patterns leaves none", removed, patterns));
        }
        return new PatternStatistics(shape, patterns - removed, shift, s1, s2, maximum, totals);
    }

    /**
     * Statistics from their sums, as {@link #shiftedSums()} and the other accessors give them: how
     * the statistics of the parts of a recording (each {@link #compute(Dataset5D, double[], int,
     * ProgressListener) computed about the same shift}) are put together — the parts' shifted sums
     * and sums of squares added pixel by pixel, their maxima's maximum, their pattern totals put
     * in place. For integer data the result is bit for bit {@link #compute} over the whole.
     *
     * @param shape the shape of the whole the sums describe
     * @param patterns the patterns summed (≥ 1)
     * @param shift the values the sums are about, {@code ky·kx}
     * @param sums per-pixel sums of (value − shift)
     * @param sumSquares per-pixel sums of (value − shift)²
     * @param maximum per-pixel maxima
     * @param totals every pattern's total over the valid pixels, index {@code (t·scanY + y)·scanX + x}
     * @return the statistics (the arrays are copied)
     * @throws IllegalArgumentException if a length does not match the shape
     */
    public static PatternStatistics of(Shape5D shape, long patterns, double[] shift, double[] sums, double[] sumSquares,
                                       double[] maximum, float[] totals) {
        Objects.requireNonNull(shape, "shape");
        if (patterns < 1 || patterns > shape.patternCount()) {
            throw new IllegalArgumentException(Checks.format("patterns %d is not within [1, %d] for %s", patterns,
                shape.patternCount(), shape));
        }
        int n = shape.patternSize();
        Checks.length("shift", n, shift.length);
        Checks.length("sums", n, sums.length);
        Checks.length("sumSquares", n, sumSquares.length);
        Checks.length("maximum", n, maximum.length);
        Checks.length("totals", (int) shape.patternCount(), totals.length);
        return new PatternStatistics(shape, patterns, shift.clone(), sums.clone(), sumSquares.clone(), maximum.clone(),
            totals.clone());
    }

    /** @return the values the sums are taken about, {@code ky·kx} (a copy) */
    public double[] shift() {
        return shift.clone();
    }

    /** @return each pixel's sum of (value − {@link #shift()}) over the patterns (a copy) */
    public double[] shiftedSums() {
        return sum.clone();
    }

    /** @return each pixel's sum of (value − {@link #shift()})² over the patterns (a copy) */
    public double[] shiftedSumSquares() {
        return sumSquares.clone();
    }

    /** @return the shape of the dataset the statistics describe */
    public Shape5D shape() {
        return shape;
    }

    /** @return number of patterns in the sums */
    public long patternCount() {
        return patterns;
    }

    /** @return the mean pattern, {@code ky·kx} values row-major (a new array) */
    public double[] meanPattern() {
        double[] m = new double[sum.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = shift[i] + sum[i] / patterns;
        }
        return m;
    }

    /**
     * @return each pixel's largest value over all patterns read (also over patterns later taken
     *     out by {@link #without}, which keeps the maxima: a conservative bound); NaN values are
     *     passed over, and a pixel that was NaN in every pattern is −∞. <i>A copy.</i>
     */
    public double[] maximumPattern() {
        return maximum.clone();
    }

    /**
     * Pixels whose largest value reaches a level — a detector's saturation, where counts are
     * clipped and must not enter V or g.
     *
     * @param level the lowest unreliable value ({@link org.fivedstem.api.PatternStorage#saturationLevel()})
     * @return a mask with those pixels invalid
     */
    public DetectorMask belowLevel(double level) {
        boolean[] valid = new boolean[maximum.length];
        for (int i = 0; i < valid.length; i++) {
            valid[i] = !(maximum[i] >= level);
        }
        return DetectorMask.of(shape.ky(), shape.kx(), valid);
    }

    /**
     * @return each pixel's variance over all patterns (population, divided by the pattern count),
     *     row-major (a new array); exactly 0 for a pixel that never changed
     */
    public double[] variancePattern() {
        double[] v = new double[sum.length];
        for (int i = 0; i < v.length; i++) {
            double m = sum[i] / patterns;
            v[i] = Math.max(0, sumSquares[i] / patterns - m * m);
            if (sumSquares[i] == 0) {
                v[i] = 0;
            }
        }
        return v;
    }

    /**
     * @param frame frame index
     * @param y scan row
     * @param x scan column
     * @return the total intensity of the pattern over the valid pixels
     */
    public double totalIntensity(int frame, int y, int x) {
        Checks.index("frame", frame, shape.frames());
        Checks.index("y", y, shape.scanY());
        Checks.index("x", x, shape.scanX());
        return totals[(frame * shape.scanY() + y) * shape.scanX() + x];
    }

    /** @return all pattern totals, index {@code (t·scanY + y)·scanX + x} (a copy) */
    public float[] totals() {
        return totals.clone();
    }

    /** @return the summed total intensity of each frame (time step) over the whole scan */
    public double[] frameTotals() {
        int per = shape.positionCount();
        double[] f = new double[shape.frames()];
        for (int t = 0; t < f.length; t++) {
            double s = 0;
            for (int i = 0; i < per; i++) {
                s += totals[t * per + i];
            }
            f[t] = s;
        }
        return f;
    }

    /**
     * The virtual image of one time step: each scan position's total intensity over the valid
     * pixels (an annular dark-field image when a beam stop hides the direct beam).
     *
     * @param frame frame index
     * @param scanStepYNm scan step between rows in nm (for the map's scale)
     * @param scanStepXNm scan step between columns in nm
     * @return the image
     */
    public ScalarMap virtualImage(int frame, double scanStepYNm, double scanStepXNm) {
        Checks.index("frame", frame, shape.frames());
        int per = shape.positionCount();
        double[] v = new double[per];
        for (int i = 0; i < per; i++) {
            v[i] = totals[frame * per + i];
        }
        return ScalarMap.of("virtual image", "", shape.scanY(), shape.scanX(), v, scanStepYNm, scanStepXNm);
    }

    @Override
    public String toString() {
        double[] m = meanPattern();
        double max = Arrays.stream(m).max().orElse(Double.NaN);
        return Checks.format("PatternStatistics[%s, %d patterns, mean pattern max %.4g]", shape, patterns, max);
    }
}
