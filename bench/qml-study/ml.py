"""Per-pixel Gaussian quasi-likelihood (QML) estimator on the ensemble-normalised series.
u_p(t) = J_p(t) - 1, Sigma(theta) = beta * R2 + D, R2_ij = exp(-2|i-j| dt / tau),
D = diag(1/nbar(t)) (Poisson shot noise of the normalised counts)  [variant 'free': D = s I, s fitted].
l(theta) = -(P/2) log|Sigma| - (1/2) tr(Sigma^-1 S),  S = P/(P-1) sum_p u_p u_p^T.
Errors: sandwich H^-1 B H^-1 with per-pixel influence psi_p = 1/2 u^T A u - d.u (A = S^-1 dS S^-1, d = diag(Sigma^-1 dSigma)).
"""
import numpy as np, sys, os, time, warnings
from scipy.optimize import minimize
from scipy.linalg import cho_factor, cho_solve
from common import *
from fits import fit_cf, p0_guess, ok

tt_idx = np.arange(T)
LAGM = np.abs(tt_idx[:, None] - tt_idx[None, :]).astype(float)

def sigma_parts(beta, tau):
    R2 = np.exp(-2 * LAGM * DT / tau)
    return R2, R2 * (2 * LAGM * DT / tau)       # R2, dR2/dlog tau

def qml(U, nbar, start, free=False, beta_fix=None):
    Pn = U.shape[0]
    S = U.T @ U * (Pn / (Pn - 1))
    Dfix = 1.0 / nbar
    def unpack(x):
        b, t = np.exp(x[0]), np.exp(x[1])
        D = np.full(T, np.exp(x[2])) if free else Dfix
        return b, t, D
    def nll(x):
        b, t, D = unpack(x)
        R2, dR = sigma_parts(b, t)
        Sig = b * R2 + np.diag(D)
        try:
            cf = cho_factor(Sig, lower=True)
        except Exception:
            return 1e300, np.zeros(len(x))
        Si = cho_solve(cf, np.eye(T))
        logdet = 2 * np.log(np.diag(cf[0])).sum()
        f = 0.5 * Pn * logdet + 0.5 * np.sum(Si * S)
        # gradient: d f = 1/2 tr[(P Si - Si S Si) dSig]
        G = Pn * Si - Si @ S @ Si
        gr = [0.5 * np.sum(G * (b * R2)), 0.5 * np.sum(G * (b * dR))]
        if free:
            gr.append(0.5 * np.trace(G) * np.exp(x[2]))
        return f, np.array(gr)
    b0, t0 = start
    if beta_fix is not None:
        b0 = beta_fix
    x0 = [np.log(max(b0, 1e-3)), np.log(t0)] + ([np.log(Dfix.mean())] if free else [])
    bb = (np.log(1e-4), np.log(2.0)) if beta_fix is None else (np.log(beta_fix), np.log(beta_fix))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = minimize(nll, x0, jac=True, method="L-BFGS-B",
                     bounds=[bb, (np.log(0.05 * DT), np.log(200 * TTOT))] + ([(-10, 5)] if free else []))
    b, t, D = unpack(r.x)
    # sandwich errors for (log beta, log tau)
    R2, dR = sigma_parts(b, t)
    Sig = b * R2 + np.diag(D)
    Si = np.linalg.inv(Sig)
    dS = [b * R2, b * dR]
    M = [Si @ d for d in dS]
    H = np.array([[0.5 * Pn * np.sum(M[i] * M[j].T) for j in range(2)] for i in range(2)])
    psi = []
    for i in range(2):
        A = M[i] @ Si
        dd = np.diag(M[i] @ Sig) if False else np.diag(Si @ dS[i] @ Si @ Sig)
        psi.append(0.5 * np.einsum("pt,ts,ps->p", U, A, U) - U @ dd)
    psi = np.array(psi).T
    B = np.cov(psi.T) * Pn
    try:
        Hi = np.linalg.inv(H)
        V = Hi @ B @ Hi
        sig_sand = t * np.sqrt(V[1, 1]); sig_fish = t * np.sqrt(Hi[1, 1])
        if beta_fix is not None:
            sig_sand = t * np.sqrt(B[1, 1]) / H[1, 1]; sig_fish = t / np.sqrt(H[1, 1])
    except Exception:
        sig_sand = sig_fish = np.nan
    good = r.success and ok(b, t) and t < 199 * TTOT and (b > 1.01e-4 or beta_fix is not None)
    return b, t, good, sig_sand, sig_fish

def run(beta, tt, mu, free):
    name = "qmlfree" if free else "qml"
    fn = f"results/{name}_b{beta}_t{tt}_mu{mu}.npz"
    if os.path.exists(fn):
        return
    t0 = time.time()
    cnt = load(beta, tt)[DOSES.index(mu)]
    N = cnt.shape[0]
    res = np.full((N, 3), np.nan); ss = np.full(N, np.nan); sf = np.full(N, np.nan)
    for i in range(N):
        I = cnt[i].astype(float)
        nbar = I.mean(0)
        U = I / np.where(nbar > 0, nbar, 1) - 1
        g = (U.T @ U)  # for start: ghat via cf
        ac = np.array([np.trace(g, k) for k in range(1, L + 1)]) / (P * NK[K])
        b, t, okk = fit_cf(ac)
        start = (b, t) if okk else p0_guess(ac)
        b, t, gd, s1, s2 = qml(U, nbar, start, free)
        res[i] = b, t, gd; ss[i] = s1; sf[i] = s2
    np.savez(fn, res=res, sig=ss, sig_fisher=sf)
    print(fn, f"{time.time()-t0:.1f}s", flush=True)

if __name__ == "__main__":
    run(float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "free")
