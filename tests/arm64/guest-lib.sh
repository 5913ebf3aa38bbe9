# Sourced by tests/arm64/make-guest.sh and tests/arm64/test-arm64.sh: start the arm64 guest under
# qemu-system-aarch64 (TCG: no KVM for arm64 on an amd64 machine) and follow its serial console.
#
#   guest_start CACHE MODE IMAGE CONSOLE [SHARE_DIR HOST_PORT]   starts QEMU in the background (GUEST_PID)
#   guest_wait CONSOLE REGEX QUIET_LIMIT TOTAL_LIMIT             waits for a console line matching REGEX
#   guest_stop                                                   powers the guest off the hard way
#
# Waits are bounded by progress, not by a guess of how fast TCG is on a loaded machine: a wait
# fails when the console has been silent for QUIET_LIMIT seconds (systemd, dpkg and the kernel print
# as they go), or after TOTAL_LIMIT seconds whatever happens.

GUEST_PID=

guest_start() {
  local cache=$1 mode=$2 image=$3 console=$4 share=${5:-} port=${6:-}
  local args=(-M virt -cpu cortex-a72 -smp 2 -m 1024 -accel tcg,thread=multi
    -kernel "$cache/kernel/unpacked/boot/vmlinuz-$(cat "$cache/kernel/release")"
    -initrd "$cache/initramfs.cpio.gz"
    -append "console=ttyAMA0 camstreamd.mode=$mode loglevel=4 systemd.show_status=1"
    -display none -monitor none -serial "file:$console" -no-reboot
    -device virtio-rng-pci)
  if [ "$mode" = test ]; then
    # snapshot=on: the guest's writes (the installed package) go to a temporary file, the cached image stays as made.
    args+=(-drive "file=$image,if=none,id=root,format=raw,snapshot=on" -device virtio-blk-pci,drive=root
      -netdev "user,id=net0,hostfwd=tcp:127.0.0.1:$port-:8554" -device virtio-net-pci,netdev=net0
      -fsdev "local,id=share,path=$share,security_model=none,readonly=on" -device virtio-9p-pci,fsdev=share,mount_tag=share)
  else
    args+=(-drive "file=$image,if=none,id=root,format=raw" -device virtio-blk-pci,drive=root -nic none)
  fi
  : >"$console"
  qemu-system-aarch64 "${args[@]}" </dev/null >"$console.qemu" 2>&1 &
  GUEST_PID=$!
}

guest_wait() {
  local console=$1 regex=$2 quiet_limit=$3 total_limit=$4
  local start last_size=-1 last_change size now
  start=$(date +%s); last_change=$start
  while :; do
    grep -aEq "$regex" "$console" 2>/dev/null && return 0
    now=$(date +%s)
    if ! kill -0 "$GUEST_PID" 2>/dev/null; then
      grep -aEq "$regex" "$console" 2>/dev/null && return 0
      echo "the guest stopped before printing /$regex/ (qemu: $(tr '\n' ' ' <"$console.qemu"))" >&2
      return 1
    fi
    size=$(stat -c %s "$console" 2>/dev/null || echo 0)
    if [ "$size" != "$last_size" ]; then last_size=$size; last_change=$now; fi
    if [ $(( now - last_change )) -ge "$quiet_limit" ]; then
      echo "the guest console was silent for $quiet_limit s while waiting for /$regex/" >&2
      return 1
    fi
    if [ $(( now - start )) -ge "$total_limit" ]; then
      echo "no /$regex/ on the guest console after $total_limit s" >&2
      return 1
    fi
    sleep 1
  done
}

guest_exit() {
  # Waits up to $1 s for QEMU to exit by itself (the guest powering off).
  local n=0
  while kill -0 "$GUEST_PID" 2>/dev/null && [ $n -lt "$1" ]; do sleep 1; n=$((n + 1)); done
  ! kill -0 "$GUEST_PID" 2>/dev/null
}

guest_stop() {
  [ -n "$GUEST_PID" ] || return 0
  kill "$GUEST_PID" 2>/dev/null || true
  wait "$GUEST_PID" 2>/dev/null || true
  GUEST_PID=
}
