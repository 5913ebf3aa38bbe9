# Sourced by bench/bench.sh: the "memory" part. RSS and start-to-ready of the NativeAOT amd64
# build (the packaged binary), the JIT build (./build.sh run, the tests) and gst-rtsp-server, in
# the same run, with 0, 10 and 200 TCP viewers (rtspload) of one 1280x720 30 fps stream.
# camstreamd runs two ways: its test pattern encoded by x264 (what a board without a hardware
# encoder runs), and the pre-encoded clip passed through (what gst-rtsp-server is fed, since
# Debian's GStreamer has no x264enc without plugins-ugly). Start to ready: fork to READY=1 on
# NOTIFY_SOCKET (bench/ready-time.py); gst-rtsp-server: fork to its "port" line (it serves then).
# Rows in $WORK/memory.tsv: build source viewers rss_mib ready_seconds load.
# shellcheck shell=bash

MEMORY_VIEWERS=${BENCH_MEMORY_VIEWERS:-"0 10 200"}

memory_publish_aot() {
  AOT_BIN="$WORK/aot/camstreamd"
  [ -x "$AOT_BIN" ] && return 0
  log "publishing the NativeAOT build (linux-x64, as packaging/debian/build-deb.sh does)"
  dotnet publish src/CamStreamd/CamStreamd.csproj -c "$CONFIGURATION" -nologo -v quiet -r linux-x64 \
    -p:PublishAot=true -p:CppCompilerAndLinker=clang-14 -p:StripSymbols=true -p:DebugType=none -o "$WORK/aot" >&2
}

memory_start() { # build source -> SERVER_PID URL READY
  local build=$1 source=$2 out="$WORK/memory.$build.$source.log" clip="" encoder
  if [ "$source" = clip ]; then clip=$CLIP; encoder=$CLIP_ENCODER; else encoder='{ "engine": "x264", "bitrate": 4000000, "gop": 120 }'; fi
  cat >"$WORK/memory.json" <<JSON
{ "rtsp": { "listenAddress": "127.0.0.1", "port": 0, "maxConnections": 1000 },
  "http": { "listenAddress": "127.0.0.1", "port": 0 },
  "streams": [ { "name": "cam0", "source": ${CLIP_SOURCE}, "encoder": ${encoder} } ] }
JSON
  local command=("$AOT_BIN")
  [ "$build" = jit ] && command=(dotnet "$DLL")
  local line
  line=$(CAMSTREAMD_BENCH_H264=$clip "$GST_PYTHON" bench/ready-time.py "$out" -- "${command[@]}" --config "$WORK/memory.json")
  SERVER_PID=$(awk '{ print $2 }' <<<"$line")
  READY=$(awk '{ print $4 }' <<<"$line")
  PIDS+=("$SERVER_PID")
  line=$(wait_line "$out" 'Stream cam0: rtsp://' "$SERVER_PID" 60)
  URL="rtsp://127.0.0.1:$(sed -nE 's#.*rtsp://[^:/]+:([0-9]+)/.*#\1#p' <<<"$line")/cam0"
}

memory_gst_start() { # -> SERVER_PID URL READY
  local out="$WORK/memory.gst.log" t0 line
  t0=$(date +%s%N)
  "$GST_PYTHON" bench/gst-rtsp-server.py "$CLIP" "$FPS" >"$out" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  line=$(wait_line "$out" '^port [0-9]+' "$SERVER_PID" 30)
  READY=$(awk -v ns="$(($(date +%s%N) - t0))" 'BEGIN { printf "%.3f", ns / 1e9 }')
  URL="rtsp://127.0.0.1:$(awk '{ print $2 }' <<<"$line")/cam0"
}

memory_rows() { # build source
  local n
  for n in $MEMORY_VIEWERS; do
    local client=""
    if [ "$n" -gt 0 ]; then
      "$WORK/rtspload" play "$URL" "$n" tcp >"$WORK/memory.load.$n" 2>&1 &
      client=$!
      PIDS+=("$client")
      wait_line "$WORK/memory.load.$n" '^ready' "$client" 90 >/dev/null
    fi
    sleep 5 # buffers, queues and the GC settle at the new viewer count
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$n" "$(rss_mib "$SERVER_PID")" "$READY" "$(load_average)" >>"$WORK/memory.tsv"
    log "memory: $1 $2 $n viewers: rss $(rss_mib "$SERVER_PID") MiB, ready after $READY s"
    [ -n "$client" ] && stop_pid "$client"
  done
}

part_memory() {
  : >"$WORK/memory.tsv"
  memory_publish_aot
  local build source
  for build in aot jit; do
    for source in x264 clip; do
      memory_start "$build" "$source"
      sleep 2
      memory_rows "$build" "$source"
      stop_pid "$SERVER_PID"
    done
  done
  memory_gst_start
  sleep 2
  memory_rows gst-rtsp-server clip
  stop_pid "$SERVER_PID"
}

memory_table() {
  [ -s "$WORK/memory.tsv" ] || { echo "(not run)"; return 0; }
  echo "| server | stream | viewers | RSS MiB | start to ready s | load avg |"
  echo "|---|---|---|---|---|---|"
  awk -F'\t' '{ name = ($1 == "aot") ? "camstreamd NativeAOT amd64" : ($1 == "jit") ? "camstreamd JIT" : $1
    printf "| %s | %s | %s | %s | %s | %s |\n", name, ($2 == "x264") ? "test pattern, x264" : "clip, passthrough", $3, $4, $5, $6 }' "$WORK/memory.tsv"
}
