// The credential chain, each source with fakes: environment variables, shared files (real temp
// files), a fake process runner, a scripted HTTP transport standing in for STS, the container
// endpoint and IMDS, and a fake clock.
#include "aws/credentials.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <map>

#include "aws/sts.h"

namespace fortress::aws {
namespace {

using ::testing::HasSubstr;

class ScriptedHttp : public HttpTransport {
 public:
  struct Step {
    std::string expect_url_prefix;
    Expected<HttpReply> reply;
  };
  std::deque<Step> steps;
  std::vector<HttpCall> calls;

  void add(std::string url_prefix, long status, std::string body) {
    HttpReply r;
    r.status = status;
    r.body = std::move(body);
    steps.push_back({std::move(url_prefix), r});
  }
  void add_unreachable(std::string url_prefix) {
    steps.push_back({std::move(url_prefix), Error{ErrorCode::kIo, "Couldn't connect to server", "", 0, 0}});
  }
  Expected<HttpReply> send(const HttpCall& call) override {
    calls.push_back(call);
    if (steps.empty()) return Error{ErrorCode::kIo, "unexpected call to " + call.url, "", 0, 0};
    Step s = std::move(steps.front());
    steps.pop_front();
    EXPECT_EQ(call.url.substr(0, s.expect_url_prefix.size()), s.expect_url_prefix);
    return s.reply;
  }
};

std::string header(const HttpCall& c, const std::string& name) {
  for (const auto& [k, v] : c.headers) {
    if (k == name) return v;
  }
  return {};
}

const char* kAssumeRoleXml = R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAROLE</AccessKeyId>
      <SecretAccessKey>rolesecret</SecretAccessKey>
      <SessionToken>roletoken</SessionToken>
      <Expiration>2026-12-03T19:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
</AssumeRoleResponse>)";

CredentialOptions with_profile(std::string profile) {
  CredentialOptions o;
  o.profile = std::move(profile);
  return o;
}

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("fortress-creds-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    vars_["HOME"] = dir_.string();
    vars_["AWS_CONFIG_FILE"] = (dir_ / "config").string();
    vars_["AWS_SHARED_CREDENTIALS_FILE"] = (dir_ / "credentials").string();
    vars_["AWS_EC2_METADATA_DISABLED"] = "true";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }

