#!/usr/bin/env bash
# export-aws-cli.sh — export an AWS account's security configuration as a fortress snapshot.
#
# Usage: export-aws-cli.sh OUTDIR [--regions r1,r2] [--exclude-regions r3,r4] [--endpoint-url URL]
#                                 [--profile P] [--parallel N]
#
# Runs the AWS CLI (v2; v1 works too) with the credentials it finds (AWS CloudShell, a profile, the
# environment, an instance role) and saves the exact JSON output of each call, one file per call:
#
#   OUTDIR/sts/get-caller-identity.json                    account-wide (no region folder)
#   OUTDIR/ec2/describe-regions.json                       the regions the account has enabled
#   OUTDIR/<region>/ec2/<command>.json                     describe-vpcs, describe-subnets, ...
#   OUTDIR/<region>/ec2/get-managed-prefix-list-entries/<pl-id>.json
#   OUTDIR/iam/<command>.json                              credential report, authorization details, ...
#   OUTDIR/<region>/<service>/<command>.json               elbv2, cloudtrail, configservice, guardduty,
#                                                          ssm, inspector2, autoscaling, accessanalyzer,
#                                                          logs, cloudwatch
#   OUTDIR/<region>/<service>/<command>/<id>.json          one call per resource: listeners per load
#                                                          balancer, trail status per trail, ... (an ID
#                                                          with other characters than [A-Za-z0-9._-],
#                                                          an ARN, is percent-encoded into the name)
#
# These are the files `fortress collect` writes too (src/collect/operations.cpp lists the same calls):
# the two paths are interchangeable.
#
# Every enabled region is exported (ec2 describe-regions without --all-regions), unless --regions
# names them; --exclude-regions drops some. Regions run in parallel (--parallel, default 4), one
# progress line per region on stderr. A call that fails (AccessDenied, a region that is not enabled,
# throttling that outlasted the CLI's own retries) does not stop the export: it leaves
#   OUTDIR/<region>/ec2/<command>.error.json
# holding {"FortressCollectionError": {...}} (see src/load/collection_error.h), no .json for that call,
# and the export carries on, so fortress reports that dataset as "error" (NOT_ASSESSED), never as empty.
#
# Exit status: 0 every call succeeded; 3 some calls failed (the snapshot is incomplete, as fortress
# says of such a scan); 2 usage error; 1 the export could not run at all (no aws CLI, OUTDIR unwritable,
# no region list).
#
# Permissions (read-only; the AWS managed policy SecurityAudit grants all of them, and so does
# ReadOnlyAccess):
#   sts:GetCallerIdentity                                  (IAM always allows it)
#   ec2:DescribeRegions, ec2:DescribeVpcs, ec2:DescribeSubnets, ec2:DescribeSecurityGroups,
#   ec2:DescribeSecurityGroupRules, ec2:DescribeNetworkInterfaces, ec2:DescribeInstances,
#   ec2:DescribeRouteTables, ec2:DescribeNetworkAcls, ec2:DescribeInternetGateways,
#   ec2:DescribeEgressOnlyInternetGateways, ec2:DescribeNatGateways, ec2:DescribeFlowLogs,
#   ec2:DescribeVpcPeeringConnections, ec2:DescribeManagedPrefixLists   (together: ec2:Describe*)
#   ec2:GetManagedPrefixListEntries
#   and the read-only calls of the other services listed in docs/permissions.md
#
# The script is read-only: it calls only Describe*/Get* APIs, changes nothing in the account, and
# writes nothing but OUTDIR. The CLI never prints credentials, and none are written to OUTDIR.
# Needs bash 4+ and the AWS CLI; nothing else (no jq, no python).
set -euo pipefail

readonly PROG="export-aws-cli.sh"

