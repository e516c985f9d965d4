#!/usr/bin/env bash
# npm run test:aws:rehearsal
#
# Proves `npm run test:aws` uses the endpoints it is given and starts nothing, without an AWS
# account: brings up the local stack, creates in it a table and a bucket whose names are not the
# stack's defaults (rehearsalResources.ts: the same key schema and stream as `stack up`'s), starts
# `chargeback-cdc run api|poller|writer` itself on those names (the API on a port that is not the
# default 3000, behind a forwarder that counts requests), then runs test-aws.sh with
# CDC_TARGET=local and those endpoints and names as the deployed outputs, and checks that
#   1. the @aws scenarios passed;
#   2. their requests went through the forwarder (at least the 4 they make), and none reached the default API
#      port 3000 (a trap listens there and counts);
#   3. no process was started under the suite: the process table is sampled every 0.5 s for
#      components, moto or Kafka among the suite's descendants;
#   4. the three components are the same processes at the end as at the start;
#   5. the run's chargebacks are in the given table and landed in the given bucket, and the
#      default table and bucket got nothing during the run (no item, no object), so a step or
#      component that fell back to a default name fails the rehearsal.
# Uses the local stack: run it under the stack lock. Stops the stack at the end (KEEP_STACK=1 keeps it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OUT=reports/rehearsal
rm -rf "$OUT" && mkdir -p "$OUT"
API_PORT_GIVEN="${REHEARSAL_API_PORT:-3301}"
PROXY_PORT="${REHEARSAL_PROXY_PORT:-3302}"
DEFAULT_API_PORT=3000
GIVEN_TABLE="${REHEARSAL_TABLE:-chargebacks-rehearsal}"
GIVEN_BUCKET="${REHEARSAL_BUCKET:-chargeback-cdc-rehearsal-landing}"
started=$(date +%s)
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n "${KEEP_STACK:-}" ]] || node bin/chargeback-cdc.js stack down >>"$OUT/stack.log" 2>&1 || true
}
trap cleanup EXIT

fail() {
  echo "rehearsal FAILED: $*" >&2
  exit 1
}

# Waits until a log shows its component ready, or fails naming the log.
await_ready() {
  local log=$1 pattern=$2 pid=$3
  for _ in $(seq 1 240); do
    grep -Eq "$pattern" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || fail "$(basename "$log" .log) exited before it was ready (see $log)"
    sleep 0.5
  done
  fail "$(basename "$log" .log) not ready after 120 s (see $log)"
}

start() {
  local name=$1 pattern=$2
  shift 2
  "$@" >"$OUT/$name.log" 2>&1 &
  pids+=($!)
  eval "${name}_pid=$!"
  await_ready "$OUT/$name.log" "$pattern" "$!"
}

echo "rehearsal: stack up"
node bin/chargeback-cdc.js stack up >"$OUT/stack.log" 2>&1 || fail "stack up failed (see $OUT/stack.log)"
# Set after stack up, which finds its own endpoints: the components, the resources helper and
# the suite all reach the local stack here.
export AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
node --import tsx infra/scripts/rehearsalResources.ts create "$GIVEN_TABLE" "$GIVEN_BUCKET" "$OUT/before.json" \
  || fail "could not create table $GIVEN_TABLE and bucket $GIVEN_BUCKET in the local stack"
names=(TABLE_NAME="$GIVEN_TABLE" LANDING_BUCKET="$GIVEN_BUCKET")
start api 'listening' env "${names[@]}" API_PORT="$API_PORT_GIVEN" node bin/chargeback-cdc.js run api
start poller '"what":"polling"' env "${names[@]}" node bin/chargeback-cdc.js run poller --json
start writer '"what":"started"' env "${names[@]}" node bin/chargeback-cdc.js run writer --rollover 2s --json
start proxy 'counting' node --import tsx infra/scripts/countingProxy.ts "$PROXY_PORT" "$OUT/proxy.count" "http://127.0.0.1:$API_PORT_GIVEN"
start trap 'counting' node --import tsx infra/scripts/countingProxy.ts "$DEFAULT_API_PORT" "$OUT/trap.count"
components_before="$api_pid $poller_pid $writer_pid"
echo "rehearsal: api pid $api_pid on $API_PORT_GIVEN, behind the forwarder on $PROXY_PORT; poller pid $poller_pid; writer pid $writer_pid; table $GIVEN_TABLE, bucket $GIVEN_BUCKET"

