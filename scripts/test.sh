#!/usr/bin/env bash
# `npm test`: everything CI runs — types, unit and property tests, the Java job's tests, the
# infra synth/scan tests, then integration tests and the Gherkin acceptance suite against the
# real local stack (moto + Apache Kafka), which this script starts and stops itself.
# Every suite runs even if an earlier one failed; the last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p reports
rm -f reports/*.tap reports/cucumber.json reports/suite-status.txt
export NODE_OPTIONS="${NODE_OPTIONS:-} --import=tsx"
# See bin/chargeback-cdc.js: the pinned SDK supports Node 20; its future-version notice is noise here.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
failed_suites=()

suite() { # name, command...
  local name=$1; shift
  echo ""
  echo "══ ${name} ══"
  local start=$SECONDS
  "$@"
  local rc=$?
  echo "── ${name}: $([ $rc -eq 0 ] && echo ok || echo "FAILED (exit $rc)") in $((SECONDS - start)) s"
  echo "${name} ${rc}" >> reports/suite-status.txt
  [ $rc -eq 0 ] || failed_suites+=("$name")
}

node_tests() { # tap-file, files...
  local tap=$1; shift
  if [ $# -eq 0 ]; then echo "no test files"; return 1; fi
  node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" "$@"
}

unit_files=$(find pipeline localstack cli bench -name '*.test.ts' ! -name '*.integration.test.ts' -not -path '*/node_modules/*' 2>/dev/null | sort)
integration_files=$(find pipeline localstack cli -name '*.integration.test.ts' -not -path '*/node_modules/*' 2>/dev/null | sort)

suite "typecheck" npx tsc --noEmit -p tsconfig.json
# shellcheck disable=SC2086
suite "unit and property tests" node_tests reports/unit.tap $unit_files
if [ -f pipeline/flink-job/test.sh ]; then suite "flink job (maven)" bash pipeline/flink-job/test.sh; fi
if [ -f infra/scripts/test-infra.sh ]; then suite "infra (synth, bundles, checkov)" bash infra/scripts/test-infra.sh; fi

# A stack that was already up (a developer's `stack up`) is used and left running; one this
# script starts is its own: the stack's tests may reset it, and it is stopped at the end.
already_up=$(node bin/chargeback-cdc.js stack status --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).backend!=="none"?1:0)}catch{console.log(0)}})')
suite "local stack up" node bin/chargeback-cdc.js stack up
[ "$already_up" = 1 ] || trap 'node bin/chargeback-cdc.js stack down >/dev/null 2>&1' EXIT
if [ -n "$integration_files" ]; then
  [ "$already_up" = 1 ] || export STACK_TEST_DESTRUCTIVE=1
  # shellcheck disable=SC2086
  suite "integration tests (real stack)" node_tests reports/integration.tap $integration_files
  unset STACK_TEST_DESTRUCTIVE
fi
suite "acceptance (cucumber)" npx cucumber-js
if [ "$already_up" != 1 ]; then node bin/chargeback-cdc.js stack down >/dev/null 2>&1; trap - EXIT; fi

echo ""
node scripts/summarize.ts
if [ ${#failed_suites[@]} -gt 0 ]; then
  echo "failed suites: ${failed_suites[*]}" >&2
  exit 1
fi
