// sg-flat-network and shared-service-reachable-broadly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.h"
#include "reach/net_builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

std::vector<Finding> run_reach_check(std::string_view id, const Account& account, const Config& config = {}) {
  const Check* check = find_check(id);
  EXPECT_NE(check, nullptr) << id;
  std::vector<Finding> out;
  if (check == nullptr) return out;
  const reach::Exposure exposure = reach::compute_exposure(account, config);
  CheckContext ctx{account, config};
  ctx.exposure = &exposure;
  FindingSink sink(check->meta, account, out);
  check->run(ctx, sink);
  return out;
}

TEST(SgFlatNetwork, WholeVpcOrPrivateRangeFailsNarrowOrReferencePasses) {
  Net n;
  n.vpc("vpc-1", "10.20.0.0/16");
  n.group("sg-vpc", {ingress(all_traffic(), "10.20.0.0/16", "sgr-1")});
  n.group("sg-rfc", {ingress(tcp(0, 65535), "10.0.0.0/8")});
  n.group("sg-narrow", {ingress(all_traffic(), "10.20.5.0/24"), ingress(tcp(5432), "10.0.0.0/8")});
  n.group("sg-self", {ingress(all_traffic(), "sg-self")});
  n.group("sg-world", {ingress(all_traffic(), "0.0.0.0/0")});
  const auto findings = run_reach_check("sg-flat-network", n.done());
  const Finding& vpc = only_finding(findings, "sg-vpc");
  EXPECT_EQ(status_name(vpc.status), "FAIL");
  EXPECT_THAT(vpc.detail, HasSubstr("covers the whole VPC block 10.20.0.0/16"));
  EXPECT_EQ(vpc.remediation_cli,
            "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-vpc --security-group-rule-ids sgr-1");
  EXPECT_EQ(status_name(only_finding(findings, "sg-rfc").status), "FAIL");
  EXPECT_EQ(status_name(only_finding(findings, "sg-narrow").status), "PASS");
  EXPECT_EQ(status_name(only_finding(findings, "sg-self").status), "PASS");
  EXPECT_EQ(status_name(only_finding(findings, "sg-world").status), "PASS");  // sg-all-traffic-open's finding
}

TEST(SgFlatNetwork, UnknownPrefixListIsNotAssessed) {
  Net n;
  n.vpc("vpc-1", "10.20.0.0/16");
  n.prefix_list("pl-x", std::nullopt);
  n.group("sg-1", {ingress(all_traffic(), "pl-x")});
  EXPECT_EQ(status_name(only_finding(run_reach_check("sg-flat-network", n.done()), "sg-1").status), "NOT_ASSESSED");
}

// dc-1 (directory ports from the VPC) and five clients in another subnet.
Net directory(int clients, bool public_dc = false) {
  Net n;
  n.vpc("vpc-1", "10.0.0.0/16")
      .subnet("subnet-1", "vpc-1", "10.0.1.0/24")
      .subnet("subnet-2", "vpc-1", "10.0.2.0/24")
      .igw("igw-1", "vpc-1")
      .route_table("rtb-1", "vpc-1", {route("0.0.0.0/0", "igw-1")}, {}, true)
      .acl("acl-1", "vpc-1", allow_all_entries(), {"subnet-1", "subnet-2"});
  n.group("sg-dc", {ingress(tcp(389), "10.0.0.0/16", "sgr-ldap"), ingress(udp(53), "10.0.0.0/16", "sgr-dns"),
                    ingress(tcp(88), "10.0.0.0/16", "sgr-kerberos"),
                    ingress(tcp(389), public_dc ? "0.0.0.0/0" : "10.0.0.0/16")});
  n.group("sg-client", {egress(all_traffic(), "0.0.0.0/0")});
  n.interface({.id = "eni-dc", .subnet = "subnet-1", .groups = {"sg-dc"}, .private_ip = "10.0.1.5",
               .public_ip = public_dc ? "54.1.1.1" : "", .instance = "i-dc", .instance_name = "dc-1"});
  for (int i = 0; i < clients; ++i) {
    n.interface({.id = "eni-c" + std::to_string(i), .subnet = "subnet-2", .groups = {"sg-client"},
                 .private_ip = "10.0.2." + std::to_string(10 + i), .instance = "i-c" + std::to_string(i)});
  }
  return n;
}

