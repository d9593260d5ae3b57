/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.fitting;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.Correlator;
import org.fivedstem.core.internal.ParallelRanges;
import org.fivedstem.core.internal.Threads;

/**
 * Relaxation-time maps of an in-memory-sized dataset: g(t) at every scan position over the whole
 * annulus (all its Q bins as one ensemble), optionally pooled over k × k neighbourhoods, then a
 * KWW fit per position, on all cores. When the correlation's standard errors are jackknifed (the
 * default), the fitted parameters' errors are too ({@link KwwFitter#fitJackknife}): the fit's
 * covariance alone treats the correlated lags of g as independent and understates them about 2×.
 *
 * <p>The dataset is read once with {@link Dataset5D#forEachPattern}, each pattern reduced to its
 * annulus pixels ({@link CorrelationKernel#gather}); positions are then correlated and fitted in
 * parallel, each by the same kernels the streaming engine uses, with one workspace per thread.
 * Every position's result depends only on its own data (and, when pooling, on its neighbours' g
 * summed in a fixed order), so <b>results are bit-for-bit identical for any thread count</b>.
 * Memory: the reduced series, positions × T × P doubles; a dataset whose reduction would exceed
 * half the JVM's maximum heap is refused with a message (use the streaming engine for those).
 *
 * <p><b>Pooling</b> ({@link #withPooling}, k odd): g at a position becomes the mean of the finite
 * g values of the positions in the k × k square around it (clipped at the scan edges), pair counts
 * their sum, and the standard error the mean of the neighbours' SEs — conservative: it assumes
 * neighbouring positions fully correlated, as they largely are when the probe is wider than the
 * scan step (0.78 nm vs 0.16 nm in the paper). Immutable and thread-safe.
 */
public final class DynamicsMapper {

    private final CorrelationOptions correlation;
    private final FitOptions fit;
    private final int pooling;
    private final int threads;

    private DynamicsMapper(CorrelationOptions correlation, FitOptions fit, int pooling, int threads) {
        this.correlation = correlation;
        this.fit = fit;
        this.pooling = pooling;
        this.threads = threads;
    }

