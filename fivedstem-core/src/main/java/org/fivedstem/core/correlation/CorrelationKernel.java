/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation;

import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.Normalisation;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.correlation.internal.BinResult;
import org.fivedstem.core.correlation.internal.BinSeries;
import org.fivedstem.core.correlation.internal.CorrelationRoute;
import org.fivedstem.core.correlation.internal.CorrelationRoutes;
import org.fivedstem.core.correlation.internal.GramKernels;
import org.fivedstem.core.correlation.internal.LagZero;
import org.fivedstem.core.correlation.internal.MultiTauSums;
import org.fivedstem.core.correlation.internal.PixelGroupSums;

/**
 * The primitive-array kernels behind {@link Correlator}: g(Q, t) (the paper's eqs. 1–2) and the
 * two-time matrix G(t1, t2) of one scan position, for the streaming engine and for anyone who
 * holds the annulus intensities in arrays.
 *
 * <p><b>Layout.</b> One position's input is the annulus pixels' intensities over time,
 * {@code series[t * P + p]}, frame-major (the order t-major files fill it; see
 * {@link #gather}), plus for several Q bins the bin of each pixel.
 *
 * <p><b>Equations</b> (per bin, its P pixels; ⟨…⟩φ the mean over them):
 * <pre>
 *   ENSEMBLE   G(t1,t2) = ⟨I(t1) I(t2)⟩φ / (⟨I(t1)⟩φ ⟨I(t2)⟩φ),   g(k) = mean over usable t1 of G(t1, t1+k)
 *              = (1/P) Σ_p Σ_t1 J_p(t1) J_p(t1+k) / n(k),   J_p(t) = I_p(t) / ⟨I(t)⟩φ
 *   SYMMETRIC  g(k) = mean over pixels of  [Σ_t1 I_p(t1) I_p(t1+k) / n(k)] / [Ī_p,early(k) Ī_p,late(k)]
 * </pre>
 * where n(k) is the number of usable pairs at lag k and Ī_p,early / Ī_p,late are the pixel's means
 * over the first and second frames of those pairs. A frame whose bin mean ⟨I(t)⟩φ is exactly 0
 * (beam blanked) is <i>blank</i>: every pair that contains it is left out and counted in
 * {@code blankFrames}; nothing is divided by it. With the symmetric normalisation a pixel whose
 * early or late window sum is 0 is left out of the pixel mean at that lag.
 *
 * <p><b>Non-finite input.</b> A NaN or infinite intensity makes g and its standard error NaN at
 * every lag of its bin (with either algorithm); pair counts are still reported.
 *
 * <p><b>Algorithms.</b> {@link CorrelationAlgorithm#DIRECT} forms every frame pair's pixel sum
 * (O(P·T²)); {@link CorrelationAlgorithm#FFT} uses JTransforms real FFTs of length the next power
 * of two ≥ 2T−1 (zero padding makes the circular correlation linear). JTransforms rather than a
 * hand-written FFT: it handles any length, has an in-place real transform (half the work of a
 * complex one) and is among the fastest pure-Java FFTs; power-of-two lengths take its split-radix
 * path, which is in place and allocation-free, whereas its mixed-radix path allocates per call.
 * {@link CorrelationAlgorithm#MULTI_TAU} (XPCS's multi-tau correlator) forms the pairs of 16 lags
 * per level of a series binned 1, 2, 4 … frames to a bin (O(P·T)), giving g at
 * {@link #lagFrames} — every lag 0 … T−1 for the other two. {@link CorrelationAlgorithm#AUTO} takes
 * the multi-tau route for series of more than {@link #MULTI_TAU_MIN_FRAMES} frames where it applies,
 * otherwise the one of the other two that {@link #costNanos} predicts to be faster.
 *
 * <p><b>Lag slots.</b> g, its standard errors, pair counts and replicates are laid out per bin in
 * L slots, L = {@link #lagCount}: the lags of {@link #lagFrames}, in order.
 *
 * <p>Kernels allocate nothing once their {@link Workspace} has grown to the problem size.
 */
public final class CorrelationKernel {

