// IAM policy documents: the JSON grammar AWS accepts, parsed into statements ready to evaluate.
//
// A document is read strictly: an element AWS does not define, a wrong type, or a duplicate key is
// an error for the whole document, never a statement quietly skipped (a skipped Deny would turn
// into a wrong "allowed"). The caller keeps going with its other documents and treats answers that
// depend on a rejected one as unknown.
//
// Reference: IAM User Guide, "IAM JSON policy element reference" and "Grammar of the IAM JSON
// policy language".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iam/pattern.h"
#include "util/expected.h"

namespace fortress::iam {

enum class Effect : uint8_t { kAllow, kDeny };

// What the document is attached to decides which elements it must have.
enum class DocumentKind : uint8_t {
  kIdentity,  // identity-based policy or permissions boundary: Resource/NotResource, no Principal
  kTrust,     // a role's trust policy (resource-based): Principal/NotPrincipal, Resource optional
};

// One Condition entry: operator -> key -> values ("Bool": {"aws:MultiFactorAuthPresent": "true"}).
// Values are kept as text (true, 10, "x" -> "true", "10", "x"). fortress does not evaluate
// conditions: a statement with any condition applies "only when its condition holds".
struct ConditionClause {
  std::string op;   // "StringEquals", "ForAnyValue:StringLike", "BoolIfExists", ...
  std::string key;  // "aws:MultiFactorAuthPresent"
  std::vector<std::string> values;
};

// Principal or NotPrincipal: "*" or a map of principal types to one or more values.
struct PrincipalSpec {
  bool anyone = false;                  // "*" (or {"AWS": "*"})
  std::vector<std::string> aws;         // account IDs, "arn:aws:iam::ID:root", user/role ARNs, unique IDs
  std::vector<std::string> service;     // "ec2.amazonaws.com"
  std::vector<std::string> federated;   // SAML/OIDC providers, "cognito-identity.amazonaws.com"
  std::vector<std::string> canonical_user;
};

struct Statement {
  size_t index = 0;  // 0-based position in the document's Statement list
  std::string sid;   // "" when absent
  Effect effect = Effect::kAllow;

  bool not_action = false;           // NotAction instead of Action
  std::vector<std::string> actions;  // as written
  std::vector<Pattern> action_patterns;  // compiled, case folded

  bool has_resource = false;    // Resource or NotResource present (always for identity documents)
  bool not_resource = false;    // NotResource instead of Resource
  std::vector<std::string> resources;  // as written; policy variables still in place
  // Compiled, case-sensitive. A value with policy variables (Version 2012-10-17 only) is compiled
  // again for each caller (see evaluate.h); here its variables are unknown parts.
  std::vector<Pattern> resource_patterns;
  std::vector<bool> resource_has_variables;

  std::optional<PrincipalSpec> principal;  // trust documents: Principal or NotPrincipal
  bool not_principal = false;

  std::vector<ConditionClause> conditions;

  [[nodiscard]] bool conditional() const { return !conditions.empty(); }
  // "statement 2 (Sid \"AllowAll\")" or "statement 2": how findings name it (1-based).
  [[nodiscard]] std::string label() const;
};

struct PolicyDocument {
  std::string version;  // "2012-10-17", "2008-10-17", or "" when absent (AWS reads that as 2008-10-17)
  std::string id;
  std::vector<Statement> statements;

  // Policy variables (${aws:username}) are only interpreted in Version 2012-10-17 documents; in
  // older ones the text is literal.
  [[nodiscard]] bool variables_enabled() const { return version == "2012-10-17"; }
};

// The values of policy variables known for one caller ("aws:username" -> "bob"). Keys are matched
// without case, as AWS matches condition keys.
struct PolicyVariables {
  std::vector<std::pair<std::string, std::string>> values;
  [[nodiscard]] const std::string* find(std::string_view key) const;
};

// Compiles a Resource value (case-sensitive). With `variables` (Version 2012-10-17), `${...}` is a
// policy variable: `${*}`, `${?}` and `${$}` are those characters literally, a key `known` has is
// replaced by its value (literally: a `*` in a user name is no wildcard), any other key becomes an
// unknown part. Without `variables` the text is taken as written.
[[nodiscard]] Pattern compile_resource(std::string_view text, bool variables, const PolicyVariables* known);

// Parses a policy document from JSON text. Also accepts the URL-encoded form the IAM API returns
// (RFC 3986 percent-encoding). kParse for text that is not JSON, kSchema for JSON that is not a
// valid policy of this kind; the message says which statement and element.
[[nodiscard]] Expected<PolicyDocument> parse_policy_document(std::string_view text, DocumentKind kind);

}  // namespace fortress::iam
