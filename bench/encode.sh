#!/usr/bin/env bash
# Encode benchmark: x264 at 1280x720 through camstreamd's own libx264 binding (the x264 engine), the
# same libx264 through camstreamd's FFmpeg binding (bench-encode --engine x264-libavcodec, what the
# engine was before issue #18), and the ffmpeg CLI with the same settings (libx264 ultrafast, zerolatency, 3 Mbit/s, GOP 60, no B-frames, same
# thread count), in the same run on the same raw frames, runs alternating. Prints each run and the
# medians of frames/s (wall time of the encode loop) and of CPU-ms per frame (every thread's user
# + system time over the loop: ours from the process, ffmpeg's from -benchmark utime+stime), which a
# busy machine disturbs less than wall time.
#   bench/encode.sh [FRAMES] [RUNS]      (defaults: 300 frames, 5 runs of each)
set -euo pipefail
cd "$(dirname "$0")/.."

FRAMES=${1:-300}
RUNS=${2:-5}
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
ours_cpu=()
theirs_cpu=()
via=()
via_cpu=()
for run in $(seq 1 "$RUNS"); do
  line=$(dotnet "$DLL" bench-encode "$WORK/in.yuv" --size "$SIZE" --threads "$THREADS" --engine x264-libavcodec)
  via+=("$(sed -E 's/.* fps=([0-9.]+).*/\1/' <<<"$line")")
  via_cpu+=("$(sed -E 's/.*cpu_ms_per_frame=([0-9.]+).*/\1/' <<<"$line")")
  echo "via libavcodec run $run: $line"

  line=$(dotnet "$DLL" bench-encode "$WORK/in.yuv" --size "$SIZE" --threads "$THREADS")
  fps=$(sed -E 's/.* fps=([0-9.]+).*/\1/' <<<"$line")
  ours+=("$fps")
  ours_cpu+=("$(sed -E 's/.*cpu_ms_per_frame=([0-9.]+).*/\1/' <<<"$line")")
  echo "binding run $run: $line"

  # -benchmark's line covers the transcode loop only (process start-up excluded):
  # "bench: utime=1.234s stime=0.056s rtime=0.789s".
  bench=$(ffmpeg -nostdin -hide_banner -benchmark -f rawvideo -pix_fmt yuv420p -s "$SIZE" -framerate 30 -i "$WORK/in.yuv" \
    -c:v libx264 -preset ultrafast -tune zerolatency -profile:v main -coder 1 -b:v 3000000 -maxrate 3000000 -bufsize 3000000 \
    -g 60 -bf 0 -sc_threshold 0 -threads "$THREADS" -f null - 2>&1 | grep -E '^bench: utime=' | tail -n 1)
  read -r rtime cpu < <(sed -E 's/.*utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s.*/\3 \1 \2/' <<<"$bench" \
    | awk -v f="$FRAMES" '{ printf "%s %.3f\n", $1, 1000 * ($2 + $3) / f }')
  fps=$(awk -v f="$FRAMES" -v t="$rtime" 'BEGIN { printf "%.1f", f / t }')
  theirs+=("$fps")
  theirs_cpu+=("$cpu")
  echo "ffmpeg  run $run: frames=$FRAMES seconds=$rtime fps=$fps cpu_ms_per_frame=$cpu"
done

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
m_ours=$(median "${ours[@]}")
m_theirs=$(median "${theirs[@]}")
ratio=$(awk -v a="$m_ours" -v b="$m_theirs" 'BEGIN { printf "%.2f", a / b }')
c_ours=$(median "${ours_cpu[@]}")
c_theirs=$(median "${theirs_cpu[@]}")
cpu_ratio=$(awk -v a="$c_ours" -v b="$c_theirs" 'BEGIN { printf "%.2f", b / a }')
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median via libavcodec: fps $(median "${via[@]}"), CPU-ms per frame $(median "${via_cpu[@]}") (direct binding: fps $m_ours, CPU-ms per frame $c_ours)"
echo "median fps: binding $m_ours, ffmpeg $m_theirs; ratio binding/ffmpeg = $ratio (threads $THREADS, $SIZE, $FRAMES frames, $RUNS runs each)"
echo "median CPU-ms per frame: binding $c_ours, ffmpeg $c_theirs; efficiency ratio ffmpeg/binding = $cpu_ratio (above 1.0: the binding costs less)"
