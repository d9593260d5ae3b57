/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.Locale;

import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.KwwFit;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.engine.ResultAssembler;
import org.fivedstem.io.results.ResultsFile;

/**
 * What a task sends back for its tile: the numbers of the positions it answers for, as primitive
 * arrays (no fivedstem type needs to be {@link Serializable}; a plain class rather than a record, which
 * Kryo 4 cannot serialize), row-major over the tile. Per position: g, its standard errors and pair
 * counts (L lags each), the KWW fit's parameters, errors and status, V and V(Q); per tile: the counters.
 */
final class TileResult implements Serializable {

    private static final long serialVersionUID = 1L;

    /** KwwFit doubles per position: β, σβ, τ, στ, γ, σγ, c, σc, χ²ᵣ, τ limit. */
    private static final int FIT_DOUBLES = 10;
    /** KwwFit ints per position: iterations, status, first lag, last lag, γ fixed, baseline fitted. */
    private static final int FIT_INTS = 6;

    final int index;
    final int y0;
    final int y1;
    final int x0;
    final int x1;
    final int lags;
    final int bins;
    final boolean quasiLikelihood;
    final double[] g;
    final double[] gErr;
    final int[] pairs;
    final double[] fitDoubles;
    final int[] fitInts;
    final double[] v;
    final double[] binV;
    final long patternsRead;
    final long blankDynamicsFrames;
    final long excludedStructureFrames;
    /** Wall seconds of the task's analysis. */
    final double seconds;

    private TileResult(TilePlan.Tile tile, int lags, int bins, boolean quasiLikelihood, long patternsRead, long blank,
                       long excluded, double seconds) {
        this.index = tile.index();
        this.y0 = tile.y0();
        this.y1 = tile.y1();
        this.x0 = tile.x0();
        this.x1 = tile.x1();
        int n = tile.positionCount();
        this.lags = lags;
        this.bins = bins;
        this.quasiLikelihood = quasiLikelihood;
        this.g = lags == 0 ? null : new double[n * lags];
        this.gErr = lags == 0 ? null : new double[n * lags];
        this.pairs = lags == 0 ? null : new int[n * lags];
        this.fitDoubles = lags == 0 ? null : new double[n * FIT_DOUBLES];
        this.fitInts = lags == 0 ? null : new int[n * FIT_INTS];
        this.v = bins == 0 ? null : new double[n];
        this.binV = bins == 0 ? null : new double[n * bins];
        this.patternsRead = patternsRead;
        this.blankDynamicsFrames = blank;
        this.excludedStructureFrames = excluded;
        this.seconds = seconds;
    }

    /**
     * Takes the tile's positions out of the result of its region.
     *
     * @param tile the tile
     * @param r the result of the analysis of the region the tile reads
     * @param counters patterns read, blank dynamics frames and frames left out of V of the tile's own positions
     *     ({@code r}'s unless the tile has a halo)
     * @param seconds wall seconds of the task
     */
    static TileResult of(TilePlan.Tile tile, AnalysisResult r, long[] counters, double seconds) {
        int bins = r.hasStructure() ? r.structureBins().length : 0;
        TileResult t = new TileResult(tile, r.lagCount(), bins, r.quasiLikelihood(), counters[0], counters[1], counters[2],
            seconds);
        double[] vMap = bins == 0 ? null : r.maps().speckleVariance().values();
        int readWidth = tile.readX1() - tile.readX0();
        int i = 0;
        for (int y = tile.y0(); y < tile.y1(); y++) {
            for (int x = tile.x0(); x < tile.x1(); x++, i++) {
                int ry = y - tile.readY0();
                int rx = x - tile.readX0();
                if (t.lags > 0) {
                    CorrelationCurve c = r.curve(ry, rx);
                    System.arraycopy(c.values(), 0, t.g, i * t.lags, t.lags);
                    System.arraycopy(c.stdErrs(), 0, t.gErr, i * t.lags, t.lags);
                    System.arraycopy(c.pairCounts(), 0, t.pairs, i * t.lags, t.lags);
                    t.putFit(i, r.fit(ry, rx));
                }
                if (bins > 0) {
                    t.v[i] = vMap[ry * readWidth + rx];
                    System.arraycopy(r.speckleVarianceProfile(ry, rx), 0, t.binV, i * bins, bins);
                }
            }
        }
        return t;
    }

    private void putFit(int i, KwwFit f) {
        int d = i * FIT_DOUBLES;
        fitDoubles[d] = f.beta();
        fitDoubles[d + 1] = f.betaError();
        fitDoubles[d + 2] = f.tauSeconds();
        fitDoubles[d + 3] = f.tauErrorSeconds();
        fitDoubles[d + 4] = f.gamma();
        fitDoubles[d + 5] = f.gammaError();
        fitDoubles[d + 6] = f.baseline();
        fitDoubles[d + 7] = f.baselineError();
        fitDoubles[d + 8] = f.reducedChiSquare();
        fitDoubles[d + 9] = f.tauLimitSeconds();
        int k = i * FIT_INTS;
        fitInts[k] = f.iterations();
        fitInts[k + 1] = f.status().ordinal();
        fitInts[k + 2] = f.firstLag();
        fitInts[k + 3] = f.lastLag();
        fitInts[k + 4] = f.gammaFixed() ? 1 : 0;
        fitInts[k + 5] = f.baselineFitted() ? 1 : 0;
    }

    private KwwFit fit(int i) {
        int d = i * FIT_DOUBLES;
        int k = i * FIT_INTS;
        return new KwwFit(fitDoubles[d], fitDoubles[d + 1], fitDoubles[d + 2], fitDoubles[d + 3], fitDoubles[d + 4],
            fitDoubles[d + 5], fitInts[k + 4] == 1, fitDoubles[d + 6], fitDoubles[d + 7], fitInts[k + 5] == 1,
            fitDoubles[d + 8], fitInts[k], FitStatus.values()[fitInts[k + 1]], fitInts[k + 2], fitInts[k + 3],
            fitDoubles[d + 9]);
    }

    /** Gives the tile's positions and counters to the driver's assembler. */
    void addTo(ResultAssembler asm) {
        int i = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++, i++) {
                if (lags > 0) {
                    asm.curve(y, x, g, gErr, pairs, i * lags).fit(y, x, fit(i));
                }
                if (bins > 0) {
                    asm.speckleVariance(y, x, v[i], binV, i * bins);
                }
            }
        }
        asm.addCounts(patternsRead, blankDynamicsFrames, excludedStructureFrames);
    }

    /**
     * Writes the tile's curves into the results file, row by row (a tile's positions along a row are one run).
     *
     * @param curves the results file's writer
     * @throws IOException if writing fails
     */
    void writeCurves(ResultsFile.Writer curves) throws IOException {
        if (lags == 0) {
            return;
        }
        int width = x1 - x0;
        for (int y = y0; y < y1; y++) {
            curves.putCurves(y, x0, width, g, gErr, (y - y0) * width * lags);
        }
    }

    /** @return bytes of the arrays, about what the tile costs to send */
    long bytes() {
        long n = (long) (y1 - y0) * (x1 - x0);
        return n * (lags * 20L + (lags > 0 ? FIT_DOUBLES * 8 + FIT_INTS * 4 : 0) + (bins > 0 ? 8L + 8L * bins : 0));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TileResult %d[rows %d–%d, columns %d–%d, %d lags, %d Q bins, %d patterns, %.3g s]",
            index, y0, y1 - 1, x0, x1 - 1, lags, bins, patternsRead, seconds);
    }
}
