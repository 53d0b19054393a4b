#!/usr/bin/env bash
# bench/run.sh: measures fortress against its performance target (docs/performance.md).
#
#   1. builds Release in build-release/ (only fortress, fortress_gen_account and scan_bench);
#   2. generates the large synthetic account in bench/.data/large if it is missing or was made with
#      other generator arguments;
#   3. runs scan_bench (Google Benchmark: load_snapshot, run_checks, both);
#   4. times the whole `fortress scan DIR --format json -o /dev/null` with /usr/bin/time -v (wall time,
#      peak RSS), BENCH_RUNS times after one warm-up run, and with hyperfine when it is installed;
#   5. prints a table against the target: load + all checks under 1 s and under 300 MB peak RSS.
#
# Environment:
#   BENCH_BUILD=build-release         build directory
#   FORTRESS_BENCH_SNAPSHOT=DIR       scan this snapshot instead (used as is, never regenerated)
#   BENCH_RUNS=5                      timed runs of `fortress scan`
#   BENCH_SKIP_GBENCH=1               skip scan_bench (only time the CLI)
#   BENCH_ENFORCE=1                   exit 1 when a target is missed (default: report only)
#   JOBS=N                            build parallelism (default nproc)
#
# Figures are warm page cache: the snapshot was just written or read. Results are also written to
# bench/.data/results/ (scan_bench.json, scan-time-*.txt, hyperfine.md).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

build="${BENCH_BUILD:-build-release}"
runs="${BENCH_RUNS:-5}"
jobs="${JOBS:-$(nproc)}"
gen_args=(--regions 17 --security-groups 20000 --rules 200000 --enis 50000 --seed 1)
target_ms=1000
target_rss_mb=300
results=bench/.data/results

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

# ---- tools --------------------------------------------------------------------------------------
have_time=0
if [[ -x /usr/bin/time ]]; then
  have_time=1
