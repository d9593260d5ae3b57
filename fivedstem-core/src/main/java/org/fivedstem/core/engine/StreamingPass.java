/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.FloatPixelSink;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.Normalisation;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.Correlator;
import org.fivedstem.core.correlation.StdErrMethod;
import org.fivedstem.core.fitting.DynamicsMapper;
import org.fivedstem.core.fitting.KwwFitter;
import org.fivedstem.core.internal.BatchPipeline;
import org.fivedstem.core.internal.ParallelRanges;
import org.fivedstem.core.internal.Threads;
import org.fivedstem.core.fluctuation.SpeckleVarianceAccumulator;
import org.fivedstem.core.fluctuation.SpeckleVarianceKernel;

/**
 * One run of an {@link Analysis}: the single pass over the recording, block by block, then the
 * fits. See {@link Analysis} for the contract; this class is the mechanics.
 */
final class StreamingPass {

    /** Patterns per batch handed from the reading thread to the workers. */
    private static final int BATCH = 256;

    private final Analysis a;
    private final Dataset5D ds;
    private final Shape5D shape;
    private final int frames;
    /** L, the lags per curve: T, or fewer on the multi-tau route ({@link CorrelationKernel#lagCount}). */
    private final int lagSlots;
    private final int scanX;
    private final int positions;
    private final ProgressListener progress;

    /** Union of the dynamics and structure pixels: what is copied out of each pattern. */
    private final int[] union;
    /** Whether {@code dynInUnion[p] == p}: the dynamics pixels lead each reduced pattern, in order. */
    private final boolean dynContiguous;
    /** Dynamics pixel p is {@code union[dynInUnion[p]]}. */
    private final int[] dynInUnion;
    private final int dynPixels;
    private final SpeckleVarianceKernel structureKernelPrototype;
    private final int[] structureInUnion;
    private final int bins;
    /**
     * Whether the reduced patterns and the position series hold {@code float} rather than
     * {@code double}: when every value is a whole count of at most 2²⁴ ({@link #narrowable}), which
     * {@code float} holds exactly. The kernels widen each value to {@code double} where they read
     * it, so the results are the same bits either way; the pass moves and keeps half the bytes.
     */
    private final boolean narrow;

    // Outputs of the pass.
    private final double[] g;
    private final double[] gErr;
    private final int[] pairs;
    private final int[] blankFrames;
    /**
     * Whether each position is fitted as soon as it is correlated, inside the correlation task
     * (no pooling: a fit needs only its own position). With pooling the fits wait for the
     * neighbours' g and run after the pass.
     */
    private final boolean fitInline;
    /**
     * Whether the fits use the quasi-likelihood: asked for and applicable (γ = 1, no baseline), fitted
     * inline (no pooling) from a pixel-group correlation with the ensemble normalisation, whose
     * two-time sums the fit then reads.
     */
    private final boolean quasiLikelihood;
    /** The fits, filled in place when {@link #fitInline}; {@code null} without dynamics. */
    private final KwwFit[] fits;
    /** Lag times in seconds; {@code null} without dynamics. */
    private final double[] lags;
    /**
     * Jackknife replicates of g, kept only for fits after pooling: replicate b of position i at lag
     * k is {@code replicates[b][i * T + k]}; {@code null} when fits run inline or the correlation has
     * no jackknife (then fits report covariance errors).
     */
    private final double[][] replicates;
    /** Jackknife replicates per position (0: none). */
    private final int replicateCount;
    /**
     * Per-frame V of the block being read, by slot {@code (position − block's first) · T + t}, and
     * per Q bin at {@code slot · bins + b}; folded into {@link #vAccumulator} in frame order once the
     * block is read, so only one block's worth is ever held.
     */
    private double[] frameV;
    private double[] frameBinV;
    /** Time averages of V over the blocks read so far; {@code null} without structure. */
    private final SpeckleVarianceAccumulator vAccumulator;
    /**
     * Correlation and fit workspaces, one per thread for the whole run: a pixel-group workspace holds
     * B·T² doubles of group Gram matrices (0.9 MB at T = 106, up to 32 MB for long series), too much
     * to allocate per task. Reuse does not change a bit of the results.
     */
    private final ThreadLocal<CorrelationKernel.Workspace> correlationWorkspaces =
        ThreadLocal.withInitial(CorrelationKernel::newWorkspace);
    private final ThreadLocal<KwwFitter.Workspace> fitWorkspaces = ThreadLocal.withInitial(KwwFitter::newWorkspace);
    /** Positions correlated so far (progress). */
    private final AtomicLong correlated = new AtomicLong();
    /** Wall seconds per stage, in the order the stages first ran. */
    private final Map<String, Double> stageSeconds = new LinkedHashMap<>();

