#!/usr/bin/env bash
# Builds the deployable Flink job JAR (npm run build:flink):
#   pipeline/flink-job/target/chargeback-flink-job.jar   shaded: the Kafka connector, Parquet/Avro, MSK IAM auth and
#     the S3 file system (flink-s3-fs-hadoop, found through META-INF/services) are inside it; only Flink itself, the
#     file connector and logging are `provided` by the Managed Flink runtime (pom.xml)
# plus, for run-local.sh, target/provided-classpath.txt: the classpath of those provided dependencies.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
start=$(date +%s)
# -q hides Maven's progress; errors still print.
bash "$here/mvnw-offline-first.sh" -q package -DskipTests
jar="$here/target/chargeback-flink-job.jar"
[[ -f "$jar" ]] || { echo "flink-job: build finished but $jar is missing" >&2; exit 1; }
size=$(stat -c %s "$jar")
echo "flink-job: built $jar ($(( (size + 524288) / 1048576 )) MiB, $size bytes) in $(( $(date +%s) - start )) s"
