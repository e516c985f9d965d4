#!/usr/bin/env bash
# The dashboard scenario drives a real headless Chromium through playwright-core, which downloads
# no browser of its own. This makes sure one is there before the acceptance suite starts:
# CHROMIUM_PATH if set, else /usr/bin/chromium; when neither exists and this user may install
# Debian packages (root with apt-get), it installs Debian's `chromium` once, saying so in one
# line. Where that is impossible it exits 1 with a message naming what to do.
set -uo pipefail

path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$path" ]; then exit 0; fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "chromium: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable; point it at a Chromium or Chrome binary" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: /usr/bin/chromium is missing and this user cannot install it; run 'sudo apt-get install chromium' or set CHROMIUM_PATH" >&2
  exit 1
fi
echo "chromium: not installed; installing Debian's chromium for the dashboard browser test (one time, about a minute)…"
log=$(mktemp)
if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) >"$log" 2>&1 \
  && [ -x /usr/bin/chromium ]; then
  echo "chromium: installed $(/usr/bin/chromium --version 2>/dev/null | head -1)"
  rm -f "$log"
  exit 0
fi
echo "chromium: apt-get could not install chromium; last lines of its output:" >&2
tail -5 "$log" >&2
rm -f "$log"
exit 1
