# Sourced by bench/bench.sh after the parts ran: turns $WORK/*.tsv into tables on stdout and,
# unless --no-doc, into docs/BENCHMARKS.md (machine, versions, method, figures, targets).
# shellcheck shell=bash

# Fan-out: one row per transport and client count; CPU in CPU-seconds per second (median of the
# windows), RSS in MiB, delivered = median per-client receive rate in Mbit/s during the windows.
fanout_table() {
  [ -s "$WORK/fanout.tsv" ] || { echo "(not run)"; return 0; }
  echo "| transport | clients | camstreamd CPU s/s | gst-rtsp-server CPU s/s | floor CPU s/s | camstreamd/gst | camstreamd/floor | RSS MiB camstreamd / gst / floor | per-client Mbit/s camstreamd / gst / floor | load avg (cs / gst / floor) |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '
    { key = $2 SUBSEP $3; cpu[$1, key] = $4; rss[$1, key] = $5; rate[$1, key] = $6; load[$1, key] = $7
      if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
    function r(a, b) { return (b + 0 == 0) ? "n/a" : sprintf("%.2f", a / b) }
    END {
      for (i = 1; i <= n; i++) {
        k = order[i]; split(k, p, SUBSEP)
        c = cpu["camstreamd", k]; g = cpu["gst-rtsp-server", k]; f = cpu["floor", k]
        if (p[1] == "idle") { printf "| no viewer (see below) | 0 | %.3f | %.3f | - | - | - | %s / %s / - | - | %s / %s / - |\n", c, g, rss["camstreamd", k], rss["gst-rtsp-server", k], load["camstreamd", k], load["gst-rtsp-server", k]; continue }
        printf "| %s | %s | %.3f | %.3f | %.3f | %s | %s | %s / %s / %s | %s / %s / %s | %s / %s / %s |\n", p[1], p[2], c, g, f, r(c, g), r(c, f),
          rss["camstreamd", k], rss["gst-rtsp-server", k], rss["floor", k],
          rate["camstreamd", k], rate["gst-rtsp-server", k], rate["floor", k],
          load["camstreamd", k], load["gst-rtsp-server", k], load["floor", k]
      }
    }' "$WORK/fanout.tsv"
}

# CPU-seconds per Gbit/s actually delivered (all clients together), per server.
fanout_per_gbit_table() {
  [ -s "$WORK/fanout.tsv" ] || { echo "(not run)"; return 0; }
  echo "| transport | clients | camstreamd CPU-s per Gbit/s | gst-rtsp-server | floor |"
  echo "|---|---|---|---|---|"
  awk -F'\t' '
    $2 == "idle" { next }
    { key = $2 SUBSEP $3; g = $3 * $6 / 1000; v[$1, key] = (g > 0) ? sprintf("%.3f", $4 / g) : "n/a"
      if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
    END { for (i = 1; i <= n; i++) { k = order[i]; split(k, p, SUBSEP)
      printf "| %s | %s | %s | %s | %s |\n", p[1], p[2], v["camstreamd", k], v["gst-rtsp-server", k], v["floor", k] } }' "$WORK/fanout.tsv"
}

# Targets: camstreamd within 2x of the floor and below gst-rtsp-server at every client count.
fanout_verdicts() {
  [ -s "$WORK/fanout.tsv" ] || return 0
  awk -F'\t' '
    $2 == "idle" { next }
    { key = $2 " " $3 " clients"; cpu[$1, key] = $4; if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
    END { for (i = 1; i <= n; i++) { k = order[i]; c = cpu["camstreamd", k]; g = cpu["gst-rtsp-server", k]; f = cpu["floor", k]
      # Issue #21: within 1.2x the floor at 50 and 200 viewers; the older 2x stands for one viewer.
      split(k, part, " "); limit = (part[2] + 0 >= 50) ? 1.2 : 2
      if (f > 0 && c > limit * f) printf "- NOT MET: fan-out %s: camstreamd %.3f CPU s/s is %.2fx the floor (%.3f); target within %sx\n", k, c, c / f, f, limit
      if (f == 0 && c > 0) printf "- NOT MET: fan-out %s: the floor used no measurable CPU (%.3f); camstreamd %.3f\n", k, f, c
      if (c >= g) printf "- NOT MET: fan-out %s: camstreamd %.3f CPU s/s is not below gst-rtsp-server (%.3f)\n", k, c, g } }' "$WORK/fanout.tsv"
  # A sender that falls behind spends less CPU than one that keeps up: its row understates the cost.
  awk -F'\t' -v clip="$CLIP_MBIT" '$2 != "idle" && $6 < 0.9 * clip {
      printf "- %s: fan-out %s %s clients: %s delivered a median %.2f Mbit/s per client of the clip'"'"'s %.2f (it fell behind; its CPU figure understates the cost)\n",
        ($1 == "camstreamd") ? "NOT MET" : "NOTE", $2, $3, $1, $6, clip }' "$WORK/fanout.tsv"
}

join_table() {
  [ -s "$WORK/join.tsv" ] || { echo "(not run)"; return 0; }
  echo "| server | transport | joins | median s | max s | camstreamd/gst (median) | load avg |"
  echo "|---|---|---|---|---|---|---|"
  local server transport
  for transport in tcp udp; do
    local gst_median
    gst_median=$(awk -F'\t' -v t="$transport" '$1 == "gst-rtsp-server" && $2 == t { print $3 }' "$WORK/join.tsv" | median)
    for server in camstreamd gst-rtsp-server; do
      local values count med max load
      values=$(awk -F'\t' -v s="$server" -v t="$transport" '$1 == s && $2 == t { print $3 }' "$WORK/join.tsv")
      [ -n "$values" ] || continue
      count=$(wc -l <<<"$values")
      med=$(median <<<"$values")
      max=$(sort -g <<<"$values" | tail -n 1)
      load=$(awk -F'\t' -v s="$server" -v t="$transport" '$1 == s && $2 == t { print $4 }' "$WORK/join.tsv" | median)
      printf '| %s | %s | %s | %.3f | %.3f | %s | %s |\n' "$server" "$transport" "$count" "$med" "$max" \
        "$([ "$server" = camstreamd ] && ratio "$med" "$gst_median" || echo 1.00)" "$load"
    done
  done
}

join_verdicts() {
  [ -s "$WORK/join.tsv" ] || return 0
  local transport med
  for transport in tcp udp; do
    med=$(awk -F'\t' -v t="$transport" '$1 == "camstreamd" && $2 == t { print $3 }' "$WORK/join.tsv" | median)
    awk -v m="$med" -v t="$transport" 'BEGIN { if (m >= 0.2) printf "- NOT MET: join over %s: median %.3f s; target under 0.2 s with a 4 s GOP\n", t, m }'
  done
}

latency_table() {
  [ -s "$WORK/latency.tsv" ] || { echo "(not run)"; return 0; }
  echo "| path | samples | median ms | p99 ms | load avg |"
  echo "|---|---|---|---|---|"
  local path
  for path in $(cut -f1 "$WORK/latency.tsv" | sort -u); do
    local values
    values=$(awk -F'\t' -v p="$path" '$1 == p { print $2 }' "$WORK/latency.tsv")
    printf '| %s | %s | %.1f | %.1f | %s |\n' "$path" "$(wc -l <<<"$values")" "$(median <<<"$values")" "$(percentile 99 <<<"$values")" \
      "$(cat "$WORK/latency.load" 2>/dev/null || echo ?)"
  done
}

latency_verdicts() {
  [ -s "$WORK/latency.tsv" ] || return 0
  local path med
  for path in $(cut -f1 "$WORK/latency.tsv" | sort -u | grep '^end-to-end'); do
    med=$(awk -F'\t' -v p="$path" '$1 == p { print $2 }' "$WORK/latency.tsv" | median)
    awk -v m="$med" -v p="$path" 'BEGIN { if (m >= 50) printf "- NOT MET: %s latency median %.1f ms; target under 50 ms at 720p30 with x264\n", p, m }'
  done
}

hotpath_table() {
  [ -s "$WORK/hotpath.tsv" ] || { echo "(not run)"; return 0; }
  echo "| benchmark | per | median ns | allocated bytes | load avg |"
  echo "|---|---|---|---|---|"
  awk -F'\t' -v load="$(cat "$WORK/hotpath.load" 2>/dev/null)" '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, load }' "$WORK/hotpath.tsv"
}

hotpath_verdicts() {
  [ -s "$WORK/hotpath.tsv" ] || return 0
  awk -F'\t' '$2 == "packet" && $4 + 0 > 0 { printf "- NOT MET: hot path %s allocates %s bytes per packet in steady state (target 0)\n", $1, $4 }' "$WORK/hotpath.tsv"
}

# Idle/steady cost: one row per source kind, the relay's ratios to the floor of its transport
# and its RSS beside the test pattern's.
idle_table() {
  [ -s "$WORK/idle.tsv" ] || { echo "(not run)"; return 0; }
  echo "| stream (no viewer) | CPU s/s | RSS MiB | CPU / floor | windows CPU s/s | load avg | note |"
  echo "|---|---|---|---|---|---|---|"
  awk -F'\t' '
    { kind[++n] = $1; cpu[$1] = $2; rss[$1] = $3; load[$1] = $4; windows[$1] = $5; note[$1] = $6 }
    END {
      for (i = 1; i <= n; i++) {
        k = kind[i]; ratio = "-"
        if (k ~ /^RTSP pull /) { t = k; sub(/^RTSP pull /, "", t); f = cpu["floor " t " (rtspload)"]; ratio = (f + 0 > 0) ? sprintf("%.1f", cpu[k] / f) : "n/a" }
        printf "| %s | %.3f | %s | %s | %s | %s | %s |\n", k, cpu[k], rss[k], ratio, windows[k], load[k], note[k]
      }
    }' "$WORK/idle.tsv"
}

# Targets: a relay within 3x the CPU of rtspload receiving the same stream, and no more RSS than
# the test-pattern stream's.
idle_verdicts() {
  [ -s "$WORK/idle.tsv" ] || return 0
  awk -F'\t' '
    { kind[++n] = $1; cpu[$1] = $2; rss[$1] = $3; note[$1] = $6 }
    END {
      tp = rss["test pattern + x264"]
      for (i = 1; i <= n; i++) {
        k = kind[i]; if (k !~ /^RTSP pull /) continue
        t = k; sub(/^RTSP pull /, "", t); f = cpu["floor " t " (rtspload)"]
        if (f + 0 > 0 && cpu[k] > 3 * f) printf "- NOT MET: idle %s: %.3f CPU s/s is %.1fx the floor (%.3f); target within 3x\n", k, cpu[k], cpu[k] / f, f
        if (f + 0 == 0) printf "- NOT MET: idle %s: the floor used no measurable CPU; relay %.3f CPU s/s\n", k, cpu[k]
        if (tp != "" && rss[k] > tp) printf "- NOT MET: idle %s: RSS %s MiB is above the test-pattern stream'"'"'s %s MiB\n", k, rss[k], tp
        if (note[k] != "") printf "- NOTE: idle %s: %s\n", k, note[k]
      }
    }' "$WORK/idle.tsv"
}

versions() {
  echo "- CPU: $(lscpu | sed -nE 's/^Model name: *//p' | head -n 1), $(nproc) cores; memory $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- OS: $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "- .NET SDK $(dotnet --version), runtime $(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ { v = $2 } END { print v }'); camstreamd $(git describe --always --dirty 2>/dev/null || echo unknown)"
  echo "- GStreamer $(dpkg-query -W -f='${Version}' libgstreamer1.0-0 2>/dev/null), gst-rtsp-server $(dpkg-query -W -f='${Version}' libgstrtspserver-1.0-0 2>/dev/null), python3-gi $(dpkg-query -W -f='${Version}' python3-gi 2>/dev/null)"
  echo "- FFmpeg $(ffmpeg -version | sed -nE '1s/ffmpeg version ([^ ]+).*/\1/p'), gcc $(gcc -dumpfullversion)"
}

# A run of some parts only (--parts) keeps the other parts' sections, and their lines under
# "Targets not met", from the page the last run wrote. PREVIOUS is that page.
PREVIOUS=""
[ -f docs/BENCHMARKS.md ] && PREVIOUS=$(cat docs/BENCHMARKS.md)
ran() { [[ " $PARTS " == *" $1 "* ]]; }

# Prints the previous page's section whose heading starts with "## $1" (heading included), or nothing.
previous_section() {
  awk -v h="## $1" 'index($0, h) == 1 { on = 1; print; next } on && /^## / { exit } on { print }' <<<"$PREVIOUS" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}

# Prints the previous page's "Targets not met" lines about a part that did not run now.
previous_verdicts() {
  local part pattern
  for part in fanout join latency webrtc-latency hotpath idle composite webrtc-fanout memory; do
    ran "$part" && continue
    case "$part" in
      fanout) pattern='fan-out' ;;
      join) pattern='join over' ;;
      latency) pattern='[a-z-]+ latency median' ;;
      webrtc-latency) pattern='webrtc-latency' ;;
      hotpath) pattern='hot path' ;;
      idle) pattern='idle ' ;;
      composite) pattern='composite' ;;
      webrtc-fanout) pattern='webrtc-fanout' ;;
      memory) pattern='memory' ;;
    esac
    previous_section "Targets not met" | grep -E "^- (NOT MET|NOTE): ([a-z-]+: )?$pattern" || true
  done
}

