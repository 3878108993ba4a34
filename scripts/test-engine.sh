#!/usr/bin/env bash
# The project's own test engine: an isolated dockerd (with its own containerd) whose socket, data root,
# exec root and pid files all live under one directory. It never touches another engine: it talks only
# to the sockets it created and stops only the pids it recorded.
#
#   scripts/test-engine.sh start   install packages if missing, start, wait, seed offline images,
#                                  print "DOCKER_HOST=unix://…" as the last line
#   scripts/test-engine.sh stop    stop the daemon and its containerd by their pid files
#   scripts/test-engine.sh env     print the DOCKER_HOST line
#   scripts/test-engine.sh seed    (re)create the offline base images
#   scripts/test-engine.sh status  exit 0 if the engine answers
#
# STRATA_ENGINE_DOCKERD_ARGS adds dockerd arguments (split on spaces), e.g. a TLS listener on loopback for tests.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Short default path: unix socket paths are limited to 107 bytes, and CI clones into deep folders.
project="$(cd "$here/.." && pwd)"
dir="${STRATA_ENGINE_DIR:-/tmp/strata-engine-$(printf '%s' "$project" | md5sum | cut -c1-8)}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
sock="$dir/docker.sock"
host="unix://$sock"
log() { echo "test-engine: $*" >&2; }
# shellcheck source=scripts/test-engine-lib.sh
source "$here/test-engine-lib.sh"

ensure_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v containerd >/dev/null 2>&1 || missing+=(docker.io)
  [ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx sh || missing+=(busybox-static)
  if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || { log "missing ${missing[*]} and no apt-get: install Docker Engine and a static busybox yourself"; exit 1; }
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # busybox must be static: the seeded image has no libc.
  if ! file_is_static /bin/busybox; then
    log "installing busybox-static (the installed busybox is dynamically linked)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
  fi
}

file_is_static() {
  # ldd (libc-bin, always present on Debian) says so for an executable without a program interpreter.
  local out
  out="$(LC_ALL=C ldd "$1" 2>&1 || true)"
  [[ "$out" == *"not a dynamic executable"* ]]
}

answers() { DOCKER_HOST="$host" docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start() {
  ensure_packages
  if running_pid "$dir/dockerd.pid" >/dev/null && answers; then
    log "already running"
  else
    mkdir -p "$dir/data" "$dir/exec" "$dir/containerd/root" "$dir/containerd/state"
    if ! running_pid "$dir/containerd.pid" >/dev/null; then
      # Our own containerd, so dockerd never falls back to a system one at /run/containerd.
      cat >"$dir/containerd/config.toml" <<TOML
version = 2
root = "$dir/containerd/root"
state = "$dir/containerd/state"
[grpc]
  address = "$dir/containerd/containerd.sock"
[debug]
  address = "$dir/containerd/debug.sock"
[ttrpc]
  address = "$dir/containerd/ttrpc.sock"
[plugins."io.containerd.grpc.v1.cri"]
  disable_tcp_service = true
TOML
      containerd --config "$dir/containerd/config.toml" >"$dir/containerd.log" 2>&1 &
      echo $! >"$dir/containerd.pid"
      for _ in $(seq 1 100); do [ -S "$dir/containerd/containerd.sock" ] && break; sleep 0.1; done
    fi
    local extra=()
    read -r -a extra <<<"${STRATA_ENGINE_DOCKERD_ARGS:-}"
    dockerd \
      --host "$host" \
      --data-root "$dir/data" \
      --exec-root "$dir/exec" \
      --pidfile "$dir/dockerd.pid" \
      --containerd "$dir/containerd/containerd.sock" \
      --containerd-namespace strata-test \
      --containerd-plugins-namespace strata-test-plugins \
      --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
      --userland-proxy=false \
      ${extra[@]+"${extra[@]}"} \
      >"$dir/dockerd.log" 2>&1 &
    local launched=$!
    for i in $(seq 1 300); do
      answers && break
      if ! kill -0 "$launched" 2>/dev/null; then log "dockerd exited; last lines of $dir/dockerd.log:"; tail -20 "$dir/dockerd.log" >&2; exit 1; fi
      sleep 0.2
    done
    answers || { log "dockerd did not answer within 60s; see $dir/dockerd.log"; exit 1; }
    log "dockerd $(DOCKER_HOST="$host" docker version --format '{{.Server.Version}}') answering on $host"
  fi
  seed
  echo "DOCKER_HOST=$host"
}

seed() {
  export DOCKER_HOST="$host"
  if ! docker image inspect strata-test/busybox:latest >/dev/null 2>&1; then
    busybox_rootfs_tar |
      docker import --change 'CMD ["sh"]' --change 'ENV PATH=/bin' --message 'static busybox, imported offline' - strata-test/busybox:latest >/dev/null
    log "seeded strata-test/busybox:latest"
  fi
}

stop() {
  stop_by_pid_file dockerd "$dir/dockerd.pid" 150
  stop_by_pid_file containerd "$dir/containerd.pid" 50
  rm -f "$dir/containerd.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  seed) seed ;;
  env) echo "DOCKER_HOST=$host" ;;
  status) answers ;;
  *) echo "usage: $0 start|stop|env|seed|status" >&2; exit 2 ;;
esac
