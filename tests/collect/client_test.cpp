#include "collect/client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aws/protocol.h"
#include "aws/protocol_models.h"
#include "collect/fake_aws.h"

namespace fortress::collect {
namespace {

using namespace fortress::collect::testing;
using std::chrono::milliseconds;

class ClientTest : public ::testing::Test {
 protected:
  ClientTest() : credentials_(fake_credential_environment(), aws::CredentialOptions{}), transport_(aws_) {
    options_.sleep = [this](milliseconds d) { sleeps_.push_back(d); };
    options_.now = [] { return aws::Clock::time_point(std::chrono::seconds(1796313600)); };
  }

  CallResult call(std::string_view service, std::string_view operation,
                  const JsonValue& params = JsonValue()) {
    AwsClient client(transport_, credentials_, options_);
    return client.call(service, operation, "eu-west-1", params, retry_);
  }

  FakeAws aws_;
  aws::CredentialCache credentials_;
  FakeTransport transport_;
  ClientOptions options_;
  aws::RetryStrategy retry_{aws::RetryOptions{}, [] { return 0.5; }};
  std::vector<milliseconds> sleeps_;
};

FakeReply security_groups_page(const std::string& items, const std::string& next = "") {
  return ec2_list("DescribeSecurityGroups", "securityGroupInfo", items, next);
}

const std::string kSgA = security_group_item("sg-0a", "web", "0.0.0.0/0", 443);
const std::string kSgB = security_group_item("sg-0b", "ssh", "10.0.0.0/8", 22);
const std::string kSgC = security_group_item("sg-0c", "db", "10.1.0.0/16", 5432);

TEST_F(ClientTest, FollowsEveryPageAndMergesThemAsTheCliDoes) {
  aws_.on("ec2.eu-west-1", "DescribeSecurityGroups", [](const FakeRequest& r) {
    const std::string token = r.param("NextToken");
    if (token.empty()) return security_groups_page(kSgA, "page2");
    if (token == "page2") return security_groups_page(kSgB, "page3");
    return security_groups_page(kSgC);
  });
  CallResult paged = call("ec2", "DescribeSecurityGroups");
  ASSERT_TRUE(paged.ok()) << paged.error->message;
  EXPECT_EQ(paged.pages, 3);
  EXPECT_EQ(paged.attempts, 3);

  // The same groups in one page give the same output: no NextToken, lists concatenated in order.
  FakeAws one_page;
  one_page.on("", "DescribeSecurityGroups",
              [](const FakeRequest&) { return security_groups_page(kSgA + kSgB + kSgC); });
  FakeTransport t(one_page);
  AwsClient client(t, credentials_, options_);
  CallResult single = client.call("ec2", "DescribeSecurityGroups", "eu-west-1", JsonValue(), retry_);
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(paged.output.dump(4), single.output.dump(4));

  ASSERT_TRUE(paged.output.is_object());
  EXPECT_EQ(paged.output.as_object().size(), 1u);
  EXPECT_EQ(paged.output.get("NextToken"), nullptr);
  const JsonValue* groups = paged.output.get("SecurityGroups");
  ASSERT_NE(groups, nullptr);
  ASSERT_EQ(groups->as_array().size(), 3u);
  EXPECT_EQ(groups->as_array()[2].get("GroupId")->as_string(), "sg-0c");

  auto requests = aws_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].param("NextToken"), "");
  EXPECT_EQ(requests[1].param("NextToken"), "page2");
  EXPECT_EQ(requests[2].param("NextToken"), "page3");
  EXPECT_EQ(requests[0].param("Version"), "2016-11-15");
}

TEST_F(ClientTest, SignsEveryRequestForTheRegionAndService) {
  aws_.on("", "DescribeSecurityGroups", [](const FakeRequest&) { return security_groups_page(kSgA); });
  ASSERT_TRUE(call("ec2", "DescribeSecurityGroups").ok());
  auto requests = aws_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].host, "ec2.eu-west-1.amazonaws.com");
  EXPECT_EQ(requests[0].call.url, "https://ec2.eu-west-1.amazonaws.com/");
  std::string authorization;
  std::string token;
  for (const auto& [k, v] : requests[0].call.headers) {
    if (k == "Authorization") authorization = v;
    if (k == "X-Amz-Security-Token") token = v;
  }
  EXPECT_NE(authorization.find("Credential=AKIAIOSFODNN7EXAMPLE/20261203/eu-west-1/ec2/aws4_request"),
            std::string::npos)
      << authorization;
  EXPECT_EQ(token, kSessionToken);
  EXPECT_EQ(requests[0].call.connect_timeout, options_.connect_timeout);
}

