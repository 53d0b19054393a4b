// A fake AWS for collector tests: an HttpTransport that routes each request by URL host and action
// (the form body's Action=, or X-Amz-Target for JSON services) to canned responses, shaped like
// real EC2/STS responses. Thread-safe: the collector's workers share one FakeAws through their own
// FakeTransport handles.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "aws/http.h"
#include "aws/sigv4.h"

namespace fortress::collect::testing {

struct FakeRequest {
  std::string host;                         // "ec2.eu-west-1.amazonaws.com"
  std::string action;                       // "DescribeSecurityGroups"
  std::map<std::string, std::string> form;  // the decoded form body (query protocols)
  aws::HttpCall call;
  [[nodiscard]] std::string param(const std::string& name) const {
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  }
};

struct FakeReply {
  long status = 200;
  std::string body;
  bool no_response = false;  // the transport fails (connection refused / timeout)
  std::string transport_message = "Connection refused";
};

class FakeAws {
 public:
  using Route = std::function<FakeReply(const FakeRequest&)>;

  // Answers `action` on every host containing `host_part` ("" = any host). Later routes win.
  void on(std::string host_part, std::string action, Route route) {
    std::lock_guard<std::mutex> lock(mu_);
    routes_.push_back({std::move(host_part), std::move(action), std::move(route)});
  }
  // Replies served, in order, before the routes answer `action` on hosts containing `host_part`.
  void script(std::string host_part, std::string action, std::vector<FakeReply> replies) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& q = scripted_[{std::move(host_part), std::move(action)}];
    for (FakeReply& r : replies) q.push_back(std::move(r));
  }

  Expected<aws::HttpReply> send(const aws::HttpCall& call) {
    FakeRequest req = decode(call);
    Route route;
    FakeReply reply;
    bool have = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(req);
      for (auto& [key, q] : scripted_) {
        if (key.second == req.action && req.host.find(key.first) != std::string::npos && !q.empty()) {
          reply = std::move(q.front());
          q.pop_front();
          have = true;
          break;
        }
      }
      if (!have) {
        for (auto it = routes_.rbegin(); it != routes_.rend(); ++it) {
          if (it->action == req.action && req.host.find(it->host_part) != std::string::npos) {
            route = it->route;
            break;
          }
        }
      }
    }
    if (!have) {
      if (route) {
        reply = route(req);
      } else {
        reply.status = 400;
        reply.body = "<Response><Errors><Error><Code>InvalidAction</Code><Message>fake: no route for " +
                     req.action + "</Message></Error></Errors><RequestID>fake</RequestID></Response>";
      }
    }
    if (reply.no_response) return Error{ErrorCode::kIo, reply.transport_message, "", 0, 0};
    aws::HttpReply out;
    out.status = reply.status;
    out.body = std::move(reply.body);
    out.headers = {{"content-type", "text/xml;charset=UTF-8"}};
    return out;
  }

  [[nodiscard]] std::vector<FakeRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  [[nodiscard]] size_t count(std::string_view action, std::string_view host_part = "") const {
    std::lock_guard<std::mutex> lock(mu_);
    size_t n = 0;
    for (const FakeRequest& r : requests_) {
      if (r.action == action && r.host.find(host_part) != std::string::npos) ++n;
    }
    return n;
  }

 private:
  static FakeRequest decode(const aws::HttpCall& call) {
    FakeRequest req;
    req.call = call;
    size_t start = call.url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    req.host = call.url.substr(start, call.url.find('/', start) - start);
    size_t pos = 0;
    while (pos < call.body.size()) {
      size_t amp = call.body.find('&', pos);
      if (amp == std::string::npos) amp = call.body.size();
      std::string_view pair(call.body.data() + pos, amp - pos);
      size_t eq = pair.find('=');
      if (eq != std::string_view::npos) {
        req.form[aws::uri_decode(pair.substr(0, eq))] = aws::uri_decode(pair.substr(eq + 1));
      }
      pos = amp + 1;
    }
    req.action = req.param("Action");
    for (const auto& [k, v] : call.headers) {
      if (k == "X-Amz-Target") req.action = v.substr(v.rfind('.') + 1);
    }
    if (req.action.empty()) {  // rest protocols: "GET /detector/12abc"
      const size_t path = call.url.find('/', start);
      req.action = call.method + " " + (path == std::string::npos ? "/" : call.url.substr(path));
    }
    return req;
  }

  struct RouteEntry {
    std::string host_part;
    std::string action;
    Route route;
  };
  mutable std::mutex mu_;
  std::vector<RouteEntry> routes_;
  std::map<std::pair<std::string, std::string>, std::deque<FakeReply>> scripted_;
  std::vector<FakeRequest> requests_;
};

class FakeTransport final : public aws::HttpTransport {
 public:
  explicit FakeTransport(FakeAws& aws) : aws_(aws) {}
  Expected<aws::HttpReply> send(const aws::HttpCall& call) override { return aws_.send(call); }

 private:
  FakeAws& aws_;
};

// ---- canned responses -----------------------------------------------------------------------------

inline constexpr const char* kEc2Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

