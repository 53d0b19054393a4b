// IAM (account-wide): principals and policies from get-account-authorization-details, the
// credential report, the account summary, the password policy and the virtual MFA devices.
//
// Contracts:
//  - Policy documents are compact JSON text (std::string), exactly as AWS holds them once decoded:
//    the AWS CLI prints them as JSON objects, the wire sends them URL-encoded; both load to the same
//    text. The model does not interpret them (src/iam does).
//  - Times are UtcTime (model/time.h); nullopt when AWS did not report one.
//  - Not collected is not empty: each part's coverage is Account::global_coverage for its dataset.
//    An empty `users` with kAccountAuthorizationDetails ok means "the account has no users".
//  - Names and ARNs are as AWS spells them; IAM names are case-insensitive in AWS but unique
//    case-insensitively, so the exact text is a sound key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/time.h"
#include "util/intern.h"

namespace fortress {

struct AttachedPolicy {
  Symbol name;
  Symbol arn;
};

// An inline policy (UserPolicyList, GroupPolicyList, RolePolicyList).
struct InlinePolicy {
  Symbol name;
  std::string document;  // compact JSON text
};

struct IamUser {
  Symbol name;
  Symbol id;  // AIDA...
  Symbol arn;
  Symbol path;
  std::optional<UtcTime> create_date;
  std::vector<Symbol> group_names;  // GroupList
  std::vector<AttachedPolicy> attached_policies;
  std::vector<InlinePolicy> inline_policies;
  Symbol permissions_boundary_arn;  // "" when none is set
  std::vector<std::pair<Symbol, Symbol>> tags;  // (key, value), as listed
  uint32_t source = UINT32_MAX;
};

struct IamGroup {
  Symbol name;
  Symbol id;
  Symbol arn;
  Symbol path;
  std::optional<UtcTime> create_date;
  std::vector<AttachedPolicy> attached_policies;
  std::vector<InlinePolicy> inline_policies;
  uint32_t source = UINT32_MAX;
};

struct InstanceProfile {
  Symbol name;
  Symbol id;
  Symbol arn;
  Symbol path;
  std::vector<Symbol> role_names;  // the profile's Roles (at most one in practice)
};

struct IamRole {
  Symbol name;
  Symbol id;  // AROA...
  Symbol arn;
  Symbol path;
  std::optional<UtcTime> create_date;
  std::string assume_role_policy_document;  // compact JSON text; "" when absent
  std::vector<AttachedPolicy> attached_policies;
  std::vector<InlinePolicy> inline_policies;
  std::vector<InstanceProfile> instance_profiles;
  Symbol permissions_boundary_arn;  // "" when none is set
  // RoleLastUsed: last_used is nullopt when AWS reports no use in its tracking window (400 days).
  std::optional<UtcTime> last_used;
  Symbol last_used_region;
  std::optional<int64_t> max_session_duration;  // seconds
  std::vector<std::pair<Symbol, Symbol>> tags;
  uint32_t source = UINT32_MAX;

  // Service-linked roles (path /aws-service-role/) are managed by AWS and cannot be edited.
  [[nodiscard]] bool service_linked() const { return path.view().starts_with("/aws-service-role/"); }
};

struct PolicyVersion {
  Symbol version_id;  // "v3"
  bool is_default = false;
  std::string document;  // compact JSON text; "" when the version carries none
  std::optional<UtcTime> create_date;
};

// A managed policy: customer managed, or AWS managed and attached to something in the account
// (get-account-authorization-details lists only those).
struct ManagedPolicy {
  Symbol name;
  Symbol id;
  Symbol arn;
  Symbol path;
  Symbol default_version_id;
  int64_t attachment_count = 0;
  int64_t permissions_boundary_usage_count = 0;
  bool is_attachable = true;
  std::optional<UtcTime> create_date;
  std::optional<UtcTime> update_date;
  std::vector<PolicyVersion> versions;
  uint32_t source = UINT32_MAX;

  [[nodiscard]] bool aws_managed() const { return arn.view().starts_with("arn:aws:iam::aws:policy/") ||
                                                  arn.view().find(":iam::aws:policy/") != std::string_view::npos; }
  // The version IsDefaultVersion marks (else the one DefaultVersionId names), or nullptr.
  [[nodiscard]] const PolicyVersion* default_version() const;
};

// ---- credential report ----------------------------------------------------------------------

// What a credential-report cell holds. AWS uses distinct words for distinct facts, and they stay
// distinct here: "N/A" (not applicable: no password, no such key, never used), "no_information"
// (used before IAM began tracking, or unknown to IAM), "not_supported" (the root user has no such
// attribute). A cell that is none of these nor a valid value makes the row invalid.
// kAbsent: the report has no such column (an older report format) -- unknown, not "no".
enum class ReportCell : uint8_t { kValue, kNotApplicable, kNoInformation, kNotSupported, kAbsent };

struct ReportTime {
  ReportCell cell = ReportCell::kAbsent;
  UtcTime time{};  // only when cell == kValue
  [[nodiscard]] bool has_time() const { return cell == ReportCell::kValue; }
};

struct ReportFlag {
  ReportCell cell = ReportCell::kAbsent;
  bool value = false;  // only when cell == kValue
  [[nodiscard]] bool is_true() const { return cell == ReportCell::kValue && value; }
};

struct ReportText {
  ReportCell cell = ReportCell::kAbsent;
  Symbol value;  // only when cell == kValue
};

struct AccessKeyReport {
  ReportFlag active;
  ReportTime last_rotated;
  ReportTime last_used_date;
  ReportText last_used_region;
  ReportText last_used_service;
};

struct CertificateReport {
  ReportFlag active;
  ReportTime last_rotated;
};

struct CredentialReportRow {
  Symbol user;  // "<root_account>" for the root user
  Symbol arn;
  ReportTime user_creation_time;
  ReportFlag password_enabled;  // kNotSupported for the root user
  ReportTime password_last_used;
  ReportTime password_last_changed;
  ReportTime password_next_rotation;
  ReportFlag mfa_active;
  AccessKeyReport access_keys[2];
  CertificateReport certificates[2];
  uint64_t line = 0;  // CSV line in the decoded report (1 = the header)

