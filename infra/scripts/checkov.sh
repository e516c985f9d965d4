#!/usr/bin/env bash
# Runs a pinned checkov from its own virtualenv, installing it from PyPI on first use.
#   infra/scripts/checkov.sh [checkov args…]
# The venv lives outside the repo (CHARGEBACK_CDC_HOME, default ~/.cache/chargeback-cdc) so
# that it survives `git clean` and is shared by worktrees.
set -euo pipefail

CHECKOV_VERSION="3.3.30"
HOME_DIR="${CHARGEBACK_CDC_HOME:-$HOME/.cache/chargeback-cdc}"
VENV="$HOME_DIR/venv-checkov"
STAMP="$VENV/.checkov-$CHECKOV_VERSION"

if [[ ! -f "$STAMP" ]]; then
  PYTHON="${PYTHON:-$(command -v python3 || true)}"
  if [[ -z "$PYTHON" ]]; then
    echo "checkov needs python3 (>= 3.9) to install into $VENV: none found on PATH" >&2
    exit 2
  fi
  echo "installing checkov $CHECKOV_VERSION into $VENV (first use; takes a minute)…" >&2
  mkdir -p "$HOME_DIR"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION" >&2
  touch "$STAMP"
fi

exec "$VENV/bin/checkov" "$@"
