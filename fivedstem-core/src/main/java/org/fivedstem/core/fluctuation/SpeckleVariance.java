/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fluctuation;

import java.io.IOException;
import java.util.Objects;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.QRange;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.internal.BatchPipeline;

/**
 * The structural map of the paper: the speckle variance V (eq. 5) of every pattern over an annulus,
 * averaged over time at each scan position; with V(Q) profiles over thin rings and V over time at
 * one position.
 *
 * <pre>{@code
 * VarianceMaps m = SpeckleVariance.compute(dataset, VarianceOptions.defaults().withProfileBins(14));
 * m.variance();              // ScalarMap "V", Fig. 3a
 * m.meanProfile();           // scan-averaged V(Q)
 * SpeckleVariance.trace(dataset, 10, 20, VarianceOptions.defaults());  // stationarity check
 * }</pre>
 *
 * <p><b>Reading and threads.</b> {@link #compute} reads every pattern once with
 * {@link Dataset5D#forEachPattern}. The reading thread gathers the annulus pixels of each pattern
 * into batches, {@code threads − 1} worker threads run the per-pattern kernel (with one thread,
 * the reading thread runs it on whole patterns), and the reading thread adds the per-frame results to the time averages
 * in storage order; each V is computed by the same arithmetic whatever thread runs it, so results
 * are bit-identical for any thread count. See {@link SpeckleVarianceKernel} for the exact arithmetic, the shot-noise
 * correction and blank frames.
 */
public final class SpeckleVariance {

    private SpeckleVariance() {
    }

    /**
     * @param dataset the recording
     * @return time-averaged V with the default options (3.0–5.8 nm⁻¹, no correction)
     * @throws IOException if reading fails
     */
    public static VarianceMaps compute(Dataset5D dataset) throws IOException {
        return compute(dataset, VarianceOptions.defaults(), ProgressListener.NONE);
    }

    /**
     * @param dataset the recording
     * @param options range, profile bins, shot-noise gain, threads
     * @return the maps
     * @throws IOException if reading fails
     */
    public static VarianceMaps compute(Dataset5D dataset, VarianceOptions options) throws IOException {
        return compute(dataset, options, ProgressListener.NONE);
    }

    /**
     * @param dataset the recording
     * @param options range, profile bins, shot-noise gain, threads
     * @param progress receives {@code ("speckle variance", patternsDone, patternsTotal, -1)}
     * @return the maps
     * @throws IOException if reading fails
     * @throws IllegalArgumentException if the annulus (or a profile ring) holds no valid pixel, or,
     *     with a shot-noise gain, if a value is not counts × gain (see {@link SpeckleVarianceKernel})
     */
    public static VarianceMaps compute(Dataset5D dataset, VarianceOptions options, ProgressListener progress)
        throws IOException {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(progress, "progress");
        AnnulusMask annulus = AnnulusMask.of(dataset, options.range(), options.profileBins());
        Shape5D s = dataset.shape();
        SpeckleVarianceAccumulator acc = new SpeckleVarianceAccumulator(s.positionCount(),
            SpeckleVarianceKernel.of(annulus, options.gainAduPerElectron()));
        long total = s.patternCount();
        int scanX = s.scanX();
        if (options.threads() == 1) {
            long[] done = {0};
            dataset.forEachPattern((t, y, x, p) -> {
                try {
                    acc.accept(y * scanX + x, p);
                } catch (IllegalArgumentException e) {
                    throw SpeckleVarianceKernel.located(e, dataset, t, y, x);
                }
                if ((++done[0] & 4095) == 0) {
                    progress.onProgress("speckle variance", done[0], total, -1);
                }
            });
        } else {
            gatherInBatches(dataset, annulus, options, acc, progress);
        }
        progress.onProgress("speckle variance", total, total, -1);
        return result(acc, s, dataset, options, annulus);
    }

    /**
     * The threaded pass: the reading thread gathers the annulus pixels of each pattern into
     * batches, {@code threads − 1} workers run the kernel on them, and the reading thread adds the
     * results to the time averages in storage order ({@link BatchPipeline}).
     */
    private static void gatherInBatches(Dataset5D dataset, AnnulusMask annulus, VarianceOptions options,
                                        SpeckleVarianceAccumulator acc, ProgressListener progress) throws IOException {
        long total = dataset.shape().patternCount();
        int scanX = dataset.shape().scanX();
        int[] pixels = annulus.pixelIndices();
        int bins = annulus.binCount();
        // about 4 MB of gathered pixels per batch
        int capacity = Math.max(1, Math.min(4096, (1 << 19) / pixels.length));
        int[] identity = new int[pixels.length];
        for (int k = 0; k < identity.length; k++) {
            identity[k] = k;
        }
        int workers = options.threads() - 1;
        long[] merged = {0};
        // Each batch carries its own kernel (kernels hold a workspace): a batch is mapped by one
        // worker at a time. The gathered kernel sums the same pixels in the same order as a kernel
        // over whole patterns, so every per-frame V is bit-identical to it.
        try (BatchPipeline<Batch, RuntimeException> pipe = BatchPipeline.of("variance", workers, 2 * workers + 1,
                () -> new Batch(capacity, pixels.length, bins,
                    SpeckleVarianceKernel.of(identity, annulus.binOfPixels(), bins, options.gainAduPerElectron())),
                b -> b.compute(dataset, scanX),
                b -> {
                    for (int i = 0; i < b.size(); i++) {
                        acc.add(b.position[i], b.variance[i], b.binVariance, i * bins);
                    }
                    merged[0] += b.size();
                    progress.onProgress("speckle variance", merged[0], total, -1);
                })) {
            dataset.forEachPattern((t, y, x, pattern) -> {
                Batch b = pipe.fill();
                int i = b.add();
                int base = i * b.pixels;
                for (int k = 0; k < pixels.length; k++) {
                    b.values[base + k] = pattern[pixels[k]];
                }
                b.frame[i] = t;
                b.position[i] = y * scanX + x;
            });
            pipe.finish();
        }
    }

