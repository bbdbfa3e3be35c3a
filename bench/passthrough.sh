#!/usr/bin/env bash
# Pass-through overhead: the same instant query for DURATION seconds with wrk against Prometheus directly,
# through promgate (--upstream), and through nginx as a reference reverse proxy (one worker, keep-alive
# upstream) when nginx is installed. All in one run, on free ports. Prints req/s and p50/p99 per target,
# then `nginx_ratio: Y` (nginx/direct) and, as the very last line, `ratio: X` (promgate/direct).
#
# Env: DURATION (20), CONNECTIONS (32), THREADS (2), QUERY (up), PROMGATE_JAVA_OPTS.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
QUERY="${QUERY:-up}"

for bin in prometheus wrk java; do
  command -v "$bin" >/dev/null || { echo "passthrough.sh: $bin is not installed" >&2; exit 2; }
done

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}

wait_http() { # url, seconds
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "passthrough.sh: $1 did not come up" >&2; return 1
}

# --- Prometheus, scraping itself every second so the query has data.
PROM_PORT=$(free_port)
cat > "$WORK/prometheus.yml" <<YAML
global: { scrape_interval: 1s }
scrape_configs:
  - job_name: prometheus
    static_configs: [{ targets: ['127.0.0.1:$PROM_PORT'] }]
YAML
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 30

# --- promgate in front of it.
JAR="$ROOT/gateway/target/promgate.jar"
if [[ ! -f "$JAR" ]]; then (cd "$ROOT" && mvn -B -q -DskipTests -pl gateway -am package); fi
GW_PORT=$(free_port)
# shellcheck disable=SC2086
java ${PROMGATE_JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx256m} -jar "$JAR" run \
  --upstream "http://127.0.0.1:$PROM_PORT" --listen "127.0.0.1:$GW_PORT" >"$WORK/promgate.log" 2>&1 &
PIDS+=($!)
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
fi

sleep 3 # a few scrapes, so the query returns a series
ENC_QUERY=$(printf '%s' "$QUERY" | od -An -tx1 | tr -d ' \n' | sed 's/\(..\)/%\1/g')
PATHQ="/api/v1/query?query=$ENC_QUERY"

# wrk prints "Requests/sec: N" and, with --latency, "50% 1.2ms" lines; normalise latencies to ms.
run_wrk() { # name url
  local out rps p50 p99
  # warm-up (JIT, connection pools), not measured
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$2" >/dev/null 2>&1 || true
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$2")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  if grep -q "Non-2xx" <<<"$out"; then echo "passthrough.sh: $1 answered non-2xx:" >&2; echo "$out" >&2; fi
  printf '%-9s req/s: %10s  p50: %8s  p99: %8s\n' "$1" "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")"
  RPS="$rps"
}
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2fms", n }'
}

echo "query: $QUERY, ${DURATION}s each, $CONNECTIONS connections, $THREADS wrk threads, $(nproc) cores"
run_wrk direct "http://127.0.0.1:$PROM_PORT$PATHQ"; DIRECT="$RPS"
run_wrk promgate "http://127.0.0.1:$GW_PORT$PATHQ"; PROMGATE="$RPS"
if [[ -n "$NGX_PORT" ]]; then
  run_wrk nginx "http://127.0.0.1:$NGX_PORT$PATHQ"; NGINX="$RPS"
  echo "nginx_ratio: $(awk -v a="$NGINX" -v b="$DIRECT" 'BEGIN { printf "%.3f", a / b }')"
fi
echo "ratio: $(awk -v a="$PROMGATE" -v b="$DIRECT" 'BEGIN { printf "%.3f", a / b }')"
