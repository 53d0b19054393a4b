// Role trust policies: who may assume a role (sts:AssumeRole) or have a service act as it.
//
// A trust policy is the role's resource-based policy. Inside one account it admits a caller in one
// of two ways (IAM User Guide, "Policy evaluation logic" and "Cross-account policy evaluation"):
//  - it names the caller itself (its ARN or unique ID): then the caller needs no permission of its
//    own, only no Deny (for a role caller, its permissions boundary must allow it as well);
//  - it names the caller's account (the account ID, or arn:aws:iam::ID:root) or everyone ("*"):
//    then the caller's identity-based policies must also allow sts:AssumeRole on the role.
// A Deny in the trust policy that matches the caller wins. Conditions (sts:ExternalId, MFA, source
// identity) are not evaluated: a statement with one admits the caller only conditionally.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "iam/evaluate.h"
#include "iam/policy.h"

namespace fortress::iam {

// An IAM principal of the account that could call sts:AssumeRole.
struct Caller {
  std::string arn;        // arn:aws:iam::111122223333:user/path/bob, or a role ARN
  std::string account;    // 111122223333
  std::string unique_id;  // AIDA... / AROA... ("" when unknown)
  std::string role_name;  // for a role caller: its name (matches its assumed-role session ARNs)
  bool is_role = false;
};

enum class TrustPath : uint8_t {
  kNone,
  kNamed,    // the trust policy names the caller: no identity permission needed
  kAccount,  // it names the caller's account: the caller's own policies must allow sts:AssumeRole
  kAnyone,   // it names everyone ("*"): as kAccount for a caller of this account
};
[[nodiscard]] std::string_view to_string(TrustPath p);

struct TrustAnswer {
  Decision decision = Decision::kNotAllowed;  // kUnknown when the trust policy is unreadable
  TrustPath path = TrustPath::kNone;
  std::vector<const Statement*> statements;   // the statements that admit (or deny) the caller
  std::string problem;                        // kUnknown: why

  // `the trust policy names it (statement 1)`
  [[nodiscard]] std::string explain() const;
};

// Does `trust` (nullptr = unreadable) let `caller` perform `action` (sts:AssumeRole) on the role?
[[nodiscard]] TrustAnswer trust_admits(const PolicyDocument* trust, const Caller& caller,
                                       std::string_view action = "sts:AssumeRole");
// Does `trust` let the AWS service (e.g. "ec2.amazonaws.com") assume the role?
[[nodiscard]] TrustAnswer trust_admits_service(const PolicyDocument* trust, std::string_view service);

}  // namespace fortress::iam
