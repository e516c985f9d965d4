#!/usr/bin/env bash
# `npm test`: everything CI runs — types, lint, unit and property tests, the Java job's tests, the
# infra synth/validate/scan tests, then integration tests and the Gherkin acceptance suite against
# the real local stack (moto + Apache Kafka), which this script starts and stops itself.
# Every suite runs even if an earlier one failed; the last line is "N passed, N failed".
#
# Time: on 2 cores the suites that need no server run two at a time (the Java and infra suites
# beside the TypeScript ones, each using about one core), and the local stack boots beside them;
# the stack-bound suites then run one after the other. Each suite's output is printed whole
# when it ends, so parallel suites never interleave.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/test-lib.sh
mkdir -p reports/logs
rm -f reports/*.tap reports/cucumber.json reports/suite-status.txt reports/logs/suite-*.log

# A stack that was already up (a developer's `stack up`) is used and left running; one this
# script starts is its own: the stack's tests may reset it, and it is stopped at the end.
already_up=$(node bin/chargeback-cdc.js stack status --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).backend!=="none"?1:0)}catch{console.log(0)}})')
[ "$already_up" = 1 ] || trap 'node bin/chargeback-cdc.js stack down >/dev/null 2>&1' EXIT

# Lane 2 (background): Java job, infra, and the set-up the stack-bound suites need.
suite_bg "flink job (maven)" bash pipeline/flink-job/test.sh
suite_bg "infra (synth, validate, bundles, checkov)" bash infra/scripts/test-infra.sh

# Lane 1 (foreground): the TypeScript checks.
suite "typecheck" npx tsc --noEmit -p tsconfig.json
suite "lint (biome)" npx biome check .
# shellcheck disable=SC2046
suite "unit and property tests" node_tests reports/unit.tap $(unit_test_files)
suite_bg_wait "flink job (maven)"

# The stack boots while the infra suite finishes (the first boot installs moto and the Kafka jars).
bash scripts/ensure-chromium.sh || echo "chromium: unavailable; the dashboard scenario will fail and say why"
suite "local stack up" node bin/chargeback-cdc.js stack up
suite_bg_wait "infra (synth, validate, bundles, checkov)"

integration_files=$(integration_test_files)
if [ -n "$integration_files" ]; then
  [ "$already_up" = 1 ] || export STACK_TEST_DESTRUCTIVE=1
  # shellcheck disable=SC2086
  suite "integration tests (real stack)" node_tests reports/integration.tap $integration_files
  unset STACK_TEST_DESTRUCTIVE
fi
suite "acceptance (cucumber)" npx cucumber-js
if [ "$already_up" != 1 ]; then
  node bin/chargeback-cdc.js stack down >/dev/null 2>&1
  trap - EXIT
fi

echo ""
echo "suite times: $(suite_times)"
node scripts/summarize.ts
if [ ${#failed_suites[@]} -gt 0 ]; then
  echo "failed suites: ${failed_suites[*]}" >&2
  exit 1
fi
