/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.engine;

import java.io.IOException;
import java.util.Objects;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.QRange;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.Correlator;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.statistics.SpearmanOptions;

/**
 * The full analysis of one recording in a single streaming pass: relaxation-time maps (g(t) by
 * eqs. 1–2 over the dynamics annulus, KWW fits by eq. 3) and the structural map (time-averaged V
 * by eq. 5 over the structure annulus), then Spearman's ρ between them.
 *
 * <pre>{@code
 * AnalysisResult r = Analysis.of(dataset)
 *     .dynamics(QRange.of(4.2, 4.6), CorrelationOptions.defaults(), FitOptions.defaults().withGammaFixed(1))
 *     .structure(QRange.of(3.0, 5.8))
 *     .withProgress((stage, done, total, bytes) -> ...)
 *     .run();
 * }</pre>
 *
 * <p><b>One pass, bounded memory.</b> The recording is read once in its storage order. Each
 * diffraction pattern is reduced at once to the pixels of the annuli; the dynamics pixels of every
 * frame are kept (that is what g(t) needs), the structure pixels only long enough to compute the
 * frame's V. When the kept series of all positions would exceed the {@linkplain
 * #withMemoryBudgetBytes memory budget}, the scan is processed in blocks of rows, each read once:
 * for the usual layouts (time-major {@code t,y,x,…} or position-major {@code y,x,t,…}) a block of
 * rows is a set of contiguous runs of the file, so every byte is still read exactly once. After a
 * block is read its positions are correlated on all cores, and each is fitted right after its
 * correlation, while its jackknife replicates are at hand (they are never kept for the whole scan).
 * With pooling, g is pooled over k × k neighbours after the last block and the positions are fitted
 * then, on all cores, from replicates kept for the scan. When the kept series
 * exceed the budget or 64 MiB, the scan is split into at least four blocks and each block is
 * correlated while the next is read (two blocks in flight, each within half the budget).
 *
 * <p><b>Both cores.</b> The reading thread only decodes the annulus pixels of each pattern
 * (straight from the stored bytes where the storage can) into batches; worker threads compute V
 * and scatter the dynamics pixels, correlation threads correlate (and fit) finished blocks meanwhile.
 * {@link AnalysisResult#stageSeconds()} says where the time went; progress is reported for the
 * stages {@code "reading"}, {@code "correlating"} (which includes the fits unless pooled),
 * {@code "fitting"} (pooled only) and {@code "statistics"}.
 *
 * <p><b>Determinism.</b> Every position's numbers depend only on its own data (and, with pooling,
 * on its neighbours' g summed in a fixed order); per-frame V values are stored and averaged in
 * frame order. Results are therefore <i>bit for bit identical for any thread count and any memory
 * budget</i>.
 *
 * <p>Immutable; each {@code with…} returns a copy. Not set: no dynamics or no structure part.
 */
public final class Analysis {

    /** Default share of the JVM's maximum heap that the kept series may use: 40 %. */
    public static final double DEFAULT_HEAP_FRACTION = 0.4;

    private final Dataset5D dataset;
    private final AnnulusMask dynamics;
    private final CorrelationOptions correlation;
    private final FitOptions fit;
    private final AnnulusMask structure;
    private final double gainAduPerElectron;
    private final int pooling;
    private final int threads;
    private final long memoryBudgetBytes;
    private final SpearmanOptions spearman;
    private final ProgressListener progress;

    private Analysis(Dataset5D dataset, AnnulusMask dynamics, CorrelationOptions correlation, FitOptions fit,
                     AnnulusMask structure, double gain, int pooling, int threads, long budget, SpearmanOptions spearman,
                     ProgressListener progress) {
        this.dataset = dataset;
        this.dynamics = dynamics;
        this.correlation = correlation;
        this.fit = fit;
        this.structure = structure;
        this.gainAduPerElectron = gain;
        this.pooling = pooling;
        this.threads = threads;
        this.memoryBudgetBytes = budget;
        this.spearman = spearman;
        this.progress = progress;
    }

    /**
     * @param dataset the recording (any storage; read once per run)
     * @return an analysis with nothing selected yet, all processors, the default memory budget
     */
    public static Analysis of(Dataset5D dataset) {
        return new Analysis(Objects.requireNonNull(dataset, "dataset"), null, null, null, null, Double.NaN, 1,
            Runtime.getRuntime().availableProcessors(), -1, SpearmanOptions.defaults(), ProgressListener.NONE);
    }

    /**
     * Selects the dynamics part.
     *
     * @param annulus the annulus whose speckle is correlated (built for this dataset's patterns)
     * @param correlationOptions normalisation, lag-0 correction, standard errors
     * @param fitOptions the KWW fit
     * @return a copy with the dynamics part
     */
    public Analysis dynamics(AnnulusMask annulus, CorrelationOptions correlationOptions, FitOptions fitOptions) {
        checkAnnulus("dynamics", annulus);
        return new Analysis(dataset, annulus, CorrelationKernel.requireCompatible(
            Objects.requireNonNull(correlationOptions, "correlationOptions")),
            Objects.requireNonNull(fitOptions, "fitOptions"), structure, gainAduPerElectron, pooling, threads,
            memoryBudgetBytes, spearman, progress);
    }

