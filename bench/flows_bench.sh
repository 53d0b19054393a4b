#!/usr/bin/env bash
# bench/flows_bench.sh: fortress's flow-log reader and attribution side by side with DuckDB and zcat
# (docs/performance.md, "Flow logs").
#
#   1. builds fortress, fortress_gen_account and fortress_gen_flow_logs (Release, build-release/);
#   2. generates an account (3 regions, 2,000 groups, 20,000 rules, 5,000 ENIs) and, from it, FLOW_BYTES
#      of v2 flow logs (plain and the same records gzipped) and of a v5 custom format, under bench/.data/;
#   3. times, each BENCH_RUNS times, with /usr/bin/time (wall, user+sys CPU, peak RSS):
#        fortress flows --aggregate-only (read + aggregate)         1 and 2 threads, v2, v5, v2.gz;
#          and the same over --traffic steady v2 (bench/gen_flow_logs.cpp: fewer distinct keys)
#        fortress flows --snapshot ... --format json (+ attribution, checks, report)   2 threads, v2
#        DuckDB, the same group-by over the same v2 files               1 and 2 threads
#        zcat v2.gz > /dev/null                                          (one core)
#        flows_bench (Google Benchmark): read + aggregate without writing anything (v2, steady, v2.gz), and
#          the attribution; the distinct keys must equal DuckDB's groups (exit status 1 otherwise)
#   4. prints a table; raw lines go to bench/.data/results/flows-*.txt.
#
# Environment: FLOW_BYTES (default 1G), BENCH_RUNS (3), BENCH_BUILD (build-release), KEEP_DATA=1 keeps
# the generated logs (deleted at the end otherwise; the account is kept). DuckDB needs `npm install`
# in bench/ (node_modules is git-ignored); without it that row is skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build="${BENCH_BUILD:-build-release}"
runs="${BENCH_RUNS:-3}"
bytes="${FLOW_BYTES:-1G}"
data=bench/.data
results=$data/results
say() { printf 'flows-bench: %s\n' "$*" >&2; }

# An existing build directory is used as it is configured (it must be Release).
[[ -f "$build/build.ninja" ]] || cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFORTRESS_TESTS=OFF >"$build.configure.log" 2>&1
cmake --build "$build" --target fortress fortress_gen_account fortress_gen_flow_logs flows_bench -j "$(nproc)" >"$build.build.log" 2>&1 ||
  { tail -30 "$build.build.log" >&2; exit 1; }
mkdir -p "$results"
account=$data/flows-account
[[ -d $account ]] || "$build/fortress_gen_account" "$account" --regions 3 --security-groups 2000 --rules 20000 --enis 5000 --seed 1 >&2
for kind in v2 v2steady v5 v2gz; do
  dir=$data/flows-$kind
  [[ -d $dir ]] && continue
  case $kind in
    v2) "$build/fortress_gen_flow_logs" "$account" "$dir" --bytes "$bytes" --files 16 >&2 ;;
    v2steady) "$build/fortress_gen_flow_logs" "$account" "$dir" --bytes "$bytes" --files 16 --traffic steady >&2 ;;
    v5) "$build/fortress_gen_flow_logs" "$account" "$dir" --bytes "$bytes" --files 16 --format v5 >&2 ;;
    v2gz) "$build/fortress_gen_flow_logs" "$account" "$dir" --bytes "$bytes" --files 16 --gzip >&2 ;;
  esac
done
mb() { du -sbL "$1" | awk '{ printf "%.0f", $1 / 1e6 }'; }
v2_mb=$(find -L $data/flows-v2 -name '*.log' -print0 | du -cb --files0-from=- | tail -1 | awk '{ printf "%.0f", $1 / 1e6 }')

