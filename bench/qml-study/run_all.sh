#!/bin/bash
# one process per (beta, tau/T, dose): each well under 3 min CPU
cd "$(dirname "$0")"
for mu in 1 10 50; do
  while [ ! -f data/covgrid_mu$mu.npy ]; do sleep 5; done
  for b in 0.1 0.2; do for t in 0.05 0.25 0.5 1.0 1.5; do
    nice -n 10 python3 study.py $b $t $mu
  done; done
done
echo ALLDONE