TEST_F(ClientTest, ThrottlingIsRetriedAfterTheStrategysDelayWithTheSameOutput) {
  aws_.on("", "DescribeSecurityGroups", [](const FakeRequest&) { return security_groups_page(kSgA + kSgB); });
  CallResult clean = call("ec2", "DescribeSecurityGroups");
  ASSERT_TRUE(clean.ok());

  aws_.script("", "DescribeSecurityGroups",
              {ec2_error(503, "RequestLimitExceeded", "Request limit exceeded."),
               ec2_error(400, "Throttling", "Rate exceeded")});
  sleeps_.clear();
  CallResult throttled = call("ec2", "DescribeSecurityGroups");
  ASSERT_TRUE(throttled.ok()) << throttled.error->message;
  EXPECT_EQ(throttled.attempts, 3);
  EXPECT_EQ(throttled.retries, 2);
  EXPECT_EQ(throttled.output, clean.output);
  // Full jitter with random 0.5: half of 1 s, then half of 2 s.
  EXPECT_EQ(sleeps_, (std::vector<milliseconds>{milliseconds(500), milliseconds(1000)}));
}

TEST_F(ClientTest, ServerErrorThenSuccessIsRetried) {
  aws_.on("", "DescribeSecurityGroups", [](const FakeRequest&) { return security_groups_page(kSgA); });
  aws_.script("", "DescribeSecurityGroups", {FakeReply{500, ""}});
  CallResult r = call("ec2", "DescribeSecurityGroups");
  ASSERT_TRUE(r.ok()) << r.error->message;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.output.get("SecurityGroups")->as_array().size(), 1u);
}

TEST_F(ClientTest, ATruncatedBodyIsRetriedNotTrusted) {
  aws_.on("", "DescribeSecurityGroups", [](const FakeRequest&) { return security_groups_page(kSgA); });
  FakeReply truncated = security_groups_page(kSgA + kSgB);
  truncated.body.resize(truncated.body.size() / 2);
  aws_.script("", "DescribeSecurityGroups", {truncated});
  CallResult r = call("ec2", "DescribeSecurityGroups");
  ASSERT_TRUE(r.ok()) << r.error->message;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.output.get("SecurityGroups")->as_array().size(), 1u);
}

TEST_F(ClientTest, ABodyThatNeverParsesIsAnErrorNotAnEmptyList) {
  aws_.on("", "DescribeSecurityGroups", [](const FakeRequest&) {
    FakeReply r = security_groups_page(kSgA);
    r.body.resize(40);
    return r;
  });
  CallResult r = call("ec2", "DescribeSecurityGroups");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.output.is_null());
  EXPECT_EQ(r.error->code, "ResponseParseError");
  EXPECT_EQ(r.error->attempts, 3);
  EXPECT_EQ(r.error->http_status, 200);
  EXPECT_FALSE(r.error->service_error());
}

TEST_F(ClientTest, AFailedLaterPageFailsTheWholeCall) {
  aws_.on("", "DescribeSecurityGroups", [](const FakeRequest& r) {
    if (r.param("NextToken").empty()) return security_groups_page(kSgA, "page2");
    return ec2_error(403, "UnauthorizedOperation", "You are not authorized to perform this operation.");
  });
  CallResult r = call("ec2", "DescribeSecurityGroups");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.output.is_null());
  EXPECT_EQ(r.error->code, "UnauthorizedOperation");
}

TEST_F(ClientTest, AccessDeniedIsNotRetriedAndReadsLikeTheCli) {
  aws_.on("", "DescribeFlowLogs", [](const FakeRequest&) {
    return ec2_error(403, "UnauthorizedOperation", "You are not authorized to perform this operation.");
  });
  CallResult r = call("ec2", "DescribeFlowLogs");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, "UnauthorizedOperation");
  EXPECT_EQ(r.error->http_status, 403);
  EXPECT_EQ(r.error->attempts, 1);
  EXPECT_TRUE(r.error->service_error());
  EXPECT_EQ(
      r.error->message,
      "An error occurred (UnauthorizedOperation) when calling the DescribeFlowLogs operation: You are not "
      "authorized to perform this operation.");
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(ClientTest, RetriesRunOutWithTheLastError) {
  aws_.on("", "DescribeVpcs", [](const FakeRequest&) {
    return ec2_error(503, "RequestLimitExceeded", "Request limit exceeded.");
  });
  CallResult r = call("ec2", "DescribeVpcs");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, "RequestLimitExceeded");
  EXPECT_EQ(r.error->attempts, 3);
  EXPECT_NE(r.error->message.find("(reached max retries: 2)"), std::string::npos) << r.error->message;
}

