#!/usr/bin/env bash
# Tests scripts/export-aws-cli.sh against tests/scripts/fake-aws (an `aws` that answers from
# examples/demo-account and fails eu-west-1's describe-flow-logs), then, when given a fortress binary
# that can scan, scans the export; then, when Debian's AWS CLI is installed, runs the script with the
# real CLI against fortress-test-endpoint (the local AWS test endpoint, built beside fortress; never AWS).
#
#   bash tests/scripts/export_test.sh [path/to/fortress]
#
# Prints one line per assertion and "N passed, M failed"; exits non-zero on any failure. Needs jq.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
script="$root/scripts/export-aws-cli.sh"
demo="$root/examples/demo-account"
fortress="${1:-}"

passed=0
failed=0
ok() { passed=$((passed + 1)) && echo "ok   - $1"; }
not_ok() {
  failed=$((failed + 1))
  echo "FAIL - $1"
  [[ -z "${2:-}" ]] || sed 's/^/       /' <<<"$2"
}
check() {  # description command...
  local description="$1"
  shift
  if "$@"; then ok "$description"; else not_ok "$description"; fi
}
check_eq() {  # description expected actual
  if [[ "$2" == "$3" ]]; then ok "$1"; else not_ok "$1" "expected: $2"$'\n'"actual:   $3"; fi
}

if ! command -v jq >/dev/null 2>&1; then
  echo "FAIL - jq is required (scripts/install-deps.sh installs it)"
  echo "0 passed, 1 failed"
  exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/export_test.XXXXXX")"
