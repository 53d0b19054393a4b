// The libcurl transport against the local endpoint: TLS is always verified (a certificate it cannot
// trust is an error, a CA bundle makes it trusted), and compressed answers are accepted and decoded.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include "aws/http.h"
#include "collect/collector.h"
#include "endpoint/aws_endpoint.h"
#include "endpoint/fixture_calls.h"
#include "support/process.h"
#include "support/tls.h"

namespace fortress::endpoint {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path work_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("fortress-transport-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(CurlTransport, TlsIsVerifiedAndACaBundleMakesACertificateTrusted) {
  const fs::path dir = work_dir("tls");
  const auto cert = fortress::testing::make_test_certificate(dir);
  ASSERT_FALSE(cert.certificate.empty()) << "OpenSSL could not make a test certificate";
  EndpointOptions o;
  o.fixture = testing::kDemoAccount;
  o.tls_certificate = cert.certificate;
  o.tls_key = cert.key;
  AwsTestEndpoint endpoint(o);
  auto started = endpoint.start();
  ASSERT_TRUE(started) << started.error().message;
  ASSERT_THAT(endpoint.url(), ::testing::StartsWith("https://"));
  aws::HttpCall call;
  call.url = endpoint.url() + "/";
  // Not trusted by the system store: refused, never sent in the clear or unverified.
  auto untrusted = aws::make_curl_transport()->send(call);
  ASSERT_FALSE(untrusted);
  EXPECT_THAT(untrusted.error().message, ::testing::AnyOf(HasSubstr("certificate"), HasSubstr("SSL")));
  EXPECT_TRUE(endpoint.calls().empty()) << "a request went through an unverified connection";
  // Trusted through the CA bundle (--ca-bundle, AWS_CA_BUNDLE, ca_bundle): the endpoint answers (its
  // 403 is an answer: the request is unsigned).
  aws::CurlOptions with_bundle;
  with_bundle.ca_bundle = cert.certificate.string();
  auto trusted = aws::make_curl_transport(with_bundle)->send(call);
  ASSERT_TRUE(trusted) << trusted.error().message;
  EXPECT_EQ(trusted->status, 403);
  fs::remove_all(dir);
}

TEST(CurlTransport, KeepsTheConnectionAliveBetweenCalls) {
  EndpointOptions o;
  o.fixture = testing::kDemoAccount;
  AwsTestEndpoint endpoint(o);
  ASSERT_TRUE(endpoint.start());
  auto transport = aws::make_curl_transport();
  aws::HttpCall call;
  call.url = endpoint.url() + "/";
  auto first = transport->send(call);
  auto second = transport->send(call);
  auto third = transport->send(call);
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->new_connections, 1);
  EXPECT_EQ(second->new_connections, 0) << "the second call opened a new connection";
  EXPECT_EQ(third->new_connections, 0);
}

TEST(CurlTransport, CompressedAnswersAreAcceptedAndGiveTheSameSnapshot) {
  EndpointOptions o;
  o.fixture = testing::kDemoAccount;
  o.secrets = {{"AKIDFORTRESSTEST", "fortress-test-secret-key"}};
  o.compress = true;
  o.page_size = 1000;
  AwsTestEndpoint endpoint(o);
  ASSERT_TRUE(endpoint.start());
  // One raw answer: encoded on the wire, decoded by the transport.
  aws::HttpCall call;
  call.url = endpoint.url() + "/";
  auto raw = aws::make_curl_transport()->send(call);
  ASSERT_TRUE(raw) << raw.error().message;
  EXPECT_THAT(std::string(raw->header("content-encoding")), ::testing::AnyOf("br", "gzip", "deflate", "zstd"));
  EXPECT_THAT(raw->body, HasSubstr("MissingAuthenticationToken"));

  aws::Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "AWS_ACCESS_KEY_ID") return std::string("AKIDFORTRESSTEST");
    if (name == "AWS_SECRET_ACCESS_KEY") return std::string("fortress-test-secret-key");
    return std::nullopt;
  };
  env.read_file = [](const std::string& p) -> Expected<std::string> { return Error{ErrorCode::kIo, "no", p, 0, 0}; };
  env.run = [](const std::string&) -> Expected<aws::ProcessResult> { return Error{ErrorCode::kIo, "no", "", 0, 0}; };
  aws::CredentialCache credentials(env, aws::CredentialOptions{});
  collect::CollectOptions options;
  options.output_dir = work_dir("compressed");
  options.regions = {"eu-west-1", "us-east-1"};
  options.home_region = "us-east-1";
  options.credentials = &credentials;
  options.make_transport = [] { return aws::make_curl_transport(); };
  options.client.endpoint_url = endpoint.url();
  options.select = [](const collect::OperationSpec& s) { return s.service == "ec2" || s.service == "sts"; };
  auto result = collect::collect_account(options);
  ASSERT_TRUE(result) << result.error().message;
  for (const testing::FixtureCall& c : testing::fixture_calls(testing::kDemoAccount)) {
    if (c.error || !options.select(*c.spec)) continue;  // only EC2 and STS were collected
    SCOPED_TRACE(c.file);
    auto want = parse_json_text(fortress::testing::read_file(testing::kDemoAccount / c.file));
    auto have = parse_json_text(fortress::testing::read_file(options.output_dir / c.file));
    ASSERT_TRUE(want && have);
    EXPECT_EQ(have->dump(2), want->dump(2));
  }
  fs::remove_all(options.output_dir);
}

}  // namespace
}  // namespace fortress::endpoint
