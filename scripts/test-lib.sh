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

# Unit test files run several to a process ("shards"): each process then loads tsx, the AWS SDK, zod and
# cdktf once instead of once per file, which was most of the unit suites' CPU time. A file runs in a
# process of its own when sharing would change what it tests: root-level hooks (a top-level
# before/after/beforeEach/afterEach would apply to every file of its shard) or a line holding
# `test-isolation: own-process` (for example a file that sets process.env.TZ for all it imports).
needs_own_process() { # file
  grep -qE '^(before|after|beforeEach|afterEach)\(|test-isolation: own-process' "$1"
}

node_tests_sharded() { # tap-file, shards, files...
  local tap=$1 shards=$2
  shift 2
  if [ $# -eq 0 ]; then
    echo "no test files"
    return 1
  fi
  local dir="$REPORTS/shards/$(basename "$tap" .tap)" f i=0 own=()
  rm -rf "$dir"
  mkdir -p "$dir"
  for f in "$@"; do
    if needs_own_process "$f"; then
      own+=("$f")
    else
      # Round-robin over the sorted list spreads each folder's heavy files over the shards.
      echo "import '$PWD/$f';" >>"$dir/shard-$((i % shards + 1)).test.mjs"
      i=$((i + 1))
    fi
  done
  node --test --test-concurrency="${TEST_CONCURRENCY:-2}" \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" "$dir"/shard-*.test.mjs "${own[@]}"
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

# A suite in the background, its output kept in $REPORTS/logs/ until suite_bg_wait prints it.
suite_bg() { # name, command...
  local name=$1
  shift
  mkdir -p "$REPORTS/logs"
  local log="$REPORTS/logs/suite-${name//[^a-zA-Z0-9]/_}.log"
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
  local log="$REPORTS/logs/suite-${name//[^a-zA-Z0-9]/_}.log"
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
