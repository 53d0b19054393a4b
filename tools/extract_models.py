#!/usr/bin/env python3
"""Trim botocore service models to the operations fortress calls.

Reads botocore's data directory (Debian python3-botocore by default:
/usr/lib/python3/dist-packages/botocore/data/<service>/<api-version>/{service-2,paginators-1}.json)
and writes one file per service to src/aws/models/<service>.json holding:

  metadata    the service's metadata, plus fortressBotocoreVersion / fortressSource (provenance)
  operations  only the listed operations (documentation dropped)
  shapes      only the shapes those operations reach (input, output, errors; documentation dropped)
  paginators  paginators-1.json entries for those operations

The C++ protocol layer (src/aws/shape_model.h, protocol.h) interprets these files at run time. The
same models are also compiled into the binary: src/aws/protocol_models_data.cpp (generated here,
compact JSON in raw string literals) backs builtin_model() in src/aws/protocol_models.h, so the CLI
needs no data files at run time.
Re-run after a botocore upgrade and commit the output:

    python3 tools/extract_models.py [--data-dir DIR] [--out-dir src/aws/models]

Standard library only. Member order is preserved (it is the order the AWS CLI prints).
"""

import argparse
import json
import os
import re
import sys

DEFAULT_BOTOCORE = "/usr/lib/python3/dist-packages/botocore"

# service (botocore data directory name) -> operations fortress calls
OPERATIONS = {
    "sts": ["GetCallerIdentity", "AssumeRole", "AssumeRoleWithWebIdentity"],
    "ec2": [
        "DescribeRegions", "DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups",
        "DescribeSecurityGroupRules", "DescribeNetworkInterfaces", "DescribeInstances",
        "DescribeRouteTables", "DescribeNetworkAcls", "DescribeInternetGateways",
        "DescribeEgressOnlyInternetGateways", "DescribeNatGateways", "DescribeFlowLogs",
        "DescribeVpcPeeringConnections", "DescribeManagedPrefixLists", "GetManagedPrefixListEntries",
    ],
    "elbv2": ["DescribeLoadBalancers", "DescribeListeners", "DescribeTargetGroups", "DescribeTargetHealth"],
    "iam": [
        "GenerateCredentialReport", "GetCredentialReport", "GetAccountAuthorizationDetails",
        "GetAccountSummary", "GetAccountPasswordPolicy", "ListVirtualMFADevices",
    ],
    "cloudtrail": ["DescribeTrails", "GetTrailStatus", "GetEventSelectors"],
    "config": ["DescribeConfigurationRecorders", "DescribeConfigurationRecorderStatus"],
    "guardduty": ["ListDetectors", "GetDetector"],
    "ssm": ["DescribeInstanceInformation", "ListResourceComplianceSummaries"],
    "inspector2": ["BatchGetAccountStatus"],
    "autoscaling": ["DescribeAutoScalingInstances"],
    "accessanalyzer": ["ListAnalyzers"],
    "organizations": ["ListAccounts"],
    "logs": ["DescribeMetricFilters"],
    "cloudwatch": ["DescribeAlarms"],
    "sns": ["ListSubscriptionsByTopic"],
}

# Keys that only document; dropping them keeps the files small and the diffs meaningful.
DOC_KEYS = ("documentation", "documentationUrl", "examples", "deprecatedMessage")


def botocore_version(botocore_dir):
    try:
        with open(os.path.join(botocore_dir, "__init__.py"), encoding="utf-8") as f:
            m = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", f.read(), re.M)
            return m.group(1) if m else "unknown"
    except OSError:
        return "unknown"


def latest_version_dir(service_dir):
    versions = sorted(d for d in os.listdir(service_dir) if os.path.isfile(os.path.join(service_dir, d, "service-2.json")))
    if not versions:
        raise SystemExit(f"no service-2.json under {service_dir}")
    return os.path.join(service_dir, versions[-1])


def strip_docs(obj):
    if isinstance(obj, dict):
        return {k: strip_docs(v) for k, v in obj.items() if k not in DOC_KEYS}
    if isinstance(obj, list):
        return [strip_docs(v) for v in obj]
    return obj


def reachable_shapes(shapes, roots):
    seen = []
    seen_set = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen_set:
            continue
        if name not in shapes:
            raise SystemExit(f"shape {name} is referenced but not defined")
        seen_set.add(name)
        seen.append(name)
        shape = shapes[name]
        refs = []
        for member in shape.get("members", {}).values():
            refs.append(member["shape"])
        for key in ("member", "key", "value"):
            if key in shape:
                refs.append(shape[key]["shape"])
        stack.extend(reversed(refs))
    return seen_set


