#include "collect/collector.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>
#include <utility>

#include "load/collection_error.h"
#include "load/snapshot.h"

namespace fortress::collect {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

size_t CollectResult::failed() const {
  return size_t(std::count_if(calls.begin(), calls.end(), [](const CallRecord& c) { return !c.ok(); }));
}

bool CollectResult::complete() const {
  return credentials_error.empty() && region_list_error.empty() && !cancelled && failed() == 0;
}

std::vector<RegionSummary> CollectResult::by_region() const {
  std::map<std::string, RegionSummary> by;  // "" sorts first: account-wide
  for (const CallRecord& c : calls) {
    RegionSummary& s = by[c.region];
    s.region = c.region;
    ++s.calls;
    if (!c.ok()) ++s.failed;
    s.retries += size_t(c.retries);
  }
  std::vector<RegionSummary> out;
  for (auto& [name, s] : by) out.push_back(std::move(s));
  return out;
}

const CallRecord* CollectResult::find(std::string_view stem) const {
  for (const CallRecord& c : calls) {
    std::string_view f = c.file;
    if (f.ends_with(".error.json")) {
      f.remove_suffix(11);
    } else if (f.ends_with(".json")) {
      f.remove_suffix(5);
    }
    if (f == stem) return &c;
  }
  return nullptr;
}

std::string collection_error_record(const OperationSpec& spec, std::string_view region, std::string_view id,
                                    const CollectError& error, std::string_view time) {
  return collection_error_record(spec, region, id, error, time, {});
}

std::string collection_error_record(const OperationSpec& spec, std::string_view region, std::string_view id,
                                    const CollectError& error, std::string_view time,
                                    const std::vector<std::pair<std::string, std::string>>& extra) {
  JsonValue record = JsonValue::object();
  record.set("Service", spec.cli_service);
  record.set("Command", spec.command);
  record.set("Region", spec.scope == Scope::kAccount ? std::string_view() : region);
  record.set("ErrorCode", error.code);
  record.set("Message", error.message);
  record.set("ExitCode", error.service_error() ? 254 : 255);
  record.set("Time", time);
  if (spec.operation == "GetManagedPrefixListEntries" && !id.empty()) record.set("PrefixListId", id);
  for (const auto& [key, value] : extra) record.set(key, value);
  JsonValue root = JsonValue::object();
  root.set(std::string(kCollectionErrorKey), std::move(record));
  return root.dump(4) + "\n";
}

std::vector<std::string> enabled_regions(const JsonValue& output) {
  std::set<std::string> names;
  const JsonValue* regions = output.is_object() ? output.get("Regions") : nullptr;
  if (regions == nullptr || !regions->is_array()) return {};
  for (const JsonValue& r : regions->as_array()) {
    if (!r.is_object()) continue;
    const JsonValue* name = r.get("RegionName");
    const JsonValue* status = r.get("OptInStatus");
    if (name == nullptr || !name->is_string() || !looks_like_region(name->as_string())) continue;
    if (status != nullptr && status->is_string() && status->as_string() == "not-opted-in") continue;
    names.insert(name->as_string());
  }
  return {names.begin(), names.end()};
}

namespace {

// Walks `path` ("A[].B[].C", "A[]", "A[].B") from `value`, calling out(v) for each value it names.
template <typename Out>
void values_at(const JsonValue& value, std::string_view path, Out&& out) {
  if (path.empty()) {
    out(value);
    return;
  }
  if (path.starts_with('.')) path.remove_prefix(1);
  const size_t brackets = path.find("[]");
  const size_t dot = path.find('.');
  if (brackets != std::string_view::npos && (dot == std::string_view::npos || brackets < dot)) {
    const JsonValue* list = value.is_object() ? value.get(std::string(path.substr(0, brackets))) : nullptr;
    if (list == nullptr || !list->is_array()) return;
    for (const JsonValue& item : list->as_array()) values_at(item, path.substr(brackets + 2), out);
    return;
  }
  const std::string key(path.substr(0, dot));
  const JsonValue* member = value.is_object() ? value.get(key) : nullptr;
  if (member != nullptr) values_at(*member, dot == std::string_view::npos ? std::string_view() : path.substr(dot), out);
}

// "arn:aws:sns:us-east-1:1:topic", "arn:aws-cn:sns:...": an ARN of `service`.
bool is_arn_of(std::string_view id, std::string_view service) {
  if (!id.starts_with("arn:")) return false;
  const size_t partition_end = id.find(':', 4);
  if (partition_end == std::string_view::npos) return false;
  std::string_view rest = id.substr(partition_end + 1);
  return rest.size() > service.size() && rest.starts_with(service) && rest[service.size()] == ':';
}

}  // namespace

std::vector<std::string> ids_at(const JsonValue& output, std::string_view ids_from, std::string_view arn_service) {
  std::vector<std::string> out;
  if (ids_from.find("[]") == std::string_view::npos || !output.is_object()) return out;
  std::set<std::string> seen;
  values_at(output, ids_from, [&](const JsonValue& v) {
    if (!v.is_string() || v.as_string().empty()) return;
    if (!arn_service.empty() && !is_arn_of(v.as_string(), arn_service)) return;
    if (seen.insert(v.as_string()).second) out.push_back(v.as_string());
  });
  return out;
}

namespace {

Error run_error(ErrorCode code, std::string message) {
  Error e;
  e.code = code;
  e.message = std::move(message);
  return e;
}

std::string iso_time(aws::Clock::time_point t) {
  std::time_t secs = aws::Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[24];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

Status write_file_atomically(const fs::path& path, std::string_view text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec)
    return run_error(ErrorCode::kIo,
                     fmt::format("cannot create {}: {}", path.parent_path().string(), ec.message()));
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), std::streamsize(text.size()));
    out.close();
    if (!out) {
      fs::remove(tmp, ec);
      return run_error(ErrorCode::kIo, fmt::format("cannot write {}", tmp.string()));
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return run_error(ErrorCode::kIo,
                     fmt::format("cannot rename {} to {}: {}", tmp.string(), path.string(), ec.message()));
  }
  return {};
}

