#!/usr/bin/env bash
# PromQL evaluation, side by side (issue 5): the same generated dataset (SERIES >= 10,000 series, 2 h at
# 15 s, written by remote write in time order) in a real Prometheus and in promgate's embedded store, then
# ~30 dashboard queries (instant and range) on both in one run, ROUNDS timed runs each, interleaved.
# Prints per query the median times and whether the answers agree, `agree: N/M`, and as the very last line
# `ratio: X` = median over queries of (promgate time / Prometheus time). Exit 3 when answers disagree.
#
# Env: SERIES (10000), ROUNDS (5), PROMGATE_JAVA_OPTS (-Xmx2g), PROMGATE_JAR (gateway/target/promgate.jar).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SERIES="${SERIES:-10000}"
ROUNDS="${ROUNDS:-5}"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_bins prometheus java curl
JAR="${PROMGATE_JAR:-$ROOT/gateway/target/promgate.jar}"
if [[ ! -f "$JAR" ]]; then (cd "$ROOT" && mvn -B -q -DskipTests -pl gateway -am package); fi


PROM_PORT=$(free_port)
printf 'global: { scrape_interval: 1m }\n' > "$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" --web.enable-remote-write-receiver \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PIDS+=("$!")

GW_PORT=$(free_port)
# The embedded default with the results cache off: it would answer the repeated range queries from memory
# and time itself, not the engine.
cat >"$WORK/promgate.yaml" <<EOF
storage: { path: $WORK/promgate }
cache: { max-bytes: 0 }
backends:
  local: { type: local }
routes:
  - windows:
      - { backends: [local] }
EOF
# shellcheck disable=SC2086
java ${PROMGATE_JAVA_OPTS:--Xmx2g} -jar "$JAR" run --config "$WORK/promgate.yaml" \
  --listen "127.0.0.1:$GW_PORT" --grpc-listen "127.0.0.1:$(free_port)" >"$WORK/promgate.log" 2>&1 &
PIDS+=("$!")

wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 30
wait_http "http://127.0.0.1:$GW_PORT/-/ready" 60

echo "series: $SERIES (2 h at 15 s), rounds: $ROUNDS"
java -Xmx2g -cp "$JAR" "$ROOT/bench/EngineVsPrometheus.java" "http://127.0.0.1:$PROM_PORT" \
  "http://127.0.0.1:$GW_PORT" "$SERIES" "$ROUNDS"
