// The container credentials and EC2 instance metadata sources against a real local HTTP server,
// through the real libcurl transport: what the scripted transport of tests/aws/credentials_test.cpp
// stands in for.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "aws/credentials.h"
#include "aws/http.h"

namespace fortress::aws {
namespace {

using ::testing::HasSubstr;

class LocalServer {
 public:
  LocalServer() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~LocalServer() {
    server_.stop();
    thread_.join();
  }
  httplib::Server& server() { return server_; }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

constexpr const char* kCredentialsJson =
    R"({"Code": "Success", "AccessKeyId": "ASIALOCAL", "SecretAccessKey": "local-secret", "Token": "local-token",
        "Expiration": "2026-12-03T20:00:00Z"})";

// The real files, processes and HTTP (libcurl), with the variables given and nothing else.
Environment environment(HttpTransport* http, std::map<std::string, std::string> vars) {
  Environment env = Environment::system(http);
  vars.emplace("AWS_CONFIG_FILE", "/nonexistent/fortress/config");
  vars.emplace("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/fortress/credentials");
  env.getenv = [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  return env;
}

TEST(LocalCredentialsEndpoint, ContainerCredentialsWithTheTokenFromAFile) {
  LocalServer local;
  std::atomic<int> refused{0};
  local.server().Get("/v1/credentials", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != "cloudshell-token-42") {
      ++refused;
      res.status = 401;
      return;
    }
    res.set_content(kCredentialsJson, "application/json");
  });
  const std::filesystem::path token = std::filesystem::temp_directory_path() / ("fortress-token-" + std::to_string(::getpid()));
  std::ofstream(token) << "cloudshell-token-42\n";
  auto http = make_curl_transport();
  Environment env = environment(http.get(), {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", local.url() + "/v1/credentials"},
                                             {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token.string()},
                                             {"AWS_EC2_METADATA_DISABLED", "true"}});
  auto c = resolve_credentials(env, {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ASIALOCAL");
  EXPECT_EQ(c->credentials.session_token, "local-token");
  EXPECT_EQ(c->source, "container credentials");
  // The token from the variable, when no file is named; a wrong one is refused and said so.
  Environment wrong = environment(http.get(), {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", local.url() + "/v1/credentials"},
                                               {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "not-the-token"},
                                               {"AWS_EC2_METADATA_DISABLED", "true"}});
  auto refused_result = resolve_credentials(wrong, {});
  ASSERT_FALSE(refused_result);
  EXPECT_THAT(refused_result.error().message, HasSubstr("HTTP 401"));
  EXPECT_EQ(refused.load(), 1);
  Environment right = environment(http.get(), {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", local.url() + "/v1/credentials"},
                                               {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "cloudshell-token-42"},
                                               {"AWS_EC2_METADATA_DISABLED", "true"}});
  EXPECT_TRUE(resolve_credentials(right, {}));
  std::filesystem::remove(token);
}

// An instance metadata service: IMDSv2 (token PUT, then GETs that carry it), or with `refuse_tokens`
// one that answers the token call 403, as IMDSv1-only endpoints do.
struct Imds {
  explicit Imds(bool refuse_tokens) {
    httplib::Server& s = local.server();
    s.Put("/latest/api/token", [this, refuse_tokens](const httplib::Request& req, httplib::Response& res) {
      ++token_calls;
      if (refuse_tokens) {
        res.status = 403;
        return;
      }
      ttl = req.get_header_value("X-aws-ec2-metadata-token-ttl-seconds");
      res.set_content("imds-session-token", "text/plain");
    });
    auto authorized = [this, refuse_tokens](const httplib::Request& req) {
      return refuse_tokens || req.get_header_value("X-aws-ec2-metadata-token") == "imds-session-token";
    };
    s.Get("/latest/meta-data/iam/security-credentials/", [this, authorized](const httplib::Request& req, httplib::Response& res) {
      ++get_calls;
      if (!authorized(req)) {
        res.status = 401;
        return;
      }
      res.set_content("web-server-role", "text/plain");
    });
    s.Get("/latest/meta-data/iam/security-credentials/web-server-role",
          [this, authorized](const httplib::Request& req, httplib::Response& res) {
            ++get_calls;
            if (!authorized(req)) {
              res.status = 401;
              return;
            }
            res.set_content(kCredentialsJson, "application/json");
          });
  }
  LocalServer local;
  std::atomic<int> token_calls{0};
  std::atomic<int> get_calls{0};
  std::string ttl;
};

TEST(LocalCredentialsEndpoint, InstanceMetadataV2) {
  Imds imds(false);
  auto http = make_curl_transport();
  auto c = resolve_credentials(environment(http.get(), {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.local.url()}}), {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ASIALOCAL");
  EXPECT_EQ(c->source, "EC2 instance metadata (role web-server-role)");
  EXPECT_EQ(imds.token_calls.load(), 1);
  EXPECT_EQ(imds.ttl, "21600");
  EXPECT_EQ(imds.get_calls.load(), 2);
}

TEST(LocalCredentialsEndpoint, InstanceMetadataV1OnlyWhenTheTokenCallIsRefused) {
  Imds imds(true);
  auto http = make_curl_transport();
  auto c = resolve_credentials(environment(http.get(), {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.local.url()}}), {});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->source, "EC2 instance metadata (role web-server-role, IMDSv1)");
}

TEST(LocalCredentialsEndpoint, NoFallbackToV1WhenTheTokenCallIsNotAnswered) {
  LocalServer local;
  std::atomic<int> gets{0};
  local.server().Put("/latest/api/token", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // past the 2 s metadata timeout
    res.set_content("late", "text/plain");
  });
  local.server().Get(".*", [&](const httplib::Request&, httplib::Response& res) {
    ++gets;
    res.set_content(kCredentialsJson, "application/json");
  });
  auto http = make_curl_transport();
  auto c = resolve_credentials(environment(http.get(), {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", local.url()}}), {});
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message, HasSubstr("EC2 instance metadata (not reachable)"));
  EXPECT_EQ(gets.load(), 0) << "IMDSv1 was tried although the token call was not refused";
}

}  // namespace
}  // namespace fortress::aws
