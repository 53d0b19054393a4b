#include "checks/check.h"

namespace fortress {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kLow: return "low";
    case Severity::kMedium: return "medium";
    case Severity::kHigh: return "high";
    case Severity::kCritical: return "critical";
  }
  return "info";
}

std::optional<Severity> parse_severity(std::string_view s) {
  for (Severity v : {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    if (to_string(v) == s) return v;
  }
  return std::nullopt;
}

std::string_view to_string(Area a) {
  switch (a) {
    case Area::kIngress: return "ingress";
    case Area::kEgress: return "egress";
    case Area::kSgToServices: return "sg-to-services";
    case Area::kLifecycle: return "lifecycle";
    case Area::kEnvironment: return "environment";
    case Area::kSharedServices: return "shared-services";
    case Area::kWebServers: return "web-servers";
    case Area::kPermissions: return "permissions";
    case Area::kAccess: return "access";
  }
  return "ingress";
}

std::string_view to_string(FindingStatus s) {
  switch (s) {
    case FindingStatus::kFail: return "FAIL";
    case FindingStatus::kPass: return "PASS";
    case FindingStatus::kNotAssessed: return "NOT_ASSESSED";
    case FindingStatus::kMuted: return "MUTED";
  }
  return "FAIL";
}

std::vector<std::string_view> cis_controls(std::string_view rest) {
  std::vector<std::string_view> out;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

Finding& FindingSink::add(FindingStatus status, Symbol region, Symbol resource_id, Symbol resource_name,
                          Symbol detail) {
  Finding& f = out_.emplace_back();
  f.check_id = check_id_;
  f.title = title_;
  f.status = status;
  f.severity = meta_.severity;
  f.area = meta_.area;
  f.account_id = account_symbol_;
  f.region = region;
  f.resource_type = resource_type_;
  f.resource_id = resource_id;
  f.resource_name = resource_name;
  f.detail = detail;
  f.remediation_text = remediation_;
  f.cis_aws_3_0 = cis_;
  return f;
}

Finding& FindingSink::fail(Symbol region, Symbol resource_id, Symbol resource_name, Symbol detail) {
  return add(FindingStatus::kFail, region, resource_id, resource_name, detail);
}
Finding& FindingSink::pass(Symbol region, Symbol resource_id, Symbol resource_name, Symbol detail) {
  return add(FindingStatus::kPass, region, resource_id, resource_name, detail);
}
Finding& FindingSink::not_assessed(Symbol region, Symbol resource_id, Symbol resource_name, Symbol detail) {
  return add(FindingStatus::kNotAssessed, region, resource_id, resource_name, detail);
}

}  // namespace fortress