// <ActionResponse xmlns=...><requestId/><set_element>items</set_element>[<nextToken/>]</ActionResponse>
inline FakeReply ec2_list(const std::string& action, const std::string& set_element, const std::string& items,
                          const std::string& next_token = "") {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response xmlns=\"" + kEc2Ns +
                     "\"><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><" + set_element + ">" +
                     items + "</" + set_element + ">";
  if (!next_token.empty()) body += "<nextToken>" + next_token + "</nextToken>";
  body += "</" + action + "Response>";
  return FakeReply{200, body};
}

inline FakeReply ec2_error(long status, const std::string& code, const std::string& message) {
  return FakeReply{status,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code +
                       "</Code><Message>" + message +
                       "</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID>"
                       "</Response>"};
}

inline std::string security_group_item(const std::string& id, const std::string& name,
                                       const std::string& cidr, int port) {
  return "<item><ownerId>123456789012</ownerId><groupId>" + id + "</groupId><groupName>" + name +
         "</groupName><groupDescription>" + name +
         " group</groupDescription><vpcId>vpc-1a2b3c4d</vpcId>"
         "<ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>" +
         std::to_string(port) + "</fromPort><toPort>" + std::to_string(port) +
         "</toPort><groups/><ipRanges><item><cidrIp>" + cidr +
         "</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item></ipPermissions>"
         "<ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><groups/><ipRanges><item><cidrIp>0.0.0.0/0</"
         "cidrIp>"
         "</item></ipRanges><ipv6Ranges/><prefixListIds/></item></ipPermissionsEgress></item>";
}

inline FakeReply caller_identity() {
  return FakeReply{
      200,
      "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
      "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/auditor</Arn>"
      "<UserId>AIDACKCEVSQ6C2EXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
      "<ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>"
      "</GetCallerIdentityResponse>"};
}

inline FakeReply regions(const std::vector<std::string>& names) {
  std::string items;
  for (const std::string& n : names) {
    items += "<item><regionName>" + n + "</regionName><regionEndpoint>ec2." + n +
             ".amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>";
  }
  return ec2_list("DescribeRegions", "regionInfo", items);
}

// The EC2 list operations the collector makes per region, with their XML list element.
inline const std::vector<std::pair<std::string, std::string>>& ec2_region_operations() {
  static const std::vector<std::pair<std::string, std::string>> kOps = {
      {"DescribeVpcs", "vpcSet"},
      {"DescribeSubnets", "subnetSet"},
      {"DescribeSecurityGroups", "securityGroupInfo"},
      {"DescribeSecurityGroupRules", "securityGroupRuleSet"},
      {"DescribeNetworkInterfaces", "networkInterfaceSet"},
      {"DescribeInstances", "reservationSet"},
      {"DescribeRouteTables", "routeTableSet"},
      {"DescribeNetworkAcls", "networkAclSet"},
      {"DescribeInternetGateways", "internetGatewaySet"},
      {"DescribeEgressOnlyInternetGateways", "egressOnlyInternetGatewaySet"},
      {"DescribeNatGateways", "natGatewaySet"},
      {"DescribeFlowLogs", "flowLogSet"},
      {"DescribeVpcPeeringConnections", "vpcPeeringConnectionSet"},
      {"DescribeManagedPrefixLists", "prefixListSet"},
      {"GetManagedPrefixListEntries", "entrySet"},
  };
  return kOps;
}

// An account whose every EC2 list is empty, in every region, and STS answers.
inline void serve_empty_account(FakeAws& aws, const std::vector<std::string>& region_names) {
  aws.on("sts.", "GetCallerIdentity", [](const FakeRequest&) { return caller_identity(); });
  aws.on("ec2.", "DescribeRegions", [region_names](const FakeRequest&) { return regions(region_names); });
  for (const auto& [action, set] : ec2_region_operations()) {
    aws.on("ec2.", action,
           [action = action, set = set](const FakeRequest&) { return ec2_list(action, set, ""); });
  }
}

inline constexpr const char* kAccessKeyId = "AKIAIOSFODNN7EXAMPLE";
inline constexpr const char* kSecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
inline constexpr const char* kSessionToken = "FwoGZXIvYXdzEXAMPLESESSIONTOKENdGhpcyBpcyBzZWNyZXQ";

// Credentials from a fake environment (static keys with a session token, never expiring).
inline aws::Environment fake_credential_environment() {
  aws::Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "AWS_ACCESS_KEY_ID") return std::string(kAccessKeyId);
    if (name == "AWS_SECRET_ACCESS_KEY") return std::string(kSecretKey);
    if (name == "AWS_SESSION_TOKEN") return std::string(kSessionToken);
    return std::nullopt;
  };
  env.read_file = [](const std::string& path) -> Expected<std::string> {
    return Error{ErrorCode::kIo, "no such file", path, 0, 0};
  };
  env.run = [](const std::string&) -> Expected<aws::ProcessResult> {
    return Error{ErrorCode::kIo, "no processes", "", 0, 0};
  };
  env.now = [] { return aws::Clock::time_point(std::chrono::seconds(1796313600)); };  // 2026-12-03T16:00:00Z
  return env;
}

}  // namespace fortress::collect::testing
