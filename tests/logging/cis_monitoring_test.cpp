// The CIS v3.0.0 monitoring table (4.1-4.15) and the decision "does this filter satisfy control 4.x":
// every control's own patterns pass, equivalent rewrites pass, near-misses do not.
#include "logging/cis_monitoring.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>

namespace fortress {
namespace {

using ::testing::HasSubstr;

FilterPattern P(std::string_view text) {
  Expected<FilterPattern> p = parse_filter_pattern(text);
  EXPECT_TRUE(p.has_value()) << text << ": " << (p ? "" : p.error().message);
  return p ? *p : FilterPattern{};
}

CoverageResult verdict(const CisMonitoringControl& c, std::string_view user) {
  return covers_cis_control(P(user), c);
}

TEST(CisMonitoring, TableHasFifteenControlsThatParse) {
  auto controls = cis_monitoring_controls();
  ASSERT_EQ(controls.size(), 15u);
  std::set<std::string_view> names;
  for (size_t i = 0; i < controls.size(); ++i) {
    const CisMonitoringControl& c = controls[i];
    EXPECT_EQ(c.control, "4." + std::to_string(i + 1));
    names.insert(c.metric_name);
    ASSERT_FALSE(c.cis_forms.empty());
    EXPECT_EQ(c.cis_forms.front(), c.recommended) << c.control;
    for (std::string_view form : c.cis_forms) EXPECT_TRUE(parse_filter_pattern(form).has_value()) << form;
    const size_t scoped = c.event_source.empty() ? 0 : c.cis_forms.size();
    EXPECT_EQ(c.accepted().size(), c.cis_forms.size() + scoped) << c.control;
    EXPECT_EQ(cis_monitoring_control(c.control), &c);
  }
  EXPECT_EQ(names.size(), 15u) << "metric names are distinct";
  EXPECT_EQ(cis_monitoring_control("4.16"), nullptr);
}

TEST(CisMonitoring, EveryCisFormSatisfiesItsControl) {
  for (const CisMonitoringControl& c : cis_monitoring_controls()) {
    for (std::string_view form : c.cis_forms) {
      const CoverageResult r = verdict(c, form);
      EXPECT_EQ(r.verdict, CoverageVerdict::kCovered) << c.control << " " << form << ": " << r.detail;
    }
    for (const FilterPattern& form : c.accepted()) {
      const CoverageResult r = covers_cis_control(form, c);
      EXPECT_EQ(r.verdict, CoverageVerdict::kCovered) << c.control << " " << form.to_string() << ": " << r.detail;
    }
  }
}

// Rewrites of a tree that keep its meaning: reversed alternatives and conjuncts.
void reverse_all(PatternNode& n) {
  std::reverse(n.children.begin(), n.children.end());
  for (PatternNode& c : n.children) reverse_all(c);
}

std::string with_values_quoted_differently(const FilterPattern& p) {
  // Canonical text quotes every string value; the CIS texts mostly do not.
  return p.to_string();
}

TEST(CisMonitoring, EquivalentRewritesPass) {
  for (const CisMonitoringControl& c : cis_monitoring_controls()) {
    FilterPattern p = P(c.recommended);
    reverse_all(p.root);
    const std::string reversed = p.to_string();
    EXPECT_EQ(verdict(c, reversed).verdict, CoverageVerdict::kCovered) << c.control << " " << reversed;

    const std::string quoted = with_values_quoted_differently(P(c.recommended));
    EXPECT_EQ(verdict(c, quoted).verdict, CoverageVerdict::kCovered) << c.control << " " << quoted;

    std::string squeezed;
    for (char ch : std::string(c.recommended)) {
      if (ch != ' ') squeezed += ch;
    }
    // Removing spaces is only safe outside quoted strings with spaces (none in these patterns).
    if (std::string(c.recommended).find("\" ") == std::string::npos &&
        std::string(c.recommended).find("Failed authentication") == std::string::npos) {
      EXPECT_EQ(verdict(c, squeezed).verdict, CoverageVerdict::kCovered) << c.control << " " << squeezed;
    }

    const std::string body = P(c.recommended).to_string();
    const std::string inner = body.substr(2, body.size() - 4);
    const std::string extra = "{ ((" + inner + ")) || ($.eventName = \"SomethingElse\") }";
    EXPECT_EQ(verdict(c, extra).verdict, CoverageVerdict::kCovered) << c.control << " " << extra;
    if (!c.event_source.empty()) {
      const std::string scoped = "{ $.eventSource = \"" + std::string(c.event_source) + "\" && (" + inner + ") }";
      EXPECT_EQ(verdict(c, scoped).verdict, CoverageVerdict::kCovered) << c.control << " " << scoped;
    }
  }
}

// Removes one alternative (an atom of an || group, by key); false when there is none to remove.
bool drop_atom(const FilterPattern& p, PatternNode& n, const std::string& key) {
  for (size_t i = 0; i < n.children.size(); ++i) {
    PatternNode& c = n.children[i];
    if (n.kind == PatternNode::Kind::kOr && c.kind == PatternNode::Kind::kAtom && p.atoms[c.atom].key() == key) {
      n.children.erase(n.children.begin() + long(i));
      return true;
    }
    if (drop_atom(p, c, key)) return true;
  }
  return false;
}

TEST(CisMonitoring, DroppingAnEventNameFails) {
  int dropped = 0;
  for (const CisMonitoringControl& c : cis_monitoring_controls()) {
    const FilterPattern base = P(c.recommended);
    for (const PatternAtom& a : base.atoms) {
      if (a.selector != "$.eventName" || a.kind != AtomKind::kStringEquals) continue;
      FilterPattern p = base;
      if (!drop_atom(p, p.root, a.key())) continue;
      // A control with a single event name (4.2, 4.6) cannot lose it this way.
      const CoverageResult r = verdict(c, p.to_string());
      EXPECT_EQ(r.verdict, CoverageVerdict::kNotCovered) << c.control << " without " << a.value;
      EXPECT_THAT(r.detail, HasSubstr("\"" + a.value + "\"")) << c.control;
      ++dropped;
    }
  }
  EXPECT_EQ(dropped, 90) << "every event name of 4.4, 4.5 and 4.7-4.15 (16+5+2+9+4+6+6+6+7+11+18)";
}

TEST(CisMonitoring, NarrowingConditionsFail) {
  for (const CisMonitoringControl& c : cis_monitoring_controls()) {
    const std::string body = P(c.recommended).to_string();
    const std::string inner = body.substr(2, body.size() - 4);
    const std::string narrowed = "{ (" + inner + ") && $.awsRegion = \"us-east-1\" }";
    const CoverageResult r = verdict(c, narrowed);
    EXPECT_EQ(r.verdict, CoverageVerdict::kNotCovered) << c.control << ": " << r.detail;
    EXPECT_THAT(r.detail, HasSubstr("$.awsRegion missing")) << c.control;
  }
}

TEST(CisMonitoring, UnauthorizedApiCalls41) {
  const CisMonitoringControl& c = *cis_monitoring_control("4.1");
  // CIS v1.4 and Security Hub: the two error codes alone.
  EXPECT_EQ(verdict(c, R"({($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")})").verdict,
            CoverageVerdict::kCovered);
  // CIS v1.5 as commonly deployed (&& binds tighter: the exclusions apply to AccessDenied only).
  EXPECT_EQ(verdict(c, R"({ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") })")
                .verdict,
            CoverageVerdict::kCovered);
  // CIS v3.0.0 as printed (|| everywhere): broader still.
  EXPECT_EQ(verdict(c, R"({ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") })")
                .verdict,
            CoverageVerdict::kCovered);
  const CoverageResult only_denied = verdict(c, R"({ $.errorCode = "AccessDenied*" })");
  EXPECT_EQ(only_denied.verdict, CoverageVerdict::kNotCovered);
  EXPECT_THAT(only_denied.detail, HasSubstr("UnauthorizedOperation"));
  // Excluding more sources than CIS does is a narrowing.
  const CoverageResult more_excluded = verdict(
      c, R"({ ($.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied*") && $.userIdentity.type != "AssumedRole" })");
  EXPECT_NE(more_excluded.verdict, CoverageVerdict::kCovered) << more_excluded.detail;
}

