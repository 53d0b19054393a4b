// The IAM policy evaluator: may this principal perform action A on resource R?
//
// Implements the identity-side logic of the IAM User Guide's "Policy evaluation logic" for requests
// inside one account: every request starts implicitly denied; an applicable Deny in any policy
// (identity-based or the permissions boundary) wins; otherwise an Allow in an identity-based policy
// is needed, and when the principal has a permissions boundary the boundary must allow it too.
// Action/NotAction and Resource/NotResource are matched with wildcards (actions without case,
// resources with case), policy variables are substituted where the caller is known.
//
// Conditions are not evaluated (the request context of a future call is unknown). Instead:
//  - an Allow that has a Condition grants "conditionally", never unconditionally;
//  - a Deny that has a Condition may or may not apply, so what it would block is reported as
//    "allowed unless that condition holds" (also kConditional), naming the Deny.
// A policy whose document is missing (not collected) or malformed makes every answer it could
// change kUnknown; only an unconditional explicit Deny elsewhere is certain regardless.
//
// Not modelled (the snapshot does not hold them): Organizations SCPs and RCPs, session policies,
// resource-based policies other than role trust policies (see trust.h).
//
// A request may name one action on one resource, or patterns: "every IAM action on every
// resource" ("iam:*", "*"), or "this action on at least one resource" (Scope::kSome). For patterns
// a Deny that covers only part of what was asked is an exception, listed, not a refusal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iam/pattern.h"
#include "iam/policy.h"
#include "util/json_value.h"

namespace fortress::iam {

enum class PolicyOrigin : uint8_t {
  kInline,
  kCustomerManaged,
  kAwsManaged,
  kTrustPolicy,  // a role's trust policy granting sts:AssumeRole to a principal it names (see trust.h)
};

// One policy as it applies to one principal. `document` points into storage the caller keeps
// alive (iam::Analysis owns the parsed documents) for as long as the PolicySet and any Answer
// that refers to it are used.
struct AttachedPolicy {
  std::string name;
  std::string arn;        // managed policies; "" for inline ones
  PolicyOrigin origin = PolicyOrigin::kInline;
  std::string via_group;  // the group it comes through; "" when attached to the principal itself
  std::string owner;      // inline policies: the user, group or role that holds it
  bool boundary = false;  // the principal's permissions boundary
  const PolicyDocument* document = nullptr;  // nullptr: not available, `problem` says why
  std::string problem;    // "its document was not collected", or the parse error

  // `customer managed policy "Admins" via group "ops"`, `permissions boundary "Limit"`, ...
  [[nodiscard]] std::string label() const;
};

struct PolicySet {
  std::vector<AttachedPolicy> identity;    // inline, managed, and those of the principal's groups
  std::optional<AttachedPolicy> boundary;  // the permissions boundary, when one is set
};

enum class Scope : uint8_t {
  kEvery,  // the action(s) on every resource the resource pattern names
  kSome,   // the action(s) on at least one resource the resource pattern names
};

struct Request {
  Pattern action;    // case folded
  Pattern resource;  // case-sensitive
  Scope scope = Scope::kEvery;
  std::string action_text;  // as asked, for explanations
  std::string resource_text;

  // One action on one resource; `*` and `?` in them are literal characters.
  [[nodiscard]] static Request exact(std::string_view action, std::string_view resource);
  // Every action the pattern names on every resource the pattern names ("iam:*", "*").
  [[nodiscard]] static Request every(std::string_view action_pattern, std::string_view resource_pattern);
  // Every action the pattern names on at least one resource the pattern names.
  [[nodiscard]] static Request some(std::string_view action_pattern, std::string_view resource_pattern);
};

enum class Decision : uint8_t {
  kAllowed,      // granted by an Allow without conditions, and no Deny can apply
  kConditional,  // granted only if a condition holds, or unless a conditional Deny applies
  kNotAllowed,   // nothing grants it (implicit deny), or the permissions boundary does not
  kDenied,       // an explicit Deny without conditions applies
  kUnknown,      // the answer depends on a policy whose document is not available
};
[[nodiscard]] std::string_view to_string(Decision d);  // "allowed", "conditional", ...

// A statement that decided (part of) an answer.
struct StatementRef {
  const AttachedPolicy* policy = nullptr;
  const Statement* statement = nullptr;
  bool conditional = false;  // has a Condition, or matched only through an unknown policy variable

  // `customer managed policy "X" statement 2 (Sid "Y")`
  [[nodiscard]] std::string label() const;
};

struct Answer {
  Decision decision = Decision::kNotAllowed;
  std::vector<StatementRef> grants;           // identity-based Allows that grant the request
  std::vector<StatementRef> boundary_grants;  // the boundary's Allows (when there is a boundary)
  std::vector<StatementRef> denies;           // Denies that apply: unconditionally (kDenied) or maybe
  std::vector<StatementRef> exceptions;       // Denies that cover only part of a pattern request
  std::vector<const AttachedPolicy*> unknown; // policies that could change the answer but are unreadable
  bool boundary_blocks = false;               // identity policies grant it, the boundary does not

  [[nodiscard]] bool allowed() const {
    return decision == Decision::kAllowed || decision == Decision::kConditional;
  }
  // One sentence: why the answer is what it is, naming the statements.
  [[nodiscard]] std::string explain() const;
  // {"decision": ..., "grants": [{"policy", "arn", "via_group", "statement", "sid", "conditional"}], ...}
  [[nodiscard]] JsonValue to_json() const;
};

// Evaluates one request. `variables` are the policy-variable values known for the caller (may be
// empty: variables then make matches uncertain).
[[nodiscard]] Answer evaluate(const PolicySet& policies, const Request& request,
                              const PolicyVariables& variables = {});

}  // namespace fortress::iam