# The per-region calls, in the order they run. Their outputs are the datasets of src/model/dataset.h.
readonly REGION_COMMANDS=(
  describe-vpcs
  describe-subnets
  describe-security-groups
  describe-security-group-rules
  describe-network-interfaces
  describe-instances
  describe-route-tables
  describe-network-acls
  describe-internet-gateways
  describe-egress-only-internet-gateways
  describe-nat-gateways
  describe-flow-logs
  describe-vpc-peering-connections
  describe-managed-prefix-lists
)

# The per-region calls of the other services ("cli-service command"), after the ec2 ones.
readonly REGION_SERVICE_COMMANDS=(
  "elbv2 describe-load-balancers"
  "elbv2 describe-target-groups"
  "cloudtrail describe-trails"
  "configservice describe-configuration-recorders"
  "configservice describe-configuration-recorder-status"
  "guardduty list-detectors"
  "ssm describe-instance-information"
  "ssm list-resource-compliance-summaries"
  "inspector2 batch-get-account-status"
  "autoscaling describe-auto-scaling-instances"
  "accessanalyzer list-analyzers"
  "logs describe-metric-filters"
  "cloudwatch describe-alarms"
)

# Account-wide IAM calls, after iam generate-credential-report (polled until the report is COMPLETE)
# and iam get-credential-report.
readonly IAM_COMMANDS=(
  get-account-authorization-details
  get-account-summary
  get-account-password-policy
  list-virtual-mfa-devices
)

usage() {
  cat <<'EOF'
Usage: export-aws-cli.sh OUTDIR [options]

Exports the account's EC2 network configuration (every enabled region) as AWS CLI JSON files for
`fortress scan OUTDIR`. Read-only. Needs sts:GetCallerIdentity, ec2:Describe*,
ec2:GetManagedPrefixListEntries (the SecurityAudit managed policy has them).

Options:
  --regions r1,r2          export only these regions (default: every enabled region)
  --exclude-regions r3,r4  skip these regions
  --endpoint-url URL       passed to every aws call (testing against a local endpoint)
  --profile P              AWS CLI profile to use
  --parallel N             regions exported at the same time (default 4)
  -h, --help               this help

Exit status: 0 complete, 3 some calls failed (see OUTDIR/**/*.error.json), 2 usage error, 1 cannot run.
EOF
}

usage_error() {
  echo "$PROG: $*" >&2
  echo "Try '$PROG --help'." >&2
  exit 2
}

fatal() {
  echo "$PROG: $*" >&2
  exit 1
}

if ((BASH_VERSINFO[0] < 4)); then
  echo "$PROG: needs bash 4 or newer (this is $BASH_VERSION)" >&2
  exit 2
fi

# ---- arguments -------------------------------------------------------------------------------------
outdir=""
regions_arg=""
regions_given=0
exclude_arg=""
endpoint_url=""
profile=""
parallel=4

need_value() {  # option, remaining-arg-count
  (($2 >= 2)) || usage_error "option $1 needs a value"
}

while (($# > 0)); do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --regions)
      need_value "$1" $#
      regions_arg="$2" regions_given=1
      shift 2
      ;;
    --regions=*) regions_arg="${1#*=}" regions_given=1 && shift ;;
    --exclude-regions)
      need_value "$1" $#
      exclude_arg="$2"
      shift 2
      ;;
    --exclude-regions=*) exclude_arg="${1#*=}" && shift ;;
    --endpoint-url)
      need_value "$1" $#
      endpoint_url="$2"
      shift 2
      ;;
    --endpoint-url=*) endpoint_url="${1#*=}" && shift ;;
    --profile)
      need_value "$1" $#
      profile="$2"
      shift 2
      ;;
    --profile=*) profile="${1#*=}" && shift ;;
    --parallel)
      need_value "$1" $#
      parallel="$2"
      shift 2
      ;;
    --parallel=*) parallel="${1#*=}" && shift ;;
    --) shift && break ;;
    -*) usage_error "unknown option: $1" ;;
    *)
      [[ -z "$outdir" ]] || usage_error "unexpected argument: $1 (OUTDIR is already $outdir)"
      outdir="$1"
      shift
      ;;
  esac
