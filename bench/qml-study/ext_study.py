"""Extra positions (independent seed) for the marginal dose-1 regimes: cf, gls_model, qml, qmlpool."""
import numpy as np, sys, os, time
from common import *
from sim import sim_intensity
from fits import fit_cf, fit_gls, p0_guess, ok
from covmodel import CovGrid
from ml import qml
beta, tt, N = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
mu = 1
fn = f"results/ext_b{beta}_t{tt}_mu{mu}.npz"
t0 = time.time()
rng = np.random.default_rng(777 + int(100 * tt) + int(1000 * beta))
cnt = rng.poisson(mu * sim_intensity(rng, N, beta, tt * TTOT)).astype(np.uint16)
st = gstats(cnt, jack=False, infl=False)
cg = CovGrid(np.load(f"data/covgrid_mu{mu}.npy"))
out = {m: np.full((N, 3), np.nan) for m in ["cf", "gls_model", "qml", "qmlpool"]}
sigq = np.full(N, np.nan)
for i in range(N):
    y = st["g"][i, K] - 1
    b, t, g = fit_cf(y); out["cf"][i] = b, t, g
    start = (b, t) if g else p0_guess(y)
    bb, tq = start
    for it in range(3):
        r = fit_gls(y, cg(bb, tq), (bb, tq))
        if not r[2]: break
        bb, tq = r[0], r[1]
    out["gls_model"][i] = r[:3]
    I = cnt[i].astype(float); nbar = I.mean(0); U = I / np.where(nbar > 0, nbar, 1) - 1
    q = qml(U, nbar, start); out["qml"][i] = q[:3]; sigq[i] = q[3]
gq = out["qml"][:, 2] > 0
bpool = np.median(out["qml"][gq, 0])
for i in range(N):
    I = cnt[i].astype(float); nbar = I.mean(0); U = I / np.where(nbar > 0, nbar, 1) - 1
    q = qml(U, nbar, (bpool, out["qml"][i, 1] if gq[i] else tt * TTOT), beta_fix=bpool)
    out["qmlpool"][i] = q[:3]
np.savez(fn, sigq=sigq, bpool=bpool, **out)
tau = tt * TTOT
base = np.median(np.abs(out["cf"][out["cf"][:, 2] > 0, 1] / tau - 1))
print(fn, f"{time.time()-t0:.0f}s", " ".join(f"{m}: {np.median(np.abs(a[a[:,2]>0,1]/tau-1))/base:.3f} conv {np.mean(a[:,2]>0):.3f}" for m, a in out.items()), flush=True)
