#!/usr/bin/env bash
# npm run test:aws [-- cucumber args]
#
# Runs the cucumber acceptance suite against the deployed stack through the `external` backend
# (LOCAL_STACK=external, AWS_REGION, KAFKA_BROKERS, KAFKA_AUTH=msk-iam, CHARGEBACK_API_URL,
# LANDING_BUCKET), all taken from the outputs `npm run deploy` wrote. MSK Serverless only
# listens inside its VPC: run this from a host that reaches the private subnets on 9098.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$INFRA_DIR/scripts/lib.sh"

if ! have_aws_credentials; then
  echo "test:aws needs $CREDENTIALS_HINT — nothing was run" >&2
  exit 1
fi

cd "$INFRA_DIR/.."
exec node --import tsx "$INFRA_DIR/scripts/withDeployedStack.ts" -- npx cucumber-js "$@"