    /**
     * Selects the dynamics part over a Q range of this dataset's patterns.
     *
     * @param range the Q range in nm⁻¹ (the paper: 4.2–4.6)
     * @param correlationOptions normalisation, lag-0 correction, standard errors
     * @param fitOptions the KWW fit
     * @return a copy with the dynamics part
     */
    public Analysis dynamics(QRange range, CorrelationOptions correlationOptions, FitOptions fitOptions) {
        return dynamics(AnnulusMask.of(dataset, range), correlationOptions, fitOptions);
    }

    /**
     * Selects the structure part without shot-noise correction.
     *
     * @param annulus the annulus over which V is computed; with several Q bins, V(Q) is kept per bin
     * @return a copy with the structure part
     */
    public Analysis structure(AnnulusMask annulus) {
        return structure(annulus, Double.NaN);
    }

    /**
     * Selects the structure part over a Q range of this dataset's patterns.
     *
     * @param range the Q range in nm⁻¹ (the paper: 3.0–5.8)
     * @return a copy with the structure part
     */
    public Analysis structure(QRange range) {
        return structure(AnnulusMask.of(dataset, range));
    }

    /**
     * Selects the structure part.
     *
     * @param annulus the annulus over which V is computed
     * @param gain detector gain in ADU per electron for the exact shot-noise correction of V, or
     *     NaN for none (see {@code SpeckleVarianceKernel}); the data must then be counts × gain,
     *     which {@link #run} checks
     * @return a copy with the structure part
     */
    public Analysis structure(AnnulusMask annulus, double gain) {
        checkAnnulus("structure", annulus);
        double g = Double.isNaN(gain) ? gain : Checks.positive("gainAduPerElectron", gain);
        return new Analysis(dataset, dynamics, correlation, fit, annulus, g, pooling, threads, memoryBudgetBytes,
            spearman, progress);
    }

    /**
     * @param k neighbourhood size for pooling g before fitting, odd, ≥ 1 (1: none)
     * @return a copy with it
     */
    public Analysis withPooling(int k) {
        if (k < 1 || k % 2 == 0) {
            throw new IllegalArgumentException(Checks.format("pooling is not an odd size ≥ 1: %d", k));
        }
        return new Analysis(dataset, dynamics, correlation, fit, structure, gainAduPerElectron, k, threads,
            memoryBudgetBytes, spearman, progress);
    }

    /**
     * @param n worker threads, ≥ 1 (results do not depend on it)
     * @return a copy with it
     */
    public Analysis withThreads(int n) {
        return new Analysis(dataset, dynamics, correlation, fit, structure, gainAduPerElectron, pooling,
            Checks.positive("threads", n), memoryBudgetBytes, spearman, progress);
    }

    /**
     * @param bytes memory the kept dynamics series may use (≥ 1 MiB): one block's, or two blocks'
     *     when reading and correlating overlap; by default {@value #DEFAULT_HEAP_FRACTION} of the
     *     maximum heap. Results do not depend on it.
     * @return a copy with it
     */
    public Analysis withMemoryBudgetBytes(long bytes) {
        if (bytes < (1 << 20)) {
            throw new IllegalArgumentException(Checks.format("memory budget is below 1 MiB: %d bytes", bytes));
        }
        return new Analysis(dataset, dynamics, correlation, fit, structure, gainAduPerElectron, pooling, threads, bytes,
            spearman, progress);
    }

    /**
     * @param options how the τ–V rank correlation is tested
     * @return a copy with them
     */
    public Analysis withSpearman(SpearmanOptions options) {
        return new Analysis(dataset, dynamics, correlation, fit, structure, gainAduPerElectron, pooling, threads,
            memoryBudgetBytes, Objects.requireNonNull(options, "options"), progress);
    }

    /**
     * @param listener receives "reading", "correlating", "fitting" and "statistics" reports
     * @return a copy with it
     */
    public Analysis withProgress(ProgressListener listener) {
        return new Analysis(dataset, dynamics, correlation, fit, structure, gainAduPerElectron, pooling, threads,
            memoryBudgetBytes, spearman, listener == null ? ProgressListener.NONE : listener);
    }