done
while (($# > 0)); do
  [[ -z "$outdir" ]] || usage_error "unexpected argument: $1 (OUTDIR is already $outdir)"
  outdir="$1"
  shift
done

[[ -n "$outdir" ]] || usage_error "missing OUTDIR"
if ! [[ "$parallel" =~ ^[1-9][0-9]?$ ]] || ((parallel > 64)); then
  usage_error "--parallel wants a number from 1 to 64, not '$parallel'"
fi
[[ -z "$endpoint_url" || "$endpoint_url" =~ ^https?:// ]] || usage_error "--endpoint-url wants an http:// or https:// URL, not '$endpoint_url'"

readonly REGION_RE='^[a-z]{2}(-[a-z]+)+-[0-9]+$'

# "a,b c" -> (a b c), each checked to look like a region name.
split_regions() {  # text -> one name per line
  local item
  local -a items=()
  IFS=', ' read -r -a items <<<"$1" || true
  for item in ${items[@]+"${items[@]}"}; do [[ -z "$item" ]] || printf '%s\n' "$item"; done
}
requested=()
excluded=()
while IFS= read -r item; do requested+=("$item"); done < <(split_regions "$regions_arg")
while IFS= read -r item; do excluded+=("$item"); done < <(split_regions "$exclude_arg")
for item in ${requested[@]+"${requested[@]}"} ${excluded[@]+"${excluded[@]}"}; do
  [[ "$item" =~ $REGION_RE ]] || usage_error "'$item' is not a region name (like us-east-1)"
done
if ((regions_given && ${#requested[@]} == 0)); then
  usage_error "--regions needs at least one region"
fi

command -v aws >/dev/null 2>&1 || fatal "the AWS CLI (aws) is not on PATH; in AWS CloudShell it is preinstalled"

# ---- the aws invocation ------------------------------------------------------------------------------
export AWS_PAGER=""  # never page (CLI v2); --no-cli-pager below says the same per call
common=(--output json)
cli_version="$(aws --version 2>&1 || true)"
# AWS CLI v1 has no pager and rejects --no-cli-pager.
[[ "$cli_version" == aws-cli/1.* ]] || common+=(--no-cli-pager)
[[ -z "$endpoint_url" ]] || common+=(--endpoint-url "$endpoint_url")
[[ -z "$profile" ]] || common+=(--profile "$profile")

# The region for the account-wide calls: the CLI's own configuration, else the first requested region.
home_region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
if [[ -z "$home_region" ]]; then
  if [[ -n "$profile" ]]; then
    home_region="$(aws configure get region --profile "$profile" 2>/dev/null || true)"
  else
    home_region="$(aws configure get region 2>/dev/null || true)"
  fi
fi
if [[ -z "$home_region" ]]; then
  if ((regions_given)); then home_region="${requested[0]}"; else home_region="us-east-1"; fi
fi

# ---- output directory and bookkeeping ----------------------------------------------------------------
mkdir -p -- "$outdir" 2>/dev/null || fatal "cannot create $outdir"
[[ -w "$outdir" ]] || fatal "cannot write to $outdir"
if [[ -n "$(find "$outdir" -mindepth 1 -maxdepth 1 -print -quit 2>/dev/null)" ]]; then
  echo "$PROG: note: $outdir is not empty; files of this export replace same-named ones, others stay" >&2
fi

workdir="$(mktemp -d "${TMPDIR:-/tmp}/fortress-export.XXXXXX")" || fatal "cannot create a temporary directory"
# shellcheck disable=SC2317  # invoked by the trap
cleanup() { rm -rf -- "$workdir"; }
# shellcheck disable=SC2317  # invoked by the traps
on_signal() {
  trap - INT TERM
  local pid
  for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  find "$outdir" -name '*.json.tmp' -type f -delete 2>/dev/null || true
  echo "$PROG: interrupted; $outdir is incomplete" >&2
  exit 130
}
trap cleanup EXIT
trap on_signal INT TERM

# Escapes a string for a JSON string literal (without the quotes). Bytes >= 0x80 pass through: the
# CLI writes UTF-8.
json_escape() {
  local LC_ALL=C s="$1" i c
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  s="${s//$'\n'/\\n}"
  s="${s//$'\r'/\\r}"
  s="${s//$'\t'/\\t}"
  [[ "$s" == *[$'\x01'-$'\x1f']* ]] || { printf '%s' "$s"; return; }
  for ((i = 1; i < 32; i++)); do
    printf -v c '%b' "\\x$(printf %02x "$i")"
    [[ "$s" == *"$c"* ]] || continue
    s="${s//"$c"/\\u$(printf %04x "$i")}"
  done
  printf '%s' "$s"
}

# The ErrorCode of a failed call: the service's code from "An error occurred (CODE) when calling ...",
# else a name for the CLI's own failures.
error_code_of() {  # stderr-text
  local text="$1" code
  code="$(sed -n 's/.*An error occurred (\([^)]*\)).*/\1/p' <<<"$text" | head -n 1)"
  if [[ -z "$code" ]]; then
    case "$text" in
      *"Unable to locate credentials"* | *"NoCredentialProviders"*) code="NoCredentials" ;;
      *"Token has expired"* | *"token has expired"* | *"Error when retrieving token"*) code="ExpiredToken" ;;
      *"Could not connect to the endpoint URL"* | *"Connect timeout"* | *"Read timeout"*) code="EndpointConnectionError" ;;
      *"You must specify a region"*) code="NoRegion" ;;
      *"SSL validation failed"*) code="SSLError" ;;
      *) code="CliError" ;;
    esac
  fi
  printf '%s' "$code"
}

# Writes the FortressCollectionError record of a failed call to `file`.
write_error_record() {  # file service command region exit-code stderr-file [prefix-list-id]
  local file="$1" service="$2" command="$3" region="$4" rc="$5" errfile="$6" plid="${7:-}"
  local text code now extra=""
  text="$(head -c 8000 -- "$errfile" 2>/dev/null || true)"
  # Trim surrounding blank lines and spaces (the CLI starts its error with an empty line).
  text="$(printf '%s' "$text" | sed -e 's/[[:space:]]*$//' | sed -e '/./,$!d')"
  text="${text#"${text%%[![:space:]]*}"}"
  # Defence in depth: the CLI never prints secrets, but never let an access key ID through either.
  text="$(printf '%s' "$text" | sed -E 's/(AKIA|ASIA)[A-Z0-9]{16}/\1****************/g')"
  [[ -n "$text" ]] || text="aws $service $command exited with status $rc and printed nothing"
  code="$(error_code_of "$text")"
  now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  [[ -z "$plid" ]] || extra=$',\n        "PrefixListId": "'"$(json_escape "$plid")"'"'
  {
    printf '{\n    "FortressCollectionError": {\n'
    printf '        "Service": "%s",\n' "$(json_escape "$service")"
    printf '        "Command": "%s",\n' "$(json_escape "$command")"
    printf '        "Region": "%s",\n' "$(json_escape "$region")"
    printf '        "ErrorCode": "%s",\n' "$(json_escape "$code")"
    printf '        "Message": "%s",\n' "$(json_escape "$text")"
    printf '        "ExitCode": %d,\n' "$rc"
    printf '        "Time": "%s"%s\n' "$now" "$extra"
    printf '    }\n}\n'
  } >"$file.tmp"
  mv -f -- "$file.tmp" "$file"
  printf '%s' "$code"
}

# Runs one aws call and saves its output as <base>.json, or on failure <base>.error.json.
# Appends "ok|fail <TAB> region <TAB> call <TAB> code" to the log file. Returns 0 on success.
run_call() {  # log region base service command [prefix-list-id] -- extra aws args...
  local log="$1" region="$2" base="$3" service="$4" command="$5" plid="$6"
  shift 6
  local out="$base.json" err="$base.error.json" stderr_file rc=0 code label
  local region_args=()
  [[ -z "$region" ]] && region_args=(--region "$home_region") || region_args=(--region "$region")
  label="$service $command${plid:+ $plid}"
  mkdir -p -- "$(dirname -- "$base")"
  stderr_file="$(mktemp "$workdir/stderr.XXXXXX")"
  aws "${common[@]}" "${region_args[@]}" "$service" "$command" "$@" </dev/null >"$out.tmp" 2>"$stderr_file" || rc=$?
  if ((rc == 0)); then
    mv -f -- "$out.tmp" "$out"
    rm -f -- "$err" "$stderr_file"
    printf 'ok\t%s\t%s\t\n' "${region:-account-wide}" "$label" >>"$log"
    return 0
  fi
  # Failed: no .json (partial or stale) may survive next to the error record.
  rm -f -- "$out.tmp" "$out"
  code="$(write_error_record "$err" "$service" "$command" "$region" "$rc" "$stderr_file" "$plid")"
  rm -f -- "$stderr_file"
  printf 'fail\t%s\t%s\t%s\n' "${region:-account-wide}" "$label" "$code" >>"$log"
  return 1
}

# The prefix-list IDs in a describe-managed-prefix-lists output. The CLI prints one member per line
# ("PrefixListId": "pl-..."), and in this output the member appears only as each list's own ID.
prefix_list_ids() {  # file
  grep -oE '"PrefixListId"[[:space:]]*:[[:space:]]*"pl-[0-9A-Za-z]+"' -- "$1" 2>/dev/null |
    grep -oE 'pl-[0-9A-Za-z]+' | sort -u || true
}

# The values of one string member wherever it appears in a CLI output ("TrailARN": "arn:..."), for
# the calls made once per resource. Each listed member appears only as its resource's own ID.
member_values() {  # file member
  grep -oE "\"$2\"[[:space:]]*:[[:space:]]*\"[^\"]+\"" -- "$1" 2>/dev/null |
    sed -E 's/^.*:[[:space:]]*"([^"]*)"$/\1/' | sort -u || true
}

# The SNS topic ARNs among the AlarmActions of the metric alarms of a describe-alarms output (the CLI
# prints one list item per line; composite alarms, OKActions and InsufficientDataActions are left out,
# as fortress collect leaves them out: MetricAlarms[].AlarmActions[]).
alarm_topic_arns() {  # file
  awk '
    /^    "[A-Za-z]+": / { section = $0; sub(/^    "/, "", section); sub(/".*/, "", section) }
    section == "MetricAlarms" && /^            "AlarmActions": \[$/ { in_actions = 1; next }
    in_actions && /^            \]/ { in_actions = 0; next }
    in_actions {
      v = $0; sub(/^[[:space:]]*"/, "", v); sub(/",?[[:space:]]*$/, "", v)
      if (v ~ /^arn:[^:]+:sns:/) print v
    }' "$1" 2>/dev/null | awk '!seen[$0]++' || true
}

# A resource ID as a file name, as fortress collect names it: the ID itself when it holds only
# [A-Za-z0-9._-], else every other byte as %XX (an ARN's ':' and '/').
file_name_for_id() {  # id
  local LC_ALL=C s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      [A-Za-z0-9._-]) out+="$c" ;;
      *) printf -v c '%%%02X' "'$c" && out+="$c" ;;
    esac
  done
  printf '%s' "$out"
}

