#!/usr/bin/env bash
# Join time benchmark (issue 3): how long a new ffmpeg client waits for its first decoded frame
# from a stream whose IDRs are 10 s apart (gop = 300 at 30 fps). camstreamd sends a new viewer the
# cached GOP at once, so the target is < 0.5 s from connecting.
#
#   bench/join-time.sh [-n RUNS] [-t tcp|udp|both] [--no-build] [--check]
#
# Measures, per run, the wall time from starting ffmpeg to the first byte of its first decoded
# frame on stdout (-frames:v 1 -f rawvideo), minus ffmpeg's own start-up (the median of RUNS runs
# of ffmpeg writing its first frame from lavfi testsrc, which needs no network, probe or decode).
# Prints every run (and its wall time, an upper bound), then the median and p90 in seconds.
# --check exits 1 when the median is over the target.
# Needs: the .NET 10 SDK, ffmpeg (Debian package ffmpeg), coreutils, awk.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=10
TRANSPORTS=(tcp udp)
BUILD=1
CHECK=0
TARGET=0.5
WIDTH=${WIDTH:-640}
HEIGHT=${HEIGHT:-360}
FPS=30
GOP=300
CONFIGURATION=${CONFIGURATION:-Release}

while [ $# -gt 0 ]; do
  case "$1" in
    -n) RUNS=$2; shift 2 ;;
    -t) if [ "$2" = both ]; then TRANSPORTS=(tcp udp); else TRANSPORTS=("$2"); fi; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --check) CHECK=1; shift ;;
    *) sed -n "2,14p" "$0" | sed 's/^# \{0,1\}//'; exit 64 ;;
  esac
done

command -v ffmpeg >/dev/null || { echo "ffmpeg is missing: install the Debian package ffmpeg" >&2; exit 69; }
if [ "$BUILD" = 1 ]; then
  CONFIGURATION=$CONFIGURATION ./build.sh build >&2
fi
DLL="src/CamStreamd/bin/${CONFIGURATION}/net10.0/camstreamd.dll"
[ -f "$DLL" ] || { echo "$DLL is missing: run ./build.sh build" >&2; exit 66; }

WORK=$(mktemp -d /tmp/camstreamd-join.XXXXXX)
DAEMON_PID=""
cleanup() {
  if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
    kill -TERM "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

now_ns() { date +%s%N; }

# Seconds from start to the first byte ffmpeg writes on stdout (its first decoded frame).
first_frame_seconds() {
  local stamp="$WORK/stamp" start
  rm -f "$stamp"
  start=$(now_ns)
  { timeout 20 ffmpeg -nostdin -hide_banner -v error "$@" -frames:v 1 -pix_fmt yuv420p -f rawvideo - || true; } \
    | { if head -c 1 >/dev/null; then now_ns >"$stamp"; fi; cat >/dev/null; }
  [ -s "$stamp" ] || { echo "ffmpeg $* produced no frame" >&2; return 1; }
  awk -v s="$start" -v e="$(cat "$stamp")" 'BEGIN { printf "%.3f\n", (e - s) / 1e9 }'
}

# Median and p90 (nearest rank) of the numbers on stdin.
stats() {
  sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    r = int(0.9 * NR); if (r < 0.9 * NR) r++; if (r < 1) r = 1
    printf "%.3f %.3f\n", m, v[r] }'
}

# Baseline: ffmpeg's own start-up and first raw frame out, with an input that costs nothing
# (lavfi testsrc of the same size: no network, no probing, no decoding).
for _ in $(seq "$RUNS"); do first_frame_seconds -f lavfi -i "testsrc=size=${WIDTH}x${HEIGHT}:rate=${FPS}"; done >"$WORK/baseline"
read -r BASELINE _ < <(stats <"$WORK/baseline")

cat >"$WORK/config.json" <<JSON
{
  "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
  "streams": [
    { "name": "cam0",
      "source": { "type": "testPattern", "width": ${WIDTH}, "height": ${HEIGHT}, "fps": ${FPS} },
      "encoder": { "engine": "x264", "bitrate": 1500000, "gop": ${GOP}, "profile": "main" } }
  ]
}
JSON
dotnet "$DLL" --config "$WORK/config.json" >"$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!
PORT=""
for _ in $(seq 300); do
  PORT=$(sed -nE 's#.*RTSP listening on rtsp://[^:/]+:([0-9]+)/.*#\1#p' "$WORK/daemon.log" | head -n 1)
  [ -n "$PORT" ] && break
  kill -0 "$DAEMON_PID" 2>/dev/null || { cat "$WORK/daemon.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$PORT" ] || { echo "the daemon did not start listening within 30 s" >&2; cat "$WORK/daemon.log" >&2; exit 1; }
URL="rtsp://127.0.0.1:${PORT}/cam0"
sleep 2 # join mid-GOP: the cache holds an IDR and the frames after it, the next IDR is seconds away

echo "camstreamd join time: ${WIDTH}x${HEIGHT} at ${FPS} fps, gop ${GOP}, ${RUNS} runs per transport, ${CONFIGURATION} build"
echo "ffmpeg start-up to its first frame from lavfi (median, subtracted): ${BASELINE} s"
FAILED=0
for transport in "${TRANSPORTS[@]}"; do
  : >"$WORK/join-$transport"
  : >"$WORK/wall-$transport"
  for i in $(seq "$RUNS"); do
    wall=$(first_frame_seconds -rtsp_transport "$transport" -i "$URL")
    join=$(awk -v w="$wall" -v b="$BASELINE" 'BEGIN { j = w - b; if (j < 0) j = 0; printf "%.3f", j }')
    echo "$join" >>"$WORK/join-$transport"
    echo "$wall" >>"$WORK/wall-$transport"
    printf '  %s run %2d: first frame after %s s (wall %s s)\n' "$transport" "$i" "$join" "$wall"
    sleep 0.3
  done
  read -r MEDIAN P90 < <(stats <"$WORK/join-$transport")
  verdict=$(awk -v m="$MEDIAN" -v t="$TARGET" 'BEGIN { print (m < t) ? "within" : "OVER" }')
  read -r WALL_MEDIAN WALL_P90 < <(awk '{ print $0 }' "$WORK/wall-$transport" | stats)
  printf '%s: median %s s, p90 %s s (%s the %s s target); wall with ffmpeg start-up: median %s s, p90 %s s\n' \
    "$transport" "$MEDIAN" "$P90" "$verdict" "$TARGET" "$WALL_MEDIAN" "$WALL_P90"
  [ "$verdict" = within ] || FAILED=1
done

if [ "$CHECK" = 1 ] && [ "$FAILED" = 1 ]; then
  exit 1
fi
