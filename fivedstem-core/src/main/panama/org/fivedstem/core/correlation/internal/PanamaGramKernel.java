/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link GramKernel} on the JDK Vector API ({@code jdk.incubator.vector}), bit for bit the
 * scalar kernel's results. {@link GramKernels} loads it only when the module is in the boot layer
 * (the {@code ./fivedstem} launcher adds it); this class is compiled apart from the rest of the
 * module (the core POM's {@code panama} execution) because javac's warning about incubating
 * modules cannot be silenced on Java 17 and the main build treats warnings as errors.
 *
 * <p><b>How the bits stay the same.</b> {@link #gramUpper} is an outer-product kernel: the input
 * is pixel-major, so for one pixel the values of L consecutive frames t2 … t2+L−1 are one vector
 * load, and each lane accumulates one entry (t1, t2 + lane) of the Gram matrix. Every entry is
 * therefore still one accumulator starting at +0.0 and adding x(t1)·x(t2) for p ascending, with a
 * separate multiply and add (Java never fuses them) — the scalar order exactly. A tile is 4 rows
 * (t1) × 2 vectors (t2): 8 accumulator vectors, 2 loads and 4 broadcasts per pixel. It is the
 * only tile: the last columns of a row block are one more tile ending at the last frame, and the
 * last rows one more block ending at the last frame, each recomputing a few entries with the same
 * bits or writing below the diagonal, where the contract allows any value. One tile keeps the one
 * method hot (compiled by C2, where the Vector API becomes vector instructions; smaller tile
 * methods, called rarely, ran in the Vector API's slow Java fallback and, with masked or scalar
 * edges, cost a third of the kernel's time at the paper's size). Below 2L frames the scalar kernel
 * runs.
 *
 * <p>{@link #dot} and {@link #lagProducts} are not hot on the default routes (the two-time matrix
 * figure and the symmetric normalisation) and are the scalar kernel's.
 */
public final class PanamaGramKernel implements GramKernel {

    /** The instance; the kernel is stateless. */
    public static final PanamaGramKernel INSTANCE = new PanamaGramKernel();

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private PanamaGramKernel() {
    }

    /** @return the vector width used, in bits */
    public static int vectorBits() {
        return SPECIES.vectorBitSize();
    }

    @Override
    public void gramUpper(double[] xs, int xo, int t, int p, double[] out, int oo) {
        int w = 2 * LANES;
        if (t < w) {
            ScalarGramKernel.INSTANCE.gramUpper(xs, xo, t, p, out, oo);
            return;
        }
        for (int t1 = 0; t1 < t; t1 += 4) {
            int r = Math.min(t1, t - 4);   // the last block of rows ends at T − 1, overlapping the one before
            int t2 = r;
            for (; t2 + w <= t; t2 += w) {
                fourByTwo(xs, xo, t, p, out, oo, r, t2);
            }
            if (t2 < t) {
                fourByTwo(xs, xo, t, p, out, oo, r, t - w);
            }
        }
    }

    private static void fourByTwo(double[] xs, int xo, int t, int p, double[] out, int oo, int t1, int t2) {
        DoubleVector c00 = DoubleVector.zero(SPECIES);
        DoubleVector c01 = DoubleVector.zero(SPECIES);
        DoubleVector c10 = DoubleVector.zero(SPECIES);
        DoubleVector c11 = DoubleVector.zero(SPECIES);
        DoubleVector c20 = DoubleVector.zero(SPECIES);
        DoubleVector c21 = DoubleVector.zero(SPECIES);
        DoubleVector c30 = DoubleVector.zero(SPECIES);
        DoubleVector c31 = DoubleVector.zero(SPECIES);
        for (int j = 0, o = xo; j < p; j++, o += t) {
            DoubleVector y0 = DoubleVector.fromArray(SPECIES, xs, o + t2);
            DoubleVector y1 = DoubleVector.fromArray(SPECIES, xs, o + t2 + LANES);
            DoubleVector x0 = DoubleVector.broadcast(SPECIES, xs[o + t1]);
            DoubleVector x1 = DoubleVector.broadcast(SPECIES, xs[o + t1 + 1]);
            DoubleVector x2 = DoubleVector.broadcast(SPECIES, xs[o + t1 + 2]);
            DoubleVector x3 = DoubleVector.broadcast(SPECIES, xs[o + t1 + 3]);
            c00 = c00.add(x0.mul(y0));
            c01 = c01.add(x0.mul(y1));
            c10 = c10.add(x1.mul(y0));
            c11 = c11.add(x1.mul(y1));
            c20 = c20.add(x2.mul(y0));
            c21 = c21.add(x2.mul(y1));
            c30 = c30.add(x3.mul(y0));
            c31 = c31.add(x3.mul(y1));
        }
        int r = oo + t1 * t + t2;
        c00.intoArray(out, r);
        c01.intoArray(out, r + LANES);
        c10.intoArray(out, r + t);
        c11.intoArray(out, r + t + LANES);
        c20.intoArray(out, r + 2 * t);
        c21.intoArray(out, r + 2 * t + LANES);
        c30.intoArray(out, r + 3 * t);
        c31.intoArray(out, r + 3 * t + LANES);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Four first frames t1 … t1+3 at a time, each with the lags kLo … kLo+L−1 as one vector:
     * entry (t1 + r, k) sits in lane k − kLo of row r's accumulator, and for pixel p the lanes of row
     * r need x(t1 + r + kLo … t1 + r + kLo + L − 1), one load per row (unaligned, overlapping the
     * next row's). Rows whose band runs past the last frame, and lags beyond the vectors, are summed
     * entry by entry in the scalar order.
     */
    @Override
    public void gramBand(double[] xs, int xo, int t, int p, int kLo, int lags, double[] out, int oo) {
        int vectors = lags / LANES;
        int full = t - kLo - vectors * LANES; // rows t1 ≤ full have every vector lane inside the block
        int t1 = 0;
        if (vectors > 0) {
            for (; t1 + 3 <= full && t1 + 3 < t; t1 += 4) {
                for (int v = 0; v < vectors; v++) {
                    bandFour(xs, xo, t, p, kLo + v * LANES, out, oo + v * LANES, lags, t1);
                }
                for (int r = 0; r < 4; r++) {
                    ScalarGramKernel.bandEdge(xs, xo, t, p, kLo, lags, out, oo, t1 + r, vectors * LANES);
                }
            }
        }
        for (; t1 < t; t1++) {
            ScalarGramKernel.bandEdge(xs, xo, t, p, kLo, lags, out, oo, t1, 0);
        }
    }

    private static void bandFour(double[] xs, int xo, int t, int p, int k, double[] out, int oo, int stride, int t1) {
        DoubleVector c0 = DoubleVector.zero(SPECIES);
        DoubleVector c1 = DoubleVector.zero(SPECIES);
        DoubleVector c2 = DoubleVector.zero(SPECIES);
        DoubleVector c3 = DoubleVector.zero(SPECIES);
        for (int j = 0, o = xo; j < p; j++, o += t) {
            int b = o + t1 + k;
            c0 = c0.add(DoubleVector.broadcast(SPECIES, xs[o + t1]).mul(DoubleVector.fromArray(SPECIES, xs, b)));
            c1 = c1.add(DoubleVector.broadcast(SPECIES, xs[o + t1 + 1]).mul(DoubleVector.fromArray(SPECIES, xs, b + 1)));
            c2 = c2.add(DoubleVector.broadcast(SPECIES, xs[o + t1 + 2]).mul(DoubleVector.fromArray(SPECIES, xs, b + 2)));
            c3 = c3.add(DoubleVector.broadcast(SPECIES, xs[o + t1 + 3]).mul(DoubleVector.fromArray(SPECIES, xs, b + 3)));
        }
        int r = oo + t1 * stride;
        c0.intoArray(out, r);
        c1.intoArray(out, r + stride);
        c2.intoArray(out, r + 2 * stride);
        c3.intoArray(out, r + 3 * stride);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One lane per lag, the scalar expression lane-wise (subtract, multiply by w, multiply by w1,
     * add), the last lags short of a vector in the scalar loop. HotSpot does not vectorise the scalar
     * loop (1.5 ns per lag measured; {@code acc} may alias the inputs as far as it can tell).
     */
    @Override
    public void lagSums(double[] s, int so, double[] d, int dOff, double[] w, int wo, double w1, double[] acc, int from,
                        int to) {
        int k = from;
        DoubleVector scale = DoubleVector.broadcast(SPECIES, w1);
        for (; k + LANES <= to; k += LANES) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, s, so + k);
            if (d != null) {
                v = v.sub(DoubleVector.fromArray(SPECIES, d, dOff + k));
            }
            v = v.mul(DoubleVector.fromArray(SPECIES, w, wo + k)).mul(scale);
            DoubleVector.fromArray(SPECIES, acc, k).add(v).intoArray(acc, k);
        }
        ScalarGramKernel.INSTANCE.lagSums(s, so, d, dOff, w, wo, w1, acc, k, to);
    }

    @Override
    public double dot(double[] a, int i, int j, int n) {
        return ScalarGramKernel.INSTANCE.dot(a, i, j, n);
    }

    @Override
    public void lagProducts(double[] x, int xo, double[] usable, int frames, double[] products, double[] early,
                            double[] late) {
        ScalarGramKernel.INSTANCE.lagProducts(x, xo, usable, frames, products, early, late);
    }

    @Override
    public String toString() {
        return vectorBits() + "-bit (" + LANES + " doubles)";
    }
}
