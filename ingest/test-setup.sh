#!/usr/bin/env bash
# Installs what the ingest module's integration tests need on a fresh machine:
# a real Prometheus Alertmanager (Debian's package) for AlertmanagerIT. Idempotent.
set -euo pipefail
if [ -x /usr/bin/prometheus-alertmanager ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq prometheus-alertmanager >/dev/null