    /**
     * @param correlation how to correlate
     * @param fit how to fit
     * @return a mapper without pooling, using all available processors
     */
    public static DynamicsMapper of(CorrelationOptions correlation, FitOptions fit) {
        return new DynamicsMapper(CorrelationKernel.requireCompatible(Objects.requireNonNull(correlation, "correlation")),
            Objects.requireNonNull(fit, "fit"),
            1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param k neighbourhood size, odd, ≥ 1 (1: no pooling)
     * @return a copy that pools g over k × k positions before fitting
     */
    public DynamicsMapper withPooling(int k) {
        if (k < 1 || k % 2 == 0) {
            throw new IllegalArgumentException(Checks.format("pooling is not an odd size ≥ 1: %d", k));
        }
        return new DynamicsMapper(correlation, fit, k, threads);
    }

    /**
     * @param n worker threads (≥ 1); results do not depend on it
     * @return a copy with it
     */
    public DynamicsMapper withThreads(int n) {
        return new DynamicsMapper(correlation, fit, pooling, Checks.positive("threads", n));
    }

    /** The maps and the curve behind each position's fit. */
    public static final class Result {
        private final HeterogeneityMaps maps;
        private final CorrelationCurve[] curves;
        private final KwwFit[] fits;
        private final int scanX;

        Result(HeterogeneityMaps maps, CorrelationCurve[] curves, KwwFit[] fits, int scanX) {
            this.maps = maps;
            this.curves = curves;
            this.fits = fits;
            this.scanX = scanX;
        }

        /** @return τ, β, γ maps with errors and fit status (no structure part) */
        public HeterogeneityMaps maps() {
            return maps;
        }

        /**
         * @param y scan row
         * @param x scan column
         * @return the (pooled) curve that was fitted at the position
         */
        public CorrelationCurve curve(int y, int x) {
            return curves[Checks.index("y", y, maps.scanY()) * scanX + Checks.index("x", x, scanX)];
        }

        /**
         * @param y scan row
         * @param x scan column
         * @return the fit at the position
         */
        public KwwFit fit(int y, int x) {
            return fits[Checks.index("y", y, maps.scanY()) * scanX + Checks.index("x", x, scanX)];
        }

        @Override
        public String toString() {
            return "DynamicsMapper.Result[" + maps + "]";
        }
    }

    /**
     * Maps a dataset.
     *
     * @param dataset the dataset (any storage; read once)
     * @param annulus the annulus for the dataset's patterns
     * @param progress receives "reading", "correlating" and "fitting" reports
     * @return the maps and curves
     * @throws IOException if the storage fails
     */
    public Result map(Dataset5D dataset, AnnulusMask annulus, ProgressListener progress) throws IOException {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(annulus, "annulus");
        ProgressListener pl = progress == null ? ProgressListener.NONE : progress;
        Shape5D s = dataset.shape();
        if (annulus.ky() != s.ky() || annulus.kx() != s.kx()) {
            throw new IllegalArgumentException(Checks.format(
                "annulus built for %d×%d patterns does not match the dataset's %d×%d patterns",
                annulus.ky(), annulus.kx(), s.ky(), s.kx()));
        }
        int frames = s.frames();
        int sy = s.scanY();
        int sx = s.scanX();
        int positions = sy * sx;
        int p = annulus.pixelCount();
        long bytes = 8L * positions * frames * p;
        long limit = Runtime.getRuntime().maxMemory() / 2;
        if (bytes > limit) {
            throw new IllegalArgumentException(Checks.format(
                "dataset too large for in-memory mapping: %d positions × %d frames × %d annulus pixels need %d MiB, "
                    + "more than half the heap (%d MiB); raise -Xmx or use the streaming engine",
                positions, frames, p, bytes >> 20, limit >> 20));
        }
        double[][] series = new double[positions][frames * p];
        int[] idx = CorrelationKernel.inOrder(annulus.pixelIndices(), CorrelationKernel.pixelOrder(annulus,
            dataset.calibration().centerKyPx(), dataset.calibration().centerKxPx(), false));
        long total = (long) positions * frames;
        long[] read = {0};
        dataset.forEachPattern((t, y, x, pattern) -> {
            CorrelationKernel.gather(pattern, idx, t, series[y * sx + x]);
            if (++read[0] % Math.max(1, total / 100) == 0) {
                pl.onProgress("reading", read[0], total, -1);
            }
        });
        int lagSlots = CorrelationKernel.lagCount(correlation, frames); // L: T, or fewer on the multi-tau route
        double[] g = new double[positions * lagSlots];
        double[] se = new double[positions * lagSlots];
        int[] pairs = new int[positions * lagSlots];
        int[] single = new int[p];
        int nRep = CorrelationKernel.replicateCount(correlation, frames);
        double[][] reps = nRep >= 2 ? new double[nRep][positions * lagSlots] : null;
        AtomicLong done = new AtomicLong();
        parallel(positions, (from, to) -> {
            CorrelationKernel.Workspace ws = CorrelationKernel.newWorkspace();
            double[] gg = new double[lagSlots];
            double[] ee = new double[lagSlots];
            int[] pp = new int[lagSlots];
            int[] blank = new int[1];
            double[] rr = reps == null ? null : new double[nRep * lagSlots];
            for (int i = from; i < to; i++) {
                CorrelationKernel.correlate(series[i], frames, p, single, 1, correlation, ws, gg, ee, pp, blank, rr);
                if (rr != null) {
                    for (int b = 0; b < nRep; b++) {
                        System.arraycopy(rr, b * lagSlots, reps[b], i * lagSlots, lagSlots);
                    }
                }
                System.arraycopy(gg, 0, g, i * lagSlots, lagSlots);
                System.arraycopy(ee, 0, se, i * lagSlots, lagSlots);
                System.arraycopy(pp, 0, pairs, i * lagSlots, lagSlots);
                series[i] = null;
                pl.onProgress("correlating", done.incrementAndGet(), positions, -1);
            }
        });
        double[] pg = g;
        double[] pse = se;
        int[] ppairs = pairs;
        double[][] preps = reps;
        if (pooling > 1) {
            pg = new double[g.length];
            pse = new double[se.length];
            ppairs = new int[pairs.length];
            pool(g, se, pairs, sy, sx, lagSlots, pg, pse, ppairs);
            preps = reps == null ? null : poolReplicates(reps, pairs, sy, sx, lagSlots);
        }
        Calibration cal = dataset.calibration();
        double[] lags = Correlator.lagsSeconds(correlation, frames, cal.frameIntervalSeconds());
        KwwFit[] fits = new KwwFit[positions];
        CorrelationCurve[] curves = new CorrelationCurve[positions];
        KwwFitter fitter = KwwFitter.of(fit);
        double[] fg = pg;
        double[] fse = pse;
        int[] fpairs = ppairs;
        double[][] freps = preps;
        done.set(0);
        parallel(positions, (from, to) -> {
            KwwFitter.Workspace ws = KwwFitter.newWorkspace();
            double[] rr = freps == null ? null : new double[freps.length * lagSlots];
            for (int i = from; i < to; i++) {
                int o = i * lagSlots;
                double[] gi = java.util.Arrays.copyOfRange(fg, o, o + lagSlots);
                double[] ei = java.util.Arrays.copyOfRange(fse, o, o + lagSlots);
                int[] pi = java.util.Arrays.copyOfRange(fpairs, o, o + lagSlots);
                if (rr == null) {
                    fits[i] = fitter.fit(lags, gi, ei, pi, ws);
                } else {
                    for (int b = 0; b < freps.length; b++) {
                        System.arraycopy(freps[b], o, rr, b * lagSlots, lagSlots);
                    }
                    fits[i] = fitter.fitJackknife(lags, gi, ei, pi, rr, 0, freps.length, ws);
                }
                curves[i] = CorrelationCurve.of(lags, gi, ei, pi, annulus.range(), correlation.normalisation());
                pl.onProgress("fitting", done.incrementAndGet(), positions, -1);
            }
        });
        HeterogeneityMaps.Builder b = HeterogeneityMaps.builder(sy, sx, cal.scanStepYNm(), cal.scanStepXNm());
        cal.temperatureKelvin().ifPresent(b::temperatureKelvin);
        for (int i = 0; i < positions; i++) {
            b.fit(i / sx, i % sx, fits[i]);
        }
        return new Result(b.build(), curves, fits, sx);
    }

    /**
     * Pools jackknife replicates of g like {@link #pool} pools g: replicate b of a position becomes
     * the mean of the finite replicate-b values of its k × k neighbourhood, so a pooled replicate is
     * the pooled g recomputed without block b.
     *
     * @param replicates replicate b at {@code replicates[b][pos * T + lag]}. Not modified.
     * @param pairs pair counts, {@code [pos * T + lag]}. Not modified.
     * @param scanY rows
     * @param scanX columns
     * @param frames T
     * @return the pooled replicates, same layout
     */
    public double[][] poolReplicates(double[][] replicates, int[] pairs, int scanY, int scanX, int frames) {
        double[][] out = new double[replicates.length][];
        for (int b = 0; b < replicates.length; b++) {
            out[b] = new double[replicates[b].length];
            poolInto(replicates[b], null, pairs, scanY, scanX, frames, out[b], null, null);
        }
        return out;
    }

    /**
     * Pools g over k × k neighbourhoods (see the class notes).
     *
     * @param g g per position, {@code [pos * T + lag]}. Not modified.
     * @param se standard errors, same layout. Not modified.
     * @param pairs pair counts, same layout. Not modified.
     * @param scanY rows
     * @param scanX columns
     * @param frames T
     * @param outG pooled g. Modified.
     * @param outSe pooled SE. Modified.
     * @param outPairs pooled pair counts. Modified.
     */
    public void pool(double[] g, double[] se, int[] pairs, int scanY, int scanX, int frames,
                     double[] outG, double[] outSe, int[] outPairs) {
        poolInto(g, Objects.requireNonNull(se, "se"), pairs, scanY, scanX, frames, outG, Objects.requireNonNull(outSe, "outSe"),
            Objects.requireNonNull(outPairs, "outPairs"));
    }

    /** {@link #pool}; without {@code se} (null) no SE is pooled, without {@code outPairs} no counts. */
    private void poolInto(double[] g, double[] se, int[] pairs, int scanY, int scanX, int frames,
                          double[] outG, double[] outSe, int[] outPairs) {
        int h = pooling / 2;
        for (int y = 0; y < scanY; y++) {
            for (int x = 0; x < scanX; x++) {
                int o = (y * scanX + x) * frames;
                for (int k = 0; k < frames; k++) {
                    double sg = 0;
                    double ss = 0;
                    int ng = 0;
                    int ns = 0;
                    int np = 0;
                    for (int yy = Math.max(0, y - h); yy <= Math.min(scanY - 1, y + h); yy++) {
                        for (int xx = Math.max(0, x - h); xx <= Math.min(scanX - 1, x + h); xx++) {
                            int q = (yy * scanX + xx) * frames + k;
                            if (Double.isFinite(g[q])) {
                                sg += g[q];
                                ng++;
                            }
                            if (se != null && Double.isFinite(se[q])) {
                                ss += se[q];
                                ns++;
                            }
                            np += pairs[q];
                        }
                    }
                    outG[o + k] = ng > 0 ? sg / ng : Double.NaN;
                    if (outSe != null) {
                        outSe[o + k] = ns > 0 && ns == ng ? ss / ns : Double.NaN;
                    }
                    if (outPairs != null) {
                        outPairs[o + k] = np;
                    }
                }
            }
        }
    }

    private void parallel(int n, ParallelRanges.Range body) {
        int t = Math.min(threads, Math.max(1, n));
        try (Threads.Pool ex = t == 1 ? null : Threads.pool("dynamics", t)) {
            ParallelRanges.run(n, ex, t, body);
        }
    }

    @Override
    public String toString() {
        return Checks.format("DynamicsMapper[%s, %s, pooling %d×%d, %d threads]", correlation, fit, pooling, pooling, threads);
    }
}
