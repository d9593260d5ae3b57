import numpy as np, time
from common import *
c = load(0.1, 0.25)[1]
t0=time.time(); st = gstats(c); print(time.time()-t0)
g = st["g"]; Z = st["Z"]
print("g-1 check", np.abs(Z.mean(1) - (g[:, K]-1)).max())
tau = 0.25*TTOT
print("mean g-1 / model", ((g[:, K]-1).mean(0)/model(K,0.1,tau))[:10])
emp = g[:, K].std(0)
jk = np.median(st["jse"], 0)
zz = np.median(Z.std(1)/np.sqrt(P), 0)
print("emp sd", emp[:8]); print("jk", jk[:8]); print("infl", zz[:8])
