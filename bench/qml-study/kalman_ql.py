"""O(T^2)-per-evaluation quasi-likelihood via a Kalman filter run on the pixel-summed
second-moment matrix S (prototype of the Java algorithm).
State x_t (intensity fluctuation), x_{t+1} = a x_t + w, a = exp(-2 dt/tau), Var x = beta;
observation u_t = x_t + eps_t, Var eps_t = D_t = 1/nbar(t).
NLL(beta,tau) = 1/2 sum_t [ P log F_t + E2_t / F_t ],  E2_t = sum_p e_{p,t}^2 = S_tt - 2 N_t(t) + M_t."""
import numpy as np

def nll_kalman(S, D, beta, tau, P, dt):
    T = len(D)
    a = np.exp(-2 * dt / tau)
    V = beta; M = 0.0; N = np.zeros(T); f = 0.0
    q = beta * (1 - a * a)
    for t in range(T):
        F = V + D[t]
        E2 = S[t, t] - 2 * N[t] + M
        f += 0.5 * (P * np.log(F) + E2 / F)
        K = V / F
        al = a * (1 - K); ga = a * K
        M = al * al * M + 2 * al * ga * N[t] + ga * ga * S[t, t]
        N[t + 1:] = al * N[t + 1:] + ga * S[t, t + 1:]
        V = a * a * V * (1 - K) + q
    return f

if __name__ == "__main__":
    from common import *
    cnt = load(0.2, 0.5)[0][:3]
    for i in range(3):
        I = cnt[i].astype(float); nbar = I.mean(0); U = I / nbar - 1
        S = U.T @ U * P / (P - 1)
        for (b, tau) in [(0.2, 400.), (0.15, 1000.)]:
            Sig = b * np.exp(-2 * np.abs(np.subtract.outer(np.arange(T), np.arange(T))) * DT / tau) + np.diag(1 / nbar)
            sgn, ld = np.linalg.slogdet(Sig)
            dense = 0.5 * P * ld + 0.5 * np.sum(np.linalg.inv(Sig) * S)
            print(f"dense {dense:.6f} kalman {nll_kalman(S, 1/nbar, b, tau, P, DT):.6f}")
