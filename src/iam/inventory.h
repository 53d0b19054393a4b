// The IAM entities of one account as the analysis reads them: users, groups, roles and managed
// policies with their documents as JSON text (get-account-authorization-details' shape).
//
// Plain data, filled from the account model (src/iam/from_model.cpp) or built directly by tests.
// "Not collected" is kept apart from "none": a managed policy an entity attaches but whose document
// is absent makes that entity's answers unknown, never "not allowed".
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fortress::iam {

struct InlinePolicyText {
  std::string name;
  std::string document;  // JSON text ("" when not collected)
};

struct PolicyVersionText {
  std::string version_id;  // "v3"
  bool is_default = false;
  std::string document;  // JSON text ("" when not collected)
};

struct ManagedPolicyText {
  std::string arn;  // arn:aws:iam::aws:policy/ReadOnlyAccess, arn:aws:iam::111122223333:policy/x
  std::string name;
  std::string default_version_id;
  std::vector<PolicyVersionText> versions;  // empty when the document was not collected

  [[nodiscard]] bool aws_managed() const { return arn.find(":iam::aws:policy/") != std::string::npos; }
  [[nodiscard]] const PolicyVersionText* default_version() const;
};

struct GroupEntity {
  std::string name, arn, id, path;
  std::vector<std::string> managed_policy_arns;
  std::vector<InlinePolicyText> inline_policies;
};

struct UserEntity {
  std::string name, arn, id, path;
  std::vector<std::string> group_names;
  std::vector<std::string> managed_policy_arns;
  std::vector<InlinePolicyText> inline_policies;
  std::string boundary_arn;  // "" when no permissions boundary
  // Whether the user can sign in to the console (credential report password_enabled, or a login
  // profile); nullopt when that was not collected.
  std::optional<bool> console_password;
};

struct RoleEntity {
  std::string name, arn, id, path;
  std::vector<std::string> managed_policy_arns;
  std::vector<InlinePolicyText> inline_policies;
  std::string boundary_arn;
  std::string trust_document;     // AssumeRolePolicyDocument as JSON text
  bool in_instance_profile = false;  // listed in an instance profile (EC2 can use it)

  // Service-linked roles (path /aws-service-role/) are created and controlled by an AWS service:
  // only that service can assume them and their permissions cannot be changed.
  [[nodiscard]] bool service_linked() const { return path.starts_with("/aws-service-role/"); }
};

struct Inventory {
  std::string account_id;
  std::string partition = "aws";
  std::vector<UserEntity> users;
  std::vector<GroupEntity> groups;
  std::vector<RoleEntity> roles;
  std::vector<ManagedPolicyText> policies;  // the managed policies whose details were exported
};

}  // namespace fortress::iam
