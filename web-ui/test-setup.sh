#!/usr/bin/env bash
# Installs what the web-ui tests need: Debian's headless Chromium and its driver for the browser
# tests, and the fonts the PDF exports embed (DejaVu Sans for Latin, Greek, Cyrillic and more;
# Droid Sans Fallback for Chinese, Japanese and Korean). Idempotent: does nothing when all are
# present.
set -euo pipefail
need=()
[[ -x /usr/bin/chromium ]] || need+=(chromium)
[[ -x /usr/bin/chromedriver ]] || need+=(chromium-driver)
[[ -r /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || need+=(fonts-dejavu-core)
[[ -r /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ]] || need+=(fonts-droid-fallback)
if [[ ${#need[@]} -eq 0 ]]; then
  echo "web-ui: chromium, chromedriver and the PDF fonts present"
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q "${need[@]}"
