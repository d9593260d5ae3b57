/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.engine;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;

import org.fivedstem.api.Calibration;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.correlation.Correlator;
import org.fivedstem.core.statistics.CensoredSample;
import org.fivedstem.core.statistics.Spearman;

/**
 * Assembles the {@link AnalysisResult} of an {@link Analysis} whose positions were computed in
 * parts — regions of the scan ({@link Analysis#onRegion}) analysed elsewhere, as a distributed run
 * does — from their per-position numbers: curves (g, its standard errors and pair counts), fits, V
 * and V(Q), and the counters. {@link #build} then computes what is scan-wide exactly as
 * {@link Analysis#run()} does: the maps, Spearman's ρ with its spatial test (with the analysis's
 * {@code SpearmanOptions}), and the settings. Given every position's numbers from the regions' runs,
 * the result equals the whole scan's run bit for bit (apart from timings and block counts).
 *
 * <p>Positions are given in the coordinates of the analysis's whole scan. Every position must be
 * given exactly once per part. Mutable and not thread-safe: a builder, used by one thread, and used
 * up by {@link #build}, which hands its arrays to the result rather than copy them (a distributed
 * run's driver holds the scan's curves once, not twice).
 */
public final class ResultAssembler {

    private final Analysis analysis;
    private final boolean quasiLikelihood;
    /** Whether the curves given are kept for the result ({@link #withoutCurves}: counted only). */
    private final boolean keepCurves;
    private final int scanY;
    private final int scanX;
    private final int frames;
    private final int lags;
    private final int bins;
    private final double[] g;
    private final double[] gErr;
    private final int[] pairs;
    private final KwwFit[] fits;
    private final double[] v;
    private final double[] binV;
    private final BitSet curvesSet = new BitSet();
    private final BitSet fitsSet = new BitSet();
    private final BitSet vSet = new BitSet();
    private long patternsRead;
    private long blankDynamicsFrames;
    private long excludedStructureFrames;
    /** Whether {@link #build} has handed the arrays over to the result. */
    private boolean built;

    private ResultAssembler(Analysis analysis, boolean quasiLikelihood, boolean keepCurves) {
        this.analysis = analysis;
        this.quasiLikelihood = quasiLikelihood;
        this.keepCurves = keepCurves;
        Shape5D shape = analysis.dataset().shape();
        this.scanY = shape.scanY();
        this.scanX = shape.scanX();
        this.frames = shape.frames();
        int positions = shape.positionCount();
        if (analysis.dynamicsAnnulus() != null) {
            this.lags = CorrelationKernel.lagCount(analysis.correlationOptions(), frames);
            int n = keepCurves ? Math.multiplyExact(positions, lags) : 0;
            this.g = keepCurves ? new double[n] : null;
            this.gErr = keepCurves ? new double[n] : null;
            this.pairs = keepCurves ? new int[n] : null;
            this.fits = new KwwFit[positions];
        } else {
            this.lags = 0;
            this.g = null;
            this.gErr = null;
            this.pairs = null;
            this.fits = null;
        }
        if (analysis.structureAnnulus() != null) {
            this.bins = analysis.structureAnnulus().binCount();
            this.v = new double[positions];
            this.binV = new double[Math.multiplyExact(positions, bins)];
        } else {
            this.bins = 0;
            this.v = null;
            this.binV = null;
        }
    }

    /**
     * @param analysis the analysis of the whole scan whose regions were run
     * @param quasiLikelihood whether the regions' fits used the quasi-likelihood
     *     ({@link AnalysisResult#quasiLikelihood()} of every region's result, which all agree)
     * @return an assembler with no position given yet
     */
    public static ResultAssembler of(Analysis analysis, boolean quasiLikelihood) {
        return new ResultAssembler(Objects.requireNonNull(analysis, "analysis"), quasiLikelihood, true);
    }

    /**
     * An assembler that does not keep the curves: each position's curve is still given (and checked to be
     * given once), but only counted — for a run whose curves go straight into the results file as they come
     * ({@code ResultsFile.Writer}), so that the scan's curves are never held at once. The result then has
     * fits and maps but no curves ({@link AnalysisResult#hasCurves()} false).
     *
     * @param analysis as {@link #of}
     * @param quasiLikelihood as {@link #of}
     * @return an assembler with no position given yet
     */
    public static ResultAssembler withoutCurves(Analysis analysis, boolean quasiLikelihood) {
        return new ResultAssembler(Objects.requireNonNull(analysis, "analysis"), quasiLikelihood, false);
    }

    /** @return L, the lags of each position's curve (0 without a dynamics part) */
    public int lagCount() {
        return lags;
    }