namespace {

Status write_atomic(const fs::path& path, std::string_view text) { return write_file_atomically(path, text); }

// Stands in when the transport factory gives nothing: every call fails, and says why.
class NoTransport final : public aws::HttpTransport {
 public:
  Expected<aws::HttpReply> send(const aws::HttpCall&) override {
    return run_error(ErrorCode::kIo, "no HTTP transport could be created");
  }
};

std::vector<std::string> dedupe_sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

bool is_phase_one(const OperationSpec& s) {
  return s.operation == "GetCallerIdentity" || (s.service == "ec2" && s.operation == "DescribeRegions");
}

// "AccessDenied" from "sts:AssumeRole: AccessDenied: User ... is not authorized ..." (the form
// aws/sts.cpp words STS errors in); "" when the text does not have that form.
std::string sts_code_of(std::string_view message) {
  if (!message.starts_with("sts:")) return {};
  size_t first = message.find(": ");
  if (first == std::string_view::npos) return {};
  std::string_view rest = message.substr(first + 2);
  size_t second = rest.find(": ");
  std::string_view code = rest.substr(0, second);
  if (code.empty() || code.find(' ') != std::string_view::npos) return {};
  return std::string(code);
}

// One account's share of the work, from its credentials to its last call.
struct AccountRun {
  enum class Phase : uint8_t { kCredentials, kIdentity, kEverything, kDone };
  AccountToCollect target;
  CollectResult result;
  Phase phase = Phase::kCredentials;
  size_t pending = 0;  // this account's jobs queued or running (guarded by Collection::mu_)
  std::optional<JsonValue> regions_output;
  bool dropped = false;  // a queued job was dropped because the run was cancelled
};

struct Job {
  AccountRun* account = nullptr;
  const OperationSpec* spec = nullptr;  // nullptr: get the account's credentials
  std::string region;  // the region the call is made in (the home region for account-wide rows)
  std::string id;
  JsonValue params;
};

// The work of one collection -- every account -- shared by the workers.
class Collection {
 public:
  Collection(const CollectOptions& options, std::vector<AccountRun>& accounts)
      : options_(options), accounts_(accounts) {
    if (!options_.client.sleep)
      options_.client.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
    if (!options_.client.now) options_.client.now = [] { return aws::Clock::now(); };
    const unsigned workers = std::max(1u, options_.max_in_flight);
    per_region_limit_ = std::max(4u, workers / 2);
  }

