#!/usr/bin/env bash
# The Spark engine in local mode against `fivedstem analyze` on the same file (docs/distributed.md,
# "Measured"): both alternated, REPEATS rounds (default 3), process wall time, the engine's own stage
# seconds (FIVEDSTEM_DEBUG) and CPU time. Needs the paper-size recording of bench/run.sh and Spark's
# jars in the local Maven repository (the build of fivedstem-spark fetches them).
#
#   bench/spark-local.sh [REPEATS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeats="${1:-3}"
file="bench/data/paper-60x60x106x66x66.h5"
[ -f "$file" ] || { echo "run bench/run.sh first: it generates $file" >&2; exit 1; }
mvn -B -q package -DskipTests -Dfivedstem.fuzz.skip=true -pl fivedstem-spark -am
cpfile="$(mktemp)"
(cd fivedstem-spark && mvn -B -q dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile="$cpfile" >/dev/null)
# the shaded jar first; fivedstem's own jars from the local repository would be stale snapshots
cp="fivedstem-spark/target/fivedstem-spark.jar:$(tr ':' '\n' < "$cpfile" | grep -v '/org/fivedstem/' | paste -sd:)"
rm -f "$cpfile"
opens=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
out="$(mktemp -d)"
cat "$file" > /dev/null   # warm page cache
for i in $(seq "$repeats"); do
  echo "round $i, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -f "analyze: wall %e s, cpu %U+%S s" env FIVEDSTEM_DEBUG=1 JAVA_OPTS=-Xmx2g \
    ./fivedstem analyze "$file" --out "$out/local.h5" --quiet 2>&1 | grep -v "^WARNING"
  /usr/bin/time -f "spark local[2]: wall %e s, cpu %U+%S s" env FIVEDSTEM_DEBUG=1 java -Xmx2g \
    --add-modules jdk.incubator.vector "${opens[@]}" -Djdk.reflect.useDirectMethodHandle=false \
    -Dio.netty.tryReflectionSetAccessible=true -Dspark.master='local[2]' -Dspark.ui.enabled=false \
    -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 -cp "$cp" org.fivedstem.spark.SparkAnalyze \
    "$file" --out "$out/spark.h5" --quiet 2> "$out/spark.log"
  grep "stage seconds\|spark local" "$out/spark.log"
  echo "SparkContext started $(grep -m1 'Running Spark version' "$out/spark.log" | cut -c10-17), first job $(grep -m1 'Starting job' "$out/spark.log" | cut -c10-17)"
done
# The two results files of the last round, dataset by dataset and attribute by attribute (h5py, when installed).
/usr/bin/python3 - "$out/local.h5" "$out/spark.h5" <<'PY' || echo "(h5py not available: files not compared)"
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
diff = []
def visit(name, obj):
    if isinstance(obj, h5py.Dataset):
        x, y = obj[()], b[name][()]
        if x.shape != y.shape or not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
            diff.append(name)
a.visititems(visit)
for k in sorted(set(a.attrs) | set(b.attrs)):
    if k in ("created", "engine"):
        continue
    x, y = a.attrs.get(k), b.attrs.get(k)
    same = (x is not None and y is not None and np.shape(x) == np.shape(y)
            and np.array_equal(np.asarray(x), np.asarray(y), equal_nan=np.asarray(x).dtype.kind == "f"))
    if not same:
        diff.append("@" + k)
print("results files: " + ("identical (every dataset, every root attribute but created and engine)" if not diff
                           else "DIFFER in " + ", ".join(diff)))
PY
rm -rf "$out"