    // Cost model constants in ns, from the JMH benchmark (fivedstem-benchmarks, org.fivedstem.benchmarks.
    // CorrelationBenchmark, P = 300, jackknife SE) on the 2-core AMD EPYC machine, idle, after the
    // direct route's pair sums were tiled 4×2: direct 0.82 ms at T = 106 and 14.5 ms at T = 500,
    // FFT 6.9 ms and 26 ms (1 fork × 3 iterations; see README). Only the ratios decide.
    /** ns per pixel-pair multiply-add of the direct ensemble route (measured: 0.39–0.48). */
    static final double NS_DOT = 0.45;
    /** ns per frame pair of bookkeeping in the direct ensemble route (estimate; minor term). */
    static final double NS_PAIR = 4.0;
    /** ns per N·log2(N) of one real FFT including its per-pixel spectrum work (measured: 0.75–1.0). */
    static final double NS_FFT = 0.9;
    /** ns per packed FFT element of the per-pixel spectrum sums and products (estimate; minor term). */
    static final double NS_SPECTRUM = 1.0;
    /** ns per pixel-pair of the direct symmetric route (three sums, not tiled; 1.7 was measured before tiling for the single sum, so 2 × that). */
    static final double NS_SYMMETRIC = 3.4;

    /**
     * Above this many frames {@link CorrelationAlgorithm#AUTO} takes the multi-tau route (where it
     * applies: ensemble normalisation, pixel-group jackknife or no standard errors). At 512 frames
     * the direct route's pair sums cost about 5× per frame what they cost at the paper's 106 and its
     * pixel-group sums hold 11 T × T matrices (23 MB) per thread; above, both grow with T.
     */
    public static final int MULTI_TAU_MIN_FRAMES = 512;

    private CorrelationKernel() {
    }

    /**
     * Whether g of a series of this length is computed by the multi-tau route: the algorithm is
     * {@link CorrelationAlgorithm#MULTI_TAU}, or {@link CorrelationAlgorithm#AUTO} with more than
     * {@link #MULTI_TAU_MIN_FRAMES} frames, the ensemble normalisation and not the frame-block
     * jackknife.
     *
     * @param options the options
     * @param frames T
     * @return whether the lags are the multi-tau lags
     */
    public static boolean multiTau(CorrelationOptions options, int frames) {
        Objects.requireNonNull(options, "options");
        return switch (options.algorithm()) {
            case MULTI_TAU -> true;
            case AUTO -> frames > MULTI_TAU_MIN_FRAMES && options.normalisation() == Normalisation.ENSEMBLE
                && options.stdErrMethod() != StdErrMethod.FRAME_BLOCK_JACKKNIFE;
            default -> false;
        };
    }

    /**
     * The lags, in frames, at which {@link #correlate} gives g for a series of T frames: 0 … T−1,
     * or the multi-tau lags (0 … 15, then 8 … 15 times 2, 4, 8 … while the binned series has a pair
     * at that lag) when {@link #multiTau} holds.
     *
     * @param options the options
     * @param frames T (≥ 1)
     * @return the lags, ascending; multiply by the frame interval for seconds
     */
    public static int[] lagFrames(CorrelationOptions options, int frames) {
        Checks.positive("frames", frames);
        if (multiTau(options, frames)) {
            return MultiTauSums.lagFrames(frames);
        }
        int[] lags = new int[frames];
        for (int k = 0; k < frames; k++) {
            lags[k] = k;
        }
        return lags;
    }

    /**
     * @param options the options
     * @param frames T (≥ 1)
     * @return L, the number of {@link #lagFrames}: the lag slots per bin of {@link #correlate}
     */
    public static int lagCount(CorrelationOptions options, int frames) {
        Checks.positive("frames", frames);
        return multiTau(options, frames) ? MultiTauSums.lagCount(frames) : frames;
    }