# The composite's row against ffmpeg (bench/composite.sh prints "| camstreamd (NativeAOT, packaged) | cpu | ms | rss | ratio |").
composite_verdicts() {
  [ -s "$WORK/composite.md" ] || return 0
  awk -F'|' '/^\| camstreamd/ { gsub(/ /, "", $6); gsub(/^ +| +$/, "", $2); if ($6 + 0 > 0.7) printf "- NOT MET: composite %s: ratio %s to ffmpeg xstack (target <= 0.7)\n", $2, $6 }' "$WORK/composite.md"
}

# The WebRTC fan-out's rows (bench/webrtc-fanout.sh prints "| N | rtsp | webrtc | rtsp per viewer | webrtc per session | ratio | ...")
# and its load client's counts (a packet that did not decrypt is a failure, not noise).
webrtc_fanout_verdicts() {
  [ -s "$WORK/webrtc-fanout.md" ] || return 0
  awk -F'|' '/^\| [0-9]+ \|/ && $2 + 0 > 0 { n = $2 + 0; q = $7; gsub(/ /, "", q)
      if (q == "n/a") printf "- NOT MET: webrtc-fanout %d sessions: the RTSP/UDP viewers cost no measurable CPU (%s CPU-ms/s); WebRTC %s\n", n, $5, $6
      else if (q + 0 > 1.5) printf "- NOT MET: webrtc-fanout %d sessions: %s CPU-ms/s per WebRTC session is %sx the %s per RTSP/UDP viewer (target <= 1.5x)\n", n, $6, q, $5 }' "$WORK/webrtc-fanout.md" | sed -E 's/  +/ /g'
  grep -oE 'x[0-9]+: sessions=[0-9]+ [^;]*(auth_failed=[1-9]|bad_payload=[1-9])[^;]*' "$WORK/webrtc-fanout.md" | sed -e 's/\.$//' -e 's/^/- NOT MET: webrtc-fanout: packets that did not decrypt: /' || true
}

