# Shared by scripts/test-engine.sh (dockerd) and scripts/test-podman.sh (Podman): the offline busybox root
# both engines import, and finding and stopping a daemon only by the pid file this project wrote. Sourced,
# not run; the caller defines log().

# The pid recorded in file $1, printed only while that process is alive.
running_pid() {
  local f="$1"
  [ -f "$f" ] || return 1
  local pid
  pid="$(cat "$f")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Stop the process recorded in pid file $2 (named $1 in the log): TERM, then up to $3 polls 0.2 s apart for it
# to exit, then KILL. Nothing but that one recorded pid is ever signalled.
stop_by_pid_file() {
  local name="$1" file="$2" polls="$3" pid
  if pid="$(running_pid "$file")"; then
    kill "$pid"
    for _ in $(seq 1 "$polls"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "stopped $name ($pid)"
  fi
  return 0
}

# Write a tar of a minimal root filesystem to stdout: the static /bin/busybox with a link per applet, a
# passwd and group with root and nobody, and a world-writable /tmp. Owned by root, whoever runs it.
busybox_rootfs_tar() {
  local root
  root="$(mktemp -d)"
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/var" "$root/home"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - .
  rm -rf "$root"
}
