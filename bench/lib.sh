# Helpers the bench scripts share; source it after defining log() (each script prefixes its own
# lines). Numbers come from /proc: utime+stime in clock ticks, VmRSS in KiB.

# Median of the numbers on stdin ("nan" for none).
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# CPU time of PID and all its threads, in clock ticks (fields 14 and 15 of /proc/PID/stat).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# One CPU sample of PID: "NS TIDS TICKS". NS sums its threads' /proc/PID/task/*/schedstat
# (nanoseconds; resolves what 10 ms ticks cannot over a few seconds), TIDS lists those threads,
# TICKS is utime+stime from /proc/PID/stat (ticks, but it keeps the time of threads that exited).
# A window whose TIDS differ at its two ends lost or gained a thread: use its TICKS instead.
cpu_sample() {
  local tids ns=0 t v
  tids=$(ls /proc/"$1"/task 2>/dev/null | sort -n | tr '\n' ,)
  for t in ${tids//,/ }; do
    read -r v _ <"/proc/$1/task/$t/schedstat" 2>/dev/null || { tids=changed; break; }
    ns=$((ns + v))
  done
  echo "$ns $tids $(cpu_ticks "$1")"
}

# CPU-s/s between two cpu_sample lines over ELAPSED_NS (nanoseconds when the threads stayed, else ticks).
cpu_rate() { # BEFORE AFTER ELAPSED_NS
  local b=($1) a=($2)
  if [ "${b[1]}" = "${a[1]}" ] && [ "${a[1]}" != changed ]; then
    awk -v a="${a[0]}" -v b="${b[0]}" -v ns="$3" 'BEGIN { printf "%.4f", (a - b) / ns }'
  else
    awk -v a="${a[2]}" -v b="${b[2]}" -v hz="$(getconf CLK_TCK)" -v ns="$3" 'BEGIN { printf "%.4f", (a - b) / hz / (ns / 1e9) }'
  fi
}

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