  [[nodiscard]] bool is_root() const { return user == "<root_account>"; }
};

struct CredentialReport {
  std::optional<UtcTime> generated_time;
  std::vector<CredentialReportRow> rows;  // in report order; rows that did not parse are left out
  uint32_t source = UINT32_MAX;
  [[nodiscard]] const CredentialReportRow* root() const;
};

// ---- account settings -------------------------------------------------------------------------

// get-account-password-policy. `exists` false: collected, and the account has no password policy
// (AWS answered NoSuchEntity; IAM then applies its default rules). Optional members are nullopt
// when AWS omits them (MaxPasswordAge and PasswordReusePrevention are omitted when not set).
struct PasswordPolicy {
  bool exists = false;
  std::optional<int64_t> minimum_password_length;
  bool require_symbols = false;
  bool require_numbers = false;
  bool require_uppercase_characters = false;
  bool require_lowercase_characters = false;
  bool allow_users_to_change_password = false;
  bool expire_passwords = false;
  std::optional<int64_t> max_password_age;           // days
  std::optional<int64_t> password_reuse_prevention;  // passwords remembered
  std::optional<bool> hard_expiry;
  uint32_t source = UINT32_MAX;
};

struct VirtualMfaDevice {
  Symbol serial_number;  // "arn:aws:iam::<acct>:mfa/<name>"
  Symbol user_arn;       // User.Arn; "arn:aws:iam::<acct>:root" for the root's; "" when unassigned
  Symbol user_name;
  std::optional<UtcTime> enable_date;
  uint32_t source = UINT32_MAX;
  [[nodiscard]] bool assigned_to_root() const { return user_arn.view().ends_with(":root"); }
};

// How the root user's MFA is set up, from the credential report and the virtual MFA devices.
enum class RootMfa : uint8_t {
  kUnknown,   // the credential report or list-virtual-mfa-devices was not collected
  kNone,      // mfa_active false
  kVirtual,   // mfa_active true and a virtual device is assigned to the root
  kHardware,  // mfa_active true and no virtual device is assigned to the root
};

// All the account's IAM data. Lookups are valid after Account::finalize().
struct IamData {
  std::vector<IamUser> users;
  std::vector<IamGroup> groups;
  std::vector<IamRole> roles;
  std::vector<ManagedPolicy> policies;
  std::optional<CredentialReport> credential_report;  // nullopt: not collected
  // get-account-summary SummaryMap ("AccountMFAEnabled" -> 1); nullopt: not collected.
  std::optional<std::unordered_map<std::string, int64_t>> account_summary;
  std::optional<PasswordPolicy> password_policy;  // nullopt: not collected
  std::vector<VirtualMfaDevice> virtual_mfa_devices;

  [[nodiscard]] const IamUser* user(std::string_view name) const;
  [[nodiscard]] const IamUser* user_by_arn(std::string_view arn) const;
  [[nodiscard]] const IamGroup* group(std::string_view name) const;
  [[nodiscard]] const IamRole* role(std::string_view name) const;
  [[nodiscard]] const IamRole* role_by_arn(std::string_view arn) const;
  [[nodiscard]] const ManagedPolicy* policy(std::string_view arn) const;
  // The instance profile with this ARN and the role it holds (nullptr when unknown).
  [[nodiscard]] const IamRole* role_for_instance_profile(std::string_view instance_profile_arn) const;
  // The credential report row of a user name ("<root_account>" for the root), or nullptr.
  [[nodiscard]] const CredentialReportRow* credential_row(std::string_view user) const;
  // The virtual MFA device assigned to a user (by user ARN), or nullptr.
  [[nodiscard]] const VirtualMfaDevice* virtual_mfa_for(std::string_view user_arn) const;
  // A SummaryMap value; nullopt when not collected or not in the map.
  [[nodiscard]] std::optional<int64_t> summary(std::string_view key) const;
  // Needs the credential report and, for kVirtual/kHardware, list-virtual-mfa-devices to be ok;
  // `mfa_devices_collected` says whether it was.
  [[nodiscard]] RootMfa root_mfa(bool mfa_devices_collected) const;

  void build_index();  // called by Account::finalize()

 private:
  std::unordered_map<std::string_view, const IamUser*> users_by_name_, users_by_arn_;
  std::unordered_map<std::string_view, const IamGroup*> groups_by_name_;
  std::unordered_map<std::string_view, const IamRole*> roles_by_name_, roles_by_arn_, roles_by_profile_;
  std::unordered_map<std::string_view, const ManagedPolicy*> policies_by_arn_;
  std::unordered_map<std::string_view, const CredentialReportRow*> rows_by_user_;
  std::unordered_map<std::string_view, const VirtualMfaDevice*> mfa_by_user_;
};

// organizations list-accounts (multi-account collection only).
struct OrganizationAccount {
  Symbol id;
  Symbol arn;
  Symbol name;
  Symbol email;
  Symbol status;  // Status (ACTIVE, SUSPENDED, PENDING_CLOSURE) or, in newer APIs, State
  Symbol joined_method;
  std::optional<UtcTime> joined_timestamp;
  uint32_t source = UINT32_MAX;
};

}  // namespace fortress