# timed LABEL CMD...: BENCH_RUNS runs; prints "LABEL wall cpu rss" with the best wall and its CPU.
timed() {
  local label="$1"; shift
  local best_wall=999999 best_cpu=0 best_rss=0
  for ((i = 1; i <= runs; i++)); do
    /usr/bin/time -f "%e %U %S %M" -o "$results/flows-time.txt" "$@" >/dev/null 2>"$results/flows-stderr.txt" || true
    read -r wall user sys rss <"$results/flows-time.txt"
    local cpu
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
    echo "$label run $i: wall $wall s, cpu $cpu s, rss $((rss / 1024)) MB" >>"$results/flows-runs.txt"
    if awk -v a="$cpu" -v b="$best_cpu" -v w="$best_wall" 'BEGIN { exit !(w == 999999 || a < b) }'; then
      best_wall=$wall best_cpu=$cpu best_rss=$rss
    fi
  done
  printf '%s %s %s %s\n' "$label" "$best_wall" "$best_cpu" "$((best_rss / 1024))"
}
: >"$results/flows-runs.txt"
rows=()
say "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
rows+=("$(timed "fortress-aggregate-v2-t1" "$build/fortress" flows --aggregate-only --threads 1 $data/flows-v2 -o /dev/null)")
rows+=("$(timed "fortress-aggregate-v2-t2" "$build/fortress" flows --aggregate-only --threads 2 $data/flows-v2 -o /dev/null)")
rows+=("$(timed "fortress-aggregate-v2steady-t1" "$build/fortress" flows --aggregate-only --threads 1 $data/flows-v2steady -o /dev/null)")
rows+=("$(timed "fortress-aggregate-v2steady-t2" "$build/fortress" flows --aggregate-only --threads 2 $data/flows-v2steady -o /dev/null)")
rows+=("$(timed "fortress-flows-report-v2steady-t2" "$build/fortress" flows --threads 2 --snapshot "$account" $data/flows-v2steady --format json -o /dev/null)")
rows+=("$(timed "fortress-aggregate-v5-t1" "$build/fortress" flows --aggregate-only --threads 1 $data/flows-v5 -o /dev/null)")
rows+=("$(timed "fortress-aggregate-v2gz-t1" "$build/fortress" flows --aggregate-only --threads 1 $data/flows-v2gz -o /dev/null)")
rows+=("$(timed "fortress-flows-report-v2-t2" "$build/fortress" flows --threads 2 --snapshot "$account" $data/flows-v2 --format json -o /dev/null)")
rows+=("$(timed "zcat-v2gz" sh -c "zcat $data/flows-v2gz/AWSLogs/*/vpcflowlogs/*/*/*/*/*.gz > /dev/null")")
declare -A duckdb_groups=()
if [[ -d bench/node_modules/@duckdb/node-api ]]; then
  for kind in v2 v2steady; do
    for t in 1 2; do
      best=""
      for ((i = 1; i <= runs; i++)); do
        line=$(node bench/duckdb_flows.mjs "$data/flows-$kind/**/*.log" "$t")
        echo "duckdb-$kind-t$t run $i: $line" >>"$results/flows-runs.txt"
        cpu=$(sed -E 's/.*"cpu_s":([0-9.]+).*/\1/' <<<"$line")
        wall=$(sed -E 's/.*"wall_s":([0-9.]+).*/\1/' <<<"$line")
        duckdb_groups[$kind]=$(sed -E 's/.*"groups":([0-9]+).*/\1/' <<<"$line")
        if [[ -z $best ]] || awk -v a="$cpu" -v b="${best#* }" 'BEGIN { exit !(a < b) }'; then best="$wall $cpu"; fi
      done
      rows+=("duckdb-$kind-t$t $best 0")
    done
  done
else
  say "bench/node_modules/@duckdb/node-api missing (cd bench && npm install): DuckDB skipped"
fi
say "flows_bench (Google Benchmark: read + aggregate without output; attribution)"
FORTRESS_FLOWS_BENCH_LOGS=$data/flows-v2 FORTRESS_FLOWS_BENCH_SNAPSHOT=$account "$build/flows_bench" \
  --benchmark_counters_tabular=true --benchmark_out="$results/flows-gbench.json" --benchmark_out_format=json |
  tee "$results/flows-gbench.txt" >&2
FORTRESS_FLOWS_BENCH_LOGS=$data/flows-v2steady FORTRESS_FLOWS_BENCH_SNAPSHOT=$account "$build/flows_bench" \
  --benchmark_counters_tabular=true --benchmark_out="$results/flows-gbench-steady.json" --benchmark_out_format=json |
  tee "$results/flows-gbench-steady.txt" >&2
say "flows_bench over the same v2 records gzipped (read + inflate + aggregate)"
FORTRESS_FLOWS_BENCH_LOGS=$data/flows-v2gz "$build/flows_bench" --benchmark_filter=ReadAggregate \
  --benchmark_counters_tabular=true | tee "$results/flows-gbench-gz.txt" >&2
# The aggregate must be exactly DuckDB's group-by: the same number of distinct keys.
keys_of() { python3 -c 'import json,sys; print(int(next(b["keys"] for b in json.load(open(sys.argv[1]))["benchmarks"] if b["name"].startswith("BM_ReadAggregate/1"))))' "$1"; }
check_failed=0
for kind in v2 v2steady; do
  json=$results/flows-gbench.json
  [[ $kind == v2steady ]] && json=$results/flows-gbench-steady.json
  keys=$(keys_of "$json")
  groups=${duckdb_groups[$kind]:-}
  if [[ -z $groups ]]; then
    say "aggregate check $kind: fortress $keys keys; DuckDB not run"
  elif [[ $keys == "$groups" ]]; then
    say "aggregate check $kind: fortress $keys keys = DuckDB $groups groups"
  else
    say "aggregate check $kind: fortress $keys keys != DuckDB $groups groups: the aggregates differ"
    check_failed=1
  fi
done
say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "flows benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "input: v2 ${v2_mb} MB in 16 files; v5 $(mb $data/flows-v5) MB; v2.gz $(mb $data/flows-v2gz) MB compressed"
printf '| %-30s | %8s | %8s | %8s | %14s |\n' measure "wall s" "cpu s" "rss MB" "MB/s per cpu-s"
for r in "${rows[@]}"; do
  read -r label wall cpu rss <<<"$r"
  printf '| %-30s | %8s | %8s | %8s | %14s |\n' "$label" "$wall" "$cpu" "$rss" "$(awk -v m="$v2_mb" -v c="$cpu" 'BEGIN { printf "%.0f", m / c }')"
done
if [[ "${KEEP_DATA:-0}" != 1 ]]; then rm -rf $data/flows-v2 $data/flows-v2steady $data/flows-v5 $data/flows-v2gz; fi
exit $check_failed
