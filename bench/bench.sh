#!/usr/bin/env bash
# The benchmarks behind docs/BENCHMARKS.md, in one run (./build.sh bench installs the packages
# and calls this). Loopback only. Prints a table per part and rewrites docs/BENCHMARKS.md.
#   bench/bench.sh [--no-build] [--no-doc] [--parts "fanout join hotpath latency webrtc-latency idle memory record composite webrtc-fanout"]
#   bench/bench.sh idle          the idle/steady-cost part alone (same as --parts idle)
# Knobs (environment): BENCH_CLIENTS ("1 50 200"), BENCH_WINDOWS (3 windows per figure),
# BENCH_WINDOW_SECONDS (1.5), BENCH_JOINS (5 joins per server and transport), BENCH_LATENCY_SECONDS (8),
# BENCH_WEBRTC_LATENCY_FRAMES (300), BENCH_WEBRTC_LATENCY_WARMUP (3 s),
# BENCH_IDLE_WINDOWS (4), BENCH_IDLE_WINDOW_SECONDS (2.5).
# A run of some parts only keeps the other parts' sections of docs/BENCHMARKS.md from the last run.
#
# 1. Fan-out: camstreamd (the NativeAOT build, as packaged), gst-rtsp-server (bench/gst-rtsp-server.py) and the floor writer
#    (bench/native/floorwriter.c) each send the same pre-encoded clip (1280x720, 30 fps,
#    ~4 Mbit/s, made once with ffmpeg/libx264) to N clients of bench/native/rtspload.c.
#    Server CPU-seconds per second from each thread's /proc/PID/task/*/schedstat (nanoseconds) over
#    consecutive windows (median printed), RSS from /proc/PID/status at the end. Over UDP the
#    floor segments runs of full-size packets (UDP_SEGMENT) as camstreamd does; it runs once more
#    without (server "floor-sendmmsg"), the floor #21 was filed against.
# 2. Join: rtspload join (connect() to the last packet of the first complete IDR), GOP 4 s,
#    while one other viewer keeps each server's shared stream running; median and max.
# 3. Latency (camstreamd, test pattern + x264): capture to wire from RTP time + RTCP SR, and end
#    to end from the capture time the test pattern draws in its pixels; median and p99.
# 3b. WebRTC latency (bench/webrtc-latency.sh, .py): glass to glass in headless Chromium over WHEP,
#    the time stripe read back through a canvas per presented frame; p50/p90/p99 (target p50 <= 100 ms),
#    and the GStreamer RTSP client on the same daemon right after.
# 5. Memory (bench/memory.sh): RSS and start-to-ready, NativeAOT vs JIT vs gst-rtsp-server, 0/10/200 viewers.
# 4. Hot path: BenchmarkDotNet (bench/CamStreamd.Benchmarks), allocated bytes per packet.
# 5. Idle: CPU-s/s and RSS of the daemon with one stream and no viewer, per source kind (test
#    pattern + x264, H.264 file passthrough, RTSP pull of gst-rtsp-server over TCP and UDP), and
#    of rtspload receiving the same upstream stream (the floor of a relay).
# 6. Composite (bench/composite.sh): four 640x360 30 fps RTSP inputs tiled into 1280x720 15 fps
#    and encoded by x264, camstreamd (NativeAOT and JIT) against ffmpeg xstack with the same x264
#    settings, CPU-s/s, CPU-ms per composed frame, RSS and the ratio (target <= 0.7).
# 7. WebRTC fan-out (bench/webrtc-fanout.sh): one daemon with the clip passed through, CPU-s/s and RSS
#    at 0, 1, 10, 50 WHEP sessions of bench/CamStreamd.WhepLoad and as many RTSP/UDP viewers of
#    rtspload; per-client cost WebRTC / RTSP (target <= 2).
# Needs: the .NET 10 SDK, ffmpeg, gcc, chromium, python3-gi, gir1.2-gst-rtsp-server-1.0, gstreamer1.0-plugins-{good,bad}.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=1
DOC=1
PARTS="fanout join hotpath latency webrtc-latency idle memory record composite webrtc-fanout"
while [ $# -gt 0 ]; do
  case "$1" in
    fanout|join|hotpath|latency|webrtc-latency|idle|memory|record|composite|webrtc-fanout) PARTS=$1; shift ;;
    --no-build) BUILD=0; shift ;;
    --no-doc) DOC=0; shift ;;
    --parts) PARTS=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 64 ;;
  esac
