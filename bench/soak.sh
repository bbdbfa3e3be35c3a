#!/usr/bin/env bash
# Soak: MINUTES (first argument, default 30) of steady remote write into promgate's bundled store plus a
# Grafana-like query mix through federation (promgate in front of a real Prometheus that scrapes itself AND
# its own store, so most queries merge both). Every INTERVAL seconds it forces a full GC in promgate (jcmd
# GC.run) and prints: RSS, heap after that GC, GC count and time in the interval, and per interval the
# query and write counts, p99 latencies and failures.
#
# Fails (exit 1) when any request failed (non-2xx or no answer), or when memory grows without bound: the
# least-squares slope of heap-after-GC over the second half of the run is above MAX_SLOPE MiB/min (the
# first half is warm-up: caches, JIT, head chunks filling). Last line: `soak: ok` or `soak: failed (...)`.
#
# Env: SOAK_INTERVAL (30 s), SOAK_SERIES (500 written series), SOAK_WRITE_PERIOD_MS (5000),
# SOAK_QUERY_LOOPS (2 concurrent query loops), SOAK_MAX_SLOPE (2 MiB/min), PROMGATE_JAVA_OPTS.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MINUTES="${1:-30}"
INTERVAL="${SOAK_INTERVAL:-30}"
SERIES="${SOAK_SERIES:-500}"
WRITE_PERIOD_MS="${SOAK_WRITE_PERIOD_MS:-5000}"
QUERY_LOOPS="${SOAK_QUERY_LOOPS:-2}"
MAX_SLOPE="${SOAK_MAX_SLOPE:-2}"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_bins prometheus java jcmd jstat curl awk
SNAPPY_VERSION=$(sed -n 's:.*<snappy.version>\(.*\)</snappy.version>.*:\1:p' "$ROOT/pom.xml")
SNAPPY_JAR="$HOME/.m2/repository/org/xerial/snappy/snappy-java/$SNAPPY_VERSION/snappy-java-$SNAPPY_VERSION.jar"
[[ -f "$SNAPPY_JAR" ]] || (cd "$ROOT" && mvn -B -q -pl tsdb dependency:resolve >/dev/null)

# --- a real Prometheus scraping itself every 5s
start_self_scraping_prometheus "$WORK/prom" 5s
P_PORT=$PROM_PORT

