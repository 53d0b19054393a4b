// The generated service models (src/aws/models/*.json, from tools/extract_models.py) through the
// protocol layer: every model loads, every operation serializes, requests match what botocore's
// own serializers produce for the same models, and botocore's response-parsing fixtures
// (../shared/reference/{ec2,iam}/botocore_response_parsing) parse to the same JSON.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "aws/protocol.h"
#include "aws/protocol_models.h"
#include "aws/shape_model.h"
#include "support/reference.h"

namespace fortress::aws {
namespace {

namespace fs = std::filesystem;

const fs::path kModels = fs::path(FORTRESS_SOURCE_DIR) / "src" / "aws" / "models";
const fs::path kReference = fortress::testing::reference_dir();

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const ServiceModel& model(const std::string& service) {
  static std::map<std::string, ServiceModel> cache;
  auto it = cache.find(service);
  if (it == cache.end()) {
    auto m = load_service_model((kModels / (service + ".json")).string());
    EXPECT_TRUE(m.has_value()) << service << ": " << (m ? "" : m.error().to_string());
    it = cache.emplace(service, m ? std::move(*m) : ServiceModel{}).first;
  }
  return it->second;
}

JsonValue json(std::string_view text) {
  auto v = parse_json_text(text);
  EXPECT_TRUE(v.has_value()) << text;
  return v ? *v : JsonValue();
}

// A value for `ref` that satisfies the model: required members only, first enum value, one list item.
JsonValue sample(const ServiceModel& m, const ShapeRef& ref, int depth = 0) {
  const Shape& s = m.shape(ref);
  switch (s.type) {
    case ShapeType::kStructure: {
      JsonValue o = JsonValue::object();
      if (depth > 8) return o;
      for (const std::string& name : s.required) {
        if (const Member* mem = s.find_member(name)) o.set(name, sample(m, mem->ref, depth + 1));
      }
      return o;
    }
    case ShapeType::kList: {
      JsonValue a = JsonValue::array();
      a.push(sample(m, s.member, depth + 1));
      return a;
    }
    case ShapeType::kMap:
      return JsonValue::object();
    case ShapeType::kString:
      return s.enum_values.empty() ? JsonValue("sample-1") : JsonValue(s.enum_values.front());
    case ShapeType::kBoolean:
      return JsonValue(true);
    case ShapeType::kInteger:
    case ShapeType::kLong:
      return JsonValue(int64_t(5));
    case ShapeType::kFloat:
    case ShapeType::kDouble:
      return JsonValue(1.5);
    case ShapeType::kTimestamp:
      return JsonValue(int64_t(1422172800));
    case ShapeType::kBlob:
      return JsonValue("bytes");
  }
  return JsonValue();
}

const char* const kServices[] = {
    "sts",       "ec2",        "elbv2",      "iam",         "cloudtrail",     "config",
    "guardduty", "ssm",        "inspector2", "autoscaling", "accessanalyzer", "organizations",
    "logs",      "cloudwatch", "sns"};

TEST(ServiceModels, EveryOperationSerializes) {
  for (const char* service : kServices) {
    SCOPED_TRACE(service);
    const ServiceModel& m = model(service);
    ASSERT_FALSE(m.operations.empty());
    EXPECT_FALSE(m.metadata.botocore_version.empty()) << "model must record the botocore version";
    EXPECT_NE(m.metadata.source.find("service-2.json"), std::string::npos);
    EXPECT_NE(m.metadata.protocol, Protocol::kUnknown);
    for (const Operation& op : m.operations) {
      SCOPED_TRACE(op.name);
      JsonValue params = op.input.valid() ? sample(m, op.input) : JsonValue::object();
      auto req = serialize_request(m, op, params);
      ASSERT_TRUE(req.has_value()) << req.error().to_string();
      EXPECT_FALSE(req->method.empty());
      EXPECT_EQ(req->path.front(), '/');
      EXPECT_EQ(req->uri().find('{'), std::string::npos) << "unexpanded label in " << req->uri();
      // An empty success response parses to an object.
      HttpReply reply;
      reply.status = 200;
      bool xml = m.metadata.protocol == Protocol::kEc2 || m.metadata.protocol == Protocol::kQuery;
      reply.body = xml ? "<" + op.name + "Response/>" : "{}";
      auto parsed = parse_response(m, op, reply);
      ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string();
      EXPECT_TRUE(parsed->is_object());
    }
  }
}

// The models compiled into the binary are the files in src/aws/models (the tool writes both).
TEST(ServiceModels, BuiltinModelsMatchFiles) {
  std::vector<std::string_view> names = builtin_model_names();
  ASSERT_EQ(names.size(), std::size(kServices));
  for (const char* service : kServices) {
    SCOPED_TRACE(service);
    auto builtin = builtin_model(service);
    ASSERT_TRUE(builtin.has_value()) << builtin.error().to_string();
    const ServiceModel& file = model(service);
    EXPECT_EQ((*builtin)->metadata.api_version, file.metadata.api_version);
    EXPECT_EQ((*builtin)->metadata.botocore_version, file.metadata.botocore_version);
    EXPECT_EQ((*builtin)->operations.size(), file.operations.size());
    EXPECT_EQ((*builtin)->shapes.size(), file.shapes.size());
  }
  auto again = builtin_model("ec2");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *builtin_model("ec2")) << "parsed once, then cached";
  EXPECT_EQ(builtin_model("s3").error().code, ErrorCode::kNotFound);
}

TEST(ServiceModels, PaginatorsKept) {
  const Paginator* p = model("ec2").find_paginator("DescribeSecurityGroups");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->input_token, std::vector<std::string>{"NextToken"});
  EXPECT_EQ(p->output_token, std::vector<std::string>{"NextToken"});
  EXPECT_EQ(p->result_key, std::vector<std::string>{"SecurityGroups"});
  EXPECT_EQ(p->limit_key, "MaxResults");
  const Paginator* g = model("guardduty").find_paginator("ListDetectors");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->result_key, std::vector<std::string>{"DetectorIds"});
  const Paginator* iam = model("iam").find_paginator("GetAccountAuthorizationDetails");
  ASSERT_NE(iam, nullptr);
  EXPECT_EQ(iam->more_results, "IsTruncated");
  EXPECT_EQ(iam->result_key.size(), 4u);
}

