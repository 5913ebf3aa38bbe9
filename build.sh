#!/usr/bin/env bash
# camstreamd's one entry point: setup, build, test, run, bench, deb.
#   ./build.sh setup          install the Debian packages the daemon and its tests use (when missing)
#   ./build.sh build          build (Release)
#   ./build.sh test [ARGS]    setup, build and run every test (ARGS go to `dotnet test`, e.g. --filter)
#   ./build.sh run [ARGS]     setup, build and run the daemon (ARGS go to camstreamd, e.g. --config FILE)
#   ./build.sh bench [ARGS]   setup, build and run the benchmarks (bench/bench.sh; writes docs/BENCHMARKS.md)
#   ./build.sh deb            build the NativeAOT packages artifacts/deb/camstreamd_<version>_{amd64,arm64}.deb (packaging/debian/build-deb.sh)
#   ./build.sh test-arm64 [DEB]  build the arm64 package (or take DEB), install it with dpkg -i in a Debian arm64
#                             systemd guest under qemu-system-aarch64 on vivid, decode it from here (tests/arm64; slow, not in `test`)
set -euo pipefail
cd "$(dirname "$0")"

CONFIGURATION=${CONFIGURATION:-Release}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Runtime: libx264 (the x264 engine binds it directly) and the FFmpeg libraries (hardware
# engines, conversions, JPEG, decoding, recording). Tests: the real peers (ffmpeg/ffprobe), gcc and
# the FFmpeg and x264 headers for the struct-layout probes; debootstrap makes the
# Debian 13 root (tests/trixie/make-root.sh, cached in ~/.cache/camstreamd) for the FFmpeg 7.1 probe.
# Debian 12 ships FFmpeg 5.1 (libavcodec59); Debian 13 ships 7.1 (libavcodec61).
# linux-headers-amd64 (matching linux-image-amd64) builds v4l2loopback for the QEMU guest: the test
# fetches the v4l2loopback-dkms source with `apt-get download` (installing it would run dkms for
# the host's kernel, which has no headers) and caches the module in ~/.cache/camstreamd.
# systemd and udev: the systemd QEMU guest boots the host's own systemd (udev gives /dev/video* group video).
# libgpiod (libgpiod3 on Debian 13, libgpiod2 = libgpiod 1.6 on Debian 12): the gpio.driver "libgpiod" test
# opens a chip through System.Device.Gpio's libgpiod driver (the daemon itself does not need it).
if grep -q '^VERSION_CODENAME=trixie' /etc/os-release 2>/dev/null; then
  RUNTIME_PACKAGES=(libx264-164 libavcodec61 libavutil59 libswscale8 libavformat61)
  LIBGPIOD_PACKAGE=libgpiod3
else
  RUNTIME_PACKAGES=(libx264-164 libavcodec59 libavutil57 libswscale6 libavformat59)
  LIBGPIOD_PACKAGE=libgpiod2
fi
TEST_PACKAGES=(ffmpeg gcc libc6-dev linux-libc-dev libx264-dev libavcodec-dev libavutil-dev libswscale-dev libavformat-dev util-linux openssl glib-networking
  qemu-system-x86 linux-image-amd64 busybox-static cpio v4l-utils linux-headers-amd64 make curl
  gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav tshark iproute2
  chromium debootstrap python3-gi gir1.2-gst-rtsp-server-1.0 systemd udev
  lintian python3-jsonschema cmake file gcc-aarch64-linux-gnu libc6-dev-arm64-cross linux-libc-dev-arm64-cross qemu-user-static
  clang-14 binutils "$LIBGPIOD_PACKAGE"
  libsrtp2-1) # libsrtp2: the reference SRTP peer of the WebRTC SRTP tests (openssl s_client: their DTLS peer)

# The packages (./build.sh deb, and the package tests): NativeAOT links with clang-14 for both
# architectures; arm64 with the aarch64 cross binutils and libc.
DEB_PACKAGES=(clang-14 binutils gcc-aarch64-linux-gnu libc6-dev-arm64-cross dpkg file)

# The arm64 binary run under qemu-aarch64-static in the tests loads Debian's arm64 libraries,
# installed multiarch (dpkg --add-architecture arm64): libx264 and FFmpeg as the package depends on them, and
# libssl for .NET's cryptography.
if grep -q '^VERSION_CODENAME=trixie' /etc/os-release 2>/dev/null; then
  ARM64_TEST_PACKAGES=(libx264-164:arm64 libavcodec61:arm64 libavutil59:arm64 libswscale8:arm64 libssl3t64:arm64)
else
  ARM64_TEST_PACKAGES=(libx264-164:arm64 libavcodec59:arm64 libavutil57:arm64 libswscale6:arm64 libssl3:arm64)
fi

# The arm64 systemd guest (./build.sh test-arm64, tests/arm64): QEMU's arm64 system emulator,
# debootstrap for the Debian arm64 root (its second stage runs in the guest: no binfmt_misc needed),
# mkfs.ext4 -d for the root disk, cpio and depmod for the initramfs made of Debian's arm64 kernel
# and busybox-static (fetched with `apt-get download`, never installed), ffmpeg to decode on the host.
ARM64_GUEST_PACKAGES=(qemu-system-arm debootstrap e2fsprogs cpio kmod gzip ffmpeg python3)

# Benchmarks (./build.sh bench): the peer server (gst-rtsp-server through Debian's python3-gi),
# ffmpeg for the clip, GStreamer and ffmpeg as decoding latency clients, gcc for the load client and floor writer,
# chromium for the WebRTC latency part.
BENCH_PACKAGES=(ffmpeg gcc libc6-dev clang-14 chromium python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-rtsp-server-1.0
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav)

log() { printf '[build.sh] %s\n' "$*" >&2; }

missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$pkg"
  done
}

