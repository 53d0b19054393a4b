// The record a collector leaves when one AWS CLI call failed, so the loader can tell "failed" from
// "not collected". scripts/export-aws-cli.sh and the live collector write it as
//   <root>/<region>/<service>/<command>.error.json   (account-wide calls: <root>/<service>/...)
// containing one object:
//   {"FortressCollectionError": {"Service": "ec2", "Command": "describe-flow-logs",
//     "Region": "eu-west-1", "ErrorCode": "UnauthorizedOperation", "Message": "An error occurred ...",
//     "ExitCode": 254, "Time": "2026-12-03T18:00:00Z", "PrefixListId": "pl-..." (entries only)}}
// Region is "" for account-wide calls. Like every snapshot file it is recognized by its content.
// A multi-account run (fortress collect --role-name) that cannot assume the role in an account writes
// <account folder>/sts/get-caller-identity.error.json with two more members, "AccountId" and
// "RoleArn": nothing else in that account was collected, and the loader takes the account ID from it.
#pragma once

#include <string_view>

namespace fortress {
inline constexpr std::string_view kCollectionErrorKey = "FortressCollectionError";
}  // namespace fortress