    /**
     * @param analysis what to run
     * @param floatSeries whether to hold the annulus values in {@code float}; only where
     *     {@link #narrowable} (exact)
     */
    StreamingPass(Analysis analysis, boolean floatSeries) {
        this.a = analysis;
        this.ds = analysis.dataset();
        this.shape = ds.shape();
        this.frames = shape.frames();
        this.scanX = shape.scanX();
        this.positions = shape.positionCount();
        ProgressListener pl = analysis.progress();
        this.narrow = floatSeries;
        // Reports may come from several workers; listeners are promised one call at a time.
        this.progress = (stage, done, total, bytes) -> {
            synchronized (this) {
                pl.onProgress(stage, done, total, bytes);
            }
        };
        AnnulusMask dyn = analysis.dynamicsAnnulus();
        AnnulusMask str = analysis.structureAnnulus();
        // The dynamics pixels in the correlation's order (by azimuth: pixel groups are sectors).
        int[] dynIdx = dyn == null ? new int[0] : CorrelationKernel.inOrder(dyn.pixelIndices(), CorrelationKernel.pixelOrder(dyn,
            ds.calibration().centerKyPx(), ds.calibration().centerKxPx(), false));
        int[] strIdx = str == null ? new int[0] : str.pixelIndices();
        this.union = unionOrder(dynIdx, strIdx, str == null ? new int[0] : str.binOfPixels(), str == null ? 0 : str.binCount());
        // Where each pixel index sits in the union: the union's indices sorted with their positions
        // (not an array over the whole pattern, which for a 4096² detector would be 64 MB).
        long[] keyed = new long[union.length];
        for (int i = 0; i < union.length; i++) {
            keyed[i] = (long) union[i] << 32 | i;
        }
        Arrays.sort(keyed);
        int[] sortedIndex = new int[union.length];
        int[] sortedPosition = new int[union.length];
        for (int k = 0; k < keyed.length; k++) {
            sortedIndex[k] = (int) (keyed[k] >>> 32);
            sortedPosition[k] = (int) keyed[k];
        }
        java.util.function.IntUnaryOperator position = index -> sortedPosition[Arrays.binarySearch(sortedIndex, index)];
        this.dynInUnion = new int[dynIdx.length];
        for (int p = 0; p < dynIdx.length; p++) {
            dynInUnion[p] = position.applyAsInt(dynIdx[p]);
        }
        this.dynPixels = dynIdx.length;
        boolean identity = true;
        for (int p = 0; p < dynPixels; p++) {
            identity &= dynInUnion[p] == p;
        }
        this.dynContiguous = identity;
        if (str != null) {
            int[] strInUnion = new int[strIdx.length];
            for (int p = 0; p < strIdx.length; p++) {
                strInUnion[p] = position.applyAsInt(strIdx[p]);
            }
            this.structureInUnion = strInUnion;
            this.structureKernelPrototype = SpeckleVarianceKernel.of(strInUnion, str.binOfPixels(), str.binCount(),
                analysis.gainAduPerElectron());
            this.bins = str.binCount();
            this.vAccumulator = new SpeckleVarianceAccumulator(positions, structureKernelPrototype);
        } else {
            this.structureKernelPrototype = null;
            this.structureInUnion = null;
            this.bins = 0;
            this.vAccumulator = null;
        }
        if (dyn != null) {
            this.lagSlots = CorrelationKernel.lagCount(analysis.correlationOptions(), frames);
            int n = Math.multiplyExact(positions, lagSlots);
            this.g = new double[n];
            this.gErr = new double[n];
            this.pairs = new int[n];
            this.blankFrames = new int[positions];
            int b = CorrelationKernel.replicateCount(analysis.correlationOptions(), frames);
            this.replicateCount = b >= 2 ? b : 0;
            this.fitInline = analysis.pooling() <= 1;
            this.replicates = b >= 2 && !fitInline ? new double[b][n] : null;
            CorrelationOptions co = analysis.correlationOptions();
            // The quasi-likelihood reads the direct route's two-time sums, which the multi-tau route does not form.
            this.quasiLikelihood = fitInline && replicateCount > 0 && analysis.fitOptions().quasiLikelihood()
                && co.normalisation() == Normalisation.ENSEMBLE && co.stdErrMethod() == StdErrMethod.PIXEL_GROUP_JACKKNIFE
                && !CorrelationKernel.multiTau(co, frames);
            this.fits = new KwwFit[positions];
            this.lags = Correlator.lagsSeconds(co, frames, ds.calibration().frameIntervalSeconds());
        } else {
            this.g = null;
            this.gErr = null;
            this.pairs = null;
            this.blankFrames = null;
            this.replicateCount = 0;
            this.replicates = null;
            this.fitInline = false;
            this.quasiLikelihood = false;
            this.fits = null;
            this.lags = null;
            this.lagSlots = 0;
        }
    }

