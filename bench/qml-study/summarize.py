import numpy as np, os, sys
from common import *
METHODS = ["cf", "jk", "gls_model", "gls_emp", "win2", "win3", "wls_model", "wls_smoothjk"]
extra = sys.argv[1:]          # extra result-file prefixes, e.g. glsfast
def stats(tau_hat, good, tau):
    q = tau_hat[good] / tau
    return np.median(np.abs(q - 1)), np.median(q) - 1, good.mean()
rows = []
print("| beta | tau/T | dose | " + " | ".join(METHODS + extra) + " |")
print("|" + "---|" * (3 + len(METHODS) + len(extra)))
worst = {m: 0 for m in METHODS + extra}
allr = {m: [] for m in METHODS + extra}
for beta in BETAS:
    for tt in TAUS:
        for mu in DOSES:
            fn = f"results/res_b{beta}_t{tt}_mu{mu}.npz"
            if not os.path.exists(fn):
                continue
            R = dict(np.load(fn))
            for ex in extra:
                fe = f"results/{ex}_b{beta}_t{tt}_mu{mu}.npz"
                if os.path.exists(fe):
                    R[ex] = np.load(fe)["res"]
            tau = tt * TTOT
            base = stats(R["cf"][:, 1], R["cf"][:, 2] > 0, tau)[0]
            cells = []
            for m in METHODS + extra:
                if m not in R:
                    cells.append("-"); continue
                med, bias, conv = stats(R[m][:, 1], R[m][:, 2] > 0, tau)
                ratio = med / base
                worst[m] = max(worst[m], ratio); allr[m].append(ratio)
                cells.append(f"{med:.3f} ({bias:+.3f}; {conv*100:.0f}%; x{ratio:.2f})")
            print(f"| {beta} | {tt} | {mu} | " + " | ".join(cells) + " |")
print()
print("worst ratio to curve_fit per method:", {m: round(float(v), 3) for m, v in worst.items()})
print("geo-mean ratio:", {m: round(float(np.exp(np.mean(np.log(v)))), 3) for m, v in allr.items() if v})
