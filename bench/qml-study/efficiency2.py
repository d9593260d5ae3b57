import numpy as np
from common import *
from covmodel2 import LagCov
from fits import _jac
sets = {"1..79": np.arange(1, 80), "0..79": np.arange(0, 80), "1..104": np.arange(1, 105), "0..104": np.arange(0, 105)}
lc = {n: LagCov(s) for n, s in sets.items()}
print("| beta | tau/T | dose | sd_OLS(1..79) | " + " | ".join(f"GLS {n} ratio" for n in sets) + " |")
print("|---|---|---|---|" + "---|" * len(sets))
for mu in DOSES:
    for beta in BETAS:
        for tt in TAUS:
            tau = tt * TTOT
            cells = []
            for n, s in sets.items():
                C = lc[n](beta, tau, mu); J = _jac(s, beta, np.log(tau))
                # lag 0 of model: g0-1 = beta  (f(0)=beta) -> same jacobian formula works
                vg = np.linalg.inv(J.T @ np.linalg.solve(C, J))[1, 1]
                if n == "1..79":
                    A = np.linalg.inv(J.T @ J); vo = (A @ J.T @ C @ J @ A)[1, 1]
                cells.append(f"{np.sqrt(vg/vo):.2f}")
            print(f"| {beta} | {tt} | {mu} | {np.sqrt(vo):.3f} | " + " | ".join(cells) + " |", flush=True)