    /**
     * One thread's reusable scratch space. Grows to the largest problem it has seen; not
     * thread-safe (use one per thread).
     */
    public static final class Workspace {
        private final CorrelationRoutes routes = new CorrelationRoutes(GramKernels.preferred());
        /** The two-time sums of the last {@link #correlate} if it was of one bin on a pixel-group route, else null. */
        private PixelGroupSums twoTimeSums;
        private int[] lastBinOfPixel = new int[0];
        private int lastPixels = -1;
        private int lastBins = -1;
        private int[][] members = new int[0][];
        private int[] memberCount = new int[0];

        private Workspace() {
        }

        private void bins(int[] binOfPixel, int pixels, int bins) {
            if (lastPixels == pixels && lastBins == bins
                && Arrays.equals(lastBinOfPixel, 0, pixels, binOfPixel, 0, pixels)) {
                return;
            }
            int[] count = new int[bins];
            for (int p = 0; p < pixels; p++) {
                int b = binOfPixel[p];
                if (b < 0 || b >= bins) {
                    throw new IllegalArgumentException(Checks.format(
                        "binOfPixel[%d] is outside [0, %d): %d", p, bins, b));
                }
                count[b]++;
            }
            int[][] m = new int[bins][];
            for (int b = 0; b < bins; b++) {
                if (count[b] == 0) {
                    throw new IllegalArgumentException(Checks.format("Q bin %d holds no pixel", b));
                }
                m[b] = new int[count[b]];
            }
            int[] fill = new int[bins];
            for (int p = 0; p < pixels; p++) {
                int b = binOfPixel[p];
                m[b][fill[b]++] = p;
            }
            members = m;
            memberCount = count;
            lastBinOfPixel = Arrays.copyOf(binOfPixel, pixels);
            lastPixels = pixels;
            lastBins = bins;
        }
    }

    /** @return a new, empty workspace */
    public static Workspace newWorkspace() {
        return new Workspace();
    }

    /**
     * Which implementation of the pair sums this JVM uses: the JDK Vector API's when the JVM was
     * started with {@code --add-modules jdk.incubator.vector} (as the {@code ./fivedstem} launcher
     * does), else plain Java; both give the same bits, only the speed differs. System property
     * {@code fivedstem.vectorization=false} keeps plain Java.
     *
     * @return e.g. "Vector API, 512-bit (8 doubles)", or "scalar: " and the reason
     */
    public static String vectorisation() {
        return GramKernels.description();
    }