    /**
     * Whether a recording's annulus values can be held in {@code float} without changing a bit:
     * its storage delivers whole counts (unsigned integer types) and the largest possible value of a
     * (binned) pixel, the stored type's maximum times B², is at most 2²⁴
     * ({@link PatternStorage#FLOAT_EXACT_LIMIT}) — 8- and 16-bit counts up to 16 × 16 binning, also
     * through excluded-pattern and whole-step drift views; not 32-bit counts, floating-point data or
     * bilinearly resampled views, which keep the {@code double} path.
     *
     * @param ds the recording as analysed
     * @return whether the float path applies
     */
    static boolean narrowable(Dataset5D ds) {
        java.util.OptionalLong limit = ds.countLimit();
        return limit.isPresent() && limit.getAsLong() <= PatternStorage.FLOAT_EXACT_LIMIT;
    }

    /**
     * The pixels each pattern is reduced to, in the order the batches hold them (storages gather in
     * any order): the structure pixels first, grouped by Q bin (stable within a bin), so that V's
     * per-bin sums read each bin as one contiguous run; then the dynamics pixels outside the
     * structure annulus. Without a structure part, the dynamics pixels in the correlation's order,
     * so that scattering them into the position series is a plain copy.
     */
    private static int[] unionOrder(int[] dynIdx, int[] strIdx, int[] binOf, int bins) {
        if (strIdx.length == 0) {
            return dynIdx.clone();
        }
        int[] start = new int[bins + 1];
        for (int b : binOf) {
            start[b + 1]++;
        }
        for (int b = 0; b < bins; b++) {
            start[b + 1] += start[b];
        }
        java.util.BitSet inStructure = new java.util.BitSet();
        int[] order = new int[strIdx.length];
        for (int i = 0; i < strIdx.length; i++) {
            order[start[binOf[i]]++] = strIdx[i];
            inStructure.set(strIdx[i]);
        }
        return java.util.stream.IntStream.concat(Arrays.stream(order),
            Arrays.stream(dynIdx).filter(i -> !inStructure.get(i)).sorted()).toArray();
    }

    /** A batch of reduced patterns: for each, its frame, position and union pixels. */
    private final class Batch extends BatchPipeline.Batch {
        final int[] frame = new int[BATCH];
        final int[] position = new int[BATCH];
        /** The reduced patterns, pattern k from {@code k · union.length}: one of the two, by {@link #narrow}. */
        final double[] data = narrow ? null : new double[BATCH * Math.max(1, union.length)];
        final float[] floats = narrow ? new float[BATCH * Math.max(1, union.length)] : null;

        Batch() {
            super(BATCH);
        }
    }