# One call per resource ID found in a parent call's output.
fan_out() {  # log region parent-file member service command option
  local log="$1" region="$2" parent="$3" member="$4" service="$5" command="$6" option="$7" id
  [[ -f "$parent" ]] || return 0
  while IFS= read -r id; do
    [[ -n "$id" ]] || continue
    run_call "$log" "$region" "$outdir/$region/$service/$command/$(file_name_for_id "$id")" "$service" "$command" "" \
      "$option" "$id" || true
  done < <(member_values "$parent" "$member")
}

# The enabled regions in a describe-regions output. Without --all-regions the CLI lists only enabled
# ones; a region marked "not-opted-in" (as --all-regions shows them) is skipped all the same. The CLI
# prints one member per line, so this reads it line by line, one Regions[] object at a time.
enabled_regions() {  # file
  awk '
    /"RegionName"/ { name = $0; sub(/.*"RegionName"[[:space:]]*:[[:space:]]*"/, "", name); sub(/".*/, "", name) }
    /"OptInStatus"/ { status = $0; sub(/.*"OptInStatus"[[:space:]]*:[[:space:]]*"/, "", status); sub(/".*/, "", status) }
    /}/ { if (name != "" && status != "not-opted-in") print name; name = ""; status = "" }
  ' "$1"
}

