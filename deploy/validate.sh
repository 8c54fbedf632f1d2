#!/usr/bin/env bash
# Validates deploy/ with the tools this machine has, without a Docker engine or a cluster:
#   - Compose: `docker compose config` (v2 plugin) or Debian's docker-compose 1.29 (`apt-get
#     install docker-compose`), which does not know the top-level `name:` key, so that line is
#     dropped for it. Dummy secrets are supplied; a real run takes them from compose/.env.
#   - Kubernetes: `kubectl kustomize` renders the manifests and generates the Grafana ConfigMaps
#     from dashboards/ (kubectl apply --dry-run=client needs a server's API discovery, so it is
#     not run here).
# The structural checks (ComposeFileTest, KubernetesManifestsTest) run in `mvn verify -pl deploy`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export FAULTLINE_DB_PASSWORD=validate GRAFANA_ADMIN_PASSWORD=validate FAULTLINE_INGEST_TOKEN=validate \
  FAULTLINE_ALERTMANAGER_TOKEN=validate
status=0

if docker compose version >/dev/null 2>&1; then
  docker compose -f compose/compose.yaml config -q && echo "compose: valid (docker compose)"
elif command -v docker-compose >/dev/null 2>&1; then
  tmp="compose/.compose-v1-check.yaml"
  trap 'rm -f "$tmp"' EXIT
  grep -v '^name: ' compose/compose.yaml > "$tmp"
  docker-compose -f "$tmp" config -q && echo "compose: valid (docker-compose $(docker-compose version --short), without the name: key)"
else
  echo "compose: NOT validated (no docker compose / docker-compose; apt-get install docker-compose)" >&2
  status=1
fi

if command -v kubectl >/dev/null 2>&1; then
  out="$(mktemp)"
  kubectl kustomize --load-restrictor LoadRestrictionsNone kubernetes > "$out"
  echo "kubernetes: rendered $(grep -c '^kind:' "$out") objects with kubectl kustomize"
  rm -f "$out"
else
  echo "kubernetes: NOT rendered (no kubectl)" >&2
  status=1
fi
exit $status
