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
  echo "$BENCH_NAME: $1 did not come up" >&2
  exit 1
}