# Describes a region's failures in a few words: the calls when few, else the error codes with counts.
failure_summary() {  # log
  awk -F '\t' '
    $1 == "fail" { n++; calls = calls sep $3 ": " $4; sep = ", "; count[$4]++ }
    END {
      if (n == 0) exit
      if (n <= 3) { printf " (%s)", calls; exit }
      out = ""; s = ""
      for (c in count) { out = out s c " x" count[c]; s = ", " }
      printf " (%s)", out
    }' "$1"
}

# Exports one region; prints its progress line on stderr when done.
export_region() {  # region index total
  local region="$1" index="$2" total="$3"
  local log="$workdir/region.$region.log" dir="$outdir/$region/ec2" command plid calls failed
  : >"$log"
  for command in "${REGION_COMMANDS[@]}"; do
    run_call "$log" "$region" "$dir/$command" ec2 "$command" "" || true
  done
  if [[ -f "$dir/describe-managed-prefix-lists.json" ]]; then
    while IFS= read -r plid; do
      [[ -n "$plid" ]] || continue
      run_call "$log" "$region" "$dir/get-managed-prefix-list-entries/$plid" ec2 get-managed-prefix-list-entries "$plid" \
        --prefix-list-id "$plid" || true
    done < <(prefix_list_ids "$dir/describe-managed-prefix-lists.json")
  fi
  local entry service
  for entry in "${REGION_SERVICE_COMMANDS[@]}"; do
    service="${entry%% *}" command="${entry#* }"
    run_call "$log" "$region" "$outdir/$region/$service/$command" "$service" "$command" "" || true
  done
  local base="$outdir/$region"
  fan_out "$log" "$region" "$base/elbv2/describe-load-balancers.json" LoadBalancerArn elbv2 describe-listeners \
    --load-balancer-arn
  fan_out "$log" "$region" "$base/elbv2/describe-target-groups.json" TargetGroupArn elbv2 describe-target-health \
    --target-group-arn
  fan_out "$log" "$region" "$base/cloudtrail/describe-trails.json" TrailARN cloudtrail get-trail-status --name
  fan_out "$log" "$region" "$base/cloudtrail/describe-trails.json" TrailARN cloudtrail get-event-selectors \
    --trail-name
  # list-detectors prints the IDs as a bare list of strings (32 hexadecimal characters each).
  if [[ -f "$base/guardduty/list-detectors.json" ]]; then
    while IFS= read -r id; do
      run_call "$log" "$region" "$base/guardduty/get-detector/$id" guardduty get-detector "" --detector-id "$id" || true
    done < <(grep -oE '"[0-9a-f]{32}"' -- "$base/guardduty/list-detectors.json" | tr -d '"' | sort -u)
  fi
  # The subscriptions of each SNS topic an alarm notifies (CIS 4.x: is anyone told?).
  if [[ -f "$base/cloudwatch/describe-alarms.json" ]]; then
    while IFS= read -r id; do
      [[ -n "$id" ]] || continue
      run_call "$log" "$region" "$base/sns/list-subscriptions-by-topic/$(file_name_for_id "$id")" sns \
        list-subscriptions-by-topic "" --topic-arn "$id" || true
    done < <(alarm_topic_arns "$base/cloudwatch/describe-alarms.json")
  fi
  calls="$(wc -l <"$log")"
  failed="$(grep -c '^fail' "$log" || true)"
  echo "$PROG: [$index/$total] $region: $((calls)) calls, $((failed)) failed$(failure_summary "$log")" >&2
}

