# Helpers the bench scripts share; source it after defining log() (each script prefixes its own
# lines). Numbers come from /proc: utime+stime in clock ticks, VmRSS in KiB.

# Median of the numbers on stdin ("nan" for none).
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# CPU time of PID and all its threads, in clock ticks (fields 14 and 15 of /proc/PID/stat).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# CPU time of PID's live threads in nanoseconds (sum of /proc/PID/task/*/schedstat): resolves what
# 10 ms ticks cannot over a few seconds; a thread that exits takes its time with it, so sample
# only while the threads of interest live.
cpu_ns_threads() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%d", s }'; }

# Resident set of PID in MiB, one decimal.
rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# Waits until FILE has a line matching REGEX while PID lives, for at most SECONDS; on failure
# logs why and prints FILE to stderr.
wait_for() { # FILE REGEX PID SECONDS
  for _ in $(seq $(($4 * 10))); do
    grep -Eq "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { log "pid $3 exited before '$2':"; cat "$1" >&2; return 1; }
    sleep 0.1
  done
  log "no '$2' from pid $3 within $4 s:"; cat "$1" >&2; return 1
}

# SIGTERM, up to 10 s to exit, then SIGKILL; reaps it.
stop_pid() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 200); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
