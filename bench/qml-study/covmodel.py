"""Model covariance of the ensemble-normalised g(k), leading order in 1/P.
ghat(k)-1 ~= (1/P) sum_p (1/n_k) sum_t y_p(t,t+k),  y = u_a u_b - c_ab (u_a + u_b),
u = n/mu - 1 (per pixel), c_ab = beta rho^2(b-a).  Cov(y_ab, y_cd) from Cox/Isserlis cumulants.
"""
import numpy as np
from common import T, P, DT, L, K, NK

_k = K[:, None, None].astype(float); _l = K[None, :, None].astype(float)
_D = np.arange(-(T - 1), T)[None, None, :].astype(float)
_nk = NK[K][:, None, None].astype(float); _nl = NK[K][None, :, None].astype(float)
MULT = np.clip(np.minimum(_nk, _nl - _D) - np.maximum(0, -_D), 0, None)
# restrict to (k,l,D) with nonzero multiplicity to save time
_sel = MULT > 0
TA = np.zeros(_sel.sum(), int); TB = np.broadcast_to(_k, MULT.shape)[_sel].astype(int)
TC = np.broadcast_to(_D, MULT.shape)[_sel].astype(int); TD = (TC + np.broadcast_to(_l, MULT.shape)[_sel]).astype(int)
KK = TB.copy(); LL = np.broadcast_to(_l, MULT.shape)[_sel].astype(int)
W = (MULT / (_nk * _nl))[_sel]
IDX = np.nonzero(_sel)

def _sum(F):
    out = np.zeros(MULT.shape)
    out[IDX] = W * F
    return out.sum(-1) / P

def cov_exact(beta, tau, mu, parts=False):
    r = np.exp(-DT / tau)
    rtab = r ** np.arange(2 * T + 2)
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
                + eq(x, y) * eq(y, z) / mu ** 2)
    def k4u(a, b, c, d):
        v = [a, b, c, d]
        out = k4I(a, b, c, d)
        import itertools
        for i, j in itertools.combinations(range(4), 2):          # one merged pair
            o = [v[m] for m in range(4) if m not in (i, j)]
            out = out + eq(v[i], v[j]) * k3I(v[i], o[0], o[1]) / mu
        for (i, j), (m, n) in [((0, 1), (2, 3)), ((0, 2), (1, 3)), ((0, 3), (1, 2))]:
            out = out + eq(v[i], v[j]) * eq(v[m], v[n]) * k2I(v[i], v[m]) / mu ** 2
        for n in range(4):                                         # triple + single
            o = [v[m] for m in range(4) if m != n]
            out = out + eq(o[0], o[1]) * eq(o[1], o[2]) * k2I(o[0], v[n]) / mu ** 2
        out = out + eq(a, b) * eq(b, c) * eq(c, d) / mu ** 3
        return out
    a, b, c, d = TA, TB, TC, TD
    cab = beta * rtab[2 * KK]; ccd = beta * rtab[2 * LL]
    FG = C(a, c) * C(b, d) + C(a, d) * C(b, c) + cab * ccd * (C(a, c) + C(a, d) + C(b, c) + C(b, d))
    FN = k4u(a, b, c, d) - ccd * (k3u(a, b, c) + k3u(a, b, d)) - cab * (k3u(a, c, d) + k3u(b, c, d))
    if parts:
        return _sum(FG), _sum(FN)
    return _sum(FG + FN)

def cov_gauss(beta, tau, mu):
    return cov_exact(beta, tau, mu, parts=True)[0]

# ---- grid cache: Cov = sum_{i=0..3} beta^i A_i(log tau; mu) ----
LOGTAU_GRID = np.linspace(np.log(0.3 * DT), np.log(20 * T * DT), 40)
_BV = np.array([0.05, 0.1, 0.2, 0.4])

def build_grid(mu, gauss_only=False):
    V = np.vander(_BV, 4, increasing=True)          # rows beta^0..3
    Vi = np.linalg.inv(V)
    A = np.empty((len(LOGTAU_GRID), 4, L, L))
    for j, lt in enumerate(LOGTAU_GRID):
        vals = np.array([(cov_gauss if gauss_only else cov_exact)(b, np.exp(lt), mu) for b in _BV])
        A[j] = np.tensordot(Vi, vals, axes=(1, 0))
    return A

class CovGrid:
    def __init__(self, A):
        self.A = A
    def __call__(self, beta, tau):
        x = np.clip(np.log(tau), LOGTAU_GRID[0], LOGTAU_GRID[-1])
        j = min(np.searchsorted(LOGTAU_GRID, x) - 1, len(LOGTAU_GRID) - 2); j = max(j, 0)
        w = (x - LOGTAU_GRID[j]) / (LOGTAU_GRID[j + 1] - LOGTAU_GRID[j])
        Ai = (1 - w) * self.A[j] + w * self.A[j + 1]
        b = max(beta, 1e-3)
        return Ai[0] + b * Ai[1] + b * b * Ai[2] + b ** 3 * Ai[3]
