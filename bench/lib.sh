# Shared by the bench/*.sh scripts (sourced, not run): a scratch directory and child processes that are
# cleaned up on exit, free loopback ports, and waiting for a server to answer.
# The sourcing script appends the PIDs of what it starts to PIDS.

BENCH_NAME="$(basename "$0")"

require_bins() {
  local bin
  for bin in "$@"; do
    command -v "$bin" >/dev/null || { echo "$BENCH_NAME: $bin is not installed" >&2; exit 2; }
  done
}

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  # Below Linux' ephemeral range (32768-60999): a port picked there can be taken by an outgoing connection
  # (wrk's, a client pool's) before the server binds it.
  local p
  while :; do
    p=$(( 10000 + RANDOM % 22000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}

wait_http() { # url, seconds
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$BENCH_NAME: $1 did not come up" >&2
  exit 1
}

# A real Prometheus scraping itself every $2 (e.g. 1s), its files under $1; sets PROM_PORT (not echoed: a
# $(...) subshell would lose the PID appended to PIDS).
start_self_scraping_prometheus() { # dir, scrape interval
  PROM_PORT=$(free_port)
  mkdir -p "$1"
  cat > "$1/prometheus.yml" <<YAML
global: { scrape_interval: $2 }
scrape_configs:
  - job_name: prometheus
    static_configs: [ { targets: ['127.0.0.1:$PROM_PORT'] } ]
YAML
  prometheus --config.file="$1/prometheus.yml" --storage.tsdb.path="$1/tsdb" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$1/prometheus.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 30
}