server_pid=""
cleanup() {
  [[ -z "$server_pid" ]] || kill "$server_pid" 2>/dev/null || true
  rm -rf -- "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/bin"
ln -s "$root/tests/scripts/fake-aws" "$tmp/bin/aws"

# What the fake aws answers from: the demo account, plus the other services' files of
# tests/data/aws-account (its IAM files, and its us-east-1 services in each demo region) for the
# services the demo has no files of its own for. SNS subscriptions are asked for the topics of the
# region's alarms: they come with cloudwatch, never on their own.
data="$tmp/data"
cp -r "$demo" "$data"
services="$root/tests/data/aws-account"
[[ -d "$data/iam" ]] || cp -r "$services/iam" "$data/iam"  # the demo's own IAM export, else the fixture's
for r in us-east-1 eu-west-1; do
  for d in "$services/us-east-1"/*; do
    s="$(basename "$d")"
    [[ -e "$data/$r/$s" ]] && continue
    [[ "$s" == sns && -e "$data/$r/cloudwatch" ]] && continue
    cp -r "$d" "$data/$r/"
  done
done
# Calls per region for the other services, and account-wide IAM calls: one per file of theirs.
service_calls_in() { (cd "$data/$1" && find . -type f ! -path './ec2/*' | wc -l); }
service_calls="$(service_calls_in us-east-1)"
service_calls_eu="$(service_calls_in eu-west-1)"
iam_calls="$(cd "$data" && find iam -type f | wc -l)"

# Runs the export script with the fake aws first on PATH and no AWS settings from the caller's
# environment. Sets $rc, and leaves stdout/stderr in $tmp/out and $tmp/err, the calls in $tmp/aws.log.
# HOME_REGION (default us-east-1) is the AWS_REGION the script sees; empty leaves it unset.
run_export() {
  : >"$tmp/aws.log"
  local region_env=(AWS_REGION="${HOME_REGION-us-east-1}")
  [[ -n "${HOME_REGION-us-east-1}" ]] || region_env=(-u AWS_REGION)
  env -u AWS_PROFILE -u AWS_DEFAULT_REGION -u AWS_DEFAULT_PROFILE -u FAKE_AWS_CONFIG_REGION "${region_env[@]}" \
    PATH="$tmp/bin:$PATH" FAKE_AWS_DATA="$data" FAKE_AWS_LOG="$tmp/aws.log" \
    bash "$script" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

tree_of() { (cd "$1" && find . -type f | sed 's|^\./||' | LC_ALL=C sort); }
all_json_valid() {
  local f bad=0
  while IFS= read -r f; do jq empty "$f" 2>/dev/null || { echo "       invalid JSON: $f"; bad=1; }; done \
    < <(find "$1" -type f -name '*.json')
  return $bad
}

commands=(describe-vpcs describe-subnets describe-security-groups describe-security-group-rules
  describe-network-interfaces describe-instances describe-route-tables describe-network-acls
  describe-internet-gateways describe-egress-only-internet-gateways describe-nat-gateways describe-flow-logs
  describe-vpc-peering-connections describe-managed-prefix-lists)

# The tree the export must write for the demo account, from first principles (the other services: every
# file the fake has for them, since each lists the resources the next calls name).
expected_tree() {
  local r c id
  {
    echo "sts/get-caller-identity.json"
    echo "ec2/describe-regions.json"
    (cd "$data" && find iam -type f)
    for r in "$@"; do (cd "$data" && find "$r" -type f ! -path "$r/ec2/*"); done
    for r in "$@"; do
      for c in "${commands[@]}"; do
        if [[ "$r/$c" == eu-west-1/describe-flow-logs ]]; then
          echo "$r/ec2/$c.error.json"
        else
          echo "$r/ec2/$c.json"
        fi
      done
      for id in $(jq -r '.PrefixLists[].PrefixListId' "$demo/$r/ec2/describe-managed-prefix-lists.json"); do
        echo "$r/ec2/get-managed-prefix-list-entries/$id.json"
      done
    done
  } | LC_ALL=C sort
}

# ---- the whole account --------------------------------------------------------------------------------
echo "# export of the demo account through the fake aws"
out="$tmp/full"
run_export "$out"
check_eq "exit status 3 when a call failed" 3 "$rc"
check_eq "file tree and names" "$(expected_tree eu-west-1 us-east-1)" "$(tree_of "$out")"
check "every file is valid JSON" all_json_valid "$out"
same_outputs=1
while IFS= read -r f; do
  [[ "$f" == *.error.json ]] && continue
  cmp -s "$data/$f" "$out/$f" || { same_outputs=0 && echo "       differs: $f"; }
done < <(tree_of "$out")
check "saved outputs are the CLI's output byte for byte" test "$same_outputs" = 1
check "nothing but .json files left behind (no temporaries)" \
  test -z "$(find "$out" -type f ! -name '*.json' -print -quit)"

err_file="$out/eu-west-1/ec2/describe-flow-logs.error.json"
check_eq "error record: exactly the documented keys" \
  '["Command","ErrorCode","ExitCode","Message","Region","Service","Time"]' \
  "$(jq -c '.FortressCollectionError | keys' "$err_file" 2>&1)"
check_eq "error record: service, command, region" "ec2 describe-flow-logs eu-west-1" \
  "$(jq -r '.FortressCollectionError | "\(.Service) \(.Command) \(.Region)"' "$err_file" 2>&1)"
check_eq "error record: ErrorCode parsed from the CLI's stderr" UnauthorizedOperation \
  "$(jq -r '.FortressCollectionError.ErrorCode' "$err_file" 2>&1)"
check_eq "error record: Message is the CLI's stderr, trimmed" \
  "An error occurred (UnauthorizedOperation) when calling the DescribeFlowLogs operation: You are not authorized to perform this operation." \
  "$(jq -r '.FortressCollectionError.Message' "$err_file" 2>&1)"
check_eq "error record: ExitCode is the CLI's status, as a number" "number 254" \
  "$(jq -r '.FortressCollectionError.ExitCode | "\(type) \(.)"' "$err_file" 2>&1)"
check "error record: Time is UTC RFC 3339" \
  grep -qE '"Time": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"' "$err_file"
check "error record: same as the demo's, but for the time" \
  cmp -s <(jq 'del(.FortressCollectionError.Time)' "$err_file") \
  <(jq 'del(.FortressCollectionError.Time)' "$demo/eu-west-1/ec2/describe-flow-logs.error.json")
check "no .json beside the error record" test ! -e "$out/eu-west-1/ec2/describe-flow-logs.json"

check "progress line for us-east-1" grep -q "us-east-1: $((16 + service_calls)) calls, 0 failed" "$tmp/err"
check "progress line for eu-west-1 names the failure" \
  grep -q "eu-west-1: $((15 + service_calls_eu)) calls, 1 failed (ec2 describe-flow-logs: UnauthorizedOperation)" "$tmp/err"
total_calls=$((33 + iam_calls + service_calls + service_calls_eu))
check "summary: $total_calls calls, 1 failed" grep -q "$total_calls calls, 1 failed" "$tmp/err"
check "nothing on stdout" test ! -s "$tmp/out"

calls="$(grep -v -- '^--version' "$tmp/aws.log")"
check_eq "$total_calls aws calls" "$total_calls" "$(grep -c . <<<"$calls")"
check_eq "every call has --output json" "$total_calls" "$(grep -c -- '--output json' <<<"$calls")"
check_eq "every call has --no-cli-pager" "$total_calls" "$(grep -c -- '--no-cli-pager' <<<"$calls")"
check_eq "every call names its region" "$total_calls" "$(grep -cE -- '--region (us-east-1|eu-west-1)' <<<"$calls")"
check_eq "no --query on the saved outputs" 0 "$(grep -c -- '--query' <<<"$calls")"
check "prefix-list entries asked by ID, in the list's region" \
  grep -q -- '--region us-east-1 ec2 get-managed-prefix-list-entries --prefix-list-id pl-63a5400a' <<<"$calls"
check "describe-regions asks for enabled regions only" \
  test -z "$(grep -- '--all-regions' <<<"$calls")"

# ---- region selection, pass-through options, parallelism --------------------------------------------
echo "# options"
run_export "$tmp/only-us" --regions us-east-1
check_eq "--regions us-east-1: exit 0 (nothing failed)" 0 "$rc"
check_eq "--regions us-east-1: only that region exported" "$(expected_tree us-east-1)" "$(tree_of "$tmp/only-us")"
check "--regions: summary says $((18 + iam_calls + service_calls)) calls, 0 failed" \
  grep -q "$((18 + iam_calls + service_calls)) calls, 0 failed" "$tmp/err"

run_export "$tmp/excl" --exclude-regions=eu-west-1
check_eq "--exclude-regions eu-west-1: exit 0" 0 "$rc"
check_eq "--exclude-regions eu-west-1: the other region only" "$(expected_tree us-east-1)" "$(tree_of "$tmp/excl")"

HOME_REGION="" run_export "$tmp/pass" --regions eu-west-1 --endpoint-url http://127.0.0.1:4566 --profile audit --parallel 1
check_eq "--endpoint-url/--profile run: exit 3 (flow logs fail)" 3 "$rc"
check "no region configured: the profile's region is looked up" grep -qx 'configure get region --profile audit ' "$tmp/aws.log"
calls="$(grep -v -e '^--version' -e '^configure ' "$tmp/aws.log")"
n="$(grep -c . <<<"$calls")"
check_eq "--endpoint-url passed to every call" "$n" "$(grep -c -- '--endpoint-url http://127.0.0.1:4566' <<<"$calls")"
check_eq "--profile passed to every call" "$n" "$(grep -c -- '--profile audit' <<<"$calls")"
check_eq "account-wide calls use the first requested region when no region is configured" \
  "2" "$(grep -cE -- '--region eu-west-1 (sts get-caller-identity|ec2 describe-regions)' <<<"$calls")"

run_export "$tmp/par" --parallel 1
check_eq "--parallel 1: same result" "3 $(expected_tree eu-west-1 us-east-1)" "$rc $(tree_of "$tmp/par")"

FAKE_AWS_VERSION="aws-cli/1.45.11 Python/3.11.7 Linux/6.1.0 botocore/1.43.11" run_export "$tmp/v1" --regions us-east-1
check_eq "AWS CLI v1: exit 0, the same tree" "0 $(expected_tree us-east-1)" "$rc $(tree_of "$tmp/v1")"
check_eq "AWS CLI v1: no --no-cli-pager (v1 rejects it)" 0 "$(grep -c -- '--no-cli-pager' "$tmp/aws.log")"

run_export "$tmp/disabled" --regions ap-south-1
check_eq "a region that is not enabled: exit 3" 3 "$rc"
check_eq "a region that is not enabled: AuthFailure recorded for each call" 14 \
  "$(cat "$tmp/disabled"/ap-south-1/ec2/*.error.json | jq -s '[.[] | select(.FortressCollectionError.ErrorCode == "AuthFailure")] | length')"

# ---- partial output, stale files, escaping ------------------------------------------------------------
echo "# failures mid-way"
dir="$tmp/only-us"  # holds a complete us-east-1 export from above
FAKE_AWS_FAIL="us-east-1/get-managed-prefix-list-entries/pl-63a5400a=Throttling:254:partial" \
  FAKE_AWS_FAIL_MESSAGE=$'Rate "exceeded" for C:\\path\tnow' run_export "$dir" --regions us-east-1
pl_err="$dir/us-east-1/ec2/get-managed-prefix-list-entries/pl-63a5400a.error.json"
check_eq "throttled entries call: exit 3" 3 "$rc"
check "partial and stale .json of the failed call deleted" \
  test ! -e "$dir/us-east-1/ec2/get-managed-prefix-list-entries/pl-63a5400a.json"
check "the other prefix list's entries still there" \
  test -s "$dir/us-east-1/ec2/get-managed-prefix-list-entries/$(jq -r '.PrefixLists[0].PrefixListId' "$demo/us-east-1/ec2/describe-managed-prefix-lists.json").json"
check_eq "entries error record: command, code, PrefixListId" "get-managed-prefix-list-entries Throttling pl-63a5400a" \
  "$(jq -r '.FortressCollectionError | "\(.Command) \(.ErrorCode) \(.PrefixListId)"' "$pl_err" 2>&1)"
check_eq "quotes, backslashes and tabs in the message survive JSON escaping" \
  $'An error occurred (Throttling) when calling the GetManagedPrefixListEntries operation: Rate "exceeded" for C:\\path\tnow' \
  "$(jq -r '.FortressCollectionError.Message' "$pl_err" 2>&1)"
check "no temporaries left" test -z "$(find "$dir" -type f ! -name '*.json' -print -quit)"

run_export "$dir" --regions us-east-1
check_eq "re-run that succeeds: exit 0" 0 "$rc"
check "a success removes the stale error record" test ! -e "$pl_err"
check_eq "re-run: the tree is complete again" "$(expected_tree us-east-1)" "$(tree_of "$dir")"

FAKE_AWS_FAIL="us-east-1/describe-regions=UnauthorizedOperation:254" run_export "$tmp/noregions"
check_eq "describe-regions denied and no --regions: exit 1" 1 "$rc"
check "describe-regions denied: recorded account-wide with Region \"\"" \
  test "$(jq -r '.FortressCollectionError | "\(.Command)|\(.Region)"' "$tmp/noregions/ec2/describe-regions.error.json" 2>&1)" = "describe-regions|"
check "describe-regions denied: tells the user to pass --regions" grep -q -- '--regions' "$tmp/err"

# ---- usage ----------------------------------------------------------------------------------------------
echo "# usage errors"
usage_case() {  # description args...
  local description="$1"
  shift
  run_export "$@"
  check_eq "usage error exits 2: $description" 2 "$rc"
}
usage_case "no OUTDIR"
usage_case "unknown option" "$tmp/u" --bogus
usage_case "--parallel 0" "$tmp/u" --parallel 0
usage_case "--parallel abc" "$tmp/u" --parallel abc
usage_case "--regions without a value" "$tmp/u" --regions
usage_case "--regions with a bad name" "$tmp/u" --regions us-east-1,../etc
usage_case "--regions empty" "$tmp/u" --regions ,
usage_case "two OUTDIRs" "$tmp/u" "$tmp/v"
usage_case "--endpoint-url not a URL" "$tmp/u" --endpoint-url localhost:4566
check "usage errors write nothing" test ! -e "$tmp/u"
check_eq "usage errors call no aws" "" "$(cat "$tmp/aws.log")"
run_export --help
check_eq "--help exits 0" 0 "$rc"
check "--help names the permissions" grep -q 'SecurityAudit' "$tmp/out"

# ---- fortress scan of the export ---------------------------------------------------------------------
echo "# fortress scan of the export"
if [[ -z "$fortress" || ! -x "$fortress" ]]; then
  echo "skip - no fortress binary given (bash $0 path/to/fortress)"
elif ! "$fortress" scan --help >/dev/null 2>&1; then
  echo "skip - '$fortress scan' is not available yet"
else
  "$fortress" scan "$out" --format json >"$tmp/scan.json" 2>"$tmp/scan.err"
  scan_rc=$?
  check_eq "fortress scan of the export exits 3 (incomplete)" 3 "$scan_rc"
  check "fortress scan --format json prints JSON" jq empty "$tmp/scan.json"
  # Wherever the report keeps coverage, some object with a status "error" must belong to
  # ec2/describe-flow-logs in eu-west-1 (by its own fields or the keys above it).
  coverage_error="$(jq '
    [ paths(type == "object") as $p
      | getpath($p) as $o
      | select([$o | to_entries[] | select((.key | ascii_downcase | test("status")) and .value == "error")] | length > 0)
      | ([$p[] | strings] + [$o[] | strings]) | join(" ")
      | select(test("eu-west-1") and test("describe-flow-logs")) ] | length > 0' "$tmp/scan.json" 2>/dev/null)"
  check_eq "coverage of ec2/describe-flow-logs in eu-west-1 is \"error\"" true "$coverage_error"
  check_eq "coverage of ec2/describe-flow-logs in us-east-1 is not \"error\"" false \
    "$(jq '[ paths(type == "object") as $p | getpath($p) as $o
      | select([$o | to_entries[] | select((.key | ascii_downcase | test("status")) and .value == "error")] | length > 0)
      | ([$p[] | strings] + [$o[] | strings]) | join(" ")
      | select(test("us-east-1") and test("describe-flow-logs")) ] | length > 0' "$tmp/scan.json" 2>/dev/null)"
  # The data the fake aws served (the demo plus the other services' files): the ELBv2 files take part
  # in the findings (exposure through load balancers), so the comparison is with all of it.
  "$fortress" scan "$data" --format json >"$tmp/demo-scan.json" 2>/dev/null
  check "the export scans to the same findings as the data it was served from" \
    cmp -s <(jq -S '.findings' "$tmp/scan.json" 2>&1) <(jq -S '.findings' "$tmp/demo-scan.json" 2>&1)
  if [[ "$scan_rc" != 3 || "$coverage_error" != true ]]; then
    head -c 2000 "$tmp/scan.err" | sed 's/^/       stderr: /'
  fi
fi

# ---- the real AWS CLI against the local AWS test endpoint -----------------------------------------
# Proves the script's arguments, paging and error parsing against the real CLI talking the real wire
# protocols: fortress-test-endpoint (built beside fortress) serves the same data the fake aws answered
# from. The CLI only ever sees the local endpoint: test keys, no config files, no instance metadata,
# and a dead proxy for anything else.
echo "# the real AWS CLI against the local AWS test endpoint"
real_aws=""
for candidate in /usr/bin/aws /usr/local/bin/aws; do
  if [[ -x "$candidate" ]] && "$candidate" --version 2>&1 | grep -q '^aws-cli/'; then real_aws="$candidate" && break; fi
done
endpoint_bin="${fortress:+$(dirname -- "$fortress")/fortress-test-endpoint}"
if [[ -z "$real_aws" ]]; then
  echo "skip - no AWS CLI installed (Debian: apt-get install awscli)"
elif [[ -z "$endpoint_bin" || ! -x "$endpoint_bin" ]]; then
  echo "skip - fortress-test-endpoint is not built beside fortress"
else
  mkdir -p "$tmp/realbin"
  ln -s "$real_aws" "$tmp/realbin/aws"
  "$endpoint_bin" --fixture "$data" --port-file "$tmp/port" --log "$tmp/endpoint.log" 2>/dev/null &
  server_pid=$!
  # Up to 60 s: on a machine busy with builds the endpoint can take seconds to load its fixture.
  for _ in $(seq 600); do [[ -s "$tmp/port" ]] && break; kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  port="$(cat "$tmp/port" 2>/dev/null)"
  if [[ -z "$port" ]]; then
    not_ok "local endpoint started"
  else
    : >"$tmp/endpoint.log"
    env -i PATH="$tmp/realbin:/usr/bin:/bin" HOME="$tmp/home" TMPDIR="$tmp" \
      AWS_CONFIG_FILE="$tmp/no-config" AWS_SHARED_CREDENTIALS_FILE="$tmp/no-credentials" \
      AWS_ACCESS_KEY_ID=AKIDFORTRESSTEST AWS_SECRET_ACCESS_KEY=fortress-test-secret-key \
      AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
      HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost \
      bash "$script" "$tmp/real" --endpoint-url "http://127.0.0.1:$port" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    check_eq "real CLI: exit 3 (eu-west-1 flow logs denied)" 3 "$rc"
    check_eq "real CLI: file tree (the enabled regions from describe-regions)" \
      "$(expected_tree eu-west-1 us-east-1)" "$(tree_of "$tmp/real")"
    check "real CLI: every file is valid JSON" all_json_valid "$tmp/real"
    same_json=1
    while IFS= read -r f; do
      [[ "$f" == *.error.json ]] && continue
      cmp -s <(jq -S . "$data/$f" 2>&1) <(jq -S . "$tmp/real/$f" 2>&1) || { same_json=0 && echo "       differs: $f"; }
    done < <(tree_of "$tmp/real")
    check "real CLI: every saved output holds what the endpoint served" test "$same_json" = 1
    check_eq "real CLI: error record from the CLI's real stderr" \
      "UnauthorizedOperation|An error occurred (UnauthorizedOperation) when calling the DescribeFlowLogs operation: You are not authorized to perform this operation.|254" \
      "$(jq -r '.FortressCollectionError | "\(.ErrorCode)|\(.Message)|\(.ExitCode)"' "$tmp/real/eu-west-1/ec2/describe-flow-logs.error.json" 2>&1)"
    served="$(grep -c . "$tmp/endpoint.log")"
    check "real CLI: every call reached the local endpoint (at least one request each)" \
      test "$served" -ge "$total_calls"
    check_eq "real CLI: every request signed correctly (none refused)" "" \
      "$(grep -E ' (AuthFailure|SignatureDoesNotMatch|InvalidClientTokenId|MissingAuthenticationToken)' "$tmp/endpoint.log")"
    check "real CLI: no secret key in the snapshot" \
      test -z "$(grep -rl 'fortress-test-secret-key' "$tmp/real")"
  fi
fi

echo "$passed passed, $failed failed"
((failed == 0))
