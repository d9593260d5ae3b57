"""Speckle simulator for 5D-STEM ECM estimator study.
Construction: each pixel = M = 1/beta independent complex Gaussian field modes
E_m(t) (unit variance, AR(1): E(t+1) = a E(t) + sqrt(1-a^2) w, a = exp(-dt/tau)),
intensity I_p(t) = (1/M) sum_m |E_m(t)|^2 (mean 1, g2-1 = (1/M) a^{2k}),
counts n_p(t) ~ Poisson(dose * I_p(t)) (instantaneous sampling, no intra-frame blur).
Same field realisation is used for the 3 doses (common random numbers).
Output: data/counts_b{beta}_t{tauT}.npz with counts[dose_index] (N,P,T) uint16.
"""
import numpy as np, sys, os
T, P, DT = 106, 220, 9.2
TTOT = T * DT
DOSES = [1, 10, 50]
TAUS = [0.05, 0.25, 0.5, 1.0, 1.5]
BETAS = [0.1, 0.2]

def sim_intensity(rng, N, beta, tau):
    M = int(round(1 / beta))
    a = np.exp(-DT / tau)
    s = np.sqrt(1 - a * a)
    shape = (N, P, M)
    E = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)
    I = np.empty((N, P, T))
    for t in range(T):
        if t:
            w = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)
            E = a * E + s * w
        I[:, :, t] = (E.real ** 2 + E.imag ** 2).mean(axis=2)
    return I

if __name__ == "__main__":
    N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    os.makedirs("data", exist_ok=True)
    for bi, beta in enumerate(BETAS):
        for ti, tt in enumerate(TAUS):
            fn = f"data/counts_b{beta}_t{tt}.npz"
            if os.path.exists(fn):
                continue
            rng = np.random.default_rng(1000 + 10 * bi + ti)
            I = sim_intensity(rng, N, beta, tt * TTOT)
            counts = np.stack([rng.poisson(d * I).astype(np.uint16) for d in DOSES])
            np.savez_compressed(fn, counts=counts, beta=beta, tauT=tt, doses=DOSES)
            print(fn, counts.shape, flush=True)
