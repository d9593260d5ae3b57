/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import java.util.Arrays;

/**
 * The T frames cut into B contiguous blocks of (nearly) equal length — block b holds frames
 * [⌈bT/B⌉, ⌈(b+1)T/B⌉) — and the usable pair counts per block and lag k, over usable pairs
 * (t1, t2 = t1 + k):
 * <ul>
 * <li>n1[b][k]: pairs whose first frame t1 is in b,
 * <li>n2[b][k]: pairs whose second frame t2 is in b,
 * <li>n3[b][k]: pairs with both frames in b,
 * </ul>
 * so that n(k) = Σ_b n1[b][k] pairs are usable at lag k and n − n1 − n2 + n3 remain without block
 * b. With B = 1, n1 = n2 = n3 = n. The counts are kept while T, B and the usable frames stay
 * the same (the usual case along a scan). A reusable workspace; not thread-safe.
 */
final class FrameBlocks {

    private int frames;
    private int blocks;
    private int used;
    private int[] blockOf = new int[0];        // T
    private int[] blockStart = new int[0];     // B + 1
    private boolean[] blockUsed = new boolean[0];
    private int[] n1 = new int[0];
    private int[] n2 = new int[0];
    private int[] n3 = new int[0];
    private boolean[] countsKey = new boolean[0];
    private int countsFrames = -1;
    private int countsBlocks = -1;

    /**
     * Lays out B blocks over the bin's frames and counts the usable pairs.
     *
     * @param bin the bin (its frames and which are usable)
     * @param b B ≥ 1
     * @return this
     */
    FrameBlocks set(BinSeries bin, int b) {
        int t = bin.frames();
        boolean[] usable = bin.usable();
        frames = t;
        blocks = b;
        blockOf = Grow.of(blockOf, t);
        blockStart = Grow.of(blockStart, b + 1);
        if (blockUsed.length < b) {
            blockUsed = new boolean[b];
        }
        Arrays.fill(blockUsed, 0, b, false);
        for (int bb = 0; bb <= b; bb++) {
            blockStart[bb] = (int) (((long) bb * t + b - 1) / b);
        }
        for (int f = 0; f < t; f++) {
            int bb = (int) ((long) f * b / t);
            blockOf[f] = bb;
            if (usable[f]) {
                blockUsed[bb] = true;
            }
        }
        used = 0;
        for (int bb = 0; bb < b; bb++) {
            if (blockUsed[bb]) {
                used++;
            }
        }
        countPairs(usable);
        return this;
    }

    private void countPairs(boolean[] usable) {
        int t = frames;
        int b = blocks;
        if (countsFrames == t && countsBlocks == b && Arrays.equals(countsKey, 0, t, usable, 0, t)) {
            return;
        }
        n1 = Grow.of(n1, b * t);
        n2 = Grow.of(n2, b * t);
        n3 = Grow.of(n3, b * t);
        Arrays.fill(n1, 0, b * t, 0);
        Arrays.fill(n2, 0, b * t, 0);
        Arrays.fill(n3, 0, b * t, 0);
        for (int t1 = 0; t1 < t; t1++) {
            if (!usable[t1]) {
                continue;
            }
            int b1 = blockOf[t1] * t;
            for (int t2 = t1; t2 < t; t2++) {
                if (usable[t2]) {
                    int k = t2 - t1;
                    int b2 = blockOf[t2] * t;
                    n1[b1 + k]++;
                    n2[b2 + k]++;
                    if (b1 == b2) {
                        n3[b1 + k]++;
                    }
                }
            }
        }
        if (countsKey.length < t) {
            countsKey = new boolean[t];
        }
        System.arraycopy(usable, 0, countsKey, 0, t);
        countsFrames = t;
        countsBlocks = b;
    }

    /** @return B */
    int count() {
        return blocks;
    }

    /** @return the number of blocks holding at least one usable frame */
    int usedCount() {
        return used;
    }

    /**
     * @param b a block
     * @return whether it holds a usable frame
     */
    boolean used(int b) {
        return blockUsed[b];
    }

    /**
     * @param k a lag
     * @return n(k), the usable pairs at lag k
     */
    int pairs(int k) {
        int t = frames;
        int n = 0;
        for (int bb = 0; bb < blocks; bb++) {
            n += n1[bb * t + k];
        }
        return n;
    }

    /**
     * @param b a block
     * @param k a lag
     * @param n n(k), from {@link #pairs}
     * @return the usable pairs at lag k that touch no frame of block b: n − n1 − n2 + n3
     */
    int pairsWithout(int b, int k, int n) {
        int i = b * frames + k;
        return n - n1[i] - n2[i] + n3[i];
    }

    /** @return the block of each frame (T values). Not to be modified. */
    int[] blockOf() {
        return blockOf;
    }

    /** @return the first frame of each block and, last, T (B + 1 values). Not to be modified. */
    int[] blockStart() {
        return blockStart;
    }
}
