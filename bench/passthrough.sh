#!/usr/bin/env bash
# Pass-through overhead: the same instant query for DURATION seconds with wrk against Prometheus directly,
# through promgate (--upstream), and through nginx as a reference reverse proxy (one worker, keep-alive
# upstream) when nginx is installed. All in one run, on free ports. Prints req/s and p50/p99 per target,
# then `cpu_us_per_request:` (process CPU time of the proxies per request answered, from /proc: on a busy
# machine this compares the proxies' own cost better than req/s), `nginx_ratio: Y` (nginx/direct) and, as
# the very last line, `ratio: X` (promgate/direct).
#
# Env: DURATION (20), ROUNDS (4), WARMUP (10, seconds per target, unmeasured: JIT and pools), CONNECTIONS (32),
# THREADS (2), QUERY (up), PROMGATE_JAVA_OPTS.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
QUERY="${QUERY:-up}"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
require_bins prometheus wrk java


# --- Prometheus, scraping itself every second so the query has data.
start_self_scraping_prometheus "$WORK/prom" 1s

# --- promgate in front of it.
JAR="$ROOT/gateway/target/promgate.jar"
if [[ ! -f "$JAR" ]]; then (cd "$ROOT" && mvn -B -q -DskipTests -pl gateway -am package); fi
GW_PORT=$(free_port)
# shellcheck disable=SC2086
java ${PROMGATE_JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx256m} -jar "$JAR" run \
  --upstream "http://127.0.0.1:$PROM_PORT" --listen "127.0.0.1:$GW_PORT" >"$WORK/promgate.log" 2>&1 &
PIDS+=($!)
declare -A CPU_PIDS
CPU_PIDS[promgate]=$!
wait_http "http://127.0.0.1:$GW_PORT/-/ready" 60

# --- nginx as the reference proxy.
NGX_PORT=""
if command -v nginx >/dev/null; then
  NGX_PORT=$(free_port)
  mkdir -p "$WORK/nginx/logs"
  cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  upstream prom { server 127.0.0.1:$PROM_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGX_PORT;
    location / {
      proxy_pass http://prom;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering on;
    }
  }
}
NGINX
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >"$WORK/nginx.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$NGX_PORT/-/ready" 10
  CPU_PIDS[nginx]="$! $(cat "/proc/$!/task/$!/children" 2>/dev/null || true)" # master and its worker
fi

sleep 3 # a few scrapes, so the query returns a series
ENC_QUERY=$(printf '%s' "$QUERY" | od -An -tx1 | tr -d ' \n' | sed 's/\(..\)/%\1/g')
PATHQ="/api/v1/query?query=$ENC_QUERY"

# The machine is shared (wrk, Prometheus and the proxy on 2 cores, maybe other jobs), so the targets are
# measured in ROUNDS interleaved slices of DURATION/ROUNDS seconds each, rotating the order: a burst of
# background load then hurts all targets alike. req/s = all requests / all seconds; p50 and p99 are the
# medians of the per-slice figures (wrk --latency).
ROUNDS="${ROUNDS:-4}"
SLICE=$(( DURATION / ROUNDS )); (( SLICE >= 1 )) || SLICE=1

to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# CPU time (utime + stime, all threads) of the given processes, in clock ticks.
cpu_ticks() {
  local p t=0 f
  for p in "$@"; do
    # The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
    f=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null) || continue
    t=$(( t + $(awk '{ print $12 + $13 }' <<<"$f") ))
  done
  echo "$t"
}

declare -A URL REQS SECS P50S P99S TICKS
NAMES=(direct promgate)
URL[direct]="http://127.0.0.1:$PROM_PORT$PATHQ"
URL[promgate]="http://127.0.0.1:$GW_PORT$PATHQ"
if [[ -n "$NGX_PORT" ]]; then NAMES+=(nginx); URL[nginx]="http://127.0.0.1:$NGX_PORT$PATHQ"; fi
for n in "${NAMES[@]}"; do
  REQS[$n]=0; SECS[$n]=0; P50S[$n]=""; P99S[$n]=""; TICKS[$n]=0
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP:-10}s" "${URL[$n]}" >/dev/null 2>&1 || true # warm-up: JIT, pools
done

echo "query: $QUERY, ${DURATION}s per target in $ROUNDS interleaved rounds, $CONNECTIONS connections, $THREADS wrk threads, $(nproc) cores"
for ((r = 0; r < ROUNDS; r++)); do
  for ((i = 0; i < ${#NAMES[@]}; i++)); do
    n=${NAMES[$(( (i + r) % ${#NAMES[@]} ))]}
    # shellcheck disable=SC2086
    t0=$(cpu_ticks ${CPU_PIDS[$n]:-})
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SLICE}s" --latency "${URL[$n]}")
    # shellcheck disable=SC2086
    TICKS[$n]=$(( ${TICKS[$n]} + $(cpu_ticks ${CPU_PIDS[$n]:-}) - t0 ))
    if grep -q "Non-2xx" <<<"$out"; then echo "passthrough.sh: $n answered non-2xx:" >&2; echo "$out" >&2; exit 1; fi
    reqs=$(awk '/requests in/ {print $1}' <<<"$out")
    secs=$(awk '/requests in/ { v = $4; sub(/,$/, "", v); n = v + 0; if (v ~ /ms$/) n /= 1000; else if (v ~ /m$/) n *= 60; print n }' <<<"$out")
    REQS[$n]=$(( ${REQS[$n]} + reqs ))
    SECS[$n]=$(awk -v a="${SECS[$n]}" -v b="$secs" 'BEGIN { print a + b }')
    P50S[$n]+="$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")") "
    P99S[$n]+="$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")") "
  done
done

declare -A RPS
for n in "${NAMES[@]}"; do
  RPS[$n]=$(awk -v a="${REQS[$n]}" -v b="${SECS[$n]}" 'BEGIN { printf "%.1f", a / b }')
  printf '%-9s req/s: %10s  p50: %8sms  p99: %8sms\n' "$n" "${RPS[$n]}" \
    "$(tr ' ' '\n' <<<"${P50S[$n]}" | grep . | median)" "$(tr ' ' '\n' <<<"${P99S[$n]}" | grep . | median)"
done
HZ=$(getconf CLK_TCK)
cpu_line="cpu_us_per_request:"
for n in promgate nginx; do
  [[ -n "${CPU_PIDS[$n]:-}" ]] || continue
  cpu_line+=" $n $(awk -v t="${TICKS[$n]}" -v hz="$HZ" -v r="${REQS[$n]}" 'BEGIN { printf "%.1f", t / hz * 1e6 / r }')"
done
echo "$cpu_line"
if [[ -n "$NGX_PORT" ]]; then
  echo "nginx_ratio: $(awk -v a="${RPS[nginx]}" -v b="${RPS[direct]}" 'BEGIN { printf "%.3f", a / b }')"
fi
echo "ratio: $(awk -v a="${RPS[promgate]}" -v b="${RPS[direct]}" 'BEGIN { printf "%.3f", a / b }')"
