import numpy as np, warnings
from scipy.optimize import curve_fit, least_squares
from scipy.linalg import solve_triangular, cholesky
from common import *

def f_model(k, beta, tau):
    return beta * np.exp(-2.0 * k * DT / tau)

def p0_guess(y):
    b0 = max(y[0], 1e-3)
    below = np.nonzero(y < b0 * np.exp(-1))[0]
    kstar = (below[0] + 1) if len(below) else 2 * L
    return b0, 2.0 * kstar * DT

def ok(beta, tau):
    return np.isfinite(tau) and np.isfinite(beta) and 0.01 * DT < tau < 100 * TTOT and 0 < beta < 2

def fit_cf(y, sigma=None, kk=None):
    """scipy curve_fit (LM); y = g(k)-1 on lags kk (default 1..L)"""
    kk = K if kk is None else kk
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p, _ = curve_fit(f_model, kk, y, p0=p0_guess(y), sigma=sigma,
                             absolute_sigma=sigma is not None, maxfev=2000)
        return p[0], p[1], ok(*p)
    except Exception:
        return np.nan, np.nan, False

def _jac(kk, b, lt):
    e = np.exp(-2.0 * kk * DT * np.exp(-lt))
    return np.stack([e, b * e * 2.0 * kk * DT * np.exp(-lt)], 1)   # d/dbeta, d/dlogtau

def fit_gls(y, C, start, kk=None):
    """minimise (y-f)^T C^-1 (y-f) over (beta, log tau). Returns beta, tau, ok, sigma_tau, chi2"""
    kk = K if kk is None else kk
    try:
        Lc = cholesky(C, lower=True)
    except Exception:
        return np.nan, np.nan, False, np.nan, np.nan
    Wy = solve_triangular(Lc, y, lower=True)
    Wk = lambda M: solve_triangular(Lc, M, lower=True)
    def res(th):
        return Wk(f_model(kk, th[0], np.exp(th[1]))) - Wy
    def jac(th):
        return Wk(_jac(kk, th[0], th[1]))
    b0, t0 = start
    if not (np.isfinite(b0) and np.isfinite(t0) and t0 > 0 and b0 > 0):
        b0, t0 = p0_guess(y)
    try:
        r = least_squares(res, [b0, np.log(t0)], jac=jac, method="lm", max_nfev=200)
    except Exception:
        return np.nan, np.nan, False, np.nan, np.nan
    b, tau = r.x[0], np.exp(r.x[1])
    Jw = r.jac
    try:
        cov = np.linalg.inv(Jw.T @ Jw)
        st = tau * np.sqrt(cov[1, 1])
    except Exception:
        st = np.nan
    return b, tau, (r.status > 0) and ok(b, tau), st, 2 * r.cost

def shrink_cov(Zp):
    """Zp (P,L) per-pixel influence values. Cov(ghat) estimate = S/P with Schafer-Strimmer
    shrinkage of the correlation matrix towards identity."""
    Pn = Zp.shape[0]
    Xc = Zp - Zp.mean(0)
    sd = Xc.std(0, ddof=1)
    Xs = Xc / sd
    R = Xs.T @ Xs / (Pn - 1)
    W = np.einsum("pi,pj->pij", Xs, Xs)
    varR = Pn / (Pn - 1) ** 3 * ((W - W.mean(0) * 1.0) ** 2).sum(0)
    off = ~np.eye(len(sd), dtype=bool)
    lam = np.clip(varR[off].sum() / (R[off] ** 2).sum(), 0, 1)
    Rs = (1 - lam) * R; np.fill_diagonal(Rs, 1.0)
    return Rs * np.outer(sd, sd) / Pn, lam
