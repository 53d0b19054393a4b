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
  return region_list_error.empty() && !cancelled && failed() == 0;
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
  JsonValue record = JsonValue::object();
  record.set("Service", spec.cli_service);
  record.set("Command", spec.command);
  record.set("Region", spec.scope == Scope::kAccount ? std::string_view() : region);
  record.set("ErrorCode", error.code);
  record.set("Message", error.message);
  record.set("ExitCode", error.service_error() ? 254 : 255);
  record.set("Time", time);
  if (spec.operation == "GetManagedPrefixListEntries" && !id.empty()) record.set("PrefixListId", id);
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

// Writes `text` to `path` through `path`.tmp and a rename, so a reader never sees half a file.
Status write_atomic(const fs::path& path, std::string_view text) {
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

// Stands in when the transport factory gives nothing: every call fails, and says why.
class NoTransport final : public aws::HttpTransport {
 public:
  Expected<aws::HttpReply> send(const aws::HttpCall&) override {
    return run_error(ErrorCode::kIo, "no HTTP transport could be created");
  }
};

struct Job {
  const OperationSpec* spec = nullptr;
  std::string region;  // the region the call is made in (the home region for account-wide rows)
  std::string id;
  JsonValue params;
};

// The work of one collection, shared by the workers.
class Collection {
 public:
  explicit Collection(const CollectOptions& options) : options_(options) {
    if (!options_.client.sleep)
      options_.client.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
    if (!options_.client.now) options_.client.now = [] { return aws::Clock::now(); };
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

  // Queues a job; a worker picks it up.
  void push(Job job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(std::move(job));
      ++pending_;
    }
    work_cv_.notify_one();
  }

  // Blocks until every queued job, and every job those queued, has finished.
  void wait_idle() {
    std::unique_lock<std::mutex> lock(mu_);
    idle_cv_.wait(lock, [this] { return pending_ == 0; });
  }

  void start(unsigned workers) {
    for (unsigned i = 0; i < workers; ++i) {
      threads_.emplace_back([this] { worker(); });
    }
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    work_cv_.notify_all();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

  std::vector<CallRecord> take_records() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(records_);
  }

  [[nodiscard]] bool cancelled() const { return options_.cancel != nullptr && options_.cancel->load(); }
  [[nodiscard]] bool dropped() {
    std::lock_guard<std::mutex> lock(mu_);
    return dropped_;
  }

  // The output of a successful call kept for the collector itself (DescribeRegions).
  std::optional<JsonValue> regions_output;

 private:
  void worker() {
    std::unique_ptr<aws::HttpTransport> transport = options_.make_transport();
    if (!transport) transport = std::make_unique<NoTransport>();
    AwsClient client(*transport, *options_.credentials, options_.client);
    for (;;) {
      Job job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      if (cancelled()) {
        std::lock_guard<std::mutex> lock(mu_);
        dropped_ = true;
      } else {
        run(client, job);
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (--pending_ == 0) idle_cv_.notify_all();
      }
    }
  }

  aws::RetryStrategy& retry_for(const OperationSpec& spec, const std::string& region) {
    std::lock_guard<std::mutex> lock(mu_);
    auto key =
        std::make_pair(std::string(spec.service), spec.scope == Scope::kAccount ? std::string() : region);
    auto it = retry_.find(key);
    if (it == retry_.end()) {
      it = retry_.emplace(key, std::make_unique<aws::RetryStrategy>(options_.retry, options_.random01)).first;
    }
    return *it->second;
  }

  void run(AwsClient& client, const Job& job) {
    const OperationSpec& spec = *job.spec;
    const auto started = std::chrono::steady_clock::now();
    aws::RetryStrategy& retry = retry_for(spec, job.region);
    CallResult result = client.call(spec.service, spec.operation, job.region, job.params, retry);
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
      CallResult again = client.call(spec.service, spec.operation, job.region, job.params, retry);
      again.attempts += result.attempts;
      again.retries += result.retries;
      result = std::move(again);
    }

    CallRecord record;
    record.spec = &spec;
    record.region = spec.scope == Scope::kAccount ? std::string() : job.region;
    record.id = job.id;
    record.attempts = result.attempts;
    record.retries = result.retries;
    record.pages = result.pages;
    const std::string stem = snapshot_stem(spec, job.region, job.id);
    const fs::path json_path = options_.output_dir / (stem + ".json");
    const fs::path error_path = options_.output_dir / (stem + ".error.json");
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
      regions_output = result.output;
    }
    queue_children(spec, job.region, result);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (options_.on_call) options_.on_call(record);
      records_.push_back(std::move(record));
    }
  }

  static bool poll_done(const OperationSpec& spec, const JsonValue& output) {
    const JsonValue* v = output.is_object() ? output.get(spec.poll_until_member) : nullptr;
    return v != nullptr && v->is_string() && v->as_string() == spec.poll_until_value;
  }

  void queue_children(const OperationSpec& parent, const std::string& region, const CallResult& result) {
    for (const OperationSpec& child : collected_operations()) {
      std::string_view parent_service = child.parent_service.empty() ? child.service : child.parent_service;
      if (child.parent != parent.operation || parent_service != parent.service || !selected(child)) continue;
      if (child.ids_from.empty()) {
        push(Job{&child, region, "", JsonValue::object()});
        continue;
      }
      if (!result.ok()) continue;  // no IDs to fan out to; the parent's error record covers them
      for (std::string& id : ids_at(result.output, child.ids_from, child.ids_arn_service)) {
        JsonValue params = JsonValue::object();
        params.set(std::string(child.param), id);
        push(Job{&child, region, std::move(id), std::move(params)});
      }
    }
  }

  CollectOptions options_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable idle_cv_;
  std::deque<Job> queue_;
  size_t pending_ = 0;
  bool stopping_ = false;
  bool dropped_ = false;  // a queued job was dropped because the run was cancelled
  std::vector<std::thread> threads_;
  std::vector<CallRecord> records_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<aws::RetryStrategy>> retry_;
};

