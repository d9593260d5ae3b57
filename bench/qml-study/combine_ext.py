"""Dose-1 marginal regimes: pool the 200 main + 600 extra positions; ratio to curve_fit with paired bootstrap CI."""
import numpy as np, os
from common import *
rng = np.random.default_rng(1)
print("| beta | tau/T | N | curve_fit med | GLS-model ratio [90% CI] | QML ratio [90% CI] | QML-pooled-beta ratio [90% CI] | QML conv |")
print("|---|---|---|---|---|---|---|---|")
for tt in [0.25, 0.5, 1.0, 1.5]:
    for beta in BETAS:
        fe = f"results/ext_b{beta}_t{tt}_mu1.npz"
        if not os.path.exists(fe): continue
        E = np.load(fe); R = np.load(f"results/res_b{beta}_t{tt}_mu1.npz")
        Q = np.load(f"results/qml_b{beta}_t{tt}_mu1.npz")["res"]; QP = np.load(f"results/qmlpool_b{beta}_t{tt}_mu1.npz")["res"]
        A = {"cf": np.vstack([R["cf"], E["cf"]]), "gls": np.vstack([R["gls_model"], E["gls_model"]]),
             "qml": np.vstack([Q, E["qml"]]), "pool": np.vstack([QP, E["qmlpool"]])}
        tau = tt * TTOT; N = len(A["cf"])
        med = lambda a, idx: np.median(np.abs(a[idx][a[idx][:, 2] > 0, 1] / tau - 1))
        cells = []
        for m in ["gls", "qml", "pool"]:
            full = med(A[m], np.arange(N)) / med(A["cf"], np.arange(N))
            bs = [med(A[m], i) / med(A["cf"], i) for i in (rng.integers(0, N, N) for _ in range(500))]
            lo, hi = np.percentile(bs, [5, 95]); cells.append(f"{full:.3f} [{lo:.2f}, {hi:.2f}]")
        print(f"| {beta} | {tt} | {N} | {med(A['cf'], np.arange(N)):.3f} | " + " | ".join(cells) + f" | {np.mean(A['qml'][:,2]>0)*100:.1f}% |")
