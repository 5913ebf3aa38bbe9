#!/usr/bin/env bash
# What the WebRTC plane costs a daemon nobody watches over WebRTC: start to READY=1
# (bench/ready-time.py, fork to the sd_notify datagram) and RSS (VmRSS) after SETTLE seconds, with
# webrtc enabled and disabled, ROUNDS starts each (alternating), medians printed. One small stream
# (test pattern 320x240 at 15 fps, x264 at 300 kbit/s), loopback, ephemeral ports. With webrtc
# enabled, after the RSS the first and the second WHEP POST (Chromium's recorded offer, the tests'
# chromium-offer.sdp) are timed, request to 201: the first makes the DTLS certificate.
#   bench/webrtc-start.sh [DLL-OR-BINARY] [ROUNDS] [SETTLE]
# DLL-OR-BINARY: a camstreamd.dll (run by dotnet) or a NativeAOT binary; default the Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${1:-src/CamStreamd/bin/Release/net10.0/camstreamd.dll}
ROUNDS=${2:-7}
SETTLE=${3:-5}
WORK=$(mktemp -d /tmp/camstreamd-webrtc-start.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
COMMAND=("$TARGET")
[[ $TARGET == *.dll ]] && COMMAND=(dotnet "$TARGET")

# shellcheck source=bench/lib.sh
. bench/lib.sh # the script has cd-ed to the repository root

for enabled in true false; do
  cat >"$WORK/$enabled.json" <<JSON
{ "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
  "http": { "listenAddress": "127.0.0.1", "port": 0 },
  "webrtc": { "enabled": $enabled, "port": 0 },
  "streams": [ { "name": "cam0", "source": { "type": "testPattern", "width": 320, "height": 240, "fps": 15 },
                 "encoder": { "engine": "x264", "bitrate": 300000, "gop": 30 } } ] }
JSON
done

for _ in $(seq "$ROUNDS"); do
  for enabled in true false; do
    line=$(/usr/bin/python3 bench/ready-time.py "$WORK/log" -- "${COMMAND[@]}" --config "$WORK/$enabled.json")
    pid=$(awk '{ print $2 }' <<<"$line")
    sleep "$SETTLE"
    rss=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
    offers="- -"
    if [ "$enabled" = true ]; then
      http=$(grep -oE -m1 'HTTP listening on http://[^/ ]+' "$WORK/log" | sed 's/^HTTP listening on //')
      offers=$(/usr/bin/python3 - "$http" <<'PY'
import sys, time, urllib.request
offer = open("src/CamStreamd.Tests/WebRtc/Plane/chromium-offer.sdp", "rb").read()
times = []
for _ in range(2):
    request = urllib.request.Request(sys.argv[1] + "/streams/cam0/whep", data=offer, headers={"Content-Type": "application/sdp"})
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
    times.append(f"{(time.monotonic() - started) * 1000:.1f}")
print(" ".join(times))
PY
)
    fi
    kill -TERM "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    echo "$enabled $(awk '{ print $4 }' <<<"$line") $rss $offers" >>"$WORK/rows"
  done
done

for enabled in true false; do
  ready=$(awk -v e="$enabled" '$1 == e { print $2 }' "$WORK/rows" | median)
  rss=$(awk -v e="$enabled" '$1 == e { print $3 }' "$WORK/rows" | median)
  all=$(awk -v e="$enabled" '$1 == e { printf "%s/%s ", $2, $3 }' "$WORK/rows")
  printf 'webrtc %-5s  ready %.3f s  rss %s MiB' "$enabled" "$ready" "$rss"
  if [ "$enabled" = true ]; then
    printf '  first WHEP offer %s ms, second %s ms' "$(awk '$1 == "true" { print $4 }' "$WORK/rows" | median)" "$(awk '$1 == "true" { print $5 }' "$WORK/rows" | median)"
  fi
  printf '  (%d starts, ready/rss each: %s)\n' "$ROUNDS" "$all"
done
