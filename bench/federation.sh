#!/usr/bin/env bash
# Federation cost: the same range queries (3h, step 60s) through promgate against ONE Prometheus holding all
# data (pushed down unchanged) and against THREE Prometheus servers holding one hour each (promgate fetches
# raw data from all three by remote read, merges and evaluates itself). Data: 3h of 15s samples built into
# blocks with promtool. Prints per-query median times and, last, `ratio: X` = median federated / median single.
#
# Env: RUNS (20 per query), WARMUP (50 untimed rounds over all queries), SERIES (40 counter series),
# PROMGATE_JAVA_OPTS. The warm-up is long because the federated path is Java code that the JIT compiles only
# after some thousand calls, while the pushed-down path is mostly Prometheus' compiled Go; a gateway serves
# for days, so the steady state is what counts (3 rounds measured the interpreter: ratio 1.66 vs 1.39).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${RUNS:-20}"
SERIES="${SERIES:-40}"
WARMUP="${WARMUP:-50}"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_bins prometheus promtool java curl awk

# start_prom and start_gw run inside $(...): a PIDS+= there is lost with the subshell, and the servers
# outlived the run. They record their child in a file that the exit trap reads.
track() { echo "$1" >>"$WORK/pids"; }
stop_tracked() {
  if [[ -f "$WORK/pids" ]]; then
    while read -r p; do kill "$p" 2>/dev/null || true; done <"$WORK/pids"
    while read -r p; do
      for ((i = 0; i < 100; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    done <"$WORK/pids"
  fi
  cleanup
}
trap stop_tracked EXIT


NOW=$(date +%s)
END=$(( NOW / 15 * 15 ))
START=$(( END - 3 * 3600 ))

# OpenMetrics text for [from, to): counters and gauges every 15s.
gen() { # from to file
  awk -v from="$1" -v to="$2" -v start="$START" -v n="$SERIES" 'BEGIN {
    for (s = 0; s < n; s++) {
      for (t = from; t < to; t += 15) {
        i = (t - start) / 15
        printf "bench_requests_total{instance=\"i%d\",code=\"%d\"} %d %d\n", s % 10, 200 + 100 * int(s / 10), i * (s + 1) * 3 + (i % 7), t
      }
    }
    for (s = 0; s < 10; s++) {
      for (t = from; t < to; t += 15) {
        i = (t - start) / 15
        printf "bench_temperature{room=\"r%d\"} %.2f %d\n", s, 20 + 5 * sin(i / 40 + s), t
      }
    }
    print "# EOF"
  }' > "$3"
}

start_prom() { # name from to
  local dir="$WORK/$1" port
  mkdir -p "$dir"
  gen "$2" "$3" "$dir/data.om"
  promtool tsdb create-blocks-from openmetrics "$dir/data.om" "$dir/tsdb" >/dev/null
  echo "global: {}" > "$dir/prometheus.yml"
  port=$(free_port)
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/tsdb" \
    --web.listen-address="127.0.0.1:$port" --log.level=warn >"$dir/log" 2>&1 &
  track $!
  wait_http "http://127.0.0.1:$port/-/ready" 120
  echo "$port"
}

P_ALL=$(start_prom all "$START" $(( END + 1 )))
P1=$(start_prom p1 "$START" $(( END - 7200 )))
P2=$(start_prom p2 $(( END - 7200 )) $(( END - 3600 )))
P3=$(start_prom p3 $(( END - 3600 )) $(( END + 1 )))


# Build (if stale) before anything is timed or waited for.
"$ROOT/promgate" version >/dev/null

start_gw() { # name config-body
  local port
  port=$(free_port)
  printf 'server: { http: 127.0.0.1:%s }\n%s\n' "$port" "$2" > "$WORK/$1.yaml"
  # The launcher rebuilds the jar when any main source is newer than it.
  JAVA_OPTS="${PROMGATE_JAVA_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m}" "$ROOT/promgate" run \
    --config "$WORK/$1.yaml" >"$WORK/$1.log" 2>&1 &
  track $!
  wait_http "http://127.0.0.1:$port/-/ready" 120
  echo "$port"
}

# The results cache is off on both sides: it would answer the repeated runs from memory and time itself,
# not the federation.
G_SINGLE=$(start_gw single "cache: { max-bytes: 0 }
backends:
  all: { type: prometheus, url: http://127.0.0.1:$P_ALL }")
# Absolute windows at the cuts of the data (END-2h, END-1h), not relative ones: by the time the queries run,
# now-1h has moved past END-1h, and a relative split would route the samples in between to a server that
# does not hold them.
G_FED=$(start_gw federated "cache: { max-bytes: 0 }
backends:
  p1: { type: prometheus, url: http://127.0.0.1:$P1 }
  p2: { type: prometheus, url: http://127.0.0.1:$P2 }
  p3: { type: prometheus, url: http://127.0.0.1:$P3 }
routes:
  - windows:
      - { from: $(( END - 3600 )), backends: [p3] }
      - { from: $(( END - 7200 )), to: $(( END - 3600 )), backends: [p2] }
      - { to: $(( END - 7200 )), backends: [p1] }")

QUERIES=(
  'sum(rate(bench_requests_total[5m]))'
  'sum by (code) (rate(bench_requests_total[5m]))'
  'topk(3, rate(bench_requests_total[10m]))'
  'avg_over_time(bench_temperature[30m])'
  'max(bench_temperature)'
  'increase(bench_requests_total{code="200"}[1h])'
  'quantile(0.9, rate(bench_requests_total[5m]))'
  'max_over_time(sum(rate(bench_requests_total[2m]))[20m:1m])'
)

median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

run_query() { # port query -> seconds
  curl -sS -o /dev/null -w '%{time_total}\n' --get "http://127.0.0.1:$1/api/v1/query_range" \
    --data-urlencode "query=$2" --data-urlencode "start=$(( END - 3 * 3600 + 300 ))" \
    --data-urlencode "end=$END" --data-urlencode "step=60"
}

# Warm both JVMs on the whole query set first: the federated side runs the engine, decoders and merges,
# which the JIT has to compile before they are timed; the single side only relays.
for ((w = 0; w < WARMUP; w++)); do
  for q in "${QUERIES[@]}"; do
    run_query "$G_SINGLE" "$q" >/dev/null
    run_query "$G_FED" "$q" >/dev/null
  done
done

SINGLES=()
FEDS=()
printf '%-60s %12s %12s\n' query single_ms federated_ms
for q in "${QUERIES[@]}"; do
  # Alternate the two sides run by run, so that load from other processes hits both alike.
  : >"$WORK/s.txt"
  : >"$WORK/f.txt"
  for ((i = 0; i < RUNS; i++)); do
    run_query "$G_SINGLE" "$q" | awk '{print $1 * 1000}' >>"$WORK/s.txt"
    run_query "$G_FED" "$q" | awk '{print $1 * 1000}' >>"$WORK/f.txt"
  done
  s=$(median <"$WORK/s.txt")
  f=$(median <"$WORK/f.txt")
  SINGLES+=("$s")
  FEDS+=("$f")
  printf '%-60s %12.1f %12.1f\n' "$q" "$s" "$f"
done
MS=$(printf '%s\n' "${SINGLES[@]}" | median)
MF=$(printf '%s\n' "${FEDS[@]}" | median)
echo "median_single_ms: $MS"
echo "median_federated_ms: $MF"
awk -v f="$MF" -v s="$MS" 'BEGIN { printf "ratio: %.2f\n", f / s }'