    /** @return the structure annulus's Q bins, the length of each position's V(Q) (0 without a structure part) */
    public int binCount() {
        return bins;
    }

    private int position(int y, int x) {
        requireOpen();
        return Checks.index("y", y, scanY) * scanX + Checks.index("x", x, scanX);
    }

    private void requireOpen() {
        if (built) {
            throw new IllegalStateException("the result was built: this assembler is used up");
        }
    }

    private static void span(String what, int offset, int count, int... lengths) {
        for (int length : lengths) {
            if (offset < 0 || (long) offset + count > length) {
                throw new IllegalArgumentException(Checks.format(
                    "%s values [%d, %d) do not fit an array of %d", what, offset, (long) offset + count, length));
            }
        }
    }

    private static void once(BitSet set, int pos, String what, int y, int x) {
        if (set.get(pos)) {
            throw new IllegalArgumentException(Checks.format("the %s of position (%d, %d) was already given", what, y, x));
        }
        set.set(pos);
    }

    private void requireDynamics() {
        if (fits == null) {
            throw new IllegalStateException("the analysis has no dynamics part: no curves or fits to give");
        }
    }

    /**
     * Gives a position's curve. Not modified: the arrays (values are copied).
     *
     * @param y scan row of the whole scan
     * @param x scan column of the whole scan
     * @param values g at the {@link #lagCount()} lags, from {@code offset}
     * @param stdErrs its standard errors, same layout
     * @param pairCounts the frame pairs behind each lag, same layout
     * @param offset index of the position's first lag in the three arrays
     * @return this assembler
     */
    public ResultAssembler curve(int y, int x, double[] values, double[] stdErrs, int[] pairCounts, int offset) {
        requireDynamics();
        int pos = position(y, x);
        span("curve", offset, lags, values.length, stdErrs.length, pairCounts.length);
        once(curvesSet, pos, "curve", y, x);
        if (keepCurves) {
            System.arraycopy(values, offset, g, pos * lags, lags);
            System.arraycopy(stdErrs, offset, gErr, pos * lags, lags);
            System.arraycopy(pairCounts, offset, pairs, pos * lags, lags);
        }
        return this;
    }

    /**
     * @param y scan row of the whole scan
     * @param x scan column of the whole scan
     * @param fit the position's KWW fit
     * @return this assembler
     */
    public ResultAssembler fit(int y, int x, KwwFit fit) {
        requireDynamics();
        int pos = position(y, x);
        Objects.requireNonNull(fit, "fit");
        once(fitsSet, pos, "fit", y, x);
        fits[pos] = fit;
        return this;
    }

    /**
     * Gives a position's time-averaged V and V(Q). Not modified: {@code binValues}.
     *
     * @param y scan row of the whole scan
     * @param x scan column of the whole scan
     * @param value V over the whole structure annulus (NaN where no frame was usable)
     * @param binValues V per Q bin, {@link #binCount()} values from {@code offset}
     * @param offset index of the position's first bin
     * @return this assembler
     */
    public ResultAssembler speckleVariance(int y, int x, double value, double[] binValues, int offset) {
        if (v == null) {
            throw new IllegalStateException("the analysis has no structure part: no V to give");
        }
        int pos = position(y, x);
        span("V(Q)", offset, bins, binValues.length);
        once(vSet, pos, "V", y, x);
        v[pos] = value;
        System.arraycopy(binValues, offset, binV, pos * bins, bins);
        return this;
    }

    /**
     * Adds a part's counters; the parts' counters must not overlap (each position counted once).
     *
     * @param patterns diffraction patterns read for the part's positions
     * @param blankDynamics (position, frame) pairs whose dynamics annulus was blank
     * @param excludedStructure (position, frame) pairs left out of V
     * @return this assembler
     */
    public ResultAssembler addCounts(long patterns, long blankDynamics, long excludedStructure) {
        requireOpen();
        if (patterns < 0 || blankDynamics < 0 || excludedStructure < 0) {
            throw new IllegalArgumentException(Checks.format(
                "counts are not all >= 0: %d patterns, %d blank dynamics frames, %d excluded structure frames",
                patterns, blankDynamics, excludedStructure));
        }
        patternsRead += patterns;
        blankDynamicsFrames += blankDynamics;
        excludedStructureFrames += excludedStructure;
        return this;
    }

    private void requireComplete(BitSet set, String what) {
        int missing = set.nextClearBit(0);
        if (missing < scanY * scanX) {
            throw new IllegalStateException(Checks.format("%d of %d positions have no %s, the first (%d, %d)",
                scanY * scanX - set.cardinality(), scanY * scanX, what, missing / scanX, missing % scanX));
        }
    }

