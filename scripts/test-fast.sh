#!/usr/bin/env bash
# `npm run test:fast`: the loop to run all day — types, lint, and the unit and property tests of
# every folder including infra's synth tests, with no servers, no Java and no checkov. The last
# line is "N passed, N failed". `npm test` runs all of this and the suites that need servers.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/test-lib.sh
export REPORTS=reports/fast
mkdir -p "$REPORTS"
rm -f "$REPORTS"/*.tap "$REPORTS/suite-status.txt"
export TEST_CONCURRENCY="${TEST_CONCURRENCY:-2}"
start=$SECONDS
# tsc is one single-threaded process: it runs beside the tests, which fill the other core and the
# moments tsc waits on the disk.
suite_bg "typecheck" npx tsc --noEmit -p tsconfig.json
suite "lint (biome)" npx biome check .
# shellcheck disable=SC2046
suite "unit and property tests" node_tests_sharded "$REPORTS/unit.tap" 8 $(unit_test_files) $(infra_unit_test_files)
suite_bg_wait "typecheck"
echo ""
echo "test:fast: $((SECONDS - start)) s"
node scripts/summarize.ts "$REPORTS"
[ ${#failed_suites[@]} -eq 0 ]