# ---- account-wide calls ----------------------------------------------------------------------------
global_log="$workdir/global.log"
: >"$global_log"
echo "$PROG: exporting to $outdir (account-wide calls via $home_region)" >&2
run_call "$global_log" "" "$outdir/sts/get-caller-identity" sts get-caller-identity "" || true
regions_ok=1
run_call "$global_log" "" "$outdir/ec2/describe-regions" ec2 describe-regions "" || regions_ok=0

# IAM: ask for a fresh credential report, wait (up to ~30 s) until IAM says it is COMPLETE, fetch it.
report="$outdir/iam/generate-credential-report"
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  run_call "$global_log" "" "$report" iam generate-credential-report "" || break
  grep -q '"State"[[:space:]]*:[[:space:]]*"COMPLETE"' -- "$report.json" && break
  ((attempt == 10)) || sleep 3
done
run_call "$global_log" "" "$outdir/iam/get-credential-report" iam get-credential-report "" || true
for command in "${IAM_COMMANDS[@]}"; do
  run_call "$global_log" "" "$outdir/iam/$command" iam "$command" "" || true
done

# ---- which regions -----------------------------------------------------------------------------------
regions=()
if ((regions_given)); then
  regions=("${requested[@]}")
elif ((regions_ok)); then
  while IFS= read -r r; do
    if [[ "$r" =~ $REGION_RE ]]; then regions+=("$r"); fi
  done < <(enabled_regions "$outdir/ec2/describe-regions.json" | sort -u)
