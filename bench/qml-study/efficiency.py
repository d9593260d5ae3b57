"""Asymptotic sd of tau-hat (delta method) for OLS(uniform, lags 1..L) vs GLS with model covariance."""
import numpy as np
from common import *
from covmodel import CovGrid
from fits import _jac
print("| beta | tau/T | dose | sd_OLS/tau | sd_GLS/tau | ratio |")
print("|---|---|---|---|---|---|")
for mu in DOSES:
    cg = CovGrid(np.load(f"data/covgrid_mu{mu}.npy"))
    for beta in BETAS:
        for tt in TAUS:
            tau = tt * TTOT
            C = cg(beta, tau); J = _jac(K, beta, np.log(tau))
            A = np.linalg.inv(J.T @ J); vo = (A @ J.T @ C @ J @ A)[1, 1]
            vg = np.linalg.inv(J.T @ np.linalg.solve(C, J))[1, 1]
            print(f"| {beta} | {tt} | {mu} | {np.sqrt(vo):.3f} | {np.sqrt(vg):.3f} | {np.sqrt(vg/vo):.2f} |")
