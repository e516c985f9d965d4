#!/usr/bin/env bash
# Runs the Flink job in a local MiniCluster (one JVM) against the local stack, in the foreground.
#
#   pipeline/flink-job/run-local.sh [--config <property-groups.json>] [--<property> <value>]...
#
# Without --config it reads local/application-properties.json (Kafka 127.0.0.1:9092, moto S3 on
# http://127.0.0.1:4566, bucket chargeback-cdc-landing). These environment variables, when set, override the
# file, and --<property> arguments override both:
#   KAFKA_BROKERS (bootstrap.servers)  LANDING_BUCKET (bucket)  S3_ENDPOINT (s3.endpoint)
#   CHECKPOINT_INTERVAL_MS (checkpoint.interval.ms)  GROUP_ID (group.id)
#   FLINK_STATE_DIR (local.state.dir: retain checkpoints there and resume from them on the next start)
#   FLINK_LOG_LEVEL (root log level, default WARN)  FLINK_JAVA_OPTS (extra JVM options)
# It builds the JAR first when it is missing or older than the sources. It prints
# "chargeback-flink-job: up: ..." on stdout once the job is RUNNING; SIGTERM/SIGINT stop it with a savepoint
# (the last part files are committed) and it exits 0.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/chargeback-flink-job.jar"
cp_file="$here/target/provided-classpath.txt"

if [[ ! -f "$jar" || ! -f "$cp_file" ]] ||
   [[ -n "$(find "$here/src/main" "$here/pom.xml" "$here/../schema/chargeback-change.avsc" -newer "$jar" -print -quit)" ]]; then
  bash "$here/build.sh" >&2
fi

if [[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]]; then java=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
elif [[ -n "${JAVA_HOME:-}" ]]; then java="$JAVA_HOME/bin/java"
else java=java; fi

args=()
has_config=false
for a in "$@"; do [[ "$a" == "--config" || "$a" == --config=* ]] && has_config=true; done
$has_config || args+=(--config "$here/local/application-properties.json")
[[ -n "${KAFKA_BROKERS:-}" ]] && args+=(--bootstrap.servers "$KAFKA_BROKERS")
[[ -n "${LANDING_BUCKET:-}" ]] && args+=(--bucket "$LANDING_BUCKET")
[[ -n "${S3_ENDPOINT:-}" ]] && args+=(--s3.endpoint "$S3_ENDPOINT")
[[ -n "${CHECKPOINT_INTERVAL_MS:-}" ]] && args+=(--checkpoint.interval.ms "$CHECKPOINT_INTERVAL_MS")
[[ -n "${GROUP_ID:-}" ]] && args+=(--group.id "$GROUP_ID")
[[ -n "${FLINK_STATE_DIR:-}" ]] && args+=(--local.state.dir "$FLINK_STATE_DIR")

# What Flink's own launcher passes on Java 17 (env.java.opts.all in Flink 1.20's config.yaml).
jvm_opts=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
  -Xmx1g
  "-Dlog4j.configurationFile=$here/local/log4j2.properties"
)
# The S3 file system's Hadoop (hadoop-aws 3.3) uses AWS SDK v1, which otherwise prints an end-of-support banner with a stack trace.
export AWS_JAVA_V1_DISABLE_DEPRECATION_ANNOUNCEMENT=true

# exec: SIGTERM reaches the JVM, whose shutdown hook stops the job with a savepoint.
# shellcheck disable=SC2086
exec "$java" "${jvm_opts[@]}" ${FLINK_JAVA_OPTS:-} -cp "$jar:$(cat "$cp_file")" \
  dev.chargebackcdc.flink.ChargebackParquetJob "${args[@]}" "$@"
