#include "collect/accounts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <thread>

#include "aws/endpoints.h"
#include "aws/sts.h"
#include "collect/client.h"

namespace fortress::collect {

namespace fs = std::filesystem;

namespace {

Error accounts_error(ErrorCode code, std::string message) {
  Error e;
  e.code = code;
  e.message = std::move(message);
  return e;
}

bool is_account_id(std::string_view id) {
  return id.size() == 12 && std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); });
}

// IAM role names (and paths): letters, digits and +=,.@_- ; a path adds '/' between parts.
bool is_role_name(std::string_view name) {
  if (name.empty() || name.size() > 64 + 512 || name.front() == '/' || name.back() == '/') return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("+=,.@_-/").find(char(c)) != std::string_view::npos;
  });
}

std::string member_string(const JsonValue& object, std::string_view key) {
  const JsonValue* v = object.is_object() ? object.get(key) : nullptr;
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

}  // namespace

bool AccountsResult::complete() const {
  return std::all_of(accounts.begin(), accounts.end(), [](const CollectResult& r) { return r.complete(); });
}

Status validate_accounts_options(const AccountsOptions& o) {
  if (o.role_name.empty()) {
    return accounts_error(ErrorCode::kInvalidArgument,
                          "--accounts and --org need --role-name: the role fortress assumes in each account");
  }
  if (!is_role_name(o.role_name)) {
    return accounts_error(ErrorCode::kInvalidArgument,
                          fmt::format("--role-name: '{}' is not an IAM role name", o.role_name));
  }
  if (o.organization == !o.account_ids.empty()) {
    return accounts_error(ErrorCode::kInvalidArgument,
                          o.organization ? "give either --accounts or --org, not both"
                                         : "--role-name needs the accounts: --accounts ID,ID,... or --org");
  }
  for (const std::string& id : o.account_ids) {
    if (!is_account_id(id)) {
      return accounts_error(ErrorCode::kInvalidArgument,
                            fmt::format("--accounts: '{}' is not an AWS account ID (12 digits)", id));
    }
  }
  if (o.duration_seconds != 0 && (o.duration_seconds < 900 || o.duration_seconds > 43200)) {
    return accounts_error(ErrorCode::kInvalidArgument, "the role session duration must be 900 to 43200 seconds");
  }
  return {};
}

std::string role_arn_for(std::string_view account_id, std::string_view role_name, std::string_view region) {
  return fmt::format("arn:{}:iam::{}:role/{}", aws::partition_of(region).name, account_id, role_name);
}

std::vector<std::string> active_accounts(const JsonValue& output, std::vector<std::string>* not_active) {
  std::set<std::string> ids;
  std::set<std::string> others;
  const JsonValue* list = output.is_object() ? output.get("Accounts") : nullptr;
  if (list != nullptr && list->is_array()) {
    for (const JsonValue& account : list->as_array()) {
      const std::string id = member_string(account, "Id");
      if (!is_account_id(id)) continue;
      // "State" replaces the deprecated "Status" in newer API versions; either says ACTIVE.
      std::string state = member_string(account, "State");
      if (state.empty()) state = member_string(account, "Status");
      if (state == "ACTIVE") {
        ids.insert(id);
      } else {
        others.insert(fmt::format("{} ({})", id, state.empty() ? "no status" : state));
      }
    }
  }
  if (not_active != nullptr) not_active->assign(others.begin(), others.end());
  return {ids.begin(), ids.end()};
}

