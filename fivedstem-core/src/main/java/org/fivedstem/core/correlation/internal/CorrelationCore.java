package org.fivedstem.core.correlation.internal;

import java.util.Arrays;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * The per-bin correlation computations behind {@code CorrelationKernel}: one instance is one
 * thread's reusable workspace. Arrays grow to the largest problem seen and are then reused, so a
 * stream of positions of the same shape allocates nothing. Not thread-safe.
 *
 * <p>Notation (one Q bin): x_p(t) intensities of the bin's P pixels, m(t) their mean, a frame is
 * <i>usable</i> when m(t) ≠ 0. J_p(t) = x_p(t)/m(t) on usable frames, 0 on blank ones. Frames are
 * split into B contiguous blocks. For lag k and blocks b, with the sums running over usable pairs
 * (t1, t2 = t1 + k):
 * <ul>
 * <li>s1[b][k] = Σ_{t1 ∈ b} Σ_p J_p(t1) J_p(t2) (pairs whose first frame is in b),
 * <li>s2[b][k] = the same over t2 ∈ b, s3[b][k] over t1 ∈ b and t2 ∈ b,
 * <li>n1, n2, n3: the matching pair counts.
 * </ul>
 * The full sum is Σ_b s1[b][k]; the replicate without block b is S − s1 − s2 + s3.
 */
public final class CorrelationCore {

    private int frames;
    private int pixels;
    private int blocks;
    private int fftLength;

    private double[] x = new double[0];        // T × P frame-major; raw, then J
    private double[] xt = new double[0];       // P × T pixel-major raw intensities, blank frames zeroed
    private double[] gram = new double[0];     // T × T two-time sums, upper triangle (direct route)
    private double[] mean = new double[0];     // T
    private boolean[] usable = new boolean[0]; // T
    private double[] usableMask = new double[0];
    private int[] blankList = new int[0];
    private int blankCount;
    private int[] blockOf = new int[0];        // T
    private int[] blockStart = new int[0];     // B + 1
    private boolean[] blockUsed = new boolean[0];
    private double[] s1 = new double[0];
    private double[] s2 = new double[0];
    private double[] s3 = new double[0];
    private int[] n1 = new int[0];
    private int[] n2 = new int[0];
    private int[] n3 = new int[0];
    private boolean[] countsKey = new boolean[0];
    private int countsFrames = -1;
    private int countsBlocks = -1;

    private DoubleFFT_1D fft;
    private double[] fb = new double[0];       // B × N
    private double[] acc1 = new double[0];     // B × N
    private double[] acc3 = new double[0];     // B × N
    private double[] tmp = new double[0];      // N
    private double[] prefix = new double[0];   // T + 1
    private double[] symSum = new double[0];   // T
    private int[] symCount = new int[0];       // T
    private double[] pa = new double[0];       // T
    private double[] pc = new double[0];       // T
    private double[] pn = new double[0];       // T
    private double[] ensG = new double[0];     // T

    /**
     * Correlates one Q bin.
     *
     * @param series intensities, {@code series[t * stride + p]}. Not modified.
     * @param t frames T
     * @param stride pixels per frame in {@code series}
     * @param members indices (into a frame's pixels) of this bin's pixels. Not modified.
     * @param p number of members used
     * @param symmetric symmetric normalisation instead of ensemble
     * @param factorial factorial-moment lag-0 correction
     * @param b number of jackknife blocks (1: no standard errors)
     * @param useFft FFT route instead of the direct one
     * @param g g per lag at {@code g[offset + k]}. Modified.
     * @param stdErr standard errors, same layout. Modified.
     * @param pairs usable pair counts, same layout. Modified.
     * @param offset where this bin's T values start
     * @return the number of blank frames (annulus mean exactly 0)
     */
    public int correlate(double[] series, int t, int stride, int[] members, int p, boolean symmetric, boolean factorial,
                         int b, boolean useFft, double[] g, double[] stdErr, int[] pairs, int offset) {
        boolean finite = gather(series, t, stride, members, p, symmetric);
        lastFinite = finite;
        lastGroups = false;
        setBlocks(b);
        counts();
        for (int k = 0; k < t; k++) {
            int n = 0;
            for (int bb = 0; bb < blocks; bb++) {
                n += n1[bb * t + k];
            }
            pairs[offset + k] = n;
        }
        if (!finite) {
            Arrays.fill(g, offset, offset + t, Double.NaN);
            Arrays.fill(stdErr, offset, offset + t, Double.NaN);
            return blankCount;
        }
        if (symmetric) {
            if (useFft) {
                symmetricFft(factorial);
            } else {
                symmetricDirect(factorial);
            }
        }
        if (!symmetric || b > 1) {
            toJ();
            if (useFft) {
                ensembleFft();
            } else {
                ensembleDirect();
            }
            if (factorial) {
                factorialEnsemble();
            }
        }
        finish(symmetric, g, stdErr, offset);
        return blankCount;
    }