else
  say "GNU time is missing; installing the 'time' package"
  sudo=""
  [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
  if DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time >/dev/null 2>&1 ||
    { $sudo apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time >/dev/null 2>&1; }; then
    have_time=1
  else
    say "could not install time; peak RSS will be sampled from /proc/PID/status (VmHWM)"
  fi
fi

# ---- build --------------------------------------------------------------------------------------
say "building Release in $build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFORTRESS_TESTS=OFF >"$build.configure.log" 2>&1 ||
  { cat "$build.configure.log" >&2; die "cmake configure failed"; }
targets=(fortress fortress_gen_account)
have_gbench=0
all_targets="$(ninja -C "$build" -t targets all 2>/dev/null || true)"  # captured: grep -q + pipefail could SIGPIPE
if [[ "${BENCH_SKIP_GBENCH:-0}" != 1 ]] && grep -q '^scan_bench:' <<<"$all_targets"; then
  targets+=(scan_bench)
  have_gbench=1
elif [[ "${BENCH_SKIP_GBENCH:-0}" != 1 ]]; then
  say "scan_bench is not configured (Google Benchmark not found: apt-get install libbenchmark-dev); skipping it"
fi
cmake --build "$build" --target "${targets[@]}" -j "$jobs" >"$build.build.log" 2>&1 ||
  { tail -40 "$build.build.log" >&2; die "build failed (full log: $build.build.log)"; }

# ---- data ---------------------------------------------------------------------------------------
mkdir -p "$results"
if [[ -n "${FORTRESS_BENCH_SNAPSHOT:-}" ]]; then
  data="$FORTRESS_BENCH_SNAPSHOT"
  [[ -d "$data" ]] || die "FORTRESS_BENCH_SNAPSHOT=$data is not a directory"
else
  data=bench/.data/large
  stamp="$data.stamp"  # beside the snapshot, not in it: the loader would see it as a stray file
  want="$(sha256sum bench/gen_account.cpp | cut -c1-16) ${gen_args[*]}"
  if [[ ! -d "$data" || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    say "generating $data (fortress_gen_account ${gen_args[*]})"
    rm -rf -- "$data"
    "$build/fortress_gen_account" "$data" "${gen_args[@]}" >&2
    printf '%s\n' "$want" >"$stamp"
  fi
fi
export FORTRESS_BENCH_SNAPSHOT="$data"
snapshot_mb=$(du -sb "$data" | awk '{printf "%.1f", $1 / 1e6}')
snapshot_files=$(find "$data" -name '*.json' | wc -l)

# ---- scan_bench ---------------------------------------------------------------------------------
json_get() {  # json_get FILE BENCHMARK_NAME FIELD -> value or "n/a"
  local file="$1" name="$2" field="$3"
  if command -v jq >/dev/null 2>&1; then
    jq -r --arg n "$name" --arg f "$field" \
      '[.benchmarks[] | select(.name == $n and (.error_occurred | not)) | .[$f]] | first // "n/a"' "$file"
  elif command -v python3 >/dev/null 2>&1; then
    python3 - "$file" "$name" "$field" <<'EOF'
import json, sys
f, n, k = sys.argv[1:]
v = [b.get(k) for b in json.load(open(f))["benchmarks"] if b["name"] == n and not b.get("error_occurred")]
print(v[0] if v and v[0] is not None else "n/a")
EOF
  else
    echo n/a
  fi
}
load_ms=n/a load1_ms=n/a checks_ms=n/a both_ms=n/a findings=n/a load_cpu=n/a checks_cpu=n/a both_cpu=n/a
found_ms=n/a found_cpu=n/a found_rss=n/a
if ((have_gbench)); then
  say "running scan_bench on $data"
  "$build/scan_bench" --benchmark_counters_tabular=true --benchmark_filter='^BM_(Load|Run|Exposure)' \
    --benchmark_out="$results/scan_bench.json" --benchmark_out_format=json
  fmt_ms() { [[ "$1" == n/a ]] && echo n/a || awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }
  load_ms=$(fmt_ms "$(json_get "$results/scan_bench.json" BM_LoadSnapshot/threads:0/process_time/real_time real_time)")
  load1_ms=$(fmt_ms "$(json_get "$results/scan_bench.json" BM_LoadSnapshot/threads:1/process_time/real_time real_time)")
  checks_ms=$(fmt_ms "$(json_get "$results/scan_bench.json" BM_RunChecks/process_time/real_time real_time)")
  both_ms=$(fmt_ms "$(json_get "$results/scan_bench.json" BM_LoadAndCheck/all:1/process_time/real_time real_time)")
  findings=$(fmt_ms "$(json_get "$results/scan_bench.json" BM_RunChecks/process_time/real_time findings)")
  load_cpu=$(fmt_ms "$(json_get "$results/scan_bench.json" BM_LoadSnapshot/threads:0/process_time/real_time cpu_time)")
  checks_cpu=$(fmt_ms "$(json_get "$results/scan_bench.json" BM_RunChecks/process_time/real_time cpu_time)")
  both_cpu=$(fmt_ms "$(json_get "$results/scan_bench.json" BM_LoadAndCheck/all:1/process_time/real_time cpu_time)")
  found_ms=$(fmt_ms "$(json_get "$results/scan_bench.json" BM_LoadAndCheck/all:0/process_time/real_time real_time)")
  found_cpu=$(fmt_ms "$(json_get "$results/scan_bench.json" BM_LoadAndCheck/all:0/process_time/real_time cpu_time)")
fi

# ---- fortress scan, end to end ------------------------------------------------------------------
scan=("$build/fortress" scan "$data" --format json -o /dev/null)

# Runs the scan once; prints "WALL_SECONDS PEAK_RSS_KB USER_SECONDS SYS_SECONDS EXIT_STATUS".
timed_scan() {
  local out="$1" status=0
  if ((have_time)); then
    /usr/bin/time -v -o "$out" "${scan[@]}" 2>"$out.stderr" || status=$?
    awk -v st="$status" -F': ' '
      /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
      /Maximum resident set size/ { rss = $2 }
      /User time \(seconds\)/ { u = $2 }
      /System time \(seconds\)/ { s = $2 }
      /Exit status/ { st = $2 }
      END { printf "%.3f %d %.2f %.2f %d\n", w, rss, u, s, st }' "$out"
  else
    local start end pid hwm=0 v
    start=$(date +%s.%N)
    "${scan[@]}" 2>"$out.stderr" &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      [[ -n "$v" ]] && ((v > hwm)) && hwm=$v
      sleep 0.01
    done
    wait "$pid" || status=$?
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" -v r="$hwm" -v st="$status" 'BEGIN { printf "%.3f %d 0 0 %d\n", b - a, r, st }'
  fi
}

say "timing '${scan[*]}' (1 warm-up + $runs runs)"
read -r _ _ _ _ warm_status < <(timed_scan "$results/scan-time-warmup.txt")
# Exit status 1 is "a FAIL at or above --fail-on" and 3 "the scan is incomplete" (load or collection
# errors): both still ran everything. 2 and 4 mean the scan did not run.
case "$warm_status" in
  0 | 1) ;;
  3)
    say "warning: fortress scan reports an incomplete scan (exit 3); its first diagnostics:"
    head -5 "$results/scan-time-warmup.txt.stderr" | sed 's/^/    /' >&2
    ;;
  *)
    cat "$results/scan-time-warmup.txt.stderr" >&2
    die "fortress scan exited with status $warm_status"
    ;;
