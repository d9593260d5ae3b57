import numpy as np, os
from common import *
print("| beta | tau/T | dose | GLS-model 1s/2s | GLS-emp 1s/2s | QML sandwich 1s/2s | QML Fisher 1s/2s | QML median sig/tau | QML robust sd(tau^/tau) |")
print("|---|---|---|---|---|---|---|---|---|")
tot = {k: [] for k in ["g", "e", "s", "f"]}
for beta in BETAS:
    for tt in TAUS:
        for mu in DOSES:
            tau = tt * TTOT
            R = np.load(f"results/res_b{beta}_t{tt}_mu{mu}.npz")
            def cov(th, s, good):
                m = good & np.isfinite(s)
                z = np.abs(th[m] - tau) / s[m]
                return (z <= 1).mean(), (z <= 2).mean()
            cells = []
            a = cov(R["gls_model"][:, 1], R["sig"], R["gls_model"][:, 2] > 0); tot["g"].append(a)
            b = cov(R["gls_emp"][:, 1], R["sig_emp"], R["gls_emp"][:, 2] > 0); tot["e"].append(b)
            cells += [f"{a[0]:.2f}/{a[1]:.2f}", f"{b[0]:.2f}/{b[1]:.2f}"]
            fq = f"results/qml_b{beta}_t{tt}_mu{mu}.npz"
            if os.path.exists(fq):
                Q = np.load(fq); gq = Q["res"][:, 2] > 0
                c = cov(Q["res"][:, 1], Q["sig"], gq); d = cov(Q["res"][:, 1], Q["sig_fisher"], gq)
                tot["s"].append(c); tot["f"].append(d)
                q = Q["res"][gq, 1] / tau
                rsd = 1.4826 * np.median(np.abs(q - np.median(q)))
                cells += [f"{c[0]:.2f}/{c[1]:.2f}", f"{d[0]:.2f}/{d[1]:.2f}", f"{np.median(Q['sig'][gq])/tau:.3f}", f"{rsd:.3f}"]
            print(f"| {beta} | {tt} | {mu} | " + " | ".join(cells) + " |")
print("\nmean coverage (1s, 2s): " + ", ".join(f"{k}: {np.mean(v,0).round(3).tolist()}" for k, v in tot.items() if v))
