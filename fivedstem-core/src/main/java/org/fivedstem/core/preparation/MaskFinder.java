package org.fivedstem.core.preparation;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;

/**
 * Finds the unusable pixels of a detector from a recording's {@link PatternStatistics}: the
 * beam-stop shadow from the mean pattern, hot and cold pixels as outliers of the mean against
 * their neighbours, and dead (stuck) pixels from a temporal variance of exactly zero; combined with
 * a given mask.
 *
 * <pre>{@code
 * PreparedMask m = MaskFinder.of(MaskOptions.defaults()).find(stats, dataset.mask().orElse(null));
 * Dataset5D masked = dataset.withMask(m.mask());
 * }</pre>
 *
 * <p><b>Beam stop.</b> Connected regions (4-neighbours) of pixels whose mean is below a fraction of
 * the median pixel mean, at least a minimum size (so single dead pixels are not called shadow),
 * grown by a pixel or two to cover the penumbra.
 *
 * <p><b>Hot and cold.</b> With {@code m} a pixel's mean and {@code M} the median of the means of
 * its valid 5×5 neighbours (itself excluded), the relative residual is {@code ρ = m/M − 1}; its
 * robust scale is {@code σ = 1.4826 · MAD(ρ)} over all pixels outside the shadow. A pixel is hot
 * when {@code ρ > max(kσ, r)}, cold when {@code ρ < −max(kσ, r)} (defaults k = 8, r = 0.5). The
 * local median follows the halo's radial gradient, so the residuals of good pixels are noise; the
 * relative floor keeps speckle-rich patterns with few frames from flagging good pixels.
 *
 * <p><b>Dead.</b> A pixel whose value never changed over all patterns (temporal variance exactly
 * 0) while the median variance of its neighbours is positive.
 */
public final class MaskFinder {

    private final MaskOptions options;

    private MaskFinder(MaskOptions options) {
        this.options = options;
    }

    /**
     * @param options thresholds
     * @return a finder
     */
    public static MaskFinder of(MaskOptions options) {
        return new MaskFinder(Objects.requireNonNull(options, "options"));
    }

    /** @return a finder with {@link MaskOptions#defaults()} */
    public static MaskFinder defaults() {
        return of(MaskOptions.defaults());
    }

    /**
     * @param stats statistics of the recording (unbinned or binned, as the patterns to mask)
     * @param given a mask to combine with (user or file), or null
     * @return the mask and its parts
     */
    public PreparedMask find(PatternStatistics stats, DetectorMask given) {
        Shape5D s = stats.shape();
        return find(stats.meanPattern(), stats.variancePattern(), s.ky(), s.kx(), given);
    }