# Issue #18: the packaged (NativeAOT) build encoding 720p30 with x264 holds at most 45 MiB with 10 viewers
# (bench/memory.sh rows: build source viewers rss_mib ready_seconds load).
memory_verdicts() {
  [ -s "$WORK/memory.tsv" ] || return 0
  awk -F'\t' '$1 == "aot" && $2 == "x264" && $3 == 10 && $4 + 0 > 45 { printf "- NOT MET: memory: NativeAOT x264 with 10 viewers holds %s MiB (target <= 45)\n", $4 }
    $1 == "aot" && $5 + 0 > 0.2 { printf "- NOT MET: memory: NativeAOT %s start to ready %s s (target <= 0.2)\n", $2, $5 }' "$WORK/memory.tsv" | awk '!seen[$0]++'
}

VERDICTS=$({ fanout_verdicts; composite_verdicts; memory_verdicts; webrtc_fanout_verdicts; join_verdicts; latency_verdicts; webrtc_latency_verdicts; hotpath_verdicts; idle_verdicts; previous_verdicts; } | awk '!seen[$0]++')

# Section $1 (heading prefix) from this run when part $2 ran, else from the previous page.
section() {
  local prefix=$1 part=$2 heading=$3 body=$4
  if ! ran "$part" && [ -n "$(previous_section "$prefix")" ]; then
    # The previous page may carry this note already (a second partial run): keep one.
    previous_section "$prefix" | grep -v '^(from the previous run: ' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
    echo
    echo "(from the previous run: \`bench/bench.sh --parts\` did not include $part)"
    return 0
  fi
  echo "$heading"
  echo
  "$body"
}

