"""Exact (leading order 1/P) model covariance for an arbitrary lag set including lag 0.
Lag 0 uses the shot-noise-corrected (factorial-moment) estimator
   g0 = (1/T) sum_t [ (1/P) sum_p J_p(t)^2 - 1/nbar(t) ],  E g0 = 1 + beta,
whose per-pixel influence is y = u_t^2 - 2 c0 u_t with c0 = beta + 1/(2 mu)."""
import numpy as np, itertools
from common import T, P, DT

class LagCov:
    def __init__(self, lags):
        lags = np.asarray(lags); self.lags = lags
        nl = len(lags); NK = T - lags
        k = lags[:, None, None]; l = lags[None, :, None]
        D = np.arange(-(T - 1), T)[None, None, :]
        nk = NK[:, None, None]; nn = NK[None, :, None]
        M = np.clip(np.minimum(nk, nn - D) - np.maximum(0, -D), 0, None)
        sel = M > 0
        shp = M.shape
        self.a = np.zeros(sel.sum(), int); self.b = np.broadcast_to(k, shp)[sel]
        self.c = np.broadcast_to(D, shp)[sel]; self.d = self.c + np.broadcast_to(l, shp)[sel]
        self.kk = self.b.copy(); self.ll = np.broadcast_to(l, shp)[sel]
        self.w = (M / (nk * nn))[sel]; self.idx = np.nonzero(sel); self.shape = shp

    def __call__(self, beta, tau, mu):
        r = np.exp(-DT / tau); rtab = r ** np.arange(2 * T + 2)
        rho = lambda x, y: rtab[np.abs(x - y)]
        eq = lambda x, y: (x == y)
        k2I = lambda x, y: beta * rho(x, y) ** 2
        k3I = lambda x, y, z: 2 * beta ** 2 * rho(x, y) * rho(y, z) * rho(z, x)
        def k4I(w, x, y, z):
            return 2 * beta ** 3 * (rho(w, x) * rho(x, y) * rho(y, z) * rho(z, w)
                                    + rho(w, x) * rho(x, z) * rho(z, y) * rho(y, w)
                                    + rho(w, y) * rho(y, x) * rho(x, z) * rho(z, w))
        C = lambda x, y: k2I(x, y) + eq(x, y) / mu
        def k3u(x, y, z):
            return (k3I(x, y, z) + (eq(x, y) * k2I(x, z) + eq(x, z) * k2I(x, y) + eq(y, z) * k2I(x, y)) / mu
                    + (eq(x, y) & eq(y, z)) / mu ** 2)
        def k4u(a, b, c, d):
            v = [a, b, c, d]; out = k4I(a, b, c, d)
            for i, j in itertools.combinations(range(4), 2):
                o = [v[m] for m in range(4) if m not in (i, j)]
                out = out + eq(v[i], v[j]) * k3I(v[i], o[0], o[1]) / mu
            for (i, j), (m, n) in [((0, 1), (2, 3)), ((0, 2), (1, 3)), ((0, 3), (1, 2))]:
                out = out + (eq(v[i], v[j]) & eq(v[m], v[n])) * k2I(v[i], v[m]) / mu ** 2
            for n in range(4):
                o = [v[m] for m in range(4) if m != n]
                out = out + (eq(o[0], o[1]) & eq(o[1], o[2])) * k2I(o[0], v[n]) / mu ** 2
            return out + (eq(a, b) & eq(b, c) & eq(c, d)) / mu ** 3
        a, b, c, d = self.a, self.b, self.c, self.d
        cf = lambda kk: np.where(kk == 0, beta + 0.5 / mu, beta * rtab[2 * kk])
        cab = cf(self.kk); ccd = cf(self.ll)
        F = (k4u(a, b, c, d) + C(a, c) * C(b, d) + C(a, d) * C(b, c)
             - ccd * (k3u(a, b, c) + k3u(a, b, d)) - cab * (k3u(a, c, d) + k3u(b, c, d))
             + cab * ccd * (C(a, c) + C(a, d) + C(b, c) + C(b, d)))
        out = np.zeros(self.shape); out[self.idx] = self.w * F
        return out.sum(-1) / P
