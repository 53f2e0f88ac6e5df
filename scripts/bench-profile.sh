#!/usr/bin/env bash
# bench-profile.sh BENCH [BENCHTIME [FLAGS...]]
#
# Shows what limits a benchmark: runs the integration benchmarks matching BENCH (a regexp, as
# `go test -bench`) for BENCHTIME (300x unless given) under `perf record -a -g`, every CPU, so
# that the Temporal dev server, the test process (the worker, the client and the API) and the
# PostgreSQL backends are all seen; the dev server has no pprof flag. FLAGS go to the test binary
# as they are (-users 20, -scale district, ...).
#
# Writes bench/profile-<BENCH>.txt: a header (date, machine, versions, command, load before and
# after), the benchmark's own output, the CPU share of each process over the whole run (from the
# dev server's start to its stop: the stack's setup, the benchmark and the limit it is measured
# beside), that share over time, and for the three busiest processes of this run their CPU by Go
# package (or library), what their stacks were doing, and their top symbols.
#
# The machine may be shared, so processes are told apart by pid, not by name: "this run" is the
# test binary, what it starts (the dev server) and the PostgreSQL backends whose
# application_name is this run's (PGAPPNAME; pg_stat_activity is read twice a second). Anything
# else, another `go test`'s dev server included, is listed by name as "other".
#
#   scripts/bench-profile.sh AbsenceNotices 1000x
#   scripts/bench-profile.sh TaskCompletion 2000x -users 20
#   make bench-profile BENCH=AbsenceNotices BENCHTIME=1000x
#
# Needs Linux perf (Debian: linux-perf) and the right to record every CPU (root, or
# kernel.perf_event_paranoid -1). perf.data stays in a temporary folder, removed at the end;
# PERF_KEEP=1 keeps it and says where. PERF_FREQ=499 samples a second on each CPU.
set -euo pipefail

say() { echo "bench-profile: $*" >&2; }