done
CLIENTS=${BENCH_CLIENTS:-"1 50 200"}
WINDOWS=${BENCH_WINDOWS:-5}
WINDOW_SECONDS=${BENCH_WINDOW_SECONDS:-2}
JOINS=${BENCH_JOINS:-5}
LATENCY_SECONDS=${BENCH_LATENCY_SECONDS:-8}
IDLE_WINDOWS=${BENCH_IDLE_WINDOWS:-4}
IDLE_WINDOW_SECONDS=${BENCH_IDLE_WINDOW_SECONDS:-2.5}
FPS=30
GOP=120
CONFIGURATION=Release
DLL="src/CamStreamd/bin/${CONFIGURATION}/net10.0/camstreamd.dll"
GST_PYTHON=/usr/bin/python3
HZ=$(getconf CLK_TCK)

BENCH_STARTED=$(date +%s)
WORK=$(mktemp -d /tmp/camstreamd-bench.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf '[bench] %s\n' "$*" >&2; }
# shellcheck source=bench/lib.sh
. bench/lib.sh # the script has cd-ed to the repository root
load_average() { cut -d' ' -f1 /proc/loadavg; }
# Waits, up to BENCH_SETTLE_SECONDS (120), for the 1-minute load average to fall to 0.5: the NativeAOT
# link just before the fan-out part left it at 1.5 when the TCP cells began, and the figures high.
settle() {
  local waited=0
  while awk -v l="$(load_average)" 'BEGIN { exit !(l > 0.5) }' && [ "$waited" -lt "${BENCH_SETTLE_SECONDS:-120}" ]; do
    sleep 5
    waited=$((waited + 5))
  done
  log "load average $(load_average) after ${waited} s of settling"
}
# Nearest-rank percentile P of the numbers on stdin.
percentile() { sort -g | awk -v p="$1" '{ v[NR] = $1 } END { r = int(p / 100 * NR); if (r < p / 100 * NR) r++; if (r < 1) r = 1; print v[r] }'; }
# CPU time of a single-threaded process in ns (schedstat: 10 ms ticks cannot resolve a light client).
cpu_ns() { awk '{ print $1 }' "/proc/$1/schedstat"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }

