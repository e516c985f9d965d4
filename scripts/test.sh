#!/usr/bin/env bash
# `npm test`: everything CI runs — types, lint, unit and property tests, the Java job's tests, the
# infra synth/validate/scan tests, then integration tests and the Gherkin acceptance suite against
# the real local stack (moto + Apache Kafka), which this script starts and stops itself.
# Every suite runs even if an earlier one failed; the last line is "N passed, N failed".
#
# Time: the stack-bound suites (integration, then acceptance) are the long path, and most of their time is
# waiting for records to land, so they start first and run in the foreground; every suite that needs no
# server (types, lint, unit, the Java job, infra) runs beside them in the background at a lower CPU
# priority, so the pipeline under test is not starved. Each suite's output is printed whole when it
# ends, so parallel suites never interleave.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/test-lib.sh
mkdir -p reports/logs
rm -f reports/*.tap reports/cucumber.json reports/suite-status.txt reports/logs/suite-*.log

# A stack that was already up (a developer's `stack up`) is used and left running; one this
# script starts is its own: the stack's tests may reset it, and it is stopped at the end.
already_up=$(node bin/chargeback-cdc.js stack status --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).backend!=="none"?1:0)}catch{console.log(0)}})')
[ "$already_up" = 1 ] || trap 'node bin/chargeback-cdc.js stack down >/dev/null 2>&1' EXIT

# In the background, at a lower priority: everything that needs no server, and Chromium for the dashboard scenario.
suite_bg "flink job (maven)" nice -n 10 bash pipeline/flink-job/test.sh
suite_bg "infra (synth, validate, bundles, checkov)" nice -n 10 bash infra/scripts/test-infra.sh
suite_bg "typecheck" nice -n 10 npx tsc --noEmit -p tsconfig.json
suite_bg "lint (biome)" nice -n 10 npx biome check .
suite_bg "unit and property tests" nice -n 10 bash -c 'source scripts/test-lib.sh && TEST_CONCURRENCY=1 node_tests_sharded "$REPORTS/unit.tap" 2 $(unit_test_files)'
bash scripts/ensure-chromium.sh >reports/logs/chromium.log 2>&1 &
chromium_pid=$!

# In the foreground: the stack (the first boot installs moto and the Kafka jars) and the suites that use it.
suite "local stack up" node bin/chargeback-cdc.js stack up
integration_files=$(integration_test_files)
if [ -n "$integration_files" ]; then
  [ "$already_up" = 1 ] || export STACK_TEST_DESTRUCTIVE=1
  # shellcheck disable=SC2086
  suite "integration tests (real stack)" node_tests reports/integration.tap $integration_files
  unset STACK_TEST_DESTRUCTIVE
fi
# The Flink scenarios run the JAR that suite builds: never start them while Maven may be writing it.
suite_bg_wait "flink job (maven)"
wait "$chromium_pid"
chromium_rc=$?
cat reports/logs/chromium.log
[ "$chromium_rc" -eq 0 ] || echo "chromium: unavailable; the dashboard scenario will fail and say why"
suite "acceptance (cucumber)" npx cucumber-js
if [ "$already_up" != 1 ]; then
  node bin/chargeback-cdc.js stack down >/dev/null 2>&1
  trap - EXIT
fi
for name in "typecheck" "lint (biome)" "unit and property tests" "infra (synth, validate, bundles, checkov)"; do
  suite_bg_wait "$name"
done

echo ""
echo "suite times: $(suite_times)"
node scripts/summarize.ts
if [ ${#failed_suites[@]} -gt 0 ]; then
  echo "failed suites: ${failed_suites[*]}" >&2
  exit 1
fi