if [ $# -lt 1 ]; then
  say "usage: scripts/bench-profile.sh BENCH [BENCHTIME [FLAGS...]]"
  exit 2
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if ! command -v perf >/dev/null 2>&1; then
  say "Linux perf is missing, so there is nothing to profile with."
  say "Install it with: sudo apt-get install linux-perf (Debian; Ubuntu: linux-tools-generic)"
  exit 2
fi

# The database, as `make bench` has it: with-postgres.sh sets DATABASE_URL and runs this again.
if [ -z "${DATABASE_URL:-}" ]; then
  exec "$root/scripts/with-postgres.sh" postgres "$0" "$@"
fi

bench="$1"
benchtime="${2:-300x}"
shift $(($# < 2 ? $# : 2))
freq="${PERF_FREQ:-499}"
temporal="${SKOLFLOW_TEMPORAL_BIN:-$root/.bin/temporal}"
if [ ! -x "$temporal" ]; then
  say "$temporal is missing; run \`make temporal\` first (or use \`make bench-profile\`)"
  exit 2
fi
export SKOLFLOW_TEMPORAL_BIN="$temporal"

name=$(printf '%s' "$bench" | tr -c 'A-Za-z0-9_-' '_' | sed 's/^_*//; s/_*$//')
out="$root/bench/profile-${name:-all}.txt"

tmp=$(mktemp -d -t skolflow-profile.XXXXXX)
sampler=
cleanup() {
  if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null || true; fi
  if [ "${PERF_KEEP:-}" = 1 ]; then say "perf.data kept in $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# perf must see every CPU, not only this process's children.
if ! perf record -a -o "$tmp/probe.data" -- true >/dev/null 2>&1; then
  say "perf cannot record every CPU here (kernel.perf_event_paranoid is" \
    "$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo unknown))."
  say "Run as root, or: sudo sysctl kernel.perf_event_paranoid=-1"
  exit 2
fi
rm -f "$tmp/probe.data"

# Built first, so that the compiler is not in the profile.
say "building the integration test binary"
go test -c -o "$tmp/integration.test" ./integration

# This run's PostgreSQL backends: pgx takes application_name from PGAPPNAME. One psql session
# asks pg_stat_activity twice a second while the test runs.
app="skolflow-profile-$$"
export PGAPPNAME="$app"
(
  while [ ! -s "$tmp/test.pid" ]; do sleep 0.1; done
  read -r pid <"$tmp/test.pid"
  while kill -0 "$pid" 2>/dev/null; do
    echo "SELECT pid FROM pg_stat_activity WHERE application_name = '$app';"
    sleep 0.5
  done | PGAPPNAME=bench-profile-sampler psql "$DATABASE_URL" -tAq 2>/dev/null || true
) >"$tmp/backends" &
sampler=$!

args=(-test.run '^$' -test.bench "$bench" -test.benchtime "$benchtime" -test.timeout 30m "$@")
load_before=$(uptime)
say "running the benchmarks matching $bench ($benchtime) under perf record -a -g -F $freq"
# From integration/, as `go test` runs it; bash notes the test's pid, then becomes the test.
# --no-buildid-cache: no copies of the binaries in ~/.debug.
(cd integration && perf record -a -g -F "$freq" --no-buildid-cache -o "$tmp/perf.data" -- \
  bash -c 'echo $$ >"$0"; exec "$@"' "$tmp/test.pid" "$tmp/integration.test" "${args[@]}") |
  tee "$tmp/bench.out"
load_after=$(uptime)
wait "$sampler" || true
sampler=

say "reading the profile"
cores=$(nproc)
test_pid=$(cat "$tmp/test.pid")

# The pids of this run: what the test binary forked (FORK(child:tid):(parent:tid)), and so on
# down; then PostgreSQL's backends, as the sampler saw them.
perf script -i "$tmp/perf.data" --show-task-events -F pid 2>/dev/null |
  sed -n 's/.*PERF_RECORD_FORK(\([0-9]*\):\([0-9]*\)):(\([0-9]*\):[0-9]*).*/\1 \2 \3/p' |
  awk -v t="$test_pid" 'BEGIN { mine[t] = 1 }
    $1 == $2 && ($3 in mine) && !($1 in mine) { mine[$1] = 1; print $1 }' >"$tmp/children"
sort -un "$tmp/backends" | grep -v '^$' >"$tmp/backends.pids" || true

# Each sample "comm pid time:" becomes "time label pid": this run's parts by pid, the rest by name.
perf script -i "$tmp/perf.data" -F comm,pid,time 2>/dev/null | awk -v t="$test_pid" \
  -v kids="$tmp/children" -v pg="$tmp/backends.pids" '
  BEGIN { while ((getline p <kids) > 0) kid[p] = 1; while ((getline p <pg) > 0) be[p] = 1 }
  { tm = $NF; sub(/:$/, "", tm); pid = $(NF - 1); c = $1; for (i = 2; i < NF - 1; i++) c = c " " $i
    if (pid == t) l = "integration.test (this run)"
    else if (pid in kid) l = c " (this run)"
    else if (pid in be) l = "postgres (this run)"
    else if (c == "swapper") l = "(idle)"
    else l = c " (other)"
    print tm "\t" l "\t" pid }' >"$tmp/samples"

# Labels by samples, most first, with the pids behind each. Idle is not counted from perf's
# "swapper" samples: perf samples an idle CPU less often than a busy one (on this kind of VM at
# about half the rate), so idle is what the busy samples leave of wall time x CPUs x rate.
awk -F'\t' '$2 != "(idle)" { n[$2]++
    if (!(($2, $3) in seen)) { seen[$2, $3] = 1; pids[$2] = pids[$2] (pids[$2] == "" ? "" : ",") $3 } }
  END { for (l in n) print n[l] "\t" l "\t" pids[l] }' "$tmp/samples" | sort -t$'\t' -k1,1nr >"$tmp/labels"
read -r first last < <(awk -F'\t' 'NR == 1 || $1 < lo { lo = $1 } $1 > hi { hi = $1 }
  END { print lo, hi }' "$tmp/samples")
seconds=$(awk -v a="$first" -v b="$last" 'BEGIN { printf "%.3f", b - a }')
full=$(awk -v s="$seconds" -v f="$freq" -v c="$cores" 'BEGIN { printf "%.0f", s * f * c }') # all CPUs
busy=$(awk -F'\t' '{ n += $1 } END { print n + 0 }' "$tmp/labels")
top3=$(awk -F'\t' '$2 ~ /this run/ && n++ < 3 { print $2 "\t" $3 }' "$tmp/labels")

# What the samples of a Go process were doing: the share whose stack holds a frame matching each
# pattern (so the rows overlap). Tab-separated: what it is, the pattern.
cat >"$tmp/groups" <<'EOF'
GC: marking, assists, write barriers	^runtime\.(gcBgMarkWorker|gcAssistAlloc|wbBufFlush|markroot)
allocation (runtime.mallocgc; GC assists included)	^runtime\.mallocgc
goroutine stack growth (runtime.morestack)	^runtime\.morestack
Go scheduler (runtime.schedule, findRunnable)	^runtime\.(schedule|findRunnable)$
SQLite, the dev server's store (modernc.org/sqlite)	^modernc\.org/sqlite
  of it, preparing (parsing) SQL	^modernc\.org/sqlite/lib\._sqlite3Prepare$
Temporal persistence (server/common/persistence)	^go\.temporal\.io/server/common/persistence
Temporal visibility (the list and search index)	visibilityQueueTaskExecutor|^go\.temporal\.io/server/common/persistence/visibility
Temporal history service	^go\.temporal\.io/server/service/history
Temporal matching service	^go\.temporal\.io/server/service/matching
Temporal frontend service	^go\.temporal\.io/server/service/frontend
gRPC transport (HTTP/2 framing, reads, writes)	^google\.golang\.org/grpc/internal/transport|^golang\.org/x/net/http2
protobuf encoding and decoding	^google\.golang\.org/protobuf/
gzip (the SDK compresses gRPC requests)	^compress/(flate|gzip)
Temporal SDK: worker and client (go.temporal.io/sdk)	^go\.temporal\.io/sdk/
Skolflow's code, the tests' own included	^github\.com/skolflow/skolflow
pgx, the PostgreSQL client	^github\.com/jackc/pgx
net/http (the API over HTTP, both ends)	^net/http\.
EOF

# profile PIDS: one pass over the samples of PIDS, each a stack, leaf first ("address symbol
# (library)"), into $tmp/pkgs (self time by Go package, or library; the kernel as one),
# $tmp/syms (self time by symbol) and $tmp/cats (the groups above). perf script, not perf report:
# perf report's --pid filter loses most samples of processes forked during the recording without
# an exec, PostgreSQL's backends among them.
profile() {
  : >"$tmp/pkgs"; : >"$tmp/syms"; : >"$tmp/cats"
  perf script -i "$tmp/perf.data" --pid "$1" -F ip,sym,dso 2>/dev/null | awk -v groups="$tmp/groups" \
    -v pkgs="$tmp/pkgs" -v syms="$tmp/syms" -v cats="$tmp/cats" '
    BEGIN { FS = "\t"; while ((getline l <groups) > 0) { split(l, x, "\t"); n++; name[n] = x[1]; re[n] = x[2] }
      FS = " " }
    function done() {
      if (!nf) return
      total++; if (inkernel) kernel++
      for (i = 1; i <= n; i++) if (hit[i]) { cnt[i]++; hit[i] = 0 }
      nf = 0 }
    /^$/ { done(); next }
    { sym = $0; sub(/^[ \t]*[0-9a-f]+ /, "", sym); p = match(sym, / \([^(]*\)$/); dso = "?"
      if (p) { dso = substr(sym, p + 2, RLENGTH - 3); sym = substr(sym, 1, p - 1); sub(/.*\//, "", dso) }
      if (++nf == 1) { # the leaf: self time
        inkernel = ($1 ~ /^ffffffff/)
        self[(inkernel ? "[k] " : "[.] ") sym (sym == "[unknown]" ? " in " dso : "")]++
        if (inkernel) g = "kernel"
        else if (sym ~ /^[A-Za-z0-9_.\/-]+\./ && sym !~ /^_/ && sym !~ /\.(cold|part|isra|constprop|lto_priv)/) {
          # a Go package path: up to the first dot after the last slash, before any ( or [
          g = sym; sub(/[(\[].*/, "", g); pre = ""
          if (match(g, /.*\//)) { pre = substr(g, 1, RLENGTH); g = substr(g, RLENGTH + 1) }
          g = pre substr(g, 1, index(g ".", ".") - 1) }
        else g = dso
        pkg[g]++ }
      if (!(sym in memo)) { m = ""; for (i = 1; i <= n; i++) if (sym ~ re[i]) m = m " " i; memo[sym] = m }
      k = split(memo[sym], h, " "); for (j = 1; j <= k; j++) hit[h[j]] = 1 }
    END { done(); if (!total) exit
      for (g in pkg) printf "%7.2f%%  %s\n", 100 * pkg[g] / total, g >pkgs
      for (y in self) printf "%7.2f%%  %s\n", 100 * self[y] / total, y >syms
      printf "%7.1f%%  %s\n", 100 * kernel / total, "in the kernel when sampled (system calls, network, I/O, faults)" >cats
      for (i = 1; i <= n; i++) if (100 * cnt[i] / total >= 0.5) printf "%7.1f%%  %s\n", 100 * cnt[i] / total, name[i] >cats }'
}

{
  echo "# CPU profile of the benchmarks matching $bench: what limits them"
  echo
  echo "date:      $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine:   $(hostname), $cores cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
    "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
  echo "versions:  $(go version | cut -d' ' -f3), $("$temporal" --version 2>/dev/null)," \
    "PostgreSQL $(psql "$DATABASE_URL" -tAc 'SHOW server_version' 2>/dev/null || echo '?'), $(perf --version)"
  echo "command:   scripts/bench-profile.sh $bench $benchtime $*"
  echo "runs:      (cd integration && perf record -a -g -F $freq -- integration.test ${args[*]})"
  echo "load:      before: ${load_before#*load average: }; after: ${load_after#*load average: } (1, 5, 15 min)"
  echo "samples:   $busy busy over $seconds s of $cores CPUs, $freq a second on each; idle is the rest"
  echo
  echo "## The benchmark's output"
  echo
  sed 's/^/    /' "$tmp/bench.out"
  echo
  echo "## CPU by process over the whole run (setup, benchmark and its limit)"
  echo
  echo "% machine: of all $cores CPUs' time; % busy: of the time not idle; cores: the CPUs it kept busy."
  echo "(this run): the test binary, what it started, its PostgreSQL backends; (other): the rest, by name."
  echo
  printf '%-34s %9s %7s %6s  %s\n' process "% machine" "% busy" cores pids
  awk -F'\t' -v full="$full" -v busy="$busy" -v c="$cores" '{
      p = 100 * $1 / full; if (p < 0.1) next
      pids = $3; if (length(pids) > 40) pids = substr(pids, 1, 37) "..."
      printf "%-34s %9.1f %7.1f %6.2f  %s\n", substr($2, 1, 34), p, 100 * $1 / busy, p * c / 100, pids }
    END { i = 100 - 100 * busy / full; if (i < 0) i = 0
      printf "%-34s %9.1f %7s %6.2f\n", "(idle)", i, "", i * c / 100 }' "$tmp/labels"
  echo
  echo "## CPU by process over time (% of the machine, a twentieth of the run a row)"
  echo
  awk -F'\t' -v top="$top3" -v lo="$first" -v hi="$last" -v f="$freq" -v c="$cores" '
    BEGIN { k = split(top, t, "\n"); for (i = 1; i <= k; i++) { split(t[i], x, "\t"); col[i] = x[1]; want[x[1]] = i }
      w = (hi - lo) / 20; if (w <= 0) w = 1 }
    $2 != "(idle)" { l = ($2 in want) ? $2 : "(other)"; b = int(($1 - lo) / w); if (b > 19) b = 19
      cnt[b, l]++; tot[b]++ }
    END { cols[1] = "(idle)"; for (i = 1; i <= k; i++) cols[i + 1] = col[i]; cols[k + 2] = "(other)"
      printf "%7s", "until s"
      for (j = 1; j <= k + 2; j++) { h = cols[j]; sub(/ \(this run\)/, "", h); printf " %16s", substr(h, 1, 16) }
      print ""
      for (b = 0; b < 20; b++) { d = w * f * c; i = 100 - 100 * tot[b] / d; if (i < 0) i = 0
        printf "%7.1f %16.1f", (b + 1) * w, i
        for (j = 2; j <= k + 2; j++) printf " %16.1f", 100 * cnt[b, cols[j]] / d
        print "" } }' "$tmp/samples"
  while IFS=$'\t' read -r label pids; do
    [ -n "$label" ] || continue
    profile "$pids"
    echo
    echo "## $label"
    echo
    echo "Self CPU by Go package (outside Go: by library; the kernel as one), % of this process's CPU:"
    echo
    sort -rn "$tmp/pkgs" | awk 'NR <= 20'
    echo
    echo "What its samples were doing: in the kernel, or (Go) with a frame of this in the stack; the rows"
    echo "overlap; % of this process's CPU:"
    echo
    cat "$tmp/cats"
    echo
    echo "Top symbols, self CPU, % of this process's CPU:"
    echo
    sort -rn "$tmp/syms" | awk 'NR <= 25'
  done <<<"$top3"
} >"$out"

say "wrote ${out#"$root"/}"
