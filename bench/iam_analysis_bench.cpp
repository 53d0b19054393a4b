// The IAM analysis of a large account: every user and role evaluated for admin-equivalence (with
// escalation paths through other principals) and data-read breadth.
//
// The synthetic account (deterministic): U users in G groups, R roles, P customer managed policies of
// 3-8 statements each (service wildcards, resource ARNs, conditions, a Deny now and then); 2% of the
// roles are admin and trust the account, 5% of the users can pass roles and launch instances, 2% can
// create access keys for any user. Run:
//   build/iam_analysis_bench --benchmark_filter=BM_Analysis
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <random>

#include "iam/analysis.h"

namespace {

using fortress::iam::Inventory;

const char* kServices[] = {"s3", "ec2", "lambda", "dynamodb", "sqs", "sns", "logs", "cloudwatch", "kms", "ssm"};
const char* kVerbs[] = {"Get*", "List*", "Describe*", "Put*", "Create*", "Delete*", "*"};

std::string statement(std::mt19937& rng, const std::string& account) {
  const char* service = kServices[rng() % 10];
  std::string actions = fmt::format(R"(["{}:{}","{}:{}"])", service, kVerbs[rng() % 7], service, kVerbs[rng() % 7]);
  std::string resource = rng() % 3 == 0 ? "\"*\""
                                        : fmt::format(R"("arn:aws:{}:*:{}:thing-{}/*")", service, account, rng() % 500);
  const bool deny = rng() % 15 == 0;
  std::string condition = rng() % 6 == 0 ? R"(,"Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}})" : "";
  return fmt::format(R"({{"Effect":"{}","Action":{},"Resource":{}{}}})", deny ? "Deny" : "Allow", actions, resource,
                     condition);
}

std::string document(std::mt19937& rng, const std::string& account, int statements) {
  std::string out = R"({"Version":"2012-10-17","Statement":[)";
  for (int i = 0; i < statements; ++i) {
    if (i > 0) out += ",";
    out += statement(rng, account);
  }
  return out + "]}";
}

Inventory make_inventory(int users, int roles, int groups, int policies) {
  std::mt19937 rng(1);
  Inventory inv;
  inv.account_id = "111122223333";
  const std::string& a = inv.account_id;
  for (int i = 0; i < policies; ++i) {
    fortress::iam::ManagedPolicyText m;
    m.name = fmt::format("policy-{}", i);
    m.arn = fmt::format("arn:aws:iam::{}:policy/{}", a, m.name);
    m.default_version_id = "v2";
    m.versions.push_back({"v2", true, document(rng, a, 3 + int(rng() % 6))});
    m.versions.push_back({"v1", false, document(rng, a, 3)});
    inv.policies.push_back(std::move(m));
  }
  const auto some_policies = [&](int n) {
    std::vector<std::string> arns;
    for (int k = 0; k < n; ++k) arns.push_back(inv.policies[rng() % inv.policies.size()].arn);
    return arns;
  };
  for (int i = 0; i < groups; ++i) {
    fortress::iam::GroupEntity g;
    g.name = fmt::format("group-{}", i);
    g.arn = fmt::format("arn:aws:iam::{}:group/{}", a, g.name);
    g.managed_policy_arns = some_policies(2);
    inv.groups.push_back(std::move(g));
  }
  for (int i = 0; i < users; ++i) {
    fortress::iam::UserEntity u;
    u.name = fmt::format("user-{}", i);
    u.arn = fmt::format("arn:aws:iam::{}:user/{}", a, u.name);
    u.id = fmt::format("AIDA{:016}", i);
    u.group_names = {inv.groups[rng() % groups].name, inv.groups[rng() % groups].name};
    u.managed_policy_arns = some_policies(1);
    if (i % 20 == 0) u.inline_policies.push_back({"launch", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":"*"}]})"});
    if (i % 50 == 1) u.inline_policies.push_back({"keys", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"}]})"});
    u.console_password = i % 3 != 0;
    inv.users.push_back(std::move(u));
  }
  for (int i = 0; i < roles; ++i) {
    fortress::iam::RoleEntity r;
    r.name = fmt::format("role-{}", i);
    r.arn = fmt::format("arn:aws:iam::{}:role/{}", a, r.name);
    r.id = fmt::format("AROA{:016}", i);
    r.path = "/";
    const bool admin = i % 50 == 0;
    r.trust_document =
        admin ? fmt::format(R"({{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{}:root"}},"Action":"sts:AssumeRole"}}]}})", a)
              : R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
    r.managed_policy_arns = admin ? std::vector<std::string>{"arn:aws:iam::aws:policy/AdministratorAccess"} : some_policies(3);
    r.in_instance_profile = i % 2 == 0;
    inv.roles.push_back(std::move(r));
  }
  return inv;
}

void BM_Analysis(benchmark::State& state) {
  const int users = int(state.range(0)), roles = int(state.range(1));
  const Inventory inv = make_inventory(users, roles, std::max(10, users / 20), std::max(50, (users + roles) / 5));
  size_t admins = 0;
  for (auto _ : state) {
    const fortress::iam::Analysis a = fortress::iam::Analysis::build(inv);
    admins = 0;
    for (const auto& p : a.principals()) admins += p.admin == fortress::iam::Verdict::kYes ? 1 : 0;
    benchmark::DoNotOptimize(admins);
  }
  state.counters["principals"] = double(users + roles);
  state.counters["admin_equivalent"] = double(admins);
}
BENCHMARK(BM_Analysis)->Args({100, 200})->Args({1000, 2000})->Args({2000, 5000})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