    /**
     * @param mean each pixel's mean, row-major. Not modified.
     * @param variance each pixel's temporal variance. Not modified.
     * @param ky pattern rows
     * @param kx pattern columns
     * @param given a mask to combine with, or null
     * @return the mask and its parts
     */
    public PreparedMask find(double[] mean, double[] variance, int ky, int kx, DetectorMask given) {
        Checks.length("mean", ky * kx, mean.length);
        Checks.length("variance", ky * kx, variance.length);
        DetectorMask g = given == null ? DetectorMask.allValid(ky, kx) : given;
        if (g.ky() != ky || g.kx() != kx) {
            throw new IllegalArgumentException(Checks.format("mask of %d×%d pixels does not match the %d×%d patterns",
                g.ky(), g.kx(), ky, kx));
        }
        int n = ky * kx;
        boolean[] usable = g.toArray();
        boolean[] shadow = beamStop(mean, usable, ky, kx);
        boolean[] ok = new boolean[n];
        for (int i = 0; i < n; i++) {
            ok[i] = usable[i] && !shadow[i] && Double.isFinite(mean[i]);
        }
        double[] localMean = localMedian(mean, ok, ky, kx);
        double[] localVar = localMedian(variance, ok, ky, kx);
        double[] rho = new double[n];
        double[] forScale = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            rho[i] = localMean[i] > 0 ? mean[i] / localMean[i] - 1 : Double.NaN;
            if (ok[i] && !Double.isNaN(rho[i])) {
                forScale[m++] = rho[i];
            }
        }
        double sigma = 0;
        if (m > 0) {
            double med = median(forScale, m);
            for (int i = 0; i < m; i++) {
                forScale[i] = Math.abs(forScale[i] - med);
            }
            sigma = 1.4826 * median(forScale, m);
        }
        double limit = Math.max(options.sigmas() * sigma, options.minRelative());
        boolean[] hot = new boolean[n];
        boolean[] dead = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (!ok[i]) {
                continue;
            }
            if (rho[i] > limit) {
                hot[i] = true;
            } else if (rho[i] < -limit || (variance[i] == 0 && localVar[i] > 0)) {
                dead[i] = true;
            }
        }
        boolean[] all = new boolean[n];
        for (int i = 0; i < n; i++) {
            all[i] = usable[i] && !shadow[i] && !hot[i] && !dead[i];
        }
        return new PreparedMask(DetectorMask.of(ky, kx, all), g, DetectorMask.of(ky, kx, not(shadow)),
            DetectorMask.of(ky, kx, not(hot)), DetectorMask.of(ky, kx, not(dead)));
    }

    private static boolean[] not(boolean[] b) {
        boolean[] r = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = !b[i];
        }
        return r;
    }

    private boolean[] beamStop(double[] mean, boolean[] usable, int ky, int kx) {
        int n = ky * kx;
        double[] v = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (usable[i] && Double.isFinite(mean[i])) {
                v[m++] = mean[i];
            }
        }
        boolean[] shadow = new boolean[n];
        if (m == 0) {
            return shadow;
        }
        double threshold = options.beamStopFraction() * median(v, m);
        boolean[] low = new boolean[n];
        for (int i = 0; i < n; i++) {
            low[i] = !(mean[i] >= threshold);
        }
        // Connected regions of low pixels (4-neighbours), kept if large enough.
        int[] label = new int[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        int[] members = new int[n];
        for (int start = 0; start < n; start++) {
            if (!low[start] || label[start] != 0) {
                continue;
            }
            int size = 0;
            queue.add(start);
            label[start] = 1;
            while (!queue.isEmpty()) {
                int p = queue.poll();
                members[size++] = p;
                int i = p / kx;
                int j = p % kx;
                int[] nb = {i > 0 ? p - kx : -1, i < ky - 1 ? p + kx : -1, j > 0 ? p - 1 : -1, j < kx - 1 ? p + 1 : -1};
                for (int q : nb) {
                    if (q >= 0 && low[q] && label[q] == 0) {
                        label[q] = 1;
                        queue.add(q);
                    }
                }
            }
            if (size >= options.beamStopMinPixels()) {
                for (int k = 0; k < size; k++) {
                    shadow[members[k]] = true;
                }
            }
        }
        for (int g = 0; g < options.growPx(); g++) {
            boolean[] grown = shadow.clone();
            for (int p = 0; p < n; p++) {
                if (shadow[p]) {
                    continue;
                }
                int i = p / kx;
                int j = p % kx;
                if ((i > 0 && shadow[p - kx]) || (i < ky - 1 && shadow[p + kx]) || (j > 0 && shadow[p - 1])
                    || (j < kx - 1 && shadow[p + 1])) {
                    grown[p] = true;
                }
            }
            shadow = grown;
        }
        return shadow;
    }

    /** Median of each pixel's valid 5×5 neighbours (itself excluded); NaN where there are none. */
    private static double[] localMedian(double[] v, boolean[] ok, int ky, int kx) {
        double[] out = new double[v.length];
        double[] buf = new double[24];
        for (int i = 0; i < ky; i++) {
            for (int j = 0; j < kx; j++) {
                int c = 0;
                for (int a = Math.max(0, i - 2); a <= Math.min(ky - 1, i + 2); a++) {
                    for (int b = Math.max(0, j - 2); b <= Math.min(kx - 1, j + 2); b++) {
                        int p = a * kx + b;
                        if ((a != i || b != j) && ok[p]) {
                            buf[c++] = v[p];
                        }
                    }
                }
                out[i * kx + j] = c == 0 ? Double.NaN : median(buf, c);
            }
        }
        return out;
    }

    /** Median of the first n values (reorders them). */
    private static double median(double[] v, int n) {
        Arrays.sort(v, 0, n);
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    @Override
    public String toString() {
        return "MaskFinder[" + options + "]";
    }
}
