#!/bin/bash
cd "$(dirname "$0")"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
for mu in 1 10 50; do for b in 0.1 0.2; do for t in 0.05 0.25 0.5 1.0 1.5; do
  nice -n 10 python3 ml_pooled.py $b $t $mu
done; done; done
echo ALLDONE