TEST_F(ClientTest, AnEndpointThatNeverAnswersIsAConnectionError) {
  aws_.on("", "DescribeVpcs", [](const FakeRequest&) {
    FakeReply r;
    r.no_response = true;
    r.transport_message = "Connection timed out after 3000 milliseconds";
    return r;
  });
  CallResult r = call("ec2", "DescribeVpcs");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, "EndpointConnectionError");
  EXPECT_EQ(r.error->http_status, 0);
  EXPECT_FALSE(r.error->service_error());
  EXPECT_EQ(r.error->attempts, 3);
  EXPECT_NE(r.error->message.find("ec2.eu-west-1.amazonaws.com"), std::string::npos) << r.error->message;
}

TEST_F(ClientTest, ErrorsNeverCarryCredentialsOrSignatures) {
  // SignatureDoesNotMatch echoes what was signed; a careless service (or proxy) might echo more.
  aws_.on("", "DescribeVpcs", [](const FakeRequest& r) {
    std::string echoed;
    for (const auto& [k, v] : r.call.headers) echoed += k + ": " + v + "\n";
    return ec2_error(403, "SignatureDoesNotMatch",
                     "The request signature we calculated does not match. Headers were:\n" + echoed +
                         " secret " + kSecretKey);
  });
  CallResult r = call("ec2", "DescribeVpcs");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, "SignatureDoesNotMatch");
  const std::string& m = r.error->message;
  EXPECT_EQ(m.find(kSecretKey), std::string::npos) << m;
  EXPECT_EQ(m.find(kSessionToken), std::string::npos) << m;
  EXPECT_EQ(m.find(kAccessKeyId), std::string::npos) << m;
  EXPECT_EQ(m.find("Signature="), m.find("Signature=****")) << m;
  std::string authorization;
  const auto requests = aws_.requests();
  for (const auto& [k, v] : requests[0].call.headers) {
    if (k == "Authorization") authorization = v;
  }
  const std::string signature = authorization.substr(authorization.find("Signature=") + 10);
  ASSERT_EQ(signature.size(), 64u);
  EXPECT_EQ(m.find(signature), std::string::npos) << m;
}

TEST(ScrubCredentials, MasksKeysTokensAndSignatures) {
  aws::Credentials creds{"ASIAXXXXXXXXXXXXXXXX", "secret/with+chars", "token=="};
  EXPECT_EQ(scrub_credentials("key ASIAXXXXXXXXXXXXXXXX secret/with+chars token== Signature=abc123", &creds),
            "key **** **** **** Signature=****");
  EXPECT_EQ(scrub_credentials("other AKIAABCDEFGHIJKLMNOP", nullptr), "other AKIA****************");
}

// A model that describes mutating operations, so only the guard can stop them.
constexpr std::string_view kMutatingModel = R"({
  "metadata": {"protocol": "ec2", "apiVersion": "2016-11-15", "endpointPrefix": "ec2", "serviceId": "EC2"},
  "operations": {
    "RevokeSecurityGroupIngress": {"name": "RevokeSecurityGroupIngress", "http": {"method": "POST", "requestUri": "/"},
                                   "input": {"shape": "GroupRequest"}},
    "AuthorizeSecurityGroupIngress": {"name": "AuthorizeSecurityGroupIngress", "http": {"method": "POST", "requestUri": "/"},
                                      "input": {"shape": "GroupRequest"}},
    "DescribeThings": {"name": "DescribeThings", "http": {"method": "POST", "requestUri": "/"},
                       "input": {"shape": "GroupRequest"}}
  },
  "shapes": {
    "GroupRequest": {"type": "structure", "members": {"GroupId": {"shape": "String"}}},
    "String": {"type": "string"}
  }
})";

