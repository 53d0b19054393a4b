#include "aws/credentials.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "aws/sts.h"

namespace fortress::aws {

namespace {

Error cred_error(std::string message) {
  Error e;
  e.code = ErrorCode::kNotFound;
  e.message = std::move(message);
  return e;
}

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string get(const Profile& p, const std::string& key) {
  auto it = p.find(key);
  return it == p.end() ? std::string() : it->second;
}

std::string env_or(const Environment& env, const std::string& name) {
  auto v = env.getenv(name);
  return v ? *v : std::string();
}

// The resolution of one run: the shared config (read once) and what the user asked for.
class Resolver {
 public:
  Resolver(const Environment& env, const CredentialOptions& options) : env_(env), options_(options) {}

  Expected<TimedCredentials> resolve() {
    std::vector<std::string> tried;
    const bool explicit_profile = !options_.profile.empty();
    if (!explicit_profile) {
      auto from_env = environment_keys();
      if (from_env) return from_env;
      if (from_env.error().code != ErrorCode::kNotFound) return from_env;
      tried.push_back("environment variables (not set)");
    }
    std::string profile = options_.profile;
    if (profile.empty()) profile = env_or(env_, "AWS_PROFILE");
    const bool profile_chosen = !profile.empty();
    if (profile.empty()) profile = "default";

    paths_ = shared_config_paths(env_.getenv);
    auto config = load_shared_config(paths_);
    if (!config) return config.error();
    config_ = std::move(*config);
    if (config_.profile(profile) != nullptr) {
      std::set<std::string> visiting;
      auto r = from_profile(profile, visiting);
      if (r || r.error().code != ErrorCode::kNotFound) return r;
      tried.push_back(r.error().message);
    } else if (profile_chosen) {
      return cred_error(fmt::format("the config profile ({}) could not be found in {} or {}", profile,
                                    paths_.config.string(), paths_.credentials.string()));
    } else {
      tried.push_back("profile default (not configured)");
    }

    if (auto r = web_identity_from_env(); r || r.error().code != ErrorCode::kNotFound) return r;
    tried.push_back("web identity (AWS_WEB_IDENTITY_TOKEN_FILE not set)");
    if (auto r = container(); r || r.error().code != ErrorCode::kNotFound) return r;
    tried.push_back("container credentials (AWS_CONTAINER_CREDENTIALS_*_URI not set)");
    if (auto r = instance_metadata(); r || r.error().code != ErrorCode::kNotFound) return r;
    tried.push_back("EC2 instance metadata (not reachable)");

    std::string msg = "no AWS credentials found; tried: ";
    for (size_t i = 0; i < tried.size(); ++i) msg += (i ? "; " : "") + tried[i];
    msg += ". Set AWS_PROFILE or --profile, or run `aws configure`.";
    return cred_error(msg);
  }

 private:
  std::string sts_region(const Profile* p) {
    if (!options_.region.empty()) return options_.region;
    for (const char* v : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      if (auto r = env_.getenv(v); r && !r->empty()) return *r;
    }
    if (p != nullptr && !get(*p, "region").empty()) return get(*p, "region");
    return "us-east-1";
  }

  std::string session_name(const Profile* p) {
    std::string name = p != nullptr ? get(*p, "role_session_name") : std::string();
    if (!name.empty()) return name;
    return fmt::format("fortress-{}", Clock::to_time_t(env_.now()));
  }

  Expected<TimedCredentials> environment_keys() {
    std::string id = env_or(env_, "AWS_ACCESS_KEY_ID");
    std::string secret = env_or(env_, "AWS_SECRET_ACCESS_KEY");
    if (id.empty() && secret.empty()) return cred_error("environment variables (not set)");
    if (id.empty() || secret.empty()) {
      Error e = cred_error("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set (only one is)");
      e.code = ErrorCode::kInvalidArgument;
      return e;
    }
    TimedCredentials t;
    t.credentials = {id, secret, env_or(env_, "AWS_SESSION_TOKEN")};
    t.source = "environment";
    return t;
  }

