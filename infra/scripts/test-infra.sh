#!/usr/bin/env bash
# npm run test:infra — the infra/ tests: config, synth assertions on every stack, the Lambda
# bundles built from pipeline/, the topic creator, the deploy scripts, and the checkov scan of
# the synthesized Terraform JSON (checkov is installed into its own venv on first use).
set -uo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$INFRA_DIR/.."

started=$SECONDS
mapfile -t files < <(find infra -name '*.test.ts' -not -path 'infra/cdktf.out/*' -not -path 'infra/.build/*' | sort)
# TAP for scripts/summarize.ts (npm test's totals), spec for people.
mkdir -p reports
node --import tsx --test --test-concurrency=2 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination=reports/infra.tap \
  "${files[@]}"
status=$?
elapsed=$((SECONDS - started))
if ((status == 0)); then
  echo "test:infra: PASS (${#files[@]} test files, ${elapsed} s)"
else
  echo "test:infra: FAIL (exit $status, ${elapsed} s)"
fi
exit $status
