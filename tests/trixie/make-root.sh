#!/usr/bin/env bash
# Creates (once) a Debian 13 "trixie" root with gcc and the FFmpeg 7.1 headers and libraries,
# for running the FFmpeg layout probe against libavcodec 61. Prints the root's path on stdout.
#
#   tests/trixie/make-root.sh            create the root if it is not complete yet; print its path
#
# Environment:
#   CAMSTREAMD_TRIXIE_ROOT    where the root lives (default: ~/.cache/camstreamd/trixie-root;
#                             CI caches this directory between runs)
#   CAMSTREAMD_DEBIAN_MIRROR  Debian mirror URL (default: the first Debian URI in this machine's
#                             apt sources, else http://deb.debian.org/debian)
#
# Needs root (debootstrap and chroot) and the Debian package debootstrap. Concurrent callers
# wait on a lock; a half-made root (interrupted run) is thrown away and made again.
set -euo pipefail

ROOT=${CAMSTREAMD_TRIXIE_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/camstreamd/trixie-root}
PACKAGES=gcc,libc6-dev,libavcodec-dev,libavutil-dev,libswscale-dev
STAMP="$ROOT/.camstreamd-complete"

log() { printf '[make-root] %s\n' "$*" >&2; }

mirror() {
  if [ -n "${CAMSTREAMD_DEBIAN_MIRROR:-}" ]; then
    echo "$CAMSTREAMD_DEBIAN_MIRROR"
    return
  fi
  # deb822 (URIs: ...) and one-line (deb URL suite ...) sources; skip the security archive.
  local uri
  uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
    | sed -nE 's/^URIs:[[:space:]]*([^[:space:]]+).*/\1/p; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' \
    | grep -v -- '-security' | grep -i debian | head -n 1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

if [ -f "$STAMP" ]; then
  echo "$ROOT"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  log "creating the trixie root needs root (debootstrap, chroot); run the tests as root or create $ROOT once with sudo"
  exit 77
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  log "debootstrap not found: install the Debian package debootstrap"
  exit 69
fi

mkdir -p "$(dirname "$ROOT")"
exec 9>"$ROOT.lock"
flock -w 1800 9 || { log "timed out waiting for another make-root.sh"; exit 75; }

if [ ! -f "$STAMP" ]; then
  MIRROR=$(mirror)
  log "creating $ROOT from $MIRROR (debootstrap --variant=minbase trixie; a few minutes the first time)"
  rm -rf "$ROOT.partial"
  start=$(date +%s)
  debootstrap --variant=minbase --include="$PACKAGES" trixie "$ROOT.partial" "$MIRROR" >"$ROOT.log" 2>&1 || {
    log "debootstrap failed; last lines of $ROOT.log:"
    tail -n 20 "$ROOT.log" >&2
    exit 1
  }
  rm -rf "$ROOT"
  mv "$ROOT.partial" "$ROOT"
  echo "$(( $(date +%s) - start ))" >"$STAMP"
  log "created $ROOT in $(cat "$STAMP") s"
fi

echo "$ROOT"
