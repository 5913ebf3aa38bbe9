# Sourced by bench/bench.sh (and bench/report.sh uses its table): the "webrtc-latency" part.
# Glass-to-glass latency of WHEP playback in headless Chromium (bench/webrtc-latency.py reads the
# test pattern's time stripe back from each presented frame through a canvas), and, on the same
# daemon right after, the GStreamer RTSP client of the "latency" part for comparison.
# Rows in $WORK/webrtc-latency.tsv: path milliseconds; notes in $WORK/webrtc-latency.notes.
# shellcheck shell=bash

WEBRTC_LATENCY_FRAMES=${BENCH_WEBRTC_LATENCY_FRAMES:-300}
WEBRTC_LATENCY_WARMUP=${BENCH_WEBRTC_LATENCY_WARMUP:-3}

# One Chromium run against $http: rows "LABEL: ..." into webrtc-latency.tsv, notes too.
webrtc_latency_chromium() { # label flags
  local label=$1 timeout=$((60 + WEBRTC_LATENCY_FRAMES / 10))
  if WEBRTC_LATENCY_CHROMIUM_FLAGS=$2 timeout $((timeout + 15)) /usr/bin/python3 bench/webrtc-latency.py "$http" cam0 1280 720 \
      "$WEBRTC_LATENCY_FRAMES" "$WEBRTC_LATENCY_WARMUP" "$timeout" >"$WORK/webrtc-latency.raw" 2>"$WORK/webrtc-latency.err"; then
    awk -F'\t' -v l="$label" '!/^#/ {
      print l ": capture to last packet received\t" $1
      print l ": capture to presented (decoded, handed to the compositor)\t" $2
      print l ": glass to glass (capture to the canvas read)\t" $3 }' "$WORK/webrtc-latency.raw" >>"$WORK/webrtc-latency.tsv"
    grep '^#' "$WORK/webrtc-latency.raw" | sed "s/^# /$label: /" >>"$WORK/webrtc-latency.notes"
  else
    log "webrtc-latency: $label measured nothing: $(cat "$WORK/webrtc-latency.err")"
    echo "$label measured nothing: $(cat "$WORK/webrtc-latency.err")" >>"$WORK/webrtc-latency.notes"
  fi
}

part_webrtc_latency() {
  : >"$WORK/webrtc-latency.tsv"
  : >"$WORK/webrtc-latency.notes"
  local out="$WORK/camstreamd.webrtc-latency.log"
  # The "latency" part's stream: x264 (preset ultrafast, tune zerolatency: no B-frames, no
  # lookahead, sliced threads), 4 Mbit/s, GOP 120. WebRTC on an ephemeral UDP port.
  cat >"$WORK/webrtc-latency.json" <<JSON
{
  "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
  "http": { "listenAddress": "127.0.0.1", "port": 0 },
  "webrtc": { "port": 0 },
  "logging": { "level": "Information" },
  "streams": [ { "name": "cam0", "source": { "type": "testPattern", "width": 1280, "height": 720, "fps": 30 },
                 "encoder": { "engine": "x264", "bitrate": 4000000, "gop": 120 } } ]
}
JSON
  dotnet "$DLL" --config "$WORK/webrtc-latency.json" >"$out" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  local line http
  line=$(wait_line "$out" 'Stream cam0: rtsp://' "$SERVER_PID" 60)
  URL="rtsp://127.0.0.1:$(sed -nE 's#.*rtsp://[^:/]+:([0-9]+)/.*#\1#p' <<<"$line")/cam0"
  http=$(wait_line "$out" 'HTTP listening on http://' "$SERVER_PID" 30 | grep -oE 'http://[^/ ]+')
  sleep 2 # JIT and the first GOP
  load_average >"$WORK/webrtc-latency.load"
  webrtc_latency_chromium "chromium" ""
  # The same with Chromium's playout delay forced to 0 (libwebrtc's field trial): what answering
  # the playout-delay header extension (Chromium offers it) with min 0 / max 0 would ask of it.
  webrtc_latency_chromium "chromium, playout delay forced to 0" "--force-fieldtrials=WebRTC-ForcePlayoutDelay/min_ms:0,max_ms:0/"
  # The same daemon over RTSP right after (one viewer at a time): the "latency" part's GStreamer client.
  timeout $((LATENCY_SECONDS + 20)) gst-launch-1.0 -q rtspsrc location="$URL" protocols=tcp latency=0 ! rtph264depay \
    ! avdec_h264 max-threads=1 ! videoconvert ! video/x-raw,format=GRAY8 ! fdsink fd=1 sync=false 2>/dev/null \
    | "$GST_PYTHON" bench/latency-reader.py 1280 720 2 "$LATENCY_SECONDS" \
    | awk '{ print "rtsp gstreamer (same daemon, after): end to end\t" $1 }' >>"$WORK/webrtc-latency.tsv" || true
  stop_pid "$SERVER_PID"
  log "webrtc-latency: $(grep -c 'glass' "$WORK/webrtc-latency.tsv") frames in two chromium runs"
}

webrtc_latency_table() {
  [ -s "$WORK/webrtc-latency.tsv" ] || { echo "(not run)"; cat "$WORK/webrtc-latency.notes" 2>/dev/null; return 0; }
  echo "| path (ms after the capture time) | frames | p50 ms | p90 ms | p99 ms | load avg |"
  echo "|---|---|---|---|---|---|"
  local path values
  while IFS= read -r path; do
    values=$(awk -F'\t' -v p="$path" '$1 == p { print $2 }' "$WORK/webrtc-latency.tsv")
    printf '| %s | %s | %.1f | %.1f | %.1f | %s |\n' "$path" "$(wc -l <<<"$values")" "$(percentile 50 <<<"$values")" \
      "$(percentile 90 <<<"$values")" "$(percentile 99 <<<"$values")" "$(cat "$WORK/webrtc-latency.load" 2>/dev/null || echo ?)"
  done < <(cut -f1 "$WORK/webrtc-latency.tsv" | awk '!seen[$0]++')
  echo
  sed 's/^/- /' "$WORK/webrtc-latency.notes"
}

webrtc_latency_verdicts() {
  [ -f "$WORK/webrtc-latency.tsv" ] || return 0
  local p50
  p50=$(awk -F'\t' '$1 == "chromium: glass to glass (capture to the canvas read)" { print $2 }' "$WORK/webrtc-latency.tsv" | percentile 50)
  awk -v m="${p50:-}" 'BEGIN { if (m == "") print "- NOT MET: webrtc-latency: Chromium measured no frame"; else if (m > 100) printf "- NOT MET: webrtc-latency: glass to glass p50 %.1f ms; target <= 100 ms\n", m }'
}
