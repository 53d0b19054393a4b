// The shared helpers: peer expansion, exposure text, AWS permission JSON and revoke commands.
#include <gtest/gtest.h>

#include "builder.h"
#include "checks/rule_match.h"

namespace fortress::testing {
namespace {

TEST(RuleMatch, IpPermissionShapes) {
  EXPECT_EQ(ip_permission(ingress(tcp(80, 81), "10.0.0.0/8")).dump(),
            R"({"IpProtocol":"tcp","FromPort":80,"ToPort":81,"IpRanges":[{"CidrIp":"10.0.0.0/8"}]})");
  EXPECT_EQ(ip_permission(ingress(udp(53), "::/0")).dump(),
            R"({"IpProtocol":"udp","FromPort":53,"ToPort":53,"Ipv6Ranges":[{"CidrIpv6":"::/0"}]})");
  EXPECT_EQ(ip_permission(ingress(all_traffic(), "sg-0abc")).dump(),
            R"({"IpProtocol":"-1","UserIdGroupPairs":[{"GroupId":"sg-0abc"}]})");
  EXPECT_EQ(
      ip_permission(ingress(tcp(443), "pl-0123")).dump(),
      R"({"IpProtocol":"tcp","FromPort":443,"ToPort":443,"PrefixListIds":[{"PrefixListId":"pl-0123"}]})");
  EXPECT_EQ(ip_permission(ingress(icmp_all(), "0.0.0.0/0")).dump(),
            R"({"IpProtocol":"icmp","FromPort":-1,"ToPort":-1,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]})");
  SecurityGroupRule esp = ingress(TrafficSpec{50, PortRange::all()}, "0.0.0.0/0");
  EXPECT_EQ(ip_permission(esp).dump(), R"({"IpProtocol":"50","IpRanges":[{"CidrIp":"0.0.0.0/0"}]})");
}

TEST(RuleMatch, RevokeCommandMixesIdsAndPermissions) {
  SecurityGroup g;
  g.id = "sg-1";
  const SecurityGroupRule a = ingress(tcp(22), "0.0.0.0/0", "sgr-a");
  const SecurityGroupRule b = ingress(tcp(3389), "0.0.0.0/0");
  const SecurityGroupRule* rules[] = {&a, &b, &a};
  EXPECT_EQ(revoke_command("eu-west-1", g, RuleDirection::kIngress, rules),
            "aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-1 "
            "--security-group-rule-ids sgr-a "
            "&& aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-1 --ip-permissions "
            "'[{\"IpProtocol\":\"tcp\",\"FromPort\":3389,\"ToPort\":3389,\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/"
            "0\"}]}]'");
}

TEST(RuleMatch, DescribeExposure) {
  const SecurityGroupRule r = ingress(all_traffic(), "0.0.0.0/0", "sgr-a");
  EXPECT_EQ(describe_exposure(r, "", nullptr), "all traffic from 0.0.0.0/0 (sgr-a)");
  EXPECT_EQ(describe_exposure(r, "tcp/22", nullptr), "tcp/22 from 0.0.0.0/0 (sgr-a, rule all traffic)");
  EXPECT_EQ(describe_exposure(egress(tcp(443), "::/0"), "tcp/443", nullptr), "tcp/443 to ::/0");
  SecurityGroupRule ref = ingress(tcp(5432), "sg-app", "sgr-r");
  ref.peer.group_owner_id = "111122223333";
  EXPECT_EQ(describe_exposure(ref, "", nullptr, "111122223333"), "tcp/5432 from sg-app (sgr-r)");
  ref.peer.group_owner_id = "444455556666";
  EXPECT_EQ(describe_exposure(ref, "", nullptr, "111122223333"),
            "tcp/5432 from sg-app (account 444455556666) (sgr-r)");
}

// record_group_verdict writes the group's evidence as text; every other finding builds it as a
// JsonValue (group_evidence). The two must say the same, with and without ENI data, names that need
// escaping included.
TEST(RuleMatch, GroupEvidenceTextEqualsTheJsonValue) {
  TestAccount t;
  t.group("sg-1", {}, "vpc-1", "name with \"quotes\" and \\ and \t");
  t.eni("eni-1", {"sg-1"}).eni("eni-2", {"sg-1"});
  t.coverage(Dataset::kNetworkInterfaces, CoverageStatus::kMissing, "", kRegion);
  for (bool with_enis : {false, true}) {
    if (with_enis) t.coverage(Dataset::kNetworkInterfaces, CoverageStatus::kOk);
    const Account& a = t.done();
    const Region& r = a.regions[0];
    std::string text = "{";
    append_group_evidence_fields(text, r, r.security_groups[0]);
    text += '}';
    EXPECT_EQ(text, group_evidence(r, r.security_groups[0]).dump());
    EXPECT_EQ(text.find("attached_enis\":2") != std::string::npos, with_enis) << text;
  }
}

// The one-line exposure and the rule evidence for each kind of peer, as the appending writers give
// them (every FAIL of a security-group check is made of these).
TEST(RuleMatch, RuleEvidenceForEachPeerKind) {
  EXPECT_EQ(rule_evidence(ingress(tcp(80, 81), "203.0.113.0/24", "sgr-a"), nullptr).dump(),
            R"({"rule_id":"sgr-a","direction":"ingress","protocol":"tcp","ports":"80-81","peer":"203.0.113.0/24","peer_kind":"cidr","description":""})");
  EXPECT_EQ(rule_evidence(egress(all_traffic(), "2001:db8::/32"), nullptr, {"all traffic"}).dump(),
            R"({"direction":"egress","protocol":"all","ports":"all","peer":"2001:db8::/32","peer_kind":"cidr","description":"","exposes":["all traffic"]})");
  SecurityGroupRule ref = ingress(icmp_all(), "sg-app");
  ref.peer.group_owner_id = "444455556666";
  EXPECT_EQ(rule_evidence(ref, nullptr).dump(),
            R"j({"direction":"ingress","protocol":"icmp","ports":"all","peer":"sg-app (account 444455556666)","peer_kind":"security-group","description":""})j");
  PeerMatch m;
  m.answer = PeerAnswer::kYes;
  m.matched = {cidr("0.0.0.0/0"), cidr("::/0")};
  const SecurityGroupRule pl = ingress(udp(53), "pl-0123", "sgr-p");
  EXPECT_EQ(rule_evidence(pl, &m).dump(),
            R"({"rule_id":"sgr-p","direction":"ingress","protocol":"udp","ports":"53","peer":"pl-0123","peer_kind":"prefix-list","prefix_list_entries_matched":["0.0.0.0/0","::/0"],"description":""})");
  EXPECT_EQ(describe_exposure(pl, "", &m), "udp/53 from 0.0.0.0/0, ::/0 via pl-0123 (sgr-p)");
  EXPECT_EQ(describe_exposure(pl, "udp/53", &m), "udp/53 from 0.0.0.0/0, ::/0 via pl-0123 (sgr-p)");
  EXPECT_EQ(describe_exposure(ingress(tcp(0, 65535), "198.51.100.7/32"), "tcp/22", nullptr),
            "tcp/22 from 198.51.100.7/32 (rule tcp/all)");
}

TEST(RuleMatch, PeerAdmitsInternetExpandsPrefixLists) {
  TestAccount t;
  t.prefix_list("pl-w", std::vector<std::string>{"10.0.0.0/8", "0.0.0.0/0", "::/0"});
  t.prefix_list("pl-n", std::vector<std::string>{"10.0.0.0/8"});
  t.prefix_list("pl-u", std::nullopt);
  t.prefix_list("pl-aws", std::nullopt, "IPv4", "AWS");
  const Account& a = t.done();
  const Region& r = a.regions[0];
  PeerMatch w = peer_admits_internet(r, peer("pl-w"), IpFamily::kV4);
  EXPECT_EQ(w.answer, PeerAnswer::kYes);
  ASSERT_EQ(w.matched.size(), 1u);
  EXPECT_EQ(w.matched[0].to_string(), "0.0.0.0/0");
  EXPECT_EQ(peer_admits_internet(r, peer("pl-w")).matched.size(), 2u);
  EXPECT_EQ(peer_admits_internet(r, peer("pl-n"), IpFamily::kV4).answer, PeerAnswer::kNo);
  EXPECT_EQ(peer_admits_internet(r, peer("pl-u"), IpFamily::kV4).answer, PeerAnswer::kUnknown);
  EXPECT_EQ(peer_admits_internet(r, peer("pl-x"), IpFamily::kV4).answer, PeerAnswer::kUnknown);
  EXPECT_EQ(peer_admits_internet(r, peer("pl-aws"), IpFamily::kV4).answer, PeerAnswer::kNo);
  EXPECT_EQ(peer_admits_internet(r, peer("pl-aws")).answer, PeerAnswer::kNo);
  EXPECT_EQ(peer_admits_internet(r, peer("sg-1"), IpFamily::kV4).answer, PeerAnswer::kNo);
  EXPECT_EQ(peer_admits_internet(r, peer("0.0.0.0/0"), IpFamily::kV6).answer, PeerAnswer::kNo);
  EXPECT_EQ(peer_admits_internet(r, peer("::/0"), IpFamily::kV6).answer, PeerAnswer::kYes);
}

}  // namespace
}  // namespace fortress::testing
