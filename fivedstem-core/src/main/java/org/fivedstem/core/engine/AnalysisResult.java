/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.KwwFit;
import org.fivedstem.api.Normalisation;
import org.fivedstem.api.QRange;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.TauSummary;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.fitting.Estimator;
import org.fivedstem.core.fluctuation.SpeckleVariance;
import org.fivedstem.core.statistics.CensoredSample;

/**
 * What {@link Analysis#run()} produces: the {@link HeterogeneityMaps}, the g(t) curve behind every
 * position's fit (pooled, if pooling was asked for), the fits, V per Q bin, Spearman's ρ between
 * the τ and V maps, and what the pass did (patterns, blocks, excluded frames, seconds). Immutable:
 * arrays are copied out.
 */
public final class AnalysisResult {

    private final HeterogeneityMaps maps;
    private final int scanY;
    private final int scanX;
    private final int frames;
    private final double[] lagsSeconds;
    private final double[] g;
    private final double[] gErr;
    private final int[] pairs;
    private final KwwFit[] fits;
    private final AnnulusMask dynamics;
    private final Normalisation normalisation;
    private final AnnulusMask structure;
    private final double[] binV;
    private final RankCorrelation spearman;
    private final long patternsRead;
    private final int blocks;
    private final long blankDynamicsFrames;
    private final long excludedStructureFrames;
    private final double seconds;
    private final Map<String, Double> stageSeconds;
    private final double shotNoiseGain;
    private final boolean quasiLikelihood;
    private final AnalysisSettings settings;

