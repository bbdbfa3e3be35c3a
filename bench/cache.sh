#!/usr/bin/env bash
# Results cache on a dashboard: one promgate in front of one Prometheus holding 25 h of data (330 series by default,
# 30 s scrapes, built into blocks with promtool). A dashboard of 20 range queries over 24 h (step 60 s,
# start and end aligned to the step as Grafana does) is loaded, then refreshed 10 times, the window sliding
# by 30 s each time, in real time (INTERVAL=30 s between loads; the cache's freshness rule runs on the real
# clock). Every query is sent with the cache and with `Cache-Control: no-cache` (which bypasses it), and
# both answers must be byte-identical. Prints per-load times, then `cold_ratio` (initial load included)
# and last `ratio: X` = uncached time / cached time over the 10 refreshes.
#
# Env: INTERVAL (30 s; smaller runs faster but the windows then run ahead of the clock and less is
# cacheable), REFRESHES (10), STEP (60), INSTANCES (10; 33 series each), WARMUP (30 untimed rounds of the
# dashboard, cached and uncached, under another tenant so the measured one starts cold: JIT warm-up),
# PROMGATE_JAVA_OPTS.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
INTERVAL="${INTERVAL:-30}"
REFRESHES="${REFRESHES:-10}"
STEP="${STEP:-60}"
INSTANCES="${INSTANCES:-10}"
WARMUP="${WARMUP:-30}"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_bins prometheus promtool java curl awk


NOW=$(date +%s)
# 25 h back (24 h window + lookback + ranges), and into the future for the refreshes of the next minutes.
FROM=$(( (NOW - 25 * 3600) / 30 * 30 ))
TO=$(( NOW + 15 * 60 ))
echo "generating data $FROM..$TO" >&2
awk -v from="$FROM" -v to="$TO" -v instances="$INSTANCES" 'BEGIN {
  split("0.05 0.1 0.25 0.5 1 2.5 5 +Inf", le, " ")
  split("user system idle", mode, " ")
  for (t = from; t < to; t += 30) {
    i = (t - from) / 30
    for (inst = 0; inst < instances; inst++) {
      for (h = 0; h < 5; h++) {
        printf "http_requests_total{instance=\"i%d\",handler=\"/h%d\",code=\"200\"} %d %d\n", inst, h, i * (inst + h + 3) * 7 + (i * 7) % 5, t
        printf "http_requests_total{instance=\"i%d\",handler=\"/h%d\",code=\"500\"} %d %d\n", inst, h, i * (inst % 3 + 1) + (i * 3) % 2, t
      }
      c = 0
      for (b = 1; b <= 8; b++) {
        c += i * (9 - b) + (i * b) % 3
        printf "http_request_duration_seconds_bucket{instance=\"i%d\",le=\"%s\"} %d %d\n", inst, le[b], c, t
      }
      printf "http_request_duration_seconds_count{instance=\"i%d\"} %d %d\n", inst, c, t
      printf "http_request_duration_seconds_sum{instance=\"i%d\"} %.3f %d\n", inst, c * 0.21, t
      for (cpu = 0; cpu < 4; cpu++) {
        for (m = 1; m <= 3; m++) {
          printf "node_cpu_seconds_total{instance=\"i%d\",cpu=\"%d\",mode=\"%s\"} %.2f %d\n", inst, cpu, mode[m], i * (m == 3 ? 20 : 4 + cpu + inst % 3) * 0.37, t
        }
      }
      printf "node_memory_used_bytes{instance=\"i%d\"} %d %d\n", inst, 1e9 + inst * 1e8 + 5e7 * sin(i / 50 + inst), t
    }
  }
  print "# EOF"
}' > "$WORK/data.om"
mkdir -p "$WORK/prom"
promtool tsdb create-blocks-from openmetrics "$WORK/data.om" "$WORK/prom/tsdb" >/dev/null
rm -f "$WORK/data.om"
echo "global: {}" > "$WORK/prom/prometheus.yml"
PPORT=$(free_port)
prometheus --config.file="$WORK/prom/prometheus.yml" --storage.tsdb.path="$WORK/prom/tsdb" \
  --web.listen-address="127.0.0.1:$PPORT" --log.level=warn >"$WORK/prom/log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PPORT/-/ready" 60

GPORT=$(free_port)
printf 'server: { http: 127.0.0.1:%s }\nbackends: { prometheus: { type: prometheus, url: "http://127.0.0.1:%s" } }\ncache: { max-bytes: 512MiB, max-freshness: 1m, extent: 24h }\n' \
  "$GPORT" "$PPORT" > "$WORK/promgate.yaml"
# The launcher rebuilds the jar when any main source is newer than it.
JAVA_OPTS="${PROMGATE_JAVA_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m}" "$ROOT/promgate" run \
  --config "$WORK/promgate.yaml" >"$WORK/promgate.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$GPORT/-/ready" 120

java "$ROOT/bench/CacheDashboard.java" "http://127.0.0.1:$GPORT" "$ROOT/bench/dashboard-queries.txt" \
  "$REFRESHES" "$INTERVAL" "$STEP" "$WARMUP" > "$WORK/out" || { cat "$WORK/out"; exit 1; }
head -n -1 "$WORK/out"
curl -s "http://127.0.0.1:$GPORT/metrics" | grep '^promgate_cache' | sed 's/^/# /'
# The ratio stays the very last line.
tail -n 1 "$WORK/out"
