#!/usr/bin/env bash
# Composite benchmark: four 640x360 30 fps inputs (one gst-rtsp-server serving a pre-encoded clip,
# bench/gst-rtsp-server.py, pulled four times) into a 1280x720 15 fps 2x2 composite encoded with
# x264 (ultrafast, zerolatency, CABAC, CBR 3 Mbit/s with a 1 s VBV, GOP 30: camstreamd's x264
# settings, given to ffmpeg option for option, the thread count included; the x264 option strings
# in both outputs' SEI are the same: "... threads=2 lookahead_threads=2 sliced_threads=1 slices=2 ...
# rc=cbr ... vbv_maxrate=3000 vbv_bufsize=3000 ..." on 2 cores, FFmpeg 5.1), by
# camstreamd (source.type composite; the NativeAOT build as packaged and the JIT build) and by
# ffmpeg (-filter_complex xstack, then fps=15 and libx264), in the same run, alternating.
# Prints each one's CPU-seconds per second (utime+stime, all threads, from /proc/PID/stat over
# windows after a warm-up; median over rounds), CPU-milliseconds per composed frame (CPU-s/s / 15),
# RSS at the end of the window, and the ratio camstreamd / ffmpeg (target <= 0.7). Progress goes
# to stderr; stdout gets a Markdown section (bench/bench.sh part "composite" puts it in docs/BENCHMARKS.md).
#   bench/composite.sh [--no-build]      knobs: BENCH_WINDOWS (3), BENCH_WINDOW_SECONDS (3), BENCH_ROUNDS (3),
#                                        BENCH_COMPOSITE_BUILDS ("aot jit"), AOT_BIN (a published NativeAOT binary to use),
#                                        BENCH_COMPOSITE_JIT_WARMUP (30 s: the JIT build is measured once tiered
#                                        compilation has settled, as a daemon runs; its first seconds are start-up),
#                                        BENCH_COMPOSITE_INPUT (640x360: the inputs' size; any other size is scaled
#                                        into the 640x360 tiles by both, bilinear: our libswscale TileScaler and
#                                        ffmpeg's scale filter with flags=bilinear before xstack)
# Inputs are pulled over UDP by both.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${1:-}" = "--no-build" ] || dotnet build src/CamStreamd -c Release -nologo -v quiet -clp:NoSummary >&2
WINDOWS=${BENCH_WINDOWS:-3}
WINDOW_SECONDS=${BENCH_WINDOW_SECONDS:-3}
ROUNDS=${BENCH_ROUNDS:-3}
BUILDS=${BENCH_COMPOSITE_BUILDS:-"aot jit"}
JIT_WARMUP=${BENCH_COMPOSITE_JIT_WARMUP:-30}
INPUT=${BENCH_COMPOSITE_INPUT:-640x360}
[[ $INPUT =~ ^[0-9]+x[0-9]+$ ]] || { echo "BENCH_COMPOSITE_INPUT must be WIDTHxHEIGHT, not '$INPUT'" >&2; exit 64; }
# camstreamd's x264 threads (EncoderSettings.EffectiveThreads: min(cores, 4)), given to ffmpeg's
# encoder too: its auto count is one per core, so the two would differ on more than 4 cores.
X264_THREADS=$(( $(nproc) < 4 ? $(nproc) : 4 ))
DLL=src/CamStreamd/bin/Release/net10.0/camstreamd.dll
HZ=$(getconf CLK_TCK)
WORK=$(mktemp -d /tmp/camstreamd-composite-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
rss() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
trap cleanup EXIT
log() { printf '[composite-bench] %s\n' "$*" >&2; }
# shellcheck source=bench/lib.sh
. bench/lib.sh # the script has cd-ed to the repository root
measure() { # PID -> median CPU-s/s over WINDOWS windows
  local pid=$1 i a b t0 t1
  for i in $(seq "$WINDOWS"); do
    a=$(cpu_ticks "$pid"); t0=$(date +%s.%N); sleep "$WINDOW_SECONDS"; b=$(cpu_ticks "$pid"); t1=$(date +%s.%N)
    awk -v a="$a" -v b="$b" -v t0="$t0" -v t1="$t1" -v hz="$HZ" 'BEGIN { printf "%.4f\n", (b - a) / hz / (t1 - t0) }'
  done | median
}

CLIP=$WORK/clip.h264
ffmpeg -v error -f lavfi -i "testsrc2=size=$INPUT:rate=30" -t 10 -c:v libx264 -preset veryfast -bf 0 -g 30 -pix_fmt yuv420p -b:v 1M -f h264 "$CLIP"
/usr/bin/python3 bench/gst-rtsp-server.py "$CLIP" 30 >"$WORK/gst.log" 2>&1 &
GST=$!; PIDS+=("$GST")
wait_for "$WORK/gst.log" '^port [0-9]+' "$GST" 30
URL="rtsp://127.0.0.1:$(awk '/^port/ { print $2 }' "$WORK/gst.log")/cam0"

if [[ " $BUILDS " == *" aot "* ]] && [ -z "${AOT_BIN:-}" ]; then
  log "publishing the NativeAOT build (linux-x64, as packaging/debian/build-deb.sh does)"
  dotnet publish src/CamStreamd/CamStreamd.csproj -c Release -nologo -v quiet -r linux-x64 \
    -p:PublishAot=true -p:CppCompilerAndLinker=clang-14 -p:StripSymbols=true -p:DebugType=none -o "$WORK/aot" >&2
  AOT_BIN="$WORK/aot/camstreamd"
fi

run_camstreamd() { # BUILD -> "cpu rss"
  local build=$1 inputs="" i command=(dotnet "$DLL")
  [ "$build" = aot ] && command=("$AOT_BIN")
  for i in 0 1 2 3; do inputs+="${inputs:+,}{ \"url\": \"$URL\", \"transport\": \"udp\", \"name\": \"in$i\" }"; done
  cat >"$WORK/c.json" <<JSON
{ "rtsp": { "listenAddress": "127.0.0.1", "port": 0 }, "http": { "listenAddress": "127.0.0.1", "port": 0 },
  "streams": [ { "name": "mix", "source": { "type": "composite", "width": 1280, "height": 720, "fps": 15, "layout": "grid", "inputs": [ $inputs ] },
                 "encoder": { "engine": "x264", "bitrate": 3000000, "gop": 30 } } ] }
JSON
  "${command[@]}" --config "$WORK/c.json" >"$WORK/c.log" 2>&1 &
  local pid=$!; PIDS+=("$pid")
  wait_for "$WORK/c.log" 'in3.*playing' "$pid" 60
  # Every input decoding, the encoder warm; the JIT build also past tiered compilation (measured:
  # its compiler thread still took 3.9 % of the daemon's CPU 4 s after start, 0.4 % after 40 s).
  if [ "$build" = jit ]; then sleep "$JIT_WARMUP"; else sleep 3; fi
  local cpu
  cpu=$(measure "$pid")
  echo "$cpu $(rss "$pid")"
  # The inputs' measured rates and the composite's, so a starved input cannot flatter the figure.
  local http
  http=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$WORK/c.log" | head -n 1)
  curl -s "$http/api/streams/mix" | /usr/bin/python3 -c 'import json,sys; s=json.load(sys.stdin); print("inputs fps", [i["measuredFps"] for i in s["inputs"]], "composite fps", s["measured"]["captureFps"], file=sys.stderr)'
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

ffmpeg_frames() { grep -a -oE 'frame= *[0-9]+' "$WORK/f.log" | tail -n 1 | grep -oE '[0-9]+' || echo 0; }

# xstack of the four inputs, each scaled into its 640x360 tile first when it is another size.
STACK="[0:v][1:v][2:v][3:v]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0,fps=15[v]"
if [ "$INPUT" != 640x360 ]; then
  STACK="[0:v]scale=640:360:flags=bilinear[s0];[1:v]scale=640:360:flags=bilinear[s1];[2:v]scale=640:360:flags=bilinear[s2];[3:v]scale=640:360:flags=bilinear[s3];[s0][s1][s2][s3]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0,fps=15[v]"
fi

run_ffmpeg() { # -> "cpu rss"; a run whose ffmpeg made no pictures (its RTSP setup to the shared
  # server sometimes stalls) is retried, so a stalled process cannot enter the median as 0 CPU.
  local attempt pid cpu before after
  for attempt in 1 2 3; do
    ffmpeg -nostdin -v error -rtsp_transport udp -i "$URL" -rtsp_transport udp -i "$URL" -rtsp_transport udp -i "$URL" -rtsp_transport udp -i "$URL" \
      -filter_complex "$STACK" -map "[v]" \
      -c:v libx264 -preset ultrafast -tune zerolatency -b:v 3M -maxrate 3M -bufsize 3M -coder 1 -g 30 -bf 0 -threads "$X264_THREADS" -stats -f null - >"$WORK/f.log" 2>&1 &
    pid=$!; PIDS+=("$pid")
    sleep 6 # connected, decoding, the encoder warm
    kill -0 "$pid" || { cat "$WORK/f.log" >&2; return 1; }
    before=$(ffmpeg_frames)
    cpu=$(measure "$pid")
    after=$(ffmpeg_frames)
    echo "frame= $after (+$((after - before)) in the windows)" >&2
    if [ "$after" -gt $((before + 15)) ]; then
      echo "$cpu $(rss "$pid")"
      kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
      return 0
    fi
    log "ffmpeg made no pictures (frames $before -> $after, attempt $attempt): retrying"
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  done
  return 1
}

declare -A CPU RSS
for r in $(seq "$ROUNDS"); do
  for b in $BUILDS ffmpeg; do
    if [ "$b" = ffmpeg ]; then line=$(run_ffmpeg); else line=$(run_camstreamd "$b"); fi
    CPU[$b]+="${line% *} "; RSS[$b]+="${line#* } "
    log "round $r $b ${line% *} CPU-s/s, RSS ${line#* } MiB"
  done
done
LOAD=$(cut -d' ' -f1 /proc/loadavg)
med() { tr ' ' '\n' <<<"$1" | grep . | median; }
f=$(med "${CPU[ffmpeg]}")
echo "## Composite (4 x $INPUT 30 fps -> 1280x720 15 fps, x264; median of $ROUNDS rounds of $WINDOWS x ${WINDOW_SECONDS} s windows)"
echo
echo "Four RTSP pulls (UDP) of one gst-rtsp-server clip, decoded, tiled 2x2 and encoded by x264 ultrafast/zerolatency,"
echo "CABAC, CBR 3 Mbit/s, GOP 30, $X264_THREADS slice threads; ffmpeg runs \`-filter_complex xstack,fps=15\` with the same x264 settings"
echo "(bench/composite.sh). The JIT build is measured after ${JIT_WARMUP} s (tiered compilation settled), the others after 3 s."
echo "Target: camstreamd / ffmpeg <= 0.7. Load average at the end: $LOAD."
echo
echo "| process | CPU-s/s | CPU-ms per composed frame | RSS MiB | ratio to ffmpeg |"
echo "|---|---:|---:|---:|---:|"
for b in $BUILDS ffmpeg; do
  c=$(med "${CPU[$b]}")
  case "$b" in aot) name="camstreamd (NativeAOT, packaged)" ;; jit) name="camstreamd (JIT)" ;; *) name="ffmpeg xstack" ;; esac
  printf '| %s | %.3f | %.1f | %s | %.2f |\n' "$name" "$c" "$(awk -v c="$c" 'BEGIN { print c * 1000 / 15 }')" "$(med "${RSS[$b]}")" "$(awk -v c="$c" -v f="$f" 'BEGIN { print c / f }')"
done
echo
echo "Rounds (CPU-s/s): $(for b in $BUILDS ffmpeg; do printf '%s: %s; ' "$b" "${CPU[$b]% }"; done)"