    AnalysisResult run() throws IOException {
        long start = System.nanoTime();
        int threads = a.threads();
        Blocks plan = blocks();
        int rowsPerBlock = plan.rows();
        int blockCount = (shape.scanY() + rowsPerBlock - 1) / rowsPerBlock;
        if (vAccumulator != null) {
            int slots = Math.multiplyExact(rowsPerBlock * scanX, frames);
            frameV = new double[slots];
            frameBinV = bins > 1 ? new double[Math.multiplyExact(slots, bins)] : null;
        }
        long[] read = {0};
        // The correlation of block k runs on its own threads while block k+1 is read, so that it
        // fills what the reading thread and the batch workers leave of the cores. A separate pool:
        // in one FIFO pool the next block's batches would queue behind the correlation tasks and
        // stall the reader. With one thread asked for, everything stays on the calling thread.
        // Closing the pools (also on failure) waits for their threads to end.
        try (Threads.Pool pool = threads > 1 ? Threads.pool("analysis", threads) : null;
             Threads.Pool correlators = plan.overlap() && threads > 1 ? Threads.pool("analysis-correlation", threads) : null) {
            int buffers = correlators != null ? 2 : 1;
            // Per buffer, each position's series: double[] or float[] (by narrow), allocated on first use.
            Object[][] series = dynPixels > 0 ? new Object[buffers][rowsPerBlock * scanX] : null;
            List<List<Future<?>>> inFlight = new ArrayList<>();
            for (int i = 0; i < buffers; i++) {
                inFlight.add(new ArrayList<>());
            }
            long correlatingNanos = 0;
            int bi = 0;
            for (int y0 = 0; y0 < shape.scanY(); y0 += rowsPerBlock, bi++) {
                int y1 = Math.min(shape.scanY(), y0 + rowsPerBlock);
                int buf = bi % buffers;
                Object[] s = series == null ? null : series[buf];
                if (s != null) {
                    // The correlation of the block that used this buffer before must be done.
                    long w = System.nanoTime();
                    ParallelRanges.await(inFlight.get(buf));
                    correlatingNanos += System.nanoTime() - w;
                    for (int i = 0; i < (y1 - y0) * scanX; i++) {
                        if (s[i] == null) {
                            s[i] = narrow ? new float[frames * dynPixels] : new double[frames * dynPixels];
                        }
                    }
                }
                long t0 = System.nanoTime();
                readBlock(y0, y1, s, threads, read);
                foldVariance(y0, y1);
                long t1 = System.nanoTime();
                stage("reading", t1 - t0);
                if (s != null) {
                    if (correlators != null) {
                        correlateBlock(y0, y1, s, correlators, threads, inFlight.get(buf));
                    } else {
                        correlateBlock(y0, y1, s, pool, threads, inFlight.get(buf));
                        ParallelRanges.await(inFlight.get(buf));
                        correlatingNanos += System.nanoTime() - t1;
                    }
                }
            }
            long w = System.nanoTime();
            for (List<Future<?>> f : inFlight) {
                ParallelRanges.await(f);
            }
            correlatingNanos += System.nanoTime() - w;
            if (series != null) {
                stage("correlating", correlatingNanos);
            }
            double[] fg = g;
            double[] fe = gErr;
            int[] fp = pairs;
            if (g != null && !fitInline) {
                double[][] fr = replicates;
                if (a.pooling() > 1) {
                    fg = new double[g.length];
                    fe = new double[g.length];
                    fp = new int[g.length];
                    DynamicsMapper mapper = DynamicsMapper.of(a.correlationOptions(), a.fitOptions()).withPooling(a.pooling());
                    mapper.pool(g, gErr, pairs, shape.scanY(), scanX, lagSlots, fg, fe, fp);
                    fr = replicates == null ? null : mapper.poolReplicates(replicates, pairs, shape.scanY(), scanX, lagSlots);
                }
                long t0 = System.nanoTime();
                fitAll(fg, fe, fp, fr, pool, threads);
                stage("fitting", System.nanoTime() - t0);
            }
            return finish(start, fg, fe, fp, read[0], blockCount);
        }
    }


    private void stage(String name, long nanos) {
        stageSeconds.merge(name, nanos * 1e-9, Double::sum);
    }

    /**
     * Kept series (of all positions) above which the pass overlaps reading and correlating;
     * smaller recordings are read as one block, there being little to overlap.
     */
    static final long OVERLAP_MIN_BYTES = 64L << 20;

