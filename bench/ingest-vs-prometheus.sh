#!/usr/bin/env bash
# Remote-write ingest, side by side: the same pre-encoded requests (SERIES series with realistic label sets,
# SAMPLES samples each, one sample per series per request, BATCH series per request) sent with SENDERS
# concurrent senders to a real Prometheus (--web.enable-remote-write-receiver) and to promgate's bundled
# store (fsync before every acknowledgement), one after the other in one run, on free ports.
# Prints samples/s, resident memory per active series and on-disk bytes per sample (the storage directory
# after the load: WAL, plus blocks if any were cut) for each, then as the very last line
# `ratio: X` = promgate samples/s / Prometheus samples/s.
#
# Then bytes per sample on disk (issue 9): fresh instances of both receive BPS_SERIES series x 2h of 15 s
# samples aligned to a 2h block range; Prometheus writes its head as a block (admin snapshot API), promgate
# cuts it (block-duration 2h, head-window 2h, one later sample pushes the head past the range). Prints
# `<who>_bytes_per_sample` = (index + chunk segment bytes) / samples of that block.
#
# Before the lead wires the write endpoint into `promgate run`, point PROMGATE_URL at any server running
# io.promgate.gateway.write.RemoteWriteHandler.
#
# Also prints each server's CPU seconds per million samples during the load (from /proc/<pid>/stat).
#
# Env: SERIES (100000), SAMPLES (10), SENDERS (4), BATCH (2000), BPS_SERIES (10000; 0 skips), PROMGATE_JAVA_OPTS,
#      PROMGATE_URL (use an already running promgate's write URL instead of starting one; no RSS then),
#      PROMGATE_JAR (another build to measure, e.g. a saved copy for before/after).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SERIES="${SERIES:-100000}"
SAMPLES="${SAMPLES:-10}"
SENDERS="${SENDERS:-4}"
BATCH="${BATCH:-2000}"
BPS_SERIES="${BPS_SERIES:-10000}"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_bins prometheus java curl
SNAPPY_VERSION=$(sed -n 's:.*<snappy.version>\(.*\)</snappy.version>.*:\1:p' "$ROOT/pom.xml")
SNAPPY_JAR="$HOME/.m2/repository/org/xerial/snappy/snappy-java/$SNAPPY_VERSION/snappy-java-$SNAPPY_VERSION.jar"
[[ -f "$SNAPPY_JAR" ]] || (cd "$ROOT" && mvn -B -q -pl tsdb dependency:resolve >/dev/null)


rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# User + system CPU time of a process in clock ticks (fields 14 and 15 of /proc/<pid>/stat; the command name
# in field 2 has no spaces for java/prometheus).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

load() { # url [series samples base_ms] -> prints the generator's figures
  java -Xmx3g -cp "$SNAPPY_JAR" "$ROOT/bench/RemoteWriteLoad.java" "$1" "${2:-$SERIES}" "${3:-$SAMPLES}" "$SENDERS" "$BATCH" ${4:-}
}

load_ok() { # like load with one sender (in time order: concurrent senders drift apart by more than
  # Prometheus' 1h out-of-bounds window), and only checks that every request was stored
  local out
  out=$(SENDERS=1 load "$@")
  [[ "$(figure errors "$out")" == 0 ]] || { echo "ingest-vs-prometheus.sh: $1 rejected requests" >&2; exit 1; }
}