else
  echo "$PROG: ec2 describe-regions failed (see $outdir/ec2/describe-regions.error.json);" \
    "pass --regions to name the regions to export" >&2
fi

selected=()
for r in ${regions[@]+"${regions[@]}"}; do
  skip=0
  for x in ${excluded[@]+"${excluded[@]}"}; do [[ "$r" == "$x" ]] && skip=1; done
  ((skip)) || [[ " ${selected[*]} " == *" $r "* ]] || selected+=("$r")
done

# ---- regions, in parallel ------------------------------------------------------------------------------
can_wait_n=0
((BASH_VERSINFO[0] > 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] >= 3))) && can_wait_n=1
total=${#selected[@]}
echo "$PROG: $total region(s): ${selected[*]:-none} ($parallel at a time)" >&2
index=0
for r in ${selected[@]+"${selected[@]}"}; do
  index=$((index + 1))
  while (($(jobs -rp | wc -l) >= parallel)); do
    if ((can_wait_n)); then wait -n || true; else sleep 0.2; fi
  done
  export_region "$r" "$index" "$total" &
done
wait || true

# ---- summary -------------------------------------------------------------------------------------------
all_log="$workdir/all.log"
cat "$workdir"/global.log "$workdir"/region.*.log >"$all_log" 2>/dev/null || true
calls="$(wc -l <"$all_log")"
failed="$(grep -c '^fail' "$all_log" || true)"
echo "$PROG: done: $((calls)) calls, $((failed)) failed, $total region(s) in $outdir" >&2
if ((failed > 0)); then
  awk -F '\t' '$1 == "fail" && ++n <= 20 { printf "  failed: %s %s: %s\n", $2, $3, $4 }
    END { if (n > 20) printf "  ... and %d more (OUTDIR/**/*.error.json has them all)\n", n - 20 }' "$all_log" >&2
  echo "$PROG: the snapshot is incomplete; fortress reports those datasets as not assessed" >&2
fi
if ((total == 0 && !regions_ok && !regions_given)); then
  exit 1
fi
echo "$PROG: next: fortress scan $outdir" >&2
((failed == 0)) || exit 3
exit 0
