#!/usr/bin/env bash
# Installs what the ingest module's integration tests need on a fresh machine, each skipped when
# present: a real Prometheus Alertmanager (Debian's package) for AlertmanagerIT, and a real
# Prometheus (Debian's package) for RemoteWriteReceiverIT. Idempotent.
set -euo pipefail
missing=()
if [ ! -x /usr/bin/prometheus-alertmanager ]; then missing+=(prometheus-alertmanager); fi
if [ ! -x /usr/bin/prometheus ]; then missing+=(prometheus); fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
