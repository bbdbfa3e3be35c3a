#!/usr/bin/env bash
# Remote-write ingest, side by side: the same pre-encoded requests (SERIES series with realistic label sets,
# SAMPLES samples each, one sample per series per request, BATCH series per request) sent with SENDERS
# concurrent senders to a real Prometheus (--web.enable-remote-write-receiver) and to promgate's bundled
# store (fsync before every acknowledgement), one after the other in one run, on free ports.
# Prints samples/s, resident memory per active series and on-disk bytes per sample (the storage directory
# after the load: WAL, plus blocks if any were cut) for each, then as the very last line
# `ratio: X` = promgate samples/s / Prometheus samples/s.
#
# Before the lead wires the write endpoint into `promgate run`, point PROMGATE_URL at any server running
# io.promgate.gateway.write.RemoteWriteHandler.
#
# Env: SERIES (100000), SAMPLES (10), SENDERS (4), BATCH (2000), PROMGATE_JAVA_OPTS,
#      PROMGATE_URL (use an already running promgate's write URL instead of starting one; no RSS then),
#      PROMGATE_JAR (another build to measure, e.g. a saved copy for before/after).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SERIES="${SERIES:-100000}"
SAMPLES="${SAMPLES:-10}"
SENDERS="${SENDERS:-4}"
BATCH="${BATCH:-2000}"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_bins prometheus java curl
SNAPPY_VERSION=$(sed -n 's:.*<snappy.version>\(.*\)</snappy.version>.*:\1:p' "$ROOT/pom.xml")
SNAPPY_JAR="$HOME/.m2/repository/org/xerial/snappy/snappy-java/$SNAPPY_VERSION/snappy-java-$SNAPPY_VERSION.jar"
[[ -f "$SNAPPY_JAR" ]] || (cd "$ROOT" && mvn -B -q -pl tsdb dependency:resolve >/dev/null)


rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

load() { # url -> prints the generator's figures
  java -Xmx3g -cp "$SNAPPY_JAR" "$ROOT/bench/RemoteWriteLoad.java" "$1" "$SERIES" "$SAMPLES" "$SENDERS" "$BATCH"
}

figure() { sed -n "s/^$1: //p" <<<"$2"; }

echo "series: $SERIES, samples per series: $SAMPLES, senders: $SENDERS, series per request: $BATCH"

# --- Prometheus as a remote-write receiver (it scrapes nothing).
PROM_PORT=$(free_port)
printf 'global: { scrape_interval: 1m }\n' > "$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" --web.enable-remote-write-receiver \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
PIDS+=("$PROM_PID")
wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 30
PROM_RSS0=$(rss_kib "$PROM_PID")
PROM_OUT=$(load "http://127.0.0.1:$PROM_PORT/api/v1/write")
PROM_RSS1=$(rss_kib "$PROM_PID")
PROM_DISK=$(du -sb "$WORK/prom" | cut -f1)
kill "$PROM_PID"; wait "$PROM_PID" 2>/dev/null || true

# --- promgate's bundled store.
if [[ -n "${PROMGATE_URL:-}" ]]; then
  PG_OUT=$(load "$PROMGATE_URL")
  PG_RSS0=0; PG_RSS1=0; PG_DISK=0
else
  JAR="${PROMGATE_JAR:-$ROOT/gateway/target/promgate.jar}"
  if [[ ! -f "$JAR" ]]; then (cd "$ROOT" && mvn -B -q -DskipTests -pl gateway -am package); fi
  GW_PORT=$(free_port)
  # shellcheck disable=SC2086
  java ${PROMGATE_JAVA_OPTS:--Xmx2g} -jar "$JAR" run --storage-path "$WORK/promgate" \
    --listen "127.0.0.1:$GW_PORT" --grpc-listen "127.0.0.1:$(free_port)" >"$WORK/promgate.log" 2>&1 &
  PG_PID=$!
  PIDS+=("$PG_PID")
  wait_http "http://127.0.0.1:$GW_PORT/-/ready" 60
  PG_RSS0=$(rss_kib "$PG_PID")
  PG_OUT=$(load "http://127.0.0.1:$GW_PORT/api/v1/write")
  # A full GC first, so the JVM's RSS reflects live data (G1 gives memory back after it) rather than garbage
  # the collector has not needed to reclaim yet; Go's RSS likewise holds up to GOGC=100% garbage.
  command -v jcmd >/dev/null && jcmd "$PG_PID" GC.run >/dev/null 2>&1 || true
  sleep 1
  PG_RSS1=$(rss_kib "$PG_PID")
  PG_DISK=$(du -sb "$WORK/promgate" | cut -f1)
fi

for who in prometheus promgate; do
  if [[ $who == prometheus ]]; then out=$PROM_OUT; r0=$PROM_RSS0; r1=$PROM_RSS1; disk=$PROM_DISK
  else out=$PG_OUT; r0=$PG_RSS0; r1=$PG_RSS1; disk=$PG_DISK; fi
  errors=$(figure errors "$out")
  if [[ "$errors" != 0 ]]; then
    echo "ingest-vs-prometheus.sh: $who answered $errors requests with an error" >&2
    exit 1
  fi
  echo "${who}_samples_per_second: $(figure samples_per_second "$out")"
  echo "${who}_seconds: $(figure seconds "$out")"
  echo "${who}_rss_bytes_per_active_series: $(( (r1 - r0) * 1024 / SERIES )) (RSS $((r0 / 1024)) MiB idle, $((r1 / 1024)) MiB after)"
  awk -v d="$disk" -v n="$((SERIES * SAMPLES))" -v w="$who" 'BEGIN { printf "%s_disk_bytes_per_sample: %.2f\n", w, d / n }'
done
awk -v a="$(figure samples_per_second "$PG_OUT")" -v b="$(figure samples_per_second "$PROM_OUT")" 'BEGIN { printf "ratio: %.2f\n", a / b }'