std::vector<std::string> dedupe_sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

Expected<CollectResult> collect_account(const CollectOptions& options) {
  if (!options.make_transport)
    return run_error(ErrorCode::kInvalidArgument, "collect: no HTTP transport factory");
  if (options.credentials == nullptr)
    return run_error(ErrorCode::kInvalidArgument, "collect: no credential cache");
  for (const auto* list : {&options.regions, &options.exclude_regions}) {
    for (const std::string& r : *list) {
      if (!looks_like_region(r)) {
        return run_error(ErrorCode::kInvalidArgument,
                         fmt::format("'{}' is not a region name (like us-east-1)", r));
      }
    }
  }
  if (!options.home_region.empty() && !looks_like_region(options.home_region)) {
    return run_error(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a region name (like us-east-1)", options.home_region));
  }
  // Without credentials every call would fail the same way: say so once instead.
  if (auto creds = options.credentials->get(); !creds) {
    return run_error(ErrorCode::kNotFound,
                     "no AWS credentials: " + scrub_credentials(creds.error().message, nullptr));
  }
  std::error_code ec;
  fs::create_directories(options.output_dir, ec);
  if (ec || !fs::is_directory(options.output_dir)) {
    return run_error(ErrorCode::kIo, fmt::format("cannot create {}: {}", options.output_dir.string(),
                                                 ec ? ec.message() : "not a directory"));
  }

  CollectResult out;
  out.home_region = !options.home_region.empty() ? options.home_region
                    : !options.regions.empty()   ? options.regions.front()
                                                 : std::string("us-east-1");
  Collection collection(options);
  collection.start(std::max(1u, options.max_in_flight));

  // Phase 1: who we are and where the account is enabled.
  auto is_phase_one = [](const OperationSpec& s) {
    return s.operation == "GetCallerIdentity" || (s.service == "ec2" && s.operation == "DescribeRegions");
  };
  for (const OperationSpec& spec : collected_operations()) {
    if (is_phase_one(spec) && collection.selected(spec))
      collection.push(Job{&spec, out.home_region, "", JsonValue::object()});
  }
  collection.wait_idle();

  std::vector<std::string> regions;
  if (!options.regions.empty()) {
    regions = options.regions;
  } else if (collection.regions_output) {
    regions = enabled_regions(*collection.regions_output);
  } else {
    out.region_list_error =
        "ec2 DescribeRegions failed (see ec2/describe-regions.error.json); name the regions to "
        "collect with --regions";
  }
  std::erase_if(regions, [&](const std::string& r) {
    return std::find(options.exclude_regions.begin(), options.exclude_regions.end(), r) !=
           options.exclude_regions.end();
  });
  out.regions = dedupe_sorted(std::move(regions));

  // Phase 2: everything else; fan-out rows are queued by their parents.
  for (const OperationSpec& spec : collected_operations()) {
    if (is_phase_one(spec) || !spec.parent.empty() || !collection.selected(spec)) continue;
    if (spec.scope == Scope::kAccount) {
      collection.push(Job{&spec, out.home_region, "", JsonValue::object()});
      continue;
    }
    for (const std::string& region : out.regions)
      collection.push(Job{&spec, region, "", JsonValue::object()});
  }
  collection.wait_idle();
  collection.stop();

  out.cancelled = collection.cancelled() || collection.dropped();
  out.calls = collection.take_records();
  std::sort(out.calls.begin(), out.calls.end(),
            [](const CallRecord& a, const CallRecord& b) { return a.file < b.file; });
  return out;
}

}  // namespace fortress::collect
