#!/usr/bin/python3
"""NumPy/SciPy reference implementation of `fivedstem analyze` (defaults), for the benchmark.

The same equations as the Java engine (docs/dynamics.md, docs/structure-statistics.md), written as
a careful NumPy user would: h5py reads blocks of scan rows, everything per block is vectorised.

  dynamics  annulus  qmin <= q < qmax (q = |pixel - centre| * pixel size, valid /mask pixels)
            J_p(t) = I_p(t) / <I(t)>_p     (eq. 1, ensemble normalisation; a frame with mean 0 is blank)
            g(k)   = sum_b s1[b][k] / (P n(k))  with s1[b][k] = sum_{t1 in b} sum_p J_p(t1) J_p(t1+k)
            SE(k)  = frame-block jackknife over B = 10 contiguous blocks (block of frame f = floor(f B / T)):
                     replicate without block b = (S - s1 - s2 + s3) / (P (n - n1 - n2 + n3)),
                     s2: pairs whose later frame is in b, s3: both frames in b;
                     SE = sqrt((B-1)/B * sum_b (r_b - mean r)^2)
            per-pixel sums by FFT over time (scipy.fft, all cores), zero-padded to the next power of two >= 2T-1
            (--g-method matmul: the same sums from the two-time matrix J J^T through BLAS)
  fit       g - 1 = beta exp(-2 (t/tau)^gamma), gamma = 1 fixed, lags 1 .. last lag with at least a
            quarter of lag 0's pairs, weights 1/SE, scipy.optimize.curve_fit (Levenberg-Marquardt) in
            (ln beta, ln tau) from the best point of a 16-point ln-tau grid (beta in closed form);
            reliable if converged and one frame interval <= tau <= twice the longest lag (FitOptions.DEFAULT_SLOW_LIMIT_FRACTION)
  structure V(t) = n sum I^2 / (sum I)^2 - 1 over the structure annulus per frame (eq. 5), mean over frames
  statistics Spearman rho (scipy.stats.spearmanr) between reliable tau and V

Writes tau_s, beta, V, fit_ok, g, g_err and the stage timings to an HDF5 file for the benchmark's comparison.
Needs Debian's python3-numpy, python3-scipy, python3-h5py (bench/run.sh installs them).
"""
import argparse
import os
import time

import h5py
import numpy as np
import scipy.fft
import scipy.sparse
import scipy.stats
from scipy.optimize import curve_fit

BLOCKS = 10
WORKERS = os.cpu_count()  # scipy.fft's threads: both cores, as the Java engine uses


def annulus(k_y, k_x, centre, pixel_size, qmin, qmax, mask):
    i, j = np.meshgrid(np.arange(k_y), np.arange(k_x), indexing="ij")
    q = np.hypot(i - centre[0], j - centre[1]) * pixel_size
    sel = (q >= qmin) & (q < qmax)
    if mask is not None:
        sel &= mask != 0
    return np.flatnonzero(sel.ravel())


class PairSums:
    """Maps the T(T+1)/2 frame pairs (t1 <= t2) to (block, lag) sums s1, s2, s3 as sparse matrices."""

    def __init__(self, t):
        self.t = t
        b = BLOCKS if t >= BLOCKS else t
        self.b = b
        block = (np.arange(t) * b) // t
        t1, t2 = np.triu_indices(t)
        k = t2 - t1
        self.t1, self.t2 = t1, t2
        cols = b * t
        npairs = len(t1)
        rows = np.arange(npairs)
        ones = np.ones(npairs)
        self.m1 = scipy.sparse.csr_matrix((ones, (rows, block[t1] * t + k)), shape=(npairs, cols))
        self.m2 = scipy.sparse.csr_matrix((ones, (rows, block[t2] * t + k)), shape=(npairs, cols))
        same = block[t1] == block[t2]
        self.m3 = scipy.sparse.csr_matrix((ones[same], (rows[same], (block[t1] * t + k)[same])), shape=(npairs, cols))

    def counts(self, usable):
        """Pair counts n1, n2, n3 (B, T) for one usable-frame pattern."""
        w = (usable[self.t1] & usable[self.t2]).astype(np.float64)
        return [(m.T @ w).reshape(self.b, self.t) for m in (self.m1, self.m2, self.m3)]


