#!/usr/bin/env bash
# Encode benchmark: x264 at 1280x720 through camstreamd's FFmpeg binding against the ffmpeg CLI
# with the same settings (libx264 ultrafast, zerolatency, 3 Mbit/s, GOP 60, no B-frames, same
# thread count), in the same run on the same raw frames. Prints each run and the medians.
#   bench/encode.sh [FRAMES] [RUNS]      (defaults: 300 frames, 3 runs of each)
set -euo pipefail
cd "$(dirname "$0")/.."

FRAMES=${1:-300}
RUNS=${2:-3}
SIZE=1280x720
THREADS=${THREADS:-$(( $(nproc) < 4 ? $(nproc) : 4 ))}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

dotnet build src/CamStreamd -c Release -nologo -v quiet -clp:NoSummary >/dev/null
DLL=src/CamStreamd/bin/Release/net10.0/camstreamd.dll

# Moving test picture, raw I420, read from memory by both sides (ffmpeg from the page cache).
ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=$SIZE:rate=30" -frames:v "$FRAMES" -pix_fmt yuv420p -f rawvideo "$WORK/in.yuv"

ours=()
theirs=()
for run in $(seq 1 "$RUNS"); do
  line=$(dotnet "$DLL" bench-encode "$WORK/in.yuv" --size "$SIZE" --threads "$THREADS")
  fps=$(sed -E 's/.*fps=([0-9.]+).*/\1/' <<<"$line")
  ours+=("$fps")
  echo "binding run $run: $line"

  # -benchmark's rtime is the transcode loop's wall time (process start-up excluded).
  bench=$(ffmpeg -nostdin -hide_banner -benchmark -f rawvideo -pix_fmt yuv420p -s "$SIZE" -framerate 30 -i "$WORK/in.yuv" \
    -c:v libx264 -preset ultrafast -tune zerolatency -profile:v main -coder 1 -b:v 3000000 -maxrate 3000000 -bufsize 3000000 \
    -g 60 -bf 0 -sc_threshold 0 -threads "$THREADS" -f null - 2>&1 | grep -Eo 'rtime=[0-9.]+s' | tail -n 1)
  rtime=${bench#rtime=}
  rtime=${rtime%s}
  fps=$(awk -v f="$FRAMES" -v t="$rtime" 'BEGIN { printf "%.1f", f / t }')
  theirs+=("$fps")
  echo "ffmpeg  run $run: frames=$FRAMES seconds=$rtime fps=$fps"
done

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
m_ours=$(median "${ours[@]}")
m_theirs=$(median "${theirs[@]}")
ratio=$(awk -v a="$m_ours" -v b="$m_theirs" 'BEGIN { printf "%.2f", a / b }')
echo "median fps: binding $m_ours, ffmpeg $m_theirs; ratio binding/ffmpeg = $ratio (threads $THREADS, $SIZE, $FRAMES frames)"
