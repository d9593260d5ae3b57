import sys, numpy as np
from covmodel import build_grid
mu = float(sys.argv[1])
np.save(f"data/covgrid_mu{int(mu)}.npy", build_grid(mu).astype(np.float64))