TEST(ServiceModels, DescribeSecurityGroupsRequest) {
  const ServiceModel& m = model("ec2");
  auto req = serialize_request(m, *m.find_operation("DescribeSecurityGroups"),
                               json(R"({"MaxResults": 5, "NextToken": "tok/en+=="})"));
  ASSERT_TRUE(req.has_value()) << req.error().to_string();
  EXPECT_EQ(req->method, "POST");
  EXPECT_EQ(req->uri(), "/");
  EXPECT_EQ(req->body,
            "Action=DescribeSecurityGroups&Version=2016-11-15&MaxResults=5&NextToken=tok%2Fen%2B%3D%3D");
  ASSERT_NE(req->header("content-type"), nullptr);
  EXPECT_EQ(*req->header("content-type"), "application/x-www-form-urlencoded; charset=utf-8");
}

TEST(ServiceModels, ListDetectorsIsRestJsonGet) {
  const ServiceModel& m = model("guardduty");
  auto req = serialize_request(m, *m.find_operation("ListDetectors"), JsonValue::object());
  ASSERT_TRUE(req.has_value()) << req.error().to_string();
  EXPECT_EQ(req->method, "GET");
  EXPECT_EQ(req->uri(), "/detector");
  EXPECT_EQ(req->body, "");
  EXPECT_EQ(req->header("content-type"), nullptr);
  auto missing = serialize_request(m, *m.find_operation("GetDetector"), JsonValue::object());
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("DetectorId"), std::string::npos) << missing.error().message;
}

