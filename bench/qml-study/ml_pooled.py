"""Two-stage QML: stage 1 per-position QML (results/qml_*), beta_pool = median of beta-hat over the
scan (here: the 200 positions of the set); stage 2 per-position QML for tau only with beta = beta_pool."""
import numpy as np, sys, os, time
from common import *
from ml import qml
def run(beta, tt, mu):
    fn = f"results/qmlpool_b{beta}_t{tt}_mu{mu}.npz"
    if os.path.exists(fn): return
    t0 = time.time()
    Q = np.load(f"results/qml_b{beta}_t{tt}_mu{mu}.npz")
    gq = Q["res"][:, 2] > 0
    bpool = np.median(Q["res"][gq, 0])
    cnt = load(beta, tt)[DOSES.index(mu)]
    N = cnt.shape[0]
    res = np.full((N, 3), np.nan); ss = np.full(N, np.nan); sf = np.full(N, np.nan)
    for i in range(N):
        I = cnt[i].astype(float); nbar = I.mean(0)
        U = I / np.where(nbar > 0, nbar, 1) - 1
        start = (bpool, Q["res"][i, 1] if gq[i] else tt * TTOT)
        b, t, gd, s1, s2 = qml(U, nbar, start, beta_fix=bpool)
        res[i] = b, t, gd; ss[i] = s1; sf[i] = s2
    np.savez(fn, res=res, sig=ss, sig_fisher=sf, bpool=bpool)
    print(fn, f"bpool={bpool:.4f}", f"{time.time()-t0:.1f}s", flush=True)
if __name__ == "__main__":
    run(float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]))