# Waits until FILE has a line matching REGEX (process PID must stay alive); prints the line.
wait_line() {
  local file=$1 regex=$2 pid=$3 seconds=$4 line=""
  for _ in $(seq $((seconds * 20))); do
    line=$(grep -E -m1 "$regex" "$file" 2>/dev/null || true)
    [ -n "$line" ] && { echo "$line"; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  log "no '$regex' from pid $pid within ${seconds}s; its output:"
  cat "$file" >&2 || true
  return 1
}

# The daemon start_camstreamd runs: the JIT build (./build.sh run); the fan-out part runs the
# NativeAOT build instead, the binary the .deb installs.
CAMSTREAMD_COMMAND=(dotnet "$DLL")
start_camstreamd() { # FILE-OR-EMPTY SOURCE-JSON ENGINE-JSON -> sets SERVER_PID, URL
  local clip=$1 source=$2 encoder=$3 out="$WORK/camstreamd.$RANDOM.log"
  cat >"$WORK/camstreamd.json" <<JSON
{
  "rtsp": { "listenAddress": "127.0.0.1", "port": 0, "maxConnections": 1000 },
  "http": { "listenAddress": "127.0.0.1", "port": 0 },
  "logging": { "level": "Information" },
  "streams": [ { "name": "cam0", "source": ${source}, "encoder": ${encoder} } ]
}
JSON
  CAMSTREAMD_BENCH_H264=$clip \
    "${CAMSTREAMD_COMMAND[@]}" --config "$WORK/camstreamd.json" >"$out" 2>&1 &
  SERVER_PID=$!
  SERVER_LOG=$out
  PIDS+=("$SERVER_PID")
  local line
  # The banner names the stream's URL once the stream runs (the listener opens before it).
  line=$(wait_line "$out" 'Stream cam0: rtsp://' "$SERVER_PID" 60)
  URL="rtsp://127.0.0.1:$(sed -nE 's#.*rtsp://[^:/]+:([0-9]+)/.*#\1#p' <<<"$line")/cam0"
  sleep 1 # the first GOP reaches the cache
}

start_gst() { # -> SERVER_PID, URL
  local out="$WORK/gst.$RANDOM.log"
  "$GST_PYTHON" bench/gst-rtsp-server.py "$CLIP" "$FPS" >"$out" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  local line
  line=$(wait_line "$out" '^port [0-9]+' "$SERVER_PID" 30)
  URL="rtsp://127.0.0.1:$(awk '{ print $2 }' <<<"$line")/cam0"
}

# Measures server PID while CLIENT_PID (an rtspload that printed "ready") reads; appends a row to
# $WORK/fanout.tsv: server transport clients cpu_median rss_mib delivered_median_mbit_s load.
measure() {
  local server=$1 transport=$2 clients=$3 pid=$4 client_pid=$5 client_out=$6
  sleep 1 # the cached GOP's burst and the sessions' start-up settle
  local before after cpus=() load
  [ -n "$client_pid" ] && kill -USR1 "$client_pid"
  load=$(load_average)
  local since now
  before=$(cpu_sample "$pid")
  since=$(date +%s%N)
  for _ in $(seq "$WINDOWS"); do
    sleep "$WINDOW_SECONDS"
    after=$(cpu_sample "$pid")
    now=$(date +%s%N)
    # Divided by the window's real length (a sleep on a loaded machine overruns).
    cpus+=("$(cpu_rate "$before" "$after" "$((now - since))")")
    before=$after
    since=$now
  done
  local rss cpu delivered
  rss=$(rss_mib "$pid")
  cpu=$(printf '%s\n' "${cpus[@]}" | median)
  delivered=0
  if [ -n "$client_pid" ]; then
    stop_pid "$client_pid"
    delivered=$(sed -nE 's/.*median_mbit_s=([0-9.]+).*/\1/p' "$client_out")
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$transport" "$clients" "$cpu" "$rss" "${delivered:-0}" "$load" "${cpus[*]}" >>"$WORK/fanout.tsv"
  log "$server $transport $clients clients: cpu ${cpu} s/s (windows ${cpus[*]}), rss ${rss} MiB, ${delivered:-?} Mbit/s per client, load $load"
}

fanout_rtsp() { # server-name transport
  local server=$1 transport=$2 n
  sleep 2 # start-up work (JIT, pipeline set-up) stays out of the first cell
  if [ "$transport" = tcp ]; then
    measure "$server" idle 0 "$SERVER_PID" "" "" # the stream runs, nobody watches
  fi
  for n in $CLIENTS; do
    local out="$WORK/load.$server.$transport.$n"
    "$WORK/rtspload" play "$URL" "$n" "$transport" >"$out" 2>&1 &
    local client=$!
    PIDS+=("$client")
    wait_line "$out" '^ready' "$client" 90 >/dev/null
    measure "$server" "$transport" "$n" "$SERVER_PID" "$client" "$out"
  done
}

fanout_floor() { # transport
  local transport=$1 n
  for n in $CLIENTS; do
    local sout="$WORK/floor.$transport.$n" out="$WORK/load.floor.$transport.$n"
    FLOOR_GSO=${FLOOR_GSO:-1} "$WORK/floorwriter" "$transport" "$n" "$CLIP" "$FPS" >"$sout" 2>&1 &
    local writer=$!
    PIDS+=("$writer")
    local port
    port=$(wait_line "$sout" '^port ' "$writer" 10 | awk '{ print $2 }')
    "$WORK/rtspload" raw "$transport" "$port" "$n" >"$out" 2>&1 &
    local client=$!
    PIDS+=("$client")
    wait_line "$out" '^ready' "$client" 30 >/dev/null
    wait_line "$sout" '^ready' "$writer" 30 >/dev/null
    measure "${FLOOR_NAME:-floor}" "$transport" "$n" "$writer" "$client" "$out"
    stop_pid "$writer"
  done
}

CLIP_SOURCE='{ "type": "testPattern", "width": 1280, "height": 720, "fps": 30 }'
CLIP_ENCODER='{ "engine": "passthrough", "bitrate": 4000000, "gop": 120 }'

part_fanout() {
  : >"$WORK/fanout.tsv"
  # What users run (the .deb's binary), and no JIT at work in the measured windows: tiered
  # compilation went on for 25 s after start and cost up to 0.007 CPU-s/s of the JIT build's figures.
  memory_publish_aot
  local saved=("${CAMSTREAMD_COMMAND[@]}")
  CAMSTREAMD_COMMAND=("$AOT_BIN")
  local transport
  for transport in tcp udp; do
    settle
    start_camstreamd "$CLIP" "$CLIP_SOURCE" "$CLIP_ENCODER"
    fanout_rtsp camstreamd "$transport"
    stop_pid "$SERVER_PID"
    start_gst
    fanout_rtsp gst-rtsp-server "$transport"
    stop_pid "$SERVER_PID"
    fanout_floor "$transport"
    # UDP again without segmentation: the floor #21 was filed against, for comparison.
    [ "$transport" = udp ] && FLOOR_GSO=0 FLOOR_NAME=floor-sendmmsg fanout_floor udp
  done
  CAMSTREAMD_COMMAND=("${saved[@]}")
}

# Joins one server, JOINS times per transport, at random points of the GOP while another viewer
# keeps the stream (and gst-rtsp-server's shared media) running; rows: server transport seconds.
join_server() {
  local server=$1 transport i
  "$WORK/rtspload" play "$URL" 1 tcp >"$WORK/join-keeper.$server" 2>&1 &
  local keeper=$!
  PIDS+=("$keeper")
  wait_line "$WORK/join-keeper.$server" '^ready' "$keeper" 30 >/dev/null
  for transport in tcp udp; do
    for i in $(seq "$JOINS"); do
      sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.2 + (r % 100) / 100 }')"
      printf '%s\t%s\t%s\t%s\n' "$server" "$transport" "$("$WORK/rtspload" join "$URL" "$transport")" "$(load_average)" >>"$WORK/join.tsv"
    done
  done
  stop_pid "$keeper"
}