def extract(service, operations, data_dir, version):
    vdir = latest_version_dir(os.path.join(data_dir, service))
    src = os.path.join(vdir, "service-2.json")
    with open(src, encoding="utf-8") as f:
        model = json.load(f)
    paginators = {}
    pfile = os.path.join(vdir, "paginators-1.json")
    if os.path.exists(pfile):
        with open(pfile, encoding="utf-8") as f:
            paginators = json.load(f).get("pagination", {})

    ops = {}
    roots = []
    for name in operations:
        if name not in model["operations"]:
            raise SystemExit(f"{service}: operation {name} not in {src}")
        op = strip_docs(model["operations"][name])
        ops[name] = op
        for key in ("input", "output"):
            if key in op:
                roots.append(op[key]["shape"])
        for err in op.get("errors", []):
            roots.append(err["shape"])
    keep = reachable_shapes(model["shapes"], roots)
    # Model order, so regenerated files diff cleanly.
    shapes = {name: strip_docs(shape) for name, shape in model["shapes"].items() if name in keep}

    metadata = dict(model["metadata"])
    metadata["fortressBotocoreVersion"] = version
    metadata["fortressSource"] = src
    metadata["fortressGeneratedBy"] = "tools/extract_models.py"

    out = {
        "metadata": metadata,
        "operations": ops,
        "shapes": shapes,
        "paginators": {name: paginators[name] for name in operations if name in paginators},
    }
    return out


CPP_HEADER = """// GENERATED by tools/extract_models.py from botocore {version} -- do not edit; re-run the tool.
// The trimmed service models of src/aws/models/*.json as compact JSON, for builtin_model().
#include <string_view>
#include <utility>

namespace fortress::aws::detail {{

extern const std::pair<std::string_view, std::string_view> kBuiltinModels[];
extern const unsigned kBuiltinModelCount;

"""


def write_cpp(path, models, version):
    delim = "fortress_model"
    parts = [CPP_HEADER.format(version=version)]
    names = []
    for service, model in models:
        text = json.dumps(model, separators=(",", ":"), ensure_ascii=False)
        if ")" + delim + '"' in text:
            raise SystemExit(f"{service}: model text contains the raw-string delimiter")
        ident = "kModel_" + re.sub(r"[^A-Za-z0-9]", "_", service)
        names.append((service, ident))
        parts.append(f"// {service}: {len(text)} bytes\n")
        parts.append(f'constexpr std::string_view {ident} = R"{delim}({text}){delim}";\n\n')
    parts.append("const std::pair<std::string_view, std::string_view> kBuiltinModels[] = {\n")
    for service, ident in names:
        parts.append(f'    {{"{service}", {ident}}},\n')
    parts.append("};\n")
    parts.append(f"const unsigned kBuiltinModelCount = {len(names)};\n\n")
    parts.append("}  // namespace fortress::aws::detail\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(parts))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--botocore-dir", default=DEFAULT_BOTOCORE,
                    help="botocore package directory (holds __init__.py and data/)")
    ap.add_argument("--data-dir", default=None, help="botocore data directory (default: <botocore-dir>/data)")
    ap.add_argument("--out-dir", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                      "src", "aws", "models"))
    ap.add_argument("--cpp-out", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                      "src", "aws", "protocol_models_data.cpp"),
                    help="generated C++ file embedding the models ('' to skip)")
    ap.add_argument("services", nargs="*", help="only these services (default: all; skips --cpp-out)")
    args = ap.parse_args(argv)
    data_dir = args.data_dir or os.path.join(args.botocore_dir, "data")
    version = botocore_version(args.botocore_dir)
    os.makedirs(args.out_dir, exist_ok=True)
    models = []
    for service, operations in OPERATIONS.items():
        if args.services and service not in args.services:
            continue
        model = extract(service, operations, data_dir, version)
        path = os.path.join(args.out_dir, f"{service}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(model, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"{path}: {len(model['operations'])} operations, {len(model['shapes'])} shapes, "
              f"{len(model['paginators'])} paginators (botocore {version})")
        models.append((service, model))
    if args.cpp_out and not args.services:
        write_cpp(args.cpp_out, models, version)
        print(f"{args.cpp_out}: {len(models)} embedded models")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