  Expected<TimedCredentials> from_profile(const std::string& name, std::set<std::string>& visiting) {
    const Profile* p = config_.profile(name);
    if (p == nullptr) {
      Error e = cred_error(fmt::format("the config profile ({}) could not be found", name));
      e.code = ErrorCode::kInvalidArgument;
      return e;
    }
    if (!visiting.insert(name).second) {
      Error e = cred_error(fmt::format("profile {}: source_profile chain loops back to itself", name));
      e.code = ErrorCode::kInvalidArgument;
      return e;
    }
    const std::string role_arn = get(*p, "role_arn");
    if (!role_arn.empty() && get(*p, "web_identity_token_file").empty()) return assume_role_profile(name, *p, visiting);
    if (!role_arn.empty()) {
      auto token = env_.read_file(get(*p, "web_identity_token_file"));
      if (!token) return token.error();
      auto r = assume_role_with_web_identity(env_, sts_region(p), options_.sts_endpoint, role_arn, session_name(p),
                                             trim(*token));
      if (r) r->source = fmt::format("profile {} (web identity)", name);
      return r;
    }
    if (!get(*p, "sso_session").empty() || !get(*p, "sso_start_url").empty()) return sso(name);
    if (auto keys = static_keys(name, *p); keys || keys.error().code != ErrorCode::kNotFound) return keys;
    if (std::string process = get(*p, "credential_process"); !process.empty()) {
      auto r = credential_process(process);
      if (r) r->source = fmt::format("profile {} (credential_process)", name);
      return r;
    }
    return cred_error(fmt::format("profile {} (no credentials in it)", name));
  }

  Expected<TimedCredentials> static_keys(const std::string& name, const Profile& p) {
    std::string id = get(p, "aws_access_key_id");
    std::string secret = get(p, "aws_secret_access_key");
    if (id.empty() && secret.empty()) return cred_error("no static keys");
    if (id.empty() || secret.empty()) {
      Error e = cred_error(fmt::format("profile {} has only one of aws_access_key_id / aws_secret_access_key", name));
      e.code = ErrorCode::kInvalidArgument;
      return e;
    }
    TimedCredentials t;
    t.credentials = {id, secret, get(p, "aws_session_token")};
    t.source = fmt::format("profile {}", name);
    return t;
  }

  Expected<TimedCredentials> assume_role_profile(const std::string& name, const Profile& p,
                                                 std::set<std::string>& visiting) {
    Expected<TimedCredentials> source = cred_error("");
    const std::string source_profile = get(p, "source_profile");
    const std::string credential_source = get(p, "credential_source");
    if (!source_profile.empty() && !credential_source.empty()) {
      Error e = cred_error(fmt::format("profile {} sets both source_profile and credential_source", name));
      e.code = ErrorCode::kInvalidArgument;
      return e;
    }
    if (source_profile == name) {
      source = static_keys(name, p);  // a profile may be its own source through its static keys
    } else if (!source_profile.empty()) {
      source = from_profile(source_profile, visiting);
    } else if (credential_source == "Environment") {
      source = environment_keys();
    } else if (credential_source == "Ec2InstanceMetadata") {
      source = instance_metadata();
    } else if (credential_source == "EcsContainer") {
      source = container();
    } else {
      Error e = cred_error(fmt::format("profile {} has role_arn but no source_profile or valid credential_source "
                                       "(Environment, Ec2InstanceMetadata, EcsContainer)", name));
      e.code = ErrorCode::kInvalidArgument;
      return e;
    }
    if (!source) {
      Error e = source.error();
      e.code = ErrorCode::kInvalidArgument;  // the role was asked for: do not fall through the chain
      e.message = fmt::format("profile {}: cannot get source credentials to assume {}: {}", name, get(p, "role_arn"),
                              e.message);
      return e;
    }
    AssumeRoleRequest req;
    req.role_arn = get(p, "role_arn");
    req.session_name = session_name(&p);
    req.external_id = get(p, "external_id");
    if (std::string d = get(p, "duration_seconds"); !d.empty()) req.duration_seconds = std::atoi(d.c_str());
    auto r = assume_role(env_, source->credentials, sts_region(&p), options_.sts_endpoint, req);
    if (r) r->source = fmt::format("profile {} (assume-role {})", name, req.role_arn);
    return r;
  }

