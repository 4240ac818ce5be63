#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests, where this machine allows it.
# Without it, the browser tests are skipped with a message saying why. CI (CI=true) requires it.
set -u
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || true
  if apt-get install -y -qq chromium >/dev/null 2>&1; then
    echo "chromium installed: $(/usr/bin/chromium --version 2>/dev/null)"
    exit 0
  fi
fi
echo "Note: /usr/bin/chromium is not installed and could not be installed here;" \
     "browser tests will be skipped (install Debian's 'chromium' package to run them)."
if [ "${CI:-}" = "true" ]; then
  exit 1
fi
exit 0
