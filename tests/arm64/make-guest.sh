#!/usr/bin/env bash
# Creates (once) what the arm64 systemd guest boots: Debian's arm64 kernel, an initramfs made of
# Debian's arm64 busybox-static and the kernel's own modules, and a Debian 12 arm64 root disk image
# (systemd, udev, kmod and what the arm64 package depends on). Prints the cache directory's path.
#
#   tests/arm64/make-guest.sh        create what is missing; print the cache directory
#
# Environment:
#   CAMSTREAMD_ARM64_GUEST    cache directory (default: ~/.cache/camstreamd/arm64-guest)
#   CAMSTREAMD_DEBIAN_MIRROR  Debian mirror URL (default: the first Debian URI in this machine's apt sources)
#
# The root is made without binfmt_misc (which is global to the kernel, and absent in containers):
# `debootstrap --foreign` downloads and unpacks on the host, then the guest itself runs the second
# stage (the packages' maintainer scripts) under qemu-system-aarch64, booted from the initramfs
# with camstreamd.mode=stage2. Needs root (debootstrap, mkfs.ext4 -d keeping owners), apt with the
# arm64 architecture added (dpkg --add-architecture arm64) for `apt-get download`.
# Concurrent callers wait on a lock; an interrupted run is thrown away and made again. A root made
# with another package list is made again; after changing init.sh's second stage, delete the cache.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/arm64/guest-lib.sh
. "$HERE/guest-lib.sh"
CACHE=${CAMSTREAMD_ARM64_GUEST:-${XDG_CACHE_HOME:-$HOME/.cache}/camstreamd/arm64-guest}
SUITE=bookworm
# What the arm64 package's Depends name (dpkg-deb -I), as Debian 12 spells them, and what the
# guest needs to boot as a board does: systemd as init, udev (the video group on /dev/video*),
# kmod (modprobe vivid).
PACKAGES=systemd,systemd-sysv,udev,kmod,adduser,init-system-helpers,libssl3,libavcodec59,libavutil57,libswscale6,libavformat59
# Loaded by the initramfs, in this order (each after the modules it depends on): the PCI virtio
# transport, the root disk (ext4 checksums need crc32c), the 9p share with the package.
INITRAMFS_MODULES="virtio_pci virtio_blk crc32c_generic ext4 9pnet_virtio 9p"

