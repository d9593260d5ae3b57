/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.QRange;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.TwoTimeCorrelation;
import org.fivedstem.api.internal.Checks;

/**
 * Intensity autocorrelation of the speckle at one scan position: g(Q, t) by the paper's eqs. 1–2
 * (or the symmetric normalisation) with standard errors, and the two-time matrix G(t1, t2).
 * Immutable and thread-safe (each call uses its own workspace; for many positions use
 * {@link CorrelationKernel} with one workspace per thread, or {@code DynamicsMapper}).
 *
 * <pre>{@code
 * Correlator c = Correlator.of(CorrelationOptions.defaults());
 * CorrelationCurve g = c.curve(dataset, AnnulusMask.of(dataset, QRange.of(4.2, 4.6)), 10, 20);
 * }</pre>
 *
 * <p>Lag k is reported as {@code k · frameIntervalSeconds} (with timestamps: their median spacing;
 * frames are taken as evenly spaced). The curve's pair count at lag 0 is the number of usable
 * frames, so {@code T − pairCount(0)} frames were blank. See {@link CorrelationKernel} for the
 * equations and the treatment of blank frames and non-finite values.
 */
public final class Correlator {

    private final CorrelationOptions options;

    private Correlator(CorrelationOptions options) {
        this.options = options;
    }

    /**
     * @param options how to correlate
     * @return the correlator
     */
    public static Correlator of(CorrelationOptions options) {
        return new Correlator(CorrelationKernel.requireCompatible(Objects.requireNonNull(options, "options")));
    }

    /** @return a correlator with {@link CorrelationOptions#defaults()} */
    public static Correlator withDefaults() {
        return of(CorrelationOptions.defaults());
    }

    /** @return the options */
    public CorrelationOptions options() {
        return options;
    }

    /**
     * Reads one position's annulus intensities over time.
     *
     * @param dataset the dataset
     * @param annulus an annulus built for the dataset's pattern size
     * @param y scan row
     * @param x scan column
     * @return {@code series[t * P + p]}, P = {@code annulus.pixelCount()}, pixels in the order of
     *     {@link CorrelationKernel#pixelOrder} about the dataset's pattern centre for the whole
     *     annulus as one ensemble (by azimuth), the order the engine and {@code DynamicsMapper} use
     * @throws IOException if the storage fails
     */
    public static double[] readSeries(Dataset5D dataset, AnnulusMask annulus, int y, int x) throws IOException {
        return readSeries(dataset, annulus, y, x, order(dataset, annulus, false));
    }

    private static double[] readSeries(Dataset5D dataset, AnnulusMask annulus, int y, int x, int[] order) throws IOException {
        Shape5D s = checkMatch(dataset, annulus);
        Checks.index("y", y, s.scanY());
        Checks.index("x", x, s.scanX());
        int[] idx = CorrelationKernel.inOrder(annulus.pixelIndices(), order);
        double[] series = new double[s.frames() * idx.length];
        dataset.forEachPattern(new Selection(0, s.frames(), y, y + 1, x, x + 1),
            (t, yy, xx, pattern) -> CorrelationKernel.gather(pattern, idx, t, series));
        return series;
    }

    /**
     * g(t) over the whole annulus (all its Q bins as one ensemble) at one position.
     *
     * @param dataset the dataset
     * @param annulus the annulus
     * @param y scan row
     * @param x scan column
     * @return the curve, lags 0…T−1
     * @throws IOException if the storage fails
     */
    public CorrelationCurve curve(Dataset5D dataset, AnnulusMask annulus, int y, int x) throws IOException {
        double[] series = readSeries(dataset, annulus, y, x);
        int p = annulus.pixelCount();
        return compute(series, dataset.shape().frames(), p, new int[p], 1,
            dataset.calibration().frameIntervalSeconds(), new QRange[] {annulus.range()}).get(0);
    }

    /**
     * g(Q, t): one curve per Q bin of the annulus, each bin its own ensemble.
     *
     * @param dataset the dataset
     * @param annulus the annulus, possibly with several bins
     * @param y scan row
     * @param x scan column
     * @return the curves, ascending in Q (unmodifiable)
     * @throws IOException if the storage fails
     */
    public List<CorrelationCurve> curves(Dataset5D dataset, AnnulusMask annulus, int y, int x) throws IOException {
        int[] order = order(dataset, annulus, true);
        double[] series = readSeries(dataset, annulus, y, x, order);
        QRange[] ranges = new QRange[annulus.binCount()];
        for (int b = 0; b < ranges.length; b++) {
            ranges[b] = annulus.bin(b);
        }
        return compute(series, dataset.shape().frames(), annulus.pixelCount(),
            CorrelationKernel.inOrder(annulus.binOfPixels(), order), ranges.length,
            dataset.calibration().frameIntervalSeconds(), ranges);
    }

    private static int[] order(Dataset5D dataset, AnnulusMask annulus, boolean byBin) {
        return CorrelationKernel.pixelOrder(annulus, dataset.calibration().centerKyPx(), dataset.calibration().centerKxPx(),
            byBin);
    }

    /**
     * g(t) from intensities in an array, all pixels one ensemble.
     *
     * @param series {@code series[t * pixels + p]}. Not modified.
     * @param frames T
     * @param pixels P
     * @param frameIntervalSeconds time between frames in s
     * @return the curve (without a Q range)
     */
    public CorrelationCurve curve(double[] series, int frames, int pixels, double frameIntervalSeconds) {
        Objects.requireNonNull(series, "series");
        return compute(series, frames, pixels, new int[Checks.positive("pixels", pixels)], 1, frameIntervalSeconds,
            new QRange[] {null}).get(0);
    }