# --- promgate: Prometheus + its own store behind one route
"$ROOT/promgate" version >/dev/null # build (if stale) before anything is measured
G_PORT=$(free_port)
GRPC_PORT=$(free_port)
cat > "$WORK/promgate.yaml" <<YAML
server: { http: 127.0.0.1:$G_PORT, grpc: 127.0.0.1:$GRPC_PORT }
storage: { path: $WORK/store }
backends:
  prom:  { type: prometheus, url: http://127.0.0.1:$P_PORT }
  local: { type: local }
routes:
  - windows:
      - { backends: [prom, local] }
YAML
JAVA_OPTS="${PROMGATE_JAVA_OPTS:--Xms256m -Xmx256m}" "$ROOT/promgate" run --config "$WORK/promgate.yaml" \
  >"$WORK/promgate.log" 2>&1 &
G_PID=$!
PIDS+=("$G_PID")
wait_http "http://127.0.0.1:$G_PORT/-/ready" 60
G="http://127.0.0.1:$G_PORT"

# --- load
java -cp "$SNAPPY_JAR" "$ROOT/bench/SoakWrite.java" "$G/api/v1/write" "$SERIES" "$WRITE_PERIOD_MS" \
  "$WORK/write.log" 2>"$WORK/write.err" &
PIDS+=($!)

QUERIES=(
  'sum by (job) (rate(soak_requests_total[1m]))'
  'sum(rate(prometheus_http_requests_total[1m])) by (handler)'
  'topk(5, rate(soak_requests_total{code="500"}[2m]))'
  'histogram_quantile(0.99, sum by (le) (rate(prometheus_http_request_duration_seconds_bucket[1m])))'
  'count({__name__=~"soak_requests_total|up|prometheus_tsdb_head_series"})'
  'max_over_time(prometheus_tsdb_head_series[5m])'
  'sum(rate(soak_requests_total[5m])) / ignoring(job) group_left sum(up)'
)
query_loop() { # log file
  local now start q i=0
  while :; do
    now=$(date +%s)
    start=$(( now - 900 ))
    for q in "${QUERIES[@]}"; do
      curl -s -o /dev/null -m 30 -w "%{http_code} %{time_total}\n" --get "$G/api/v1/query_range" \
        --data-urlencode "query=$q" --data-urlencode "start=$start" --data-urlencode "end=$now" \
        --data-urlencode "step=15" | sed "s/^/$(date +%s%3N) /" >>"$1"
    done
    for u in "/api/v1/query?query=up" "/api/v1/labels" "/api/v1/label/job/values" \
        "/api/v1/series?match[]=soak_requests_total{code=\"500\"}&start=$start" "/api/v1/metadata?limit=10"; do
      curl -s -o /dev/null -m 30 -g -w "%{http_code} %{time_total}\n" "$G$u" | sed "s/^/$(date +%s%3N) /" >>"$1"
    done
    i=$(( i + 1 ))
    sleep 0.5
  done
}
for ((k = 0; k < QUERY_LOOPS; k++)); do
  query_loop "$WORK/query.log" &
  PIDS+=($!)
done

# One line per interval: what happened in (prev, now].
summarize() { # log from_ms to_ms -> "n p99_ms failures"
  awk -v from="$2" -v to="$3" '$1 > from && $1 <= to { print $2, $3 * 1000 }' "$1" | sort -k2,2n |
    awk '{ n++; lat[n] = $2; if ($1 < 200 || $1 > 299) bad++ }
      END {
        if (n == 0) { print "0 0 0"; exit }
        i = int(0.99 * n + 0.999); if (i < 1) i = 1
        printf "%d %.1f %d\n", n, lat[i], bad + 0 }'
}
gc_totals() { # pid -> "count seconds" (all collectors)
  jstat -gc "$1" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
    NR == 2 { c = $col["YGC"] + $col["FGC"]; t = $col["YGCT"] + $col["FGCT"];
      if ("CGC" in col) { c += $col["CGC"]; t += $col["CGCT"] } printf "%d %.3f\n", c, t }'
}
heap_after_gc_mib() { # pid: old generation used, read right after a forced full GC (which leaves only live
  # objects there and empties eden), so requests running meanwhile do not blur it as eden would, MiB
  jstat -gc "$1" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
    NR == 2 { printf "%.1f\n", $col["OU"] / 1024 }'
}

touch "$WORK/query.log" "$WORK/write.log"
END_AT=$(( $(date +%s) + MINUTES * 60 ))
PREV_MS=$(date +%s%3N)
read -r PREV_GC PREV_GCT < <(gc_totals "$G_PID")
T0=$(date +%s)
printf '%7s %8s %9s %6s %8s %7s %9s %6s %7s %9s %6s\n' min rss_mib heap_mib gcs gc_ms queries q_p99_ms q_fail \
  writes w_p99_ms w_fail
: >"$WORK/heap.dat"
FAILS=0
while (( $(date +%s) < END_AT )); do
  sleep "$INTERVAL"
  NOW_MS=$(date +%s%3N)
  read -r GC GCT < <(gc_totals "$G_PID")
  jcmd "$G_PID" GC.run >/dev/null
  HEAP=$(heap_after_gc_mib "$G_PID")
  RSS=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$G_PID/status")
  read -r QN QP QF < <(summarize "$WORK/query.log" "$PREV_MS" "$NOW_MS")
  read -r WN WP WF < <(summarize "$WORK/write.log" "$PREV_MS" "$NOW_MS")
  MIN=$(awk -v s=$(( $(date +%s) - T0 )) 'BEGIN { printf "%.1f", s / 60 }')
  printf '%7s %8s %9s %6d %8.0f %7d %9s %6d %7d %9s %6d\n' "$MIN" "$RSS" "$HEAP" $(( GC - PREV_GC )) \
    "$(awk -v a="$GCT" -v b="$PREV_GCT" 'BEGIN { print (a - b) * 1000 }')" "$QN" "$QP" "$QF" "$WN" "$WP" "$WF"
  echo "$MIN $HEAP" >>"$WORK/heap.dat"
  FAILS=$(( FAILS + QF + WF ))
  if ! kill -0 "$G_PID" 2>/dev/null; then
    echo "soak: promgate died" >&2
    FAILS=$(( FAILS + 1 ))
    break
  fi
  # The forced GC is counted in the next interval; start that interval after it.
  read -r PREV_GC PREV_GCT < <(gc_totals "$G_PID")
  PREV_MS=$NOW_MS
done

read -r QN QP QF < <(summarize "$WORK/query.log" 0 99999999999999)
read -r WN WP WF < <(summarize "$WORK/write.log" 0 99999999999999)
# Least-squares slope of heap-after-GC over the second half of the intervals, MiB per minute.
SLOPE=$(awk '{ x[NR] = $1; y[NR] = $2 } END {
    from = int(NR / 2) + 1; n = NR - from + 1
    if (n < 2) { print "nan"; exit }
    for (i = from; i <= NR; i++) { sx += x[i]; sy += y[i] }
    mx = sx / n; my = sy / n
    for (i = from; i <= NR; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ^ 2 }
    printf "%.3f\n", (sxx > 0 ? sxy / sxx : 0) }' "$WORK/heap.dat")
echo "queries: $QN (p99 ${QP} ms, failed $QF)"
echo "writes: $WN (p99 ${WP} ms, failed $WF)"
echo "heap_after_gc_slope_mib_per_min: $SLOPE (second half; limit $MAX_SLOPE)"

REASONS=()
(( QF + WF == 0 )) || REASONS+=("$(( QF + WF )) failed requests")
(( QN > 0 && WN > 0 )) || REASONS+=("no load went through")
kill -0 "$G_PID" 2>/dev/null || REASONS+=("promgate died")
if [[ "$SLOPE" == nan ]]; then
  REASONS+=("too few intervals for a trend (run longer or lower SOAK_INTERVAL)")
elif awk -v s="$SLOPE" -v m="$MAX_SLOPE" 'BEGIN { exit !(s > m) }'; then
  REASONS+=("heap after GC grows by $SLOPE MiB/min")
fi
if (( ${#REASONS[@]} > 0 )); then
  grep -m 5 -i "error\|exception" "$WORK/promgate.log" >&2 || true
  echo "soak: failed ($(IFS=';'; echo "${REASONS[*]}"))"
  exit 1
fi
echo "soak: ok"