    /**
     * Correlates one Q bin on the direct route with delete-a-group-of-pixels jackknife standard
     * errors: the bin's pixels, in their given order, are cut into G = min(b, p) contiguous groups
     * of (nearly) equal size, and replicate r is the ensemble g recomputed from the pixels outside
     * group r (eq. 1 with the sums and frame means over those pixels):
     * <pre>
     *   G₋r(t1,t2) = [(S − S_r)(t1,t2) / (P − P_r)] / (m₋r(t1) m₋r(t2)),   m₋r(t) = (M − M_r)(t) / (P − P_r)
     * </pre>
     * with S_r(t1,t2) = Σ_{p∈r} x_p(t1) x_p(t2), M_r(t) = Σ_{p∈r} x_p(t), S = Σ_r S_r, M = Σ_p x_p,
     * each averaged over the pairs usable in the replicate (both frames with m₋r ≠ 0). For the
     * symmetric normalisation g is the symmetric one and the replicates are of the ensemble g,
     * as with the frame-block jackknife.
     *
     * <p>Every value is a sum in a fixed order (pixels ascending within a group, groups
     * ascending, first frames ascending within a lag), so the result does not depend on the thread
     * that computes it.
     *
     * @param series intensities, {@code series[t * stride + p]}. Not modified.
     * @param t frames T
     * @param stride pixels per frame in {@code series}
     * @param members indices (into a frame's pixels) of this bin's pixels. Not modified.
     * @param p number of members used
     * @param symmetric symmetric normalisation instead of ensemble
     * @param factorial factorial-moment lag-0 correction
     * @param b number of pixel groups asked for (≥ 2; min(b, p) are used)
     * @param g g per lag at {@code g[offset + k]}. Modified.
     * @param stdErr standard errors, same layout. Modified.
     * @param pairs usable pair counts, same layout. Modified.
     * @param offset where this bin's T values start
     * @return the number of blank frames (annulus mean exactly 0)
     */
    public int correlatePixelGroups(double[] series, int t, int stride, int[] members, int p, boolean symmetric,
                                    boolean factorial, int b, double[] g, double[] stdErr, int[] pairs, int offset) {
        boolean finite = gather(series, t, stride, members, p, symmetric);
        lastFinite = finite;
        lastGroups = true;
        requestedGroups = b;
        groupCount = Math.min(b, p);
        setBlocks(1);
        counts();
        System.arraycopy(n1, 0, pairs, offset, t);
        rep = grow(rep, b * t);
        if (!finite) {
            Arrays.fill(g, offset, offset + t, Double.NaN);
            Arrays.fill(stdErr, offset, offset + t, Double.NaN);
            Arrays.fill(rep, 0, b * t, Double.NaN);
            return blankCount;
        }
        if (symmetric) {
            symmetricDirect(factorial);
        }
        ensembleGroups(factorial);
        int groups = groupCount;
        for (int k = 0; k < t; k++) {
            g[offset + k] = symmetric ? (symCount[k] > 0 ? symSum[k] / symCount[k] : Double.NaN) : ensG[k];
            double se = Double.NaN;
            if (groups >= 2 && n1[k] > 0) {
                double sum = 0;
                for (int r = 0; r < groups; r++) {
                    sum += rep[r * t + k];
                }
                double m = sum / groups;
                double ss = 0;
                for (int r = 0; r < groups; r++) {
                    double d = rep[r * t + k] - m;
                    ss += d * d;
                }
                se = Math.sqrt((groups - 1) * ss / groups); // NaN when a replicate has no pair at k
            }
            stdErr[offset + k] = se;
        }
        return blankCount;
    }

    /**
     * Above this many doubles (32 MB) the per-group Gram matrices are not all kept: each is
     * computed twice (once for the full sum S, once for its replicate) instead, which doubles the
     * direct route's cost but bounds its memory at two T × T matrices (T ≳ 600 frames with 10 groups).
     */
    public static final long GROUP_GRAMS_KEPT_MAX = 4L << 20;