    /**
     * The order in which an annulus's pixels are handed to {@link #correlate}: by azimuth about the
     * pattern centre (angle from −π, ties by pixel index) — within each Q bin when the bins are
     * correlated as separate ensembles ({@code byBin}), across the whole annulus when it is one. The ensemble g does
     * not depend on the order (up to the rounding of its sums); the pixel-group jackknife does —
     * its groups are contiguous ranges of this order, so here they are sectors of the ring, and a
     * speckle grain of a pixel or two straddles only the sector boundaries. Row-major ranges split
     * horizontal stretches of the ring into inner and outer rows and understated g's errors with
     * grainy speckle (docs/dynamics.md, "Speckle grain"). Every route — the engine,
     * {@code DynamicsMapper}, {@link Correlator} — uses this order, so their results agree bit for bit.
     *
     * @param annulus the annulus
     * @param centerKyPx pattern centre, row coordinate in pixels of the annulus's patterns
     * @param centerKxPx pattern centre, column coordinate in pixels
     * @param byBin whether the bins are separate ensembles (order by bin first)
     * @return {@code order}: position {@code i} takes {@code annulus.pixelIndices()[order[i]]}
     */
    public static int[] pixelOrder(org.fivedstem.api.AnnulusMask annulus, double centerKyPx, double centerKxPx,
                                   boolean byBin) {
        Objects.requireNonNull(annulus, "annulus");
        Checks.finite("centerKyPx", centerKyPx);
        Checks.finite("centerKxPx", centerKxPx);
        int[] px = annulus.pixelIndices();
        int[] bin = byBin ? annulus.binOfPixels() : new int[px.length];
        int kx = annulus.kx();
        double[] angle = new double[px.length];
        for (int i = 0; i < px.length; i++) {
            angle[i] = Math.atan2(px[i] / kx - centerKyPx, px[i] % kx - centerKxPx);
        }
        return java.util.stream.IntStream.range(0, px.length).boxed()
            .sorted(java.util.Comparator.<Integer>comparingInt(i -> bin[i]).thenComparingDouble(i -> angle[i])
                .thenComparingInt(i -> px[i]))
            .mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param values values aligned with an annulus's pixels. Not modified.
     * @param order from {@link #pixelOrder}. Not modified.
     * @return {@code values[order[i]]} at {@code i}
     */
    public static int[] inOrder(int[] values, int[] order) {
        int[] out = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = values[order[i]];
        }
        return out;
    }

    /**
     * Copies one pattern's annulus pixels into frame {@code t} of a series.
     *
     * @param pattern a diffraction pattern, row-major. Not modified.
     * @param pixelIndices the annulus pixels' row-major indices ({@link org.fivedstem.api.AnnulusMask#pixelIndices()}). Not modified.
     * @param t the frame
     * @param series {@code series[t * P + p] = pattern[pixelIndices[p]]}. Modified.
     */
    public static void gather(double[] pattern, int[] pixelIndices, int t, double[] series) {
        int p = pixelIndices.length;
        int o = t * p;
        for (int i = 0; i < p; i++) {
            series[o + i] = pattern[pixelIndices[i]];
        }
    }

    /**
     * Computes g(Q, t) and its standard errors for every Q bin at the lags of {@link #lagFrames}.
     *
     * @param series intensities {@code series[t * pixels + p]}, length ≥ frames·pixels. Not modified.
     * @param frames T (≥ 1)
     * @param pixels P, the annulus pixels per frame (≥ 1)
     * @param binOfPixel the Q bin of each pixel, in [0, bins); every bin must hold a pixel. Not modified.
     * @param bins number of Q bins
     * @param options normalisation, lag-0 correction, SE method, algorithm
     * @param workspace this thread's workspace. Modified.
     * @param g g at {@code g[bin * L + i]} for the i-th lag, L = {@link #lagCount}, length ≥ bins·L. Modified.
     * @param stdErr standard errors, same layout (NaN where unknown). Modified.
     * @param pairCounts usable frame pairs per lag, same layout. Modified.
     * @param blankFrames blank frames per bin, length ≥ bins. Modified.
     * @return the algorithm used
     */
    public static CorrelationAlgorithm correlate(double[] series, int frames, int pixels, int[] binOfPixel, int bins,
                                                 CorrelationOptions options, Workspace workspace, double[] g,
                                                 double[] stdErr, int[] pairCounts, int[] blankFrames) {
        return correlate(series, frames, pixels, binOfPixel, bins, options, workspace, g, stdErr, pairCounts,
            blankFrames, null);
    }

    /**
     * The number of jackknife replicates {@link #correlate(double[], int, int, int[], int,
     * CorrelationOptions, Workspace, double[], double[], int[], int[], double[]) correlate} reports
     * per bin: the number of frame blocks or pixel groups B (1 when standard errors are off).
     *
     * @param options the options
     * @param frames T
     * @return B
     */
    public static int replicateCount(CorrelationOptions options, int frames) {
        return options.blocksFor(Checks.positive("frames", frames));
    }

    /**
     * The memory one {@link Workspace} grows to when correlating series of this size, for memory
     * budgets: the frame-major and pixel-major copies of the series (2·T·P doubles), the two-time
     * sums (T², and for the pixel-group jackknife the groups' Gram matrices, B·T² up to
     * {@link PixelGroupSums#GROUP_GRAMS_KEPT_MAX}, plus their total), and per-lag arrays. An upper
     * estimate; the FFT route needs less. On the multi-tau route: no T × T terms, the band sums of one
     * level instead (T × 16 per group).
     *
     * @param options the options
     * @param frames T
     * @param pixels P of the largest bin
     * @return bytes
     */
    public static long workspaceBytes(CorrelationOptions options, int frames, int pixels) {
        long t = Checks.positive("frames", frames);
        long p = Checks.positive("pixels", pixels);
        if (multiTau(options, frames)) {
            // the frame-major and binned copies, two levels' band sums ((B + 1) · T · 16) and per-level arrays
            long groups = options.blocksFor(frames);
            return 8 * (3 * t * p + (groups + 1) * t * MultiTauSums.CHANNELS + (groups + 2) * t + 16 * t);
        }
        long doubles = 2 * t * p + t * t + 16 * t;
        if (options.stdErrMethod() == StdErrMethod.PIXEL_GROUP_JACKKNIFE) {
            long groups = options.blocksFor(frames);
            doubles += Math.min(groups * t * t, PixelGroupSums.GROUP_GRAMS_KEPT_MAX) + t * t + 2 * groups * t;
        } else if (options.stdErrMethod() == StdErrMethod.FRAME_BLOCK_JACKKNIFE) {
            doubles += 6L * options.blocksFor(frames) * t;
        }
        return 8 * doubles;
    }

    /**
     * As {@link #correlate(double[], int, int, int[], int, CorrelationOptions, Workspace, double[],
     * double[], int[], int[])}, and also the jackknife replicates of g — g recomputed without the
     * frame pairs that touch each frame block ({@link StdErrMethod#FRAME_BLOCK_JACKKNIFE}) or without
     * each group of pixels ({@link StdErrMethod#PIXEL_GROUP_JACKKNIFE}), the values whose spread gives
     * the standard errors. Fitting each replicate gives jackknife errors of fitted parameters that, unlike the fit's
     * covariance, account for the correlation between neighbouring lags. Replicates are of the
     * ensemble g (for the symmetric normalisation too, as its standard errors are); NaN where a
     * replicate has no pair left, for blocks without usable frames, and for pixel groups beyond the
     * bin's pixel count.
     *
     * @param series intensities {@code series[t * pixels + p]}. Not modified.
     * @param frames T
     * @param pixels P
     * @param binOfPixel the Q bin of each pixel. Not modified.
     * @param bins number of Q bins
     * @param options normalisation, lag-0 correction, SE method, algorithm
     * @param workspace this thread's workspace. Modified.
     * @param g g at {@code g[bin * L + i]} for the i-th lag, L = {@link #lagCount}. Modified.
     * @param stdErr standard errors, same layout. Modified.
     * @param pairCounts usable frame pairs per lag, same layout. Modified.
     * @param blankFrames blank frames per bin. Modified.
     * @param replicates replicate {@code r} of bin {@code b} at the i-th lag at
     *     {@code replicates[(b * B + r) * L + i]}, B = {@link #replicateCount}; or {@code null}
     *     for none. Modified.
     * @return the algorithm used
     */
    public static CorrelationAlgorithm correlate(double[] series, int frames, int pixels, int[] binOfPixel, int bins,
                                                 CorrelationOptions options, Workspace workspace, double[] g,
                                                 double[] stdErr, int[] pairCounts, int[] blankFrames,
                                                 double[] replicates) {
        Objects.requireNonNull(series, "series");
        return correlate(series.length, (routes, members, p) -> routes.gather(series, frames, pixels, members, p),
            frames, pixels, binOfPixel, bins, options, workspace, g, stdErr, pairCounts, blankFrames, replicates);
    }

    /**
     * As {@link #correlate(double[], int, int, int[], int, CorrelationOptions, Workspace, double[],
     * double[], int[], int[], double[]) correlate}, from intensities held in {@code float}: each
     * value is widened to {@code double} exactly when the series is read, so the results are bit
     * for bit those of a {@code double} series of the same values. For counts, which {@code float}
     * holds exactly below 2²⁴: half the memory of a {@code double} series.
     *
     * @param series intensities {@code series[t * pixels + p]}. Not modified.
     * @param frames T
     * @param pixels P
     * @param binOfPixel the Q bin of each pixel. Not modified.
     * @param bins number of Q bins
     * @param options normalisation, lag-0 correction, SE method, algorithm
     * @param workspace this thread's workspace. Modified.
     * @param g g at {@code g[bin * L + i]} for the i-th lag, L = {@link #lagCount}. Modified.
     * @param stdErr standard errors, same layout. Modified.
     * @param pairCounts usable frame pairs per lag, same layout. Modified.
     * @param blankFrames blank frames per bin. Modified.
     * @param replicates as for the {@code double} method, or {@code null}. Modified.
     * @return the algorithm used
     */
    public static CorrelationAlgorithm correlate(float[] series, int frames, int pixels, int[] binOfPixel, int bins,
                                                 CorrelationOptions options, Workspace workspace, double[] g,
                                                 double[] stdErr, int[] pairCounts, int[] blankFrames,
                                                 double[] replicates) {
        Objects.requireNonNull(series, "series");
        return correlate(series.length, (routes, members, p) -> routes.gather(series, frames, pixels, members, p),
            frames, pixels, binOfPixel, bins, options, workspace, g, stdErr, pairCounts, blankFrames, replicates);
    }

    /** Copies one bin of a series, of either element type, into the routes' {@link BinSeries}. */
    @FunctionalInterface
    private interface BinGather {
        BinSeries gather(CorrelationRoutes routes, int[] members, int pixels);
    }

    private static CorrelationAlgorithm correlate(int seriesLength, BinGather gather, int frames, int pixels,
                                                  int[] binOfPixel, int bins, CorrelationOptions options,
                                                  Workspace workspace, double[] g, double[] stdErr, int[] pairCounts,
                                                  int[] blankFrames, double[] replicates) {
        Checks.positive("frames", frames);
        Checks.positive("pixels", pixels);
        Checks.positive("bins", bins);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(workspace, "workspace");
        atLeast("series", seriesLength, (long) frames * pixels);
        atLeast("binOfPixel", binOfPixel.length, pixels);
        requireCompatible(options);
        int lags = lagCount(options, frames);
        atLeast("g", g.length, (long) bins * lags);
        atLeast("stdErr", stdErr.length, (long) bins * lags);
        atLeast("pairCounts", pairCounts.length, (long) bins * lags);
        atLeast("blankFrames", blankFrames.length, bins);
        int blocks = options.blocksFor(frames);
        if (replicates != null) {
            atLeast("replicates", replicates.length, (long) bins * blocks * lags);
        }
        workspace.bins(binOfPixel, pixels, bins);
        boolean multiTau = multiTau(options, frames);
        CorrelationRoute route = multiTau ? workspace.routes.multiTau()
            : workspace.routes.route(options.normalisation(), options.stdErrMethod());
        LagZero lagZero = LagZero.of(options.factorialLag0());
        CorrelationAlgorithm used = multiTau ? CorrelationAlgorithm.MULTI_TAU : CorrelationAlgorithm.DIRECT;
        PixelGroupSums sums = null;
        for (int b = 0; b < bins; b++) {
            int p = workspace.memberCount[b];
            CorrelationAlgorithm a = resolve(options, frames, p);
            if (a == CorrelationAlgorithm.FFT) {
                used = a;
            }
            BinSeries bin = gather.gather(workspace.routes, workspace.members[b], p);
            BinResult r = route.correlate(bin, a, lagZero, blocks);
            r.copyTo(g, stdErr, pairCounts, b * lags);
            blankFrames[b] = r.blankFrames();
            if (replicates != null) {
                r.copyReplicatesTo(replicates, b * blocks * lags);
            }
            sums = r.twoTimeSums();
        }
        workspace.twoTimeSums = bins == 1 ? sums : null;
        return used;
    }

    /**
     * After a {@link #correlate} of a single Q bin with the pixel-group jackknife and the ensemble
     * normalisation: the two-time sums of the normalised intensities u_p(t) = I_p(t)/⟨I(t)⟩φ − 1,
     * S(t1, t2) = Σ_p u_p(t1) u_p(t2), over all pixels or over all but one pixel group, which the
     * correlation computed on the way (what {@code KwwFitter}'s quasi-likelihood estimator fits).
     *
     * @param workspace the workspace of that correlation
     * @param replicate −1 for all pixels, else the index of the pixel group left out
     * @param s {@code s[t1 * T + t2]} for t2 ≥ t1 (T × T); 0 where a frame is blank. Modified.
     * @param invMeanIntensity 1/⟨I(t)⟩φ per frame (T), 0 for a blank frame. Modified.
     * @return the number of pixels summed; 0 when the sums are not at hand (another route, several
     *     bins, non-finite data, or more frames than the group Gram matrices are kept for,
     *     {@code GROUP_GRAMS_KEPT_MAX})
     */
    public static int normalisedTwoTimeSums(Workspace workspace, int replicate, double[] s, double[] invMeanIntensity) {
        Objects.requireNonNull(workspace, "workspace");
        PixelGroupSums sums = workspace.twoTimeSums;
        return sums == null ? 0 : sums.normalisedSums(replicate, s, invMeanIntensity);
    }

    /**
     * The two-time matrix G(t1, t2) of eq. 1 (ensemble normalisation) over all given pixels as one
     * ensemble. Rows and columns of blank frames are NaN; with {@code factorialLag0} the diagonal
     * holds ⟨I(I−1)⟩φ/⟨I⟩φ².
     *
     * @param series intensities {@code series[t * pixels + p]}. Not modified.
     * @param frames T
     * @param pixels P
     * @param factorialLag0 whether to correct the diagonal for counting noise
     * @param workspace this thread's workspace. Modified.
     * @param out T × T values, {@code out[t1 * T + t2]}. Modified.
     * @return the number of blank frames
     */
    public static int twoTime(double[] series, int frames, int pixels, boolean factorialLag0, Workspace workspace,
                              double[] out) {
        Checks.positive("frames", frames);
        Checks.positive("pixels", pixels);
        atLeast("series", series.length, (long) frames * pixels);
        atLeast("out", out.length, (long) frames * frames);
        int[] single = new int[pixels];
        workspace.bins(single, pixels, 1);
        BinSeries bin = workspace.routes.gather(series, frames, pixels, workspace.members[0], pixels);
        return workspace.routes.twoTime(bin, LagZero.of(factorialLag0), out);
    }

    /**
     * The algorithm {@link CorrelationAlgorithm#AUTO} would use for a bin of this size.
     *
     * @param options the options (a fixed algorithm is returned as is)
     * @param frames T
     * @param pixels P of the bin
     * @return {@link CorrelationAlgorithm#DIRECT}, {@link CorrelationAlgorithm#FFT} or
     *     {@link CorrelationAlgorithm#MULTI_TAU} (see {@link #multiTau})
     */
    public static CorrelationAlgorithm resolve(CorrelationOptions options, int frames, int pixels) {
        requireCompatible(options);
        if (options.algorithm() != CorrelationAlgorithm.AUTO) {
            return options.algorithm();
        }
        if (multiTau(options, frames)) {
            return CorrelationAlgorithm.MULTI_TAU;
        }
        if (options.stdErrMethod() == StdErrMethod.PIXEL_GROUP_JACKKNIFE) {
            return CorrelationAlgorithm.DIRECT;
        }
        return costNanos(CorrelationAlgorithm.FFT, options, frames, pixels)
            < costNanos(CorrelationAlgorithm.DIRECT, options, frames, pixels)
            ? CorrelationAlgorithm.FFT : CorrelationAlgorithm.DIRECT;
    }

    /**
     * The operation-count model: predicted time in ns of one bin. With B jackknife blocks, N the
     * FFT length and pairs = T(T+1)/2:
     * <pre>
     *   direct ensemble  NS_DOT·P·pairs + NS_PAIR·pairs
     *   FFT ensemble     P·B·(NS_FFT·N log2 N + NS_SPECTRUM·N) + 2B·NS_FFT·N log2 N
     *   direct symmetric NS_SYMMETRIC·P·pairs            (plus the ensemble part when B &gt; 1)
     *   FFT symmetric    P·(2·NS_FFT·N log2 N + NS_SPECTRUM·N)   (idem)
     *   direct, pixel groups  NS_DOT·P·pairs + NS_PAIR·(1 + B)·pairs   (FFT: none; AUTO takes the direct route)
     * </pre>
     * The constants were measured with the JMH benchmark (docs/dynamics.md).
     *
     * @param algorithm DIRECT or FFT
     * @param options the options
     * @param frames T
     * @param pixels P
     * @return predicted ns
     * @throws IllegalArgumentException for AUTO or MULTI_TAU, or FFT with {@link StdErrMethod#PIXEL_GROUP_JACKKNIFE}
     */
    public static double costNanos(CorrelationAlgorithm algorithm, CorrelationOptions options, int frames, int pixels) {
        if (algorithm == CorrelationAlgorithm.AUTO || algorithm == CorrelationAlgorithm.MULTI_TAU) {
            throw new IllegalArgumentException("costNanos needs DIRECT or FFT, not " + algorithm);
        }
        double t = frames;
        double p = pixels;
        int blocks = options.blocksFor(frames);
        boolean symmetric = options.normalisation() == Normalisation.SYMMETRIC;
        boolean ensemble = !symmetric || blocks > 1;
        double pairs = t * (t + 1) / 2;
        int n = 2;
        while (n < 2 * frames - 1) {
            n <<= 1;
        }
        double nlog = n * (Math.log(n) / Math.log(2));
        double cost = 0;
        boolean groups = options.stdErrMethod() == StdErrMethod.PIXEL_GROUP_JACKKNIFE;
        if (groups && algorithm == CorrelationAlgorithm.FFT) {
            throw new IllegalArgumentException(NO_FFT_GROUPS);
        }
        if (algorithm == CorrelationAlgorithm.DIRECT) {
            cost += groups ? NS_DOT * p * pairs + NS_PAIR * (1 + blocks) * pairs
                : ensemble ? NS_DOT * p * pairs + NS_PAIR * pairs : 0;
            cost += symmetric ? NS_SYMMETRIC * p * pairs : 0;
        } else {
            cost += ensemble ? p * blocks * (NS_FFT * nlog + NS_SPECTRUM * n) + 2.0 * blocks * NS_FFT * nlog : 0;
            cost += symmetric ? p * (2 * NS_FFT * nlog + NS_SPECTRUM * n) : 0;
        }
        return cost;
    }

    private static final String NO_FFT_GROUPS = "stdErrMethod PIXEL_GROUP_JACKKNIFE needs algorithm DIRECT or AUTO, "
        + "not FFT (the FFT route has only the frame-block jackknife: withStdErrMethod(FRAME_BLOCK_JACKKNIFE) or NONE)";

    /**
     * Checks that the options can be run: the pixel-group jackknife exists on the direct and
     * multi-tau routes only (see {@link StdErrMethod#PIXEL_GROUP_JACKKNIFE}), and the multi-tau route
     * only for the ensemble normalisation without the frame-block jackknife. Options may be set in either order, so the
     * check is made by their users — the engine, {@code DynamicsMapper} and {@link Correlator} when
     * they are given the options, before any reading.
     *
     * @param options the options
     * @return {@code options}
     * @throws IllegalArgumentException for the pixel-group jackknife with the FFT algorithm, or the
     *     multi-tau algorithm with the symmetric normalisation or the frame-block jackknife
     */
    public static CorrelationOptions requireCompatible(CorrelationOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.algorithm() == CorrelationAlgorithm.MULTI_TAU
            && (options.normalisation() != Normalisation.ENSEMBLE || options.stdErrMethod() == StdErrMethod.FRAME_BLOCK_JACKKNIFE)) {
            throw new IllegalArgumentException("algorithm MULTI_TAU needs the ENSEMBLE normalisation and stdErrMethod "
                + "PIXEL_GROUP_JACKKNIFE or NONE, not " + options.normalisation() + " with " + options.stdErrMethod());
        }
        if (options.stdErrMethod() == StdErrMethod.PIXEL_GROUP_JACKKNIFE && options.algorithm() == CorrelationAlgorithm.FFT) {
            throw new IllegalArgumentException(NO_FFT_GROUPS);
        }
        return options;
    }

    private static void atLeast(String name, int length, long needed) {
        if (length < needed) {
            throw new IllegalArgumentException(Checks.format("%s has length %d, needs at least %d", name, length, needed));
        }
    }
}
