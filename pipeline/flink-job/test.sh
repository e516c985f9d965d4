#!/usr/bin/env bash
# Runs the Flink job's Java unit tests (npm run test:flink, part of npm test). Surefire prints
# "Tests run: N, Failures: F, Errors: E, Skipped: S" and Maven exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/mvnw-offline-first.sh" test "$@"
