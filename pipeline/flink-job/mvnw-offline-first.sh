#!/usr/bin/env bash
# Runs Maven on this project offline first (everything resolved by an earlier run is in ~/.m2), and online
# only when the offline run failed for want of an artifact. Java 17 is preferred over any other JDK on PATH.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi
log="$(mktemp -t chargeback-flink-mvn.XXXXXX)"
trap 'rm -f "$log"' EXIT
if mvn -o -B -Dstyle.color=never -f "$here/pom.xml" "$@" 2>&1 | tee "$log"; then
  exit 0
fi
if grep -qE "offline mode|has not been downloaded|Could not resolve|could not be resolved|Cannot access" "$log"; then
  echo "flink-job: some artifacts are not in ~/.m2 yet; resolving them online (Maven Central)" >&2
  mvn -B -Dstyle.color=never -f "$here/pom.xml" "$@"
  exit $?
fi
exit 1
