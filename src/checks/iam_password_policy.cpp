// The account password policy: password-policy-length (CIS 1.8, at least 14 characters) and
// password-reuse (CIS 1.9, 24 passwords remembered). From get-account-password-policy; AWS answers
// NoSuchEntity when the account has none, which the loader records as a collected, absent policy.
#include <fmt/format.h>

#include "checks/iam_checks.h"
#include "checks/iam_support.h"

namespace fortress {

namespace {

constexpr int64_t kMinLength = 14;
constexpr int64_t kRemembered = 24;

// update-account-password-policy replaces the whole policy: every setting it is not given goes back
// to its default. So the command repeats the current settings and changes only what the check needs.
std::string update_command(const PasswordPolicy& p, std::optional<int64_t> length, std::optional<int64_t> reuse) {
  std::string cmd = "aws iam update-account-password-policy";
  const int64_t len = length.value_or(p.exists ? p.minimum_password_length.value_or(8) : kMinLength);
  cmd += fmt::format(" --minimum-password-length {}", len);
  const bool fresh = !p.exists;  // no policy yet: propose the CIS-aligned one
  if (fresh || p.require_symbols) cmd += " --require-symbols";
  if (fresh || p.require_numbers) cmd += " --require-numbers";
  if (fresh || p.require_uppercase_characters) cmd += " --require-uppercase-characters";
  if (fresh || p.require_lowercase_characters) cmd += " --require-lowercase-characters";
  if (fresh || p.allow_users_to_change_password) cmd += " --allow-users-to-change-password";
  if (p.exists && p.max_password_age) cmd += fmt::format(" --max-password-age {}", *p.max_password_age);
  const std::optional<int64_t> remembered = reuse ? reuse : fresh ? std::optional<int64_t>(kRemembered) : p.password_reuse_prevention;
  if (remembered) cmd += fmt::format(" --password-reuse-prevention {}", *remembered);
  if (p.exists && p.hard_expiry.value_or(false)) cmd += " --hard-expiry";
  return cmd;
}

JsonValue policy_evidence(const PasswordPolicy& p) {
  JsonValue e = JsonValue::object();
  e.set("exists", p.exists);
  if (!p.exists) return e;
  if (p.minimum_password_length) e.set("MinimumPasswordLength", *p.minimum_password_length);
  if (p.password_reuse_prevention) e.set("PasswordReusePrevention", *p.password_reuse_prevention);
  if (p.max_password_age) e.set("MaxPasswordAge", *p.max_password_age);
  e.set("RequireSymbols", p.require_symbols);
  e.set("RequireNumbers", p.require_numbers);
  e.set("RequireUppercaseCharacters", p.require_uppercase_characters);
  e.set("RequireLowercaseCharacters", p.require_lowercase_characters);
  return e;
}

const PasswordPolicy* collected_policy(const CheckContext& ctx, FindingSink& sink) {
  if (!report_account_gaps(ctx.account, {Dataset::kAccountPasswordPolicy}, sink)) return nullptr;
  if (!ctx.account.iam.password_policy) {
    sink.not_assessed("", "iam/get-account-password-policy", "",
                      "get-account-password-policy is marked collected but no policy (or NoSuchEntity) was loaded");
    return nullptr;
  }
  return &*ctx.account.iam.password_policy;
}

void run_length(const CheckContext& ctx, FindingSink& sink) {
  const PasswordPolicy* p = collected_policy(ctx, sink);
  if (p == nullptr) return;
  const Symbol account = ctx.account.account_id;
  if (!p->exists) {
    Finding& f = sink.fail("", account, "account password policy",
                           "the account has no password policy: IAM's default rules accept 8-character passwords");
    f.evidence = policy_evidence(*p);
    f.remediation_cli = update_command(*p, kMinLength, std::nullopt);
    return;
  }
  const int64_t length = p->minimum_password_length.value_or(8);
  if (length >= kMinLength) {
    Finding& f = sink.pass("", account, "account password policy",
                           fmt::format("the password policy requires at least {} characters", length));
    f.evidence = policy_evidence(*p);
    return;
  }
  Finding& f = sink.fail("", account, "account password policy",
                         fmt::format("the password policy requires only {} characters (CIS: at least {})", length, kMinLength));
  f.evidence = policy_evidence(*p);
  f.remediation_cli = update_command(*p, kMinLength, std::nullopt);
}

void run_reuse(const CheckContext& ctx, FindingSink& sink) {
  const PasswordPolicy* p = collected_policy(ctx, sink);
  if (p == nullptr) return;
  const Symbol account = ctx.account.account_id;
  if (!p->exists) {
    Finding& f = sink.fail("", account, "account password policy",
                           "the account has no password policy: users may reuse any previous password");
    f.evidence = policy_evidence(*p);
    f.remediation_cli = update_command(*p, std::nullopt, kRemembered);
    return;
  }
  if (p->password_reuse_prevention && *p->password_reuse_prevention >= kRemembered) {
    Finding& f = sink.pass("", account, "account password policy",
                           fmt::format("the password policy remembers the last {} passwords", *p->password_reuse_prevention));
    f.evidence = policy_evidence(*p);
    return;
  }
  Finding& f = sink.fail(
      "", account, "account password policy",
      p->password_reuse_prevention
          ? fmt::format("the password policy remembers only the last {} passwords (CIS: {})", *p->password_reuse_prevention,
                        kRemembered)
          : std::string("the password policy does not prevent password reuse"));
  f.evidence = policy_evidence(*p);
  f.remediation_cli = update_command(*p, std::nullopt, kRemembered);
}

}  // namespace

Check password_policy_length_check() {
  return Check{
      CheckMetadata{
          .id = "password-policy-length",
          .title = "The IAM password policy allows passwords shorter than 14 characters",
          .severity = Severity::kMedium,
          .area = Area::kAccess,
          .resource_type = "AWS::::Account",
          .cis_aws_3_0 = "1.8",
          .rationale =
              "Length is what makes a password resist guessing and offline cracking. Without a password policy "
              "IAM applies its defaults, which accept 8 characters.",
          .remediation =
              "Set MinimumPasswordLength to 14 or more. update-account-password-policy replaces the whole "
              "policy, so the command for a finding repeats the account's other current settings.",
          .remediation_cli = "aws iam update-account-password-policy --minimum-password-length 14 ... (current settings)",
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html"},
      },
      run_length,
  };
}

Check password_reuse_check() {
  return Check{
      CheckMetadata{
          .id = "password-reuse",
          .title = "The IAM password policy does not prevent reusing the last 24 passwords",
          .severity = Severity::kLow,
          .area = Area::kAccess,
          .resource_type = "AWS::::Account",
          .cis_aws_3_0 = "1.9",
          .rationale =
              "A password that comes back after a rotation undoes the rotation, and a password known from an "
              "old breach stays valid. CIS asks for PasswordReusePrevention of 24 (the maximum).",
          .remediation =
              "Set PasswordReusePrevention to 24. The command for a finding repeats the account's other current "
              "settings, because the call replaces the whole policy.",
          .remediation_cli = "aws iam update-account-password-policy --password-reuse-prevention 24 ... (current settings)",
          .links = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html"},
      },
      run_reuse,
  };
}

}  // namespace fortress