log() { printf '[arm64-guest] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

mirror() {
  if [ -n "${CAMSTREAMD_DEBIAN_MIRROR:-}" ]; then echo "$CAMSTREAMD_DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
    | sed -nE 's/^URIs:[[:space:]]*([^[:space:]]+).*/\1/p; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' \
    | grep -v -- '-security' | grep -i debian | head -n 1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# Debian's arm64 kernel: the package linux-image-arm64 depends on, unpacked (never installed here).
make_kernel() {
  [ -f "$CACHE/kernel/.complete" ] && return 0
  local pkg dir="$CACHE/kernel.partial"
  pkg=$(apt-cache depends linux-image-arm64:arm64 | sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*\).*/\1/p' | head -n 1)
  [ -n "$pkg" ] || die "no linux-image-*-arm64 package known to apt: run apt-get update after dpkg --add-architecture arm64"
  log "downloading Debian's arm64 kernel ($pkg)"
  rm -rf "$dir" && mkdir -p "$dir/deb"
  (cd "$dir/deb" && apt-get download -q "$pkg:arm64" "busybox-static:arm64" >/dev/null 2>&1) \
    || die "apt-get download $pkg:arm64 busybox-static:arm64 failed (network to the Debian mirror?)"
  local deb
  for deb in "$dir"/deb/*.deb; do dpkg-deb -x "$deb" "$dir/unpacked"; done
  rm -rf "$dir/deb"
  local release
  release=$(ls "$dir/unpacked/lib/modules")
  # The package's postinst would run depmod; the host's depmod reads foreign-architecture modules.
  depmod -b "$dir/unpacked" "$release"
  echo "$release" >"$dir/release"
  touch "$dir/.complete"
  rm -rf "$CACHE/kernel" && mv "$dir" "$CACHE/kernel"
}

# The initramfs: busybox, the modules above, and init (tests/arm64/init.sh). Made on every call (a second).
make_initramfs() {
  local release dir="$CACHE/initramfs.d" modules="$CACHE/kernel/unpacked/lib/modules/$(cat "$CACHE/kernel/release")"
  release=$(cat "$CACHE/kernel/release")
  rm -rf "$dir" && mkdir -p "$dir/bin" "$dir/lib/modules" "$dir/proc" "$dir/sys" "$dir/dev" "$dir/newroot" "$dir/share"
  cp "$CACHE/kernel/unpacked/bin/busybox" "$dir/bin/busybox"
  install -m 0755 "$HERE/init.sh" "$dir/init"
  local m line dep order=""
  for m in $INITRAMFS_MODULES; do
    line=$(grep -E "/$m\.ko(\.[a-z]+)?:" "$modules/modules.dep") || die "module $m not in $release"
    # modules.dep lists a module's dependencies so that the last must be loaded first.
    for dep in $(echo "${line#*:}" | tr ' ' '\n' | tac) "${line%%:*}"; do
      case " $order " in *" $dep "*) ;; *) order="$order $dep" ;; esac
    done
  done
  for dep in $order; do
    cp "$modules/$dep" "$dir/lib/modules/"
    basename "$dep" .ko >>"$dir/lib/modules/order"
  done
  (cd "$dir" && find . | cpio -o -H newc --quiet | gzip -1) >"$CACHE/initramfs.cpio.gz"
  rm -rf "$dir"
}

# The root: debootstrap's first stage on the host, its second stage in the guest.
make_root() {
  # A root made with another package list (the package's Depends changed) is made again.
  [ -f "$CACHE/root.img.complete" ] && grep -qx "packages=$PACKAGES" "$CACHE/root.img.complete" && return 0
  [ -f "$CACHE/root.img.complete" ] && log "the cached root was made with other packages; making it again"
  rm -f "$CACHE/root.img.complete" "$CACHE/root.img"
  command -v debootstrap >/dev/null || die "debootstrap not found: install the Debian package debootstrap"
  command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 not found: install the Debian package e2fsprogs"
  local dir="$CACHE/root.partial" image="$CACHE/root.img.partial" start mirror
  mirror=$(mirror)
  start=$(date +%s)
  log "debootstrap --foreign --arch=arm64 $SUITE from $mirror (first stage, on the host)"
  rm -rf "$dir" "$image"
  debootstrap --foreign --arch=arm64 --variant=minbase --include="$PACKAGES" "$SUITE" "$dir" "$mirror" \
    >"$CACHE/debootstrap.log" 2>&1 || { tail -n 20 "$CACHE/debootstrap.log" >&2; die "debootstrap (first stage) failed: $CACHE/debootstrap.log"; }
  # The kernel's modules (vivid, 9p, virtio_net) for modprobe in the guest.
  mkdir -p "$dir/lib/modules"
  cp -a "$CACHE/kernel/unpacked/lib/modules/." "$dir/lib/modules/"
  local size
  size=$(( $(du -sm "$dir" | cut -f1) * 2 + 1024 ))
  mkfs.ext4 -q -F -L camroot -d "$dir" "$image" "${size}M" || die "mkfs.ext4 -d failed"
  rm -rf "$dir"
  log "first stage done in $(( $(date +%s) - start )) s; second stage in the arm64 guest (TCG, several minutes)"
  local stage2_start status
  stage2_start=$(date +%s)
  guest_start "$CACHE" stage2 "$image" "$CACHE/stage2-console.log"
  trap guest_stop EXIT
  # dpkg prints a line per package; 10 min of silence means a hung maintainer script.
  guest_wait "$CACHE/stage2-console.log" 'STAGE2-EXIT [0-9]+' 600 7200 \
    || { guest_stop; tail -n 30 "$CACHE/stage2-console.log" >&2; die "the second stage did not finish; console: $CACHE/stage2-console.log"; }
  guest_exit 60 || log "the guest did not power off after the second stage; stopping it"
  guest_stop
  trap - EXIT
  grep -q 'STAGE2-EXIT 0' "$CACHE/stage2-console.log" \
    || { grep -a -B 30 'STAGE2-EXIT' "$CACHE/stage2-console.log" | tail -n 30 >&2; die "the second stage failed; console: $CACHE/stage2-console.log"; }
  mv "$image" "$CACHE/root.img"
  printf 'first_stage_s=%s\nsecond_stage_s=%s\npackages=%s\n' "$(( stage2_start - start ))" "$(( $(date +%s) - stage2_start ))" "$PACKAGES" >"$CACHE/root.img.complete"
  log "root made in $(( $(date +%s) - start )) s ($(head -n 2 "$CACHE/root.img.complete" | tr '\n' ' '))"
}

[ "$(id -u)" -eq 0 ] || die "making the arm64 guest needs root (debootstrap, mkfs.ext4 -d keeping owners, unpacking devices)"
mkdir -p "$CACHE"
exec 9>"$CACHE.lock"
flock -w 3600 9 || die "timed out waiting for another make-guest.sh"
make_kernel
make_initramfs
make_root
echo "$CACHE"
