#!/bin/bash
cd "$(dirname "$0")"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
while ! grep -q ALLDONE run_pool.log; do sleep 5; done
for t in 1.5 1.0 0.5 0.25; do for b in 0.1 0.2; do
  nice -n 10 python3 ext_study.py $b $t 600
done; done
echo ALLDONE
