import numpy as np, time
import study
from common import *
from covmodel import CovGrid
from fits import *
cnt = load(0.1, 0.25)[0][:20]
cg = CovGrid(np.load("data/covgrid_mu1.npy"))
from covmodel import cov_exact
C1 = cov_exact(0.13, 300., 1.); C2 = cg(0.13, 300.)
print("grid interp err", np.abs(C1-C2).max()/np.abs(C1).max())
st = gstats(cnt)
t0=time.time()
for i in range(20):
    y = st["g"][i, K]-1
    b,t,g = fit_cf(y)
    r = fit_gls(y, cg(b,t), (b,t))
    Ce, lam = shrink_cov(st["Z"][i].astype(float))
    re = fit_gls(y, Ce, (b,t))
    print(f"cf {t/(0.25*TTOT):.3f} {g} gls {r[1]/(0.25*TTOT):.3f} {r[2]} sig {r[3]/(0.25*TTOT):.3f} chi2 {r[4]:.1f} | emp {re[1]/(0.25*TTOT):.3f} lam {lam:.2f} | win2 {study.window_fit(y,(b,t),2)[1]/(0.25*TTOT):.3f}")
print(time.time()-t0)