  Expected<TimedCredentials> sso(const std::string& name) {
    auto which = env_.run("command -v aws");
    if (!which || which->exit_code != 0 || trim(which->out).empty()) {
      Error e = cred_error(fmt::format(
          "profile {} uses AWS IAM Identity Center (SSO) and the aws CLI is not on PATH to export its credentials. "
          "Run `aws sso login --profile {}` and `aws configure export-credentials --profile {} --format env` on a "
          "machine with the AWS CLI, or add credential_process to the profile.", name, name, name));
      e.code = ErrorCode::kInvalidArgument;
      return e;
    }
    auto r = credential_process("aws configure export-credentials --profile '" + name + "' --format process");
    if (!r) {
      Error e = r.error();
      e.code = ErrorCode::kInvalidArgument;
      e.message += fmt::format(" (is the SSO session logged in? run `aws sso login --profile {}`)", name);
      return e;
    }
    r->source = fmt::format("profile {} (SSO via aws configure export-credentials)", name);
    return r;
  }

  Expected<TimedCredentials> credential_process(const std::string& command) {
    auto result = env_.run(command);
    if (!result) return result.error();
    if (result->exit_code != 0) {
      Error e = cred_error(fmt::format("credential_process exited with status {}: {}", result->exit_code,
                                       trim(result->err)));
      e.code = ErrorCode::kInvalidArgument;
      return e;
    }
    auto parsed = parse_credentials_json(result->out, "credential_process");
    if (!parsed) {
      Error e = parsed.error();
      e.code = ErrorCode::kInvalidArgument;
      return e;
    }
    return parsed;
  }

  Expected<TimedCredentials> web_identity_from_env() {
    std::string file = env_or(env_, "AWS_WEB_IDENTITY_TOKEN_FILE");
    std::string role = env_or(env_, "AWS_ROLE_ARN");
    if (file.empty() || role.empty()) return cred_error("web identity (not set)");
    auto token = env_.read_file(file);
    if (!token) return token.error();
    std::string session = env_or(env_, "AWS_ROLE_SESSION_NAME");
    if (session.empty()) session = session_name(nullptr);
    return assume_role_with_web_identity(env_, sts_region(nullptr), options_.sts_endpoint, role, session, trim(*token));
  }