  bool selected(const OperationSpec& spec) const {
    if (spec.multi_account_only && !options_.organization) return false;
    if (!spec.parent.empty()) {
      const OperationSpec* parent = find_collected_operation(
          spec.parent_service.empty() ? spec.service : spec.parent_service, spec.parent);
      if (parent == nullptr || !selected(*parent)) return false;
    }
    return !options_.select || options_.select(spec);
  }

  void run_all() {
    const unsigned workers = std::max(1u, options_.max_in_flight);
    for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { worker(); });
    for (AccountRun& account : accounts_) push(Job{&account, nullptr, account.result.home_region, "", {}});
    {
      std::unique_lock<std::mutex> lock(mu_);
      done_cv_.wait(lock, [this] { return finished_ == accounts_.size(); });
      stopping_ = true;
    }
    work_cv_.notify_all();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

 private:
  [[nodiscard]] bool cancelled() const { return options_.cancel != nullptr && options_.cancel->load(); }

  // A region of an account ("global" for its account-wide calls): the unit of the per-region worker
  // limit and of RegionHealth.
  static std::pair<const AccountRun*, std::string> region_key(const Job& job) {
    if (job.spec == nullptr || job.spec->scope == Scope::kAccount) return {job.account, std::string("global")};
    return {job.account, job.region};
  }

  void push(Job job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++job.account->pending;
      queue_.push_back(std::move(job));
    }
    work_cv_.notify_one();
  }

  // Queues a phase's jobs at once: were they queued one by one, the first could finish before the
  // next is queued, and the account would look idle in between.
  void push_all(std::vector<Job> jobs) {
    if (jobs.empty()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (Job& job : jobs) {
        ++job.account->pending;
        queue_.push_back(std::move(job));
      }
    }
    work_cv_.notify_all();
  }

