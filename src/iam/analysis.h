// Who is admin-equivalent, and who can read data everywhere: the IAM analysis of one account.
//
// Built once per scan from an Inventory (every document parsed once), then read by the checks.
// For every user and role it answers:
//  - admin: full admin ("*" on "*"), full IAM ("iam:*" on "*"), or a known privilege-escalation
//    path that ends there, each path with the statements that make it possible:
//      rewrite its own permissions: iam:CreatePolicyVersion / iam:SetDefaultPolicyVersion on a
//        customer managed policy it has, iam:Attach{User,Group,Role}Policy or
//        iam:Put{User,Group,Role}Policy on itself or its group (a permissions boundary caps this
//        unless the boundary itself is admin or the principal may remove or replace it);
//      join an admin group (iam:AddUserToGroup);
//      take over an admin user (iam:CreateAccessKey, iam:CreateLoginProfile/UpdateLoginProfile);
//      become an admin role: sts:AssumeRole where the role's trust policy admits it (names it, or
//        its account and its own policies allow the call), or iam:UpdateAssumeRolePolicy on it;
//      hand an admin role to a service it controls: iam:PassRole with ec2:RunInstances (the role
//        in an instance profile, or iam:CreateInstanceProfile + iam:AddRoleToInstanceProfile),
//        with lambda:CreateFunction + lambda:InvokeFunction or lambda:CreateEventSourceMapping,
//        with cloudformation:CreateStack; the role's trust policy must admit that service.
//    Paths through another principal are followed to a fixed point (A can assume B, which can
//    create keys for admin C).
//  - data read: s3:GetObject on every object, secretsmanager:GetSecretValue on every secret,
//    ssm:GetParameter(s) on every parameter, kms:Decrypt on every key, dynamodb:GetItem/Scan/Query
//    on every table, or AWS managed ReadOnlyAccess attached.
// Verdicts are kConditional when a path exists only under conditions, kUnknown when a policy that
// matters could not be read (not collected or malformed), never kNo in that case.
//
// Limits: Organizations SCPs/RCPs, session policies and resource-based policies other than trust
// policies are not in the snapshot; a principal listed as admin-equivalent may be restricted by an
// SCP. Escalation paths are the documented combinations above, not every possible one.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iam/evaluate.h"
#include "iam/inventory.h"
#include "iam/policy.h"
#include "iam/trust.h"
#include "util/json_value.h"

namespace fortress::iam {

// AWS managed policies the CIS controls name, matched by ARN in any partition.
inline constexpr std::string_view kAdministratorAccess = "AdministratorAccess";
inline constexpr std::string_view kReadOnlyAccess = "ReadOnlyAccess";
inline constexpr std::string_view kAwsSupportAccess = "AWSSupportAccess";
inline constexpr std::string_view kCloudShellFullAccess = "AWSCloudShellFullAccess";
// arn:<partition>:iam::aws:policy/<name> (any path) names the AWS managed policy `name`.
[[nodiscard]] bool is_aws_managed_policy(std::string_view arn, std::string_view name);

enum class PrincipalKind : uint8_t { kUser, kRole };

enum class Verdict : uint8_t { kYes, kConditional, kNo, kUnknown };
[[nodiscard]] std::string_view to_string(Verdict v);  // "yes", "conditional", "no", "unknown"

enum class PathKind : uint8_t {
  kFullAdmin,            // "*" on "*"
  kIamFullAccess,        // "iam:*" on "*"
  kCreatePolicyVersion,  // rewrite a customer managed policy it has
  kSetDefaultPolicyVersion,
  kAttachPolicy,         // attach a managed policy to itself or its group
  kPutInlinePolicy,      // write an inline policy on itself or its group
  kJoinGroup,            // add itself to an admin group
  kCredentialsOf,        // create access keys or a console password for an admin user
  kAssumeRole,           // assume an admin role
  kUpdateTrust,          // rewrite an admin role's trust policy, then assume it
  kPassRole,             // pass an admin role to EC2, Lambda or CloudFormation
};
[[nodiscard]] std::string_view to_string(PathKind k);  // "full-admin", "iam-full-access", ...

// One request the path needs, and what the evaluator answered.
struct Step {
  std::string action;    // "iam:AttachUserPolicy", or "sts:AssumeRole (trust policy)"
  std::string resource;  // the ARN or pattern asked about
  std::optional<Answer> answer;  // identity-based evaluation (absent for a trust-only step)
  std::optional<TrustAnswer> trust;
  std::string note;      // what the step establishes, when it is not a permission ("version v2 grants ...")

  [[nodiscard]] Verdict verdict() const;
  [[nodiscard]] JsonValue to_json() const;
};

struct AdminPath {
  PathKind kind = PathKind::kFullAdmin;
  std::string summary;  // "can attach any managed policy to itself (iam:AttachUserPolicy)"
  std::vector<Step> steps;
  std::string through;  // the admin user, role or group it leads to ("" when direct)
  bool conditional = false;

  [[nodiscard]] JsonValue to_json() const;
};

struct DataRead {
  std::string what;  // "every S3 object"
  Step step;
  bool conditional = false;
};

struct PrincipalAnalysis {
  PrincipalKind kind = PrincipalKind::kUser;
  size_t index = 0;  // into Inventory::users or ::roles
  std::string name, arn, id;
  bool service_linked = false;
  std::optional<bool> human;  // users: can sign in to the console (nullopt: not collected); roles: false
  PolicySet policies;
  PolicyVariables variables;

  Verdict admin = Verdict::kNo;
  std::vector<AdminPath> admin_paths;      // most direct first
  std::vector<std::string> admin_unknown;  // why admin could not be decided (kUnknown)

  Verdict data_read = Verdict::kNo;
  std::vector<DataRead> data_reads;
  std::vector<std::string> data_unknown;

  [[nodiscard]] std::string_view kind_name() const { return kind == PrincipalKind::kUser ? "user" : "role"; }
};

// One policy document the account holds (a managed policy's default version, or an inline policy)
// and where it applies, for checks about documents themselves (CIS 1.16).
struct PolicyRecord {
  AttachedPolicy policy;                 // name, ARN, origin, owner; document or problem
  std::vector<std::string> attached_to;  // "user/bob", "group/Admins", "role/ops" (inline: its owner)
};

// A document that could not be read: which one and why.
struct DocumentProblem {
  std::string where;  // `inline policy "x" of user "bob"`, `managed policy arn:...`, `trust policy of role "r"`
  std::string error;
};

class Analysis {
 public:
  // Parses every document of the inventory once and analyses every user and role.
  [[nodiscard]] static Analysis build(const Inventory& inventory);

  Analysis(Analysis&&) = default;
  Analysis& operator=(Analysis&&) = default;
  Analysis(const Analysis&) = delete;
  Analysis& operator=(const Analysis&) = delete;

  [[nodiscard]] const std::vector<PrincipalAnalysis>& principals() const { return principals_; }
  [[nodiscard]] const std::vector<PolicyRecord>& policies() const { return records_; }
  [[nodiscard]] const std::vector<DocumentProblem>& problems() const { return problems_; }
  [[nodiscard]] const PrincipalAnalysis* find(std::string_view arn) const;

 private:
  Analysis() = default;
  friend class Analyzer;

  std::vector<std::unique_ptr<PolicyDocument>> documents_;  // every parsed document; stable addresses
  std::vector<std::unique_ptr<PolicySet>> sets_;            // groups' and hypothetical policy sets
  std::vector<PrincipalAnalysis> principals_;
  std::vector<PolicyRecord> records_;
  std::vector<DocumentProblem> problems_;
};

}  // namespace fortress::iam
