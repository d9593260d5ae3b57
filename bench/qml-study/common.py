import numpy as np
from sim import T, P, DT, TTOT, DOSES, TAUS, BETAS
L = 79                      # last lag with n(k) >= n(0)/4  (T-k >= T/4)
K = np.arange(1, L + 1)
NK = T - np.arange(T)       # n(k)
NFFT = 256

def load(beta, tt):
    return np.load(f"data/counts_b{beta}_t{tt}.npz")["counts"]

def acsum(X):
    """sum_t X(t) X(t+k) along last axis, k = 0..T-1"""
    F = np.fft.rfft(X, NFFT, axis=-1)
    return np.fft.irfft(F * F.conj(), NFFT, axis=-1)[..., :T]

def gstats(counts, jack=True, infl=True, chunk=25):
    """counts (N,P,T). Returns dict: g (N,T); jse (N,L) jackknife SE (10 groups);
    Z (N,P,L) per-pixel influence values for lags 1..L (mean over p = g-1)."""
    N = counts.shape[0]
    g = np.empty((N, T)); jse = np.empty((N, L)) if jack else None
    Z = np.empty((N, P, L), np.float32) if infl else None
    for s in range(0, N, chunk):
        I = counts[s:s + chunk].astype(float)
        Ib = I.mean(axis=1, keepdims=True)
        Jm = I / np.where(Ib > 0, Ib, 1)
        A = acsum(Jm)                                   # (n,P,T)
        gg = A.mean(axis=1) / NK
        g[s:s + chunk] = gg
        if infl:
            u = Jm - 1
            cs = np.concatenate([np.zeros(u.shape[:2] + (1,)), np.cumsum(u, -1)], -1)
            # sum_{t<n_k} u(t) + sum_{t<n_k} u(t+k)
            lin = cs[:, :, NK[K]] + (cs[:, :, [T]] - cs[:, :, K])
            c = (gg[:, K] - 1)[:, None, :]
            # sum_t u u' = sum (J-1)(J'-1) = A - lin - n_k ;  y_p = u u' - c (u + u')
            Z[s:s + chunk] = ((A[:, :, K] - lin - NK[K] - c * lin) / NK[K]).astype(np.float32)
        if jack:
            B = 10
            grp = np.array_split(np.arange(P), B)
            reps = []
            for r in range(B):
                keep = np.setdiff1d(np.arange(P), grp[r])
                Ir = I[:, keep]
                Ibr = Ir.mean(axis=1, keepdims=True)
                Ar = acsum(Ir / np.where(Ibr > 0, Ibr, 1))
                reps.append(Ar.mean(axis=1)[:, K] / NK[K])
            reps = np.array(reps)
            jse[s:s + chunk] = np.sqrt((B - 1) / B * ((reps - reps.mean(0)) ** 2).sum(0))
    return dict(g=g, jse=jse, Z=Z)

def model(k, beta, tau):
    return beta * np.exp(-2 * k * DT / tau)