    /**
     * g(Q, t) from intensities in an array, pixels assigned to Q bins.
     *
     * @param series {@code series[t * pixels + p]}. Not modified.
     * @param frames T
     * @param pixels P
     * @param binOfPixel the bin of each pixel, in [0, bins). Not modified.
     * @param bins number of bins
     * @param frameIntervalSeconds time between frames in s
     * @return one curve per bin (without Q ranges; unmodifiable)
     */
    public List<CorrelationCurve> curves(double[] series, int frames, int pixels, int[] binOfPixel, int bins,
                                         double frameIntervalSeconds) {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(binOfPixel, "binOfPixel");
        return compute(series, frames, pixels, binOfPixel, bins, frameIntervalSeconds, new QRange[Checks.positive("bins", bins)]);
    }

    /**
     * The two-time matrix G(t1, t2) (eq. 1, ensemble normalisation) over the whole annulus.
     *
     * @param dataset the dataset
     * @param annulus the annulus
     * @param y scan row
     * @param x scan column
     * @return the matrix
     * @throws IOException if the storage fails
     */
    public TwoTimeCorrelation twoTime(Dataset5D dataset, AnnulusMask annulus, int y, int x) throws IOException {
        double[] series = readSeries(dataset, annulus, y, x);
        return twoTime(series, dataset.shape().frames(), annulus.pixelCount(),
            dataset.calibration().frameIntervalSeconds(), annulus.range());
    }

    /**
     * The two-time matrix from intensities in an array.
     *
     * @param series {@code series[t * pixels + p]}. Not modified.
     * @param frames T
     * @param pixels P
     * @param frameIntervalSeconds time between frames in s
     * @param qRange the Q range, or {@code null}
     * @return the matrix
     */
    public TwoTimeCorrelation twoTime(double[] series, int frames, int pixels, double frameIntervalSeconds, QRange qRange) {
        Objects.requireNonNull(series, "series");
        Checks.positive("frameIntervalSeconds", frameIntervalSeconds);
        Checks.positive("frames", frames);
        double[] out = new double[frames * frames];
        CorrelationKernel.twoTime(series, frames, pixels, options.factorialLag0(), CorrelationKernel.newWorkspace(), out);
        return TwoTimeCorrelation.of(frames, out, frameIntervalSeconds, qRange);
    }

    private List<CorrelationCurve> compute(double[] series, int frames, int pixels, int[] binOfPixel, int bins,
                                           double frameIntervalSeconds, QRange[] ranges) {
        Checks.positive("frameIntervalSeconds", frameIntervalSeconds);
        Checks.positive("frames", frames);
        int n = CorrelationKernel.lagCount(options, frames);
        double[] g = new double[bins * n];
        double[] se = new double[bins * n];
        int[] pairs = new int[bins * n];
        int[] blank = new int[bins];
        CorrelationKernel.correlate(series, frames, pixels, binOfPixel, bins, options, CorrelationKernel.newWorkspace(),
            g, se, pairs, blank);
        double[] lags = lagsSeconds(options, frames, frameIntervalSeconds);
        List<CorrelationCurve> out = new ArrayList<>(bins);
        for (int b = 0; b < bins; b++) {
            int o = b * n;
            out.add(CorrelationCurve.of(lags, java.util.Arrays.copyOfRange(g, o, o + n),
                java.util.Arrays.copyOfRange(se, o, o + n), java.util.Arrays.copyOfRange(pairs, o, o + n),
                ranges[b], options.normalisation()));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The lags at which the correlation with these options gives g ({@link CorrelationKernel#lagFrames}),
     * in seconds.
     *
     * @param options the options
     * @param frames T
     * @param frameIntervalSeconds time between frames in s
     * @return each lag in frames times {@code frameIntervalSeconds}
     */
    public static double[] lagsSeconds(CorrelationOptions options, int frames, double frameIntervalSeconds) {
        int[] k = CorrelationKernel.lagFrames(options, frames);
        double[] lags = new double[k.length];
        for (int i = 0; i < k.length; i++) {
            lags[i] = k[i] * frameIntervalSeconds;
        }
        return lags;
    }

    /**
     * @param frames T
     * @param frameIntervalSeconds time between frames in s
     * @return {@code k · frameIntervalSeconds} for k = 0…T−1, the lags of the direct and FFT routes
     */
    public static double[] lagsSeconds(int frames, double frameIntervalSeconds) {
        double[] lags = new double[frames];
        for (int k = 0; k < frames; k++) {
            lags[k] = k * frameIntervalSeconds;
        }
        return lags;
    }

    private static Shape5D checkMatch(Dataset5D dataset, AnnulusMask annulus) {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(annulus, "annulus");
        Shape5D s = dataset.shape();
        if (annulus.ky() != s.ky() || annulus.kx() != s.kx()) {
            throw new IllegalArgumentException(Checks.format(
                "annulus built for %d×%d patterns does not match the dataset's %d×%d patterns",
                annulus.ky(), annulus.kx(), s.ky(), s.kx()));
        }
        return s;
    }

    @Override
    public String toString() {
        return "Correlator[" + options + "]";
    }
}
