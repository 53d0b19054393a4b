#!/usr/bin/env bash
# Live collection benchmark (issue 3): fortress collect vs scripts/export-aws-cli.sh, both against the
# local AWS test endpoint serving a synthetic 17-region account with 50 ms added to every answer.
# Target: fortress takes at most 1/10 of the export script's wall time. Never touches AWS.
#
#   bash bench/collect_bench.sh            # BENCH_BUILD=build (a build with tests on: the endpoint)
#   LATENCY_MS=50 PARALLEL=4 bash bench/collect_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BENCH_BUILD:-build}"
latency="${LATENCY_MS:-50}"
parallel="${PARALLEL:-4}"   # the export script's --parallel (its default)
data=bench/.data/collect17
work=bench/.data/collect-run

for t in fortress fortress-test-endpoint fortress_gen_account; do
  [ -x "$build/$t" ] || { echo "collect_bench: $build/$t missing; run make test (or cmake --build $build) first" >&2; exit 2; }
done
# Regenerated every run (it takes well under a second), so it always matches the generator. The
# generator writes EC2; every other service collected (IAM, ELB, CloudTrail, Config, GuardDuty, SSM,
# Inspector, Auto Scaling, Access Analyzer) comes from tests/data/aws-account, copied into each region,
# so every call of both tools has an answer and the fan-out calls (listeners, trail status...) run.
if true; then
  rm -rf "$data"
  "$build/fortress_gen_account" "$data" --regions 17 --security-groups 1700 --rules 8500 --enis 1700 --seed 1 >&2
  services=tests/data/aws-account
  cp -r "$services/iam" "$data/"
  for region_dir in "$data"/*/; do
    region=$(basename "$region_dir")
    [ -d "$region_dir/ec2" ] || continue
    for service_dir in "$services"/us-east-1/*/; do cp -r "$service_dir" "$region_dir"; done
  done
fi
rm -rf "$work" && mkdir -p "$work"

"$build/fortress-test-endpoint" --fixture "$data" --latency-ms "$latency" --page-size 1000 \
  --port-file "$work/port" --log "$work/requests.log" 2>"$work/endpoint.log" &
endpoint_pid=$!
trap 'kill $endpoint_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/port")"

# The Debian AWS CLI (the reference client), not another one earlier on PATH (pyenv, pip): key order in
# its output follows its botocore's models.
export PATH="/usr/bin:/bin:$PATH"
export AWS_ACCESS_KEY_ID=AKIDFORTRESSTEST AWS_SECRET_ACCESS_KEY=fortress-test-secret-key
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

seconds() { date +%s.%N; }
t0=$(seconds)
"$build/fortress" collect -o "$work/fortress" --endpoint-url "$url" >"$work/fortress.log" 2>&1 || true
t1=$(seconds)
fortress_requests=$(wc -l < "$work/requests.log")
bash scripts/export-aws-cli.sh "$work/export" --endpoint-url "$url" --parallel "$parallel" >"$work/export.log" 2>&1 || true
t2=$(seconds)

fortress_s=$(echo "$t1 - $t0" | bc)
export_s=$(echo "$t2 - $t1" | bc)
calls_fortress=$(find "$work/fortress" -name '*.json' | wc -l)
calls_export=$(find "$work/export" -name '*.json' | wc -l)
errors_fortress=$(find "$work/fortress" -name '*.error.json' | wc -l)
errors_export=$(find "$work/export" -name '*.error.json' | wc -l)
requests=$(wc -l < "$work/requests.log")
same=0 differ=0
while IFS= read -r f; do
  rel=${f#"$work/export/"}
  if [ -f "$work/fortress/$rel" ] && cmp -s "$f" "$work/fortress/$rel"; then same=$((same + 1)); else differ=$((differ + 1)); fi
done < <(find "$work/export" -name '*.json' ! -name '*.error.json')
printf '| measure | value |\n| --- | ---: |\n'
printf '| endpoint latency per call | %s ms |\n' "$latency"
printf '| fortress collect (17 regions) | %.1f s, %s files (%s errors), %s requests |\n' "$fortress_s" "$calls_fortress" "$errors_fortress" "$fortress_requests"
printf '| export-aws-cli.sh --parallel %s | %.1f s, %s files (%s errors), %s requests |\n' "$parallel" "$export_s" "$calls_export" "$errors_export" "$((requests - fortress_requests))"
printf '| load average at the end | %s |\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| ratio | %.1fx (target >= 10x) |\n' "$(echo "$export_s / $fortress_s" | bc -l)"
printf '| export data files byte-identical in the fortress snapshot | %s of %s |\n' "$same" "$((same + differ))"
