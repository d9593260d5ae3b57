"""Does the ensemble-normalisation correction term in the per-pixel QML influence matter for the sandwich?"""
import numpy as np, sys
from common import *
from ml import sigma_parts
for beta, tt, mu in [(0.1, 0.05, 1), (0.2, 0.5, 10), (0.1, 1.5, 50), (0.2, 1.0, 1)]:
    tau = tt * TTOT
    cnt = load(beta, tt)[DOSES.index(mu)]
    Q = np.load(f"results/qml_b{beta}_t{tt}_mu{mu}.npz")["res"]
    z = {"with": [], "without": [], "fisher": []}
    for i in range(200):
        if not Q[i, 2] > 0: continue
        b, t = Q[i, 0], Q[i, 1]
        I = cnt[i].astype(float); nbar = I.mean(0); U = I / nbar - 1
        R2, dR = sigma_parts(b, t); Sig = b * R2 + np.diag(1 / nbar); Si = np.linalg.inv(Sig)
        dS = [b * R2, b * dR]; Mm = [Si @ d for d in dS]
        H = np.array([[0.5 * P * np.sum(Mm[i_] * Mm[j].T) for j in range(2)] for i_ in range(2)])
        Hi = np.linalg.inv(H)
        for key in ["with", "without"]:
            psi = []
            for k in range(2):
                A = Mm[k] @ Si
                q = 0.5 * ((U @ A) * U).sum(1)
                if key == "with":
                    q = q - U @ np.diag(Mm[k])
                psi.append(q)
            B = np.cov(np.array(psi)) * P
            V = Hi @ B @ Hi
            z[key].append(abs(t - tau) / (t * np.sqrt(V[1, 1])))
        z["fisher"].append(abs(t - tau) / (t * np.sqrt(Hi[1, 1])))
    print(beta, tt, mu, " ".join(f"{k}: {np.mean(np.array(v)<=1):.2f}/{np.mean(np.array(v)<=2):.2f}" for k, v in z.items()))