    /**
     * @param a the analysis that produced the result: its annuli, normalisation and shot-noise gain, and
     *     the calibration and options that {@link #settings()} records
     */
    AnalysisResult(Analysis a, HeterogeneityMaps maps, int frames, double[] lagsSeconds, double[] g, double[] gErr,
                   int[] pairs, KwwFit[] fits, double[] binV, RankCorrelation spearman, long patternsRead, int blocks,
                   long blankDynamicsFrames, long excludedStructureFrames, double seconds, Map<String, Double> stageSeconds,
                   boolean quasiLikelihood) {
        this.quasiLikelihood = quasiLikelihood;
        this.maps = maps;
        this.scanY = maps.scanY();
        this.scanX = maps.scanX();
        this.frames = frames;
        this.lagsSeconds = lagsSeconds;
        this.g = g;
        this.gErr = gErr;
        this.pairs = pairs;
        this.fits = fits;
        this.dynamics = a.dynamicsAnnulus();
        this.normalisation = a.correlationOptions() == null ? null : a.correlationOptions().normalisation();
        this.structure = a.structureAnnulus();
        this.shotNoiseGain = structure == null ? Double.NaN : a.gainAduPerElectron();
        this.binV = binV;
        this.spearman = spearman;
        this.patternsRead = patternsRead;
        this.blocks = blocks;
        this.blankDynamicsFrames = blankDynamicsFrames;
        this.excludedStructureFrames = excludedStructureFrames;
        this.seconds = seconds;
        this.stageSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(stageSeconds));
        this.settings = settingsOf(a);
    }

    /** {@code a}'s calibration and options, with the fit window and estimator as they resolved. */
    private AnalysisSettings settingsOf(Analysis a) {
        AnalysisSettings.Builder b = AnalysisSettings.builder(a.dataset().calibration()).pooling(a.pooling());
        if (fits != null) {
            KwwFit window = firstFitWithWindow();
            b.dynamics(new AnalysisSettings.Dynamics(dynamics.range(), dynamics.pixelCount(), a.correlationOptions(),
                a.fitOptions(), window.firstLag(), window.lastLag(),
                quasiLikelihood ? Estimator.QUASI_LIKELIHOOD : Estimator.LEAST_SQUARES));
        }
        if (structure != null) {
            b.structure(new AnalysisSettings.Structure(structure.range(), structure.pixelCount(), shotNoiseGain));
        }
        return b.build();
    }

    /** The fit window of the first position whose fit has parameters (else of the first position). */
    private KwwFit firstFitWithWindow() {
        for (KwwFit f : fits) {
            if (f.status().hasParameters()) {
                return f;
            }
        }
        return fits[0];
    }

    /**
     * @return how the analysis was done: calibration of the analysed patterns, the options of each part,
     *     the fit window and estimator as they resolved, pooling — what a results file stores beside the maps
     */
    public AnalysisSettings settings() {
        return settings;
    }

    /** @return the τ, β, γ and V maps */
    public HeterogeneityMaps maps() {
        return maps;
    }

    /** @return whether the dynamics part ran (curves and fits exist) */
    public boolean hasDynamics() {
        return fits != null;
    }

    /**
     * @return whether the curves are held: always after {@code Analysis.run()}; not after a distributed run
     *     that wrote them into the results file as they came ({@code ResultAssembler.withoutCurves})
     */
    public boolean hasCurves() {
        return g != null;
    }

    /** @return whether the structure part ran */
    public boolean hasStructure() {
        return structure != null;
    }

    /** @return number of frames T */
    public int frameCount() {
        return frames;
    }

    /**
     * @return L, the lags per curve: T, or fewer when g was computed by the multi-tau route
     *     ({@code CorrelationKernel.lagFrames}); 0 without a dynamics part
     */
    public int lagCount() {
        return lagsSeconds == null ? 0 : lagsSeconds.length;
    }

    private int position(int y, int x) {
        return Checks.index("y", y, scanY) * scanX + Checks.index("x", x, scanX);
    }

    private void requireDynamics() {
        if (fits == null) {
            throw new IllegalStateException("the analysis had no dynamics part: no curves or fits");
        }
    }

    private void requireCurves() {
        requireDynamics();
        if (g == null) {
            throw new IllegalStateException("the curves were written to the results file as they came and are not held here");
        }
    }

    /** @return lag times in s: 0 … (T−1)·Δt, or the multi-tau lags (a copy) */
    public double[] lagsSeconds() {
        requireDynamics();
        return lagsSeconds.clone();
    }

    /**
     * @param y scan row
     * @param x scan column
     * @return the curve that was fitted at the position (pooled when pooling was on)
     */
    public CorrelationCurve curve(int y, int x) {
        requireCurves();
        int n = lagsSeconds.length;
        int o = position(y, x) * n;
        return CorrelationCurve.of(lagsSeconds, java.util.Arrays.copyOfRange(g, o, o + n),
            java.util.Arrays.copyOfRange(gErr, o, o + n), java.util.Arrays.copyOfRange(pairs, o, o + n),
            dynamics.range(), normalisation);
    }

    /** @return g of every position, {@code [(y * scanX + x) * T + lag]} (a copy) */
    public double[] correlationValues() {
        requireCurves();
        return g.clone();
    }

    /** @return standard errors of g, same layout (a copy) */
    public double[] correlationStdErrs() {
        requireCurves();
        return gErr.clone();
    }

    /**
     * The median curve: at each lag the median of g over positions with a reliable fit (NaN-free),
     * with the median of their standard errors — a robust "typical position".
     *
     * @return the curve, or empty if no position has a reliable fit
     */
    public Optional<CorrelationCurve> medianCurve() {
        requireCurves();
        int n = 0;
        for (KwwFit f : fits) {
            if (f.status().isReliable()) {
                n++;
            }
        }
        if (n == 0) {
            return Optional.empty();
        }
        int lags = lagsSeconds.length;
        double[] mg = new double[lags];
        double[] me = new double[lags];
        int[] mp = new int[lags];
        double[] col = new double[n];
        double[] colE = new double[n];
        for (int k = 0; k < lags; k++) {
            int m = 0;
            int me2 = 0;
            for (int i = 0; i < fits.length; i++) {
                if (fits[i].status().isReliable()) {
                    double v = g[i * lags + k];
                    if (Double.isFinite(v)) {
                        col[m++] = v;
                    }
                    double e = gErr[i * lags + k];
                    if (Double.isFinite(e)) {
                        colE[me2++] = e;
                    }
                    mp[k] = Math.max(mp[k], pairs[i * lags + k]);
                }
            }
            mg[k] = median(col, m);
            me[k] = median(colE, me2);
        }
        return Optional.of(CorrelationCurve.of(lagsSeconds, mg, me, mp, dynamics.range(), normalisation));
    }

    private static double median(double[] a, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        double[] s = java.util.Arrays.copyOf(a, n);
        java.util.Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /**
     * @param y scan row
     * @param x scan column
     * @return the KWW fit at the position
     */
    public KwwFit fit(int y, int x) {
        requireDynamics();
        return fits[position(y, x)];
    }

    /** @return the dynamics annulus, if that part ran */
    public Optional<AnnulusMask> dynamicsAnnulus() {
        return Optional.ofNullable(dynamics);
    }

    /** @return the structure annulus, if that part ran */
    public Optional<AnnulusMask> structureAnnulus() {
        return Optional.ofNullable(structure);
    }

    /**
     * @return whether τ and β were estimated by the quasi-likelihood
     *     ({@link org.fivedstem.core.fitting.Estimator#QUASI_LIKELIHOOD}: asked for, γ fixed at 1, no
     *     baseline, ensemble normalisation, pixel-group jackknife, no pooling, not the multi-tau
     *     route of long series); else least squares.
     *     A position where its optimiser failed is fitted by least squares.
     */
    public boolean quasiLikelihood() {
        return quasiLikelihood;
    }

    /**
     * @return the detector gain in ADU per electron with which V was corrected for shot noise
     *     (exactly, see {@code SpeckleVarianceKernel}), or NaN if V is not corrected (or the
     *     structure part did not run)
     */
    public double shotNoiseGainAduPerElectron() {
        return shotNoiseGain;
    }

    /** @return whether V is corrected for shot noise */
    public boolean isShotNoiseCorrected() {
        return !Double.isNaN(shotNoiseGain);
    }

    /** @return the normalisation of g, if the dynamics part ran */
    public Optional<Normalisation> normalisation() {
        return Optional.ofNullable(normalisation);
    }

    /**
     * V(Q): the time-averaged V of each Q bin of the structure annulus at a position.
     *
     * @param y scan row
     * @param x scan column
     * @return V per bin (NaN where no frame was usable)
     */
    public double[] speckleVarianceProfile(int y, int x) {
        if (structure == null) {
            throw new IllegalStateException("the analysis had no structure part");
        }
        int b = structure.binCount();
        int o = position(y, x) * b;
        return java.util.Arrays.copyOfRange(binV, o, o + b);
    }

    /** @return V(Q) averaged over the valid positions of the scan, one value per structure bin */
    public double[] meanSpeckleVarianceProfile() {
        if (structure == null) {
            throw new IllegalStateException("the analysis had no structure part");
        }
        return SpeckleVariance.meanProfile(binV, structure.binCount());
    }

    /** @return the structure bins' Q ranges */
    public QRange[] structureBins() {
        if (structure == null) {
            return new QRange[0];
        }
        QRange[] r = new QRange[structure.binCount()];
        for (int i = 0; i < r.length; i++) {
            r[i] = structure.bin(i);
        }
        return r;
    }

    /** @return Spearman's ρ between the reliable τ map and the V map, when both parts ran */
    public Optional<RankCorrelation> spearman() {
        return Optional.ofNullable(spearman);
    }

    /** @return diffraction patterns read */
    public long patternsRead() {
        return patternsRead;
    }

    /** @return blocks of scan rows the pass was split into (1: everything fitted in the budget) */
    public int blockCount() {
        return blocks;
    }

    /** @return (position, frame) pairs whose dynamics annulus was blank (mean 0) and left out */
    public long blankDynamicsFrames() {
        return blankDynamicsFrames;
    }

    /** @return (position, frame) pairs left out of V (blank or non-finite) */
    public long excludedStructureFrames() {
        return excludedStructureFrames;
    }

    /** @return wall time of the run in s */
    public double seconds() {
        return seconds;
    }

    /**
     * Where the wall time went, for profiling: seconds per stage in the order they ran —
     * {@code reading} (decoding the patterns, gathering the annulus pixels and computing V, which
     * overlap), {@code correlating} (g of the positions of each block, after it was read; with
     * several row blocks this alternates with reading), {@code fitting}, {@code maps}
     * (averaging V over frames, assembling the maps) and {@code statistics} (Spearman's ρ with its toroidal-shift test).
     *
     * @return an unmodifiable map from stage to wall seconds; stages that did not run are absent
     */
    public Map<String, Double> stageSeconds() {
        return stageSeconds;
    }

    /**
     * @param gain ADU per electron, or NaN
     * @return how V was treated, for summaries: {@code "shot-noise corrected, gain 1 ADU/e⁻"} or
     *     {@code "not shot-noise corrected"}
     */
    public static String shotNoiseNote(double gain) {
        return Double.isNaN(gain) ? "not shot-noise corrected"
            : "shot-noise corrected, gain " + java.math.BigDecimal.valueOf(gain).stripTrailingZeros().toPlainString() + " ADU/e⁻";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(Checks.format("AnalysisResult[%d×%d positions", scanY, scanX));
        if (fits != null) {
            sb.append(Checks.format(", %d/%d reliable fits, %d censored, median tau %.4g s (Kaplan–Meier)",
                maps.count(FitStatus.CONVERGED), scanY * scanX, maps.censoredCount(),
                CensoredSample.of(maps).summary(TauSummary.MEDIAN)));
        }
        if (structure != null) {
            sb.append(Checks.format(", mean V %.4g (%s)", maps.speckleVariance().mean(), shotNoiseNote(shotNoiseGain)));
        }
        if (spearman != null) {
            sb.append(Checks.format(", rho %.3f (%s)", spearman.rho(), spearman.reportedPText()));
        }
        return sb.append(Checks.format(", %d patterns in %.3g s, %d block%s]", patternsRead, seconds, blocks,
            blocks == 1 ? "" : "s")).toString();
    }
}