Expected<AccountsResult> collect_organization(const CollectOptions& shared, aws::CredentialCache& base,
                                              const AccountsOptions& o) {
  if (Status ok = validate_accounts_options(o); !ok) return ok.error();
  if (!shared.make_transport) return accounts_error(ErrorCode::kInvalidArgument, "collect: no HTTP transport factory");
  const std::string home = !shared.home_region.empty() ? shared.home_region
                           : !shared.regions.empty()   ? shared.regions.front()
                                                       : std::string("us-east-1");
  if (auto creds = base.get(); !creds) {
    return accounts_error(ErrorCode::kNotFound,
                          no_credentials_message(creds.error().message));
  }
  auto sleep = shared.client.sleep ? shared.client.sleep
                                   : std::function<void(std::chrono::milliseconds)>(
                                         [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); });

  AccountsResult out;
  std::vector<std::string> ids = o.account_ids;
  if (o.organization) {
    // Who the base credentials are, and the organization's accounts, all pages.
    std::unique_ptr<aws::HttpTransport> transport = shared.make_transport();
    if (!transport) return accounts_error(ErrorCode::kIo, "no HTTP transport could be created");
    AwsClient client(*transport, base, shared.client);
    aws::RetryStrategy sts_retry(shared.retry, shared.random01);
    CallResult identity = client.call("sts", "GetCallerIdentity", home, JsonValue(), sts_retry);
    if (!identity.ok()) {
      return accounts_error(ErrorCode::kIo, "sts GetCallerIdentity with the base credentials failed: " +
                                                identity.error->message);
    }
    out.base_account_id = member_string(identity.output, "Account");
    aws::RetryStrategy org_retry(shared.retry, shared.random01);
    CallResult listed = client.call("organizations", "ListAccounts", home, JsonValue(), org_retry);
    if (!listed.ok()) {
      return accounts_error(
          ErrorCode::kIo,
          fmt::format("--org: organizations ListAccounts failed in account {}: {}. It lists the accounts only "
                      "from the organization's management account or a delegated administrator account "
                      "(organizations:ListAccounts); elsewhere name them with --accounts",
                      out.base_account_id.empty() ? "(unknown)" : out.base_account_id, listed.error->message));
    }
    const OperationSpec* spec = find_collected_operation("organizations", "ListAccounts");
    const fs::path folder = shared.output_dir / (out.base_account_id.empty() ? "organization" : out.base_account_id);
    if (Status written = write_file_atomically(folder / (snapshot_stem(*spec, "", "") + ".json"),
                                               listed.output.dump(4) + "\n");
        !written) {
      return written.error();
    }
    ids = active_accounts(listed.output, &out.listed_not_active);
    if (ids.empty()) {
      return accounts_error(ErrorCode::kNotFound, "--org: organizations ListAccounts returned no ACTIVE account");
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());

  // One credential cache per account: the role assumed with the base credentials, again before expiry.
  std::vector<std::unique_ptr<aws::CredentialCache>> caches;
  std::vector<AccountToCollect> targets;
  const auto now = o.environment.now ? o.environment.now : std::function<aws::Clock::time_point()>([] {
    return aws::Clock::now();
  });
  for (const std::string& id : ids) {
    aws::AssumeRoleRequest request;
    request.role_arn = role_arn_for(id, o.role_name, home);
    request.session_name = o.session_name;
    request.external_id = o.external_id;
    request.duration_seconds = o.duration_seconds;
    aws::Environment env = o.environment;
    env.now = now;
    auto resolve = [&base, env, make_transport = shared.make_transport, home, endpoint = o.sts_endpoint_url, request,
                    retry = shared.retry, random = shared.random01, sleep]() -> Expected<aws::TimedCredentials> {
      auto source = base.get();
      if (!source) return source.error();
      std::unique_ptr<aws::HttpTransport> transport = make_transport();
      if (!transport) return accounts_error(ErrorCode::kIo, "no HTTP transport could be created");
      aws::Environment call_env = env;
      call_env.http = transport.get();
      aws::RetryStrategy strategy(retry, random);
      return aws::assume_role_retrying(call_env, *source, home, endpoint, request, strategy, sleep);
    };
    caches.push_back(std::make_unique<aws::CredentialCache>(std::move(resolve), now));
    targets.push_back(AccountToCollect{id, shared.output_dir / id, caches.back().get(), request.role_arn});
  }
  CollectOptions per_account = shared;
  per_account.organization = false;  // ListAccounts was called once, above, not in every account
  auto results = collect_accounts(per_account, targets);
  if (!results) return results.error();
  out.accounts = std::move(*results);
  return out;
}

}  // namespace fortress::collect
