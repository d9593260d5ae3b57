"""O(L*T + L^2) evaluation of the Gaussian (Isserlis) part of Cov(ghat(k), ghat(l)), k,l = 1..L.
Prototype of the Java algorithm.  C(x) = beta r^{2|x|} + [x==0]/mu,  r = exp(-dt/tau), c_k = beta r^{2k}.
Cov_G(k,l) = [S(h1_{l-k},0) + S(h2_{k+l},k) + c_k c_l (S(C,0)+S(C,-l)+S(C,k)+S(C,k-l))] / (P n_k n_l)
with S(h,o) = sum_{t<n_k} sum_{s<n_l} h(s-t-o), evaluated with double prefix sums G of h:
S = G(n_l-1-o) - G(n_l-1-o-n_k) - G(-1-o) + G(-1-o-n_k).
"""
import numpy as np

def cov_gauss_fast(beta, tau, mu, T, L, P, dt, nonGauss=False):
    X = T + 2 * L + 2
    xs = np.arange(-X, X + 1)
    r2 = np.exp(-2 * dt / tau)
    k = np.arange(1, L + 1)
    nk = T - k
    def Cf(x):
        return beta * r2 ** np.abs(x) + (x == 0) / mu
    Cx = Cf(xs)
    # h1_d(x) = C(x) C(x+d), d = -(L-1)..(L-1);  h2_e(x) = C(x) C(x+e), e = 2..2L
    d = np.arange(-(L - 1), L)
    e = np.arange(2, 2 * L + 1)
    H1 = Cx[None, :] * Cf(xs[None, :] + d[:, None])
    H2 = Cx[None, :] * Cf(xs[None, :] + e[:, None])
    G1 = np.cumsum(np.cumsum(H1, 1), 1)
    G2 = np.cumsum(np.cumsum(H2, 1), 1)
    GC = np.cumsum(np.cumsum(Cx))
    K_, L_ = np.meshgrid(k, k, indexing="ij")
    n1 = (T - K_); n2 = (T - L_)
    def S(G, row, o):
        idx = lambda z: z + X
        if row is None:
            g = lambda z: G[idx(z)]
        else:
            g = lambda z: G[row, idx(z)]
        return g(n2 - 1 - o) - g(n2 - 1 - o - n1) - g(-1 - o) + g(-1 - o - n1)
    T1 = S(G1, (L_ - K_) + (L - 1), 0)
    T2 = S(G2, (K_ + L_) - 2, K_)
    ck = beta * r2 ** k
    T3 = S(GC, None, 0) + S(GC, None, -L_) + S(GC, None, K_) + S(GC, None, K_ - L_)
    cov = (T1 + T2 + np.outer(ck, ck) * T3) / (P * n1 * n2)
    return cov

if __name__ == "__main__":
    import time
    from common import T, L, P, DT
    from covmodel import cov_gauss, cov_exact
    for (b, tau, mu) in [(0.1, 50., 1.), (0.2, 500., 10.), (0.1, 1500., 50.), (0.2, 20000., 1.)]:
        t0 = time.time(); A = cov_gauss_fast(b, tau, mu, T, L, P, DT); t1 = time.time()
        B = cov_gauss(b, tau, mu)
        E = cov_exact(b, tau, mu)
        print(b, tau, mu, "max rel diff fast vs direct-gauss", np.abs(A - B).max() / np.abs(B).max(),
              f"time {1e3*(t1-t0):.1f} ms", "exact/gauss diag median", np.median(np.diag(E) / np.diag(A)))