  // The first queued job whose region has room under the per-region limit; queue_.end() if none.
  std::deque<Job>::iterator next_job() {
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
      auto found = busy_.find(region_key(*it));
      if (found == busy_.end() || found->second < per_region_limit_) return it;
    }
    return queue_.end();
  }

  void worker() {
    std::unique_ptr<aws::HttpTransport> transport = options_.make_transport();
    if (!transport) transport = std::make_unique<NoTransport>();
    for (;;) {
      Job job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        std::deque<Job>::iterator it;
        work_cv_.wait(lock, [&] { return stopping_ || (it = next_job()) != queue_.end(); });
        if (stopping_) return;
        job = std::move(*it);
        queue_.erase(it);
        ++busy_[region_key(job)];
      }
      AccountRun& account = *job.account;
      if (cancelled()) {
        std::lock_guard<std::mutex> lock(mu_);
        account.dropped = true;
      } else if (job.spec == nullptr) {
        get_credentials(account);
      } else {
        AwsClient client(*transport, *account.target.credentials, options_.client);
        run(client, job);
      }
      bool account_idle = false;
      {
        std::lock_guard<std::mutex> lock(mu_);
        --busy_[region_key(job)];
        account_idle = --account.pending == 0;
      }
      work_cv_.notify_all();  // a region may have room again
      if (account_idle) advance(account);
    }
  }

  void get_credentials(AccountRun& account) {
    auto creds = account.target.credentials->get();
    if (creds) return;
    const std::string message = scrub_credentials(creds.error().message, nullptr);
    // Recorded where the account's identity would be, so a scan shows the account as not collected
    // (coverage error, NOT_ASSESSED) instead of not showing it at all.
    const OperationSpec* identity = find_collected_operation("sts", "GetCallerIdentity");
    CollectError e;
    e.code = sts_code_of(message);
    e.http_status = e.code.empty() ? 0 : 400;
    // "sts:AssumeRole: AccessDenied: User: ..." -> "User: ...": the code is a field of its own.
    std::string reason = message;
    if (!e.code.empty()) reason = reason.substr(reason.find(e.code + ": ") + e.code.size() + 2);
    if (e.code.empty()) e.code = "NoCredentials";
    e.message = account.target.role_arn.empty()
                    ? fmt::format("no credentials: {}", reason)
                    : fmt::format("could not assume {}: {}", account.target.role_arn, reason);
    // What the progress line and the report show: the record's message and its code.
    account.result.credentials_error = fmt::format("{} ({})", e.message, e.code);
    std::vector<std::pair<std::string, std::string>> extra;
    if (!account.target.account_id.empty()) extra.emplace_back("AccountId", account.target.account_id);
    if (!account.target.role_arn.empty()) extra.emplace_back("RoleArn", account.target.role_arn);
    const std::string stem = snapshot_stem(*identity, "", "");
    std::error_code ignored;
    fs::remove(account.target.output_dir / (stem + ".json"), ignored);
    Status written = write_atomic(account.target.output_dir / (stem + ".error.json"),
                                  collection_error_record(*identity, "", "", e, iso_time(options_.client.now()), extra));
    if (!written) {
      account.result.credentials_error +=
          fmt::format(" (and the error record could not be written: {})", written.error().message);
    }
  }

  // Runs when none of the account's jobs is queued or running: starts its next phase, or finishes it.
  void advance(AccountRun& account) {
    for (;;) {
      std::vector<Job> next;
      const bool stop = cancelled() || account.dropped;
      switch (account.phase) {
        case AccountRun::Phase::kCredentials:
          account.phase = AccountRun::Phase::kIdentity;
          if (!account.result.credentials_error.empty() || stop) {
            account.phase = AccountRun::Phase::kDone;
            break;
          }
          // Who we are and where the account is enabled.
          for (const OperationSpec& spec : collected_operations()) {
            if (is_phase_one(spec) && selected(spec))
              next.push_back(Job{&account, &spec, account.result.home_region, "", JsonValue::object()});
          }
          break;
        case AccountRun::Phase::kIdentity:
          account.phase = AccountRun::Phase::kEverything;
          if (stop) {
            account.phase = AccountRun::Phase::kDone;
            break;
          }
          choose_regions(account);
          // Everything else; fan-out rows are queued by their parents.
          for (const OperationSpec& spec : collected_operations()) {
            if (is_phase_one(spec) || !spec.parent.empty() || !selected(spec)) continue;
            if (spec.scope == Scope::kAccount) {
              next.push_back(Job{&account, &spec, account.result.home_region, "", JsonValue::object()});
              continue;
            }
            for (const std::string& region : account.result.regions)
              next.push_back(Job{&account, &spec, region, "", JsonValue::object()});
          }
          break;
        case AccountRun::Phase::kEverything:
          account.phase = AccountRun::Phase::kDone;
          break;
        case AccountRun::Phase::kDone:
          break;
      }
      if (account.phase == AccountRun::Phase::kDone) {
        finish(account);
        return;
      }
      if (!next.empty()) {
        push_all(std::move(next));  // the last of them to finish calls advance() again
        return;
      }
    }
  }

  void choose_regions(AccountRun& account) {
    std::vector<std::string> regions;
    if (!options_.regions.empty()) {
      regions = options_.regions;
    } else if (account.regions_output) {
      regions = enabled_regions(*account.regions_output);
    } else {
      account.result.region_list_error =
          "ec2 DescribeRegions failed (see ec2/describe-regions.error.json); name the regions to "
          "collect with --regions";
    }
    std::erase_if(regions, [&](const std::string& r) {
      return std::find(options_.exclude_regions.begin(), options_.exclude_regions.end(), r) !=
             options_.exclude_regions.end();
    });
    account.result.regions = dedupe_sorted(std::move(regions));
    std::lock_guard<std::mutex> lock(mu_);
    if (options_.on_regions) options_.on_regions(account.target.account_id, account.result.regions.size());
  }

  void finish(AccountRun& account) {
    std::lock_guard<std::mutex> lock(mu_);
    CollectResult& r = account.result;
    r.cancelled = cancelled() || account.dropped;
    std::sort(r.calls.begin(), r.calls.end(), [](const CallRecord& a, const CallRecord& b) { return a.file < b.file; });
    if (options_.on_account_done) options_.on_account_done(r);
    ++finished_;
    done_cv_.notify_all();
  }

  // What the calls of one account to one service in one region share.
  struct ServiceEndpoint {
    ServiceEndpoint(const aws::RetryOptions& r, const aws::RateLimiterOptions& p, std::function<double()> random)
        : retry(r, std::move(random)), pacing(p) {}
    aws::RetryStrategy retry;
    aws::AdaptiveRateLimiter pacing;
  };

  CallPolicy policy_for(const Job& job) {
    std::lock_guard<std::mutex> lock(mu_);
    const std::string region = job.spec->scope == Scope::kAccount ? std::string() : job.region;
    auto key = std::make_tuple(job.account, std::string(job.spec->service), region);
    auto it = endpoints_.find(key);
    if (it == endpoints_.end()) {
      it = endpoints_.emplace(key, std::make_unique<ServiceEndpoint>(options_.retry, options_.pacing, options_.random01))
               .first;
    }
    auto health = health_.find(region_key(job));
    if (health == health_.end()) health = health_.emplace(region_key(job), std::make_unique<RegionHealth>()).first;
    return CallPolicy{&it->second->retry, &it->second->pacing, health->second.get()};
  }

  void run(AwsClient& client, const Job& job) {
    const OperationSpec& spec = *job.spec;
    AccountRun& account = *job.account;
    const auto started = std::chrono::steady_clock::now();
    const CallPolicy policy = policy_for(job);
    CallResult result = client.call(spec.service, spec.operation, job.region, job.params, policy);
    // GenerateCredentialReport: ask again until the report is ready.
    for (int polls = 1; result.ok() && !spec.poll_until_member.empty() && !poll_done(spec, result.output);
         ++polls) {
      if (polls >= options_.poll_attempts) {
        CollectError e;
        e.code = "PollTimeout";
        e.message = fmt::format("{} did not report {} = {} after {} calls", spec.operation,
                                spec.poll_until_member, spec.poll_until_value, polls);
        e.attempts = result.attempts;
        result.error = std::move(e);
        result.output = JsonValue();
        break;
      }
      options_.client.sleep(options_.poll_interval);
      CallResult again = client.call(spec.service, spec.operation, job.region, job.params, policy);
      again.attempts += result.attempts;
      again.retries += result.retries;
      again.throttles += result.throttles;
      again.paced += result.paced;
      result = std::move(again);
    }

    CallRecord record;
    record.spec = &spec;
    record.account_id = account.target.account_id;
    record.region = spec.scope == Scope::kAccount ? std::string() : job.region;
    record.id = job.id;
    record.attempts = result.attempts;
    record.retries = result.retries;
    record.pages = result.pages;
    record.throttles = result.throttles;
    record.paced = result.paced;
    const fs::path& out_dir = account.target.output_dir;
    const std::string stem = snapshot_stem(spec, job.region, job.id);
    const fs::path json_path = out_dir / (stem + ".json");
    const fs::path error_path = out_dir / (stem + ".error.json");
    std::error_code ignored;
    if (result.ok()) {
      Status written = write_atomic(json_path, result.output.dump(4) + "\n");
      if (written) {
        fs::remove(error_path, ignored);  // a stale record of an earlier run
        record.file = stem + ".json";
      } else {
        fs::remove(json_path, ignored);
        CollectError e;
        e.code = "WriteError";
        e.message = written.error().message;
        e.attempts = result.attempts;
        result.error = e;
      }
    }
    if (!result.ok()) {
      fs::remove(json_path, ignored);  // never leave a stale success next to a failure
      record.error = result.error;
      record.file = stem + ".error.json";
      Status written = write_atomic(
          error_path,
          collection_error_record(spec, job.region, job.id, *result.error, iso_time(options_.client.now())));
      if (!written)
        record.error->message +=
            fmt::format(" (and the error record could not be written: {})", written.error().message);
    }
    record.elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);

    if (result.ok() && spec.operation == "DescribeRegions" && spec.service == "ec2") {
      std::lock_guard<std::mutex> lock(mu_);
      account.regions_output = result.output;
    }
    queue_children(account, spec, job.region, result);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (options_.on_call) options_.on_call(record);
      account.result.calls.push_back(std::move(record));
    }
  }

  static bool poll_done(const OperationSpec& spec, const JsonValue& output) {
    const JsonValue* v = output.is_object() ? output.get(spec.poll_until_member) : nullptr;
    return v != nullptr && v->is_string() && v->as_string() == spec.poll_until_value;
  }

  // Children are queued while their parent still counts as pending, so the account never looks idle.
  void queue_children(AccountRun& account, const OperationSpec& parent, const std::string& region,
                      const CallResult& result) {
    std::vector<Job> children;
    for (const OperationSpec& child : collected_operations()) {
      std::string_view parent_service = child.parent_service.empty() ? child.service : child.parent_service;
      if (child.parent != parent.operation || parent_service != parent.service || !selected(child)) continue;
      if (child.ids_from.empty()) {
        children.push_back(Job{&account, &child, region, "", JsonValue::object()});
        continue;
      }
      if (!result.ok()) continue;  // no IDs to fan out to; the parent's error record covers them
      for (std::string& id : ids_at(result.output, child.ids_from, child.ids_arn_service)) {
        JsonValue params = JsonValue::object();
        params.set(std::string(child.param), id);
        children.push_back(Job{&account, &child, region, std::move(id), std::move(params)});
      }
    }
    push_all(std::move(children));
  }

  CollectOptions options_;
  std::vector<AccountRun>& accounts_;
  unsigned per_region_limit_ = 4;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<Job> queue_;
  size_t finished_ = 0;  // accounts done
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  std::map<std::pair<const AccountRun*, std::string>, unsigned> busy_;  // workers per account region
  std::map<std::tuple<const AccountRun*, std::string, std::string>, std::unique_ptr<ServiceEndpoint>> endpoints_;
  std::map<std::pair<const AccountRun*, std::string>, std::unique_ptr<RegionHealth>> health_;
};

