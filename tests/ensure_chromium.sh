#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests when it is missing and apt-get can be used.
# No browser download of Playwright's own is needed: the tests launch /usr/bin/chromium.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing Debian's chromium for the browser tests..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
else
  echo "chromium is missing and apt-get is not available: the browser tests will skip (and fail under CI=true)."
fi