block_bytes_per_sample() { # block dir -> "B/sample (index I, chunks C, N samples)"
  local idx chunks n
  idx=$(stat -c %s "$1/index")
  chunks=$(cat "$1"/chunks/* | wc -c)
  n=$(sed -n 's/.*"numSamples": *\([0-9]*\).*/\1/p' "$1/meta.json" | head -1)
  awk -v i="$idx" -v c="$chunks" -v n="$n" 'BEGIN { printf "%.3f (index %d B, chunks %d B, %d samples)\n", (i + c) / n, i, c, n }'
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
PROM_CPU0=$(cpu_ticks "$PROM_PID")
PROM_OUT=$(load "http://127.0.0.1:$PROM_PORT/api/v1/write")
PROM_CPU1=$(cpu_ticks "$PROM_PID")
PROM_RSS1=$(rss_kib "$PROM_PID")
PROM_DISK=$(du -sb "$WORK/prom" | cut -f1)
kill "$PROM_PID"; wait "$PROM_PID" 2>/dev/null || true

# --- promgate's bundled store.
if [[ -n "${PROMGATE_URL:-}" ]]; then
  PG_OUT=$(load "$PROMGATE_URL")
  PG_RSS0=0; PG_RSS1=0; PG_DISK=0; PG_CPU0=0; PG_CPU1=0
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
  PG_CPU0=$(cpu_ticks "$PG_PID")
  PG_OUT=$(load "http://127.0.0.1:$GW_PORT/api/v1/write")
  PG_CPU1=$(cpu_ticks "$PG_PID")
  # A full GC first, so the JVM's RSS reflects live data (G1 gives memory back after it) rather than garbage
  # the collector has not needed to reclaim yet; Go's RSS likewise holds up to GOGC=100% garbage.
  command -v jcmd >/dev/null && jcmd "$PG_PID" GC.run >/dev/null 2>&1 || true
  sleep 1
  PG_RSS1=$(rss_kib "$PG_PID")
  PG_DISK=$(du -sb "$WORK/promgate" | cut -f1)
fi

for who in prometheus promgate; do
  if [[ $who == prometheus ]]; then out=$PROM_OUT; r0=$PROM_RSS0; r1=$PROM_RSS1; disk=$PROM_DISK; c0=$PROM_CPU0; c1=$PROM_CPU1
  else out=$PG_OUT; r0=$PG_RSS0; r1=$PG_RSS1; disk=$PG_DISK; c0=$PG_CPU0; c1=$PG_CPU1; fi
  errors=$(figure errors "$out")
  if [[ "$errors" != 0 ]]; then
    echo "ingest-vs-prometheus.sh: $who answered $errors requests with an error" >&2
    exit 1
  fi
  echo "${who}_samples_per_second: $(figure samples_per_second "$out")"
  echo "${who}_seconds: $(figure seconds "$out")"
  echo "${who}_rss_bytes_per_active_series: $(( (r1 - r0) * 1024 / SERIES )) (RSS $((r0 / 1024)) MiB idle, $((r1 / 1024)) MiB after)"
  awk -v d="$disk" -v n="$((SERIES * SAMPLES))" -v w="$who" 'BEGIN { printf "%s_disk_bytes_per_sample: %.2f\n", w, d / n }'
  # CPU time the server spent during the load, per million samples: less sensitive to a busy machine than
  # samples/s (0 with PROMGATE_URL).
  awk -v c="$((c1 - c0))" -v hz="$(getconf CLK_TCK)" -v n="$((SERIES * SAMPLES))" -v w="$who" \
    'BEGIN { printf "%s_cpu_seconds_per_million_samples: %.2f\n", w, c / hz / (n / 1e6) }'
done
if (( BPS_SERIES > 0 )); then
  [[ -n "${PG_PID:-}" ]] && { kill "$PG_PID"; wait "$PG_PID" 2>/dev/null || true; }
  H=3600000
  BPS_BASE=$(( ( $(date +%s%3N) - 8 * H ) / (2 * H) * (2 * H) ))
  # Prometheus: its head holds exactly the 2h range; the snapshot writes it as one block.
  PROM_PORT=$(free_port)
  prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom-bps" --web.enable-remote-write-receiver \
    --web.enable-admin-api --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus-bps.log" 2>&1 &
  PROM_PID=$!
  PIDS+=("$PROM_PID")
  wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 30
  load_ok "http://127.0.0.1:$PROM_PORT/api/v1/write" "$BPS_SERIES" 480 "$BPS_BASE"
  SNAP=$(curl -fsS -XPOST "http://127.0.0.1:$PROM_PORT/api/v1/admin/tsdb/snapshot" | sed -n 's/.*"name":"\([^"]*\)".*/\1/p')
  PROM_BLOCK=$(ls -d "$WORK/prom-bps/snapshots/$SNAP"/*/ | head -1)
  kill "$PROM_PID"; wait "$PROM_PID" 2>/dev/null || true
  # promgate: the same samples, then one sample 2h15s after the
  # range so the 2h block is complete.
  if [[ -z "${PROMGATE_URL:-}" ]]; then
    printf 'storage: { path: %s, head-window: 2h, block-duration: 2h }\n' "$WORK/pg-bps" > "$WORK/promgate-bps.yaml"
    GW_PORT=$(free_port)
    # shellcheck disable=SC2086
    java ${PROMGATE_JAVA_OPTS:--Xmx2g} -Dpromgate.storage.maintenanceMillis=500 -jar "$JAR" run \
      --config "$WORK/promgate-bps.yaml" --listen "127.0.0.1:$GW_PORT" --grpc-listen "127.0.0.1:$(free_port)" \
      >"$WORK/promgate-bps.log" 2>&1 &
    PG_PID=$!
    PIDS+=("$PG_PID")
    wait_http "http://127.0.0.1:$GW_PORT/-/ready" 60
    load_ok "http://127.0.0.1:$GW_PORT/api/v1/write" "$BPS_SERIES" 480 "$BPS_BASE"
    load_ok "http://127.0.0.1:$GW_PORT/api/v1/write" 1 1 $(( BPS_BASE + 4 * H + 15000 ))
    PG_BLOCK=""
    for ((i = 0; i < 600; i++)); do
      PG_BLOCK=$(ls -d "$WORK"/pg-bps/anonymous/??????????????????????????/ 2>/dev/null | head -1 || true)
      [[ -n "$PG_BLOCK" && -f "$PG_BLOCK/meta.json" ]] && break
      sleep 0.1
    done
    [[ -n "$PG_BLOCK" ]] || { echo "ingest-vs-prometheus.sh: promgate cut no block" >&2; exit 1; }
    kill "$PG_PID"; wait "$PG_PID" 2>/dev/null || true
    echo "prometheus_bytes_per_sample: $(block_bytes_per_sample "$PROM_BLOCK")"
    echo "promgate_bytes_per_sample: $(block_bytes_per_sample "$PG_BLOCK")"
  fi
fi
awk -v a="$(figure samples_per_second "$PG_OUT")" -v b="$(figure samples_per_second "$PROM_OUT")" 'BEGIN { printf "ratio: %.2f\n", a / b }'