    private static VarianceMaps result(SpeckleVarianceAccumulator acc, Shape5D s, Dataset5D ds,
                                       VarianceOptions options, AnnulusMask annulus) {
        double stepY = ds.calibration().scanStepYNm();
        double stepX = ds.calibration().scanStepXNm();
        ScalarMap v = ScalarMap.of("V", "", s.scanY(), s.scanX(), acc.means(), stepY, stepX);
        double[] used = new double[s.positionCount()];
        for (int p = 0; p < used.length; p++) {
            used[p] = acc.usedFrames(p);
        }
        ScalarMap u = ScalarMap.of("V_frames", "frames", s.scanY(), s.scanX(), used, stepY, stepX);
        QRange[] rings = new QRange[annulus.binCount()];
        for (int b = 0; b < rings.length; b++) {
            rings[b] = annulus.bin(b);
        }
        return new VarianceMaps(v, u, acc.excludedFrames(), rings, acc.binMeans(), options, annulus);
    }

    /**
     * V(Q) averaged over the scan: each Q bin's mean over the positions where it is finite.
     *
     * @param profiles V per position and bin, {@code position * bins + bin}. Not modified.
     * @param bins the Q bins per position
     * @return the mean per bin; NaN for a bin finite at no position
     */
    public static double[] meanProfile(double[] profiles, int bins) {
        Objects.requireNonNull(profiles, "profiles");
        Checks.positive("bins", bins);
        if (profiles.length % bins != 0) {
            throw new IllegalArgumentException(Checks.format("%d values are not a whole number of %d-bin profiles",
                profiles.length, bins));
        }
        double[] out = new double[bins];
        int[] n = new int[bins];
        for (int i = 0; i < profiles.length; i++) {
            if (Double.isFinite(profiles[i])) {
                out[i % bins] += profiles[i];
                n[i % bins]++;
            }
        }
        for (int k = 0; k < bins; k++) {
            out[k] = n[k] > 0 ? out[k] / n[k] : Double.NaN;
        }
        return out;
    }

    /**
     * V of every frame at one scan position: reads only that position's patterns.
     *
     * @param dataset the recording
     * @param y scan row
     * @param x scan column
     * @param options range and shot-noise gain (profile bins and threads are ignored)
     * @return V over time, NaN for excluded frames
     * @throws IOException if reading fails
     * @throws IllegalArgumentException with a shot-noise gain, if a value is not counts × gain
     */
    public static VarianceTrace trace(Dataset5D dataset, int y, int x, VarianceOptions options) throws IOException {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(options, "options");
        Shape5D s = dataset.shape();
        Checks.index("y", y, s.scanY());
        Checks.index("x", x, s.scanX());
        SpeckleVarianceKernel k = SpeckleVarianceKernel.of(AnnulusMask.of(dataset, options.range()),
            options.gainAduPerElectron());
        double[] v = new double[s.frames()];
        dataset.forEachPattern(new Selection(0, s.frames(), y, y + 1, x, x + 1),
            (t, yy, xx, p) -> {
                try {
                    v[t] = k.variance(p);
                } catch (IllegalArgumentException e) {
                    throw SpeckleVarianceKernel.located(e, dataset, t, y, x);
                }
            });
        double[] times = new double[s.frames()];
        for (int t = 0; t < times.length; t++) {
            times[t] = dataset.calibration().frameTimeSeconds(t);
        }
        return VarianceTrace.of(y, x, times, v);
    }

    /** A batch of gathered annulus pixels and the per-pattern results. */
    private static final class Batch extends BatchPipeline.Batch {
        final double[] values;
        final int[] position;
        final int[] frame;
        final double[] variance;
        final double[] binVariance;
        final SpeckleVarianceKernel kernel;
        final int pixels;
        final int bins;

        Batch(int capacity, int pixels, int bins, SpeckleVarianceKernel kernel) {
            super(capacity);
            this.values = new double[capacity * pixels];
            this.position = new int[capacity];
            this.frame = new int[capacity];
            this.variance = new double[capacity];
            this.binVariance = new double[capacity * bins];
            this.kernel = kernel;
            this.pixels = pixels;
            this.bins = bins;
        }

        void compute(Dataset5D dataset, int scanX) {
            for (int i = 0; i < size(); i++) {
                try {
                    variance[i] = kernel.variance(values, i * pixels, binVariance, i * bins);
                } catch (IllegalArgumentException e) {
                    throw SpeckleVarianceKernel.located(e, dataset, frame[i], position[i] / scanX, position[i] % scanX);
                }
            }
        }
    }
}