fanout_section() {
  fanout_table
  echo
  echo "CPU-seconds per Gbit/s delivered:"
  echo
  fanout_per_gbit_table
  fanout_unsegmented_table
}

# UDP: the floor writer without segmentation (one message per datagram), the floor #21 was filed
# against, beside the segmenting floor of the table above (the one the verdicts use).
fanout_unsegmented_table() {
  grep -q '^floor-sendmmsg' "$WORK/fanout.tsv" 2>/dev/null || return 0
  echo
  echo "UDP floors: the floor writer as above (runs of full-size packets segmented by the kernel, UDP_SEGMENT, as camstreamd sends) and without segmentation (one message per datagram, the floor of #21's filing):"
  echo
  echo "| clients | camstreamd CPU s/s | floor, segmented | floor, one message per datagram | camstreamd / segmented | camstreamd / unsegmented |"
  echo "|---|---|---|---|---|---|"
  awk -F'\t' '
    $2 == "udp" { cpu[$1, $3] = $4; if ($1 == "floor-sendmmsg") order[++n] = $3 }
    function r(a, b) { return (b + 0 == 0) ? "n/a" : sprintf("%.2f", a / b) }
    END { for (i = 1; i <= n; i++) { k = order[i]; c = cpu["camstreamd", k]; f = cpu["floor", k]; u = cpu["floor-sendmmsg", k]
      printf "| %s | %.3f | %.3f | %.3f | %s | %s |\n", k, c, f, u, r(c, f), r(c, u) } }' "$WORK/fanout.tsv"
}

