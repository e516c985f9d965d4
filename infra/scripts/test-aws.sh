#!/usr/bin/env bash
# npm run test:aws [-- cucumber args]
#
# Runs the cucumber scenarios tagged @aws against a stack that is already running, starting no
# component of its own (steps/support/target.ts, CDC_TARGET):
# - CDC_TARGET=deployed (the default): the deployed stack. Its endpoints and names come from the
#   outputs `npm run deploy` wrote (withDeployedStack.ts): CHARGEBACK_API_URL, LANDING_BUCKET,
#   TABLE_NAME, KAFKA_BROKERS with KAFKA_AUTH=msk-iam, AWS_REGION. MSK Serverless only listens
#   inside its VPC: run this from a host that reaches the private subnets on 9098.
# - CDC_TARGET=local: a local stack and components started separately, every endpoint given in
#   the environment (the rehearsal, rehearse-test-aws.sh, does this).
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$INFRA_DIR/scripts/lib.sh"

cd "$INFRA_DIR/.."
export NODE_OPTIONS="--import=tsx${NODE_OPTIONS:+ $NODE_OPTIONS}"
scenarios=(npx cucumber-js --config infra/scripts/cucumber.aws.js "$@")

case "${CDC_TARGET:=deployed}" in
  local)
    node "$INFRA_DIR/scripts/checkTarget.ts"
    exec "${scenarios[@]}"
    ;;
  deployed)
    if ! have_aws_credentials; then
      echo "test:aws needs $CREDENTIALS_HINT — nothing was run" >&2
      exit 1
    fi
    exec node "$INFRA_DIR/scripts/withDeployedStack.ts" -- "${scenarios[@]}"
    ;;
  *)
    echo "test:aws: CDC_TARGET=$CDC_TARGET is neither deployed nor local — nothing was run" >&2
    exit 2
    ;;
esac