esac
walls=() rsses=() cpus=() lines=()
for ((i = 1; i <= runs; i++)); do
  read -r wall rss user sys status < <(timed_scan "$results/scan-time-$i.txt")
  walls+=("$wall")
  rsses+=("$rss")
  cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
  lines+=("run $i: wall ${wall} s, user ${user} s, sys ${sys} s, peak RSS $((rss / 1024)) MB, exit $status")
done
printf '  %s\n' "${lines[@]}" >&2
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
wall_med=$(median "${walls[@]}")
wall_min=$(printf '%s\n' "${walls[@]}" | sort -g | head -1)
rss_max_kb=$(printf '%s\n' "${rsses[@]}" | sort -g | tail -1)
wall_med_ms=$(awk -v v="$wall_med" 'BEGIN { printf "%.0f", v * 1000 }')
wall_min_ms=$(awk -v v="$wall_min" 'BEGIN { printf "%.0f", v * 1000 }')
rss_mb=$((rss_max_kb / 1024))
cpu_med_ms=n/a
((have_time)) && cpu_med_ms=$(awk -v v="$(median "${cpus[@]}")" 'BEGIN { printf "%.0f", v * 1000 }')
load_avg=$(cut -d' ' -f1-3 /proc/loadavg)

if command -v hyperfine >/dev/null 2>&1; then
  say "hyperfine"
  hyperfine --warmup 1 --runs "$runs" -i --export-markdown "$results/hyperfine.md" "${scan[*]}" >&2 || true
fi

# ---- table --------------------------------------------------------------------------------------
verdict() {  # verdict VALUE LIMIT
  [[ "$1" == n/a ]] && { echo "-"; return; }
  (($1 < $2)) && echo ok || echo MISSED
}
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_gb=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
echo
echo "fortress performance — $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "machine:  $(nproc) cores, ${cpu:-unknown CPU}, ${mem_gb} GiB"
echo "snapshot: $data — $snapshot_files files, ${snapshot_mb} MB"
echo "load average at the end: $load_avg (wall times are only meaningful when it is well under $(nproc))"
echo
printf '| %-52s | %10s | %10s | %-7s |\n' "measure" "value" "target" "verdict"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..54})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..9})"
row() { printf '| %-52s | %10s | %10s | %-7s |\n' "$@"; }
row "load_snapshot, all cores (scan_bench)" "$load_ms ms" "" ""
row "  CPU, all threads" "$load_cpu ms" "" ""
row "load_snapshot, 1 thread (scan_bench)" "$load1_ms ms" "" ""
row "run_checks (scan_bench)" "$checks_ms ms" "" ""
row "  CPU" "$checks_cpu ms" "" ""
row "load + the foundation's 12 checks (scan_bench)" "$found_ms ms" "< $target_ms ms" "$(verdict "$found_ms" "$target_ms")"
row "  CPU, all threads" "$found_cpu ms" "" ""
row "load + every check (scan_bench)" "$both_ms ms" "< $target_ms ms" "$(verdict "$both_ms" "$target_ms")"
row "  CPU, all threads" "$both_cpu ms" "" ""
row "fortress scan --format json, wall (median)" "$wall_med_ms ms" "< $target_ms ms" "$(verdict "$wall_med_ms" "$target_ms")"
row "fortress scan --format json, wall (best)" "$wall_min_ms ms" "" ""
row "fortress scan --format json, CPU user+sys (median)" "$cpu_med_ms ms" "" ""
row "fortress scan --format json, peak RSS (max)" "$rss_mb MB" "< $target_rss_mb MB" "$(verdict "$rss_mb" "$target_rss_mb")"
row "findings (scan_bench)" "$findings" "" ""
echo

if [[ "${BENCH_ENFORCE:-0}" == 1 ]]; then
  for v in "$(verdict "$both_ms" "$target_ms")" "$(verdict "$wall_med_ms" "$target_ms")" "$(verdict "$rss_mb" "$target_rss_mb")"; do
    [[ "$v" != MISSED ]] || die "a performance target was missed"
  done
fi
