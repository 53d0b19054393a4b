// The check engine's vocabulary: check metadata, findings, and what a check may read.
//
// A check is a function over the typed model (never I/O) plus its metadata, which is data: the
// registry lists every check explicitly and docs/checks.md is generated from it. A check records a
// finding for every resource it evaluated: FAIL or PASS, or NOT_ASSESSED when the data it needs was
// not collected. It never reports PASS for data it did not see.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "checks/evidence.h"
#include "config/config.h"
#include "model/account.h"
#include "util/intern.h"
#include "util/json_value.h"
#include "util/parallel.h"

namespace fortress::flows { struct RuleUsage; }  // flows/rule_usage.h

namespace fortress {
namespace reach { class Exposure; }  // reach/exposure.h

namespace iam { class Analysis; }  // src/iam/analysis.h

enum class Severity : uint8_t { kInfo, kLow, kMedium, kHigh, kCritical };
[[nodiscard]] std::string_view to_string(Severity s);  // "critical", "high", ...
[[nodiscard]] std::optional<Severity> parse_severity(std::string_view s);

// The nine areas of the security review a check belongs to.
enum class Area : uint8_t {
  kIngress,
  kEgress,
  kSgToServices,
  kLifecycle,
  kEnvironment,
  kSharedServices,
  kWebServers,
  kPermissions,
  kAccess,
};
[[nodiscard]] std::string_view to_string(Area a);  // "ingress", "sg-to-services", ...

enum class FindingStatus : uint8_t { kFail, kPass, kNotAssessed, kMuted };
[[nodiscard]] std::string_view to_string(FindingStatus s);  // "FAIL", "PASS", "NOT_ASSESSED", "MUTED"

struct CheckMetadata {
  std::string_view id;             // "sg-admin-port-open-ipv4"
  std::string_view title;          // one line
  Severity severity;               // of a FAIL
  Area area;
  std::string_view resource_type;  // "AWS::EC2::SecurityGroup" (CloudFormation type names)
  std::string_view cis_aws_3_0;    // CIS AWS Foundations v3.0 control(s), comma-separated, or ""
  std::string_view rationale;      // why it matters
  std::string_view remediation;    // what to do, in prose
  // The AWS CLI command that fixes one resource, with {placeholders} the finding fills in; shown in
  // docs. Each FAIL carries the command for its exact resource in Finding::remediation_cli.
  std::string_view remediation_cli;
  std::vector<std::string_view> links;  // AWS documentation
};

// One result of one check on one resource. The string_view members point at the check's static
// metadata (or at string literals); the Symbols are interned (util/intern.h). Both stay valid for the
// life of the program, so a finding never dangles, whatever outlives what. What is unique to the
// finding (detail, evidence, the exact command) is owned.
struct Finding {
  Symbol check_id;
  Symbol title;
  FindingStatus status = FindingStatus::kFail;
  Severity severity = Severity::kInfo;
  Area area = Area::kIngress;
  Symbol account_id;
  Symbol region;  // "" for account-wide findings
  Symbol resource_type;
  Symbol resource_id;
  Symbol resource_name;  // the Name tag, or a group name
  Symbol detail;         // one line: why it failed / passed / could not be assessed (PASS texts repeat)
  Evidence evidence;     // empty for PASS
  Symbol remediation_text;
  std::string remediation_cli;  // exact command for this resource ("" for PASS / NOT_ASSESSED)
  Symbol cis_aws_3_0;           // CIS AWS Foundations v3.0 controls, comma-separated ("5.2" or "")
  Symbol mute_reason;           // set when status is kMuted
};

// The CIS controls of a finding as a list: "5.2, 5.3" -> {"5.2", "5.3"}.
[[nodiscard]] std::vector<std::string_view> cis_controls(std::string_view comma_separated);

// What a check may read: the model and the user's configuration. Nothing else.
struct CheckContext {
  const Account& account;
  const Config& config;
  const flows::RuleUsage* rule_usage = nullptr;  // flow-log attribution (fortress flows, scan --flow-logs); null = none given
  const reach::Exposure* exposure = nullptr;  // internet exposure and lateral reach, computed once per scan
  const iam::Analysis* iam = nullptr;  // the IAM analysis run_checks() shares (checks/iam_checks.h)
  // With no `exposure` given: run_checks() computes it when a selected check reads it (beside the
  // checks that do not), instead of those checks saying NOT_ASSESSED. What `fortress scan` does.
  bool compute_exposure = false;
};

// Whether a check reads CheckContext::exposure. The others are run without it (and while it is
// being computed); a test runs each of them with and without it to hold this list true.
[[nodiscard]] bool reads_exposure(std::string_view check_id);

// Collects the findings of one check, pre-filling what the metadata already says.
class FindingSink {
 public:
  FindingSink(const CheckMetadata& meta, const Account& account, std::vector<Finding>& out)
      : meta_(meta),
        account_symbol_(account.account_id),
        check_id_(meta.id),
        title_(meta.title),
        resource_type_(meta.resource_type),
        remediation_(meta.remediation),
        cis_(meta.cis_aws_3_0),
        out_(out) {}

  // Each returns the new finding so the check can add evidence and the remediation command. The
  // model's IDs and names are Symbols already and are taken as they are; other text is interned.
  Finding& fail(Symbol region, Symbol resource_id, Symbol resource_name, Symbol detail);
  Finding& pass(Symbol region, Symbol resource_id, Symbol resource_name, Symbol detail);
  Finding& not_assessed(Symbol region, Symbol resource_id, Symbol resource_name, Symbol detail);

  [[nodiscard]] const CheckMetadata& meta() const { return meta_; }
  // Adds findings made by another sink of the same check (for_each_region's), in their order.
  void take(std::vector<Finding>& findings) {
    for (Finding& f : findings) out_.push_back(std::move(f));
    std::vector<Finding>().swap(findings);
  }
  // Room for `more` findings: a check that knows how many resources it reports asks once instead of
  // letting the list grow (and copy itself) as it goes.
  void reserve(size_t more) { out_.reserve(out_.size() + more); }

 private:
  Finding& add(FindingStatus status, Symbol region, Symbol resource_id, Symbol resource_name, Symbol detail);
  const CheckMetadata& meta_;
  Symbol account_symbol_;
  // The metadata's texts, interned once per sink (a finding holds 8 bytes for each, not 16).
  Symbol check_id_, title_, resource_type_, remediation_, cis_;
  std::vector<Finding>& out_;
};

// Runs per_region(region, sink) for every region of the account, side by side on every core, each
// region into its own list; the lists are added to `sink` in region order, so the findings and their
// order are a plain loop's. For checks whose regions are independent and heavy (the reachability of
// every internet rule): run last, such a check would otherwise leave the other cores idle.
template <typename PerRegion>
void for_each_region(const CheckContext& ctx, FindingSink& sink, PerRegion&& per_region) {
  const std::vector<Region>& regions = ctx.account.regions;
  std::vector<std::vector<Finding>> found(regions.size());
  parallel_for(regions.size(), 0, [&](size_t k) {
    FindingSink own(sink.meta(), ctx.account, found[k]);
    per_region(regions[k], own);
  });
  size_t total = 0;
  for (const std::vector<Finding>& f : found) total += f.size();
  sink.reserve(total);  // once: the regions' lists are moved in without the list growing
  for (std::vector<Finding>& f : found) sink.take(f);
}

using CheckFunction = void (*)(const CheckContext& ctx, FindingSink& sink);

struct Check {
  CheckMetadata meta;
  CheckFunction run;
};

}  // namespace fortress
