#!/usr/bin/env bash
# Installs Debian's chromium for the playground's browser test (test/embed/playground.test.ts),
# when it is missing. playwright-core drives it; playwright never downloads a browser.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium
/usr/bin/chromium --version
