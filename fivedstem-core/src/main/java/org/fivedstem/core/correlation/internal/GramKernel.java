/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

/**
 * The pair sums of the correlation, where nearly all of the direct route's arithmetic is done
 * (O(P·T²) multiply-adds per bin): for frames t1, t2 the sum over a bin's pixels of the products
 * x_p(t1)·x_p(t2), and, for one pixel, the sums over the frame pairs at each lag. The one place
 * where a vectorised (JDK Vector API) implementation plugs in, as Lucene's
 * {@code VectorUtilSupport} does: stateless, primitive arrays in and out, no allocation, no
 * thread-confined state (one instance serves every thread). {@link GramKernels} lists the
 * implementations and picks one.
 *
 * <p><b>Contract: bit-identical results.</b> Every implementation returns exactly the bits of the
 * plain loops stated below — the same products, added in the stated order into the stated
 * accumulators, without fused multiply-add. A faster implementation may change which entries it
 * computes together (tiles, lanes), never the order of the additions that make one entry. This is
 * what keeps g, its errors and the fits independent of the kernel and of the thread count; the
 * contract test ({@code GramKernelContractTest}) runs every implementation on the same seeded
 * inputs against the plain loops.
 *
 * <p>Units: whatever the intensities carry (counts, or intensities relative to a frame mean);
 * the sums carry their square.
 */
public interface GramKernel {

    /**
     * The upper triangle of the two-time Gram matrix of a P × T block:
     * <pre>
     *   out[oo + t1·T + t2] = Σ_{p=0}^{P−1} x[xo + p·T + t1] · x[xo + p·T + t2]     for 0 ≤ t1 ≤ t2 &lt; T
     * </pre>
     * each entry one accumulator starting at +0.0, p ascending. Entries below the diagonal of the
     * T × T block of {@code out} may be overwritten with unspecified values; nothing outside that
     * block is written. The input is pixel-major so that consecutive frames — consecutive entries
     * of a row of {@code out} — are adjacent in memory: a vector implementation loads them as lanes
     * and gives every entry its own lane, which keeps each entry's sum in the order above.
     *
     * @param x intensities, pixel-major: pixel p's T values start at {@code xo + p·T}. Not modified.
     * @param xo where the block starts in {@code x}
     * @param frames T (≥ 0)
     * @param pixels P (≥ 0)
     * @param out T × T, row-major from {@code oo}. Modified.
     * @param oo where the matrix starts in {@code out}
     */
    void gramUpper(double[] x, int xo, int frames, int pixels, double[] out, int oo);

    /**
     * A band of the two-time Gram matrix of a P × T block, the pairs of one multi-tau level: for
     * every first frame t1 and lag k with kLo ≤ k &lt; kLo + K and t1 + k &lt; T,
     * <pre>
     *   out[oo + t1·K + (k − kLo)] = Σ_{p=0}^{P−1} x[xo + p·T + t1] · x[xo + p·T + t1 + k]
     * </pre>
     * each entry one accumulator starting at +0.0, p ascending, as in {@link #gramUpper}. Entries
     * with t1 + k ≥ T are set to 0; nothing outside the T × K block is written.
     *
     * @param x intensities, pixel-major: pixel p's T values start at {@code xo + p·T}. Not modified.
     * @param xo where the block starts in {@code x}
     * @param frames T (≥ 0)
     * @param pixels P (≥ 0)
     * @param kLo the first lag (≥ 0)
     * @param lags K, the lags kLo … kLo + K − 1 (≥ 0)
     * @param out T × K, row-major from {@code oo}. Modified.
     * @param oo where the band starts in {@code out}
     */
    void gramBand(double[] x, int xo, int frames, int pixels, int kLo, int lags, double[] out, int oo);

    /**
     * One first frame's share of the lag sums of g and its pixel-group replicates: for k in
     * [from, to),
     * <pre>
     *   acc[k] += ((s[so + k] − d[dOff + k]) · w[wo + k]) · w1        (d null: (s[so + k] · w[wo + k]) · w1)
     * </pre>
     * each entry of {@code acc} one accumulator, with a separate multiply and add in that order.
     * Entries are independent, so a vector implementation gives every k its own lane.
     *
     * @param s the pair sums from the first frame t1 (a row of the Gram matrix). Not modified.
     * @param so where lag 0 of that row is in {@code s}
     * @param d the sums to subtract (a left-out group's row), or {@code null} (then {@code dOff} is ignored). Not modified.
     * @param dOff where lag 0 of that row is in {@code d}
     * @param w the weights per second frame, w(t1 + k) at {@code w[wo + k]}. Not modified.
     * @param wo where the weight of lag 0 is in {@code w}
     * @param w1 the first frame's weight
     * @param acc the lag sums, lag k at {@code acc[k]}. Modified.
     * @param from the first lag
     * @param to one past the last lag
     */
    void lagSums(double[] s, int so, double[] d, int dOff, double[] w, int wo, double w1, double[] acc, int from, int to);

    /**
     * One pair's sum with four accumulators (lanes): product q goes to lane q mod 4 for
     * q &lt; 4⌊n/4⌋, the n mod 4 remaining products to lane 0, each lane adding in ascending q from
     * +0.0, and the result is (lane0 + lane1) + (lane2 + lane3). (Four lanes break the chain of
     * dependent additions; a four-lane vector holds them as they are.)
     *
     * @param a the array holding both vectors. Not modified.
     * @param i where the first vector starts
     * @param j where the second vector starts
     * @param n length (≥ 0)
     * @return Σ_q a[i + q]·a[j + q] in the order above
     */
    double dot(double[] a, int i, int j, int n);

    /**
     * One pixel's lag sums over its usable frame pairs, the symmetric normalisation's numerator and
     * window sums: for every lag 0 ≤ k &lt; T, over t1 = 0 … T−1−k ascending (t2 = t1 + k), each
     * sum one accumulator from +0.0,
     * <pre>
     *   products[k] = Σ x(t1)·x(t2)      early[k] = Σ x(t1)·u(t2)      late[k] = Σ x(t2)·u(t1)
     * </pre>
     * where x is the pixel's series with blank frames already 0 and u(t) ∈ {0, 1} marks the usable
     * frames.
     *
     * @param x the pixel's series: x(t) at {@code x[xo + t]}. Not modified.
     * @param xo where the series starts
     * @param usable u(t) at {@code usable[t]}, 1 or 0. Not modified.
     * @param frames T
     * @param products per lag, from index 0. Modified.
     * @param early per lag. Modified.
     * @param late per lag. Modified.
     */
    void lagProducts(double[] x, int xo, double[] usable, int frames, double[] products, double[] early,
                     double[] late);
}