def g_and_se(s1, s2, s3, n1, n2, n3, p, block_used):
    """g and jackknife SE per position from block sums (npos, B, T) and counts (B, T)."""
    n = n1.sum(axis=0)                                   # (T,)
    s = s1.sum(axis=1)                                   # (npos, T)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.where(n > 0, s / (p * n), np.nan)
        nr = n[None, :] - n1 - n2 + n3                   # (B, T)
        rep = (s[:, None, :] - s1 - s2 + s3) / (p * nr)  # (npos, B, T)
        rep = rep[:, block_used, :]
        used = rep.shape[1]
        dev = rep - rep.mean(axis=1, keepdims=True)
        se = np.sqrt((used - 1) * (dev * dev).sum(axis=1) / used)
        bad = (nr[block_used] <= 0).any(axis=0) | (n <= 0) | (used < 2)
        se[:, bad] = np.nan
    return g, se


def correlate_fft(j, usable, t, b):
    """Block sums s1, s2, s3 (npos, B, T) of J (npos, T, P) by per-pixel real FFTs, zero-padded."""
    npos, _, p = j.shape
    nfft = 2
    while nfft < 2 * t - 1:
        nfft <<= 1
    block = (np.arange(t) * b) // t
    s1 = np.empty((npos, b, t))
    s2 = np.empty((npos, b, t))
    s3 = np.empty((npos, b, t))
    chunk = max(1, int(2e7 // (p * b * nfft)))          # bounds the (chunk, P, B, N) work array
    for c0 in range(0, npos, chunk):
        jc = np.transpose(j[c0:c0 + chunk], (0, 2, 1))  # (c, P, T)
        xb = np.zeros(jc.shape[:2] + (b, nfft))
        for bb in range(b):
            sel = block == bb
            xb[:, :, bb, :t][..., sel] = jc[..., sel]
        f = scipy.fft.rfft(xb, axis=-1, workers=WORKERS)  # (c, P, B, N/2+1)
        total = f.sum(axis=2)                            # (c, P, N/2+1): the whole series' spectrum
        # sum over pixels of conj(F_b) F as a batched matrix product (einsum was 5x slower)
        acc1 = np.matmul(np.conj(f).transpose(0, 3, 2, 1), total.transpose(0, 2, 1)[..., None])[..., 0]
        acc1 = acc1.transpose(0, 2, 1)                   # (c, B, N/2+1)
        acc3 = (f.real * f.real + f.imag * f.imag).sum(axis=1)
        r1 = scipy.fft.irfft(acc1, n=nfft, axis=-1, workers=WORKERS)
        r3 = scipy.fft.irfft(acc3, n=nfft, axis=-1, workers=WORKERS)
        s1[c0:c0 + chunk] = r1[..., :t]
        s2[c0:c0 + chunk, :, 0] = r1[..., 0]
        s2[c0:c0 + chunk, :, 1:] = r1[..., nfft - np.arange(1, t)]
        s3[c0:c0 + chunk] = r3[..., :t]
    return s1, s2, s3


def correlate_matmul(j, pairs):
    """Block sums from the two-time matrices C = J J^T (npos, T, T) through BLAS."""
    c = np.matmul(j, np.transpose(j, (0, 2, 1)))
    vals = c[:, pairs.t1, pairs.t2]                      # (npos, pairs)
    out = []
    for m in (pairs.m1, pairs.m2, pairs.m3):
        out.append(np.asarray((m.T @ vals.T).T).reshape(-1, pairs.b, pairs.t))
    return out


def model(t, ln_beta, ln_tau):
    return np.exp(ln_beta - 2 * t / np.exp(ln_tau))


def fit_all(lags, g, se, pairs_per_lag):
    """KWW fits (gamma = 1) per position; returns tau, beta, reliable flag."""
    npos, t = g.shape
    first = 1
    last = int(np.flatnonzero(pairs_per_lag >= pairs_per_lag[0] / 4.0)[-1])
    x = lags[first:last + 1]
    y = g[:, first:last + 1] - 1
    s = se[:, first:last + 1]
    use_se = np.all(np.isfinite(s) & (s > 0), axis=1)
    w = np.where(use_se[:, None], 1 / np.where(use_se[:, None], s, 1), 1.0)
    # Start: 16-point ln tau grid, beta by weighted least squares at each, vectorised over positions.
    grid = np.linspace(np.log(x.min() / 4), np.log(x.max() * 4), 16)
    e = np.exp(-2 * x[None, :] / np.exp(grid)[:, None])                       # (16, n)
    w2 = w * w
    see = w2 @ (e * e).T                                                      # (npos, 16)
    sey = (w2 * y) @ e.T
    beta0 = sey / see
    chi2 = (w2 * y * y).sum(axis=1)[:, None] - beta0 * sey
    chi2 = np.where(beta0 > 0, chi2, np.inf)
    best = np.argmin(chi2, axis=1)
    tau = np.full(npos, np.nan)
    beta = np.full(npos, np.nan)
    ok = np.zeros(npos, bool)
    lo_tau, hi_tau = np.log(x.min() / 100), np.log(x.max() * 100)
    for i in range(npos):
        if not np.all(np.isfinite(y[i])) or not np.isfinite(chi2[i, best[i]]):
            continue
        p0 = (np.log(beta0[i, best[i]]), grid[best[i]])
        try:
            popt, _ = curve_fit(model, x, y[i], p0=p0, sigma=1 / w[i], absolute_sigma=use_se[i],
                                method="lm", maxfev=400)
        except (RuntimeError, ValueError):
            continue
        lb, lt = popt
        if not (np.log(1e-12) < lb < np.log(1e4)) or not (lo_tau < lt < hi_tau):
            continue
        tau[i] = np.exp(lt)
        beta[i] = np.exp(lb)
        ok[i] = lags[1] <= tau[i] <= 2 * lags[-1]
    return tau, beta, ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input")
    ap.add_argument("--out", required=True)
    ap.add_argument("--dataset", default="/data")
    ap.add_argument("--dyn-q", default="4.2:4.6")
    ap.add_argument("--struct-q", default="3.0:5.8")
    ap.add_argument("--g-method", choices=("fft", "matmul"), default="fft")
    ap.add_argument("--block-mb", type=float, default=256, help="raw bytes read per block of scan rows")
    a = ap.parse_args()
    timers = dict(read=0.0, gather=0.0, V=0.0, correlate=0.0, fit=0.0, spearman=0.0)
    start = time.perf_counter()
    with h5py.File(a.input, "r") as f:
        d = f[a.dataset]
        t, ny, nx, k_y, k_x = d.shape
        frame_s = float(d.attrs["frame_interval_s"])
        pixel = float(d.attrs["pixel_size_inv_nm"])
        centre = np.asarray(d.attrs["center_px"], float)
        mask = f["mask"][...] if "mask" in f else None
        dq = [float(v) for v in a.dyn_q.split(":")]
        sq = [float(v) for v in a.struct_q.split(":")]
        dyn = annulus(k_y, k_x, centre, pixel, dq[0], dq[1], mask)
        struct = annulus(k_y, k_x, centre, pixel, sq[0], sq[1], mask)
        p = len(dyn)
        pairs = PairSums(t)
        lags = np.arange(t) * frame_s
        g = np.empty((ny * nx, t))
        se = np.empty((ny * nx, t))
        v_map = np.empty(ny * nx)
        row_bytes = t * nx * k_y * k_x * d.dtype.itemsize
        rows = max(1, min(ny, int(a.block_mb * 2**20 // row_bytes)))
        pair_counts = None
        for y0 in range(0, ny, rows):
            y1 = min(ny, y0 + rows)
            c0 = time.perf_counter()
            raw = d[:, y0:y1]                                             # (T, r, X, K, K)
            c1 = time.perf_counter()
            flat = raw.reshape(t, (y1 - y0) * nx, k_y * k_x)
            idyn = np.ascontiguousarray(np.transpose(flat[:, :, dyn], (1, 0, 2)), dtype=np.float64)  # (n, T, P)
            ist = flat[:, :, struct].astype(np.float64)                  # (T, n, S)
            del raw, flat
            c2 = time.perf_counter()
            s_i = ist.sum(axis=2)
            s_ii = (ist * ist).sum(axis=2)
            with np.errstate(invalid="ignore", divide="ignore"):
                v = np.where(s_i > 0, len(struct) * s_ii / (s_i * s_i) - 1, np.nan)
            v_map[y0 * nx:y1 * nx] = np.nanmean(v, axis=0)
            c3 = time.perf_counter()
            m = idyn.mean(axis=2)                                         # (n, T)
            usable_all = m != 0
            with np.errstate(invalid="ignore", divide="ignore"):
                jn = idyn * np.where(usable_all, 1 / m, 0)[:, :, None]
            # Block sums; positions sharing a usable-frame pattern share counts (usually all frames).
            keys, inverse = np.unique(usable_all, axis=0, return_inverse=True)
            for ki, usable in enumerate(keys):
                sel = np.flatnonzero(inverse.ravel() == ki)
                n1, n2, n3 = pairs.counts(usable)
                if a.g_method == "fft":
                    s1, s2, s3 = correlate_fft(jn[sel], usable, t, pairs.b)
                else:
                    s1, s2, s3 = correlate_matmul(jn[sel], pairs)
                block = (np.arange(t) * pairs.b) // t
                block_used = np.array([usable[block == bb].any() for bb in range(pairs.b)])
                gg, ee = g_and_se(s1, s2, s3, n1, n2, n3, p, block_used)
                g[y0 * nx + sel] = gg
                se[y0 * nx + sel] = ee
                if pair_counts is None:
                    pair_counts = n1.sum(axis=0)
            c4 = time.perf_counter()
            timers["read"] += c1 - c0
            timers["gather"] += c2 - c1
            timers["V"] += c3 - c2
            timers["correlate"] += c4 - c3
    c0 = time.perf_counter()
    tau, beta, ok = fit_all(lags, g, se, pair_counts)
    c1 = time.perf_counter()
    both = ok & np.isfinite(v_map)
    rho, pval = scipy.stats.spearmanr(tau[both], v_map[both])
    c2 = time.perf_counter()
    timers["fit"] = c1 - c0
    timers["spearman"] = c2 - c1
    total = time.perf_counter() - start
    with h5py.File(a.out, "w") as o:
        o["tau_s"] = tau.reshape(ny, nx)
        o["beta"] = beta.reshape(ny, nx)
        o["V"] = v_map.reshape(ny, nx)
        o["fit_ok"] = ok.reshape(ny, nx).astype(np.uint8)
        o["g"] = g.reshape(ny, nx, t)
        o["g_err"] = se.reshape(ny, nx, t)
        o.attrs["rho"] = rho
        o.attrs["p"] = pval
        o.attrs["seconds"] = total
        o.attrs["g_method"] = a.g_method
        for k, v in timers.items():
            o.attrs["seconds_" + k] = v
    print("numpy reference (%s): %dx%d positions x %d frames, %d/%d reliable fits, median tau %.4g s, "
          "mean V %.4g, rho %.3f (p %.2g), %.1f s [%s]" % (
              a.g_method, ny, nx, t, ok.sum(), ny * nx, np.median(tau[ok]), np.nanmean(v_map), rho, pval, total,
              ", ".join("%s %.1f" % kv for kv in timers.items())))


if __name__ == "__main__":
    main()
