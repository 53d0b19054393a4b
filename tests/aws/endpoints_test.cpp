#include "aws/endpoints.h"

#include <gtest/gtest.h>

#include <map>

namespace fortress::aws {
namespace {

auto env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& k) -> std::optional<std::string> {
    auto it = vars.find(k);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(Endpoints, PartitionsByRegion) {
  EXPECT_EQ(partition_of("us-east-1").name, "aws");
  EXPECT_EQ(partition_of("eu-central-2").name, "aws");
  EXPECT_EQ(partition_of("cn-northwest-1").name, "aws-cn");
  EXPECT_EQ(partition_of("cn-northwest-1").dns_suffix, "amazonaws.com.cn");
  EXPECT_EQ(partition_of("us-gov-west-1").name, "aws-us-gov");
  EXPECT_EQ(partition_of("us-iso-east-1").name, "aws-iso");
  EXPECT_EQ(partition_of("us-isob-east-1").name, "aws-iso-b");
}

TEST(Endpoints, RegionalServices) {
  EXPECT_EQ(default_endpoint("ec2", "eu-west-1").url, "https://ec2.eu-west-1.amazonaws.com");
  EXPECT_EQ(default_endpoint("ec2", "cn-north-1").url, "https://ec2.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(default_endpoint("sts", "us-gov-east-1").url, "https://sts.us-gov-east-1.amazonaws.com");
  EXPECT_EQ(default_endpoint("sts", "ap-southeast-4").signing_region, "ap-southeast-4");
}

TEST(Endpoints, IamIsGlobalPerPartition) {
  EXPECT_EQ(default_endpoint("iam", "eu-west-1").url, "https://iam.amazonaws.com");
  EXPECT_EQ(default_endpoint("iam", "eu-west-1").signing_region, "us-east-1");
  EXPECT_EQ(default_endpoint("iam", "cn-northwest-1").url, "https://iam.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(default_endpoint("iam", "cn-northwest-1").signing_region, "cn-north-1");
  EXPECT_EQ(default_endpoint("iam", "us-gov-east-1").url, "https://iam.us-gov.amazonaws.com");
  EXPECT_EQ(default_endpoint("iam", "us-gov-east-1").signing_region, "us-gov-west-1");
}

TEST(Endpoints, StsRegionalByDefaultGlobalOnlyInLegacyMode) {
  EXPECT_EQ(sts_endpoint("us-east-1", false).url, "https://sts.us-east-1.amazonaws.com");
  EXPECT_EQ(sts_endpoint("eu-west-1", true).url, "https://sts.amazonaws.com");
  EXPECT_EQ(sts_endpoint("eu-west-1", true).signing_region, "us-east-1");
  EXPECT_EQ(sts_endpoint("ap-southeast-4", true).url, "https://sts.ap-southeast-4.amazonaws.com")
      << "a region opened after regional endpoints became the rule has no global one";
  EXPECT_EQ(sts_endpoint("cn-north-1", true).url, "https://sts.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(sts_endpoint("us-gov-west-1", true).url, "https://sts.us-gov-west-1.amazonaws.com");
  auto legacy = env_of({{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}});
  EXPECT_EQ(resolve_endpoint("sts", "STS", "us-west-2", "", legacy).url, "https://sts.amazonaws.com");
  auto regional = env_of({{"AWS_STS_REGIONAL_ENDPOINTS", "regional"}});
  EXPECT_EQ(resolve_endpoint("sts", "STS", "us-west-2", "", regional).url, "https://sts.us-west-2.amazonaws.com");
  // An override still wins.
  auto both = env_of({{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9000"}});
  EXPECT_EQ(resolve_endpoint("sts", "STS", "us-west-2", "", both).url, "http://127.0.0.1:9000");
}

TEST(Endpoints, OrganizationsIsGlobalPerPartition) {
  EXPECT_EQ(default_endpoint("organizations", "eu-west-1").url, "https://organizations.us-east-1.amazonaws.com");
  EXPECT_EQ(default_endpoint("organizations", "eu-west-1").signing_region, "us-east-1");
  EXPECT_EQ(default_endpoint("organizations", "cn-north-1").url,
            "https://organizations.cn-northwest-1.amazonaws.com.cn");
  EXPECT_EQ(default_endpoint("organizations", "us-gov-east-1").url,
            "https://organizations.us-gov-west-1.amazonaws.com");
  EXPECT_EQ(default_endpoint("organizations", "us-gov-east-1").signing_region, "us-gov-west-1");
  EXPECT_EQ(default_endpoint("elasticloadbalancing", "us-gov-east-1").url,
            "https://elasticloadbalancing.us-gov-east-1.amazonaws.com");
  EXPECT_EQ(default_endpoint("guardduty", "cn-northwest-1").url, "https://guardduty.cn-northwest-1.amazonaws.com.cn");
}

TEST(Endpoints, OverridesInSdkOrder) {
  auto env = env_of({{"AWS_ENDPOINT_URL", "http://127.0.0.1:4000/"},
                     {"AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:5000"},
                     {"AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", "http://127.0.0.1:6000"}});
  EXPECT_EQ(resolve_endpoint("ec2", "EC2", "us-east-1", "", env).url, "http://127.0.0.1:5000");
  EXPECT_EQ(resolve_endpoint("ec2", "EC2", "us-east-1", "", env).signing_region, "us-east-1");
  EXPECT_EQ(resolve_endpoint("iam", "IAM", "us-east-1", "", env).url, "http://127.0.0.1:4000");
  EXPECT_EQ(resolve_endpoint("elasticloadbalancing", "Elastic Load Balancing v2", "us-east-1", "", env).url,
            "http://127.0.0.1:6000");
  EXPECT_EQ(resolve_endpoint("ec2", "EC2", "us-east-1", "http://127.0.0.1:7000", env).url, "http://127.0.0.1:7000");
  auto ignoring = env_of({{"AWS_ENDPOINT_URL", "http://127.0.0.1:4000"}, {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}});
  EXPECT_EQ(resolve_endpoint("ec2", "EC2", "us-east-1", "", ignoring).url, "https://ec2.us-east-1.amazonaws.com");
}

}  // namespace
}  // namespace fortress::aws
