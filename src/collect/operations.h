// What the live collector calls: one row per AWS operation, and the read-only allow-list every request
// passes through.
//
// Each row names the call three ways -- the botocore model (service + operation, what goes on the
// wire), the AWS CLI (service + command, what the export script runs) and the snapshot path it is
// saved under -- so the collector and scripts/export-aws-cli.sh write the same files:
//
//   account-wide:          <root>/<cli service>/<command>.json                  (sts, iam, ec2
//   describe-regions) per region:            <root>/<region>/<cli service>/<command>.json one call per
//   resource: <root>/<region>/<cli service>/<command>/<file_name_for_id(id)>.json a failed call:         the
//   same path with ".error.json" (src/load/collection_error.h)
//
// A row whose `dataset` is empty is collected and written but fills no dataset (generate-credential-
// report: it only asks IAM to build the report get-credential-report reads).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/dataset.h"

namespace fortress::collect {

enum class Scope : uint8_t {
  kAccount,  // once per account (global services; the home region's endpoint for STS/EC2)
  kRegion,   // once per collected region
};

struct OperationSpec {
  std::string_view service;      // botocore model name ("ec2", "elbv2", "config"): builtin_model(service)
  std::string_view operation;    // wire operation name ("DescribeSecurityGroups")
  std::string_view cli_service;  // AWS CLI service name ("ec2", "elbv2", "configservice")
  std::string_view command;      // AWS CLI command ("describe-security-groups")
  Scope scope = Scope::kRegion;
  std::optional<Dataset> dataset;  // nullopt: "not yet loaded" (collected, written, no Dataset)
  // Fan-out: when `parent` is set, the call runs once per ID found in the parent's merged output at
  // `ids_from` ("List[].Member" or "List[]" for a list of strings), with that ID as `param`.
  std::string_view parent;          // operation name of the call in the same service and scope
  std::string_view ids_from;        // where the IDs are in the parent's output
  std::string_view param;           // the request parameter that takes one ID
  bool multi_account_only = false;  // organizations ListAccounts: only with --org
  // After this call succeeds, repeat it (at most poll_attempts times, poll_interval apart) until
  // the member `poll_until_member` equals `poll_until_value` (IAM GenerateCredentialReport → COMPLETE).
  std::string_view poll_until_member;
  std::string_view poll_until_value;
};

// Every operation issue 3 collects, in the order they are listed there. Rows with a parent come
// after it.
[[nodiscard]] std::span<const OperationSpec> collected_operations();

// The row for a wire operation; nullptr when fortress does not collect it.
[[nodiscard]] const OperationSpec* find_collected_operation(std::string_view service,
                                                            std::string_view operation);

// The read-only allow-list: true only for operations that read state -- names starting with
// Describe, Get or List (followed by an upper-case letter), BatchGetAccountStatus, and
// GenerateCredentialReport (the one documented exception: it only asks IAM to build the credential
// report, it changes no account configuration). Every request AwsClient sends passes this check.
[[nodiscard]] bool is_read_only_operation(std::string_view service, std::string_view operation);

// The snapshot path of one call, relative to the root, without the ".json" / ".error.json" suffix.
// `region` is ignored for account-wide rows; `id` is used (and required) for fan-out rows.
[[nodiscard]] std::string snapshot_stem(const OperationSpec& spec, std::string_view region,
                                        std::string_view id);

// A resource ID as a file name: the ID itself when it holds only [A-Za-z0-9._-] (pl-0123abcd), else
// percent-encoded (ARNs: "arn%3Aaws%3Aelasticloadbalancing%3A...%2Fapp%2Fweb%2F50dc..."), so the name
// never contains '/' and decoding it gives the ID back.
[[nodiscard]] std::string file_name_for_id(std::string_view id);

}  // namespace fortress::collect
