#!/usr/bin/env bash
# The fivedstem benchmark (issue 7): analysis of the paper-size recording against the plain-read
# floor and a NumPy/SciPy implementation of the same equations.
#
#   bench/run.sh [REPEATS]        (default 3; each timing is repeated, best and median reported;
#                                  NUMPY_REPEATS, default 1, for the slow NumPy runs; COLD=1 adds
#                                  one cold-page-cache read and analysis, as root)
#
# Generates bench/data/paper-60x60x106x66x66.h5 (3.3 GB: 60×60 scan × 106 frames × 66×66 uint16,
# `fivedstem simulate --seed 1`) once and keeps it (bench/data/ is git-ignored), then reports:
#   plain read    `cat FILE > /dev/null` with a warm page cache — the floor for any reader
#   fivedstem     `fivedstem analyze` with JAVA_OPTS=-Xmx512m (the issue's memory requirement),
#                 process wall time (JVM start and results file included) and the engine's own time
#   numpy (fft)   bench/numpy_reference.py, g by zero-padded FFTs as docs/dynamics.md describes
#   numpy (BLAS)  the same with g's sums from the two-time matrix J·Jᵀ (the fastest NumPy route)
# and the agreement of the Java and NumPy τ, V and g maps (bench/compare.py; NumPy has the
# frame-block jackknife SE, so it is compared with an analyze run under --stderr frame-blocks).
# Then a long series (10×10 × 4096 frames, generated once as bench/data/long-…h5): engine cost per
# pattern against the paper-size file's, and both runs' peak resident memory (anonymous and
# file-backed apart).
# NumPy/SciPy/h5py come from Debian (python3-numpy, python3-scipy, python3-h5py); installed with
# apt-get when missing. Not part of CI. The machine should be otherwise idle for meaningful numbers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
repeats="${1:-3}"
data="$here/data"
rec="$data/paper-60x60x106x66x66.h5"
py=/usr/bin/python3
mkdir -p "$data"

if ! "$py" -c 'import numpy, scipy, h5py' 2>/dev/null; then
  echo "bench: installing python3-numpy python3-scipy python3-h5py with apt-get" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y python3-numpy python3-scipy python3-h5py >&2
fi

"$root/fivedstem" --version >/dev/null   # builds the jar if needed, outside the timings

if [ ! -f "$rec" ]; then
  echo "bench: generating $rec once (several minutes) ..." >&2
  start=$(date +%s)
  "$root/fivedstem" simulate --out "$rec" --seed 1 --silent
  echo "bench: generated in $(( $(date +%s) - start )) s" >&2
fi
bytes=$(stat -c %s "$rec")

now() { date +%s.%N; }
# best and median of a list of seconds
stats() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.2f %.2f", a[1], a[int((NR+1)/2)]}'; }

cat "$rec" > /dev/null   # warm the page cache

read_t=(); java_t=(); java_cpu=(); engine_t=(); np_fft_t=(); np_blas_t=()
for ((i = 1; i <= repeats; i++)); do
  s=$(now); cat "$rec" > /dev/null; e=$(now)
  read_t+=("$(echo "$e - $s" | bc -l)")

  s=$(now)
  line=$(JAVA_OPTS="${JAVA_OPTS:--Xmx512m}" /usr/bin/time -f "cpu %U %S" -o "$data/java-time.txt" \
    "$root/fivedstem" analyze "$rec" --out "$data/java-results.h5")
  e=$(now)
  java_cpu+=("$(awk '/^cpu/ {print $2 + $3}' "$data/java-time.txt")")
  java_t+=("$(echo "$e - $s" | bc -l)")
  engine_t+=("$(echo "$line" | sed -E 's/.*, ([0-9.]+) s, [0-9.]+ GB\/s$/\1/')")
  echo "bench: $line" >&2
