# Shared by scripts/test.sh and scripts/test-fast.sh: which files are tests, and how a suite is
# run and recorded (reports/suite-status.txt feeds scripts/summarize.ts: a suite that failed
# without reporting any test still counts as one failure).
# shellcheck shell=bash

export NODE_OPTIONS="${NODE_OPTIONS:-} --import=tsx"
# See bin/chargeback-cdc.js: the pinned SDK supports Node 20; its future-version notice is noise here.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
REPORTS="${REPORTS:-reports}"
failed_suites=()
declare -A suite_pid=() suite_start=() suite_seconds=()

# Unit and property tests: beside their modules, no servers. infra/ has its own suite (synth).
unit_test_files() {
  find pipeline localstack cli bench fixtures scripts -name '*.test.ts' ! -name '*.integration.test.ts' \
    -not -path '*/node_modules/*' 2>/dev/null | sort
}
# infra/ tests for the fast loop: synth assertions and bundles, without the checkov scan and
# Terraform's own validation (those are npm test's infra suite).
infra_unit_test_files() {
  find infra -name '*.test.ts' -not -path 'infra/cdktf.out/*' -not -path 'infra/.build/*' \
    ! -path 'infra/security/checkov.test.ts' ! -path 'infra/terraform/*' | sort
}
integration_test_files() {
  find pipeline localstack cli -name '*.integration.test.ts' -not -path '*/node_modules/*' 2>/dev/null | sort
}

node_tests() { # tap-file, files...
  local tap=$1
  shift
  if [ $# -eq 0 ]; then
    echo "no test files"
    return 1
  fi
  node --test --test-concurrency="${TEST_CONCURRENCY:-1}" \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" "$@"
}

record_suite() { # name, rc, seconds
  echo "── $1: $([ "$2" -eq 0 ] && echo ok || echo "FAILED (exit $2)") in $3 s"
  echo "$1 $2" >>"$REPORTS/suite-status.txt"
  suite_seconds[$1]=$3
  [ "$2" -eq 0 ] || failed_suites+=("$1")
}

suite() { # name, command...
  local name=$1
  shift
  echo ""
  echo "══ ${name} ══"
  local start=$SECONDS
  "$@"
  record_suite "$name" $? $((SECONDS - start))
}

# A suite in the background, its output kept in reports/logs/ until suite_bg_wait prints it.
suite_bg() { # name, command...
  local name=$1
  shift
  local log="reports/logs/suite-${name//[^a-zA-Z0-9]/_}.log"
  echo "   (started in the background: ${name})"
  suite_start[$name]=$SECONDS
  # The suite's own duration goes beside its log: the wait below may begin long after it ended.
  (
    start=$SECONDS
    "$@"
    rc=$?
    echo $((SECONDS - start)) >"$log.seconds"
    exit $rc
  ) >"$log" 2>&1 </dev/null &
  suite_pid[$name]=$!
}

suite_bg_wait() { # name
  local name=$1
  local log="reports/logs/suite-${name//[^a-zA-Z0-9]/_}.log"
  wait "${suite_pid[$name]}"
  local rc=$?
  echo ""
  echo "══ ${name} ══"
  cat "$log"
  echo "" # a tool's last line may end without a newline (Maven's colour reset)
  record_suite "$name" "$rc" "$(cat "$log.seconds" 2>/dev/null || echo $((SECONDS - suite_start[$name])))"
  rm -f "$log.seconds"
}

suite_times() {
  local out=() name
  for name in "${!suite_seconds[@]}"; do out+=("${name}=${suite_seconds[$name]}s"); done
  printf '%s\n' "${out[@]}" | sort | paste -sd' ' -
}