    /**
     * How the scan is split.
     *
     * @param rows scan rows per block
     * @param overlap whether block k is correlated while block k+1 is read
     */
    record Blocks(int rows, boolean overlap) { }

    /**
     * Rows per block so that what a block keeps — the dynamics series and the per-frame V — fits
     * the memory budget, less the correlation threads' workspaces. When the whole scan's exceeds {@link #OVERLAP_MIN_BYTES} or the budget,
     * the scan is split into at least four blocks and each block is read while the previous one is
     * correlated; two blocks' series are then alive, each within half the budget. If the budget
     * holds only one row's data, one-row blocks are read and correlated in turn. A structure-only
     * analysis uses as many rows as fit.
     */
    Blocks blocks() {
        int scanY = shape.scanY();
        // Kept per row: the dynamics series and the per-frame V (and per-bin V) of the block.
        int vValues = vAccumulator == null ? 0 : 1 + (bins > 1 ? bins : 0);
        long bytesPerRow = (long) scanX * frames * ((narrow ? 4L : 8L) * dynPixels + 8L * vValues);
        // The correlation threads' workspaces come out of the budget first.
        long workspaces = dynPixels == 0 ? 0
            : a.threads() * CorrelationKernel.workspaceBytes(a.correlationOptions(), frames, dynPixels);
        long budget = a.memoryBudgetBytes() - workspaces;
        long rowsFit = Math.max(0, budget) / bytesPerRow;
        if (rowsFit < 1) {
            throw new IllegalArgumentException(Checks.format(
                "one scan row of kept data needs %d MiB (%d positions × %d frames × (%d annulus pixels × %d bytes + %d V values × 8 bytes)), "
                    + "more than the memory budget of %d MiB leaves after %d MiB of correlation workspaces; "
                    + "raise the heap (-Xmx)%s",
                bytesPerRow >> 20, scanX, frames, dynPixels, narrow ? 4 : 8, vValues, a.memoryBudgetBytes() >> 20, workspaces >> 20,
                dynPixels > 0 ? " or narrow the dynamics annulus" : " or use fewer Q rings"));
        }
        if (rowsFit >= scanY && bytesPerRow * scanY <= OVERLAP_MIN_BYTES) {
            return new Blocks(scanY, false);
        }
        if (dynPixels == 0) {
            // structure only: nothing to correlate, so nothing to overlap
            return new Blocks((int) Math.min(rowsFit, scanY), false);
        }
        if (rowsFit < 2) {
            return new Blocks(1, false);
        }
        return new Blocks((int) Math.min(rowsFit / 2, (scanY + 3) / 4), true);
    }

    private void readBlock(int y0, int y1, Object[] series, int threads, long[] read) throws IOException {
        ThreadLocal<SpeckleVarianceKernel> kernels = ThreadLocal.withInitial(this::newStructureKernel);
        long total = shape.patternCount();
        long reportEvery = Math.max(1, total / 200);
        int u = union.length;
        // The reading thread fills batches, the workers scatter them into the series and compute
        // V; each batch writes its own slots, so there is nothing to fold.
        int workers = threads > 1 ? threads : 0;
        try (BatchPipeline<Batch, RuntimeException> pipe = BatchPipeline.of("analysis-reading", workers, 2 * threads + 1,
                Batch::new, b -> process(b, y0, series, kernels.get()), b -> { })) {
            // Only the annulus pixels are decoded (storages that can, decode them straight from the
            // stored bytes): the reading thread is the pass's serial part.
            Selection block = new Selection(0, frames, y0, y1, 0, scanX);
            if (narrow) {
                // Counts go from the stored bytes straight into the batch (FloatPixelSink): each
                // value is converted once, into its final place.
                ds.forEachPatternAsFloat(block, union, new FloatPixelSink() {
                    private Batch b;

                    @Override
                    public int claim(int t, int y, int x) {
                        b = pipe.fill();
                        int k = b.add();
                        b.frame[k] = t;
                        b.position[k] = (y0 + y) * scanX + x;
                        if (++read[0] % reportEvery == 0) {
                            progress.onProgress("reading", read[0], total, -1);
                        }
                        return k * u;
                    }

                    @Override
                    public float[] array() {
                        return b.floats;
                    }
                });
            } else {
                ds.forEachPattern(block, union, (t, y, x, pixels) -> {
                    Batch b = pipe.fill();
                    int k = b.add();
                    b.frame[k] = t;
                    b.position[k] = (y0 + y) * scanX + x;
                    System.arraycopy(pixels, 0, b.data, k * u, u);
                    if (++read[0] % reportEvery == 0) {
                        progress.onProgress("reading", read[0], total, -1);
                    }
                });
            }
            pipe.finish();
        }
        progress.onProgress("reading", read[0], total, -1);
    }