    /**
     * Computes the maps and the scan-wide statistics, as {@link Analysis#run()} does after its pass.
     *
     * @param blocks the parts the scan was split into, reported as {@link AnalysisResult#blockCount()}
     * @param seconds wall time of the whole run in s
     * @param stageSeconds seconds per stage of the parts' work, in order ({@code "maps"} and
     *     {@code "statistics"} are added)
     * @return the result
     * @throws IllegalStateException if a position's curve, fit or V was not given, or the result was built already
     */
    public AnalysisResult build(int blocks, double seconds, Map<String, Double> stageSeconds) {
        requireOpen();
        Checks.positive("blocks", blocks);
        if (fits != null) {
            requireComplete(curvesSet, "curve");
            requireComplete(fitsSet, "fit");
        }
        if (v != null) {
            requireComplete(vSet, "V");
        }
        Map<String, Double> stages = new LinkedHashMap<>(stageSeconds);
        int replicates = fits == null ? 0 : CorrelationKernel.replicateCount(analysis.correlationOptions(), frames);
        double[] speckleVariance = v;
        ScanWide wide = ScanWide.of(analysis, scanY, scanX, fits, replicates,
            speckleVariance == null ? null : i -> speckleVariance[i], ProgressListener.NONE, stages);
        double[] lagsSeconds = fits == null ? null
            : Correlator.lagsSeconds(analysis.correlationOptions(), frames, analysis.dataset().calibration().frameIntervalSeconds());
        built = true;
        return new AnalysisResult(analysis, wide.maps(), frames, lagsSeconds, g, gErr, pairs, fits, binV, wide.rho(), patternsRead, blocks,
            blankDynamicsFrames, excludedStructureFrames, seconds, stages, quasiLikelihood);
    }

    /**
     * What is scan-wide in a result, computed the same way for a whole run ({@code StreamingPass}) and a tiled
     * one ({@link #build}), so that both give the same bits: the maps from every position's fit and V, and
     * Spearman's ρ between reliable τ and V with the analysis's options.
     *
     * @param maps the maps
     * @param rho ρ, or null without both parts
     */
    record ScanWide(HeterogeneityMaps maps, RankCorrelation rho) {

        /**
         * @param analysis the analysis (calibration, Spearman's options)
         * @param scanY scan rows
         * @param scanX scan columns
         * @param fits every position's fit, row-major, or null without the dynamics part
         * @param replicates the jackknife's replicates (τ errors have replicates − 1 degrees of freedom)
         * @param v every position's V by row-major index, or null without the structure part
         * @param progress told when ρ's statistics start and end
         * @param stages receives the seconds of "maps" and "statistics". Modified.
         * @return the maps and ρ
         */
        static ScanWide of(Analysis analysis, int scanY, int scanX, KwwFit[] fits, int replicates, IntToDoubleFunction v,
                           ProgressListener progress, Map<String, Double> stages) {
            Calibration cal = analysis.dataset().calibration();
            HeterogeneityMaps.Builder b = HeterogeneityMaps.builder(scanY, scanX, cal.scanStepYNm(), cal.scanStepXNm());
            cal.temperatureKelvin().ifPresent(b::temperatureKelvin);
            int positions = scanY * scanX;
            if (fits != null) {
                b.tauErrorDegreesOfFreedom(replicates >= 2 ? replicates - 1 : 0);
                for (int i = 0; i < positions; i++) {
                    b.fit(i / scanX, i % scanX, fits[i]);
                }
            }
            long t0 = System.nanoTime();
            if (v != null) {
                for (int i = 0; i < positions; i++) {
                    b.speckleVariance(i / scanX, i % scanX, v.applyAsDouble(i));
                }
            }
            HeterogeneityMaps maps = b.build();
            long t1 = System.nanoTime();
            stages.merge("maps", (t1 - t0) * 1e-9, Double::sum);
            RankCorrelation rho = null;
            if (fits != null && v != null) {
                progress.onProgress("statistics", 0, 1, -1);
                rho = Spearman.test(CensoredSample.of(maps).rankScores(), maps.speckleVariance(), analysis.spearmanOptions());
                progress.onProgress("statistics", 1, 1, -1);
                stages.merge("statistics", (System.nanoTime() - t1) * 1e-9, Double::sum);
            }
            return new ScanWide(maps, rho);
        }
    }

    @Override
    public String toString() {
        return Checks.format("ResultAssembler[%d×%d positions, %d lags, %d Q bins; given: %d curves, %d fits, %d V; %d patterns]",
            scanY, scanX, lags, bins, curvesSet.cardinality(), fitsSet.cardinality(), vSet.cardinality(), patternsRead);
    }
}
