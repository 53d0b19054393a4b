// exposed-admin-port, exposed-sensitive-port, exposed-all-ports, exposed-web, and the reachability
// evidence of the security-group checks: run over small networks with the scan's exposure analysis.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reach/net_builder.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

std::vector<Finding> run_with_exposure(std::string_view id, const Account& account, const Config& config = {}) {
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

EniSpec host(std::string eni, std::string instance, std::string public_ip, std::vector<Symbol> groups) {
  return EniSpec{.id = std::move(eni), .subnet = "subnet-1", .groups = std::move(groups), .private_ip = "10.0.1.10",
                 .public_ip = std::move(public_ip), .instance = std::move(instance), .instance_name = "web-1"};
}

TEST(ExposedAdminPort, FailsOnTheInstanceWithThePathAndTheRevokeCommand) {
  Net n = public_network();
  n.group("sg-ssh", {ingress(tcp(22), "0.0.0.0/0", "sgr-ssh")});
  n.interface(host("eni-1", "i-1", "54.1.2.3", {"sg-ssh"}));
  const auto findings = run_with_exposure("exposed-admin-port", n.done());
  const Finding& f = only_finding(findings, "i-1");
  EXPECT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.resource_type, "AWS::EC2::Instance");
  EXPECT_EQ(f.detail, "tcp/22 from any public IPv4 address: internet -> igw-1 -> rtb-1 -> acl-1 in/out -> sgr-ssh -> "
                      "eni-1 -> i-1 (web-1)");
  EXPECT_EQ(f.remediation_cli,
            "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-ssh --security-group-rule-ids sgr-ssh");
  const std::optional<JsonValue> exposures = f.evidence.get("exposures");
  ASSERT_TRUE(exposures.has_value());
  const JsonValue& path = *exposures->as_array()[0].get("path");
  std::vector<std::string> kinds;
  for (const JsonValue& h : path.as_array()) kinds.push_back(h.get("kind")->as_string());
  EXPECT_EQ(kinds, (std::vector<std::string>{"internet", "igw", "route", "nacl-in", "nacl-out", "sg-rule", "eni", "instance"}));
}