    /**
     * Adds the block's per-frame V to the time averages, position by position in frame order: the
     * same sequence of additions whatever the block size and however batches were spread over
     * threads, so the means are bit for bit independent of both.
     */
    private void foldVariance(int y0, int y1) {
        if (vAccumulator == null) {
            return;
        }
        int first = y0 * scanX;
        for (int pos = first; pos < y1 * scanX; pos++) {
            for (int t = 0; t < frames; t++) {
                int slot = (pos - first) * frames + t;
                vAccumulator.add(pos, frameV[slot], frameBinV, slot * bins);
            }
        }
    }

    private SpeckleVarianceKernel newStructureKernel() {
        // Kernels hold a workspace: one per thread, each configured like the prototype.
        return structureKernelPrototype == null ? null : SpeckleVarianceKernel.of(structureInUnion,
            a.structureAnnulus().binOfPixels(), bins, a.gainAduPerElectron());
    }

    /** Scatters a batch's dynamics pixels into the series and computes each pattern's V. */
    private void process(Batch b, int y0, Object[] series, SpeckleVarianceKernel kernel) {
        int u = union.length;
        int rowOffset = y0 * scanX;
        for (int k = 0; k < b.size(); k++) {
            int pos = b.position[k];
            int t = b.frame[k];
            int off = k * u;
            if (series != null) {
                Object row = series[pos - rowOffset];
                int o = t * dynPixels;
                if (narrow) {
                    float[] s = (float[]) row;
                    if (dynContiguous) {
                        System.arraycopy(b.floats, off, s, o, dynPixels);
                    } else {
                        for (int p = 0; p < dynPixels; p++) {
                            s[o + p] = b.floats[off + dynInUnion[p]];
                        }
                    }
                } else {
                    double[] s = (double[]) row;
                    if (dynContiguous) {
                        System.arraycopy(b.data, off, s, o, dynPixels);
                    } else {
                        for (int p = 0; p < dynPixels; p++) {
                            s[o + p] = b.data[off + dynInUnion[p]];
                        }
                    }
                }
            }
            if (kernel != null) {
                int slot = (pos - rowOffset) * frames + t;
                try {
                    frameV[slot] = narrow ? kernel.variance(b.floats, off, frameBinV, slot * bins)
                        : kernel.variance(b.data, off, frameBinV, slot * bins);
                } catch (IllegalArgumentException e) {
                    throw SpeckleVarianceKernel.located(e, ds, t, pos / scanX, pos % scanX);
                }
            }
        }
    }

