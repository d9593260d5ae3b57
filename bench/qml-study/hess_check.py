"""Sandwich with observed (finite-difference) Hessian of the Kalman NLL instead of the expected Fisher H,
and per-pixel scores from finite differences of per-pixel Kalman log-likelihoods (the cheap Java route)."""
import numpy as np
from common import *
from kalman_ql import nll_kalman
from ml import sigma_parts

def pixel_ll(U, D, beta, tau):
    """per-pixel Gaussian log-lik via Kalman filter (vectorised over pixels)"""
    a = np.exp(-2 * DT / tau); q = beta * (1 - a * a)
    V = beta; m = np.zeros(U.shape[0]); ll = np.zeros(U.shape[0])
    for t in range(U.shape[1]):
        F = V + D[t]; e = U[:, t] - m
        ll -= 0.5 * (np.log(F) + e * e / F)
        K = V / F; m = a * (m + K * e); V = a * a * V * (1 - K) + q
    return ll

for beta, tt, mu in [(0.1, 0.05, 1), (0.2, 0.5, 10), (0.1, 1.5, 50), (0.2, 1.0, 1)]:
    tau = tt * TTOT
    cnt = load(beta, tt)[DOSES.index(mu)]
    Q = np.load(f"results/qml_b{beta}_t{tt}_mu{mu}.npz")
    z = []; rat = []
    for i in range(100):
        if not Q["res"][i, 2] > 0: continue
        b, t = Q["res"][i, 0], Q["res"][i, 1]
        I = cnt[i].astype(float); nbar = I.mean(0); U = I / nbar - 1; D = 1 / nbar
        S = U.T @ U * P / (P - 1)
        f = lambda x: nll_kalman(S, D, np.exp(x[0]), np.exp(x[1]), P, DT)
        x0 = np.log([b, t]); h = 1e-3
        Hn = np.zeros((2, 2))
        for j in range(2):
            for k in range(2):
                ej = np.eye(2)[j] * h; ek = np.eye(2)[k] * h
                Hn[j, k] = (f(x0 + ej + ek) - f(x0 + ej - ek) - f(x0 - ej + ek) + f(x0 - ej - ek)) / (4 * h * h)
        # per-pixel scores by central differences + normalisation correction d_i = diag(Sigma^-1 dSigma_i)
        R2, dR = sigma_parts(b, t); Sig = b * R2 + np.diag(D); Si = np.linalg.inv(Sig)
        psi = []
        for j, dS in enumerate([b * R2, b * dR]):
            ej = np.eye(2)[j] * h
            sc = (pixel_ll(U, D, *np.exp(x0 + ej)) - pixel_ll(U, D, *np.exp(x0 - ej))) / (2 * h)
            psi.append(sc - U @ np.einsum("ts,st->t", Si, dS))
        B = np.cov(np.array(psi)) * P
        Hi = np.linalg.inv(Hn); V = Hi @ B @ Hi
        s = t * np.sqrt(V[1, 1]); z.append(abs(t - tau) / s); rat.append(s / Q["sig"][i])
    z = np.array(z)
    print(beta, tt, mu, f"cheap-sandwich coverage {np.mean(z<=1):.2f}/{np.mean(z<=2):.2f}  sigma ratio cheap/dense median {np.median(rat):.3f} [{np.min(rat):.3f},{np.max(rat):.3f}]", flush=True)
