// The wire writer is the protocol layer in reverse: for every fixture file, writing it as the service
// would and parsing that with fortress's own response parser gives the file back. Errors too.
#include "endpoint/wire_writer.h"

#include <gtest/gtest.h>

#include "aws/protocol.h"
#include "aws/protocol_models.h"
#include "endpoint/fixture_calls.h"
#include "support/process.h"

namespace fortress::endpoint {
namespace {

using testing::FixtureCall;

aws::HttpReply as_reply(const WireReply& w) {
  aws::HttpReply r;
  r.status = w.status;
  r.headers.emplace_back("content-type", w.content_type);
  for (const auto& [k, v] : w.headers) {
    std::string lower = k;
    for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(lower, v);
  }
  r.body = w.body;
  return r;
}

void expect_round_trip(const std::filesystem::path& root) {
  const auto calls = testing::fixture_calls(root);
  ASSERT_FALSE(calls.empty()) << root;
  size_t checked = 0;
  for (const FixtureCall& call : calls) {
    if (call.error) continue;
    SCOPED_TRACE(call.file);
    auto model = aws::builtin_model(call.spec->service);
    ASSERT_TRUE(model);
    const aws::Operation* op = (*model)->find_operation(call.spec->operation);
    ASSERT_NE(op, nullptr);
    auto fixture = parse_json_text(fortress::testing::read_file(root / call.file));
    ASSERT_TRUE(fixture) << fixture.error().message;
    const WireReply wire = write_output(**model, *op, *fixture, "req-1");
    ASSERT_EQ(wire.status, 200);
    auto parsed = aws::parse_response(**model, *op, as_reply(wire));
    ASSERT_TRUE(parsed) << parsed.error().message << "\n" << wire.body.substr(0, 400);
    EXPECT_EQ(parsed->dump(2), fixture->dump(2));
    ++checked;
  }
  EXPECT_GT(checked, 0u);
}

TEST(WireWriter, DemoAccountRoundTripsThroughTheParser) { expect_round_trip(testing::kDemoAccount); }

TEST(WireWriter, ServicesAccountRoundTripsThroughTheParser) { expect_round_trip(testing::kServicesAccount); }

TEST(WireWriter, ErrorsParseBackInEveryProtocol) {
  for (std::string_view service : {"ec2", "iam", "cloudtrail", "guardduty"}) {
    SCOPED_TRACE(service);
    auto model = aws::builtin_model(service);
    ASSERT_TRUE(model);
    const WireReply wire = write_error(**model, 400, "Throttling", "Rate <exceeded> & \"slow down\"", "req-9");
    const aws::ServiceError e = aws::parse_error(**model, as_reply(wire));
    EXPECT_EQ(e.http_status, 400);
    EXPECT_EQ(e.code, "Throttling");
    EXPECT_EQ(e.message, "Rate <exceeded> & \"slow down\"");
  }
}

TEST(WireWriter, PolicyDocumentsGoOutUrlEncodedAndComeBackAsJson) {
  auto model = aws::builtin_model("iam");
  ASSERT_TRUE(model);
  const aws::Operation* op = (*model)->find_operation("GetAccountAuthorizationDetails");
  ASSERT_NE(op, nullptr);
  auto output = parse_json_text(R"({"Policies":[{"PolicyName":"p","PolicyVersionList":[{"Document":
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]},
      "VersionId":"v1","IsDefaultVersion":true}]}],"IsTruncated":false})");
  ASSERT_TRUE(output);
  const WireReply wire = write_output(**model, *op, *output, "req-1");
  EXPECT_NE(wire.body.find("%7B%22Version%22%3A%222012-10-17%22"), std::string::npos) << wire.body;
  auto parsed = aws::parse_response(**model, *op, as_reply(wire));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->dump(), output->dump());
}

}  // namespace
}  // namespace fortress::endpoint