Status validate(const CollectOptions& options) {
  if (!options.make_transport) return run_error(ErrorCode::kInvalidArgument, "collect: no HTTP transport factory");
  for (const auto* list : {&options.regions, &options.exclude_regions}) {
    for (const std::string& r : *list) {
      if (!looks_like_region(r)) {
        return run_error(ErrorCode::kInvalidArgument, fmt::format("'{}' is not a region name (like us-east-1)", r));
      }
    }
  }
  if (!options.home_region.empty() && !looks_like_region(options.home_region)) {
    return run_error(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a region name (like us-east-1)", options.home_region));
  }
  return {};
}

Status create_output_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    return run_error(ErrorCode::kIo,
                     fmt::format("cannot create {}: {}", dir.string(), ec ? ec.message() : "not a directory"));
  }
  return {};
}

}  // namespace

Expected<std::vector<CollectResult>> collect_accounts(const CollectOptions& shared,
                                                      const std::vector<AccountToCollect>& targets) {
  if (Status ok = validate(shared); !ok) return ok.error();
  const std::string home = !shared.home_region.empty() ? shared.home_region
                           : !shared.regions.empty()   ? shared.regions.front()
                                                       : std::string("us-east-1");
  std::vector<AccountRun> accounts(targets.size());
  for (size_t i = 0; i < targets.size(); ++i) {
    if (targets[i].credentials == nullptr)
      return run_error(ErrorCode::kInvalidArgument, "collect: an account without a credential cache");
    if (Status ok = create_output_dir(targets[i].output_dir); !ok) return ok.error();
    accounts[i].target = targets[i];
    accounts[i].result.account_id = targets[i].account_id;
    accounts[i].result.output_dir = targets[i].output_dir;
    accounts[i].result.home_region = home;
  }
  if (!accounts.empty()) Collection(shared, accounts).run_all();
  std::vector<CollectResult> out;
  out.reserve(accounts.size());
  for (AccountRun& a : accounts) out.push_back(std::move(a.result));
  return out;
}

Expected<CollectResult> collect_account(const CollectOptions& options) {
  if (Status ok = validate(options); !ok) return ok.error();
  if (options.credentials == nullptr)
    return run_error(ErrorCode::kInvalidArgument, "collect: no credential cache");
  // Without credentials every call would fail the same way: say so once instead.
  if (auto creds = options.credentials->get(); !creds) {
    return run_error(ErrorCode::kNotFound,
                     no_credentials_message(creds.error().message));
  }
  if (Status ok = create_output_dir(options.output_dir); !ok) return ok.error();
  auto results = collect_accounts(options, {AccountToCollect{"", options.output_dir, options.credentials, ""}});
  if (!results) return results.error();
  return std::move(results->front());
}

}  // namespace fortress::collect