part_join() {
  : >"$WORK/join.tsv"
  start_camstreamd "$CLIP" "$CLIP_SOURCE" "$CLIP_ENCODER"
  sleep 1
  join_server camstreamd
  stop_pid "$SERVER_PID"
  start_gst
  join_server gst-rtsp-server
  stop_pid "$SERVER_PID"
}

# BenchmarkDotNet (bench/CamStreamd.Benchmarks, in-process, memory diagnoser): one operation is
# one RTP packet (one RTSP message for the parser's rows); rows: name unit median_ns bytes.
part_hotpath() {
  # The daemon was built above (or by ./build.sh bench); only the benchmark project is built here.
  dotnet build bench/CamStreamd.Benchmarks -c "$CONFIGURATION" --no-dependencies -nologo -v quiet -clp:NoSummary -warnaserror >&2
  local dll="bench/CamStreamd.Benchmarks/bin/${CONFIGURATION}/net10.0/CamStreamd.Benchmarks.dll"
  timeout 300 dotnet "$dll" --filter '*' --artifacts "$WORK/bdn" >"$WORK/bdn.log" 2>&1 \
    || { log "BenchmarkDotNet failed:"; tail -n 30 "$WORK/bdn.log" >&2; return 1; }
  "$GST_PYTHON" - "$WORK"/bdn/results/*-report-brief.json >"$WORK/hotpath.tsv" <<'PY'
import json, sys
per_request = {"ParseKeepAliveRequest"}
for benchmark in json.load(open(sys.argv[1]))["Benchmarks"]:
    method = benchmark["Method"]
    unit = "request" if method in per_request else "packet"
    print(f'{benchmark["Type"]}.{method}\t{unit}\t{benchmark["Statistics"]["Median"]:.1f}\t{benchmark["Memory"]["BytesAllocatedPerOperation"]}')
PY
  echo "$(load_average)" >"$WORK/hotpath.load"
}

# Latency, camstreamd only (gst-rtsp-server has no test pattern of ours to carry the time):
# test pattern 1280x720 at 30 fps, x264 at 4 Mbit/s. Capture-to-wire from RTP timestamps and the
# RTCP SR's clock mapping (rtspload wire); end to end from the time stripe in the decoded
# pixels (ffmpeg decoding, bench/latency-reader.py). Rows: path milliseconds.
part_latency() {
  : >"$WORK/latency.tsv"
  start_camstreamd "" '{ "type": "testPattern", "width": 1280, "height": 720, "fps": 30 }' \
    '{ "engine": "x264", "bitrate": 4000000, "gop": 120 }'
  sleep 1
  timeout $((LATENCY_SECONDS + 20)) "$WORK/rtspload" wire "$URL" "$LATENCY_SECONDS" | awk '{ print "capture-to-wire\t" $1 }' >>"$WORK/latency.tsv"
  # Two decoding clients: GStreamer (rtspsrc latency=0, avdec_h264) and the ffmpeg CLI (which
  # holds about two frames more before it outputs one); both single-threaded decoders.
  timeout $((LATENCY_SECONDS + 20)) gst-launch-1.0 -q rtspsrc location="$URL" protocols=tcp latency=0 ! rtph264depay \
    ! avdec_h264 max-threads=1 ! videoconvert ! video/x-raw,format=GRAY8 ! fdsink fd=1 sync=false 2>/dev/null \
    | "$GST_PYTHON" bench/latency-reader.py 1280 720 2 "$LATENCY_SECONDS" | awk '{ print "end-to-end-gstreamer\t" $1 }' >>"$WORK/latency.tsv" || true
  timeout $((LATENCY_SECONDS + 20)) ffmpeg -nostdin -hide_banner -v quiet -rtsp_transport tcp -fflags nobuffer -flags low_delay \
    -threads 1 -i "$URL" -an -f rawvideo -pix_fmt gray pipe:1 \
    | "$GST_PYTHON" bench/latency-reader.py 1280 720 2 "$LATENCY_SECONDS" | awk '{ print "end-to-end-ffmpeg\t" $1 }' >>"$WORK/latency.tsv" || true
  load_average >"$WORK/latency.load"
  stop_pid "$SERVER_PID"
  log "latency: $(grep -c . "$WORK/latency.tsv") samples"
}

# CPU-s/s (median of IDLE_WINDOWS windows) and RSS of PID, nobody watching; appends a row to
# $WORK/idle.tsv: kind cpu_median rss_mib load windows note. CLOCK "ticks" (all threads, 10 ms
# resolution, /proc/PID/stat) or "ns" (the main thread's schedstat: for single-threaded rtspload).
idle_measure() {
  local kind=$1 pid=$2 clock=$3 note=""
  sleep 2 # start-up work (JIT, first GOP, the pull's PLI round) stays out of the windows
  local before after since now cpus=() load read=cpu_ticks per_second=$HZ
  [ "$clock" = ns ] && { read=cpu_ns; per_second=1000000000; }
  load=$(load_average)
  before=$($read "$pid")
  since=$(date +%s%N)
  for _ in $(seq "$IDLE_WINDOWS"); do
    sleep "$IDLE_WINDOW_SECONDS"
    after=$($read "$pid")
    now=$(date +%s%N)
    cpus+=("$(awk -v a="$after" -v b="$before" -v hz="$per_second" -v ns="$((now - since))" 'BEGIN { printf "%.4f", (a - b) / hz / (ns / 1e9) }')")
    before=$after
    since=$now
  done
  local rss cpu
  rss=$(rss_mib "$pid")
  cpu=$(printf '%s\n' "${cpus[@]}" | median)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$cpu" "$rss" "$load" "${cpus[*]}" "$note" >>"$WORK/idle.tsv"
  log "idle $kind: cpu ${cpu} s/s (windows ${cpus[*]}), rss ${rss} MiB, load $load${note:+ ($note)}"
}

# One daemon per source kind, one stream, no viewer. The relays pull the bench's gst-rtsp-server
# (the clip, 1280x720 at 30 fps, ~4 Mbit/s); rtspload playing the same URL with one session is
# what receiving that stream costs at least (the floor of a relay, per transport).
part_idle() {
  : >"$WORK/idle.tsv"
  start_camstreamd "" '{ "type": "testPattern", "width": 1280, "height": 720, "fps": 30 }' \
    '{ "engine": "x264", "bitrate": 4000000, "gop": 120 }'
  idle_measure "test pattern + x264" "$SERVER_PID" ticks
  stop_pid "$SERVER_PID"
  start_camstreamd "$CLIP" "$CLIP_SOURCE" "$CLIP_ENCODER"
  idle_measure "H.264 file passthrough" "$SERVER_PID" ticks
  stop_pid "$SERVER_PID"
  start_gst
  local upstream=$URL gst=$SERVER_PID transport
  for transport in tcp udp; do
    start_camstreamd "" "{ \"type\": \"rtsp\", \"url\": \"$upstream\", \"transport\": \"$transport\", \"width\": 1280, \"height\": 720, \"fps\": 30 }" \
      '{ "engine": "auto", "gop": 120 }'
    wait_line "$SERVER_LOG" 'pulling .* playing' "$SERVER_PID" 30 >/dev/null
    idle_measure "RTSP pull $transport" "$SERVER_PID" ticks
    # A relay that lost its upstream streams the placeholder instead: its row would not be a relay's.
    local note=""
    grep -q 'no pictures from the upstream\|unavailable' "$SERVER_LOG" && note="upstream lost during the run"
    [ -n "$note" ] && sed -i '$ s/\t$/\t'"$note"'/' "$WORK/idle.tsv"
    stop_pid "$SERVER_PID"
    local out="$WORK/load.idle.$transport"
    "$WORK/rtspload" play "$upstream" 1 "$transport" >"$out" 2>&1 &
    local client=$!
    PIDS+=("$client")
    wait_line "$out" '^ready' "$client" 30 >/dev/null
    idle_measure "floor $transport (rtspload)" "$client" ns
    stop_pid "$client"
  done
  stop_pid "$gst"
}

# shellcheck source=bench/memory.sh
source bench/memory.sh
# shellcheck source=bench/webrtc-latency.sh
source bench/webrtc-latency.sh

# ---- build and inputs ----
if [ "$BUILD" = 1 ]; then
  log "building (Release)"
  dotnet build CamStreamd.sln -c "$CONFIGURATION" -nologo -v quiet -clp:NoSummary -warnaserror >&2
fi
[ -f "$DLL" ] || { log "$DLL is missing: run ./build.sh build"; exit 66; }
gcc -O2 -Wall -Wextra -Werror -o "$WORK/rtspload" bench/native/rtspload.c
gcc -O2 -Wall -Wextra -Werror -o "$WORK/floorwriter" bench/native/floorwriter.c
CLIP="$WORK/clip.h264"
log "encoding the clip: 1280x720, 30 fps, 8 s, libx264 veryfast/zerolatency, 4 Mbit/s CBR-like, GOP $GOP, no B-frames"
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=1280x720:rate=$FPS" -t 8 -c:v libx264 -preset veryfast -tune zerolatency \
  -profile:v main -b:v 4M -minrate 4M -maxrate 4M -bufsize 2M -g "$GOP" -keyint_min "$GOP" -sc_threshold 0 -bf 0 \
  -x264-params slices=1 -f h264 "$CLIP"
CLIP_MBIT=$(awk -v b="$(stat -c %s "$CLIP")" 'BEGIN { printf "%.2f", b * 8 / 8 / 1e6 }')
log "clip: $CLIP_MBIT Mbit/s"

for part in $PARTS; do
  case "$part" in
    fanout) part_fanout ;;
    join) part_join ;;
    hotpath) part_hotpath ;;
    latency) part_latency ;;
    webrtc-latency) part_webrtc_latency ;;
    idle) part_idle ;;
    memory) part_memory ;;
    record) bench/record.sh "$CLIP" >"$WORK/record.md" ;;
    composite) AOT_BIN=${AOT_BIN:-} bench/composite.sh --no-build >"$WORK/composite.md" ;;
    webrtc-fanout) memory_publish_aot; AOT_BIN=$AOT_BIN bench/webrtc-fanout.sh --no-build "$CLIP" "$WORK/rtspload" >"$WORK/webrtc-fanout.md" ;;
    *) log "unknown part $part" ;;
  esac
done

# ---- report ----
mkdir -p docs
# shellcheck source=bench/report.sh
source bench/report.sh
if [ -s "$WORK/memory.tsv" ]; then
  echo; echo "Memory and start (bench/memory.sh):"; memory_table
  if [ "$DOC" = 1 ]; then
    { echo; echo "## Memory and start to ready"; echo; echo "One 1280x720 30 fps stream, TCP viewers; RSS from /proc/PID/status, start to READY=1 (bench/memory.sh)."; echo; memory_table; } >>docs/BENCHMARKS.md
  fi
elif [ "$DOC" = 1 ] && [ -n "$(previous_section "Memory and start to ready")" ]; then
  # A run without the memory part keeps the last run's section (report.sh rewrote the page without it).
  { echo; previous_section "Memory and start to ready" | grep -v '^(from the previous run: ' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
    echo; echo "(from the previous run: \`bench/bench.sh --parts\` did not include memory)"; } >>docs/BENCHMARKS.md
fi
