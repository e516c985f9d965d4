#!/usr/bin/env bash
# `npm run test:flink-faults`: the @flink acceptance scenarios (cucumber profile `flink`): the fault
# scenarios of features/exactly_once.feature against the Flink job, and any other feature tagged @flink.
# Each start of the Flink job is a MiniCluster JVM, which is why they are a suite of their own and npm test
# leaves them out; .ci/run runs both. Like scripts/test.sh it builds what it needs (the job's JAR, when
# missing or older than its sources), starts the local stack and stops it again (a stack that was already
# up is used and left running). Reports go to reports/flink/; the last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export REPORTS=reports/flink
source scripts/test-lib.sh
mkdir -p "$REPORTS" reports/logs
rm -f "$REPORTS"/cucumber.json "$REPORTS"/suite-status.txt

already_up=$(node bin/chargeback-cdc.js stack status --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).backend!=="none"?1:0)}catch{console.log(0)}})')
[ "$already_up" = 1 ] || trap 'node bin/chargeback-cdc.js stack down >/dev/null 2>&1' EXIT

# The same freshness rule as pipeline/flink-job/run-local.sh: build before the first scenario, not inside its start timeout.
job=pipeline/flink-job
if [[ ! -f $job/target/chargeback-flink-job.jar || ! -f $job/target/provided-classpath.txt ]] ||
  [[ -n "$(find $job/src/main $job/pom.xml pipeline/schema/chargeback-change.avsc -newer $job/target/chargeback-flink-job.jar -print -quit)" ]]; then
  suite "flink job jar (build)" bash $job/build.sh
fi
suite "local stack up" node bin/chargeback-cdc.js stack up
suite "acceptance (cucumber)" npx cucumber-js -p flink
if [ "$already_up" != 1 ]; then
  node bin/chargeback-cdc.js stack down >/dev/null 2>&1
  trap - EXIT
fi

echo ""
echo "suite times: $(suite_times)"
node scripts/summarize.ts "$REPORTS"
if [ ${#failed_suites[@]} -gt 0 ]; then
  echo "failed suites: ${failed_suites[*]}" >&2
  exit 1
fi
