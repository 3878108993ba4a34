#!/usr/bin/env bash
# A second test engine: Podman's Docker-compatible API service, isolated like scripts/test-engine.sh's dockerd.
# Its storage, run root, configuration, events log and socket all live under one directory; it talks only to
# the socket it created and stops only the pid it recorded. Runs as root without systemd, as CI does.
#
#   scripts/test-podman.sh start   install podman if missing, start, wait, seed the offline busybox image,
#                                  print "DOCKER_HOST=unix://…" as the last line
#   scripts/test-podman.sh stop    stop the service by its pid file
#   scripts/test-podman.sh env     print the DOCKER_HOST line
#   scripts/test-podman.sh seed    (re)create the offline base image
#   scripts/test-podman.sh status  exit 0 if the service answers
#   scripts/test-podman.sh purge   stop, unmount what Podman left mounted under its directory, delete the directory
#                                  (for a test's throwaway engine in a STRATA_PODMAN_DIR of its own)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/.." && pwd)"
# Short path: unix socket paths are limited to 107 bytes.
dir="${STRATA_PODMAN_DIR:-/tmp/strata-podman-$(printf '%s' "$project" | md5sum | cut -c1-8)}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
sock="$dir/podman.sock"
host="unix://$sock"
log() { echo "test-podman: $*" >&2; }
# shellcheck source=scripts/test-engine-lib.sh
source "$here/test-engine-lib.sh"

# Podman reads these on every call (the service and the seeding CLI alike), so nothing comes from /etc.
export CONTAINERS_CONF="$dir/containers.conf"
export CONTAINERS_STORAGE_CONF="$dir/storage.conf"
export CONTAINERS_REGISTRIES_CONF="$dir/registries.conf"
podman_cmd() { podman --root "$dir/root" --runroot "$dir/runroot" "$@"; }

ensure_packages() {
  local missing=()
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx sh || missing+=(busybox-static)
  if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || { log "missing ${missing[*]} and no apt-get: install them yourself"; exit 1; }
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

write_config() {
  mkdir -p "$dir/root" "$dir/runroot" "$dir/networks" "$dir/tmp"
  # runc refuses rlimits above the hard limits when the machine withholds CAP_SYS_RESOURCE (containers,
  # CI sandboxes), and Podman 4 asks for nproc=1048576 whatever containers.conf says; this wrapper lowers
  # the bundle's rlimits to what this process may grant, then hands over to runc unchanged.
  cat >"$dir/runc-wrapper" <<'SH'
#!/bin/bash
# `create` names the bundle (its config.json holds process.rlimits); `exec` a process file (rlimits at the top).
files=() prev=""
for a in "$@"; do
  case "$prev" in --bundle | -b) files+=("$a/config.json") ;; --process | -p) files+=("$a") ;; esac
  case "$a" in --bundle=*) files+=("${a#--bundle=}/config.json") ;; --process=*) files+=("${a#--process=}") ;; esac
  prev="$a"
done
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  node -e '
    const fs = require("fs");
    const [file, nofile, nproc] = process.argv.slice(1);
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    const limit = { RLIMIT_NOFILE: Number(nofile), RLIMIT_NPROC: Number(nproc) };
    for (const r of json.process?.rlimits ?? json.rlimits ?? []) {
      const max = limit[r.type];
      if (max > 0 && r.hard > max) { r.hard = max; r.soft = Math.min(r.soft, max); }
    }
    fs.writeFileSync(file, JSON.stringify(json));
  ' "$f" "$(ulimit -Hn)" "$(ulimit -Hu)"
done
exec runc "$@"
SH
  chmod +x "$dir/runc-wrapper"
  cat >"$dir/containers.conf" <<TOML
[containers]
# No network for containers unless a test asks: the machine has no route out, and tests use network none.
netns = "none"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/events.log"
runtime = "strata-runc"
tmp_dir = "$dir/tmp"

[engine.runtimes]
strata-runc = ["$dir/runc-wrapper"]

[network]
network_backend = "netavark"
network_config_dir = "$dir/networks"
TOML
  cat >"$dir/storage.conf" <<TOML
[storage]
driver = "${STRATA_PODMAN_STORAGE_DRIVER:-overlay}"
runroot = "$dir/runroot"
graphroot = "$dir/root"
TOML
  # No registries to search: short names resolve locally or fail, never reach out.
  printf 'unqualified-search-registries = []\nshort-name-mode = "permissive"\n' >"$dir/registries.conf"
}

answers() { curl -sf --max-time 2 --unix-socket "$sock" http://podman/_ping >/dev/null 2>&1; }

start() {
  ensure_packages
  if running_pid "$dir/podman.pid" >/dev/null && answers; then
    log "already running"
  else
    write_config
    rm -f "$sock"
    # Not through podman_cmd: $! must be podman's own pid, not a subshell's, for stop to reach it.
    podman --root "$dir/root" --runroot "$dir/runroot" system service --time=0 "$host" >"$dir/podman.log" 2>&1 &
    local launched=$!
    echo "$launched" >"$dir/podman.pid"
    for _ in $(seq 1 300); do
      answers && break
      if ! kill -0 "$launched" 2>/dev/null; then log "podman exited; last lines of $dir/podman.log:"; tail -20 "$dir/podman.log" >&2; exit 1; fi
      sleep 0.2
    done
    answers || { log "podman did not answer within 60s; see $dir/podman.log"; exit 1; }
    log "podman $(podman --version | awk '{print $3}') answering on $host"
  fi
  seed
  echo "DOCKER_HOST=$host"
}

seed() {
  if ! podman_cmd image exists localhost/strata-test/busybox:latest 2>/dev/null &&
    ! podman_cmd image exists strata-test/busybox:latest 2>/dev/null; then
    local archive
    archive="$(mktemp)"
    busybox_rootfs_tar >"$archive"
    # Through the API, as Docker's seeding does, so the image is named as the app will see it.
    curl -sf --unix-socket "$sock" -X POST -H 'Content-Type: application/x-tar' --data-binary "@$archive" \
      'http://podman/v1.41/images/create?fromSrc=-&repo=strata-test/busybox&tag=latest&changes=CMD%20%5B%22sh%22%5D&changes=ENV%20PATH%3D%2Fbin' >/dev/null
    rm -f "$archive"
    log "seeded strata-test/busybox:latest"
  fi
}

stop() {
  # The service waits for open connections (a client's event stream) before it exits: give it 5 s.
  stop_by_pid_file podman "$dir/podman.pid" 25
  rm -f "$dir/podman.pid"
}

# Podman keeps its storage's overlay directory (and any container it ran) mounted after the service exits, so
# the directory cannot simply be deleted: unmount everything under it, deepest first, then remove it.
purge() {
  stop
  case "$dir" in /tmp/?*) ;; *) log "refusing to purge $dir: not a directory under /tmp"; exit 1 ;; esac
  local mounts
  mounts="$(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)"
  for m in $mounts; do umount "$m" 2>/dev/null || umount -l "$m"; done
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  seed) seed ;;
  env) echo "DOCKER_HOST=$host" ;;
  status) answers ;;
  purge) purge ;;
  *) echo "usage: $0 start|stop|env|seed|status|purge" >&2; exit 2 ;;
esac