done
# NumPy is slow: one run unless NUMPY_REPEATS says otherwise.
np_repeats="${NUMPY_REPEATS:-1}"
for ((i = 1; i <= np_repeats; i++)); do
  s=$(now); "$py" "$here/numpy_reference.py" "$rec" --out "$data/numpy-fft.h5" --g-method fft >&2; e=$(now)
  np_fft_t+=("$(echo "$e - $s" | bc -l)")
  s=$(now); "$py" "$here/numpy_reference.py" "$rec" --out "$data/numpy-blas.h5" --g-method matmul >&2; e=$(now)
  np_blas_t+=("$(echo "$e - $s" | bc -l)")
done
# The timed runs use analyze's default standard errors (pixel-group jackknife); numpy_reference.py
# implements the frame-block jackknife, whose SEs also weight the fits, so the agreement check
# compares NumPy with one untimed run under --stderr frame-blocks.
JAVA_OPTS="${JAVA_OPTS:--Xmx512m}" "$root/fivedstem" analyze "$rec" --out "$data/java-frame-blocks.h5" \
  --stderr frame-blocks --silent
agree=$("$py" "$here/compare.py" "$data/java-frame-blocks.h5" "$data/numpy-fft.h5")

read -r rb rm <<<"$(stats "${read_t[@]}")"
read -r jb jm <<<"$(stats "${java_t[@]}")"
read -r eb em <<<"$(stats "${engine_t[@]}")"
read -r cb cm <<<"$(stats "${java_cpu[@]}")"
read -r fb fm <<<"$(stats "${np_fft_t[@]}")"
read -r bb bm <<<"$(stats "${np_blas_t[@]}")"
gbs() { echo "scale=2; $bytes / $1 / 1000000000" | bc -l; }
ratio() { echo "scale=1; $1 / $2" | bc -l; }

echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
  "$(awk '/MemTotal/ {printf "%.0f GB", $2/1e6}' /proc/meminfo) RAM, $(java -version 2>&1 | head -1)," \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Recording: $rec, $(echo "scale=2; $bytes / 1000000000" | bc -l) GB; $repeats runs (NumPy $np_repeats), best / median"
echo
echo "| | wall time (s), best / median | GB/s (best) | × plain read (best) |"
echo "|---|---|---|---|"
echo "| plain read (cat, warm cache) | $rb / $rm | $(gbs "$rb") | 1.0 |"
echo "| fivedstem analyze, -Xmx512m (process) | $jb / $jm | $(gbs "$jb") | $(ratio "$jb" "$rb") |"
echo "| fivedstem engine (pass + fits + statistics) | $eb / $em | $(gbs "$eb") | $(ratio "$eb" "$rb") |"
echo "| fivedstem analyze: CPU time (user + sys), both cores | $cb / $cm | | |"
echo "| NumPy/SciPy, g by FFT | $fb / $fm | $(gbs "$fb") | $(ratio "$fb" "$rb") |"
echo "| NumPy/SciPy, g by BLAS (J·Jᵀ) | $bb / $bm | $(gbs "$bb") | $(ratio "$bb" "$rb") |"
echo
echo "fivedstem vs NumPy (process best): $(ratio "$fb" "$jb")× faster than the FFT route, $(ratio "$bb" "$jb")× than the BLAS route"
echo "Agreement Java vs NumPy: $agree"

# Long series (issue 17): the same analysis on 10×10 positions × 4096 frames (3.6 GB, 0.25 s frames,
# τ ≈ 300 s), which the defaults correlate by the multi-tau route. Reported per pattern (engine
# seconds / (positions × frames)) beside the paper-size file's, with peak resident memory split into
# file-backed (the memory-mapped recording, reclaimable page cache) and anonymous (heap and native).
long_rec="$data/long-10x10x4096x66x66.h5"
if [ ! -f "$long_rec" ]; then
  echo "bench: generating $long_rec once (a few minutes) ..." >&2
  "$root/fivedstem" simulate --out "$long_rec" --scan 10,10 --frames 4096 --frame-interval 0.25 --tau-median 300 \
    --seed 2 --silent
