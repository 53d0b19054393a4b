#include "aws/shared_config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fortress::aws {
namespace {

TEST(SharedConfig, ReadsProfilesAsTheCliDoes) {
  SharedConfig c;
  const char* config = R"(# comment
[default]
region = us-east-1
output=json

[profile audit]
role_arn = arn:aws:iam::111122223333:role/Audit ; the role
source_profile = default
s3 =
    max_concurrent_requests = 20
    addressing_style = path
external_id=abc#notacomment

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start

[services local]
ec2 =
  endpoint_url = http://127.0.0.1:4566
)";
  ASSERT_TRUE(parse_shared_config(config, "config", false, c).ok());
  ASSERT_NE(c.profile("default"), nullptr);
  EXPECT_EQ(c.profile("default")->at("region"), "us-east-1");
  EXPECT_EQ(c.profile("default")->at("output"), "json");
  const Profile* audit = c.profile("audit");
  ASSERT_NE(audit, nullptr);
  EXPECT_EQ(audit->at("role_arn"), "arn:aws:iam::111122223333:role/Audit");
  EXPECT_EQ(audit->at("source_profile"), "default");
  EXPECT_EQ(audit->at("s3"), "max_concurrent_requests = 20\naddressing_style = path");
  EXPECT_EQ(audit->at("external_id"), "abc#notacomment");  // no whitespace before '#': part of the value
  EXPECT_EQ(c.sso_sessions.at("corp").at("sso_start_url"), "https://corp.awsapps.com/start");
  EXPECT_EQ(c.profile("local"), nullptr);
  EXPECT_EQ(c.profile("services local"), nullptr);
}

TEST(SharedConfig, CredentialsFileSectionsHaveNoProfilePrefix) {
  SharedConfig c;
  ASSERT_TRUE(parse_shared_config("[dev]\naws_access_key_id = AKIDDEV\r\naws_secret_access_key = s\n", "credentials",
                                  true, c)
                  .ok());
  ASSERT_NE(c.profile("dev"), nullptr);
  EXPECT_EQ(c.profile("dev")->at("aws_access_key_id"), "AKIDDEV");
}

TEST(SharedConfig, MalformedLinesAreErrorsWithTheLine) {
  SharedConfig c;
  Status s = parse_shared_config("[default]\nregion us-east-1\n", "/home/u/.aws/config", false, c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().line, 2u);
  EXPECT_EQ(s.error().file, "/home/u/.aws/config");
  EXPECT_FALSE(parse_shared_config("[default\n", "f", false, c).ok());
  EXPECT_FALSE(parse_shared_config("region = x\n", "f", false, c).ok());
}

std::optional<std::string> fake_env(const std::string& name) {
  std::string n = name;
  if (n == "HOME") return "/home/u";
  if (n == "AWS_CONFIG_FILE") return "~/custom/config";
  return std::nullopt;
}

TEST(SharedConfig, PathsFollowTheEnvironment) {
  SharedConfigPaths p = shared_config_paths(fake_env);
  EXPECT_EQ(p.config, "/home/u/custom/config");
  EXPECT_EQ(p.credentials, "/home/u/.aws/credentials");
}

TEST(SharedConfig, CredentialsFileWinsOverConfigFile) {
  auto dir = std::filesystem::temp_directory_path() / ("fortress-shared-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "config") << "[profile dev]\naws_access_key_id = FROMCONFIG\nregion = eu-west-1\n";
  std::ofstream(dir / "credentials") << "[dev]\naws_access_key_id = FROMCREDS\naws_secret_access_key = x\n";
  auto loaded = load_shared_config({dir / "config", dir / "credentials"});
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  EXPECT_EQ(loaded->profile("dev")->at("aws_access_key_id"), "FROMCREDS");
  EXPECT_EQ(loaded->profile("dev")->at("region"), "eu-west-1");
  auto none = load_shared_config({dir / "absent", dir / "absent2"});
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->profiles.empty());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fortress::aws
