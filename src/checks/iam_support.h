// What the IAM checks share: account-wide coverage gaps, the credential report's clock, the IAM
// analysis, the exact remediation commands and evidence of principals and paths.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "checks/check.h"
#include "iam/analysis.h"
#include "model/account.h"

namespace fortress {

// One NOT_ASSESSED finding (region "", resource = the dataset name) for each account-wide dataset
// in `needed` that is not ok; true when all are ok.
bool report_account_gaps(const Account& account, std::initializer_list<Dataset> needed, FindingSink& sink);
[[nodiscard]] bool account_has(const Account& account, Dataset d);

// The shared analysis (CheckContext::iam), or one built into `local` when the runner gave none.
[[nodiscard]] const iam::Analysis& iam_analysis(const CheckContext& ctx, std::optional<iam::Analysis>& local);

// "arn:aws:iam::<account>:root" (the root user as findings name it).
[[nodiscard]] std::string root_arn(const Account& account);

// Whole days from `from` to `to` (negative when `from` is later).
[[nodiscard]] int64_t days_between(UtcTime from, UtcTime to);
// "2026-08-01 (121 days before the report)"
[[nodiscard]] std::string date_and_age(UtcTime t, UtcTime now);
// "2026-08-01"
[[nodiscard]] std::string date_of(UtcTime t);

// The report's time as the checks' "now": the credential report's GeneratedTime. nullopt when the
// report has none (the time-based checks then report NOT_ASSESSED rather than guess a clock).
[[nodiscard]] std::optional<UtcTime> report_time(const CredentialReport& report);

// The credential report when it was collected, else nullptr after reporting the gap (NOT_ASSESSED).
// With `needs_time`, also nullptr (and NOT_ASSESSED) when the report has no GeneratedTime.
[[nodiscard]] const CredentialReport* usable_report(const Account& account, FindingSink& sink, bool needs_time);

// A user's row as a finding names it: resource = the user's ARN, name = the user name.
Finding& user_finding(FindingSink& sink, FindingStatus status, const CredentialReportRow& row, std::string detail);

// How to find the IDs of a user's access keys (the credential report does not carry them).
[[nodiscard]] std::string list_keys_command(std::string_view user);

// The command that removes one grant: detach a managed policy, delete an inline one, or take the
// user out of the group it comes through. `principal` is the user or role that holds it.
[[nodiscard]] std::string revoke_command(const iam::PrincipalAnalysis& principal, const iam::AttachedPolicy& policy);

// The first unconditional grant of the path's first step that has one (what makes the path possible).
[[nodiscard]] const iam::AttachedPolicy* decisive_policy(const iam::AdminPath& path);

// Evidence of a principal: arn, name, type, and its attached policies.
[[nodiscard]] JsonValue principal_evidence(const iam::PrincipalAnalysis& p);

// CloudFormation resource type of a principal: AWS::IAM::User or AWS::IAM::Role.
[[nodiscard]] std::string_view principal_type(const iam::PrincipalAnalysis& p);

}  // namespace fortress
