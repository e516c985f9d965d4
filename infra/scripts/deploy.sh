#!/usr/bin/env bash
# npm run deploy  → infra/scripts/deploy.sh deploy  [extra cdktf args, e.g. --auto-approve]
# npm run destroy → infra/scripts/deploy.sh destroy [extra cdktf args]
#
# Deploys (or destroys) the five stacks with the CDKTF CLI, fetched on demand with
# `npx --yes cdktf-cli@0.21.0` (it is not a project dependency: it pulls in a large tree and is
# only needed here). Checks first, and stops with one line when something is missing, before
# anything is synthesized or changed.
set -euo pipefail

ACTION="${1:-}"
case "$ACTION" in
  deploy | destroy) shift ;;
  *)
    echo "usage: infra/scripts/deploy.sh deploy|destroy [cdktf args…]" >&2
    exit 2
    ;;
esac

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$INFRA_DIR/scripts/lib.sh"

missing=()
command -v terraform >/dev/null 2>&1 || missing+=("the terraform CLI >= 1.5 (none on PATH)")
have_aws_credentials || missing+=("$CREDENTIALS_HINT")
if ((${#missing[@]})); then
  if ((${#missing[@]} == 2)); then what="${missing[0]} and ${missing[1]}"; else what="${missing[0]}"; fi
  echo "$ACTION needs $what — nothing was changed" >&2
  exit 1
fi

# The Flink JAR: deploy needs the real one; destroy only needs the synth to succeed.
if ! preflight="$(node --import tsx "$INFRA_DIR/scripts/preflight.ts" "$ACTION")"; then
  exit 1
fi
while IFS= read -r assignment; do
  [[ -n "$assignment" ]] && export "${assignment?}"
done <<<"$preflight"

cd "$INFRA_DIR"
export CHECKPOINT_DISABLE=1 # no HashiCorp telemetry
CDKTF=(npx --yes cdktf-cli@0.21.0)
if [[ "$ACTION" == deploy ]]; then
  mkdir -p "$(dirname "$CHARGEBACK_OUTPUTS_FILE")"
  "${CDKTF[@]}" deploy '*' --outputs-file "$CHARGEBACK_OUTPUTS_FILE" --outputs-file-include-sensitive-outputs "$@"
  echo "outputs written to $CHARGEBACK_OUTPUTS_FILE (npm run test:aws reads them)"
else
  "${CDKTF[@]}" destroy '*' "$@"
fi
