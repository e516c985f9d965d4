#!/usr/bin/env bash
# npm run test:infra — the infra/ tests: config, synth assertions on every stack, the Lambda
# bundles built from pipeline/, the topic creator, the deploy scripts, the checkov scan of the
# synthesized Terraform JSON (checkov is installed into its own venv on first use), and
# terraform validate of every stack (a named skip where terraform or an AWS provider mirror is missing).
set -uo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$INFRA_DIR/.."

started=$SECONDS
# The two longest files first (node --test starts files in the order given, two at a time):
# the rest fit beside them instead of after them.
longest=(infra/terraform/validateStacks.test.ts infra/security/checkov.test.ts)
mapfile -t rest < <(find infra -name '*.test.ts' -not -path 'infra/cdktf.out/*' -not -path 'infra/.build/*' | sort | grep -vxF -f <(printf '%s\n' "${longest[@]}"))
files=("${longest[@]}" "${rest[@]}")
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