    /**
     * The same analysis of a region of the scan: the same annuli, options, threads and budget on
     * {@code dataset().crop(yStart, yEnd, xStart, xEnd)}. Every position's curve, fit and V are the
     * same bits as in the whole scan's run, except where pooling reaches past the region's edge: a
     * region that includes {@code (k − 1) / 2} more rows and columns on each side (a halo, where the
     * scan has them) gives its inner positions exactly the whole scan's numbers. What is scan-wide
     * (Spearman's ρ, medians) is of the region only. This is how a distributed run splits the scan
     * into tiles.
     *
     * @param yStart first scan row, inclusive
     * @param yEnd last scan row, exclusive
     * @param xStart first scan column, inclusive
     * @param xEnd last scan column, exclusive
     * @return a copy on the region
     * @throws IllegalArgumentException if the region is empty or outside the scan
     */
    public Analysis onRegion(int yStart, int yEnd, int xStart, int xEnd) {
        return new Analysis(dataset.crop(yStart, yEnd, xStart, xEnd), dynamics, correlation, fit, structure,
            gainAduPerElectron, pooling, threads, memoryBudgetBytes, spearman, progress);
    }

    private void checkAnnulus(String part, AnnulusMask annulus) {
        Objects.requireNonNull(annulus, part + " annulus");
        if (annulus.ky() != dataset.shape().ky() || annulus.kx() != dataset.shape().kx()) {
            throw new IllegalArgumentException(Checks.format(
                "%s annulus was built for %d×%d patterns, but the dataset's patterns are %d×%d",
                part, annulus.ky(), annulus.kx(), dataset.shape().ky(), dataset.shape().kx()));
        }
    }

    Dataset5D dataset() {
        return dataset;
    }

    /**
     * @return the lag times in s that this analysis's curves will have (lag 0 first: 0 … (T−1)·Δt, or the
     *     multi-tau lags), as {@link AnalysisResult#lagsSeconds()} will give them; empty without the dynamics part
     */
    public double[] lagsSeconds() {
        return dynamics == null ? new double[0]
            : Correlator.lagsSeconds(correlation, dataset.shape().frames(), dataset.calibration().frameIntervalSeconds());
    }

    /** @return whether the analysis has the dynamics part (g, τ) */
    public boolean hasDynamics() {
        return dynamics != null;
    }

    AnnulusMask dynamicsAnnulus() {
        return dynamics;
    }

    CorrelationOptions correlationOptions() {
        return correlation;
    }

    FitOptions fitOptions() {
        return fit;
    }

    AnnulusMask structureAnnulus() {
        return structure;
    }

    double gainAduPerElectron() {
        return gainAduPerElectron;
    }

    int pooling() {
        return pooling;
    }

    int threads() {
        return threads;
    }

    SpearmanOptions spearmanOptions() {
        return spearman;
    }

    ProgressListener progress() {
        return progress;
    }

    /** @return the memory budget in bytes that a run uses */
    public long memoryBudgetBytes() {
        return memoryBudgetBytes > 0 ? memoryBudgetBytes
            : Math.max(1L << 20, (long) (DEFAULT_HEAP_FRACTION * Runtime.getRuntime().maxMemory()));
    }

    /**
     * Runs the analysis.
     *
     * @return maps, curves and statistics
     * @throws IOException if the storage fails to read
     * @throws IllegalStateException if neither part was selected
     * @throws IllegalArgumentException with a shot-noise gain, if a structure-annulus value is not
     *     counts × gain (negative, or fractional and not a whole multiple of the gain); the message
     *     names the storage, frame, scan position and value
     */
    public AnalysisResult run() throws IOException {
        if (dynamics == null && structure == null) {
            throw new IllegalStateException("nothing to analyse: select dynamics(...) and/or structure(...)");
        }
        return run(Boolean.parseBoolean(System.getProperty("fivedstem.floatSeries", "true")));
    }

    /**
     * Runs the analysis, choosing how the annulus values are held: {@code float} where exact
     * ({@code floatSeries} and {@link StreamingPass#narrowable}) or {@code double}. The results
     * are the same bits either way; the tests compare the two, and {@link #run()} takes the
     * system property {@code fivedstem.floatSeries} (default true), for comparisons outside them.
     *
     * @param floatSeries whether the float path may be taken
     * @return maps, curves and statistics
     * @throws IOException if the storage fails to read
     */
    AnalysisResult run(boolean floatSeries) throws IOException {
        if (dynamics == null && structure == null) {
            throw new IllegalStateException("nothing to analyse: select dynamics(...) and/or structure(...)");
        }
        return new StreamingPass(this, floatSeries && StreamingPass.narrowable(dataset)).run();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Analysis[").append(dataset.shape());
        if (dynamics != null) {
            sb.append(", dynamics ").append(dynamics.range()).append(Checks.format(" (%d px)", dynamics.pixelCount()))
                .append(", ").append(correlation).append(", ").append(fit);
        }
        if (structure != null) {
            sb.append(", structure ").append(structure.range()).append(Checks.format(" (%d px)", structure.pixelCount()));
            if (!Double.isNaN(gainAduPerElectron)) {
                sb.append(Checks.format(", shot-noise corrected (gain %.4g ADU/e⁻)", gainAduPerElectron));
            }
        }
        if (pooling > 1) {
            sb.append(Checks.format(", pooling %d×%d", pooling, pooling));
        }
        return sb.append(Checks.format(", %d threads, budget %d MiB]", threads, memoryBudgetBytes() >> 20)).toString();
    }
}
