#!/usr/bin/env bash
# Installs what the web-ui browser tests need: Debian's headless Chromium and its driver.
# Idempotent: does nothing when both are present.
set -euo pipefail
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  echo "web-ui: chromium and chromedriver present"
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q chromium chromium-driver