# The same runner as npm run test:aws, pointed at what was started above; nothing has a default.
suite_started=$(date +%s)
env CDC_TARGET=local LOCAL_STACK=external \
  CHARGEBACK_API_URL="http://127.0.0.1:$PROXY_PORT" \
  "${names[@]}" KAFKA_BROKERS=127.0.0.1:9092 KAFKA_AUTH=plaintext \
  bash infra/scripts/test-aws.sh >"$OUT/suite.log" 2>&1 &
suite_pid=$!

# Every descendant of the suite, sampled while it runs (a component started and stopped between
# two samples would still have had to become ready, which takes seconds).
: >"$OUT/descendants.txt"
while kill -0 "$suite_pid" 2>/dev/null; do
  ps -eo pid=,ppid=,args= | awk -v root="$suite_pid" '
    { parent[$1] = $2; line[$1] = $0 }
    END { for (p in parent) { q = p; while (q in parent && q != root && q > 1) q = parent[q]; if (q == root && p != root) print line[p] } }
  ' >>"$OUT/descendants.txt"
  sleep 0.5
done
suite_rc=0
wait "$suite_pid" || suite_rc=$?
suite_seconds=$(($(date +%s) - suite_started))

spawned=$(grep -E 'chargeback-cdc\.js run|moto|kafka\.Kafka|faulty' "$OUT/descendants.txt" | sort -u || true)
proxied=$(cat "$OUT/proxy.count")
trapped=$(cat "$OUT/trap.count")
gone=""
for pid in $components_before; do kill -0 "$pid" 2>/dev/null || gone="$gone $pid"; done
isolation_rc=0
node --import tsx infra/scripts/rehearsalResources.ts check "$GIVEN_TABLE" "$GIVEN_BUCKET" "$OUT/before.json" \
  >"$OUT/isolation.log" 2>&1 || isolation_rc=$?

grep -E '^[0-9]+ (scenarios?|steps?) ' "$OUT/suite.log" || true
echo "rehearsal: requests through the forwarder on $PROXY_PORT: $proxied; at the default port $DEFAULT_API_PORT: $trapped"
cat "$OUT/isolation.log"
echo "rehearsal: component processes under the suite: $(printf '%s' "$spawned" | grep -c . || true); suite ${suite_seconds} s, total $(($(date +%s) - started)) s"
[[ $suite_rc -eq 0 ]] || fail "the @aws scenarios failed (exit $suite_rc): see $OUT/suite.log"
grep -qF "acceptance target local: API http://127.0.0.1:$PROXY_PORT, bucket $GIVEN_BUCKET, table $GIVEN_TABLE," "$OUT/suite.log" \
  || fail "the suite did not report the target it was given"
# The target check (GET /), the two scenarios' POSTs and the sentinel's: at least 4.
[[ $proxied -ge 4 ]] || fail "only $proxied request(s) went through the API URL the suite was given (expected at least 4)"
[[ $trapped -eq 0 ]] || fail "$trapped request(s) went to the default API port $DEFAULT_API_PORT"
[[ -z "$spawned" ]] || fail "the suite started processes of its own:
$spawned"
[[ -z "$gone" ]] || fail "component(s)$gone stopped during the suite"
[[ $isolation_rc -eq 0 ]] || fail "the run did not stay on table $GIVEN_TABLE and bucket $GIVEN_BUCKET (see $OUT/isolation.log)"
echo "rehearsal passed"