TEST(SharedServiceReachableBroadly, RecognizedByDirectoryPortsCountsSources) {
  Config config;
  config.shared_services.max_sources = 3;
  {
    Net n = directory(5);
    const Finding& f = only_finding(run_reach_check("shared-service-reachable-broadly", n.done(), config), "i-dc");
    EXPECT_EQ(status_name(f.status), "FAIL");
    EXPECT_THAT(f.detail, HasSubstr("directory ports 53, 88, 389"));
    EXPECT_THAT(f.detail, HasSubstr("reachable from 5 network interfaces (more than max_sources 3): i-c0, i-c1, i-c2, "
                                    "i-c3, ..."));
    EXPECT_THAT(std::string(f.evidence.json()), HasSubstr("\"ports\":\"tcp/88, 389; udp/53\"")) << f.evidence.json();
    // The fix replaces the VPC-wide rules by the members' group, which only the user knows: a
    // placeholder that makes the authorize fail, and `&&` keeps the revoke from running, until filled in.
    EXPECT_THAT(f.remediation_cli,
                ::testing::StartsWith("aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-dc "
                                      "--ip-permissions '[{\"IpProtocol\":\"tcp\",\"FromPort\":389,\"ToPort\":389,"
                                      "\"UserIdGroupPairs\":[{\"GroupId\":\"<domain-members-sg>\""));
    EXPECT_THAT(f.remediation_cli, HasSubstr("\"IpProtocol\":\"udp\",\"FromPort\":53,\"ToPort\":53"));
    EXPECT_THAT(f.remediation_cli, HasSubstr("' && aws ec2 revoke-security-group-ingress --region us-east-1 "
                                             "--group-id sg-dc --security-group-rule-ids sgr-ldap sgr-dns"));
  }
  {
    Net n = directory(2);
    const Finding& f = only_finding(run_reach_check("shared-service-reachable-broadly", n.done(), config), "i-dc");
    EXPECT_EQ(status_name(f.status), "PASS");
    EXPECT_THAT(f.detail, HasSubstr("reachable from 2 network interfaces (at most 3)"));
  }
}

TEST(SharedServiceReachableBroadly, DnsOrSmbAloneIsNoDirectory) {
  // A resolver or a file share is meant to be reached by every client: recognized only when declared.
  Net n = directory(5);
  n.region().security_groups[0].rules = {ingress(udp(53), "10.0.0.0/16"), ingress(tcp(445), "10.0.0.0/16"),
                                         ingress(tcp(0, 1024), "10.0.0.0/16")};  // 88 and 389, but 1,025 ports wide
  Config config;
  config.shared_services.max_sources = 1;
  EXPECT_TRUE(run_reach_check("shared-service-reachable-broadly", n.done(), config).empty());
}

TEST(SharedServiceReachableBroadly, InternetFailsWhateverTheCount) {
  Net n = directory(0, /*public_dc=*/true);
  const auto findings = run_reach_check("shared-service-reachable-broadly", n.done());
  const Finding& f = only_finding(findings, "i-dc");
  EXPECT_EQ(status_name(f.status), "FAIL");
  EXPECT_THAT(f.detail, HasSubstr("reachable from the internet (tcp/389 from any public IPv4 address)"));
  // The fix revokes the rule that admits the internet (no other host reaches it here).
  EXPECT_THAT(f.remediation_cli, HasSubstr("revoke-security-group-ingress --region us-east-1 --group-id sg-dc"));
  EXPECT_THAT(f.remediation_cli, HasSubstr("0.0.0.0/0"));
  // Only that rule: the members' rules stay.
  EXPECT_THAT(f.remediation_cli, ::testing::Not(HasSubstr("sgr-ldap")));
  EXPECT_THAT(f.remediation_cli, ::testing::Not(HasSubstr("authorize")));
}

TEST(SharedServiceReachableBroadly, DeclaredByInstanceIdOrTag) {
  Net n = directory(1);
  n.region().security_groups[0].rules = {ingress(tcp(8443), "10.0.0.0/16")};  // no directory port any more
  n.region().instances[1].tags.push_back({"Role", "file-server"});
  Config config;
  config.shared_services.instances = {"i-dc"};
  config.shared_services.tags = {{"Role", "file-server", false}};
  config.shared_services.max_sources = 0;
  const auto findings = run_reach_check("shared-service-reachable-broadly", n.done(), config);
  EXPECT_THAT(only_finding(findings, "i-dc").detail, HasSubstr("named in shared_services.instances"));
  EXPECT_EQ(status_name(only_finding(findings, "i-dc").status), "FAIL");  // i-c0 reaches 8443
  const Finding& tagged = only_finding(findings, "i-c0");
  EXPECT_THAT(tagged.detail, HasSubstr("tagged Role=file-server"));
  EXPECT_EQ(status_name(tagged.status), "PASS");  // sg-client admits nothing
}

TEST(SharedServicesConfig, ParsesAndRejectsUnknownKeys) {
  Expected<Config> c = parse_config(
      "shared_services:\n  instances: [i-0abc]\n  tags: [\"Role=dc\", Directory]\n  max_sources: 4\n"
      "  recognize_directory_ports: false\n",
      "f.yaml");
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  EXPECT_EQ(c->shared_services.instances, std::vector<std::string>{"i-0abc"});
  ASSERT_EQ(c->shared_services.tags.size(), 2u);
  EXPECT_EQ(c->shared_services.tags[0].value, "dc");
  EXPECT_TRUE(c->shared_services.tags[1].any_value);
  EXPECT_EQ(c->shared_services.max_sources, 4u);
  EXPECT_FALSE(c->shared_services.recognize_directory_ports);
  Expected<Config> bad = parse_config("shared_services:\n  max_source: 4\n", "f.yaml");
  ASSERT_FALSE(bad.has_value());
  EXPECT_THAT(bad.error().to_string(), HasSubstr("f.yaml:2: unknown key \"max_source\" in shared_services"));
  Expected<Config> bad_id = parse_config("shared_services:\n  instances: [web-1]\n", "f.yaml");
  ASSERT_FALSE(bad_id.has_value());
  EXPECT_THAT(bad_id.error().to_string(), HasSubstr("is not an instance ID"));
}

}  // namespace
}  // namespace fortress::testing