fi
# peak VmRSS, RssAnon and RssFile (kB) of a command, sampled every 50 ms
peak_rss() {
  "$@" & local pid=$! rss=0 anon=0 file=0 r a f
  while kill -0 "$pid" 2>/dev/null; do
    read -r r a f < <(awk '/^VmRSS/ {r=$2} /^RssAnon/ {a=$2} /^RssFile/ {f=$2} END {print r+0, a+0, f+0}' \
      "/proc/$pid/status" 2>/dev/null || echo "0 0 0")
    [ "${r:-0}" -gt "$rss" ] && rss=$r; [ "${a:-0}" -gt "$anon" ] && anon=$a; [ "${f:-0}" -gt "$file" ] && file=$f
    sleep 0.05
  done
  wait "$pid"
  echo "$rss $anon $file"
}
cat "$long_rec" > /dev/null
long_t=()
for ((i = 1; i <= repeats; i++)); do
  line=$(JAVA_OPTS="${JAVA_OPTS:--Xmx512m}" "$root/fivedstem" analyze "$long_rec" --out "$data/java-long.h5")
  long_t+=("$(echo "$line" | sed -E 's/.*, ([0-9.]+) s, [0-9.]+ GB\/s$/\1/')")
  echo "bench: $line" >&2
done
read -r lb lm <<<"$(stats "${long_t[@]}")"
read -r rss_paper anon_paper file_paper <<<"$(JAVA_OPTS="${JAVA_OPTS:--Xmx512m}" peak_rss "$root/fivedstem" analyze "$rec" \
  --out "$data/java-results.h5" --silent)"
read -r rss_long anon_long file_long <<<"$(JAVA_OPTS="${JAVA_OPTS:--Xmx512m}" peak_rss "$root/fivedstem" analyze "$long_rec" \
  --out "$data/java-long.h5" --silent)"
per_pattern() { echo "scale=2; $1 * 1000000 / $2" | bc -l; }
paper_patterns=$((60 * 60 * 106)); long_patterns=$((10 * 10 * 4096))
pp=$(per_pattern "$eb" "$paper_patterns"); lp=$(per_pattern "$lb" "$long_patterns")
echo
echo "| long series (engine, best / median) | s | µs per pattern (best) | × T = 106 | peak RSS / anonymous / file-backed (MB) |"
echo "|---|---|---|---|---|"
echo "| T = 106, 60×60 (paper size) | $eb / $em | $pp | 1.0 | $((rss_paper / 1024)) / $((anon_paper / 1024)) / $((file_paper / 1024)) |"
echo "| T = 4096, 10×10 | $lb / $lm | $lp | $(ratio "$lp" "$pp") | $((rss_long / 1024)) / $((anon_long / 1024)) / $((file_long / 1024)) |"

# Cold cache (COLD=1, needs root for /proc/sys/vm/drop_caches): what a first analysis of a fresh
# recording sees. Recordings larger than RAM are always read cold.
if [ "${COLD:-0}" = 1 ]; then
  if [ -w /proc/sys/vm/drop_caches ]; then
    sync; echo 1 > /proc/sys/vm/drop_caches
    s=$(now); cat "$rec" > /dev/null; e=$(now); cold_read=$(echo "$e - $s" | bc -l)
    sync; echo 1 > /proc/sys/vm/drop_caches
    s=$(now)
    JAVA_OPTS="${JAVA_OPTS:--Xmx512m}" "$root/fivedstem" analyze "$rec" --out "$data/java-results.h5" --silent
    e=$(now); cold_java=$(echo "$e - $s" | bc -l)
    echo
    echo "| cold page cache (one run each) | wall time (s) | GB/s | × plain read |"
    echo "|---|---|---|---|"
    echo "| plain read (cat) | $(printf %.2f "$cold_read") | $(gbs "$cold_read") | 1.0 |"
    echo "| fivedstem analyze, -Xmx512m (process) | $(printf %.2f "$cold_java") | $(gbs "$cold_java") | $(ratio "$cold_java" "$cold_read") |"
  else
    echo "bench: COLD=1 needs write access to /proc/sys/vm/drop_caches (root); skipped" >&2
  fi
fi
