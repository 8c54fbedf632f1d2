#!/usr/bin/env bash
# Builds the bench module (and what it needs), then runs the benchmarks:
#   bench/run.sh [--quick] [--only ingest,correlation,scaling,latency,storage] [--runs N]
#                [--injections N] [--days N] [--out DIR]
# Prints the table as Markdown and writes DIR/benchmarks.json (default bench/target).
# Never part of `mvn verify`: it takes minutes and wants the machine to itself.
# BENCH_SKIP_BUILD=1 skips the build; BENCH_JAVA_OPTS adds JVM flags (a JFR profile, say).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -B -q install -DskipTests -Dspotless.check.skip=true -pl bench -am
fi
./mvnw -B -q dependency:build-classpath -pl bench -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java ${BENCH_JAVA_OPTS:-} -Xmx${BENCH_HEAP:-3g} -XX:+UseG1GC \
  -cp "bench/target/classes:$(cat bench/target/bench.classpath)" \
  dev.faultline.bench.BenchMain "$@"