apt_install() {
  local missing
  mapfile -t missing < <(missing_packages "$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    log "the .NET 10 SDK is required (dotnet not on PATH); Debian does not package it:"
    log "see https://learn.microsoft.com/dotnet/core/install/linux-debian"
    exit 69
  fi
}

setup() {
  require_dotnet
  apt_install "${RUNTIME_PACKAGES[@]}"
}

add_arm64_architecture() {
  dpkg --print-foreign-architectures | grep -qx arm64 && return 0
  log "adding the arm64 architecture to dpkg (multiarch libraries for the qemu-user test)"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo dpkg --add-architecture arm64
}

setup_tests() {
  setup
  apt_install "${TEST_PACKAGES[@]}"
  add_arm64_architecture
  apt_install "${ARM64_TEST_PACKAGES[@]}"
  # nginx with libnginx-mod-rtmp for the RTMP publishing test: unpacked into ~/.cache/camstreamd, never installed.
  tests/nginx/fetch-nginx-rtmp.sh >/dev/null
}

build() {
  require_dotnet
  dotnet build CamStreamd.sln -c "$CONFIGURATION" -nologo -v quiet -clp:NoSummary -warnaserror
}

test_arm64() {
  require_dotnet
  apt_install "${DEB_PACKAGES[@]}" "${ARM64_GUEST_PACKAGES[@]}"
  add_arm64_architecture
  if [ -z "$(apt-cache policy linux-image-arm64:arm64 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v none)" ]; then
    log "apt knows no arm64 packages yet: apt-get update"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
  fi
  local deb=${1:-}
  if [ -z "$deb" ]; then
    log "building the arm64 package"
    deb=$(DEB_ARCH=arm64 packaging/debian/build-deb.sh)
  fi
  # Root: debootstrap, mkfs.ext4 keeping owners, QEMU's 9p share of the package.
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo tests/arm64/test-arm64.sh "$deb"
}

run_tests() {
  local log_file
  log_file=$(mktemp)
  set +e
  dotnet test CamStreamd.sln -c "$CONFIGURATION" --no-build -nologo "$@" 2>&1 | tee "$log_file"
  local status=${PIPESTATUS[0]}
  set -e
  # One plain closing line: "N passed, N failed, N skipped".
  local summary
  summary=$(grep -Eo 'Failed: *[0-9]+, Passed: *[0-9]+, Skipped: *[0-9]+' "$log_file" | tail -n 1 || true)
  rm -f "$log_file"
  if [ -n "$summary" ]; then
    local failed passed skipped
    failed=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$summary")
    passed=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$summary")
    skipped=$(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$summary")
    echo "${passed} passed, ${failed} failed, ${skipped} skipped"
  fi
  return "$status"
}

run_daemon() {
  local dll="src/CamStreamd/bin/${CONFIGURATION}/net10.0/camstreamd.dll"
  log "starting camstreamd (Ctrl+C stops it); watch with: ffplay rtsp://127.0.0.1:8554/cam0"
  exec dotnet "$dll" "$@"
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  setup) setup_tests ;;
  build) build ;;
  test) setup_tests; build; run_tests "$@" ;;
  run) setup; build; run_daemon "$@" ;;
  bench) setup; apt_install "${BENCH_PACKAGES[@]}"; build; bench/bench.sh --no-build "$@" ;;
  deb) require_dotnet; apt_install "${DEB_PACKAGES[@]}"; packaging/debian/build-deb.sh ;;
  test-arm64) test_arm64 "$@" ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 64
    ;;
esac
