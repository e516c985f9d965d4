# Shared by deploy.sh and test-aws.sh. Sourced, not run.

# True when the AWS SDKs / Terraform provider would find credentials, judged offline: the
# environment, a profile, web identity (CI OIDC), container credentials, or a shared
# credentials/config file holding keys, SSO, a role or a credential_process. An EC2 instance
# profile cannot be seen without calling IMDS: say so with CHARGEBACK_AWS_CREDENTIALS=instance-profile.
have_aws_credentials() {
  [[ -n "${AWS_ACCESS_KEY_ID:-}" && -n "${AWS_SECRET_ACCESS_KEY:-}" ]] && return 0
  [[ -n "${AWS_PROFILE:-}${AWS_DEFAULT_PROFILE:-}" ]] && return 0
  [[ -n "${AWS_WEB_IDENTITY_TOKEN_FILE:-}" && -n "${AWS_ROLE_ARN:-}" ]] && return 0
  [[ -n "${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-}${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}" ]] && return 0
  [[ "${CHARGEBACK_AWS_CREDENTIALS:-}" == "instance-profile" ]] && return 0
  local creds="${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}"
  local config="${AWS_CONFIG_FILE:-$HOME/.aws/config}"
  [[ -f "$creds" ]] && grep -Eq '^[[:space:]]*aws_access_key_id[[:space:]]*=' "$creds" && return 0
  [[ -f "$config" ]] && grep -Eq '^[[:space:]]*(aws_access_key_id|sso_session|sso_start_url|role_arn|credential_process)[[:space:]]*=' "$config" && return 0
  return 1
}

CREDENTIALS_HINT="AWS credentials (none found: set AWS_PROFILE or AWS_ACCESS_KEY_ID)"
