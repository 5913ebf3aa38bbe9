#!/usr/bin/env bash
# The cost of the outputs of issue 19 on one 4 Mbit/s stream (the bench clip passed through, so no
# encoding cost): the daemon alone, recording it (60 s segments, 1 s parts), and with a publish
# target that is down (retrying). Per run: CPU-seconds per second of the daemon (/proc/PID/stat),
# RSS, and for recording the write amplification: bytes in the segment files, bytes handed to
# write(2) (/proc/PID/io wchar) and bytes sent to storage (write_bytes), each over the H.264 bytes
# the stream carried in the same window (camstreamd_encoded_bytes_total). Prints a Markdown section.
#   bench/record.sh CLIP.h264 [SECONDS]      (bench/bench.sh runs it as part "record")
set -euo pipefail
cd "$(dirname "$0")/.."

CLIP=${1:?usage: bench/record.sh CLIP.h264 [SECONDS]}
SECONDS_PER_RUN=${2:-20}
DLL="src/CamStreamd/bin/Release/net10.0/camstreamd.dll"
HZ=$(getconf CLK_TCK)
WORK=$(mktemp -d /tmp/camstreamd-bench-record.XXXXXX)
# On a disk, not a tmpfs, so write_bytes means something.
RECORDINGS=$(mktemp -d /var/tmp/camstreamd-bench-recordings.XXXXXX)
PID=""
cleanup() {
  [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$WORK" "$RECORDINGS"
}
trap cleanup EXIT

log() { printf '[bench record] %s\n' "$*" >&2; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
io() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/io"; }
rss() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
encoded() { curl -s "http://127.0.0.1:$1/metrics" | awk '/^camstreamd_encoded_bytes_total\{stream="cam0"\}/ { print $2 }'; }
files() { find "$RECORDINGS" -name '*.mp4' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }

run() { # NAME OUTPUTS-JSON -> one TSV row: name cpu rss files wchar write_bytes h264
  local name=$1 outputs=$2 out="$WORK/$1.log"
  cat >"$WORK/$name.json" <<JSON
{ "rtsp": { "listenAddress": "127.0.0.1", "port": 0 }, "http": { "listenAddress": "127.0.0.1", "port": 0 },
  "streams": [ { "name": "cam0", "source": { "type": "testPattern", "width": 1280, "height": 720, "fps": 30 },
                 "encoder": { "engine": "passthrough", "bitrate": 4000000, "gop": 120 } ${outputs} } ] }
JSON
  CAMSTREAMD_BENCH_H264=$CLIP dotnet "$DLL" --config "$WORK/$name.json" >"$out" 2>&1 &
  PID=$!
  local port=""
  for _ in $(seq 600); do
    port=$(sed -nE 's#.*HTTP listening on http://[^:/]+:([0-9]+)/.*#\1#p' "$out" | head -n1)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { log "$name: no HTTP port"; cat "$out" >&2; exit 1; }
  sleep 5 # start-up, JIT and the first segment settle
  local t0 w0 b0 e0 f0 t1 w1 b1 e1 f1
  t0=$(ticks "$PID"); w0=$(io "$PID" wchar); b0=$(io "$PID" write_bytes); e0=$(encoded "$port"); f0=$(files)
  sleep "$SECONDS_PER_RUN"
  t1=$(ticks "$PID"); w1=$(io "$PID" wchar); b1=$(io "$PID" write_bytes); e1=$(encoded "$port"); f1=$(files)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" \
    "$(awk -v a="$t0" -v b="$t1" -v hz="$HZ" -v s="$SECONDS_PER_RUN" 'BEGIN { printf "%.3f", (b - a) / hz / s }')" \
    "$(rss "$PID")" $((f1 - f0)) $((w1 - w0)) $((b1 - b0)) "$(awk -v a="$e0" -v b="$e1" 'BEGIN { printf "%d", b - a }')"
  kill -TERM "$PID"
  wait "$PID" 2>/dev/null || true
  PID=""
}

[ -f "$DLL" ] || { log "$DLL is missing: run ./build.sh build"; exit 66; }
log "three runs of ${SECONDS_PER_RUN} s: alone, recording, publishing to a target that is down"
{
  run alone ""
  run recording ", \"record\": { \"path\": \"$RECORDINGS\", \"segmentSeconds\": 60, \"partSeconds\": 1, \"minFreeMegabytes\": 0 }"
  run publisher-down ", \"publish\": [ { \"url\": \"rtsp://127.0.0.1:9/down\" } ]"
} >"$WORK/record.tsv"

load=$(cut -d' ' -f1 /proc/loadavg)
awk -F'\t' -v load="$load" -v s="$SECONDS_PER_RUN" '
  { name[NR] = $1; cpu[NR] = $2; rss[NR] = $3; files[NR] = $4; wchar[NR] = $5; wb[NR] = $6; h264[NR] = $7 }
  END {
    print "## Recording and publishing cost (one 4 Mbit/s stream)"
    print ""
    printf "One 1280x720 30 fps stream of the bench clip passed through (no encoding), %d s per run, load %s at the end.\n", s, load
    print "CPU is the daemon'"'"'s CPU-seconds per second; write amplification is bytes over the H.264 bytes the stream carried."
    print ""
    print "| run | CPU s/s | RSS MiB | extra CPU s/s | segment bytes / H.264 | write(2) bytes / H.264 | storage bytes / H.264 |"
    print "|---|---|---|---|---|---|---|"
    for (i = 1; i <= NR; i++) {
      amp_f = (i == 2 && h264[i] > 0) ? sprintf("%.3f", files[i] / h264[i]) : "-"
      amp_w = (i == 2 && h264[i] > 0) ? sprintf("%.3f", wchar[i] / h264[i]) : "-"
      amp_b = (i == 2 && h264[i] > 0) ? sprintf("%.3f", wb[i] / h264[i]) : "-"
      printf "| %s | %.3f | %s | %+.3f | %s | %s | %s |\n", name[i], cpu[i], rss[i], cpu[i] - cpu[1], amp_f, amp_w, amp_b
    }
  }' "$WORK/record.tsv"
