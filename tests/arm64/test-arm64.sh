#!/usr/bin/env bash
# The arm64 package on a Debian arm64 system under qemu-system-aarch64 (`./build.sh test-arm64`):
# Debian 12's arm64 kernel boots Debian 12's arm64 systemd from a root disk (tests/arm64/make-guest.sh,
# cached), the guest loads vivid, installs the package with `dpkg -i` (its postinst starts the
# service on the packaged test-pattern config), points /etc/camstreamd.json at the vivid camera,
# restarts the service and waits for it active; the host then decodes the stream through QEMU's
# port forward with ffmpeg. Prints the times: root, boot, install, first frame, total.
#
#   tests/arm64/test-arm64.sh PACKAGE.deb
#
# Environment: FRAMES (decoded frames, default 60), CAMSTREAMD_ARM64_GUEST and
# CAMSTREAMD_DEBIAN_MIRROR (see make-guest.sh). Exit 0 pass, 1 fail.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/arm64/guest-lib.sh
. "$HERE/guest-lib.sh"

DEB=${1:?usage: tests/arm64/test-arm64.sh PACKAGE.deb}
FRAMES=${FRAMES:-60}
WIDTH=320
HEIGHT=180

log() { printf '[test-arm64] %s\n' "$*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

[ -f "$DEB" ] || { log "no package at $DEB"; exit 1; }
[ "$(dpkg-deb -f "$DEB" Architecture)" = arm64 ] || { log "$DEB is not an arm64 package"; exit 1; }

t_start=$(now)
CACHE=$("$HERE/make-guest.sh")
root_s=$(since "$t_start")
log "guest ready in $CACHE ($root_s s; made once: $(head -n 2 "$CACHE/root.img.complete" | tr '\n' ' '))"

WORK=$(mktemp -d /tmp/camstreamd-arm64.XXXXXX)
SHARE="$WORK/share"
CONSOLE="$WORK/console.log"
mkdir -p "$SHARE"
cleanup() { guest_stop; rm -rf "$SHARE"; }
trap cleanup EXIT
cp "$DEB" "$SHARE/camstreamd.deb"
# The vivid camera as docs/CAMERAS.md and the vivid guest test configure it: one capture node, a
# webcam input, 320x180 YUYV at 25 fps (a size and rate vivid's webcam input offers), x264.
cat >"$SHARE/camstreamd.json" <<EOF
{
  "rtsp": { "listenAddress": "0.0.0.0", "port": 8554 },
  "streams": [
    {
      "name": "vivid",
      "source": { "type": "v4l2", "device": "/dev/video0", "format": "yuyv", "width": $WIDTH, "height": $HEIGHT, "fps": 25 },
      "encoder": { "engine": "x264", "bitrate": 500000, "gop": 30 }
    }
  ],
  "logging": { "level": "Information" }
}
EOF
# Run by a systemd unit once multi-user.target is reached; its output goes to the console.
cat >"$SHARE/guest.sh" <<'EOF'
up() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$(up)" 'BEGIN { printf "%.1f", b - a }'; }
echo "ARM64-GUEST $(uname -m) kernel $(uname -r), $(systemctl --version | head -n 1), $(nproc) CPUs"
modprobe vivid n_devs=1 node_types=0x1 input_types=0x81 || { echo "ARM64-GUEST FAIL modprobe vivid"; exit 1; }
udevadm settle -t 60
echo "ARM64-GUEST video nodes: $(ls -l /dev/video* | awk '{ print $NF " (" $4 ")" }' | tr '\n' ' ')"
t=$(up)
dpkg -i /share/camstreamd.deb || { echo "ARM64-GUEST FAIL dpkg -i"; exit 1; }
echo "ARM64-GUEST installed in $(elapsed "$t") s; service $(systemctl is-active camstreamd) on the packaged config"
cp /share/camstreamd.json /etc/camstreamd.json
t=$(up)
# Type=notify: restart returns once the daemon has sent READY=1 (listeners bound, stream started).
systemctl restart camstreamd || { echo "ARM64-GUEST FAIL systemctl restart"; journalctl -u camstreamd --no-pager | tail -n 40; exit 1; }
restart_s=$(elapsed "$t")
# The packaged binary as the package's user under the unit's sandbox: native code, no .NET runtime mapped.
pid=$(systemctl show -p MainPID --value camstreamd)
exe=$(readlink /proc/$pid/exe); user=$(stat -c %U /proc/$pid)
echo "ARM64-GUEST main process $pid: $exe as $user, $(grep -o 'libavcodec[^ ]*' /proc/$pid/maps | sort -u | tr '\n' ' ')"
[ "$exe" = /usr/bin/camstreamd ] && [ "$user" = camstreamd ] || { echo "ARM64-GUEST FAIL main process is $exe as $user"; exit 1; }
grep -q libcoreclr /proc/$pid/maps && { echo "ARM64-GUEST FAIL libcoreclr is mapped: not the NativeAOT binary"; exit 1; }
echo "ARM64-GUEST ready: service $(systemctl is-active camstreamd) $restart_s s after restart, $(up) s after boot"
# The host decodes now; it creates /share/done when it has finished (bounded: 15 min).
n=0
while [ ! -e /share/done ] && [ $n -lt 900 ]; do sleep 1; n=$((n + 1)); done
echo "ARM64-GUEST after decoding: service $(systemctl is-active camstreamd), $(grep VmRSS /proc/$pid/status 2>/dev/null | tr -s ' \t' ' ')"
journalctl -u camstreamd --no-pager -o short-monotonic | tail -n 25
systemctl is-active -q camstreamd
EOF

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
t_boot=$(now)
guest_start "$CACHE" test "$CACHE/root.img" "$CONSOLE" "$SHARE" "$PORT"
log "booting the arm64 guest (console: $CONSOLE; RTSP forwarded to 127.0.0.1:$PORT)"
fail() {
  log "FAIL: $*"
  log "last console lines:"
  tail -n 40 "$CONSOLE" >&2
  exit 1
}
# Limits bounded by progress: 5 min of console silence, 40 min in all (a loaded 2-core machine).
guest_wait "$CONSOLE" 'GUEST-SCRIPT-START|GUEST-EXIT' 300 2400 || fail "systemd did not reach multi-user.target"
boot_s=$(since "$t_boot")
log "systemd reached multi-user.target in $boot_s s"
t_install=$(now)
guest_wait "$CONSOLE" 'ARM64-GUEST ready|GUEST-EXIT' 300 2400 || fail "the package was not installed and started"
grep -aq 'ARM64-GUEST ready' "$CONSOLE" || fail "the guest script stopped before the service was ready"
install_s=$(since "$t_install")
grep -a 'ARM64-GUEST' "$CONSOLE" | sed 's/^/  /' >&2

URL="rtsp://127.0.0.1:$PORT/vivid"
t_first=$(now)
timeout 300 ffmpeg -nostdin -hide_banner -loglevel error -rtsp_transport tcp -i "$URL" -frames:v 1 -f null - \
  || { touch "$SHARE/done"; fail "no frame decoded from $URL"; }
first_s=$(since "$t_first")
log "first frame decoded from $URL in $first_s s"
probe=$(timeout 120 ffprobe -v error -rtsp_transport tcp -select_streams v:0 -show_entries stream=codec_name,width,height -of csv=p=0 "$URL" || true)
t_frames=$(now)
bytes=$(timeout 600 ffmpeg -nostdin -hide_banner -loglevel error -rtsp_transport tcp -i "$URL" -frames:v "$FRAMES" \
  -f rawvideo -pix_fmt gray - | wc -c)
frames_s=$(since "$t_frames")
touch "$SHARE/done"
expected=$(( FRAMES * WIDTH * HEIGHT ))
guest_wait "$CONSOLE" 'GUEST-EXIT' 120 300 || log "the guest script did not finish"
guest_exit 60 || true
guest_stop
grep -a -A 30 'ARM64-GUEST after decoding' "$CONSOLE" | grep -av 'GUEST-EXIT' | sed 's/^/  /' >&2 || true

[ "$probe" = "h264,$WIDTH,$HEIGHT" ] || fail "ffprobe saw '$probe', expected h264,$WIDTH,$HEIGHT"
[ "$bytes" -eq "$expected" ] || fail "decoded $bytes bytes of gray frames, expected $FRAMES x ${WIDTH}x$HEIGHT = $expected"
grep -aq 'GUEST-EXIT 0' "$CONSOLE" || fail "the service was not active after decoding"
log "PASS: $FRAMES frames of ${WIDTH}x$HEIGHT H.264 decoded on the host from camstreamd (arm64, systemd, vivid) in $frames_s s"
log "times: root $root_s s, boot $boot_s s, install+start $install_s s, first frame $first_s s, $FRAMES frames $frames_s s, total $(since "$t_start") s"
