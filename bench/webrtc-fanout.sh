#!/usr/bin/env bash
# WebRTC fan-out against RTSP over UDP, in one daemon and one run: the daemon's CPU (CPU-s/s,
# nanoseconds from its threads' schedstat, bench/lib.sh cpu_sample; median of windows) and RSS with 0, 1, 10 and 50
# WebRTC sessions of our load client (bench/CamStreamd.WhepLoad: ICE, DTLS, SRTP received and
# discarded) and with 0, 1, 10 and 50 RTSP/UDP viewers of rtspload (bench/native/rtspload.c), on
# the same stream: the fan-out part's clip (1280x720, 30 fps, ~4 Mbit/s) passed through
# (CAMSTREAMD_BENCH_H264, encoder.engine passthrough). Per client: (CPU at N - CPU at 0) / N; the
# ratio WebRTC / RTSP (target <= 1.5). The clients run in their own processes: their CPU is not
# the daemon's (it is shown beside it). Progress goes to stderr; stdout gets a Markdown section
# (bench/bench.sh part "webrtc-fanout" puts it in docs/BENCHMARKS.md).
#   bench/webrtc-fanout.sh [--no-build] CLIP RTSPLOAD
# Knobs: BENCH_WEBRTC_COUNTS ("1 10 50"), BENCH_ROUNDS (2), BENCH_WINDOWS (3), BENCH_WINDOW_SECONDS (4),
# AOT_BIN (a published NativeAOT binary; without it the script publishes one, as the .deb ships).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=1
[ "${1:-}" = "--no-build" ] && { BUILD=0; shift; }
CLIP=${1:?usage: bench/webrtc-fanout.sh [--no-build] CLIP RTSPLOAD}
RTSPLOAD=${2:?usage: bench/webrtc-fanout.sh [--no-build] CLIP RTSPLOAD}
COUNTS=${BENCH_WEBRTC_COUNTS:-"1 10 50"}
ROUNDS=${BENCH_ROUNDS:-2}
WINDOWS=${BENCH_WINDOWS:-3}
WINDOW_SECONDS=${BENCH_WINDOW_SECONDS:-4}
WHEPLOAD=bench/CamStreamd.WhepLoad/bin/Release/net10.0/whepload.dll
HZ=$(getconf CLK_TCK)
WORK=$(mktemp -d /tmp/camstreamd-webrtc-fanout.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
log() { printf '[webrtc-fanout] %s\n' "$*" >&2; }
# shellcheck source=bench/lib.sh
. bench/lib.sh # the script has cd-ed to the repository root
clients_total() { curl -s --max-time 5 "$HTTP/api/streams/cam0" | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["clients"]["total"])'; }

if [ "$BUILD" = 1 ]; then
  dotnet build src/CamStreamd -c Release -nologo -v quiet -clp:NoSummary -warnaserror >&2
  dotnet build bench/CamStreamd.WhepLoad -c Release -nologo -v quiet -clp:NoSummary -warnaserror >&2
fi
[ -f "$WHEPLOAD" ] || { log "$WHEPLOAD is missing: build CamStreamd.sln (Release)"; exit 66; }
# The binary users run, and no tiered JIT recompiling in the first cells' windows.
if [ -z "${AOT_BIN:-}" ]; then
  log "publishing the NativeAOT build (linux-x64, as packaging/debian/build-deb.sh does)"
  dotnet publish src/CamStreamd/CamStreamd.csproj -c Release -nologo -v quiet -r linux-x64 \
    -p:PublishAot=true -p:CppCompilerAndLinker=clang-14 -p:StripSymbols=true -p:DebugType=none -o "$WORK/aot" >&2
  AOT_BIN="$WORK/aot/camstreamd"
fi

# webrtc.maxSessions allows a quarter per address: 50 sessions from 127.0.0.1 need 200.
cat >"$WORK/camstreamd.json" <<JSON
{
  "rtsp": { "listenAddress": "127.0.0.1", "port": 0, "maxConnections": 1000 },
  "http": { "listenAddress": "127.0.0.1", "port": 0 },
  "webrtc": { "enabled": true, "port": 0, "maxSessions": 200 },
  "logging": { "level": "Information" },
  "streams": [ { "name": "cam0", "source": { "type": "testPattern", "width": 1280, "height": 720, "fps": 30 },
                 "encoder": { "engine": "passthrough", "bitrate": 4000000, "gop": 120 } } ]
}
JSON
CAMSTREAMD_BENCH_H264=$CLIP "$AOT_BIN" --config "$WORK/camstreamd.json" >"$WORK/camstreamd.log" 2>&1 &
DAEMON=$!
PIDS+=("$DAEMON")
wait_for "$WORK/camstreamd.log" 'Stream cam0: rtsp://' "$DAEMON" 60
RTSP_URL="rtsp://127.0.0.1:$(sed -nE 's#.*Stream cam0: rtsp://[^:/]+:([0-9]+)/.*#\1#p' "$WORK/camstreamd.log" | head -n 1)/cam0"
HTTP=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$WORK/camstreamd.log" | head -n 1)
WHEP_URL="$HTTP/streams/cam0/whep"
log "daemon $DAEMON: $RTSP_URL, $WHEP_URL"
sleep 3 # the first GOP in the cache

# Samples the daemon over WINDOWS windows; CLIENT (a load client that printed its ready line) gets
# SIGUSR1 at the start (its rate window) and SIGTERM at the end; appends to cells.tsv:
# kind count round cpu_windows... | rss | client_mbit_s | client_cpu | client summary
measure() { # KIND COUNT ROUND CLIENT_PID CLIENT_OUT
  local kind=$1 count=$2 round=$3 client=$4 out=$5 cpus=() before after since now client_before=0 client_after=0
  sleep 2 # the cached GOP's burst and the sessions' start settle
  [ -n "$client" ] && { kill -USR1 "$client"; client_before=$(cpu_ticks "$client"); }
  before=$(cpu_sample "$DAEMON")
  since=$(date +%s%N)
  local first=$since
  for _ in $(seq "$WINDOWS"); do
    sleep "$WINDOW_SECONDS"
    after=$(cpu_sample "$DAEMON")
    now=$(date +%s%N)
    cpus+=("$(cpu_rate "$before" "$after" "$((now - since))")")
    before=$after
    since=$now
  done
  local rss rate=0 client_cpu=0 summary="" load
  rss=$(rss_mib "$DAEMON")
  load=$(cut -d' ' -f1 /proc/loadavg)
  if [ -n "$client" ]; then
    client_after=$(cpu_ticks "$client")
    client_cpu=$(awk -v a="$client_after" -v b="$client_before" -v hz="$HZ" -v ns="$(($(date +%s%N) - first))" 'BEGIN { printf "%.4f", (a - b) / hz / (ns / 1e9) }')
    stop_pid "$client"
    summary=$(tail -n 1 "$out")
    rate=$(sed -nE 's/.*median_mbit_s=([0-9.]+).*/\1/p' <<<"$summary")
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$count" "$round" "${cpus[*]}" "$rss" "${rate:-0}" "$client_cpu" "$load" "$summary" >>"$WORK/cells.tsv"
  log "round $round $kind $count: daemon ${cpus[*]} CPU-s/s, RSS $rss MiB, ${rate:-?} Mbit/s per client, client $client_cpu CPU-s/s, load $load${summary:+; $summary}"
  # The next cell starts from nobody watching (WebRTC sessions end on DELETE, UDP RTSP ones on TEARDOWN).
  for _ in $(seq 100); do [ "$(clients_total)" = 0 ] && return 0; sleep 0.2; done
  log "clients still counted 20 s after the load client ended: $(clients_total)"
}

: >"$WORK/cells.tsv"
for round in $(seq "$ROUNDS"); do
  measure idle 0 "$round" "" ""
  for n in $COUNTS; do
    out="$WORK/rtsp.$round.$n"
    "$RTSPLOAD" play "$RTSP_URL" "$n" udp >"$out" 2>&1 &
    client=$!
    PIDS+=("$client")
    wait_for "$out" '^ready' "$client" 60
    measure rtsp "$n" "$round" "$client" "$out"
    out="$WORK/whep.$round.$n"
    dotnet "$WHEPLOAD" "$WHEP_URL" "$n" >"$out" 2>&1 &
    client=$!
    PIDS+=("$client")
    wait_for "$out" '^ready' "$client" 90
    measure webrtc "$n" "$round" "$client" "$out"
  done
done
stop_pid "$DAEMON"

# One row per client count: medians over every window of every round.
cell() { # KIND COUNT FIELD(cpu|rss|rate|client)
  awk -F'\t' -v k="$1" -v n="$2" -v f="$3" '$1 == k && $2 == n {
      if (f == "cpu") { c = split($4, w, " "); for (i = 1; i <= c; i++) print w[i] }
      else if (f == "rss") print $5; else if (f == "rate") print $6; else if (f == "client") print $7; else if (f == "load") print $8 }' "$WORK/cells.tsv" | median
}
IDLE=$(cell idle 0 cpu)
LOAD=$(cut -d' ' -f1 /proc/loadavg)
echo "## WebRTC fan-out against RTSP over UDP (one daemon; median of $ROUNDS rounds x $WINDOWS windows of ${WINDOW_SECONDS} s per cell)"
echo
echo "One camstreamd (NativeAOT, as the .deb ships) with the fan-out clip (1280x720, 30 fps, ~4 Mbit/s) passed through"
echo "(\`CAMSTREAMD_BENCH_H264\`, \`encoder.engine\` \`passthrough\`), \`webrtc.maxSessions\` 200 (50 per address); in each"
echo "round nobody watching, then N RTSP/UDP viewers of rtspload and N WHEP sessions of our load client"
echo "(bench/CamStreamd.WhepLoad: ICE check with USE-CANDIDATE, consent checks every 5 s, DTLS client offering use_srtp AES-GCM then AES-CM as Chromium does (the daemon takes GCM),"
echo "SRTP received and discarded; the first 100 packets of each session and one in 16 after authenticated and"
echo "decrypted) for N in $COUNTS, one client kind at a time (bench/webrtc-fanout.sh). Daemon CPU-s/s from"
echo "its threads' schedstat in nanoseconds (bench/lib.sh cpu_sample; the load clients are other processes, their own CPU shown"
echo "apart); per client = (CPU at N - CPU with nobody watching) / N. Target: WebRTC per session <= 1.5x RTSP/UDP per viewer."
echo "Both load clients receive alike (one thread: wait until a socket is readable, drain it): on loopback a"
echo "sender pays for waking its receiver, so a client that wakes more would inflate the daemon's figure (a remote"
echo "browser costs the daemon no wake-up at all). The 1-client row is a few CPU-ms/s above nobody watching, within"
echo "the windows' spread (see the windows below). RSS is VmRSS at"
echo "the end of the cell; the managed heap keeps what 50 DTLS handshakes allocated after they end (row 0, later rounds)."
echo "$(nproc) cores shared with other work; load average at the end $LOAD."
echo
echo "| clients | RTSP/UDP CPU-s/s | WebRTC CPU-s/s | RTSP per viewer CPU-ms/s | WebRTC per session CPU-ms/s | WebRTC / RTSP | RSS MiB RTSP / WebRTC | per-client Mbit/s RTSP / WebRTC | load client CPU-s/s rtspload / whepload | load avg |"
echo "|---|---:|---:|---:|---:|---:|---|---|---|---|"
RSS_FRESH=$(awk -F'\t' '$1 == "idle" && $3 == 1 { print $5 }' "$WORK/cells.tsv")
RSS_LATER=$(awk -F'\t' -v r="$ROUNDS" '$1 == "idle" && $3 == r { print $5 }' "$WORK/cells.tsv")
printf '| 0 | %.3f | %.3f | - | - | - | %.1f at start, %.1f in round %s | - | - | %.2f |\n' "$IDLE" "$IDLE" "$RSS_FRESH" "$RSS_LATER" "$ROUNDS" "$(cell idle 0 load)"
for n in $COUNTS; do
  r=$(cell rtsp "$n" cpu)
  w=$(cell webrtc "$n" cpu)
  read -r pr pw ratio < <(awk -v r="$r" -v w="$w" -v i="$IDLE" -v n="$n" 'BEGIN { pr = (r - i) / n * 1000; pw = (w - i) / n * 1000; printf "%.2f %.2f %s\n", pr, pw, (pr > 0) ? sprintf("%.2f", pw / pr) : "n/a" }')
  printf '| %s | %.3f | %.3f | %s | %s | %s | %.1f / %.1f | %.3f / %.3f | %.3f / %.3f | %.2f / %.2f |\n' "$n" "$r" "$w" "$pr" "$pw" "$ratio" \
    "$(cell rtsp "$n" rss)" "$(cell webrtc "$n" rss)" "$(cell rtsp "$n" rate)" "$(cell webrtc "$n" rate)" \
    "$(cell rtsp "$n" client)" "$(cell webrtc "$n" client)" "$(cell rtsp "$n" load)" "$(cell webrtc "$n" load)"
done
echo
echo "WebRTC load client at the end of each cell: $(awk -F'\t' '$1 == "webrtc" { printf "%s%s x%s: %s", sep, "round " $3, $2, $9; sep = "; " }' "$WORK/cells.tsv" | sed -E 's/ (rtcp|stun_answers|seconds|min_mbit_s)=[^ ;]*//g')."
echo
echo "Windows (CPU-s/s): $(awk -F'\t' '{ printf "%s%s %s r%s: %s", sep, $1, $2, $3, $4; sep = "; " }' "$WORK/cells.tsv")."