TEST(ExposedAdminPort, PassesWithTheBlockerWhenTheNaclDenies) {
  Net n = public_network({nacl_in(90, kDeny, tcp(22), "0.0.0.0/0"), nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"),
                          nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")});
  n.group("sg-ssh", {ingress(tcp(22), "0.0.0.0/0", "sgr-ssh")});
  n.interface(host("eni-1", "i-1", "54.1.2.3", {"sg-ssh"}));
  const auto findings = run_with_exposure("exposed-admin-port", n.done());
  const Finding& f = only_finding(findings, "i-1");
  EXPECT_EQ(status_name(f.status), "PASS");
  EXPECT_THAT(f.detail, HasSubstr("NACL acl-1 inbound rule 90 denies it"));
}

TEST(ExposedAdminPort, TrustedSourcesAreNotTheInternet) {
  Net n = public_network();
  n.group("sg-ssh", {ingress(tcp(22), "198.51.99.0/24")});
  n.interface(host("eni-1", "i-1", "54.1.2.3", {"sg-ssh"}));
  Config config;
  config.trusted_cidrs.push_back(cidr("198.51.99.0/24"));
  const Account& a = n.done();
  EXPECT_EQ(status_name(only_finding(run_with_exposure("exposed-admin-port", a, config), "i-1").status), "PASS");
  EXPECT_EQ(status_name(only_finding(run_with_exposure("exposed-admin-port", a), "i-1").status), "FAIL");
}

TEST(ExposedAdminPort, StoppedInstanceAndLoneEni) {
  Net n = public_network();
  n.group("sg-ssh", {ingress(tcp(22), "0.0.0.0/0")});
  n.interface(host("eni-1", "i-1", "54.1.2.3", {"sg-ssh"}));
  n.region().instances.back().state = "stopped";
  EniSpec lone = host("eni-2", "", "54.1.2.4", {"sg-ssh"});
  lone.private_ip = "10.0.1.11";
  n.interface(lone);
  const auto findings = run_with_exposure("exposed-admin-port", n.done());
  const Finding& stopped = only_finding(findings, "i-1");
  EXPECT_EQ(status_name(stopped.status), "PASS");
  EXPECT_THAT(stopped.detail, HasSubstr("instance is stopped"));
  const Finding& eni = only_finding(findings, "eni-2");
  EXPECT_EQ(status_name(eni.status), "FAIL");
  EXPECT_EQ(eni.resource_type, "AWS::EC2::NetworkInterface");
  // A lone ENI that passes is a network interface too, not an instance.
  Net quiet = public_network();
  quiet.group("sg-web", {ingress(tcp(443), "0.0.0.0/0")});
  lone.groups = {"sg-web"};
  quiet.interface(lone);
  const Finding& passed = only_finding(run_with_exposure("exposed-admin-port", quiet.done()), "eni-2");
  EXPECT_EQ(status_name(passed.status), "PASS");
  EXPECT_EQ(passed.resource_type, "AWS::EC2::NetworkInterface");
}

TEST(ExposedAdminPort, NotAssessedWithoutRouteTablesOrPrefixListEntries) {
  {
    Net n = public_network();
    n.coverage(Dataset::kRouteTables, CoverageStatus::kMissing);
    n.group("sg-ssh", {ingress(tcp(22), "0.0.0.0/0")});
    n.interface(host("eni-1", "i-1", "54.1.2.3", {"sg-ssh"}));
    const auto findings = run_with_exposure("exposed-admin-port", n.done());
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(status_name(findings[0].status), "NOT_ASSESSED");
    EXPECT_EQ(findings[0].resource_id, "ec2/describe-route-tables");
  }
  {
    Net n = public_network();
    n.prefix_list("pl-x", std::nullopt);
    n.group("sg-ssh", {ingress(tcp(22), "pl-x")});
    n.interface(host("eni-1", "i-1", "54.1.2.3", {"sg-ssh"}));
    const auto findings = run_with_exposure("exposed-admin-port", n.done());
    EXPECT_EQ(status_name(only_finding(findings, "i-1").status), "NOT_ASSESSED");
  }
  {
    Net n = public_network();
    n.group("sg-ssh", {ingress(tcp(22), "0.0.0.0/0")});
    n.interface(host("eni-1", "i-1", "54.1.2.3", {"sg-ssh"}));
    const Account& a = n.done();
    const Check* check = find_check("exposed-admin-port");
    std::vector<Finding> out;
    FindingSink sink(check->meta, a, out);
    check->run(CheckContext{a, Config{}}, sink);  // no exposure analysis in the context
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(status_name(out[0].status), "NOT_ASSESSED");
  }
}

TEST(ExposedSensitivePort, UsesTheConfiguredPortsBothProtocols) {
  Net n = public_network();
  n.group("sg-db", {ingress(tcp(5432), "0.0.0.0/0"), ingress(udp(161), "0.0.0.0/0"), ingress(tcp(443), "0.0.0.0/0")});
  n.interface(host("eni-1", "i-1", "54.1.2.3", {"sg-db"}));
  const Account& a = n.done();
  const Finding& f = only_finding(run_with_exposure("exposed-sensitive-port", a), "i-1");
  EXPECT_EQ(status_name(f.status), "FAIL");
  EXPECT_THAT(f.detail, HasSubstr("tcp/5432 from any public IPv4 address"));
  EXPECT_THAT(f.detail, ::testing::Not(HasSubstr("443")));
  Config config;
  config.sensitive_ports = {PortRange::single(161)};
  const Finding& g = only_finding(run_with_exposure("exposed-sensitive-port", a, config), "i-1");
  EXPECT_THAT(g.detail, HasSubstr("udp/161"));
  EXPECT_THAT(g.detail, ::testing::Not(HasSubstr("5432")));
}

TEST(ExposedAllPorts, EveryPortAcrossRulesFailsOnePortShortPasses) {
  {
    Net n = public_network();
    n.group("sg-a", {ingress(tcp(0, 1000), "0.0.0.0/0"), ingress(tcp(1001, 65535), "0.0.0.0/0")});
    n.interface(host("eni-1", "i-1", "54.1.2.3", {"sg-a"}));
    EXPECT_EQ(status_name(only_finding(run_with_exposure("exposed-all-ports", n.done()), "i-1").status), "FAIL");
  }
  {
    Net n = public_network({nacl_in(50, kDeny, tcp(25), "0.0.0.0/0"), nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"),
                            nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")});
    n.group("sg-a", {ingress(tcp(0, 65535), "0.0.0.0/0")});
    n.interface(host("eni-1", "i-1", "54.1.2.3", {"sg-a"}));
    EXPECT_EQ(status_name(only_finding(run_with_exposure("exposed-all-ports", n.done()), "i-1").status), "PASS");
  }
}

TEST(ExposedWeb, InventoryOfThePublicWebSurface) {
  Net n = public_network();
  n.group("sg-web", {ingress(tcp(443), "0.0.0.0/0"), ingress(tcp(443), "::/0")});
  EniSpec s = host("eni-1", "i-1", "", {"sg-web"});
  s.ipv6 = {"2600:1f18:0:1::10"};
  n.interface(s);
  n.interface({.id = "eni-2", .subnet = "subnet-1", .groups = {"sg-web"}, .private_ip = "10.0.1.20", .instance = "i-2"});
  const auto findings = run_with_exposure("exposed-web", n.done());
  const Finding& f = only_finding(findings, "i-1");
  EXPECT_EQ(status_name(f.status), "FAIL");
  EXPECT_EQ(f.severity, Severity::kInfo);
  EXPECT_THAT(f.detail, HasSubstr("tcp/443 from any public IPv6 address"));
  EXPECT_EQ(status_name(only_finding(findings, "i-2").status), "PASS");
}

// The analysis cuts grants where the admitting rules change; a finding shows one exposure per
// family, protocol, sources and way in, with every rule that admits part of it.
TEST(ExposedWeb, PortSegmentsOfOneWayInAreOneExposure) {
  Net n = public_network();
  n.group("sg-web", {ingress(tcp(80), "0.0.0.0/0", "sgr-80"), ingress(tcp(443), "0.0.0.0/0", "sgr-443"),
                     ingress(tcp(443), "::/0", "sgr-443-v6")});
  EniSpec s = host("eni-1", "i-1", "54.1.2.3", {"sg-web"});
  s.ipv6 = {"2600:1f18:0:1::10"};
  n.interface(s);
  const Finding& f = only_finding(run_with_exposure("exposed-web", n.done()), "i-1");
  ASSERT_EQ(status_name(f.status), "FAIL");
  const JsonValue exposures = *f.evidence.get("exposures");
  ASSERT_EQ(exposures.as_array().size(), 2u);  // IPv4 80 and 443 by two rules; IPv6 443
  const JsonValue& web = exposures.as_array()[0];
  EXPECT_EQ(web.get("ports")->as_string(), "80, 443");
  std::vector<std::string> rules;
  for (const JsonValue& h : web.get("path")->as_array()) {
    if (h.get("kind")->as_string() == "sg-rule") rules.push_back(h.get("id")->as_string());
  }
  EXPECT_EQ(rules, (std::vector<std::string>{"sgr-80", "sgr-443"}));
  EXPECT_EQ(exposures.as_array()[1].get("family")->as_string(), "ipv6");
  EXPECT_EQ(exposures.as_array()[1].get("ports")->as_string(), "443");
  EXPECT_THAT(f.detail, HasSubstr("tcp/80, 443 from any public IPv4 address: internet -> igw-1 -> rtb-1 -> acl-1 in/out -> "
                                  "sgr-80 -> sgr-443 -> eni-1 -> i-1 (web-1)"));
  EXPECT_THAT(f.remediation_cli, HasSubstr("--security-group-rule-ids sgr-80 sgr-443 sgr-443-v6"));
}

TEST(SgFindingsReachability, SaysWhetherTheGrantIsReachableAndWhatBlocksIt) {
  Net n = public_network({nacl_in(90, kDeny, tcp(22), "0.0.0.0/0"), nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"),
                          nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")});
  n.group("sg-ssh", {ingress(tcp(22), "0.0.0.0/0", "sgr-ssh")});
  n.group("sg-rdp", {ingress(tcp(3389), "0.0.0.0/0", "sgr-rdp")});
  n.group("sg-none", {ingress(tcp(22), "0.0.0.0/0", "sgr-x")});
  n.interface(host("eni-1", "i-1", "54.1.2.3", {"sg-ssh", "sg-rdp"}));
  const auto findings = run_with_exposure("sg-admin-port-open-ipv4", n.done());
  const JsonValue ssh = *only_finding(findings, "sg-ssh").evidence.get("reachability");
  EXPECT_EQ(ssh.get("verdict")->as_string(), "blocked");
  EXPECT_EQ(ssh.get("rules")->as_array()[0].get("explanation")->as_string(),
            "sg-ssh allows tcp/22 from 0.0.0.0/0 (sgr-ssh), but NACL acl-1 inbound rule 90 denies it (rule 90 denies tcp/22 "
            "from 0.0.0.0/0)");
  EXPECT_EQ(only_finding(findings, "sg-rdp").evidence.get("reachability")->get("verdict")->as_string(), "reachable");
  EXPECT_EQ(only_finding(findings, "sg-none").evidence.get("reachability")->get("verdict")->as_string(), "unattached");
  // The verdict is in the one-line detail too, so the terminal says whether the grant is an incident.
  EXPECT_EQ(only_finding(findings, "sg-ssh").detail,
            "tcp/22 from 0.0.0.0/0 (sgr-ssh); not reachable from the internet: NACL acl-1 inbound rule 90 denies it "
            "(rule 90 denies tcp/22 from 0.0.0.0/0)");
  EXPECT_EQ(only_finding(findings, "sg-rdp").detail,
            "tcp/3389 from 0.0.0.0/0 (sgr-rdp); the internet reaches it on 1 network interface");
  EXPECT_EQ(only_finding(findings, "sg-none").detail,
            "tcp/22 from 0.0.0.0/0 (sgr-x); no network interface uses the group");
}

TEST(SgFindingsReachability, FocusOnThePortsTheCheckIsAbout) {
  // An all-traffic rule is reachable on 443 but the NACL denies 22 and 3389: the admin finding says blocked.
  Net n = public_network({nacl_in(80, kDeny, tcp(3389), "0.0.0.0/0"), nacl_in(90, kDeny, tcp(22), "0.0.0.0/0"),
                          nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"), nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")});
  n.group("sg-all", {ingress(all_traffic(), "0.0.0.0/0", "sgr-all")});
  n.interface(host("eni-1", "i-1", "54.1.2.3", {"sg-all"}));
  const Account& a = n.done();
  EXPECT_EQ(only_finding(run_with_exposure("sg-admin-port-open-ipv4", a), "sg-all")
                .evidence.get("reachability")->get("verdict")->as_string(),
            "blocked");
  EXPECT_EQ(only_finding(run_with_exposure("sg-all-traffic-open", a), "sg-all")
                .evidence.get("reachability")->get("verdict")->as_string(),
            "reachable");
}

}  // namespace
}  // namespace fortress::testing