    /** The full ensemble g (into ensG) and the G delete-a-group replicates (into rep) from the raw x. */
    private void ensembleGroups(boolean factorial) {
        int t = frames;
        int p = pixels;
        int groups = groupCount;
        int tt = t * t;
        groupStart = growInt(groupStart, groups + 1);
        for (int r = 0; r <= groups; r++) {
            groupStart[r] = (int) ((long) r * p / groups);
        }
        // Group-major copy: group r's T × P_r block starts at T·start(r), so each group's Gram is
        // the tiled gramUpper on a contiguous block.
        xg = grow(xg, t * p);
        msum = grow(msum, (groups + 1) * t);
        int mo = groups * t; // M(t), the sum over all pixels, after the groups' M_r(t)
        for (int f = 0; f < t; f++) {
            double all = 0;
            int row = f * p;
            for (int j = 0; j < p; j++) {
                all += x[row + j];
            }
            msum[mo + f] = all;
        }
        for (int r = 0; r < groups; r++) {
            int lo = groupStart[r];
            int pr = groupStart[r + 1] - lo;
            int base = t * lo;
            for (int f = 0; f < t; f++) {
                double sr = 0;
                for (int j = 0; j < pr; j++) {
                    double v = x[f * p + lo + j];
                    xg[base + f * pr + j] = v;
                    sr += v;
                }
                msum[r * t + f] = sr;
            }
        }
        boolean keep = (long) groups * tt <= GROUP_GRAMS_KEPT_MAX;
        grams = grow(grams, keep ? groups * tt : tt);
        gsum = grow(gsum, tt);
        for (int r = 0; r < groups; r++) {
            int lo = groupStart[r];
            int o = keep ? r * tt : 0;
            gramUpper(xg, t * lo, t, groupStart[r + 1] - lo, grams, o);
            for (int t1 = 0; t1 < t; t1++) {
                int row = t1 * t + t1;
                if (r == 0) {
                    System.arraycopy(grams, o + row, gsum, row, t - t1);
                } else {
                    addTo(grams, o + row, gsum, row, t - t1);
                }
            }
        }
        // Full g: G(t1,t2) = S·P / (M(t1) M(t2)).
        ensG = grow(ensG, t);
        w = grow(w, t);
        acc = grow(acc, t);
        repCount = growInt(repCount, t);
        for (int f = 0; f < t; f++) {
            w[f] = usable[f] ? 1 / msum[mo + f] : 0;
        }
        lagSums(gsum, 0, null, 0, mo, factorial, false);
        for (int k = 0; k < t; k++) {
            ensG[k] = n1[k] > 0 ? acc[k] * p / n1[k] : Double.NaN;
        }
        // Replicates: G₋r(t1,t2) = (S − S_r)·(P − P_r) / ((M − M_r)(t1) (M − M_r)(t2)).
        for (int r = 0; r < groups; r++) {
            int lo = groupStart[r];
            int pr = groupStart[r + 1] - lo;
            int o = keep ? r * tt : 0;
            if (!keep) {
                gramUpper(xg, t * lo, t, pr, grams, 0);
            }
            int ro = r * t;
            for (int f = 0; f < t; f++) {
                double rest = msum[mo + f] - msum[ro + f];
                w[f] = usable[f] && rest != 0 ? 1 / rest : 0;
            }
            lagSums(gsum, 0, grams, o, ro, factorial, true);
            double pRest = p - pr;
            for (int k = 0; k < t; k++) {
                rep[ro + k] = repCount[k] > 0 ? acc[k] * pRest / repCount[k] : Double.NaN;
            }
        }
        Arrays.fill(rep, groups * t, requestedGroups * t, Double.NaN);
    }

    /**
     * acc[k] = Σ_t1 (S − S_r)(t1, t1+k)·w(t1)·w(t1+k) over t1 ascending (a pair with w = 0 at
     * either frame adds an exact 0); with {@code factorial} the diagonal is reduced by
     * (M − M_r)(t). {@code sr == null} means S_r = 0 and M_r = 0. When {@code counting}, repCount[k]
     * is the number of pairs with w ≠ 0 at both frames.
     */
    private void lagSums(double[] s, int so, double[] sr, int sro, int mro, boolean factorial, boolean counting) {
        int t = frames;
        int mo = groupCount * t;
        Arrays.fill(acc, 0, t, 0);
        boolean allUsable = true;
        for (int t1 = 0; t1 < t; t1++) {
            double w1 = w[t1];
            if (w1 == 0) {
                allUsable = false;
                continue;
            }
            int row = so + t1 * t + t1;
            int rr = sro + t1 * t + t1;
            int n = t - t1;
            double d = sr == null ? s[row] : s[row] - sr[rr];
            if (factorial) {
                d -= sr == null ? msum[mo + t1] : msum[mo + t1] - msum[mro + t1];
            }
            acc[0] += d * w1 * w1;
            if (sr == null) {
                for (int k = 1; k < n; k++) {
                    acc[k] += s[row + k] * w[t1 + k] * w1;
                }
            } else {
                for (int k = 1; k < n; k++) {
                    acc[k] += (s[row + k] - sr[rr + k]) * w[t1 + k] * w1;
                }
            }
        }
        if (!counting) {
            return;
        }
        if (allUsable) {
            for (int k = 0; k < t; k++) {
                repCount[k] = t - k;
            }
            return;
        }
        Arrays.fill(repCount, 0, t, 0);
        for (int t1 = 0; t1 < t; t1++) {
            if (w[t1] == 0) {
                continue;
            }
            for (int t2 = t1; t2 < t; t2++) {
                if (w[t2] != 0) {
                    repCount[t2 - t1]++;
                }
            }
        }
    }