TEST(ServiceModels, UnknownParameterIsAnError) {
  const ServiceModel& m = model("ec2");
  auto req = serialize_request(m, *m.find_operation("DescribeVpcs"), json(R"({"Filters": [{"Nam": "x"}]})"));
  ASSERT_FALSE(req.has_value());
  EXPECT_EQ(req.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(req.error().message.find("Filters"), std::string::npos) << req.error().message;
}

// Expected requests produced by botocore 1.43.11's serializers from these same model files
// (create_serializer(protocol).serialize_to_request(params, operation_model)).
constexpr std::string_view kBotocoreRequests = R"JSONL(
{"svc": "ec2", "op": "DescribeSecurityGroups", "params": {"MaxResults": 5, "NextToken": "abc"}, "method": "POST", "uri": "/", "body": "Action=DescribeSecurityGroups&Version=2016-11-15&MaxResults=5&NextToken=abc", "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}}
{"svc": "ec2", "op": "DescribeSecurityGroups", "params": {"Filters": [{"Name": "vpc-id", "Values": ["vpc-1", "vpc-2"]}], "GroupIds": ["sg-1"], "DryRun": false}, "method": "POST", "uri": "/", "body": "Action=DescribeSecurityGroups&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1&Filter.1.Value.2=vpc-2&GroupId.1=sg-1&DryRun=false", "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}}
{"svc": "ec2", "op": "GetManagedPrefixListEntries", "params": {"PrefixListId": "pl-1", "MaxResults": 100}, "method": "POST", "uri": "/", "body": "Action=GetManagedPrefixListEntries&Version=2016-11-15&PrefixListId=pl-1&MaxResults=100", "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}}
{"svc": "ec2", "op": "DescribeRegions", "params": {"AllRegions": true}, "method": "POST", "uri": "/", "body": "Action=DescribeRegions&Version=2016-11-15&AllRegions=true", "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}}
{"svc": "elbv2", "op": "DescribeTargetHealth", "params": {"TargetGroupArn": "arn:aws:x", "Targets": [{"Id": "i-1", "Port": 80}]}, "method": "POST", "uri": "/", "body": "Action=DescribeTargetHealth&Version=2015-12-01&TargetGroupArn=arn%3Aaws%3Ax&Targets.member.1.Id=i-1&Targets.member.1.Port=80", "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}}
{"svc": "elbv2", "op": "DescribeLoadBalancers", "params": {"Names": ["a", "b"], "PageSize": 10}, "method": "POST", "uri": "/", "body": "Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=a&Names.member.2=b&PageSize=10", "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}}
{"svc": "iam", "op": "GetAccountAuthorizationDetails", "params": {"Filter": ["User", "Role"], "MaxItems": 100}, "method": "POST", "uri": "/", "body": "Action=GetAccountAuthorizationDetails&Version=2010-05-08&Filter.member.1=User&Filter.member.2=Role&MaxItems=100", "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}}
{"svc": "sts", "op": "AssumeRole", "params": {"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "fortress", "DurationSeconds": 900}, "method": "POST", "uri": "/", "body": "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr&RoleSessionName=fortress&DurationSeconds=900", "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}}
{"svc": "cloudwatch", "op": "DescribeAlarms", "params": {"AlarmTypes": ["CompositeAlarm", "MetricAlarm"], "MaxRecords": 50}, "method": "POST", "uri": "/", "body": "Action=DescribeAlarms&Version=2010-08-01&AlarmTypes.member.1=CompositeAlarm&AlarmTypes.member.2=MetricAlarm&MaxRecords=50", "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}}
{"svc": "sns", "op": "ListSubscriptionsByTopic", "params": {"TopicArn": "arn:aws:sns:us-east-1:1:t"}, "method": "POST", "uri": "/", "body": "Action=ListSubscriptionsByTopic&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At", "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}}
{"svc": "autoscaling", "op": "DescribeAutoScalingInstances", "params": {"InstanceIds": ["i-1"]}, "method": "POST", "uri": "/", "body": "Action=DescribeAutoScalingInstances&Version=2011-01-01&InstanceIds.member.1=i-1", "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}}
{"svc": "cloudtrail", "op": "DescribeTrails", "params": {"includeShadowTrails": true}, "method": "POST", "uri": "/", "body": "{\"includeShadowTrails\": true}", "headers": {"X-Amz-Target": "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails", "Content-Type": "application/x-amz-json-1.1"}}
{"svc": "config", "op": "DescribeConfigurationRecorders", "params": {}, "method": "POST", "uri": "/", "body": "{}", "headers": {"X-Amz-Target": "StarlingDoveService.DescribeConfigurationRecorders", "Content-Type": "application/x-amz-json-1.1"}}
{"svc": "ssm", "op": "DescribeInstanceInformation", "params": {"Filters": [{"Key": "PingStatus", "Values": ["Online"]}], "MaxResults": 50}, "method": "POST", "uri": "/", "body": "{\"Filters\": [{\"Key\": \"PingStatus\", \"Values\": [\"Online\"]}], \"MaxResults\": 50}", "headers": {"X-Amz-Target": "AmazonSSM.DescribeInstanceInformation", "Content-Type": "application/x-amz-json-1.1"}}
{"svc": "logs", "op": "DescribeMetricFilters", "params": {"logGroupName": "g", "limit": 50}, "method": "POST", "uri": "/", "body": "{\"logGroupName\": \"g\", \"limit\": 50}", "headers": {"X-Amz-Target": "Logs_20140328.DescribeMetricFilters", "Content-Type": "application/x-amz-json-1.1"}}
{"svc": "guardduty", "op": "ListDetectors", "params": {"MaxResults": 5, "NextToken": "t/1"}, "method": "GET", "uri": "/detector?maxResults=5&nextToken=t%2F1", "body": "", "headers": {}}
{"svc": "guardduty", "op": "GetDetector", "params": {"DetectorId": "abc123"}, "method": "GET", "uri": "/detector/abc123", "body": "", "headers": {}}
{"svc": "inspector2", "op": "BatchGetAccountStatus", "params": {"accountIds": ["111122223333"]}, "method": "POST", "uri": "/status/batch/get", "body": "{\"accountIds\": [\"111122223333\"]}", "headers": {"Content-Type": "application/json"}}
{"svc": "accessanalyzer", "op": "ListAnalyzers", "params": {"type": "ACCOUNT", "maxResults": 10}, "method": "GET", "uri": "/analyzer?type=ACCOUNT&maxResults=10", "body": "", "headers": {}}
{"svc": "organizations", "op": "ListAccounts", "params": {"MaxResults": 20}, "method": "POST", "uri": "/", "body": "{\"MaxResults\": 20}", "headers": {"X-Amz-Target": "AWSOrganizationsV20161128.ListAccounts", "Content-Type": "application/x-amz-json-1.1"}})JSONL";

TEST(ServiceModels, RequestsMatchBotocore) {
  std::istringstream lines{std::string(kBotocoreRequests)};
  std::string line;
  int checked = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    JsonValue c = json(line);
    const std::string& service = c.get("svc")->as_string();
    const std::string& op_name = c.get("op")->as_string();
    SCOPED_TRACE(service + " " + op_name);
    const ServiceModel& m = model(service);
    const Operation* op = m.find_operation(op_name);
    ASSERT_NE(op, nullptr);
    auto req = serialize_request(m, *op, *c.get("params"));
    ASSERT_TRUE(req.has_value()) << req.error().to_string();
    EXPECT_EQ(req->method, c.get("method")->as_string());
    EXPECT_EQ(req->uri(), c.get("uri")->as_string());
    const std::string& body = c.get("body")->as_string();
    if (m.metadata.protocol == Protocol::kJson || m.metadata.protocol == Protocol::kRestJson) {
      if (body.empty()) {
        EXPECT_EQ(req->body, "");
      } else {
        EXPECT_EQ(json(req->body), json(body)) << req->body;
      }
    } else {
      EXPECT_EQ(req->body, body);
    }
    for (const auto& [name, value] : c.get("headers")->as_object()) {
      const std::string* got = req->header(name);
      ASSERT_NE(got, nullptr) << name;
      EXPECT_EQ(*got, value.as_string()) << name;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 20);
}

// The full botocore model of a service (Debian python3-botocore), to exercise shapes beyond the
// trimmed ones; nullptr when botocore is not installed.
const ServiceModel* full_model(const std::string& service, const std::string& version) {
  static std::map<std::string, ServiceModel> cache;
  auto it = cache.find(service);
  if (it != cache.end()) return &it->second;
  fs::path p =
      fs::path("/usr/lib/python3/dist-packages/botocore/data") / service / version / "service-2.json";
  if (!fs::exists(p)) return nullptr;
  auto m = load_service_model(p.string());
  EXPECT_TRUE(m.has_value()) << (m ? "" : m.error().to_string());
  if (!m) return nullptr;
  return &cache.emplace(service, std::move(*m)).first->second;
}

// Timestamps → epoch seconds along the shape, so wire strings and CLI strings compare by value.
void normalize_timestamps(JsonValue& v, const ShapeRef& ref, const ServiceModel& m) {
  const Shape& s = m.shape(ref);
  if (s.type == ShapeType::kStructure && v.is_object()) {
    for (auto& [k, item] : v.as_object()) {
      if (const Member* mem = s.find_member(k)) normalize_timestamps(item, mem->ref, m);
    }
  } else if (s.type == ShapeType::kList && v.is_array()) {
    for (JsonValue& item : v.as_array()) normalize_timestamps(item, s.member, m);
  } else if (s.type == ShapeType::kMap && v.is_object()) {
    for (auto& [k, item] : v.as_object()) normalize_timestamps(item, s.value, m);
  } else if (s.type == ShapeType::kTimestamp && v.is_string()) {
    if (auto t = parse_timestamp(v.as_string())) v = JsonValue(double(t->seconds) + t->micros / 1e6);
  }
}

// Equality ignoring object key order (the fixtures were written from Python dicts).
bool same_json(const JsonValue& a, const JsonValue& b) {
  if (a.is_object() && b.is_object()) {
    if (a.as_object().size() != b.as_object().size()) return false;
    for (const auto& [k, v] : a.as_object()) {
      const JsonValue* w = b.get(k);
      if (w == nullptr || !same_json(v, *w)) return false;
    }
    return true;
  }
  if (a.is_array() && b.is_array()) {
    if (a.as_array().size() != b.as_array().size()) return false;
    for (size_t i = 0; i < a.as_array().size(); ++i) {
      if (!same_json(a.as_array()[i], b.as_array()[i])) return false;
    }
    return true;
  }
  if ((a.is_int() || a.is_double()) && (b.is_int() || b.is_double())) {
    double x = a.is_int() ? double(a.as_int()) : a.as_double();
    double y = b.is_int() ? double(b.as_int()) : b.as_double();
    return std::fabs(x - y) < 1e-6;
  }
  return a == b;
}

std::string operation_from_fixture(std::string stem) {
  // "ec2-describe-security-groups" → "DescribeSecurityGroups"; "iam-list-virtual-mfa-devices" →
  // "ListVirtualMFADevices".
  stem = stem.substr(stem.find('-') + 1);
  std::string out;
  bool upper = true;
  for (char c : stem) {
    if (c == '-') {
      upper = true;
      continue;
    }
    out += upper ? char(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  size_t mfa = out.find("Mfa");
  if (mfa != std::string::npos) out.replace(mfa, 3, "MFA");
  return out;
}

TEST(ServiceModels, BotocoreResponseParsingFixtures) {
  const std::pair<const char*, const char*> services[] = {{"ec2", "2016-11-15"}, {"iam", "2010-05-08"}};
  int checked = 0;
  for (const auto& [service, version] : services) {
    fs::path dir = kReference / service / "botocore_response_parsing";
    if (!fs::exists(dir)) GTEST_SKIP() << "reference fixtures not found at " << dir;
    const ServiceModel* full = full_model(service, version);
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".xml") continue;
      std::string stem = entry.path().stem().string();
      SCOPED_TRACE(stem);
      JsonValue expected = json(slurp(fs::path(entry.path()).replace_extension(".json")));
      HttpReply reply;
      reply.body = slurp(entry.path());
      if (stem.starts_with("error-")) {
        reply.status = 400;
        ServiceError err = parse_error(model(service), reply);
        EXPECT_EQ(err.code, expected.get("Error")->get("Code")->as_string());
        EXPECT_EQ(err.message, expected.get("Error")->get("Message")->as_string());
        EXPECT_EQ(err.request_id, expected.get("ResponseMetadata")->get("RequestId")->as_string());
        ++checked;
        continue;
      }
      reply.status = 200;
      std::string op_name = operation_from_fixture(stem);
      const ServiceModel* m = &model(service);
      if (m->find_operation(op_name) == nullptr) m = full;
      if (m == nullptr) continue;  // not in the trimmed model and botocore is not installed
      const Operation* op = m->find_operation(op_name);
      ASSERT_NE(op, nullptr) << op_name;
      auto got = parse_response(*m, *op, reply);
      ASSERT_TRUE(got.has_value()) << got.error().to_string();
      JsonValue want = JsonValue::object();
      for (const auto& [k, v] : expected.as_object()) {
        if (k != "ResponseMetadata") want.set(k, v);
      }
      normalize_timestamps(*got, op->output, *m);
      normalize_timestamps(want, op->output, *m);
      EXPECT_TRUE(same_json(*got, want)) << "got:      " << got->dump() << "\nexpected: " << want.dump();
      ++checked;
    }
  }
  EXPECT_GE(checked, 10);
}

TEST(ServiceModels, CliTimestampAndBlobForm) {
  const ServiceModel& m = model("iam");
  HttpReply reply;
  reply.status = 200;
  reply.body = R"(<GetCredentialReportResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <GetCredentialReportResult>
    <Content>dXNlcixhcm4K</Content>
    <ReportFormat>text/csv</ReportFormat>
    <GeneratedTime>2014-08-28T21:42:50Z</GeneratedTime>
  </GetCredentialReportResult>
  <ResponseMetadata><RequestId>29f47818-99f5-11e1-a4c3-27EXAMPLE804</RequestId></ResponseMetadata>
</GetCredentialReportResponse>)";
  auto got = parse_response(m, *m.find_operation("GetCredentialReport"), reply);
  ASSERT_TRUE(got.has_value()) << got.error().to_string();
  EXPECT_EQ(
      got->dump(),
      R"({"Content":"dXNlcixhcm4K","ReportFormat":"text/csv","GeneratedTime":"2014-08-28T21:42:50+00:00"})");
}

TEST(ServiceModels, RestJsonErrorFromHeader) {
  const ServiceModel& m = model("guardduty");
  HttpReply reply;
  reply.status = 400;
  reply.headers = {{"x-amzn-errortype", "BadRequestException:http://internal.amazon.com/coral/"},
                   {"x-amzn-requestid", "req-1"}};
  reply.body =
      R"({"message":"The request is rejected because the input detectorId is not owned by the current account.","__type":"InvalidInputException"})";
  ServiceError err = parse_error(m, reply);
  EXPECT_EQ(err.code, "BadRequestException");
  EXPECT_EQ(err.http_status, 400);
  EXPECT_EQ(err.request_id, "req-1");
  EXPECT_NE(err.message.find("detectorId"), std::string::npos);
  EXPECT_NE(err.to_string().find("BadRequestException: The request"), std::string::npos);
}

TEST(ServiceModels, JsonErrorFromType) {
  const ServiceModel& m = model("cloudtrail");
  HttpReply reply;
  reply.status = 400;
  reply.body =
      R"({"__type":"com.amazonaws.cloudtrail.v20131101#TrailNotFoundException","Message":"Unknown trail"})";
  ServiceError err = parse_error(m, reply);
  EXPECT_EQ(err.code, "TrailNotFoundException");
  EXPECT_EQ(err.message, "Unknown trail");
  HttpReply html;
  html.status = 503;
  html.body = "<html><body>Service Unavailable</body></html>";
  ServiceError generic = parse_error(m, html);
  EXPECT_EQ(generic.code, "503");
  EXPECT_EQ(generic.message, "Service Unavailable");
}

TEST(ServiceModels, NextPageParams) {
  const Paginator* p = model("ec2").find_paginator("DescribeSecurityGroups");
  ASSERT_NE(p, nullptr);
  JsonValue params = json(R"({"MaxResults": 5})");
  auto next = next_page_params(*p, params, json(R"({"SecurityGroups": [], "NextToken": "t1"})"));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->dump(), R"({"MaxResults":5,"NextToken":"t1"})");
  EXPECT_FALSE(next_page_params(*p, *next, json(R"({"SecurityGroups": [], "NextToken": "t1"})")).has_value())
      << "an unchanged token must end pagination";
  EXPECT_FALSE(next_page_params(*p, params, json(R"({"SecurityGroups": []})")).has_value());
  EXPECT_FALSE(next_page_params(*p, params, json(R"({"NextToken": ""})")).has_value());
  // IAM: Marker plus IsTruncated.
  const Paginator* iam = model("iam").find_paginator("GetAccountAuthorizationDetails");
  ASSERT_NE(iam, nullptr);
  EXPECT_FALSE(next_page_params(*iam, JsonValue::object(), json(R"({"IsTruncated": false, "Marker": "m"})")));
  auto page2 = next_page_params(*iam, JsonValue::object(), json(R"({"IsTruncated": true, "Marker": "m"})"));
  ASSERT_TRUE(page2.has_value());
  EXPECT_EQ(page2->dump(), R"({"Marker":"m"})");
}

TEST(ServiceModels, SignableRequest) {
  const ServiceModel& m = model("guardduty");
  auto req = serialize_request(m, *m.find_operation("ListDetectors"), json(R"({"MaxResults": 5})"));
  ASSERT_TRUE(req.has_value());
  HttpRequest http = to_http_request(*req, "guardduty.us-east-1.amazonaws.com");
  EXPECT_EQ(http.method, "GET");
  EXPECT_EQ(http.path, "/detector");
  EXPECT_EQ(http.query, "maxResults=5");
  ASSERT_FALSE(http.headers.empty());
  EXPECT_EQ(http.headers.front(),
            (std::pair<std::string, std::string>{"Host", "guardduty.us-east-1.amazonaws.com"}));
}

TEST(Timestamps, CliFormat) {
  EXPECT_EQ(format_timestamp_cli({1422172800, 0}), "2015-01-25T08:00:00+00:00");
  EXPECT_EQ(format_timestamp_cli({946845296, 123000}), "2000-01-02T20:34:56.123000+00:00");
  EXPECT_EQ(format_timestamp_iso8601({1422172800, 0}), "2015-01-25T08:00:00Z");
  EXPECT_EQ(format_timestamp_rfc822({1398796238, 0}), "Tue, 29 Apr 2014 18:30:38 GMT");
  EXPECT_EQ(parse_timestamp("2019-12-16T22:48:18-01:00"), (Timestamp{1576540098, 0}));
  EXPECT_EQ(parse_timestamp("2019-12-17T00:48:18+01:00"), (Timestamp{1576540098, 0}));
  EXPECT_EQ(parse_timestamp("2012-10-16T20:00:13.000Z"), (Timestamp{1350417613, 0}));
  EXPECT_EQ(parse_timestamp("Tue, 29 Apr 2014 18:30:38 GMT"), (Timestamp{1398796238, 0}));
  EXPECT_EQ(parse_timestamp("1398796238.5"), (Timestamp{1398796238, 500000}));
  EXPECT_EQ(parse_timestamp("1969-12-31T23:59:59Z"), (Timestamp{-1, 0}));
  EXPECT_EQ(format_timestamp_cli({-1, 0}), "1969-12-31T23:59:59+00:00");
  EXPECT_FALSE(parse_timestamp("yesterday").has_value());
  EXPECT_EQ(base64_decode(base64_encode("binary-value")), std::optional<std::string>("binary-value"));
  EXPECT_EQ(python_float_repr(1.0), "1.0");
  EXPECT_EQ(python_float_repr(10.8), "10.8");
}

// A DescribeInstances page of about 5 MB (the reference instance repeated) must parse quickly.
TEST(ServiceModels, LargeDescribeInstancesPage) {
  fs::path fixture = kReference / "ec2" / "botocore_response_parsing" / "ec2-describe-instances.xml";
  if (!fs::exists(fixture)) GTEST_SKIP() << "fixture not found: " << fixture;
  std::string xml = slurp(fixture);
  size_t open = xml.find("<reservationSet>");
  size_t close = xml.rfind("</reservationSet>");
  ASSERT_NE(open, std::string::npos);
  ASSERT_NE(close, std::string::npos);
  std::string items = xml.substr(open + 16, close - open - 16);
  std::string page = xml.substr(0, open + 16);
  size_t copies = 0;
  while (page.size() < 5u * 1024 * 1024) {
    page += items;
    ++copies;
  }
  page += xml.substr(close);
  const ServiceModel& m = model("ec2");
  HttpReply reply;
  reply.status = 200;
  reply.body = std::move(page);
  auto start = std::chrono::steady_clock::now();
  std::clock_t cpu_start = std::clock();
  auto got = parse_response(m, *m.find_operation("DescribeInstances"), reply);
  double cpu_ms = 1000.0 * double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(got.has_value()) << got.error().to_string();
  ASSERT_NE(got->get("Reservations"), nullptr);
  EXPECT_GE(got->get("Reservations")->as_array().size(), copies);
  RecordProperty("parse_ms", int(ms));
  std::printf("DescribeInstances page of %zu bytes parsed in %lld ms (%.1f ms CPU)\n", reply.body.size(),
              static_cast<long long>(ms), cpu_ms);
  // Generous bound: this also runs in Debug (-O0) builds on shared machines. Release: see report.
  EXPECT_LT(ms, 2000);
}

}  // namespace
}  // namespace fortress::aws