# A part that writes its own section (FILE): this run's, or, when the part did not run, the
# previous page's section whose heading starts with "## HEADING", marked as such.
own_section() { # PART FILE HEADING
  if [ -s "$2" ]; then cat "$2"; echo
  elif [ -n "$(previous_section "$3")" ]; then
    previous_section "$3" | grep -v '^(from the previous run: ' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
    echo; echo "(from the previous run: \`bench/bench.sh --parts\` did not include $1)"; echo
  fi
}

print_all() {
  section "Fan-out" fanout "## Fan-out (camstreamd NativeAOT; median of $WINDOWS windows of ${WINDOW_SECONDS} s per cell; clip $CLIP_MBIT Mbit/s)" fanout_section
  echo
  section "Join time" join "## Join time (connect to first complete IDR; GOP 4 s)" join_table
  echo
  section "Latency" latency "## Latency" latency_table
  echo
  section "WebRTC latency" webrtc-latency "## WebRTC latency (headless Chromium, WHEP, glass to glass; target p50 <= 100 ms)" webrtc_latency_table
  echo
  section "Hot path" hotpath "## Hot path allocations (BenchmarkDotNet, memory diagnoser)" hotpath_table
  echo
  section "Idle" idle "## Idle and steady cost (one stream, no viewer; median of $IDLE_WINDOWS windows of ${IDLE_WINDOW_SECONDS} s; clip $CLIP_MBIT Mbit/s)" idle_table
  echo
  # Parts "record", "composite" and "webrtc-fanout" write their own sections.
  own_section record "$WORK/record.md" "Recording and publishing cost"
  own_section composite "$WORK/composite.md" "Composite"
  own_section webrtc-fanout "$WORK/webrtc-fanout.md" "WebRTC fan-out"
  echo "## Targets not met"
  echo
  if [ -n "$VERDICTS" ]; then echo "$VERDICTS"; else echo "- none"; fi
}

print_all

if [ "$DOC" = 1 ]; then
  # The churn soak (bench/churn.sh) writes its own section; carry it over.
  CHURN_SECTION=$(sed -n '/^<!-- churn:begin -->$/,/^<!-- churn:end -->$/p' docs/BENCHMARKS.md 2>/dev/null || true)
  {
    cat <<EOF
# Benchmarks

Written by \`./build.sh bench\` (bench/bench.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'); the measurements took
$(( $(date +%s) - BENCH_STARTED )) s. Rerun it to refresh this page; it needs only loopback.

## Machine and versions

$(versions)

**Noise.** This run shared a 2-core machine with other builds and tests: the load average (1 min)
sampled at each measurement is printed next to it. Figures taken at a load above the core count
are inflated by waiting for a CPU and by cache contention; compare rows taken at similar loads, and
rerun on a quiet machine for figures to quote.

EOF
    cat bench/METHOD.md
    echo
    print_all
    echo
    cat bench/READING.md
    if [ -n "$CHURN_SECTION" ]; then
      echo
      echo "$CHURN_SECTION"
    fi
  } >docs/BENCHMARKS.md
  log "wrote docs/BENCHMARKS.md"
fi