    /** b[bo + i] += a[ao + i] for i &lt; n (a loop HotSpot vectorises). */
    private static void addTo(double[] a, int ao, double[] b, int bo, int n) {
        for (int i = 0; i < n; i++) {
            b[bo + i] += a[ao + i];
        }
    }

    private boolean lastGroups;
    private int groupCount;
    private int requestedGroups;
    private int[] groupStart = new int[0];
    private double[] xg = new double[0];
    private double[] msum = new double[0];
    private double[] grams = new double[0];
    private double[] gsum = new double[0];
    private double[] rep = new double[0];
    private double[] w = new double[0];
    private double[] acc = new double[0];
    private int[] repCount = new int[0];

    /**
     * The two-time matrix G(t1, t2) of the ensemble normalisation (eq. 1) for one bin; rows and
     * columns of blank frames NaN.
     *
     * @param series intensities, {@code series[t * stride + p]}. Not modified.
     * @param t frames T
     * @param stride pixels per frame
     * @param members this bin's pixel indices. Not modified.
     * @param p number of members
     * @param factorial factorial-moment correction of the diagonal
     * @param out T × T, row-major. Modified.
     * @return the number of blank frames
     */
    public int twoTime(double[] series, int t, int stride, int[] members, int p, boolean factorial, double[] out) {
        boolean finite = gather(series, t, stride, members, p, false);
        if (!finite) {
            Arrays.fill(out, 0, t * t, Double.NaN);
            return blankCount;
        }
        toJ();
        for (int t1 = 0; t1 < t; t1++) {
            if (!usable[t1]) {
                Arrays.fill(out, t1 * t, t1 * t + t, Double.NaN);
                for (int t2 = 0; t2 < t; t2++) {
                    out[t2 * t + t1] = Double.NaN;
                }
                continue;
            }
            for (int t2 = t1; t2 < t; t2++) {
                if (!usable[t2]) {
                    continue;
                }
                double w = dot(x, t1 * p, t2 * p, p);
                if (t1 == t2 && factorial) {
                    w -= p / mean[t1];
                }
                double v = w / p;
                out[t1 * t + t2] = v;
                out[t2 * t + t1] = v;
            }
        }
        return blankCount;
    }

    // ---------------------------------------------------------------- set-up

    /** Copies the bin's intensities into x (and, for the symmetric sums, xt); frame means. */
    private boolean gather(double[] series, int t, int stride, int[] members, int p, boolean pixelMajor) {
        frames = t;
        pixels = p;
        x = grow(x, t * p);
        mean = grow(mean, t);
        usableMask = grow(usableMask, t);
        if (usable.length < t) {
            usable = new boolean[t];
            blankList = new int[t];
        }
        boolean finite = true;
        blankCount = 0;
        for (int f = 0; f < t; f++) {
            int row = f * stride;
            int out = f * p;
            double sum = 0;
            for (int j = 0; j < p; j++) {
                double v = series[row + members[j]];
                x[out + j] = v;
                sum += v;
            }
            finite &= Double.isFinite(sum);
            double m = sum / p;
            mean[f] = m;
            usable[f] = m != 0;
            usableMask[f] = usable[f] ? 1 : 0;
            if (!usable[f]) {
                blankList[blankCount++] = f;
            }
        }
        if (!pixelMajor) {
            return finite;
        }
        // Pixel-major copy with blank frames zeroed, for the per-pixel (symmetric) sums.
        xt = grow(xt, t * p);
        for (int f = 0; f < t; f++) {
            int row = f * p;
            boolean u = usable[f];
            for (int j = 0; j < p; j++) {
                xt[j * t + f] = u ? x[row + j] : 0;
            }
        }
        return finite;
    }

    private void setBlocks(int b) {
        int t = frames;
        blocks = b;
        blockOf = growInt(blockOf, t);
        blockStart = growInt(blockStart, b + 1);
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
        s1 = grow(s1, b * t);
        s2 = grow(s2, b * t);
        s3 = grow(s3, b * t);
    }