  Expected<TimedCredentials> container() {
    std::string url;
    if (std::string rel = env_or(env_, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); !rel.empty()) {
      url = "http://169.254.170.2" + rel;
    } else if (std::string full = env_or(env_, "AWS_CONTAINER_CREDENTIALS_FULL_URI"); !full.empty()) {
      url = full;
    } else {
      return cred_error("container credentials (not set)");
    }
    if (env_.http == nullptr) return cred_error("container credentials (no HTTP transport)");
    HttpCall call;
    call.url = url;
    call.connect_timeout = std::chrono::milliseconds(1000);
    call.total_timeout = std::chrono::milliseconds(5000);
    std::string token;
    if (std::string token_file = env_or(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); !token_file.empty()) {
      auto t = env_.read_file(token_file);
      if (!t) return t.error();
      token = trim(*t);
    } else {
      token = env_or(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }
    if (!token.empty()) call.headers.emplace_back("Authorization", token);
    auto reply = env_.http->send(call);
    if (!reply) {
      Error e = reply.error();
      e.code = ErrorCode::kIo;
      e.message = "container credentials endpoint unreachable: " + e.message;
      return e;
    }
    if (reply->status != 200) {
      Error e = cred_error(fmt::format("container credentials endpoint answered HTTP {}", reply->status));
      e.code = ErrorCode::kIo;
      return e;
    }
    auto r = parse_credentials_json(reply->body, "container credentials");
    if (r) r->source = "container credentials";
    return r;
  }

  Expected<TimedCredentials> instance_metadata() {
    if (env_or(env_, "AWS_EC2_METADATA_DISABLED") == "true") return cred_error("instance metadata (disabled)");
    if (env_.http == nullptr) return cred_error("instance metadata (no HTTP transport)");
    std::string base = env_or(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
    if (base.empty()) base = "http://169.254.169.254";
    while (!base.empty() && base.back() == '/') base.pop_back();
    auto call = [&](const std::string& method, const std::string& path,
                    std::vector<std::pair<std::string, std::string>> headers) {
      HttpCall c;
      c.method = method;
      c.url = base + path;
      c.headers = std::move(headers);
      c.connect_timeout = std::chrono::milliseconds(1000);
      c.total_timeout = std::chrono::milliseconds(2000);
      return env_.http->send(c);
    };
    // IMDSv2: a session token first. Fall back to IMDSv1 only when the token call is refused
    // (403/404/405), never when the service does not answer.
    auto token_reply = call("PUT", "/latest/api/token", {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}});
    if (!token_reply) return cred_error("instance metadata (not reachable)");
    std::vector<std::pair<std::string, std::string>> auth;
    if (token_reply->status == 200) {
      auth.emplace_back("X-aws-ec2-metadata-token", trim(token_reply->body));
    } else if (token_reply->status != 403 && token_reply->status != 404 && token_reply->status != 405) {
      return cred_error(fmt::format("instance metadata (token call answered HTTP {})", token_reply->status));
    }
    auto role_reply = call("GET", "/latest/meta-data/iam/security-credentials/", auth);
    if (!role_reply || role_reply->status != 200) return cred_error("instance metadata (no instance role)");
    std::string role = trim(role_reply->body.substr(0, role_reply->body.find('\n')));
    if (role.empty()) return cred_error("instance metadata (no instance role)");
    auto creds_reply = call("GET", "/latest/meta-data/iam/security-credentials/" + role, auth);
    if (!creds_reply || creds_reply->status != 200) {
      Error e = cred_error("instance metadata: the role's credentials could not be read");
      e.code = ErrorCode::kIo;
      return e;
    }
    auto r = parse_credentials_json(creds_reply->body, "instance metadata");
    if (r) r->source = fmt::format("EC2 instance metadata (role {}{})", role, auth.empty() ? ", IMDSv1" : "");
    return r;
  }

  const Environment& env_;
  const CredentialOptions& options_;
  SharedConfig config_;
  SharedConfigPaths paths_;
};

}  // namespace

std::optional<Clock::time_point> parse_aws_time(std::string_view text) {
  std::tm tm{};
  int y, mo, d, h, mi, s;
  if (std::sscanf(std::string(text).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6) {
    return std::nullopt;
  }
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  std::time_t t = timegm(&tm);
  // Offsets other than Z/+00:00 ("+02:00") shift the instant.
  size_t tz = text.find_first_of("+-", 19);
  if (tz != std::string_view::npos && tz + 6 <= text.size()) {
    int oh = std::atoi(std::string(text.substr(tz + 1, 2)).c_str());
    int om = std::atoi(std::string(text.substr(tz + 4, 2)).c_str());
    int offset = (oh * 3600 + om * 60) * (text[tz] == '+' ? 1 : -1);
    t -= offset;
  }
  return Clock::from_time_t(t);
}

Expected<TimedCredentials> parse_credentials_json(std::string_view json, std::string_view what) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    Error e = cred_error(fmt::format("{}: the output is not a JSON object", what));
    e.code = ErrorCode::kParse;
    return e;
  }
  auto str = [&](const char* key) -> std::string {
    std::string_view v;
    if (doc[key].get(v) == simdjson::SUCCESS) return std::string(v);
    return {};
  };
  int64_t version = 0;
  if (doc["Version"].get(version) == simdjson::SUCCESS && version != 1) {
    Error e = cred_error(fmt::format("{}: unsupported Version {} (expected 1)", what, version));
    e.code = ErrorCode::kParse;
    return e;
  }
  TimedCredentials t;
  t.credentials.access_key_id = str("AccessKeyId");
  t.credentials.secret_access_key = str("SecretAccessKey");
  t.credentials.session_token = str("SessionToken");
  if (t.credentials.session_token.empty()) t.credentials.session_token = str("Token");
  if (t.credentials.access_key_id.empty() || t.credentials.secret_access_key.empty()) {
    Error e = cred_error(fmt::format("{}: AccessKeyId or SecretAccessKey missing", what));
    e.code = ErrorCode::kParse;
    return e;
  }
  if (std::string exp = str("Expiration"); !exp.empty()) {
    t.expiration = parse_aws_time(exp);
    if (!t.expiration) {
      Error e = cred_error(fmt::format("{}: unreadable Expiration '{}'", what, exp));
      e.code = ErrorCode::kParse;
      return e;
    }
  }
  t.source = std::string(what);
  return t;
}

Expected<TimedCredentials> resolve_credentials(const Environment& env, const CredentialOptions& options) {
  Resolver r(env, options);
  return r.resolve();
}

Environment Environment::system(HttpTransport* http) {
  Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  env.read_file = [](const std::string& path) -> Expected<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{ErrorCode::kIo, "cannot read file", path, 0, 0};
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  env.run = [](const std::string& command) -> Expected<ProcessResult> {
    // stderr is captured through a temporary file so a failing process's message can be shown.
    char err_path[] = "/tmp/fortress-process-XXXXXX";
    int fd = mkstemp(err_path);
    if (fd < 0) return Error{ErrorCode::kIo, "cannot create a temporary file", "", 0, 0};
    close(fd);
    std::string full = command + " 2>" + err_path;
    FILE* pipe = popen(full.c_str(), "r");
    if (pipe == nullptr) return Error{ErrorCode::kIo, "cannot start process", "", 0, 0};
    ProcessResult r;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
    int status = pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    std::ifstream err(err_path);
    std::stringstream ss;
    ss << err.rdbuf();
    r.err = ss.str();
    std::remove(err_path);
    return r;
  };
  env.now = [] { return Clock::now(); };
  env.http = http;
  return env;
}

CredentialCache::CredentialCache(Environment env, CredentialOptions options, std::chrono::seconds refresh_window)
    : now_(env.now), refresh_window_(refresh_window) {
  if (!now_) now_ = [] { return Clock::now(); };
  resolve_ = [env = std::move(env), options = std::move(options)] { return resolve_credentials(env, options); };
}

CredentialCache::CredentialCache(Resolver resolve, std::function<Clock::time_point()> now,
                                 std::chrono::seconds refresh_window)
    : resolve_(std::move(resolve)), now_(std::move(now)), refresh_window_(refresh_window) {
  if (!now_) now_ = [] { return Clock::now(); };
}

void CredentialCache::invalidate(const Credentials& used) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!current_) return;
  const Credentials& held = current_->credentials;
  if (held.access_key_id == used.access_key_id && held.session_token == used.session_token) current_.reset();
}

Expected<Credentials> CredentialCache::get() {
  std::lock_guard<std::mutex> lock(mu_);
  const bool stale = !current_.has_value() ||
                     (current_->expiration.has_value() && now_() + refresh_window_ >= *current_->expiration);
  if (stale) {
    auto fresh = resolve_();
    if (!fresh) {
      // Keep using still-valid credentials if a refresh fails early; never ones that have expired.
      if (current_.has_value() && current_->expiration.has_value() && now_() < *current_->expiration) {
        return current_->credentials;
      }
      return fresh.error();
    }
    current_ = std::move(*fresh);
  }
  return current_->credentials;
}

}  // namespace fortress::aws