TEST_F(ClientTest, AMutatingCallCannotBeSent) {
  auto model = aws::parse_service_model(kMutatingModel, "test model");
  ASSERT_TRUE(model) << model.error().message;
  options_.models = [&model](std::string_view) -> Expected<const aws::ServiceModel*> { return &*model; };
  aws_.on("", "RevokeSecurityGroupIngress", [](const FakeRequest&) { return FakeReply{200, "<ok/>"}; });
  aws_.on("", "AuthorizeSecurityGroupIngress", [](const FakeRequest&) { return FakeReply{200, "<ok/>"}; });
  aws_.on("", "DescribeThings", [](const FakeRequest&) {
    return FakeReply{200, "<DescribeThingsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"/>"};
  });

  JsonValue params = JsonValue::object();
  params.set("GroupId", "sg-0a");
  for (std::string_view op : {"RevokeSecurityGroupIngress", "AuthorizeSecurityGroupIngress"}) {
    CallResult r = call("ec2", op, params);
    ASSERT_FALSE(r.ok()) << op;
    EXPECT_EQ(r.error->code, "ReadOnlyGuard");
    EXPECT_EQ(r.error->attempts, 0);
    EXPECT_EQ(r.attempts, 0);
  }
  EXPECT_TRUE(aws_.requests().empty()) << "the transport was called for a mutating operation";

  // The same model and transport do carry a read.
  CallResult read = call("ec2", "DescribeThings", params);
  ASSERT_TRUE(read.ok()) << read.error->message;
  EXPECT_EQ(aws_.requests().size(), 1u);
}

TEST_F(ClientTest, EndpointOverrideIsHonoured) {
  options_.endpoint_url = "http://127.0.0.1:4566/";
  aws_.on("", "GetCallerIdentity", [](const FakeRequest&) { return caller_identity(); });
  CallResult r = call("sts", "GetCallerIdentity");
  ASSERT_TRUE(r.ok()) << r.error->message;
  EXPECT_EQ(aws_.requests()[0].call.url, "http://127.0.0.1:4566/");
  EXPECT_EQ(r.output.get("Account")->as_string(), "123456789012");
  EXPECT_EQ(r.output.dump(4),
            "{\n    \"UserId\": \"AIDACKCEVSQ6C2EXAMPLE\",\n    \"Account\": \"123456789012\",\n"
            "    \"Arn\": \"arn:aws:iam::123456789012:user/auditor\"\n}");
}

TEST(MergePages, ConcatenatesResultKeysInFirstSeenOrderAndDropsTheRest) {
  aws::Paginator p;
  p.input_token = {"Marker"};
  p.output_token = {"Marker"};
  p.result_key = {"Users", "Groups"};
  auto page = [](std::string_view text) { return *aws::parse_json_text(text); };
  JsonValue merged = merge_pages(p, {page(R"({"Groups": [1], "IsTruncated": true, "Marker": "m"})"),
                                     page(R"({"Users": ["a"], "Groups": [2], "IsTruncated": false})")});
  EXPECT_EQ(merged.dump(), R"({"Groups":[1,2],"Users":["a"]})");
}

}  // namespace
}  // namespace fortress::collect

