#include "config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

namespace fortress {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Cidr block(std::string_view text) {
  Expected<ParsedCidr> p = parse_cidr(text);
  EXPECT_TRUE(p.has_value()) << text;
  return p ? p->cidr : Cidr{};
}

Config parse_ok(std::string_view yaml) {
  Expected<Config> c = parse_config(yaml, "fortress.yaml");
  EXPECT_TRUE(c.has_value()) << yaml << "\n-> " << (c ? "" : c.error().to_string());
  return c ? *c : Config{};
}

Error parse_error(std::string_view yaml) {
  Expected<Config> c = parse_config(yaml, "fortress.yaml");
  EXPECT_FALSE(c.has_value()) << "accepted:\n" << yaml;
  if (c) return Error{};
  EXPECT_EQ(c.error().file, "fortress.yaml") << c.error().to_string();
  return c.error();
}

void expect_defaults(const Config& c) {
  EXPECT_TRUE(c.trusted_cidrs.empty());
  EXPECT_EQ(c.sensitive_ports, Config::default_sensitive_ports());
  EXPECT_EQ(c.wide_port_range_threshold, 1000u);
  EXPECT_EQ(c.max_rules_per_group, 50u);
  EXPECT_TRUE(c.mutes.empty());
}

TEST(Config, EmptyInputMeansDefaults) {
  expect_defaults(Config{});
  expect_defaults(parse_ok(""));
  expect_defaults(parse_ok("\n\n"));
  expect_defaults(parse_ok("# only a comment\n# and another\n"));
  expect_defaults(parse_ok("---\n"));
  expect_defaults(parse_ok("---\n...\n"));
  expect_defaults(parse_ok("{}"));
}

TEST(Config, DefaultSensitivePorts) {
  const std::vector<PortRange> ports = Config::default_sensitive_ports();
  auto listed = [&](uint16_t p) {
    return std::any_of(ports.begin(), ports.end(), [&](const PortRange& r) { return r.contains(p); });
  };
  const uint16_t required[] = {20,   21,   23,   25,   53,   88,   110,  135,   137,   138,  139,  143,  389,
                               445,  636,  1433, 1434, 1521, 2049, 2375, 2376,  2379,  2483, 2484, 3000, 3306,
                               4333, 5000, 5432, 5500, 5601, 5900, 6379, 6443,  7000,  7001, 7199, 8020, 8080,
                               8088, 8888, 9042, 9092, 9160, 9200, 9300, 11211, 27017, 27018};
  for (uint16_t p : required) EXPECT_TRUE(listed(p)) << p;
  // SSH and RDP have their own checks.
  EXPECT_FALSE(listed(22));
  EXPECT_FALSE(listed(3389));
  EXPECT_FALSE(listed(443));
  EXPECT_FALSE(listed(80));
  for (const PortRange& r : ports) EXPECT_FALSE(r.is_all()) << r.to_string();
}

TEST(Config, EveryKey) {
  const Config c = parse_ok(R"(# fortress configuration
trusted_cidrs:
  - 203.0.113.0/24
  - 198.51.100.7/32
  - 2001:db8:1234::/48
sensitive_ports:
  - 5432
  - "8000-8100"
  - 9000-9001
  - 11211
thresholds:
  wide_port_range: 200
  max_rules_per_group: 60
mutes:
  - check: sg-sensitive-port-open
    resource: sg-0123456789abcdef0
    region: us-east-1
    account: "111122223333"
    reason: Bastion reviewed in SEC-1234
  - check: "*"
    resource: sg-0aaa
    reason: Legacy group, owned by team X until Q3
)");
  EXPECT_THAT(c.trusted_cidrs,
              ElementsAre(block("203.0.113.0/24"), block("198.51.100.7/32"), block("2001:db8:1234::/48")));
  EXPECT_THAT(c.sensitive_ports, ElementsAre(PortRange::single(5432), PortRange{8000, 8100},
                                             PortRange{9000, 9001}, PortRange::single(11211)));
  EXPECT_EQ(c.wide_port_range_threshold, 200u);
  EXPECT_EQ(c.max_rules_per_group, 60u);
  ASSERT_EQ(c.mutes.size(), 2u);
  EXPECT_EQ(c.mutes[0].check, "sg-sensitive-port-open");
  EXPECT_EQ(c.mutes[0].resource, "sg-0123456789abcdef0");
  EXPECT_EQ(c.mutes[0].region, "us-east-1");
  EXPECT_EQ(c.mutes[0].account, "111122223333");
  EXPECT_EQ(c.mutes[0].reason, "Bastion reviewed in SEC-1234");
  // Fields left out match anything.
  EXPECT_EQ(c.mutes[1].check, "*");
  EXPECT_EQ(c.mutes[1].resource, "sg-0aaa");
  EXPECT_EQ(c.mutes[1].region, "*");
  EXPECT_EQ(c.mutes[1].account, "*");
  EXPECT_EQ(c.mutes[1].reason, "Legacy group, owned by team X until Q3");
}

TEST(Config, FlowStyleAndPartialConfigs) {
  const Config c =
      parse_ok("trusted_cidrs: [10.0.0.0/8, '192.168.0.0/16']\nthresholds: {max_rules_per_group: 5}\n");
  EXPECT_THAT(c.trusted_cidrs, ElementsAre(block("10.0.0.0/8"), block("192.168.0.0/16")));
  EXPECT_EQ(c.max_rules_per_group, 5u);
  EXPECT_EQ(c.wide_port_range_threshold, 1000u);  // untouched
  EXPECT_EQ(c.sensitive_ports, Config::default_sensitive_ports());

  // An account ID with a leading zero stays text as written.
  const Config m = parse_ok("mutes:\n  - account: 012345678901\n    reason: ok\n");
  ASSERT_EQ(m.mutes.size(), 1u);
  EXPECT_EQ(m.mutes[0].account, "012345678901");
}

TEST(Config, SensitivePortsReplaceTheDefaults) {
  EXPECT_THAT(parse_ok("sensitive_ports: [22]\n").sensitive_ports, ElementsAre(PortRange::single(22)));
  EXPECT_THAT(parse_ok("sensitive_ports: [0, 65535, 137-139]\n").sensitive_ports,
              ElementsAre(PortRange::single(0), PortRange::single(65535), PortRange{137, 139}));
  // An explicit empty list is allowed (and switches sg-sensitive-port-open off)...
  EXPECT_TRUE(parse_ok("sensitive_ports: []\n").sensitive_ports.empty());
  // ...but a key with nothing under it is a mistake, not a silent "none".
  const Error e = parse_error("sensitive_ports:\n# - 5432\n");
  EXPECT_EQ(e.line, 1u);
  EXPECT_THAT(e.message, HasSubstr("sensitive_ports"));
}

TEST(Config, EmptyListsAndMaps) {
  const Config c = parse_ok("trusted_cidrs:\nmutes:\nthresholds:\n");
  expect_defaults(c);
  expect_defaults(parse_ok("trusted_cidrs: []\nmutes: []\nthresholds: {}\n"));
}

TEST(Config, IsTrusted) {
  const Config c = parse_ok("trusted_cidrs: [203.0.113.0/24, 2001:db8::/32]\n");
  EXPECT_TRUE(c.is_trusted(block("203.0.113.0/24")));
  EXPECT_TRUE(c.is_trusted(block("203.0.113.128/25")));
  EXPECT_TRUE(c.is_trusted(block("203.0.113.9/32")));
  EXPECT_FALSE(c.is_trusted(block("203.0.112.0/23")));  // wider than the trusted block
  EXPECT_FALSE(c.is_trusted(block("203.0.114.0/24")));
  EXPECT_FALSE(c.is_trusted(block("0.0.0.0/0")));
  EXPECT_TRUE(c.is_trusted(block("2001:db8:1::/48")));
  EXPECT_FALSE(c.is_trusted(block("::/0")));
  EXPECT_FALSE(c.is_trusted(block("::ffff:203.0.113.9/128")));  // other family
  EXPECT_FALSE(Config{}.is_trusted(block("203.0.113.9/32")));
}

TEST(Config, UnknownTopLevelKeyNamesLineKeyAndValidKeys) {
  const Error e = parse_error("thresholds:\n  wide_port_range: 10\n\ntrusted_cidr:\n  - 10.0.0.0/8\n");
  EXPECT_EQ(e.code, ErrorCode::kSchema);
  EXPECT_EQ(e.line, 4u);
  EXPECT_THAT(e.message, HasSubstr("unknown key \"trusted_cidr\""));
  EXPECT_THAT(e.message, HasSubstr("did you mean \"trusted_cidrs\"?"));
  EXPECT_THAT(e.message, HasSubstr("valid keys: trusted_cidrs, sensitive_ports, thresholds, mutes"));
  EXPECT_THAT(e.to_string(), ::testing::StartsWith("fortress.yaml:4: unknown key"));

  // Far from every valid key: no suggestion, still the list.
  const Error far = parse_error("colour: blue\n");
  EXPECT_EQ(far.line, 1u);
  EXPECT_THAT(far.message, HasSubstr("\"colour\""));
  EXPECT_THAT(far.message, ::testing::Not(HasSubstr("did you mean")));
  EXPECT_THAT(far.message, HasSubstr("valid keys:"));
}

TEST(Config, UnknownNestedKeys) {
  const Error t = parse_error("thresholds:\n  wide_port_range: 10\n  max_rules: 20\n");
  EXPECT_EQ(t.line, 3u);
  EXPECT_THAT(t.message, HasSubstr("unknown key \"max_rules\" in thresholds"));
  EXPECT_THAT(t.message, HasSubstr("valid keys: wide_port_range, max_rules_per_group"));

  const Error m = parse_error(
      "mutes:\n"
      "  - check: sg-admin-port-open-ipv4\n"
      "    reason: fine\n"
      "  - check: sg-wide-port-range\n"
      "    resouce: sg-1\n"
      "    reason: fine\n");
  EXPECT_EQ(m.line, 5u);
  EXPECT_THAT(m.message, HasSubstr("unknown key \"resouce\" in mutes[1]"));
  EXPECT_THAT(m.message, HasSubstr("did you mean \"resource\"?"));
  EXPECT_THAT(m.message, HasSubstr("valid keys: check, resource, region, account, reason"));
}

TEST(Config, DuplicateKeys) {
  const Error e = parse_error("thresholds:\n  wide_port_range: 10\n  wide_port_range: 20\n");
  EXPECT_EQ(e.line, 3u);
  EXPECT_THAT(e.message, HasSubstr("duplicate key \"wide_port_range\""));
  const Error top = parse_error("mutes: []\nmutes: []\n");
  EXPECT_EQ(top.line, 2u);
}

TEST(Config, BadCidrs) {
  struct Case {
    std::string_view yaml;
    uint64_t line;
    std::string_view says;
  };
  const Case cases[] = {
      {"trusted_cidrs:\n  - 10.0.0.0/8\n  - 10.0.0.0/33\n", 3, "10.0.0.0/33"},
      {"trusted_cidrs:\n  - 01.2.3.4/32\n", 2, "01.2.3.4/32"},
      {"trusted_cidrs:\n  - 203.0.113.7\n", 2, "203.0.113.7/32"},  // a bare address: suggest the /32
      {"trusted_cidrs:\n  - 2001:db8::1\n", 2, "2001:db8::1/128"},
      {"trusted_cidrs:\n  - 203.0.113.7/24\n", 2, "host bits"},  // ambiguous: the /24 or the /32?
      {"trusted_cidrs:\n  - 0.0.0.0/0\n", 2, "every address"},
      {"trusted_cidrs:\n  - ::/0\n", 2, "every address"},
      {"trusted_cidrs:\n  - [10.0.0.0/8]\n", 2, "CIDR strings"},
      {"trusted_cidrs: 10.0.0.0/8\n", 1, "must be a list"},
      {"trusted_cidrs:\n  ip: 10.0.0.0/8\n", 2, "must be a list"},
  };
  for (const Case& c : cases) {
    const Error e = parse_error(c.yaml);
    EXPECT_EQ(e.line, c.line) << c.yaml << e.to_string();
    EXPECT_THAT(e.message, HasSubstr(std::string(c.says))) << c.yaml;
  }
  EXPECT_THAT(parse_error("trusted_cidrs:\n  - 203.0.113.7/24\n").message, HasSubstr("203.0.113.0/24"));
}

TEST(Config, BadPorts) {
  struct Case {
    std::string_view yaml;
    uint64_t line;
  };
  const Case cases[] = {
      {"sensitive_ports:\n  - 22\n  - 70000\n", 3}, {"sensitive_ports:\n  - 10-5\n", 2},
      {"sensitive_ports:\n  - abc\n", 2},           {"sensitive_ports:\n  - -1\n", 2},
      {"sensitive_ports:\n  - 22.5\n", 2},          {"sensitive_ports:\n  - [1, 2]\n", 2},
      {"sensitive_ports:\n  - {port: 22}\n", 2},    {"sensitive_ports: 22\n", 1},
  };
  for (const Case& c : cases) {
    const Error e = parse_error(c.yaml);
    EXPECT_EQ(e.line, c.line) << c.yaml << e.to_string();
  }
  EXPECT_THAT(parse_error("sensitive_ports: [1, 70000]\n").message, HasSubstr("70000"));
}

TEST(Config, BadThresholds) {
  const std::string_view cases[] = {
      "thresholds:\n  wide_port_range: -1\n",
      "thresholds:\n  wide_port_range: abc\n",
      "thresholds:\n  wide_port_range: 65536\n",
      "thresholds:\n  wide_port_range: 1.5\n",
      "thresholds:\n  wide_port_range: [1]\n",
      "thresholds:\n  wide_port_range:\n",
      "thresholds:\n  max_rules_per_group: 4294967296\n",
      "thresholds:\n  max_rules_per_group: 99999999999999999999\n",
      "thresholds:\n  max_rules_per_group: +5\n",
  };
  for (std::string_view yaml : cases) {
    const Error e = parse_error(yaml);
    EXPECT_EQ(e.line, 2u) << yaml << e.to_string();
    EXPECT_THAT(e.message, HasSubstr("thresholds.")) << yaml;
  }
  EXPECT_EQ(parse_error("thresholds: 5\n").line, 1u);
  EXPECT_EQ(parse_error("thresholds: [5]\n").line, 1u);
  // Edges that are allowed.
  EXPECT_EQ(parse_ok("thresholds:\n  wide_port_range: 0\n").wide_port_range_threshold, 0u);
  EXPECT_EQ(parse_ok("thresholds:\n  wide_port_range: 65535\n").wide_port_range_threshold, 65535u);
  EXPECT_EQ(parse_ok("thresholds:\n  max_rules_per_group: 4294967295\n").max_rules_per_group, 4294967295u);
}

TEST(Config, IamThresholds) {
  const Config defaults;
  EXPECT_EQ(defaults.iam_privileged_share_percent, 50u);
  EXPECT_EQ(defaults.credentials_unused_days, 45u);
  const Config c = parse_ok("thresholds:\n  iam_privileged_share_percent: 20\n  credentials_unused_days: 90\n");
  EXPECT_EQ(c.iam_privileged_share_percent, 20u);
  EXPECT_EQ(c.credentials_unused_days, 90u);
  EXPECT_EQ(parse_ok("thresholds:\n  iam_privileged_share_percent: 0\n").iam_privileged_share_percent, 0u);
  EXPECT_EQ(parse_ok("thresholds:\n  iam_privileged_share_percent: 100\n").iam_privileged_share_percent, 100u);
  const Error over = parse_error("thresholds:\n  iam_privileged_share_percent: 101\n");
  EXPECT_EQ(over.line, 2u);
  EXPECT_THAT(over.message, HasSubstr("thresholds.iam_privileged_share_percent must be a whole number 0..100"));
  EXPECT_THAT(parse_error("thresholds:\n  credentials_unused_days: 3651\n").message, HasSubstr("0..3650"));
  EXPECT_THAT(parse_error("thresholds:\n  credentials_unused_day: 30\n").message,
              HasSubstr("did you mean \"credentials_unused_days\""));
}

TEST(Config, Mutes) {
  const Config c = parse_ok("mutes:\n  - reason: accepted everywhere\n");
  ASSERT_EQ(c.mutes.size(), 1u);
  EXPECT_EQ(c.mutes[0].check, "*");
  EXPECT_EQ(c.mutes[0].resource, "*");
  EXPECT_EQ(c.mutes[0].region, "*");
  EXPECT_EQ(c.mutes[0].account, "*");

  struct Case {
    std::string_view yaml;
    uint64_t line;
    std::string_view says;
  };
  const Case cases[] = {
      {"mutes:\n  - check: sg-x\n    resource: sg-1\n", 2, "missing \"reason\" in mutes[0]"},
      {"mutes:\n  - check: sg-x\n    reason: \"\"\n", 3, "\"reason\" in mutes[0] must be a non-empty string"},
      {"mutes:\n  - check: sg-x\n    reason:\n", 3, "\"reason\" in mutes[0]"},
      {"mutes:\n  - check: [a, b]\n    reason: x\n", 2, "\"check\" in mutes[0]"},
      {"mutes:\n  - sg-x\n", 2, "mutes[0] is not"},
      {"mutes:\n  check: sg-x\n  reason: x\n", 2, "must be a list"},
      {"mutes: sg-x\n", 1, "must be a list"},
  };
  for (const Case& c : cases) {
    const Error e = parse_error(c.yaml);
    EXPECT_EQ(e.line, c.line) << c.yaml << e.to_string();
    EXPECT_THAT(e.message, HasSubstr(std::string(c.says))) << c.yaml;
  }
}

TEST(Config, MalformedYamlAndWrongShapes) {
  const Error syntax = parse_error("thresholds:\n  wide_port_range: [1, 2\n");
  EXPECT_EQ(syntax.code, ErrorCode::kParse);
  EXPECT_GT(syntax.line, 0u);
  EXPECT_THAT(syntax.message, HasSubstr("invalid YAML"));

  EXPECT_EQ(parse_error("- trusted_cidrs\n").code, ErrorCode::kSchema);
  EXPECT_EQ(parse_error("just a string\n").code, ErrorCode::kSchema);
  const Error two = parse_error("mutes: []\n---\nmutes: []\n");
  EXPECT_THAT(two.message, HasSubstr("more than one YAML document"));
  EXPECT_EQ(parse_error("? [a, b]\n: c\n").code, ErrorCode::kSchema);  // a non-scalar key
}

// yaml-cpp 0.7's LoadAll() loops forever on these (jbeder/yaml-cpp#1040); parse_config must return.
TEST(Config, InputThatHangsYamlCppLoadAllIsAnError) {
  for (std::string_view text :
       {std::string_view(","), std::string_view(",\n"), std::string_view(", %]\n\x1e C\n")}) {
    const Error e = parse_error(text);
    EXPECT_EQ(e.code, ErrorCode::kParse) << e.to_string();
    EXPECT_THAT(e.message, HasSubstr("invalid YAML")) << e.to_string();
  }
}

TEST(Config, NeverThrowsOnGarbage) {
  const std::string_view inputs[] = {
      "{{{",
      "]]]",
      "\t",
      "key: [",
      "&a [*a]",
      "*unknown",
      "!!binary ???",
      "- - - -",
      "trusted_cidrs: &x [*x]",
      "%YAML 9.9\n---\n",
      "\"unterminated",
      "a: b: c",
      std::string_view("\0\0\0", 3),
      "\xff\xfe\xfd",
      "? ? ?",
      "mutes: [{reason: x, reason: y}]",
  };
  for (std::string_view text : inputs) {
    EXPECT_NO_THROW({
      Expected<Config> c = parse_config(text, "garbage.yaml");
      if (!c) {
        EXPECT_EQ(c.error().file, "garbage.yaml");
      }
    }) << text;
  }
}

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("fortress_config_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path write(std::string_view name, std::string_view text) {
    const std::filesystem::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  std::filesystem::path dir_;
};

TEST_F(ConfigFileTest, LoadsAFile) {
  const auto path = write("fortress.yaml", "thresholds:\n  max_rules_per_group: 7\n");
  Expected<Config> c = load_config(path);
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  EXPECT_EQ(c->max_rules_per_group, 7u);
}

TEST_F(ConfigFileTest, EmptyFileMeansDefaults) {
  Expected<Config> c = load_config(write("empty.yaml", ""));
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  expect_defaults(*c);
}

TEST_F(ConfigFileTest, ErrorsNameThePath) {
  const auto path = write("bad.yaml", "\n\nsensitive_port: [22]\n");
  Expected<Config> c = load_config(path);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().file, path.string());
  EXPECT_EQ(c.error().line, 3u);
  EXPECT_EQ(c.error().to_string().rfind(path.string() + ":3: unknown key \"sensitive_port\"", 0), 0u)
      << c.error().to_string();
}

TEST_F(ConfigFileTest, MissingFileOrDirectory) {
  Expected<Config> missing = load_config(dir_ / "nope.yaml");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_EQ(missing.error().file, (dir_ / "nope.yaml").string());

  Expected<Config> directory = load_config(dir_);
  ASSERT_FALSE(directory.has_value());
  EXPECT_EQ(directory.error().code, ErrorCode::kIo);
}

}  // namespace
}  // namespace fortress
