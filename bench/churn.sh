#!/usr/bin/env bash
# Churn soak: for N minutes viewers join and leave camstreamd the polite and the rude way
# (TEARDOWN, close, RST, stop reading; silent and half-sent connections), over RTSP TCP and UDP
# and MJPEG (bench/churn.py). RSS, file descriptors and threads are sampled after a warm-up
# churn and once the daemon is idle again ("before"), every 10 s during the run, and when it is
# idle after the run ("after"); nothing may grow once warmed up. Loopback only.
#   bench/churn.sh [--no-build] [--no-doc] [--minutes N] [--warmup-seconds S] [--workers N]
# Writes its section of docs/BENCHMARKS.md (between the churn markers) unless --no-doc.
# Needs: the .NET 10 SDK, python3, curl.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=1
DOC=1
MINUTES=10
WARMUP=60
WORKERS=12
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --no-doc) DOC=0; shift ;;
    --minutes) MINUTES=$2; shift 2 ;;
    --warmup-seconds) WARMUP=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 64 ;;
  esac
done
DLL=src/CamStreamd/bin/Release/net10.0/camstreamd.dll
WORK=$(mktemp -d /tmp/camstreamd-churn.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { printf '[churn] %s\n' "$*" >&2; }

if [ "$BUILD" = 1 ]; then
  dotnet build CamStreamd.sln -c Release -nologo -v quiet -clp:NoSummary -warnaserror
fi

# A short session timeout, so UDP sessions left without TEARDOWN are reaped inside the run.
cat >"$WORK/camstreamd.json" <<JSON
{
  "rtsp": { "listenAddress": "127.0.0.1", "port": 0, "sessionTimeoutSeconds": 10 },
  "http": { "listenAddress": "127.0.0.1", "port": 0 },
  "logging": { "level": "Information" },
  "streams": [ { "name": "cam0",
    "source": { "type": "testPattern", "width": 640, "height": 360, "fps": 15 },
    "encoder": { "engine": "x264", "bitrate": 1000000, "gop": 30 } } ]
}
JSON
dotnet "$DLL" --config "$WORK/camstreamd.json" >"$WORK/daemon.log" 2>&1 &
SERVER_PID=$!
READY=0
for _ in $(seq 600); do
  grep -q "Stream cam0: rtsp://" "$WORK/daemon.log" && grep -q "HTTP listening on" "$WORK/daemon.log" && { READY=1; break; }
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/daemon.log" >&2; exit 1; }
  sleep 0.1
done
[ "$READY" = 1 ] || { log "the daemon did not start serving within 60 s"; cat "$WORK/daemon.log" >&2; exit 1; }
RTSP_PORT=$(sed -nE 's#.*Stream cam0: rtsp://[^:/]+:([0-9]+)/.*#\1#p' "$WORK/daemon.log" | head -n1)
HTTP_PORT=$(sed -nE 's#.*HTTP listening on http://[^:/]+:([0-9]+)/.*#\1#p' "$WORK/daemon.log" | head -n1)
API="http://127.0.0.1:$HTTP_PORT"
log "daemon pid $SERVER_PID, RTSP $RTSP_PORT, HTTP $HTTP_PORT"

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status"; }
threads() { awk '/^Threads:/ { print $2 }' "/proc/$SERVER_PID/status"; }
fds() { find "/proc/$SERVER_PID/fd" -mindepth 1 -maxdepth 1 | wc -l; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
budget() { # NAME FIELD -> the field of that budget in /api/connections
  curl -sf "$API/api/connections" | python3 -c "import json,sys; print(next(b for b in json.load(sys.stdin)['budgets'] if b['name']=='$1')['$2'])"
}
sessions_now() { curl -sf "$API/api/streams/cam0" | python3 -c "import json,sys; c=json.load(sys.stdin)['clients']; print(c['total'])"; }

# Idle again: no RTSP connection or MJPEG viewer left, no viewer counted (UDP sessions left
# without TEARDOWN end 10 s after their last packet); then a few seconds for timers and GC.
wait_idle() {
  local i
  for i in $(seq 120); do
    if [ "$(budget rtsp open)" = 0 ] && [ "$(budget mjpeg open)" = 0 ] && [ "$(sessions_now)" = 0 ]; then
      sleep 3
      return 0
    fi
    sleep 1
  done
  log "not idle after 120 s: rtsp $(budget rtsp open), mjpeg $(budget mjpeg open), viewers $(sessions_now)"
  return 1
}
sample() { echo "$(rss_kib) $(fds) $(threads)"; }

log "warm-up: ${WARMUP} s of churn"
python3 bench/churn.py --rtsp-port "$RTSP_PORT" --http-port "$HTTP_PORT" --seconds "$WARMUP" --workers "$WORKERS" --seed 1 >"$WORK/warmup.json"
wait_idle
read -r RSS0 FD0 TH0 <<<"$(sample)"
ADMITTED0=$(budget rtsp admitted)
MJPEG0=$(budget mjpeg admitted)
IDLE_T0=$(cpu_ticks)
sleep 10
IDLE_CPU=$(awk -v t="$(( $(cpu_ticks) - IDLE_T0 ))" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz / 10 }')
log "before: RSS ${RSS0} KiB, ${FD0} fds, ${TH0} threads; idle CPU ${IDLE_CPU} s/s"

SECONDS_RUN=$((MINUTES * 60))
log "soak: ${MINUTES} min of churn, ${WORKERS} workers"
STARTED=$(date +%s)
python3 bench/churn.py --rtsp-port "$RTSP_PORT" --http-port "$HTTP_PORT" --seconds "$SECONDS_RUN" --workers "$WORKERS" --seed 2 >"$WORK/soak.json" &
CHURN_PID=$!
: >"$WORK/series"
while kill -0 "$CHURN_PID" 2>/dev/null; do
  sample >>"$WORK/series"
  sleep 10
done
wait "$CHURN_PID"
ELAPSED=$(( $(date +%s) - STARTED ))
wait_idle
read -r RSS1 FD1 TH1 <<<"$(sample)"
read -r MAXRSS MAXFD MAXTH <<<"$(awk '{ if ($1 > r) r = $1; if ($2 > f) f = $2; if ($3 > t) t = $3 } END { print r, f, t }' "$WORK/series")"
RTSP_SESSIONS=$(( $(budget rtsp admitted) - ADMITTED0 ))
MJPEG_VIEWERS=$(( $(budget mjpeg admitted) - MJPEG0 ))
CONNECTIONS=$(curl -sf "$API/api/connections")
COUNTS=$(cat "$WORK/soak.json")
kill -0 "$SERVER_PID"

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
REPORT=$(python3 - "$COUNTS" "$CONNECTIONS" <<PY
import json, sys
counts = json.loads(sys.argv[1])
budgets = {b["name"]: b for b in json.loads(sys.argv[2])["budgets"]}
print("## Churn soak (bench/churn.sh)")
print()
print("Written by \`bench/churn.sh --minutes $MINUTES\` on $(date -u '+%Y-%m-%d %H:%M UTC') at camstreamd $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo -dirty);")
print("load average (1 min) at the end $(cut -d' ' -f1 /proc/loadavg) on a shared 2-core machine. One daemon (test pattern 640x360,")
print("15 fps, x264 1 Mbit/s, session timeout 10 s, default limits); $WORKERS client workers (bench/churn.py) each")
print("join and leave in a loop for ${ELAPSED} s after a ${WARMUP} s warm-up churn. Before and after are taken with the")
print("daemon idle again (no connection, viewer or UDP session left).")
print()
print("| | before | after | max during |")
print("|---|---|---|---|")
print("| RSS (MiB) | $(mib "$RSS0") | $(mib "$RSS1") | $(mib "$MAXRSS") |")
print("| file descriptors | $FD0 | $FD1 | $MAXFD |")
print("| threads | $TH0 | $TH1 | $MAXTH |")
print()
served = counts.get("sessions", 0)
print(f"Sessions served in the soak: **{served}** (client count: RTSP PLAY answered 200 or MJPEG 200), of them")
kinds = [k for k in counts if k.startswith(("rtsp_tcp_", "rtsp_udp_", "mjpeg_")) and not k.startswith("mjpeg_status")]
print(", ".join(f"{k} {counts[k]}" for k in sorted(kinds)) + ".")
print(f"Rude connections: silent {counts.get('rude_silent', 0)}, half-sent {counts.get('rude_half', 0)}. "
      f"Stalled viewers (14 s without reading) cut off by the server: {counts.get('stalled_cut_off', 0)}, still served after it: {counts.get('stalled_kept', 0)}, left silent: {counts.get('stalled_silent', 0)}. "
      f"Client errors: {counts.get('errors', 0)} ({', '.join(f'{k[6:]} {v}' for k, v in sorted(counts.items()) if k.startswith('error_')) or 'none'}).")
refusals = ", ".join(f"{k[len('mjpeg_status_'):]} x{v}" for k, v in sorted(counts.items()) if k.startswith("mjpeg_status_"))
if refusals:
    print(f"MJPEG answers other than 200: {refusals}.")
print(f"Daemon side during the soak: {$RTSP_SESSIONS} RTSP connections and {$MJPEG_VIEWERS} MJPEG viewers admitted.")
print("Budgets at the end (since start, warm-up included): " + "; ".join(
    f"{n}: evicted {b['evicted']}, closed under pressure {b['closedUnderPressure']}, refused {b['refusedFull'] + b['refusedPerAddress']}"
    for n, b in budgets.items()) + ".")
print(f"Idle CPU after the warm-up: $IDLE_CPU CPU-s/s.")
print("RSS (MiB) each minute of the soak: $(awk 'NR % 6 == 1 { printf "%s%.1f", (n++ ? ", " : ""), $1 / 1024 }' "$WORK/series").")
PY
)
echo "$REPORT"

if [ "$DOC" = 1 ]; then
  python3 - "$REPORT" <<'PY'
import sys
report = sys.argv[1]
path = "docs/BENCHMARKS.md"
begin, end = "<!-- churn:begin -->", "<!-- churn:end -->"
text = open(path).read()
block = f"{begin}\n{report}\n{end}"
if begin in text:
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
open(path, "w").write(text)
PY
  log "wrote the churn section of docs/BENCHMARKS.md"
fi
