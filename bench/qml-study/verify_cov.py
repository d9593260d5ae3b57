import numpy as np, time, sys
from common import *
from covmodel import cov_exact
rows = []
for beta in BETAS:
    for tt in TAUS:
        cnt = load(beta, tt)
        for di, mu in enumerate(DOSES):
            g = gstats(cnt[di], jack=False, infl=False)["g"][:, K]
            E = np.cov(g.T)
            G, NG = cov_exact(beta, tt * TTOT, mu, parts=True)
            M = G + NG
            dr = np.diag(E) / np.diag(M)
            dg = np.diag(E) / np.diag(G)
            cE = E / np.sqrt(np.outer(np.diag(E), np.diag(E)))
            cM = M / np.sqrt(np.outer(np.diag(M), np.diag(M)))
            pairs = [(0, 1), (0, 9), (9, 39), (0, 78)]
            # whitened check: mean of (g-mean) M^{-1} (g-mean) should be ~L
            Lc = np.linalg.cholesky(M)
            wz = np.linalg.solve(Lc, (g - g.mean(0)).T)
            chi = (wz ** 2).sum(0).mean() / L
            print(f"b={beta} tau/T={tt} mu={mu}: diag emp/model med {np.median(dr):.3f} [k1 {dr[0]:.3f} k10 {dr[9]:.3f} k40 {dr[39]:.3f} k79 {dr[78]:.3f}]"
                  f" | emp/gauss med {np.median(dg):.3f} | corr emp/model " +
                  " ".join(f"({i+1},{j+1}) {cE[i,j]:.2f}/{cM[i,j]:.2f}" for i, j in pairs) +
                  f" | rms dcorr {np.sqrt(np.mean((cE-cM)**2)):.3f} | chi2/L {chi:.3f}", flush=True)
