"""Paired bootstrap (positions resampled) 90% CI of median|tau^/tau-1| ratio method/curve_fit."""
import numpy as np, sys
from common import *
meths = sys.argv[1:] or ["gls_model", "qml"]
rng = np.random.default_rng(0)
print("| beta | tau/T | dose | " + " | ".join(f"{m} ratio [90% CI]" for m in meths) + " |")
print("|---|---|---|" + "---|" * len(meths))
for beta in BETAS:
    for tt in TAUS:
        for mu in DOSES:
            tau = tt * TTOT
            R = dict(np.load(f"results/res_b{beta}_t{tt}_mu{mu}.npz"))
            for m in meths:
                if m not in R:
                    R[m] = np.load(f"results/{m}_b{beta}_t{tt}_mu{mu}.npz")["res"]
            N = len(R["cf"])
            def med(a, idx):
                a = a[idx]; g = a[:, 2] > 0
                return np.median(np.abs(a[g, 1] / tau - 1))
            cells = []
            for m in meths:
                full = med(R[m], np.arange(N)) / med(R["cf"], np.arange(N))
                bs = []
                for _ in range(400):
                    idx = rng.integers(0, N, N)
                    bs.append(med(R[m], idx) / med(R["cf"], idx))
                lo, hi = np.percentile(bs, [5, 95])
                cells.append(f"{full:.2f} [{lo:.2f}, {hi:.2f}]")
            print(f"| {beta} | {tt} | {mu} | " + " | ".join(cells) + " |", flush=True)