TEST(CisMonitoring, ConsoleSigninWithoutMfa42) {
  const CisMonitoringControl& c = *cis_monitoring_control("4.2");
  EXPECT_EQ(verdict(c, R"({ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") })")
                .verdict,
            CoverageVerdict::kCovered);
  const CoverageResult no = verdict(c, R"({ $.eventName = ConsoleLogin && $.additionalEventData.MFAUsed = "No" })");
  EXPECT_EQ(no.verdict, CoverageVerdict::kNotCovered) << no.detail;
  EXPECT_THAT(no.detail, HasSubstr("$.additionalEventData.MFAUsed = "));
  EXPECT_EQ(verdict(c, R"({ $.eventName = "ConsoleLogin" })").verdict, CoverageVerdict::kCovered);
}

TEST(CisMonitoring, RootUsage43) {
  const CisMonitoringControl& c = *cis_monitoring_control("4.3");
  EXPECT_EQ(verdict(c, R"({ $.userIdentity.type = "Root" })").verdict, CoverageVerdict::kCovered);
  EXPECT_EQ(verdict(c, R"({ $.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS })").verdict,
            CoverageVerdict::kCovered);
  // Root console sign-ins (eventType AwsConsoleSignIn) would be missed.
  const CoverageResult api_only = verdict(c, R"({ $.userIdentity.type = Root && $.eventType = AwsApiCall })");
  EXPECT_EQ(api_only.verdict, CoverageVerdict::kNotCovered);
  EXPECT_THAT(api_only.detail, HasSubstr("$.eventType = "));
}

TEST(CisMonitoring, RouteTables413AcceptsTheAuditTextAndScopedForm) {
  const CisMonitoringControl& c = *cis_monitoring_control("4.13");
  EXPECT_EQ(verdict(c, R"({($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) })")
                .verdict,
            CoverageVerdict::kCovered);
  const CoverageResult wrong = verdict(c, R"({($.eventSource = apigateway.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) })");
  EXPECT_EQ(wrong.verdict, CoverageVerdict::kNotCovered);
}

TEST(CisMonitoring, SecurityGroups410WithWildcards) {
  const CisMonitoringControl& c = *cis_monitoring_control("4.10");
  EXPECT_EQ(verdict(c, "{ $.eventName = *SecurityGroup* }").verdict, CoverageVerdict::kCovered);
  const CoverageResult partial = verdict(c, "{ $.eventName = Authorize* || $.eventName = Revoke* }");
  EXPECT_EQ(partial.verdict, CoverageVerdict::kNotCovered);
  EXPECT_THAT(partial.detail, HasSubstr("SecurityGroup\""));
  EXPECT_EQ(verdict(c, "{ $.eventSource = iam.amazonaws.com && $.eventName = *SecurityGroup* }").verdict,
            CoverageVerdict::kNotCovered);
  EXPECT_EQ(verdict(c, "{ $.eventName = %SecurityGroup% }").verdict, CoverageVerdict::kUnknown);
  EXPECT_EQ(verdict(c, "").verdict, CoverageVerdict::kCovered);
  EXPECT_EQ(verdict(c, "CreateSecurityGroup").verdict, CoverageVerdict::kUnknown);
}

}  // namespace
}  // namespace fortress
