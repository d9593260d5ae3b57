#!/usr/bin/env bash
# Takes fivedstem as a user does: builds this project, which imports fivedstem-bom and depends on
# fivedstem-io from the local Maven repository, and runs its Main (the README's library example on a
# simulated recording) in a JVM of its own twice, on the class path and as the named module
# org.fivedstem.consumer on the module path. Main exits 1 unless it ran where it was meant to, found the
# fivedstem version asked for, and read back from the results file what it saved.
#
#   fivedstem-examples/src/test/consumer/run.sh [MAVEN_OPTION...]      e.g. -o
#
# FIVEDSTEM_VERSION chooses the version (default: the pom's fivedstem.version); it must be installed
# (mvn install in the repository's root, or a release).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="${FIVEDSTEM_VERSION:-$(sed -n 's:.*<fivedstem.version>\(.*\)</fivedstem.version>.*:\1:p' "$here/pom.xml")}"
mvn -B -q -f "$here/pom.xml" -Dfivedstem.version="$version" "$@" clean package
path="$here/target/fivedstem-consumer-1.jar:$(cat "$here/target/runtime-classpath.txt")"
java -cp "$path" org.fivedstem.consumer.Main class-path "$version" "$here/target/maps-class-path.h5"
java --module-path "$path" --module org.fivedstem.consumer/org.fivedstem.consumer.Main \
  module-path "$version" "$here/target/maps-module-path.h5"
