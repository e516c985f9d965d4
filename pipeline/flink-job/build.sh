#!/usr/bin/env bash
# Builds the deployable Flink job JAR (npm run build:flink):
#   pipeline/flink-job/target/chargeback-flink-job.jar   shaded; Flink/logging/S3 plugin are provided by the runtime
# plus, for run-local.sh, target/provided-classpath.txt and target/plugins/s3-fs-hadoop/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
start=$(date +%s)
# -q hides Maven's progress; errors still print.
bash "$here/mvnw-offline-first.sh" -q package -DskipTests
jar="$here/target/chargeback-flink-job.jar"
[[ -f "$jar" ]] || { echo "flink-job: build finished but $jar is missing" >&2; exit 1; }
size=$(stat -c %s "$jar")
echo "flink-job: built $jar ($(( (size + 524288) / 1048576 )) MiB, $size bytes) in $(( $(date +%s) - start )) s"
