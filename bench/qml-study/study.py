import numpy as np, sys, os, time
from common import *
from fits import *
from covmodel import CovGrid

def window_fit(y, start, c, iters=4, kmin=4):
    b, t = start
    if not ok(b, t):
        b, t = p0_guess(y)
    good = False
    for _ in range(iters):
        Lw = int(np.clip(np.ceil(c * t / DT), kmin, L))
        b2, t2, good = fit_cf(y[:Lw], kk=K[:Lw])
        if not good:
            break
        b, t = b2, t2
    return b, t, good

def smooth_var(jse):
    A = np.vander(K / L, 3)
    coef, *_ = np.linalg.lstsq(A, np.log(jse ** 2), rcond=None)
    return np.exp(A @ coef)

METHODS = ["cf", "jk", "gls_model", "gls_emp", "win2", "win3", "wls_model", "wls_smoothjk"]

def run(beta, tt, only_mu=None):
    cnt = load(beta, tt)
    for di, mu in enumerate(DOSES):
        if only_mu is not None and mu != only_mu:
            continue
        fn = f"results/res_b{beta}_t{tt}_mu{mu}.npz"
        if os.path.exists(fn):
            continue
        t0 = time.time()
        cg = CovGrid(np.load(f"data/covgrid_mu{mu}.npy"))
        st = gstats(cnt[di])
        N = cnt.shape[1]
        out = {m: np.full((N, 3), np.nan) for m in METHODS}   # beta, tau, ok
        sig = np.full(N, np.nan); chi2 = np.full(N, np.nan); lam = np.full(N, np.nan)
        sig_emp = np.full(N, np.nan)
        for i in range(N):
            y = st["g"][i, K] - 1
            b, t, g = fit_cf(y); out["cf"][i] = b, t, g
            start = (b, t) if g else p0_guess(y)
            out["jk"][i] = fit_cf(y, sigma=st["jse"][i])
            # GLS with model covariance, 3 iterations
            bb, tq = start
            for it in range(3):
                C = cg(bb if ok(bb, tq) else start[0], tq if ok(bb, tq) else start[1])
                r = fit_gls(y, C, (bb, tq))
                if not r[2]:
                    break
                bb, tq = r[0], r[1]
            out["gls_model"][i] = r[0], r[1], r[2]; sig[i] = r[3]; chi2[i] = r[4]
            # GLS with empirical shrunk covariance
            Ce, lam[i] = shrink_cov(st["Z"][i].astype(float))
            r = fit_gls(y, Ce, start); out["gls_emp"][i] = r[:3]; sig_emp[i] = r[3]
            out["win2"][i] = window_fit(y, start, 2.0)
            out["win3"][i] = window_fit(y, start, 3.0)
            # WLS with model diagonal
            bb, tq = start
            for it in range(3):
                C = cg(bb, tq)
                r = fit_cf(y, sigma=np.sqrt(np.diag(C)))
                if not r[2]:
                    break
                bb, tq = r[0], r[1]
            out["wls_model"][i] = r
            out["wls_smoothjk"][i] = fit_cf(y, sigma=np.sqrt(smooth_var(st["jse"][i])))
        np.savez(fn, sig=sig, chi2=chi2, lam=lam, sig_emp=sig_emp, **out)
        print(fn, f"{time.time()-t0:.1f}s", flush=True)

if __name__ == "__main__":
    run(float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]))