    /** Pair counts per block and lag; cached while the usable-frame pattern and B stay the same. */
    private void counts() {
        int t = frames;
        int b = blocks;
        if (countsFrames == t && countsBlocks == b && Arrays.equals(countsKey, 0, t, usable, 0, t)) {
            return;
        }
        n1 = growInt(n1, b * t);
        n2 = growInt(n2, b * t);
        n3 = growInt(n3, b * t);
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

    private void toJ() {
        int t = frames;
        int p = pixels;
        for (int f = 0; f < t; f++) {
            double inv = usable[f] ? 1 / mean[f] : 0;
            int row = f * p;
            for (int j = 0; j < p; j++) {
                x[row + j] *= inv;
            }
        }
    }

    // ---------------------------------------------------------------- ensemble

    /**
     * The direct route: every usable pair's Σ_p J_p(t1) J_p(t2) (the upper triangle of the
     * two-time Gram matrix), then the block sums in pair order.
     *
     * <p>The Gram entries are computed in 4 × 2 tiles of (t1, t2): eight independent accumulators
     * over p, each loaded J value serving two or four of them. One dot product per pair (two
     * loads per multiply-add, one dependency chain) ran at half the speed on the paper's size
     * (T = 106, P ≈ 210: 450 vs 1,000 µs per position, CPU time); a pixel-major AXPY form that
     * HotSpot vectorises was in between (700 µs), being bound by its accumulator stores. Every
     * entry sums over p in ascending order with one accumulator, so the tiling, the edge tiles
     * and the thread count cannot change a bit of the result.
     */
    private void ensembleDirect() {
        int t = frames;
        int p = pixels;
        int bt = blocks * t;
        Arrays.fill(s1, 0, bt, 0);
        Arrays.fill(s2, 0, bt, 0);
        Arrays.fill(s3, 0, bt, 0);
        gram = grow(gram, t * t);
        gramUpper(x, t, p, gram);
        for (int t1 = 0; t1 < t; t1++) {
            if (!usable[t1]) {
                continue;
            }
            int b1 = blockOf[t1] * t;
            int r1 = t1 * t;
            for (int t2 = t1; t2 < t; t2++) {
                if (!usable[t2]) {
                    continue;
                }
                double w = gram[r1 + t2];
                int k = t2 - t1;
                int b2 = blockOf[t2] * t;
                s1[b1 + k] += w;
                s2[b2 + k] += w;
                if (b1 == b2) {
                    s3[b1 + k] += w;
                }
            }
        }
    }

    /**
     * {@code out[t1·T + t2] = Σ_p x[t1·P + p] x[t2·P + p]} for t2 ≥ t1 (entries below the
     * diagonal of a tile straddling it are written too; they are never read).
     */
    static void gramUpper(double[] x, int t, int p, double[] out) {
        gramUpper(x, 0, t, p, out, 0);
    }

    /**
     * As {@link #gramUpper(double[], int, int, double[])} on the T × p block of {@code x} that
     * starts at {@code xo}, into the T × T block of {@code out} that starts at {@code oo}.
     */
    static void gramUpper(double[] xs, int xo, int t, int p, double[] out, int oo) {
        for (int t1 = 0; t1 < t; t1 += 4) {
            for (int t2 = t1; t2 < t; t2 += 2) {
                if (t1 + 3 < t && t2 + 1 < t) {
                    int a0 = xo + t1 * p;
                    int a1 = a0 + p;
                    int a2 = a1 + p;
                    int a3 = a2 + p;
                    int b0 = xo + t2 * p;
                    int b1 = b0 + p;
                    double c00 = 0;
                    double c01 = 0;
                    double c10 = 0;
                    double c11 = 0;
                    double c20 = 0;
                    double c21 = 0;
                    double c30 = 0;
                    double c31 = 0;
                    for (int j = 0; j < p; j++) {
                        double y0 = xs[b0 + j];
                        double y1 = xs[b1 + j];
                        double x0 = xs[a0 + j];
                        double x1 = xs[a1 + j];
                        double x2 = xs[a2 + j];
                        double x3 = xs[a3 + j];
                        c00 += x0 * y0;
                        c01 += x0 * y1;
                        c10 += x1 * y0;
                        c11 += x1 * y1;
                        c20 += x2 * y0;
                        c21 += x2 * y1;
                        c30 += x3 * y0;
                        c31 += x3 * y1;
                    }
                    int o = oo + t1 * t + t2;
                    out[o] = c00;
                    out[o + 1] = c01;
                    out[o + t] = c10;
                    out[o + t + 1] = c11;
                    out[o + 2 * t] = c20;
                    out[o + 2 * t + 1] = c21;
                    out[o + 3 * t] = c30;
                    out[o + 3 * t + 1] = c31;
                } else {
                    for (int i = t1; i < Math.min(t, t1 + 4); i++) {
                        for (int k = t2; k < Math.min(t, t2 + 2); k++) {
                            double c = 0;
                            for (int j = 0; j < p; j++) {
                                c += xs[xo + i * p + j] * xs[xo + k * p + j];
                            }
                            out[oo + i * t + k] = c;
                        }
                    }
                }
            }
        }
    }

    private void ensureFft() {
        int n = 2;
        while (n < 2 * frames - 1) {
            n <<= 1;
        }
        if (fft == null || fftLength != n) {
            fft = new DoubleFFT_1D(n);
            fftLength = n;
        }
        tmp = grow(tmp, n);
    }

    private void ensembleFft() {
        ensureFft();
        int t = frames;
        int p = pixels;
        int n = fftLength;
        int b = blocks;
        fb = grow(fb, b * n);
        acc1 = grow(acc1, b * n);
        acc3 = grow(acc3, b * n);
        Arrays.fill(acc1, 0, b * n, 0);
        if (b > 1) {
            Arrays.fill(acc3, 0, b * n, 0);
        }
        for (int j = 0; j < p; j++) {
            Arrays.fill(tmp, 0, n, 0);
            for (int bb = 0; bb < b; bb++) {
                if (!blockUsed[bb]) {
                    continue;
                }
                int o = bb * n;
                Arrays.fill(fb, o, o + n, 0);
                for (int f = blockStart[bb]; f < blockStart[bb + 1]; f++) {
                    fb[o + f] = x[f * p + j];
                }
                fft.realForward(fb, o);
                for (int i = 0; i < n; i++) {
                    tmp[i] += fb[o + i];
                }
            }
            for (int bb = 0; bb < b; bb++) {
                if (!blockUsed[bb]) {
                    continue;
                }
                int o = bb * n;
                conjMulAdd(fb, o, tmp, 0, acc1, o, n);
                if (b > 1) {
                    conjMulAdd(fb, o, fb, o, acc3, o, n);
                }
            }
        }
        for (int bb = 0; bb < b; bb++) {
            int o = bb * n;
            int so = bb * t;
            if (!blockUsed[bb]) {
                Arrays.fill(s1, so, so + t, 0);
                Arrays.fill(s2, so, so + t, 0);
                Arrays.fill(s3, so, so + t, 0);
                continue;
            }
            fft.realInverse(acc1, o, true);
            s1[so] = acc1[o];
            s2[so] = acc1[o];
            for (int k = 1; k < t; k++) {
                s1[so + k] = acc1[o + k];
                s2[so + k] = acc1[o + n - k];
            }
            if (b > 1) {
                fft.realInverse(acc3, o, true);
                System.arraycopy(acc3, o, s3, so, t);
            } else {
                System.arraycopy(s1, so, s3, so, t);
            }
        }
    }

    /** acc += conj(a) · c, all in JTransforms' packed real-FFT format (even length). */
    private static void conjMulAdd(double[] a, int ao, double[] c, int co, double[] acc, int oo, int n) {
        acc[oo] += a[ao] * c[co];
        acc[oo + 1] += a[ao + 1] * c[co + 1];
        for (int i = 2; i < n; i += 2) {
            double ar = a[ao + i];
            double ai = a[ao + i + 1];
            double cr = c[co + i];
            double ci = c[co + i + 1];
            acc[oo + i] += ar * cr + ai * ci;
            acc[oo + i + 1] += ar * ci - ai * cr;
        }
    }

    /** Σ_p I_p(t)(I_p(t) − 1)/m² = Σ_p J_p² − P/m(t): subtract P/m(t) from each usable lag-0 pair. */
    private void factorialEnsemble() {
        int t = frames;
        for (int f = 0; f < t; f++) {
            if (usable[f]) {
                double c = pixels / mean[f];
                int o = blockOf[f] * t;
                s1[o] -= c;
                s2[o] -= c;
                s3[o] -= c;
            }
        }
    }

    // ---------------------------------------------------------------- symmetric

    private void symmetricStart() {
        int t = frames;
        symSum = grow(symSum, t);
        symCount = growInt(symCount, t);
        pa = grow(pa, t);
        pc = grow(pc, t);
        pn = grow(pn, t);
        Arrays.fill(symSum, 0, t, 0);
        Arrays.fill(symCount, 0, t, 0);
    }

    /** Adds pixel's g_p(k) = n(k) N(k) / (A(k) C(k)) where A·C ≠ 0. */
    private void symmetricAdd(boolean factorial) {
        int t = frames;
        if (factorial) {
            pn[0] -= pa[0];
        }
        for (int k = 0; k < t; k++) {
            int n = 0;
            for (int bb = 0; bb < blocks; bb++) {
                n += n1[bb * t + k];
            }
            double d = pa[k] * pc[k];
            if (n > 0 && d != 0) {
                symSum[k] += n * pn[k] / d;
                symCount[k]++;
            }
        }
    }

    private void symmetricDirect(boolean factorial) {
        symmetricStart();
        int t = frames;
        for (int j = 0; j < pixels; j++) {
            int o = j * t;
            for (int k = 0; k < t; k++) {
                double sn = 0;
                double sa = 0;
                double sc = 0;
                for (int t1 = 0, t2 = k; t2 < t; t1++, t2++) {
                    double a = xt[o + t1];
                    double c = xt[o + t2];
                    sn += a * c;
                    sa += a * usableMask[t2];
                    sc += c * usableMask[t1];
                }
                pn[k] = sn;
                pa[k] = sa;
                pc[k] = sc;
            }
            symmetricAdd(factorial);
        }
    }

    private void symmetricFft(boolean factorial) {
        symmetricStart();
        ensureFft();
        int t = frames;
        int n = fftLength;
        prefix = grow(prefix, t + 1);
        for (int j = 0; j < pixels; j++) {
            int o = j * t;
            Arrays.fill(tmp, 0, n, 0);
            System.arraycopy(xt, o, tmp, 0, t);
            fft.realForward(tmp);
            tmp[0] *= tmp[0];
            tmp[1] *= tmp[1];
            for (int i = 2; i < n; i += 2) {
                double re = tmp[i];
                double im = tmp[i + 1];
                tmp[i] = re * re + im * im;
                tmp[i + 1] = 0;
            }
            fft.realInverse(tmp, true);
            System.arraycopy(tmp, 0, pn, 0, t);
            // Window sums over usable pairs: A(k) = Σ x(t1), C(k) = Σ x(t1 + k). Blank frames are
            // zero in xt, so only pairs with the *other* frame blank need subtracting.
            prefix[0] = 0;
            for (int f = 0; f < t; f++) {
                prefix[f + 1] = prefix[f] + xt[o + f];
            }
            double total = prefix[t];
            for (int k = 0; k < t; k++) {
                pa[k] = prefix[t - k];
                pc[k] = total - prefix[k];
            }
            for (int i = 0; i < blankCount; i++) {
                int beta = blankList[i];
                for (int k = 0; k <= beta; k++) {
                    pa[k] -= xt[o + beta - k];
                }
                for (int k = 0; beta + k < t; k++) {
                    pc[k] -= xt[o + beta + k];
                }
            }
            symmetricAdd(factorial);
        }
    }

    // ---------------------------------------------------------------- results

    private void finish(boolean symmetric, double[] g, double[] stdErr, int offset) {
        int t = frames;
        int p = pixels;
        int b = blocks;
        ensG = grow(ensG, t);
        boolean haveEnsemble = !symmetric || b > 1;
        int used = 0;
        for (int bb = 0; bb < b; bb++) {
            if (blockUsed[bb]) {
                used++;
            }
        }
        for (int k = 0; k < t; k++) {
            int n = 0;
            double s = 0;
            for (int bb = 0; bb < b; bb++) {
                n += n1[bb * t + k];
                s += s1[bb * t + k];
            }
            double gEns = haveEnsemble && n > 0 ? s / ((double) p * n) : Double.NaN;
            if (symmetric) {
                g[offset + k] = symCount[k] > 0 ? symSum[k] / symCount[k] : Double.NaN;
            } else {
                g[offset + k] = gEns;
            }
            stdErr[offset + k] = b > 1 && used >= 2 && n > 0 ? jackknife(k, n, s) : Double.NaN;
        }
    }

    private double jackknife(int k, int n, double s) {
        int t = frames;
        double p = pixels;
        double sum = 0;
        int used = 0;
        for (int bb = 0; bb < blocks; bb++) {
            if (!blockUsed[bb]) {
                continue;
            }
            int i = bb * t + k;
            int nr = n - n1[i] - n2[i] + n3[i];
            if (nr <= 0) {
                return Double.NaN;
            }
            double r = (s - s1[i] - s2[i] + s3[i]) / (p * nr);
            tmpRep(used, r);
            sum += r;
            used++;
        }
        double m = sum / used;
        double ss = 0;
        for (int i = 0; i < used; i++) {
            double d = reps[i] - m;
            ss += d * d;
        }
        return Math.sqrt((used - 1) * ss / used);
    }

    private double[] reps = new double[0];

    /**
     * The delete-a-block jackknife replicates of the ensemble g of the bin last passed to
     * {@link #correlate}: replicate {@code bb} is g recomputed without the frame pairs that touch
     * block {@code bb} (the same values whose spread gives the standard errors). A replicate is NaN
     * at lags where it has no pair left, and entirely NaN for a block without usable frames, for
     * every block when B = 1, and when the bin held non-finite values.
     *
     * @param out replicate {@code bb}, lag {@code k} at {@code out[offset + bb * T + k]}. Modified.
     * @param offset where this bin's B·T values start
     */
    /**
     * After {@link #correlatePixelGroups} with the ensemble normalisation: the two-time sums of the
     * normalised intensities u_p(t) = x_p(t)/x̄(t) − 1 over all pixels ({@code replicate} −1) or over
     * all but group {@code replicate}, S(t1, t2) = Σ_p u_p(t1) u_p(t2) = Σ_p x_p(t1) x_p(t2) / (x̄(t1) x̄(t2)) − P
     * (Σ_p u_p(t) = 0), from the Gram matrices the correlation already holds.
     *
     * @param replicate −1 for all pixels, else the group left out
     * @param s {@code s[t1 * T + t2]} for t2 ≥ t1; 0 where either frame is not usable. Modified.
     * @param invMean 1/x̄(t) per frame, 0 for a frame that is blank (in the replicate). Modified.
     * @return the number of pixels summed, or 0 if the sums are not at hand (not the pixel-group
     *     route, non-finite data, or group Gram matrices not kept for this many frames)
     */
    public int normalisedSums(int replicate, double[] s, double[] invMean) {
        int t = frames;
        if (!lastGroups || !lastFinite || replicate < -1 || replicate >= groupCount) {
            return 0;
        }
        int tt = t * t;
        boolean keep = (long) groupCount * tt <= GROUP_GRAMS_KEPT_MAX;
        if (replicate >= 0 && !keep) {
            return 0;
        }
        int mo = groupCount * t;
        int ro = replicate >= 0 ? replicate * t : -1;
        int go = replicate >= 0 ? replicate * tt : -1;
        int pr = replicate >= 0 ? groupStart[replicate + 1] - groupStart[replicate] : 0;
        double pRest = pixels - pr;
        for (int f = 0; f < t; f++) {
            double m = msum[mo + f] - (ro >= 0 ? msum[ro + f] : 0);
            invMean[f] = usable[f] && m > 0 ? pRest / m : 0;
        }
        for (int t1 = 0; t1 < t; t1++) {
            int row = t1 * t;
            double w1 = invMean[t1];
            for (int t2 = t1; t2 < t; t2++) {
                double w2 = invMean[t2];
                if (w1 == 0 || w2 == 0) {
                    s[row + t2] = 0;
                    continue;
                }
                double raw = gsum[row + t2] - (go >= 0 ? grams[go + row + t2] : 0);
                s[row + t2] = raw * w1 * w2 - pRest;
            }
        }
        return (int) pRest;
    }

    /**
     * The replicates of the last correlation (see {@code replicates} in the public kernel). Before
     * that, see {@link #normalisedSums}.
     *
     * @param out replicate {@code bb}, lag {@code k} at {@code out[offset + bb * T + k]}. Modified.
     * @param offset where this bin's B·T values start
     */
    public void replicates(double[] out, int offset) {
        int t = frames;
        if (lastGroups) {
            System.arraycopy(rep, 0, out, offset, requestedGroups * t);
            return;
        }
        double p = pixels;
        for (int bb = 0; bb < blocks; bb++) {
            int o = offset + bb * t;
            if (blocks < 2 || !blockUsed[bb] || !lastFinite) {
                Arrays.fill(out, o, o + t, Double.NaN);
                continue;
            }
            for (int k = 0; k < t; k++) {
                int n = 0;
                double sum = 0;
                for (int c = 0; c < blocks; c++) {
                    n += n1[c * t + k];
                    sum += s1[c * t + k];
                }
                int i = bb * t + k;
                int nr = n - n1[i] - n2[i] + n3[i];
                out[o + k] = nr > 0 ? (sum - s1[i] - s2[i] + s3[i]) / (p * nr) : Double.NaN;
            }
        }
    }

    private boolean lastFinite;

    private void tmpRep(int i, double r) {
        if (reps.length <= i) {
            reps = Arrays.copyOf(reps, Math.max(16, 2 * (i + 1)));
        }
        reps[i] = r;
    }

    // ---------------------------------------------------------------- helpers

    /** Dot product with four accumulators (breaks the add dependency chain; ~3× faster). */
    static double dot(double[] a, int i, int j, int n) {
        double d0 = 0;
        double d1 = 0;
        double d2 = 0;
        double d3 = 0;
        int q = 0;
        for (; q + 3 < n; q += 4) {
            d0 += a[i + q] * a[j + q];
            d1 += a[i + q + 1] * a[j + q + 1];
            d2 += a[i + q + 2] * a[j + q + 2];
            d3 += a[i + q + 3] * a[j + q + 3];
        }
        for (; q < n; q++) {
            d0 += a[i + q] * a[j + q];
        }
        return (d0 + d1) + (d2 + d3);
    }

    private static double[] grow(double[] a, int n) {
        return a.length >= n ? a : new double[n];
    }

    private static int[] growInt(int[] a, int n) {
        return a.length >= n ? a : new int[n];
    }
}