    /**
     * Submits the correlation of a block's positions to {@code executor} (or runs it here without
     * one); the futures go to {@code pending}. Without pooling each position is fitted right after
     * its correlation, while its jackknife replicates are at hand: they are never stored for the
     * whole scan (10 × positions × T doubles), and on a disk-bound pass the fits use CPU time the
     * reading leaves idle instead of running after it.
     */
    private void correlateBlock(int y0, int y1, Object[] series, ExecutorService executor, int threads,
                                List<Future<?>> pending) {
        int first = y0 * scanX;
        int n = (y1 - y0) * scanX;
        int[] single = new int[dynPixels];
        KwwFitter fitter = fitInline ? KwwFitter.of(a.fitOptions()) : null;
        ParallelRanges.Range body = (from, to) -> {
            CorrelationKernel.Workspace ws = correlationWorkspaces.get();
            KwwFitter.Workspace fws = fitInline ? fitWorkspaces.get() : null;
            double[] gg = new double[lagSlots];
            double[] ee = new double[lagSlots];
            int[] pp = new int[lagSlots];
            int[] blank = new int[1];
            double[] rr = replicateCount == 0 ? null : new double[replicateCount * lagSlots];
            for (int i = from; i < to; i++) {
                int pos = first + i;
                if (series[i] instanceof float[] f) {
                    CorrelationKernel.correlate(f, frames, dynPixels, single, 1, a.correlationOptions(), ws, gg, ee, pp, blank, rr);
                } else {
                    CorrelationKernel.correlate((double[]) series[i], frames, dynPixels, single, 1, a.correlationOptions(), ws,
                        gg, ee, pp, blank, rr);
                }
                if (fitInline) {
                    fits[pos] = rr == null ? fitter.fit(lags, gg, ee, pp, fws)
                        : fitter.fitJackknife(lags, gg, ee, pp, rr, 0, replicateCount, quasiLikelihood ? ws : null, fws);
                } else if (rr != null) {
                    for (int b = 0; b < replicateCount; b++) {
                        System.arraycopy(rr, b * lagSlots, replicates[b], pos * lagSlots, lagSlots);
                    }
                }
                System.arraycopy(gg, 0, g, pos * lagSlots, lagSlots);
                System.arraycopy(ee, 0, gErr, pos * lagSlots, lagSlots);
                System.arraycopy(pp, 0, pairs, pos * lagSlots, lagSlots);
                blankFrames[pos] = blank[0];
            }
            progress.onProgress("correlating", correlated.addAndGet(to - from), positions, -1);
        };
        ParallelRanges.submit(n, executor, threads, body, pending);
    }

    /**
     * Fits every position; with replicates, the parameters' errors come from the jackknife of the
     * fit ({@link KwwFitter#fitJackknife}), which accounts for the correlation between lags.
     */
    private void fitAll(double[] fg, double[] fe, int[] fp, double[][] reps, ExecutorService pool, int threads) {
        KwwFitter fitter = KwwFitter.of(a.fitOptions());
        AtomicLong done = new AtomicLong();
        ParallelRanges.run(positions, pool, threads, (from, to) -> {
            KwwFitter.Workspace ws = KwwFitter.newWorkspace();
            double[] rr = reps == null ? null : new double[reps.length * lagSlots];
            for (int i = from; i < to; i++) {
                int o = i * lagSlots;
                double[] gi = Arrays.copyOfRange(fg, o, o + lagSlots);
                double[] ei = Arrays.copyOfRange(fe, o, o + lagSlots);
                int[] pi = Arrays.copyOfRange(fp, o, o + lagSlots);
                if (rr == null) {
                    fits[i] = fitter.fit(lags, gi, ei, pi, ws);
                } else {
                    for (int b = 0; b < reps.length; b++) {
                        System.arraycopy(reps[b], o, rr, b * lagSlots, lagSlots);
                    }
                    fits[i] = fitter.fitJackknife(lags, gi, ei, pi, rr, 0, reps.length, ws);
                }
            }
            progress.onProgress("fitting", done.addAndGet(to - from), positions, -1);
        });
    }

    private AnalysisResult finish(long start, double[] fg, double[] fe, int[] fp, long read, int blockCount) {
        long blank = 0;
        if (fits != null) {
            for (int i = 0; i < positions; i++) {
                blank += blankFrames[i];
            }
        }
        double[] binMeans = null;
        long excluded = 0;
        SpeckleVarianceAccumulator acc = vAccumulator;
        if (acc != null) {
            excluded = acc.excludedFrames();
            binMeans = bins > 1 ? acc.binMeans() : acc.means();
        }
        ResultAssembler.ScanWide wide = ResultAssembler.ScanWide.of(a, shape.scanY(), scanX, fits, replicateCount,
            acc == null ? null : acc::mean, progress, stageSeconds);
        double seconds = (System.nanoTime() - start) * 1e-9;
        return new AnalysisResult(a, wide.maps(), frames, lags, fg, fe, fp, fits, binMeans, wide.rho(), read, blockCount, blank,
            excluded, seconds, stageSeconds, quasiLikelihood);
    }
}