  Environment env() {
    Environment e;
    e.getenv = [this](const std::string& k) -> std::optional<std::string> {
      auto it = vars_.find(k);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
    e.read_file = [this](const std::string& path) -> Expected<std::string> {
      auto it = files_.find(path);
      if (it == files_.end()) return Error{ErrorCode::kIo, "no such file", path, 0, 0};
      return it->second;
    };
    e.run = [this](const std::string& command) -> Expected<ProcessResult> {
      commands_.push_back(command);
      auto it = processes_.find(command);
      if (it == processes_.end()) return ProcessResult{127, "", "not found"};
      return it->second;
    };
    e.now = [this] { return now_; };
    e.http = &http_;
    return e;
  }

  std::filesystem::path dir_;
  std::map<std::string, std::string> vars_;
  std::map<std::string, std::string> files_;
  std::map<std::string, ProcessResult> processes_;
  std::vector<std::string> commands_;
  Clock::time_point now_ = *parse_aws_time("2026-12-03T18:00:00Z");
  ScriptedHttp http_;
};

TEST_F(CredentialsTest, EnvironmentComesFirst) {
  vars_["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  vars_["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  vars_["AWS_SESSION_TOKEN"] = "envtoken";
  write("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = filesecret\n");
  auto c = resolve_credentials(env(), {});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "AKIDENV");
  EXPECT_EQ(c->credentials.session_token, "envtoken");
  EXPECT_EQ(c->source, "environment");
}

TEST_F(CredentialsTest, ExplicitProfileSkipsEnvironment) {
  vars_["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  vars_["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  write("credentials", "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devsecret\n");
  auto c = resolve_credentials(env(), with_profile("dev"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "AKIDDEV");
  EXPECT_EQ(c->source, "profile dev");
}

TEST_F(CredentialsTest, HalfSetEnvironmentIsAnError) {
  vars_["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  auto c = resolve_credentials(env(), {});
  ASSERT_FALSE(c.has_value());
  EXPECT_THAT(c.error().message, HasSubstr("must both be set"));
}

TEST_F(CredentialsTest, AwsProfileVariableSelectsTheProfile) {
  vars_["AWS_PROFILE"] = "ops";
  write("config", "[profile ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = opssecret\n");
  auto c = resolve_credentials(env(), {});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "AKIDOPS");
}

TEST_F(CredentialsTest, MissingChosenProfileIsAnError) {
  auto c = resolve_credentials(env(), with_profile("nope"));
  ASSERT_FALSE(c.has_value());
  EXPECT_THAT(c.error().message, HasSubstr("(nope) could not be found"));
}

TEST_F(CredentialsTest, CredentialProcess) {
  write("config", "[default]\ncredential_process = /opt/bin/get-creds --account prod\n");
  processes_["/opt/bin/get-creds --account prod"] = {
      0, R"({"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "procsecret", "SessionToken": "proctoken",
             "Expiration": "2026-12-03T18:30:00Z"})", ""};
  auto c = resolve_credentials(env(), {});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ASIAPROC");
  EXPECT_EQ(c->credentials.session_token, "proctoken");
  ASSERT_TRUE(c->expiration.has_value());
  EXPECT_EQ(*c->expiration, *parse_aws_time("2026-12-03T18:30:00Z"));
}

TEST_F(CredentialsTest, FailingCredentialProcessSaysWhy) {
  write("config", "[default]\ncredential_process = get-creds\n");
  processes_["get-creds"] = {1, "", "token expired\n"};
  auto c = resolve_credentials(env(), {});
  ASSERT_FALSE(c.has_value());
  EXPECT_THAT(c.error().message, HasSubstr("status 1: token expired"));
  processes_["get-creds"] = {0, "{\"Version\": 2}", ""};
  EXPECT_FALSE(resolve_credentials(env(), {}).has_value());
}

TEST_F(CredentialsTest, AssumeRoleWithSourceProfile) {
  write("config",
        "[profile audit]\nrole_arn = arn:aws:iam::111122223333:role/Audit\nsource_profile = base\n"
        "external_id = ext-123\nduration_seconds = 1800\nrole_session_name = fortress-test\nregion = eu-west-1\n");
  write("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = basesecret\n");
  http_.add("https://sts.eu-west-1.amazonaws.com/", 200, kAssumeRoleXml);
  auto c = resolve_credentials(env(), with_profile("audit"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ASIAROLE");
  EXPECT_EQ(c->credentials.session_token, "roletoken");
  EXPECT_THAT(c->source, HasSubstr("assume-role arn:aws:iam::111122223333:role/Audit"));
  ASSERT_EQ(http_.calls.size(), 1u);
  const HttpCall& call = http_.calls[0];
  EXPECT_EQ(call.method, "POST");
  EXPECT_THAT(call.body, HasSubstr("Action=AssumeRole"));
  EXPECT_THAT(call.body, HasSubstr("RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FAudit"));
  EXPECT_THAT(call.body, HasSubstr("ExternalId=ext-123"));
  EXPECT_THAT(call.body, HasSubstr("DurationSeconds=1800"));
  EXPECT_THAT(call.body, HasSubstr("RoleSessionName=fortress-test"));
  EXPECT_THAT(header(call, "Authorization"), HasSubstr("Credential=AKIDBASE/20261203/eu-west-1/sts/aws4_request"));
}

TEST_F(CredentialsTest, AssumeRoleWithEnvironmentCredentialSource) {
  vars_["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  vars_["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  write("config", "[profile r]\nrole_arn = arn:aws:iam::111122223333:role/R\ncredential_source = Environment\n");
  http_.add("https://sts.us-east-1.amazonaws.com/", 200, kAssumeRoleXml);
  auto c = resolve_credentials(env(), with_profile("r"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_THAT(header(http_.calls[0], "Authorization"), HasSubstr("Credential=AKIDENV/"));
}

TEST_F(CredentialsTest, AssumeRoleDeniedIsReportedNotSkipped) {
  write("config", "[profile audit]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = base\n");
  write("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = basesecret\n");
  http_.add("https://sts.", 403,
            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform "
            "sts:AssumeRole</Message></Error></ErrorResponse>");
  auto c = resolve_credentials(env(), with_profile("audit"));
  ASSERT_FALSE(c.has_value());
  EXPECT_THAT(c.error().message, HasSubstr("AccessDenied: not authorized"));
  EXPECT_THAT(c.error().message, ::testing::Not(HasSubstr("basesecret")));
}

TEST_F(CredentialsTest, SourceProfileLoopIsAnError) {
  write("config", "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n"
                  "[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\n");
  auto c = resolve_credentials(env(), with_profile("a"));
  ASSERT_FALSE(c.has_value());
  EXPECT_THAT(c.error().message, HasSubstr("loops"));
}

TEST_F(CredentialsTest, WebIdentityFromEnvironment) {
  vars_["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/var/run/token";
  vars_["AWS_ROLE_ARN"] = "arn:aws:iam::111122223333:role/Pod";
  vars_["AWS_REGION"] = "eu-central-1";
  files_["/var/run/token"] = "eyJhbGciOi.token.sig\n";
  http_.add("https://sts.eu-central-1.amazonaws.com/", 200,
            "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
            "<AccessKeyId>ASIAWEB</AccessKeyId><SecretAccessKey>websecret</SecretAccessKey>"
            "<SessionToken>webtoken</SessionToken><Expiration>2026-12-03T19:00:00Z</Expiration>"
            "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>");
  auto c = resolve_credentials(env(), {});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ASIAWEB");
  const HttpCall& call = http_.calls[0];
  EXPECT_THAT(call.body, ::testing::EndsWith("&WebIdentityToken=eyJhbGciOi.token.sig"));  // trimmed
  EXPECT_EQ(header(call, "Authorization"), "");  // unsigned: the token is the proof
}

TEST_F(CredentialsTest, ContainerCredentialsWithTokenFile) {
  // How AWS CloudShell hands out credentials.
  vars_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://localhost:1338/latest/meta-data/container/security-credentials";
  vars_["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "/run/token";
  vars_["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "ignored-when-file-is-set";
  files_["/run/token"] = "secret-container-token\n";
  http_.add("http://localhost:1338/latest/meta-data/container/security-credentials", 200,
            R"({"Type":"","AccessKeyId":"ASIACS","SecretAccessKey":"cssecret","Token":"cstoken",
                "Expiration":"2026-12-03T18:20:00Z","Code":"Success"})");
  auto c = resolve_credentials(env(), {});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ASIACS");
  EXPECT_EQ(c->credentials.session_token, "cstoken");
  EXPECT_EQ(header(http_.calls[0], "Authorization"), "secret-container-token");
}

TEST_F(CredentialsTest, ContainerRelativeUriUsesTheEcsAddress) {
  vars_["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc";
  http_.add("http://169.254.170.2/v2/credentials/abc", 200,
            R"({"AccessKeyId":"ASIAECS","SecretAccessKey":"s","Token":"t","Expiration":"2026-12-03T18:20:00Z"})");
  auto c = resolve_credentials(env(), {});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ASIAECS");
}

TEST_F(CredentialsTest, ImdsV2TokenThenRoleCredentials) {
  vars_.erase("AWS_EC2_METADATA_DISABLED");
  http_.add("http://169.254.169.254/latest/api/token", 200, "imds-token");
  http_.add("http://169.254.169.254/latest/meta-data/iam/security-credentials/", 200, "web-role\n");
  http_.add("http://169.254.169.254/latest/meta-data/iam/security-credentials/web-role", 200,
            R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"s","Token":"t",
                "Expiration":"2026-12-03T20:00:00Z"})");
  auto c = resolve_credentials(env(), {});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ASIAIMDS");
  EXPECT_EQ(http_.calls[0].method, "PUT");
  EXPECT_EQ(header(http_.calls[0], "X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(header(http_.calls[1], "X-aws-ec2-metadata-token"), "imds-token");
  EXPECT_EQ(header(http_.calls[2], "X-aws-ec2-metadata-token"), "imds-token");
}

TEST_F(CredentialsTest, ImdsV1OnlyWhenTheTokenCallIsRefused) {
  vars_.erase("AWS_EC2_METADATA_DISABLED");
  http_.add("http://169.254.169.254/latest/api/token", 403, "");
  http_.add("http://169.254.169.254/latest/meta-data/iam/security-credentials/", 200, "r");
  http_.add("http://169.254.169.254/latest/meta-data/iam/security-credentials/r", 200,
            R"({"AccessKeyId":"ASIAV1","SecretAccessKey":"s","Token":"t","Expiration":"2026-12-03T20:00:00Z"})");
  auto c = resolve_credentials(env(), {});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_THAT(c->source, HasSubstr("IMDSv1"));
  EXPECT_EQ(header(http_.calls[1], "X-aws-ec2-metadata-token"), "");
}

TEST_F(CredentialsTest, NoImdsFallbackWhenUnreachable) {
  vars_.erase("AWS_EC2_METADATA_DISABLED");
  http_.add_unreachable("http://169.254.169.254/latest/api/token");
  auto c = resolve_credentials(env(), {});
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(http_.calls.size(), 1u);
  EXPECT_THAT(c.error().message, HasSubstr("no AWS credentials found"));
  EXPECT_THAT(c.error().message, HasSubstr("instance metadata"));
}

TEST_F(CredentialsTest, SsoWithoutTheAwsCliSaysWhatToRun) {
  write("config", "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Audit\n"
                  "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n");
  auto c = resolve_credentials(env(), with_profile("sso"));
  ASSERT_FALSE(c.has_value());
  EXPECT_THAT(c.error().message, HasSubstr("aws sso login --profile sso"));
}

TEST_F(CredentialsTest, SsoThroughExportCredentials) {
  write("config", "[profile sso]\nsso_start_url = https://corp.awsapps.com/start\n");
  processes_["command -v aws"] = {0, "/usr/bin/aws\n", ""};
  processes_["aws configure export-credentials --profile 'sso' --format process"] = {
      0, R"({"Version":1,"AccessKeyId":"ASIASSO","SecretAccessKey":"s","SessionToken":"t",
             "Expiration":"2026-12-03T19:00:00+00:00"})", ""};
  auto c = resolve_credentials(env(), with_profile("sso"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ASIASSO");
}

TEST_F(CredentialsTest, CacheRefreshesBeforeExpiry) {
  write("config", "[default]\ncredential_process = creds\n");
  processes_["creds"] = {0, R"({"Version":1,"AccessKeyId":"ASIA1","SecretAccessKey":"s","SessionToken":"t",
                                "Expiration":"2026-12-03T18:30:00Z"})", ""};
  CredentialCache cache(env(), {}, std::chrono::minutes(5));
  ASSERT_EQ(cache.get()->access_key_id, "ASIA1");
  now_ += std::chrono::minutes(10);  // 18:10: still fresh
  ASSERT_EQ(cache.get()->access_key_id, "ASIA1");
  EXPECT_EQ(commands_.size(), 1u);
  processes_["creds"] = {0, R"({"Version":1,"AccessKeyId":"ASIA2","SecretAccessKey":"s","SessionToken":"t",
                                "Expiration":"2026-12-03T19:30:00Z"})", ""};
  now_ += std::chrono::minutes(16);  // 18:26: inside the 5-minute window
  EXPECT_EQ(cache.get()->access_key_id, "ASIA2");
  EXPECT_EQ(commands_.size(), 2u);
}

TEST_F(CredentialsTest, InvalidateDropsOnlyTheCredentialsThatWereUsed) {
  write("config", "[default]\ncredential_process = creds\n");
  processes_["creds"] = {0, R"({"Version":1,"AccessKeyId":"ASIA1","SecretAccessKey":"s","SessionToken":"t1",
                                "Expiration":"2026-12-03T19:30:00Z"})", ""};
  CredentialCache cache(env(), {}, std::chrono::minutes(5));
  const Credentials first = *cache.get();
  processes_["creds"] = {0, R"({"Version":1,"AccessKeyId":"ASIA2","SecretAccessKey":"s","SessionToken":"t2",
                                "Expiration":"2026-12-03T19:30:00Z"})", ""};
  cache.invalidate(first);  // a service said t1 expired
  EXPECT_EQ(cache.get()->access_key_id, "ASIA2");
  EXPECT_EQ(commands_.size(), 2u);
  cache.invalidate(first);  // a request that signed with t1 comes back late: t2 stays
  EXPECT_EQ(cache.get()->access_key_id, "ASIA2");
  EXPECT_EQ(commands_.size(), 2u);
}

TEST(AwsTime, ParsesTheFormsAwsWrites) {
  auto base = parse_aws_time("2026-12-03T18:00:00Z");
  ASSERT_TRUE(base.has_value());
  EXPECT_EQ(parse_aws_time("2026-12-03T18:00:00.123Z"), base);
  EXPECT_EQ(parse_aws_time("2026-12-03T18:00:00+00:00"), base);
  EXPECT_EQ(parse_aws_time("2026-12-03T20:00:00+02:00"), base);
  EXPECT_FALSE(parse_aws_time("yesterday").has_value());
  EXPECT_EQ(amz_date(*base), "20261203T180000Z");
}

}  // namespace
}  // namespace fortress::aws

namespace fortress::aws {
namespace {

const char* kWebIdentityXml =
    "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
    "<AccessKeyId>ASIAWEBPROFILE</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
    "<Expiration>2026-12-03T19:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
    "</AssumeRoleWithWebIdentityResponse>";

TEST_F(CredentialsTest, WebIdentityFromTheProfile) {
  write("config", "[profile pod]\nrole_arn = arn:aws:iam::111122223333:role/Pod\n"
                  "web_identity_token_file = /var/run/pod-token\nrole_session_name = pod-session\n");
  files_["/var/run/pod-token"] = "header.payload.sig";
  http_.add("https://sts.us-east-1.amazonaws.com/", 200, kWebIdentityXml);
  auto c = resolve_credentials(env(), with_profile("pod"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ASIAWEBPROFILE");
  EXPECT_EQ(c->source, "profile pod (web identity)");
  EXPECT_THAT(http_.calls[0].body, HasSubstr("Action=AssumeRoleWithWebIdentity"));
  EXPECT_THAT(http_.calls[0].body, HasSubstr("RoleSessionName=pod-session"));
  EXPECT_THAT(http_.calls[0].body, HasSubstr("WebIdentityToken=header.payload.sig"));
}

TEST_F(CredentialsTest, AssumeRoleWithInstanceMetadataAsCredentialSource) {
  vars_.erase("AWS_EC2_METADATA_DISABLED");
  write("config", "[profile r]\nrole_arn = arn:aws:iam::111122223333:role/R\ncredential_source = Ec2InstanceMetadata\n");
  http_.add("http://169.254.169.254/latest/api/token", 200, "imds-token");
  http_.add("http://169.254.169.254/latest/meta-data/iam/security-credentials/", 200, "instance-role");
  http_.add("http://169.254.169.254/latest/meta-data/iam/security-credentials/instance-role", 200,
            R"({"AccessKeyId":"ASIAINSTANCE","SecretAccessKey":"s","Token":"t","Expiration":"2026-12-03T20:00:00Z"})");
  http_.add("https://sts.us-east-1.amazonaws.com/", 200, kAssumeRoleXml);
  auto c = resolve_credentials(env(), with_profile("r"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ASIAROLE");
  ASSERT_EQ(http_.calls.size(), 4u);
  EXPECT_THAT(header(http_.calls[3], "Authorization"), HasSubstr("Credential=ASIAINSTANCE/"));
  EXPECT_EQ(header(http_.calls[3], "X-Amz-Security-Token"), "t");
}

TEST_F(CredentialsTest, AssumeRoleWithContainerAsCredentialSource) {
  vars_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:8080/creds";
  vars_["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "container-token-from-env";
  write("config", "[profile r]\nrole_arn = arn:aws:iam::111122223333:role/R\ncredential_source = EcsContainer\n");
  http_.add("http://127.0.0.1:8080/creds", 200,
            R"({"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"s","Token":"t","Expiration":"2026-12-03T20:00:00Z"})");
  http_.add("https://sts.us-east-1.amazonaws.com/", 200, kAssumeRoleXml);
  auto c = resolve_credentials(env(), with_profile("r"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(header(http_.calls[0], "Authorization"), "container-token-from-env");
  EXPECT_THAT(header(http_.calls[1], "Authorization"), HasSubstr("Credential=ASIACONTAINER/"));
}

TEST_F(CredentialsTest, AnUnknownCredentialSourceIsAnError) {
  write("config", "[profile r]\nrole_arn = arn:aws:iam::111122223333:role/R\ncredential_source = Laptop\n");
  auto c = resolve_credentials(env(), with_profile("r"));
  ASSERT_FALSE(c.has_value());
  EXPECT_THAT(c.error().message, HasSubstr("Environment, Ec2InstanceMetadata, EcsContainer"));
}

TEST_F(CredentialsTest, AssumedRoleCredentialsAreAssumedAgainBeforeTheyExpire) {
  write("config", "[profile audit]\nrole_arn = arn:aws:iam::111122223333:role/Audit\nsource_profile = base\n");
  write("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = basesecret\n");
  http_.add("https://sts.us-east-1.amazonaws.com/", 200, kAssumeRoleXml);  // expires 19:00
  CredentialCache cache(env(), with_profile("audit"), std::chrono::minutes(5));
  ASSERT_EQ(cache.get()->access_key_id, "ASIAROLE");
  now_ += std::chrono::minutes(50);  // 18:50: still fresh
  ASSERT_EQ(cache.get()->access_key_id, "ASIAROLE");
  EXPECT_EQ(http_.calls.size(), 1u);
  http_.add("https://sts.us-east-1.amazonaws.com/", 200,
            std::string(kAssumeRoleXml).replace(std::string(kAssumeRoleXml).find("ASIAROLE"), 8, "ASIANEXT"));
  now_ += std::chrono::minutes(6);  // 18:56: within five minutes of the expiry
  EXPECT_EQ(cache.get()->access_key_id, "ASIANEXT");
  EXPECT_EQ(http_.calls.size(), 2u);
}

// The real process runner (/bin/sh), not a fake: what credential_process and SSO go through.
TEST(SystemEnvironment, RunsAProcessAndCapturesItsOutputAndErrors) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("fortress-proc-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path script = dir / "creds.sh";
  std::ofstream(script) << "#!/bin/sh\n"
                           "if [ \"$1\" = fail ]; then echo 'session expired, run login' >&2; exit 3; fi\n"
                           "echo '{\"Version\": 1, \"AccessKeyId\": \"ASIAREALPROC\", \"SecretAccessKey\": \"s\","
                           " \"SessionToken\": \"t\", \"Expiration\": \"2026-12-03T18:30:00Z\"}'\n";
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  Environment env = Environment::system(nullptr);
  auto ok = env.run(script.string() + " ok");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->exit_code, 0);
  auto parsed = parse_credentials_json(ok->out, "credential_process");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->credentials.access_key_id, "ASIAREALPROC");
  auto failed = env.run(script.string() + " fail");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->exit_code, 3);
  EXPECT_THAT(failed->err, HasSubstr("session expired"));
  // Through the chain, with the real files and process of a profile.
  std::ofstream(dir / "config") << "[profile p]\ncredential_process = " << script.string() << " ok\n";
  ::setenv("AWS_CONFIG_FILE", (dir / "config").c_str(), 1);
  ::setenv("AWS_SHARED_CREDENTIALS_FILE", (dir / "none").c_str(), 1);
  auto chain = resolve_credentials(env, with_profile("p"));
  ::unsetenv("AWS_CONFIG_FILE");
  ::unsetenv("AWS_SHARED_CREDENTIALS_FILE");
  ASSERT_TRUE(chain) << chain.error().message;
  EXPECT_EQ(chain->credentials.access_key_id, "ASIAREALPROC");
  EXPECT_EQ(chain->source, "profile p (credential_process)");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fortress::aws
