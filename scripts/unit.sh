#!/usr/bin/env bash
# Unit and property tests only (no servers): fast feedback while editing.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(find pipeline localstack cli infra -name '*.test.ts' ! -name '*.integration.test.ts' -not -path '*/node_modules/*' | sort)
# shellcheck disable=SC2086
exec node --import=tsx --test --test-concurrency=1 $files
