#!/usr/bin/python3
"""Agreement between a fivedstem results file and bench/numpy_reference.py's output.

Prints one line of key=value pairs (read by bench/run.sh):
  g_max_rel      max |g_java - g_numpy| / g_numpy over all positions and lags (eqs. 1-2)
  se_max_rel     the same for the jackknife standard errors (lags where both are finite)
  tau_median_rel median |tau_java - tau_numpy| / tau_numpy over positions both fit reliably
  tau_max_rel    the largest such difference
  reliable_java, reliable_numpy, reliable_both   counts of reliable fits
  v_max_abs      max |V_java - V_numpy| (eq. 5)
"""
import sys

import h5py
import numpy as np


def main(java_path, numpy_path):
    with h5py.File(java_path, "r") as j, h5py.File(numpy_path, "r") as n:
        gj, gn = j["curves/g"][...], n["g"][...]
        ej, en = j["curves/g_err"][...], n["g_err"][...]
        tj, tn = j["maps/tau_s"][...], n["tau_s"][...]
        okj = j["maps/fit_status"][...] == 0
        okn = n["fit_ok"][...] != 0
        vj, vn = j["maps/V"][...], n["V"][...]
    fin = np.isfinite(gj) & np.isfinite(gn)
    g_rel = np.max(np.abs(gj[fin] - gn[fin]) / np.abs(gn[fin]))
    both_se = np.isfinite(ej) & np.isfinite(en) & (en > 0)
    se_rel = np.max(np.abs(ej[both_se] - en[both_se]) / en[both_se])
    both = okj & okn
    rel = np.abs(tj[both] - tn[both]) / tn[both]
    v_fin = np.isfinite(vj) & np.isfinite(vn)
    print("g_max_rel=%.3g se_max_rel=%.3g tau_median_rel=%.3g tau_max_rel=%.3g reliable_java=%d reliable_numpy=%d "
          "reliable_both=%d v_max_abs=%.3g v_nan_mismatch=%d" % (
              g_rel, se_rel, np.median(rel), rel.max(), okj.sum(), okn.sum(), both.sum(),
              np.max(np.abs(vj[v_fin] - vn[v_fin])), np.sum(np.isfinite(vj) != np.isfinite(vn))))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: compare.py JAVA_RESULTS.h5 NUMPY_RESULTS.h5")
    main(sys.argv[1], sys.argv[2])
