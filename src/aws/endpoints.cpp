#include "aws/endpoints.h"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace fortress::aws {

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string strip_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

Partition partition_of(std::string_view region) {
  if (starts_with(region, "cn-")) return {"aws-cn", "amazonaws.com.cn"};
  if (starts_with(region, "us-gov-")) return {"aws-us-gov", "amazonaws.com"};
  if (starts_with(region, "us-isob-")) return {"aws-iso-b", "sc2s.sgov.gov"};
  if (starts_with(region, "us-iso-")) return {"aws-iso", "c2s.ic.gov"};
  return {"aws", "amazonaws.com"};
}

Endpoint default_endpoint(std::string_view service, std::string_view region) {
  const Partition p = partition_of(region);
  const std::string suffix(p.dns_suffix);
  if (service == "iam") {
    if (p.name == "aws") return {"https://iam.amazonaws.com", "us-east-1"};
    if (p.name == "aws-cn") return {"https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1"};
    if (p.name == "aws-us-gov") return {"https://iam.us-gov.amazonaws.com", "us-gov-west-1"};
    if (p.name == "aws-iso") return {"https://iam.us-iso-east-1.c2s.ic.gov", "us-iso-east-1"};
    return {"https://iam.us-isob-east-1.sc2s.sgov.gov", "us-isob-east-1"};
  }
  if (service == "organizations") {
    if (p.name == "aws") return {"https://organizations.us-east-1.amazonaws.com", "us-east-1"};
    if (p.name == "aws-cn") return {"https://organizations.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"};
    if (p.name == "aws-us-gov") return {"https://organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1"};
  }
  // STS: regional endpoints (the AWS CLI v2 default); everything else is service.region.suffix.
  return {"https://" + std::string(service) + "." + std::string(region) + "." + suffix, std::string(region)};
}

std::string endpoint_env_suffix(std::string_view service_id) {
  std::string out;
  for (char c : service_id) {
    out.push_back(c == ' ' || c == '-' ? '_' : char(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

Endpoint sts_endpoint(std::string_view region, bool legacy_global) {
  // The regions whose STS calls went to the global endpoint before regional endpoints became the
  // default (botocore's legacy list).
  static constexpr std::string_view kLegacyGlobal[] = {
      "ap-northeast-1", "ap-south-1",   "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1",
      "eu-central-1",   "eu-north-1",   "eu-west-1",      "eu-west-2",      "eu-west-3",  "sa-east-1",
      "us-east-1",      "us-east-2",    "us-west-1",      "us-west-2"};
  if (legacy_global && std::find(std::begin(kLegacyGlobal), std::end(kLegacyGlobal), region) != std::end(kLegacyGlobal)) {
    return {"https://sts.amazonaws.com", "us-east-1"};
  }
  return default_endpoint("sts", region == "aws-global" ? std::string_view("us-east-1") : region);
}

Endpoint resolve_endpoint(std::string_view service, std::string_view service_id, std::string_view region,
                          std::string_view cli_endpoint_url,
                          const std::function<std::optional<std::string>(const std::string&)>& getenv) {
  Endpoint e = default_endpoint(service, region);
  if (service == "sts") {
    auto mode = getenv("AWS_STS_REGIONAL_ENDPOINTS");
    e = sts_endpoint(region, mode && *mode == "legacy");
  }
  if (!cli_endpoint_url.empty()) {
    e.url = strip_slash(std::string(cli_endpoint_url));
    return e;
  }
  auto ignore = getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  if (ignore && (*ignore == "true" || *ignore == "TRUE" || *ignore == "True")) return e;
  if (auto v = getenv("AWS_ENDPOINT_URL_" + endpoint_env_suffix(service_id)); v && !v->empty()) {
    e.url = strip_slash(*v);
    return e;
  }
  if (auto v = getenv("AWS_ENDPOINT_URL"); v && !v->empty()) e.url = strip_slash(*v);
  return e;
}

}  // namespace fortress::aws
