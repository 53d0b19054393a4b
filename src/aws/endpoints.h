// Where to send a call: AWS partitions (aws, aws-cn, aws-us-gov, ISO), service endpoints including
// IAM's global one, and endpoint overrides exactly as the AWS SDKs define them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace fortress::aws {

struct Partition {
  std::string_view name;        // "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"
  std::string_view dns_suffix;  // "amazonaws.com", "amazonaws.com.cn", ...
};

[[nodiscard]] Partition partition_of(std::string_view region);

struct Endpoint {
  std::string url;             // "https://ec2.us-east-1.amazonaws.com" (no trailing slash)
  std::string signing_region;  // the region the signature is scoped to
};

// The endpoint for `service` (its endpoint prefix: "ec2", "iam", "sts", "guardduty", "elasticloadbalancing",
// "autoscaling", "config", "cloudtrail", "ssm", "inspector2", "access-analyzer", "organizations", "logs",
// "monitoring", "sns") in `region`. Global services (IAM, Organizations) resolve to their partition's
// global endpoint and signing region.
[[nodiscard]] Endpoint default_endpoint(std::string_view service, std::string_view region);

// STS: the region's own endpoint (the default since the AWS CLI v2 and SDKs of 2022), or with
// `legacy_global` (AWS_STS_REGIONAL_ENDPOINTS=legacy / sts_regional_endpoints = legacy) the global
// https://sts.amazonaws.com, signed for us-east-1, for the sixteen regions that used it before.
[[nodiscard]] Endpoint sts_endpoint(std::string_view region, bool legacy_global);

// STS follows AWS_STS_REGIONAL_ENDPOINTS (via `getenv`). Overrides, highest first: --endpoint-url (cli_endpoint_url), AWS_ENDPOINT_URL_<SERVICE> (the service
// ID upper-cased with spaces as underscores: "EC2", "STS", "ELASTIC_LOAD_BALANCING_V2"...), then
// AWS_ENDPOINT_URL; none apply when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is "true" (except the flag).
// `service_id` is the SDK service ID ("EC2", "IAM", "Elastic Load Balancing v2").
[[nodiscard]] Endpoint resolve_endpoint(std::string_view service, std::string_view service_id, std::string_view region,
                                        std::string_view cli_endpoint_url,
                                        const std::function<std::optional<std::string>(const std::string&)>& getenv);

// "Elastic Load Balancing v2" → "ELASTIC_LOAD_BALANCING_V2".
[[nodiscard]] std::string endpoint_env_suffix(std::string_view service_id);

}  // namespace fortress::aws