namespace fortress::collect {
namespace {

TEST_F(ClientTest, AThrottledServiceIsPacedFromThenOn) {
  // A service that allows 50 requests a second (a token bucket of 5), answering in 10 ms: a client
  // sending as fast as answers come back asks for 100 a second.
  using Steady = aws::AdaptiveRateLimiter::SteadyClock;
  struct Service {
    Steady::time_point now{std::chrono::seconds(100)};
    Steady::time_point refilled = now;
    double tokens = 5;
    int throttled = 0;
  };
  auto run = [this](bool paced) {
    auto service = std::make_shared<Service>();
    FakeAws aws;
    aws.on("", "DescribeSecurityGroups", [service](const FakeRequest&) {
      Service& s = *service;
      s.tokens = std::min(5.0, s.tokens + std::chrono::duration<double>(s.now - s.refilled).count() * 50);
      s.refilled = s.now;
      s.now += milliseconds(10);
      if (s.tokens < 1) {
        ++s.throttled;
        return ec2_error(503, "RequestLimitExceeded", "Request limit exceeded.");
      }
      s.tokens -= 1;
      return security_groups_page(kSgA);
    });
    ClientOptions options = options_;
    options.sleep = [service](milliseconds d) { service->now += d; };
    FakeTransport transport(aws);
    AwsClient client(transport, credentials_, options);
    aws::RetryStrategy retry(aws::RetryOptions{.max_attempts = 10, .initial_quota = 1000000}, [] { return 0.5; });
    aws::AdaptiveRateLimiter pacing(aws::RateLimiterOptions{}, [service] { return service->now; });
    const CallPolicy policy{&retry, paced ? &pacing : nullptr, nullptr};
    for (int i = 0; i < 300; ++i) {
      EXPECT_TRUE(client.call("ec2", "DescribeSecurityGroups", "eu-west-1", JsonValue(), policy).ok());
    }
    return std::make_pair(service->throttled, pacing.fill_rate());
  };
  const auto [unpaced_throttles, unused] = run(false);
  const auto [paced_throttles, rate] = run(true);
  // The clock and jitter are fixed, so these counts are exact: 33 throttles unpaced, 6 paced.
  EXPECT_GT(unpaced_throttles, 20);
  EXPECT_LT(paced_throttles, unpaced_throttles / 3)
      << "pacing settles near the service's limit instead of meeting it again and again";
  EXPECT_GT(rate, 25.0) << "near the service's 50 requests a second";
  EXPECT_LT(rate, 75.0);
}

TEST_F(ClientTest, ARegionWhoseRequestsAllTimedOutIsNotWaitedOnAgain) {
  RegionHealth health;
  aws_.on("", "DescribeSecurityGroups", [](const FakeRequest&) {
    FakeReply r;
    r.no_response = true;
    r.transport_message = "Operation timed out after 30000 milliseconds with 0 bytes received";
    return r;
  });
  AwsClient client(transport_, credentials_, options_);
  const CallPolicy policy{&retry_, nullptr, &health};
  CallResult first = client.call("ec2", "DescribeSecurityGroups", "eu-west-1", JsonValue(), policy);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error->code, "EndpointConnectionError");
  // The first call's attempts timed out (2 of them open the breaker; the third is not sent).
  EXPECT_EQ(aws_.count("DescribeSecurityGroups"), size_t(RegionHealth::kHungAfterTimeouts));
  EXPECT_TRUE(health.hung());
  const size_t sent = aws_.requests().size();
  CallResult later = client.call("ec2", "DescribeSecurityGroups", "eu-west-1", JsonValue(), policy);
  ASSERT_FALSE(later.ok());
  EXPECT_EQ(later.error->code, "EndpointConnectionError");
  EXPECT_NE(later.error->message.find("Not attempted"), std::string::npos) << later.error->message;
  EXPECT_EQ(later.attempts, 0);
  EXPECT_EQ(aws_.requests().size(), sent) << "nothing more was sent into the hung region";
}

TEST(RegionHealthTest, OneAnswerProvesTheRegionAliveForGood) {
  RegionHealth health;
  health.on_timeout();
  health.on_answer();
  for (int i = 0; i < 10; ++i) health.on_timeout();
  EXPECT_FALSE(health.hung()) << "a region that answered once is slow, not hung: its calls wait their timeouts";
}

}  // namespace
}  // namespace fortress::collect

namespace fortress::collect {
namespace {

TEST_F(ClientTest, StsGoesToTheGlobalEndpointOnlyInLegacyMode) {
  aws_.on("", "GetCallerIdentity", [](const FakeRequest&) { return caller_identity(); });
  auto authorization = [this] {
    for (const auto& [k, v] : aws_.requests().back().call.headers) {
      if (k == "Authorization") return v;
    }
    return std::string();
  };
  ASSERT_TRUE(call("sts", "GetCallerIdentity").ok());
  EXPECT_EQ(aws_.requests().back().call.url, "https://sts.eu-west-1.amazonaws.com/");
  EXPECT_THAT(authorization(), ::testing::HasSubstr("/eu-west-1/sts/aws4_request"));
  options_.getenv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "AWS_STS_REGIONAL_ENDPOINTS") return std::string("legacy");
    return std::nullopt;
  };
  ASSERT_TRUE(call("sts", "GetCallerIdentity").ok());
  EXPECT_EQ(aws_.requests().back().call.url, "https://sts.amazonaws.com/");
  EXPECT_THAT(authorization(), ::testing::HasSubstr("/us-east-1/sts/aws4_request"));
}

}  // namespace
}  // namespace fortress::collect
