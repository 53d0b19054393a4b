#include "endpoint/aws_endpoint.h"

#include <fmt/format.h>
#include <httplib.h>

#include <ctime>
#include <fstream>
#include <optional>
#include <sstream>

#include "aws/protocol.h"
#include "aws/protocol_models.h"
#include "aws/sigv4.h"
#include "collect/operations.h"
#include "endpoint/wire_writer.h"
#include "util/json_value.h"

namespace fortress::endpoint {

namespace {

using aws::Protocol;

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "a=1&b=x+y%21" -> {a: 1, b: "x y!"} (application/x-www-form-urlencoded, as botocore sends it).
std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> out;
  while (!body.empty()) {
    const size_t amp = body.find('&');
    std::string pair(body.substr(0, amp));
    for (char& c : pair) c = c == '+' ? ' ' : c;
    const size_t eq = pair.find('=');
    if (eq == std::string::npos) {
      out[aws::uri_decode(pair)] = "";
    } else {
      out[aws::uri_decode(pair.substr(0, eq))] = aws::uri_decode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return out;
}

// The parts of "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/ec2/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=abc".
struct Authorization {
  std::string access_key, date, region, service, signed_headers, signature;
};

std::optional<Authorization> parse_authorization(std::string_view header) {
  constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256 ";
  if (!header.starts_with(kAlgorithm)) return std::nullopt;
  header.remove_prefix(kAlgorithm.size());
  Authorization a;
  std::string credential;
  while (!header.empty()) {
    while (!header.empty() && (header.front() == ' ' || header.front() == ',')) header.remove_prefix(1);
    const size_t comma = header.find(',');
    std::string_view part = header.substr(0, comma);
    const size_t eq = part.find('=');
    if (eq != std::string_view::npos) {
      std::string_view key = part.substr(0, eq), value = part.substr(eq + 1);
      if (key == "Credential") credential = std::string(value);
      if (key == "SignedHeaders") a.signed_headers = std::string(value);
      if (key == "Signature") a.signature = std::string(value);
    }
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  std::vector<std::string> scope;
  for (size_t start = 0;;) {
    const size_t slash = credential.find('/', start);
    scope.push_back(credential.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (scope.size() != 5 || scope[4] != "aws4_request" || a.signature.empty()) return std::nullopt;
  a.access_key = scope[0];
  a.date = scope[1];
  a.region = scope[2];
  a.service = scope[3];
  return a;
}

const aws::ServiceModel* model_for_signing_name(std::string_view signing_name) {
  for (std::string_view name : aws::builtin_model_names()) {
    auto model = aws::builtin_model(name);
    if (model && (*model)->metadata.signing_name == signing_name) return *model;
  }
  return nullptr;
}

std::string_view builtin_name_of(const aws::ServiceModel* model) {
  for (std::string_view name : aws::builtin_model_names()) {
    auto m = aws::builtin_model(name);
    if (m && *m == model) return name;
  }
  return {};
}

std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

// A rest-json operation by method and path ("/detector/{detectorId}"); fills the URI labels.
const aws::Operation* match_rest_operation(const aws::ServiceModel& model, std::string_view method,
                                           std::string_view path, std::map<std::string, std::string>& labels) {
  const auto got = path_segments(path);
  for (const aws::Operation& op : model.operations) {
    if (op.http_method != method) continue;
    std::string_view uri = op.request_uri;
    uri = uri.substr(0, uri.find('?'));
    const auto want = path_segments(uri);
    if (want.size() != got.size()) continue;
    std::map<std::string, std::string> found;
    bool ok = true;
    for (size_t i = 0; i < want.size() && ok; ++i) {
      if (want[i].starts_with('{') && want[i].ends_with('}')) {
        std::string_view label = want[i].substr(1, want[i].size() - 2);
        if (label.ends_with('+')) label.remove_suffix(1);
        found[std::string(label)] = aws::uri_decode(got[i]);
      } else {
        ok = want[i] == got[i];
      }
    }
    if (ok) {
      labels = std::move(found);
      return &op;
    }
  }
  return nullptr;
}

// A copy of `object` with `key` set to `value` (or removed when value is null), keeping key order.
JsonValue with_member(const JsonValue& object, std::string_view key, const JsonValue& value) {
  JsonValue out = JsonValue::object();
  bool placed = false;
  for (const auto& [k, v] : object.as_object()) {
    if (k == key) {
      if (!value.is_null()) out.set(k, value);
      placed = true;
    } else {
      out.set(k, v);
    }
  }
  if (!placed && !value.is_null()) out.set(std::string(key), value);
  return out;
}

}  // namespace

struct AwsTestEndpoint::Impl {
  EndpointOptions options;
  std::unique_ptr<httplib::Server> server;  // an SSLServer when EndpointOptions::tls_certificate is set
  std::thread thread;
  int port = 0;
  std::atomic<bool> stopping{false};
  std::atomic<uint64_t> request_ids{0};
  std::atomic<int> in_flight{0};
  std::atomic<int> peak_in_flight{0};
  mutable std::mutex mutex;  // guards the members below
  std::map<std::string, int> attempts;       // per call key
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
    bool started = false;
  };
  std::map<std::string, Bucket> rate_buckets;  // Faults::rate_limit, per account/service/region
  std::string expiring_token;  // the first session token seen (Faults::session_token_calls)
  int expiring_token_calls = 0;
  std::vector<ServedCall> calls;
  // Temporary credentials issued by AssumeRole, by access key ID.
  struct Issued {
    std::string secret;
    std::string account;
    std::string role;
    std::string session;
    std::chrono::system_clock::time_point expires;
  };
  std::map<std::string, Issued> issued;
  int issued_count = 0;
  std::string fixture_account;  // the fixtures' own account ID (their get-caller-identity Account)
  std::set<std::string> not_opted_in;  // regions the fixture's describe-regions lists as not opted in
  std::set<std::string> members;  // set at start()

  explicit Impl(EndpointOptions o) : options(std::move(o)) {}

  std::vector<std::filesystem::path> fixtures() const {
    std::vector<std::filesystem::path> all{options.fixture};
    all.insert(all.end(), options.more_fixtures.begin(), options.more_fixtures.end());
    return all;
  }

  // The first fixture that has `relative`, or "".
  std::filesystem::path find_fixture_file(const std::string& relative) const {
    for (const auto& root : fixtures()) {
      if (std::filesystem::exists(root / relative)) return root / relative;
    }
    return {};
  }

  void load_accounts() {
    if (auto path = find_fixture_file("sts/get-caller-identity.json"); !path.empty()) {
      if (auto doc = parse_json_text(read_text(path)); doc && doc->is_object()) {
        if (const JsonValue* a = doc->get("Account"); a != nullptr && a->is_string()) fixture_account = a->as_string();
      }
    }
    if (auto path = find_fixture_file("ec2/describe-regions.json"); !path.empty()) {
      if (auto doc = parse_json_text(read_text(path)); doc && doc->is_object()) {
        if (const JsonValue* list = doc->get("Regions"); list != nullptr && list->is_array()) {
          for (const JsonValue& r : list->as_array()) {
            const JsonValue* name = r.is_object() ? r.get("RegionName") : nullptr;
            const JsonValue* status = r.is_object() ? r.get("OptInStatus") : nullptr;
            if (name != nullptr && name->is_string() && status != nullptr && status->is_string() &&
                status->as_string() == "not-opted-in") {
              not_opted_in.insert(name->as_string());
            }
          }
        }
      }
    }
    members = options.members;
    if (!options.members_from_org) return;
    auto path = find_fixture_file("organizations/list-accounts.json");
    auto doc = path.empty() ? std::nullopt : std::optional(parse_json_text(read_text(path)));
    if (!doc || !*doc || !(*doc)->is_object()) return;
    const JsonValue* list = (*doc)->get("Accounts");
    if (list == nullptr || !list->is_array()) return;
    for (const JsonValue& account : list->as_array()) {
      const JsonValue* id = account.is_object() ? account.get("Id") : nullptr;
      const JsonValue* status = account.is_object() ? account.get("Status") : nullptr;
      if (id != nullptr && id->is_string() && status != nullptr && status->is_string() && status->as_string() == "ACTIVE") {
        members.insert(id->as_string());
      }
    }
  }

  // The secret of `access_key` and the member account it belongs to ("" for the configured keys);
  // nullopt when unknown. *expired is set for issued credentials past their expiry.
  std::optional<std::pair<std::string, std::string>> secret_for(const std::string& access_key, bool* expired) {
    *expired = false;
    if (auto it = options.secrets.find(access_key); it != options.secrets.end()) {
      return std::make_pair(it->second, std::string());
    }
    std::lock_guard lock(mutex);
    auto it = issued.find(access_key);
    if (it == issued.end()) return std::nullopt;
    *expired = std::chrono::system_clock::now() >= it->second.expires;
    return std::make_pair(it->second.secret, it->second.account);
  }

  void record(ServedCall call) {
    if (options.on_call) options.on_call(call);
    std::lock_guard lock(mutex);
    calls.push_back(std::move(call));
  }

  // Sent uncompressed, as AWS's APIs answer, whatever the client accepts: cpp-httplib compresses a
  // plain body (brotli when offered, which costs more than the whole answer), not a sized provider.
  void send(httplib::Response& res, const WireReply& reply) const {
    res.status = reply.status;
    for (const auto& [k, v] : reply.headers) res.set_header(k, v);
    if (options.compress) {
      // cpp-httplib compresses a plain body in the best encoding the client accepts (br, gzip).
      res.set_content(reply.body, reply.content_type);
      return;
    }
    auto body = std::make_shared<std::string>(reply.body);
    res.set_content_provider(body->size(), reply.content_type,
                             [body](size_t offset, size_t length, httplib::DataSink& sink) {
                               sink.write(body->data() + offset, std::min(length, body->size() - offset));
                               return true;
                             });
  }

  void refuse(httplib::Response& res, const aws::ServiceModel* model, ServedCall call, int status,
              std::string code, std::string message) {
    const std::string request_id = fmt::format("req-{}", ++request_ids);
    if (model != nullptr) {
      send(res, write_error(*model, status, code, message, request_id));
    } else {
      res.status = status;
      res.set_content(fmt::format("<ErrorResponse><Error><Code>{}</Code><Message>{}</Message></Error></ErrorResponse>",
                                  code, message),
                      "text/xml");
    }
    call.status = status;
    call.error_code = std::move(code);
    record(std::move(call));
  }

  bool signature_valid(const httplib::Request& req, const Authorization& auth, const std::string& secret) {
    aws::HttpRequest copy;
    copy.method = req.method;
    const size_t q = req.target.find('?');
    copy.path = req.target.substr(0, q);
    copy.query = q == std::string::npos ? std::string() : req.target.substr(q + 1);
    copy.body = req.body;
    for (std::string_view rest = auth.signed_headers; !rest.empty();) {
      const size_t semi = rest.find(';');
      const std::string name(rest.substr(0, semi));
      copy.headers.emplace_back(name, req.get_header_value(name.c_str()));
      if (semi == std::string_view::npos) break;
      rest.remove_prefix(semi + 1);
    }
    const std::string amz_date = req.get_header_value("X-Amz-Date");
    if (amz_date.size() < 8 || amz_date.substr(0, 8) != auth.date) return false;
    aws::Credentials creds{auth.access_key, secret, ""};
    aws::sign(copy, creds, aws::SigningParams{auth.region, auth.service, amz_date});
    for (const auto& [k, v] : copy.headers) {
      if (k == "Authorization") {
        const size_t at = v.find("Signature=");
        return at != std::string::npos && v.substr(at + 10) == auth.signature;
      }
    }
    return false;
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    ServedCall call;
    const auto auth = parse_authorization(req.get_header_value("Authorization"));
    if (!auth) {
      refuse(res, nullptr, call, 403, "MissingAuthenticationToken", "Request is missing a SigV4 Authorization header");
      return;
    }
    call.region = auth->region;
    const aws::ServiceModel* model = model_for_signing_name(auth->service);
    if (model == nullptr) {
      refuse(res, nullptr, call, 400, "UnknownService", "The test endpoint does not serve " + auth->service);
      return;
    }
    call.service = std::string(builtin_name_of(model));
    const bool ec2 = model->metadata.protocol == Protocol::kEc2;
    bool expired = false;
    auto secret = secret_for(auth->access_key, &expired);
    if (!secret) {
      refuse(res, model, call, ec2 ? 401 : 403, ec2 ? "AuthFailure" : "InvalidClientTokenId",
             "The security token included in the request is invalid.");
      return;
    }
    call.account = secret->second;
    if (!signature_valid(req, *auth, secret->first)) {
      refuse(res, model, call, 403, ec2 ? "AuthFailure" : "SignatureDoesNotMatch",
             "The request signature we calculated does not match the signature you provided.");
      return;
    }
    if (expired) {
      const bool json = model->metadata.protocol == Protocol::kJson || model->metadata.protocol == Protocol::kRestJson;
      refuse(res, model, call, 400, json ? "ExpiredTokenException" : "ExpiredToken",
             "The security token included in the request is expired");
      return;
    }

    // The operation and its parameters, read the way the protocol sends them.
    const aws::Operation* op = nullptr;
    JsonValue params = JsonValue::object();
    switch (model->metadata.protocol) {
      case Protocol::kEc2:
      case Protocol::kQuery: {
        const auto form = parse_form(req.body);
        auto action = form.find("Action");
        if (action != form.end()) op = model->find_operation(action->second);
        for (const auto& [k, v] : form) params.set(k, v);
        break;
      }
      case Protocol::kJson: {
        const std::string target = req.get_header_value("X-Amz-Target");
        const size_t dot = target.rfind('.');
        if (dot != std::string::npos) op = model->find_operation(std::string_view(target).substr(dot + 1));
        if (auto body = parse_json_text(req.body.empty() ? std::string_view("{}") : std::string_view(req.body));
            body && body->is_object()) {
          params = std::move(*body);
        }
        break;
      }
      case Protocol::kRestJson: {
        std::map<std::string, std::string> labels;
        op = match_rest_operation(*model, req.method, req.path, labels);
        if (!req.body.empty()) {
          if (auto body = parse_json_text(req.body); body && body->is_object()) params = std::move(*body);
        }
        if (op != nullptr && op->input.valid()) {
          for (const aws::Member& m : model->shape(op->input).members) {
            const std::string& wire = m.ref.traits.location_name.empty() ? m.name : m.ref.traits.location_name;
            if (m.ref.traits.location == aws::Location::kUri && labels.contains(wire)) {
              params.set(m.name, labels[wire]);
            } else if (m.ref.traits.location == aws::Location::kQueryString && req.has_param(wire.c_str())) {
              params.set(m.name, req.get_param_value(wire.c_str()));
            }
          }
        }
        break;
      }
      default:
        break;
    }
    if (op == nullptr) {
      refuse(res, model, call, 400, ec2 ? "InvalidAction" : "UnknownOperationException",
             "The action is not valid for this web service.");
      return;
    }
    call.operation = op->name;
    const collect::OperationSpec* spec = collect::find_collected_operation(call.service, op->name);
    const bool assume_role = call.service == "sts" && op->name == "AssumeRole";
    if (spec == nullptr && !assume_role) {
      refuse(res, model, call, 400, ec2 ? "InvalidAction" : "UnknownOperationException",
             fmt::format("The test endpoint serves only the operations fortress collects, not {}", op->name));
      return;
    }
    std::string id;
    if (spec != nullptr && !spec->param.empty()) {
      const JsonValue* v = params.get(spec->param);
      if (v == nullptr || !v->is_string() || v->as_string().empty()) {
        refuse(res, model, call, 400, ec2 ? "MissingParameter" : "ValidationException",
               fmt::format("The request must contain the parameter {}", spec->param));
        return;
      }
      id = v->as_string();
    }

    // Faults, in a fixed order, counted per call.
    const Faults& f = options.faults;
    if (f.latency.count() > 0) std::this_thread::sleep_for(f.latency);
    if (f.dead_regions.contains(auth->region)) {
      while (!stopping) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      refuse(res, model, call, 503, "ServiceUnavailable", "endpoint stopping");
      return;
    }
    // A region the account has not opted in to does not know the account's credentials, as in AWS.
    if (not_opted_in.contains(auth->region) && !(call.service == "sts" && op->name == "AssumeRole")) {
      refuse(res, model, call, ec2 ? 401 : 403, ec2 ? "AuthFailure" : "UnrecognizedClientException",
             ec2 ? "AWS was not able to validate the provided access credentials"
                 : "The security token included in the request is invalid.");
      return;
    }
    if (f.denied_services.contains(call.service) || f.denied_services.contains(call.service + ":" + op->name)) {
      refuse(res, model, call, 403,
             ec2 ? "UnauthorizedOperation" : (model->metadata.protocol == Protocol::kQuery ? "AccessDenied"
                                                                                        : "AccessDeniedException"),
             fmt::format("You are not authorized to perform: {}:{}", model->metadata.signing_name, op->name));
      return;
    }
    if (f.rate_limit > 0) {
      bool over = false;
      {
        std::lock_guard lock(mutex);
        Bucket& b = rate_buckets[call.account + "/" + call.service + "/" + auth->region];
        const auto now = std::chrono::steady_clock::now();
        const double capacity = std::max(1.0, f.rate_limit);
        if (!b.started) {
          b.tokens = capacity;
          b.started = true;
        } else {
          b.tokens = std::min(capacity, b.tokens + std::chrono::duration<double>(now - b.refilled).count() * f.rate_limit);
        }
        b.refilled = now;
        over = b.tokens < 1;
        if (!over) b.tokens -= 1;
      }
      if (over) {
        std::string code = "Throttling";
        if (ec2) code = "RequestLimitExceeded";
        if (model->metadata.protocol == Protocol::kJson) code = "ThrottlingException";
        if (model->metadata.protocol == Protocol::kRestJson) code = "TooManyRequestsException";
        refuse(res, model, call, ec2 ? 503 : 400, code, "Rate exceeded");
        return;
      }
    }
    const std::string token = req.get_header_value("X-Amz-Security-Token");
    int attempt = 0;
    {
      std::lock_guard lock(mutex);
      // Per request (each page is its own request), so every page of a list meets the faults.
      attempt = ++attempts[fmt::format("{}/{}/{}/{}/{}?{}", call.account, call.service, op->name, auth->region,
                                       req.target, req.body)];
      if (!token.empty() && f.session_token_calls >= 0) {
        if (expiring_token.empty()) expiring_token = token;
        if (token == expiring_token && ++expiring_token_calls > f.session_token_calls) attempt = -1;
      }
    }
    if (attempt < 0) {
      const bool json = model->metadata.protocol == Protocol::kJson || model->metadata.protocol == Protocol::kRestJson;
      refuse(res, model, call, 400, json ? "ExpiredTokenException" : "ExpiredToken",
             "The security token included in the request is expired");
      return;
    }
    int n = attempt;
    if (n <= f.throttle_first) {
      std::string code = "Throttling";
      if (ec2) code = "RequestLimitExceeded";
      if (model->metadata.protocol == Protocol::kJson) code = "ThrottlingException";
      if (model->metadata.protocol == Protocol::kRestJson) code = "TooManyRequestsException";
      refuse(res, model, call, ec2 ? 503 : 400, code, "Rate exceeded");
      return;
    }
    n -= f.throttle_first;
    if (n <= f.server_error_first) {
      refuse(res, model, call, 503, "ServiceUnavailable", "Service is unavailable, try again");
      return;
    }
    n -= f.server_error_first;
    const bool truncate = n <= f.truncate_first;
    n -= f.truncate_first;
    const bool drop = !truncate && n <= f.drop_first;

    const std::string request_id = fmt::format("req-{}", ++request_ids);
    WireReply reply;
    if (assume_role) {
      std::optional<JsonValue> issued_output = issue_role_credentials(res, model, call, params);
      if (!issued_output) return;  // refused
      reply = write_output(*model, *op, *issued_output, request_id);
      send_reply(res, call, reply, truncate, drop);
      return;
    }
    if (!call.account.empty() && call.service == "sts" && op->name == "GetCallerIdentity") {
      reply = write_output(*model, *op, assumed_identity(auth->access_key), request_id);
      send_reply(res, call, reply, truncate, drop);
      return;
    }

    // The answer: the fixture file for this call, one page of it. A member account's resource IDs
    // (ARNs) name the member; the fixture's files name the fixture's own account.
    const bool member = !call.account.empty() && !fixture_account.empty() && call.account != fixture_account;
    if (member) {
      for (size_t at = id.find(call.account); at != std::string::npos; at = id.find(call.account, at + 1)) {
        id.replace(at, call.account.size(), fixture_account);
      }
    }
    const std::string stem = collect::snapshot_stem(*spec, auth->region, id);
    const std::filesystem::path ok_file = find_fixture_file(stem + ".json");
    const std::filesystem::path error_file = find_fixture_file(stem + ".error.json");
    // A member account is the fixture under its own ID.
    auto fixture_text = [&](const std::filesystem::path& p) {
      std::string text = read_text(p);
      if (!member) return text;
      for (size_t at = text.find(fixture_account); at != std::string::npos;
           at = text.find(fixture_account, at + call.account.size())) {
        text.replace(at, fixture_account.size(), call.account);
      }
      return text;
    };
    if (!ok_file.empty()) {
      auto output = parse_json_text(fixture_text(ok_file));
      if (!output || !output->is_object()) {
        refuse(res, model, call, 500, "FixtureUnreadable", "fixture file is not a JSON object: " + stem);
        return;
      }
      reply = write_output(*model, *op, page(*model, *op, *output, params), request_id);
    } else if (!error_file.empty()) {
      auto doc = parse_json_text(fixture_text(error_file));
      const JsonValue* e = doc ? doc->get("FortressCollectionError") : nullptr;
      const JsonValue* code = e != nullptr ? e->get("ErrorCode") : nullptr;
      const JsonValue* message = e != nullptr ? e->get("Message") : nullptr;
      const std::string c = code != nullptr && code->is_string() ? code->as_string() : "InternalError";
      const bool denied = c.find("Denied") != std::string::npos || c.find("Unauthorized") != std::string::npos;
      // The record holds what the CLI printed ("An error occurred (C) when calling the Op operation:
      // text"); the service itself sent only the text.
      std::string text = message != nullptr && message->is_string() ? message->as_string() : "error from the fixture";
      if (text.starts_with("An error occurred (")) {
        if (size_t colon = text.find("operation: "); colon != std::string::npos) text = text.substr(colon + 11);
      }
      refuse(res, model, call, denied ? 403 : 400, c, text);
      return;
    } else {
      refuse(res, model, call, 400, "FixtureHasNoFile",
             fmt::format("the fixture has no {}.json for this call", stem));
      return;
    }
    send_reply(res, call, reply, truncate, drop);
  }

  void send_reply(httplib::Response& res, ServedCall call, WireReply& reply, bool truncate, bool drop) {
    call.status = reply.status;
    if (truncate || drop) {
      // Headers promise the whole body; the connection closes after half of it (or none).
      auto body = std::make_shared<std::string>(std::move(reply.body));
      const size_t cut = drop ? 0 : body->size() / 2;
      res.status = reply.status;
      for (const auto& [k, v] : reply.headers) res.set_header(k, v);
      res.set_content_provider(body->size(), reply.content_type,
                               [body, cut](size_t offset, size_t, httplib::DataSink& sink) {
                                 if (offset < cut) sink.write(body->data() + offset, cut - offset);
                                 return false;
                               });
      call.error_code = drop ? "(dropped)" : "(truncated)";
      record(std::move(call));
      return;
    }
    send(res, reply);
    record(std::move(call));
  }

  // sts:AssumeRole: temporary credentials for a member account's role, or a refusal (answered here,
  // nullopt returned) as STS words it.
  std::optional<JsonValue> issue_role_credentials(httplib::Response& res, const aws::ServiceModel* model,
                                                  const ServedCall& call, const JsonValue& params) {
    auto param = [&](const char* name) {
      const JsonValue* v = params.get(name);
      return v != nullptr && v->is_string() ? v->as_string() : std::string();
    };
    const std::string role_arn = param("RoleArn");
    const std::string session = param("RoleSessionName");
    if (role_arn.empty() || session.empty()) {
      refuse(res, model, call, 400, "ValidationError", "RoleArn and RoleSessionName are required");
      return std::nullopt;
    }
    // arn:<partition>:iam::<account>:role/<path/><name>
    std::string account, role;
    {
      std::vector<std::string> parts;
      for (size_t start = 0, n = 0; n < 6; ++n) {
        const size_t colon = n < 5 ? role_arn.find(':', start) : std::string::npos;
        parts.push_back(role_arn.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
        if (colon == std::string::npos) break;
        start = colon + 1;
      }
      if (parts.size() == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[5].starts_with("role/")) {
        account = parts[4];
        role = parts[5].substr(5);
        if (size_t slash = role.rfind('/'); slash != std::string::npos) role = role.substr(slash + 1);
      }
    }
    if (account.empty()) {
      refuse(res, model, call, 400, "ValidationError", fmt::format("{} is not a role ARN", role_arn));
      return std::nullopt;
    }
    const std::string caller = call.account.empty() ? fixture_account : call.account;
    const std::string not_authorized = fmt::format(
        "User: arn:aws:iam::{}:user/auditor is not authorized to perform: sts:AssumeRole on resource: {}",
        caller.empty() ? "000000000000" : caller, role_arn);
    if (!call.account.empty() || !members.contains(account) || !options.roles.contains(role) ||
        options.faults.deny_assume_role.contains(account) ||
        (!options.external_id.empty() && param("ExternalId") != options.external_id)) {
      refuse(res, model, call, 403, "AccessDenied", not_authorized);
      return std::nullopt;
    }
    int seconds = options.role_session_seconds;
    if (std::string d = param("DurationSeconds"); !d.empty()) seconds = std::atoi(d.c_str());
    const auto expires = std::chrono::system_clock::now() + std::chrono::seconds(seconds);
    Issued credentials;
    std::string key;
    {
      std::lock_guard lock(mutex);
      const int n = ++issued_count;
      key = fmt::format("ASIA{}{:04d}", account, n % 10000);
      credentials.secret = fmt::format("member-secret-{}-{}", account, n);
      credentials.account = account;
      credentials.role = role;
      credentials.session = session;
      credentials.expires = expires;
      issued[key] = credentials;
    }
    const std::time_t t = std::chrono::system_clock::to_time_t(expires);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    JsonValue creds = JsonValue::object();
    creds.set("AccessKeyId", key);
    creds.set("SecretAccessKey", credentials.secret);
    creds.set("SessionToken", fmt::format("member-session-token-{}-{}", account, key));
    creds.set("Expiration", std::string(when));
    JsonValue user = JsonValue::object();
    user.set("AssumedRoleId", fmt::format("AROA{}EXAMPLE:{}", account, session));
    user.set("Arn", fmt::format("arn:aws:sts::{}:assumed-role/{}/{}", account, role, session));
    JsonValue out = JsonValue::object();
    out.set("Credentials", std::move(creds));
    out.set("AssumedRoleUser", std::move(user));
    return out;
  }

  // sts:GetCallerIdentity for credentials AssumeRole issued: the assumed role.
  JsonValue assumed_identity(const std::string& access_key) {
    Issued who;
    {
      std::lock_guard lock(mutex);
      who = issued[access_key];
    }
    JsonValue out = JsonValue::object();
    out.set("UserId", fmt::format("AROA{}EXAMPLE:{}", who.account, who.session));
    out.set("Account", who.account);
    out.set("Arn", fmt::format("arn:aws:sts::{}:assumed-role/{}/{}", who.account, who.role, who.session));
    return out;
  }

  // One page of a list result: `page_size` items of each result key from the offset in the request's
  // token ("page-N"), and the output token for the next page, or none on the last.
  JsonValue page(const aws::ServiceModel& model, const aws::Operation& op, const JsonValue& output,
                 const JsonValue& params) const {
    const aws::Paginator* p = model.find_paginator(op.name);
    if (p == nullptr || options.page_size == 0 || p->input_token.size() != 1 || p->output_token.size() != 1) {
      return output;
    }
    const std::string& out_token = p->output_token[0];
    if (out_token.find_first_of(".[") != std::string::npos) return output;
    size_t offset = 0;
    if (const JsonValue* t = params.get(p->input_token[0]); t != nullptr && t->is_string()) {
      const std::string& text = t->as_string();
      if (text.starts_with("page-")) offset = std::strtoull(text.c_str() + 5, nullptr, 10);
    }
    JsonValue result = output;
    size_t total = 0;
    for (const std::string& key : p->result_key) {
      const JsonValue* list = output.get(key);
      if (list == nullptr || !list->is_array()) continue;
      const auto& items = list->as_array();
      total = std::max(total, items.size());
      JsonValue::Array slice;
      for (size_t i = offset; i < items.size() && i < offset + options.page_size; ++i) slice.push_back(items[i]);
      result = with_member(result, key, JsonValue(std::move(slice)));
    }
    const bool more = offset + options.page_size < total;
    result = with_member(result, out_token, more ? JsonValue(fmt::format("page-{}", offset + options.page_size))
                                                 : JsonValue());
    if (!p->more_results.empty()) result = with_member(result, p->more_results, JsonValue(more));
    return result;
  }
};

AwsTestEndpoint::AwsTestEndpoint(EndpointOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

AwsTestEndpoint::~AwsTestEndpoint() { stop(); }

Expected<int> AwsTestEndpoint::start(int port) {
  Impl& impl = *impl_;
  impl.load_accounts();
  const size_t threads = impl.options.threads;
  if (impl.options.tls_certificate.empty()) {
    impl.server = std::make_unique<httplib::Server>();
  } else {
    auto tls = std::make_unique<httplib::SSLServer>(impl.options.tls_certificate.c_str(), impl.options.tls_key.c_str());
    if (!tls->is_valid()) {
      Error e;
      e.code = ErrorCode::kIo;
      e.message = "cannot use the TLS certificate " + impl.options.tls_certificate.string();
      return e;
    }
    impl.server = std::move(tls);
  }
  impl.server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  auto handler = [&impl](const httplib::Request& req, httplib::Response& res) {
    const int now = ++impl.in_flight;
    for (int seen = impl.peak_in_flight.load(); now > seen && !impl.peak_in_flight.compare_exchange_weak(seen, now);) {
    }
    impl.handle(req, res);
    --impl.in_flight;
  };
  impl.server->Get(".*", handler);
  impl.server->Post(".*", handler);
  impl.server->Put(".*", handler);
  impl.server->Delete(".*", handler);
  impl.port = port == 0 ? impl.server->bind_to_any_port("127.0.0.1")
                        : (impl.server->bind_to_port("127.0.0.1", port) ? port : -1);
  if (impl.port <= 0) {
    Error e;
    e.code = ErrorCode::kIo;
    e.message = fmt::format("cannot bind 127.0.0.1:{}", port);
    return e;
  }
  impl.thread = std::thread([&impl] { impl.server->listen_after_bind(); });
  return impl.port;
}

void AwsTestEndpoint::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  impl_->stopping = true;
  impl_->server->stop();
  impl_->thread.join();
}

std::string AwsTestEndpoint::url() const {
  return fmt::format("{}://127.0.0.1:{}", impl_->options.tls_certificate.empty() ? "http" : "https", impl_->port);
}

int AwsTestEndpoint::peak_in_flight() const { return impl_->peak_in_flight.load(); }

std::vector<ServedCall> AwsTestEndpoint::calls() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->calls;
}

}  // namespace fortress::endpoint
