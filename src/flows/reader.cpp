#include "flows/reader.h"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include "load/json_syntax.h"

namespace fortress::flows {

namespace detail {
std::string inflate_error_text(int code) {
  switch (code) {
    case ISAL_INVALID_BLOCK: return "invalid deflate block";
    case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK: return "invalid lookback distance";
    case ISAL_INVALID_WRAPPER: return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD: return "unsupported compression method";
    case ISAL_INCORRECT_CHECKSUM: return "CRC mismatch";
    default: return fmt::format("inflate error {}", code);
  }
}
}  // namespace detail

InflateResult inflate_gzip_into(std::string_view compressed, std::string& out) {
  return inflate_gzip(compressed, [&](std::string_view piece) { out.append(piece); });
}

namespace fs = std::filesystem;

S3KeyInfo parse_s3_key(std::string_view path) {
  S3KeyInfo info;
  const size_t slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  // account_vpcflowlogs_region_fl-id_timestamp_hash.log[.gz]
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (pos <= name.size()) {
    size_t us = name.find('_', pos);
    if (us == std::string_view::npos) us = name.size();
    parts.push_back(name.substr(pos, us - pos));
    pos = us + 1;
  }
  if (parts.size() < 5 || parts[1] != "vpcflowlogs") return info;
  if (parts[0].size() != 12 || !std::all_of(parts[0].begin(), parts[0].end(), [](char c) { return c >= '0' && c <= '9'; }))
    return info;
  if (!parts[3].starts_with("fl-")) return info;
  info.account_id = std::string(parts[0]);
  info.region = std::string(parts[2]);
  info.flow_log_id = std::string(parts[3]);
  return info;
}

namespace {

// The complete members of the top-level "events" array of a CloudWatch Logs export cut off (or broken)
// at the end of `text`, as a document of their own: {"events":[...]}. nullopt when `text` is not an
// object or no "events" member's array begins in it. Strings and escapes are followed; nothing else is
// checked (the result is parsed again).
std::optional<std::string> complete_events(std::string_view text) {
  const size_t open = text.find_first_not_of(" \t\r\n");
  if (open == std::string_view::npos || text[open] != '{') return std::nullopt;
  int depth = 0;
  bool in_string = false;
  size_t string_begin = 0;
  std::string_view last_string;  // the last string closed at depth 1
  std::string_view member;       // the name of the top-level member whose value comes next
  size_t events_begin = std::string_view::npos, events_end = 0;
  for (size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') {
        in_string = false;
        if (depth == 1) last_string = text.substr(string_begin, i - string_begin);
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '"') {
      in_string = true;
      string_begin = i + 1;
      continue;
    }
    if (depth == 1 && c == ':') {
      member = last_string;
      continue;
    }
    if (c == '{' || c == '[') {
      if (depth == 1 && c == '[' && member == "events" && events_begin == std::string_view::npos) {
        events_begin = i + 1;
        events_end = i + 1;
      }
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
      if (depth == 2 && events_begin != std::string_view::npos) events_end = i + 1;  // a member just closed
      if (depth == 1 && events_begin != std::string_view::npos && i >= events_begin) break;  // the array closed
    }
    if (depth == 1) member = {};  // a value other than the array began or ended: not after "events":
  }
  if (events_begin == std::string_view::npos) return std::nullopt;
  std::string doc = "{\"events\":[";
  doc.append(text.substr(events_begin, events_end - events_begin));
  doc += "]}";
  return doc;
}

bool keep_name(std::string_view name) {
  return name.ends_with(".log") || name.ends_with(".gz") || name.ends_with(".txt") || name.ends_with(".json") ||
         name.ends_with(".parquet");
}

// A read-only view of a whole file (mmap; empty files give an empty view).
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      error_ = std::strerror(errno);
      return;
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
      error_ = std::strerror(errno);
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      error_ = "is a directory";
      return;
    }
    size_ = size_t(st.st_size);
    if (size_ == 0) return;
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (p == MAP_FAILED) {
      error_ = std::strerror(errno);
      size_ = 0;
      return;
    }
    ::madvise(p, size_, MADV_SEQUENTIAL);
    data_ = static_cast<const char*>(p);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  [[nodiscard]] std::string_view view() const { return {data_ == nullptr ? "" : data_, size_}; }
  // Drops the pages of [begin, end) from memory once read (they are reread from the page cache if
  // touched again): peak memory is the aggregate's, not the input's.
  void release(uint64_t begin, uint64_t end) const {
    if (data_ == nullptr) return;
    const uint64_t page = 4096;
    begin = (begin + page - 1) / page * page;
    end = end >= size_ ? size_ : end / page * page;
    if (end > begin) ::madvise(const_cast<char*>(data_) + begin, end - begin, MADV_DONTNEED);
  }
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  int fd_ = -1;
  const char* data_ = nullptr;
  size_t size_ = 0;
  std::string error_;
};

// ---- format resolution ------------------------------------------------------------------------

// The snapshot's flow logs: their formats by ID, and which logs cover each interface.
class SnapshotFormats {
 public:
  explicit SnapshotFormats(const Account* account) {
    if (account == nullptr) return;
    for (const Region& region : account->regions) {
      for (const FlowLog& log : region.flow_logs) {
        LogFormat f = LogFormat::default_v2();
        if (!log.log_format.empty()) {
          Expected<LogFormat> parsed = parse_log_format(log.log_format);
          if (!parsed) continue;
          f = *parsed;
        }
        by_log_.emplace(std::string(log.id), f);
        if (std::find(distinct_.begin(), distinct_.end(), f) == distinct_.end()) distinct_.push_back(f);
      }
      for (const NetworkInterface& eni : region.network_interfaces) {
        std::vector<std::string> logs;
        for (std::string_view res : {eni.id.view(), eni.subnet_id.view(), eni.vpc_id.view()}) {
          if (res.empty()) continue;
          for (const FlowLog* log : region.flow_logs_for(res)) logs.emplace_back(log->id);
        }
        if (!logs.empty()) covering_.emplace(std::string(eni.id), std::move(logs));
      }
    }
  }
  const LogFormat* for_log(std::string_view id) const {
    auto it = by_log_.find(std::string(id));
    return it == by_log_.end() ? nullptr : &it->second;
  }
  // The format of the first flow log covering the interface.
  const LogFormat* for_interface(std::string_view eni) const {
    auto it = covering_.find(std::string(eni));
    if (it == covering_.end()) return nullptr;
    for (const std::string& log : it->second)
      if (const LogFormat* f = for_log(log)) return f;
    return nullptr;
  }
  // A format under which `line` parses and names an interface a log of that format covers.
  const LogFormat* guess(std::string_view line) const {
    FlowRecord r;
    for (const LogFormat& f : distinct_) {
      if (parse_record(line, f, r)) continue;
      if (r.interface_id.empty()) continue;
      const LogFormat* cover = for_interface(r.interface_id);
      if (cover != nullptr && *cover == f) return &f;
    }
    return nullptr;
  }

 private:
  std::unordered_map<std::string, LogFormat> by_log_;
  std::unordered_map<std::string, std::vector<std::string>> covering_;
  std::vector<LogFormat> distinct_;
};

std::string_view first_line(std::string_view text) {
  const size_t nl = text.find('\n');
  return nl == std::string_view::npos ? text : text.substr(0, nl);
}

// CloudWatch Logs exports to S3 (create-export-task) prefix each message with its ISO timestamp.
bool has_export_timestamp(std::string_view line) {
  return line.size() > 25 && line[4] == '-' && line[10] == 'T' && line.find("Z ") != std::string_view::npos &&
         line.find("Z ") < 32;
}

// ---- the per-thread aggregation state ----------------------------------------------------------

class FlushRounds;

struct Worker {
  Aggregate agg;
  // Records on their way into a flow table, scattered by partition (aggregate.h): agg.flows when the
  // worker is alone, the reader's shared table in flush rounds when `rounds` is set (then the keys
  // carry the shared table's interface numbers, `shared_interface`).
  FlowStager stager;
  FlushRounds* rounds = nullptr;
  size_t index = 0;  // in the rounds
  std::vector<uint32_t> shared_interface;  // agg.interfaces' index -> the shared numbering
  inline void queue(const FlowKey& key, const FlowCounters& c);
  inline uint32_t key_interface(uint32_t local);
  // observations[log][interface], flushed into agg.observations at the end
  std::vector<std::vector<Observation>> obs;
  // Malformed-record samples. A sample from a chunk that does not start its file has line 0 and the
  // line's byte offset; Reader::run counts its line after the reading. Tasks are handed out
  // largest first, so a file's chunks may come in any order: each task keeps its first few, and the
  // worker keeps the run's first max_samples of those in (file, line) order (the order of
  // KeptSample::before), so which are kept does not depend on the order of the tasks.
  struct KeptSample {
    MalformedSample sample;
    uint64_t offset = 0;
    // File, then the lines known (a file's first chunk) before those found by offset (its later ones).
    static bool before(const KeptSample& a, const KeptSample& b) {
      if (a.sample.file != b.sample.file) return a.sample.file < b.sample.file;
      const bool pa = a.sample.line == 0, pb = b.sample.line == 0;
      if (pa != pb) return pb;
      return pa ? a.offset < b.offset : a.sample.line < b.sample.line;
    }
  };
  std::vector<KeptSample> kept_samples;
  size_t max_samples = 20;
  size_t task_samples = 0;             // kept from the current task (one file, or a chunk of one)
  std::string malformed_file_name;     // the file of the last malformed record, and its count
  uint64_t* malformed_file = nullptr;  // in agg.stats.malformed_by_file
  void start_task() { task_samples = 0; }
  // The first max_samples (at most kSamplesPerFile a file) by KeptSample::before.
  void trim_samples() {
    std::sort(kept_samples.begin(), kept_samples.end(), KeptSample::before);
    keep_first_per_file(kept_samples, ReadStats::kSamplesPerFile, max_samples,
                        [](const KeptSample& k) -> const std::string& { return k.sample.file; });
  }
  // The samples into agg.stats, their lines resolved.
  void take_samples() {
    trim_samples();
    for (KeptSample& k : kept_samples) agg.stats.samples.push_back(std::move(k.sample));
    kept_samples.clear();
  }
  std::vector<char> gzip_buffer;  // run_gzip's inflate blocks

  Observation& observation(uint32_t log, uint32_t iface) {
    if (obs.size() <= log) obs.resize(log + 1);
    std::vector<Observation>& v = obs[log];
    if (v.size() <= iface) v.resize(std::max<size_t>(iface + 1, v.size() * 2));
    return v[iface];
  }
  void flush() {
    stager.finish(agg.flows);
    for (uint32_t log = 0; log < obs.size(); ++log)
      for (uint32_t i = 0; i < obs[log].size(); ++i)
        if (obs[log][i].records > 0) agg.observations[{i, log}].add(obs[log][i]);
    obs.clear();
  }
};

// Several workers' stagers fill one flow table in rounds, so that the workers' tables need no merging
// at the end (the merge was a sixth of two threads' time) and hold each key once. Between rounds every
// worker stages into its own stager; a worker whose stager is full asks for a round, the others join
// it at their next record (or at once when they have no more input), and in the round each worker adds
// the records of its own range of partitions from every stager — a partition is touched by one thread
// only, while its part of the table is in that thread's cache. When every worker has run out of input,
// one last round adds what is left.
class FlushRounds {
 public:
  FlushRounds(std::vector<Worker>& workers, Aggregate& into)
      : workers_(workers), table_(into.flows), interfaces_(into.interfaces), barrier_(ptrdiff_t(workers.size())),
        done_(workers.size(), 0) {
    for (size_t i = 0; i < workers.size(); ++i) {
      workers[i].rounds = this;
      workers[i].index = i;
    }
  }
  // The shared number of an interface ID.
  uint32_t interface_number(std::string_view id) {
    std::lock_guard lock(ids_mutex_);
    return interfaces_.id(id);
  }
  // After a record: joins the round another worker asked for, if there is one.
  void checkpoint(size_t w) {
    if (requested_.load(std::memory_order_acquire) > done_[w]) round(w);
  }
  // Worker w's stager is full: a round, now.
  void request(size_t w) {
    {
      std::lock_guard lock(mutex_);
      if (requested_.load(std::memory_order_relaxed) < done_[w] + 1) requested_.store(done_[w] + 1, std::memory_order_release);
    }
    wake_.notify_all();
    round(w);
  }
  // Worker w has no more input: it joins rounds until the last one.
  void finish(size_t w) {
    std::unique_lock lock(mutex_);
    ++finished_;
    wake_.notify_all();
    for (;;) {
      if (finished_ == workers_.size() && final_ == 0) {
        final_ = requested_.load(std::memory_order_relaxed) + 1;
        requested_.store(final_, std::memory_order_release);
        wake_.notify_all();
      }
      if (final_ != 0 && done_[w] >= final_) return;
      if (requested_.load(std::memory_order_relaxed) > done_[w]) {
        lock.unlock();
        round(w);
        lock.lock();
        continue;
      }
      wake_.wait(lock);
    }
  }

 private:
  void round(size_t w) {
    barrier_.arrive_and_wait();  // every worker has stopped staging
    const size_t n = FlowTable::kPartitions, count = workers_.size();
    for (size_t p = n * w / count, end = n * (w + 1) / count; p < end; ++p) {
      size_t records = 0;
      for (const Worker& x : workers_) records += x.stager.staged_in(p);
      if (records == 0) continue;
      const bool streamed = table_.ready_partition(p, records);
      for (Worker& x : workers_) x.stager.flush_partition(table_, p, streamed);
    }
    if (w == 0) {
      for (Worker& x : workers_) x.stager.flush_wide(table_);
    }
    barrier_.arrive_and_wait();  // every partition is in; nobody adds to the table until the next round
    workers_[w].stager.after_round(table_.size());
    ++done_[w];
  }

  std::vector<Worker>& workers_;
  FlowTable& table_;
  TextTable& interfaces_;
  std::mutex ids_mutex_;
  std::barrier<> barrier_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<uint64_t> requested_{0};  // rounds asked for so far
  std::vector<uint64_t> done_;          // rounds each worker has taken part in (its own entry only)
  size_t finished_ = 0;                 // workers out of input (under mutex_)
  uint64_t final_ = 0;                  // the last round, once every worker is out of input (under mutex_)
};

inline uint32_t Worker::key_interface(uint32_t local) {
  if (rounds == nullptr) return local;
  while (shared_interface.size() <= local)
    shared_interface.push_back(rounds->interface_number(agg.interfaces.texts()[shared_interface.size()]));
  return shared_interface[local];
}

inline void Worker::queue(const FlowKey& key, const FlowCounters& c) {
  if (rounds == nullptr) {
    stager.stage(agg.flows, key, c.packets, c.bytes, c.first_start, c.last_end);
  } else if (!stager.offer(key, c.packets, c.bytes, c.first_start, c.last_end)) {
    rounds->request(index);
  } else {
    rounds->checkpoint(index);
  }
}

struct FileContext {
  std::string name;  // as given / found
  const LogFormat* format = nullptr;
  bool attributable = true;
  bool strip_timestamp = false;
  uint32_t flow_log = 0;  // index into the worker's flow_logs (0 = unknown)
  bool v2_default = false;  // the columns are the default v2 format's: parse_record_v2() first
};

void sample(Worker& w, const FileContext& file, uint64_t line, uint64_t offset, std::string reason) {
  ++w.agg.stats.malformed;
  if (w.malformed_file == nullptr || w.malformed_file_name != file.name) {
    w.malformed_file_name = file.name;
    w.malformed_file = &w.agg.stats.malformed_by_file[file.name];
  }
  ++*w.malformed_file;
  // A task reads its lines in order: its first few hold every one of the file's first few it has.
  if (w.task_samples >= ReadStats::kSamplesPerFile) return;
  ++w.task_samples;
  w.kept_samples.push_back({{file.name, line, std::move(reason)}, offset});
  if (w.kept_samples.size() >= 4 * w.max_samples + 2 * ReadStats::kSamplesPerFile) w.trim_samples();
}

// A parsed record into the aggregate: a FlowRecord of any format, or a V2Record of the default v2 format
// (no pkt-srcaddr/pkt-dstaddr, tcp-flags or flow-direction).
template <class R>
inline void add_record(Worker& w, const FileContext& file, const R& r, uint64_t line_no, uint64_t offset) {
  constexpr bool kFull = std::is_same_v<R, FlowRecord>;
  Aggregate& agg = w.agg;
  if (r.interface_id.empty()) {
    if (r.log_status == LogStatus::kOk)
      sample(w, file, line_no, offset, "interface-id is \"-\" in an OK record");
    return;
  }
  const uint32_t iface = agg.interfaces.id(r.interface_id);
  Observation& o = w.observation(file.flow_log, iface);
  ++o.records;
  if (r.start != 0) o.first_start = std::min(o.first_start, r.start);
  if (r.end != 0) o.last_end = std::max(o.last_end, r.end);
  if (r.log_status != LogStatus::kOk) {
    if (r.log_status == LogStatus::kNoData) {
      ++o.nodata;
      ++agg.stats.nodata;
    } else {
      ++o.skipdata;
      ++agg.stats.skipdata;
    }
    return;
  }
  if (!file.attributable) {
    ++agg.stats.unattributable;
    return;
  }
  const IpAddress* src_p = &r.src;
  const IpAddress* dst_p = &r.dst;
  int16_t tcp_flags = -1;
  FlowDirection direction = FlowDirection::kUnknown;
  if constexpr (kFull) {
    if (r.has_pkt_src) src_p = &r.pkt_src;
    if (r.has_pkt_dst) dst_p = &r.pkt_dst;
    tcp_flags = r.tcp_flags;
    direction = r.flow_direction;
  }
  const IpAddress& src = *src_p;
  const IpAddress& dst = *dst_p;
  if (!r.has_src || !r.has_dst || r.protocol < 0 || r.action == Action::kNone) {
    sample(w, file, line_no, offset,
           !r.has_src ? "srcaddr is \"-\" in an OK record"
           : !r.has_dst ? "dstaddr is \"-\" in an OK record"
           : r.protocol < 0 ? "protocol is \"-\" in an OK record"
                            : "action is \"-\" in an OK record");
    return;
  }
  if (src.family != dst.family) {
    sample(w, file, line_no, offset, "source and destination addresses are of different families");
    return;
  }
  FlowKey key;
  key.src = src.value;
  key.dst = dst.value;
  key.v6 = src.family == IpFamily::kV6 ? 1 : 0;
  key.interface = w.key_interface(iface);
  key.protocol = uint8_t(r.protocol);
  key.action = uint8_t(r.action);
  key.direction = uint8_t(direction);
  const bool ports = r.protocol == proto::kTcp || r.protocol == proto::kUdp;
  const Initiator who = initiator_of(r.protocol, tcp_flags, r.src_port, r.dst_port);
  key.initiator = uint8_t(who);
  if (ports) {
    key.src_port = src_initiated(who) ? 0 : r.src_port;
    key.dst_port = dst_initiated(who) ? 0 : r.dst_port;
  }
  w.queue(key, FlowCounters{1, r.packets, r.bytes, r.start != 0 ? r.start : UINT32_MAX, r.end});
}

// The hot path: one record line. `tail_readable`: 16 bytes after the line's end may be read (the
// default-v2 fast parser's condition).
inline void process_line(Worker& w, const FileContext& file, std::string_view line, uint64_t line_no,
                         uint64_t offset, FlowRecord& r, bool tail_readable) {
  if (file.strip_timestamp) {
    const size_t sp = line.find(' ');
    if (sp != std::string_view::npos) line.remove_prefix(sp + 1);
  }
  ++w.agg.stats.records;
  if (file.v2_default && tail_readable) {
    V2Record v;
    if (parse_record_v2(line, v)) {
      add_record(w, file, v, line_no, offset);
      return;
    }
  }
  const RecordError err = parse_record(line, *file.format, r);
  if (err) {
    sample(w, file, line_no, offset, describe(err, *file.format, line));
    return;
  }
  add_record(w, file, r, line_no, offset);
}

// Lines of [begin, end) of a text; `line_no` is the 1-based number of the first (0 = unknown, resolved
// later from `base_offset`).
uint64_t process_lines(Worker& w, const FileContext& file, const char* begin, const char* end, uint64_t line_no,
                       uint64_t base_offset) {
  FlowRecord r;
  const char* p = begin;
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
    const char* stop = nl == nullptr ? end : nl;
    if (stop > p && !(stop - p == 1 && *p == '\r'))
      process_line(w, file, std::string_view(p, size_t(stop - p)), line_no, base_offset + uint64_t(p - begin), r,
                   end - stop >= 16);
    if (line_no != 0) ++line_no;
    p = stop + 1;
  }
  return line_no;
}

// ---- tasks ------------------------------------------------------------------------------------

enum class InputKind : uint8_t { kText, kGzip, kCloudWatchJson, kParquet };

struct Task {
  size_t file = 0;  // index into files
  uint64_t begin = 0;
  uint64_t end = 0;
  bool first = true;  // holds the start of the file (header line, line numbers known)
};

struct InputFile {
  std::string path;
  InputKind kind = InputKind::kText;
  uint64_t size = 0;
  S3KeyInfo key;
  std::shared_ptr<MappedFile> map;
  // For text files, resolved before the tasks run.
  LogFormat format;
  bool has_header = false;
  bool strip_timestamp = false;
};

class Reader {
 public:
  Reader(const ReadOptions& options) : options_(options), formats_(options.account) {}

  // Chooses the format of headerless input from its first data line.
  const LogFormat& headerless_format(std::string_view flow_log_id, std::string_view line, std::string& source) {
    if (options_.format_override) {
      source = "--format-string";
      return *options_.format_override;
    }
    if (!flow_log_id.empty()) {
      if (const LogFormat* f = formats_.for_log(flow_log_id)) {
        source = std::string(flow_log_id);
        return *f;
      }
    }
    if (const LogFormat* f = formats_.guess(line)) {
      source = "snapshot";
      return *f;
    }
    source = "default";
    return LogFormat::default_v2();
  }

  void resolve_context(Worker& w, FileContext& ctx, const InputFile& in, const LogFormat& format) {
    ctx.name = in.path;
    ctx.format = &format;
    ctx.strip_timestamp = in.strip_timestamp;
    ctx.flow_log = w.agg.flow_logs.id(in.key.flow_log_id);
    ctx.attributable = format.missing_for_attribution().empty();
    ctx.v2_default = format.fields == LogFormat::default_v2().fields;
  }

  void note_format(Worker& w, const InputFile& in, const LogFormat& format) {
    const std::vector<std::string_view> missing = format.missing_for_attribution();
    if (!missing.empty()) {
      std::string names;
      for (std::string_view m : missing) names += (names.empty() ? "" : ", ") + std::string(m);
      w.agg.stats.issues.push_back({FileIssue::Level::kWarning, in.path,
                                    fmt::format("its format lacks {}: records are counted but not attributed "
                                                "to rules",
                                                names)});
    }
    if (!format.unknown_names.empty()) {
      std::string names;
      for (const std::string& m : format.unknown_names) names += (names.empty() ? "" : ", ") + m;
      w.agg.stats.issues.push_back(
          {FileIssue::Level::kWarning, in.path, fmt::format("fields unknown to this fortress are skipped: {}", names)});
    }
  }

  void run_text(Worker& w, InputFile& in, const Task& t) {
    const std::string_view all = in.map->view();
    FileContext ctx;
    resolve_context(w, ctx, in, in.format);
    const char* begin = all.data() + t.begin;
    const char* end = all.data() + t.end;
    uint64_t line_no = t.first ? 1 : 0;
    if (t.first && in.has_header) {
      const char* nl = static_cast<const char*>(std::memchr(begin, '\n', size_t(end - begin)));
      begin = nl == nullptr ? end : nl + 1;
      line_no = 2;
    }
    process_lines(w, ctx, begin, end, line_no, uint64_t(begin - all.data()));
  }

  // Inflated in 4 MiB blocks straight into the worker's buffer, each block's complete lines parsed
  // where they were inflated; only a cut-off last line is moved to the front for the next block.
  void run_gzip(Worker& w, InputFile& in) {
    const std::string_view compressed = in.map->view();
    w.agg.stats.compressed_bytes += compressed.size();
    constexpr size_t kBlock = size_t(4) << 20;
    if (w.gzip_buffer.size() < kBlock) w.gzip_buffer.resize(kBlock);
    FileContext ctx;
    bool started = false;
    LogFormat format;
    uint64_t line_no = 1;
    size_t kept = 0;
    auto handle = [&](char* data, size_t filled) -> size_t {
      const std::string_view text(data, filled);
      size_t begin = 0;
      if (!started) {
        const size_t nl = text.find('\n');
        if (nl == std::string_view::npos && filled < (1u << 16)) return kept = filled;
        started = true;
        std::string_view first = first_line(text);
        if (is_header_line(first)) {
          Expected<LogFormat> f = parse_log_format(first);
          if (f) {
            format = *f;
          } else {
            w.agg.stats.issues.push_back({FileIssue::Level::kError, in.path,
                                          "header line is not a flow log format (" + f.error().message +
                                              "); the default format is used"});
            format = LogFormat::default_v2();
          }
          begin = nl == std::string_view::npos ? filled : nl + 1;
          line_no = 2;
        } else {
          std::string source;
          in.strip_timestamp = has_export_timestamp(first);
          std::string_view probe = first;
          if (in.strip_timestamp) probe.remove_prefix(std::min(probe.size(), probe.find(' ') + 1));
          format = headerless_format(in.key.flow_log_id, probe, source);
        }
        note_format(w, in, format);
        resolve_context(w, ctx, in, format);
      }
      const size_t last_nl = text.rfind('\n');
      if (last_nl == std::string_view::npos || last_nl < begin) {
        if (filled - begin > (size_t(1) << 20)) {  // a "line" of 1 MiB is not a record
          sample(w, ctx, line_no, 0, "line longer than 1 MiB");
          return kept = 0;
        }
        return kept = filled - begin;
      }
      line_no = process_lines(w, ctx, data + begin, data + last_nl + 1, line_no, 0);
      return kept = filled - (last_nl + 1);
    };
    char* const buffer = w.gzip_buffer.data();
    const InflateResult res = inflate_gzip_blocks(compressed, buffer, kBlock, handle);
    if (!started && kept > 0) {
      started = true;
      std::string source;
      format = headerless_format(in.key.flow_log_id, first_line(std::string_view(buffer, kept)), source);
      resolve_context(w, ctx, in, format);
    }
    w.agg.stats.bytes += res.out_bytes;
    if (!res.error.empty()) {
      w.agg.stats.issues.push_back({FileIssue::Level::kError, in.path,
                                    fmt::format("{}; the {} bytes inflated before it were read", res.error,
                                                res.out_bytes)});
      if (kept > 0) {
        sample(w, ctx, line_no, 0, "last line cut off by the end of the gzip data");
        kept = 0;
      }
    }
    if (kept > 0 && ctx.format != nullptr) process_lines(w, ctx, buffer, buffer + kept, line_no, 0);
  }

  void run_cloudwatch(Worker& w, InputFile& in) { run_cloudwatch_text(w, in, in.map->view()); }

  void run_cloudwatch_text(Worker& w, const InputFile& in, std::string_view text) {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(text);
    simdjson::dom::element doc;
    if (parser.parse(padded).get(doc) != simdjson::SUCCESS) {
      // Name the line, and keep the events before it (a download cut off, a file truncated).
      const std::optional<load::JsonSyntaxError> err = load::find_json_syntax_error(text);
      const size_t at = err ? std::min(err->offset, text.size()) : text.size();
      const std::string where =
          fmt::format("not valid JSON at line {}: {}", load::line_of_offset(text, at), err ? err->message : "malformed");
      const std::optional<std::string> salvaged = complete_events(text.substr(0, at));
      if (!salvaged || parser.parse(simdjson::padded_string(*salvaged)).get(doc) != simdjson::SUCCESS) {
        w.agg.stats.issues.push_back({FileIssue::Level::kError, in.path, where + "; not a CloudWatch Logs export"});
        return;
      }
      simdjson::dom::array kept;
      const size_t n = doc["events"].get(kept) == simdjson::SUCCESS ? kept.size() : 0;
      w.agg.stats.issues.push_back(
          {FileIssue::Level::kError, in.path, fmt::format("{}; the {} complete event(s) before it were read", where, n)});
    }
    simdjson::dom::array events;
    if (doc["events"].get(events) != simdjson::SUCCESS) {
      w.agg.stats.issues.push_back({FileIssue::Level::kError, in.path,
                                    "JSON without an \"events\" array: not an `aws logs filter-log-events` or "
                                    "`get-log-events` export"});
      return;
    }
    std::map<std::string, std::pair<const LogFormat*, FileContext>> by_stream;
    FlowRecord r;
    uint64_t index = 0;
    for (simdjson::dom::element ev : events) {
      ++index;
      std::string_view message;
      if (ev["message"].get(message) != simdjson::SUCCESS) {
        FileContext ctx;
        ctx.name = in.path;
        ++w.agg.stats.records;
        sample(w, ctx, index, 0, "event without a \"message\" string");
        continue;
      }
      std::string_view stream;
      if (ev["logStreamName"].get(stream) != simdjson::SUCCESS) stream = "";
      auto it = by_stream.find(std::string(stream));
      if (it == by_stream.end()) {
        const LogFormat* f = nullptr;
        if (options_.format_override) {
          f = &*options_.format_override;
        } else {
          // Streams are named after the interface: "eni-0123abcd-all" / "eni-0123abcd-accept".
          std::string_view eni = stream;
          if (eni.starts_with("eni-")) {
            const size_t dash = eni.find('-', 4);
            if (dash != std::string_view::npos) eni = eni.substr(0, dash);
            f = formats_.for_interface(eni);
          }
          if (f == nullptr) f = formats_.guess(message);
          if (f == nullptr) f = &LogFormat::default_v2();
        }
        FileContext ctx;
        resolve_context(w, ctx, in, *f);
        it = by_stream.emplace(std::string(stream), std::make_pair(f, ctx)).first;
        note_format(w, in, *f);
      }
      w.agg.stats.bytes += message.size();
      std::string_view line = message;
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
      process_line(w, it->second.second, line, index, 0, r, false);
    }
  }

  void cloudwatch(std::string_view json, std::string_view name, Aggregate& into) {
    Worker w;
    w.max_samples = options_.max_samples;
    InputFile in;
    in.path = std::string(name);
    in.key = parse_s3_key(name);
    ++w.agg.stats.files;
    run_cloudwatch_text(w, in, json);
    w.flush();
    w.take_samples();
    w.agg.stats.note_malformed_files();
    into.merge(std::move(w.agg), options_.max_samples);
  }

  Aggregate run(std::span<const std::string> paths) {
    Aggregate result;
    std::vector<FileIssue> issues;
    std::vector<std::string> listed = list_inputs(paths, issues);
    for (FileIssue& i : issues) result.stats.issues.push_back(std::move(i));

    // Open, classify and plan.
    std::vector<Task> tasks;
    Worker planner;
    planner.max_samples = options_.max_samples;
    for (std::string& path : listed) {
      InputFile in;
      in.path = std::move(path);
      in.map = std::make_shared<MappedFile>(in.path);
      if (!in.map->error().empty()) {
        result.stats.issues.push_back({FileIssue::Level::kError, in.path, "cannot read: " + in.map->error()});
        continue;
      }
      const std::string_view data = in.map->view();
      in.size = data.size();
      in.key = parse_s3_key(in.path);
      ++result.stats.files;
      if (data.size() >= 2 && uint8_t(data[0]) == 0x1f && uint8_t(data[1]) == 0x8b) {
        in.kind = InputKind::kGzip;
      } else if (data.size() >= 4 && data.substr(0, 4) == "PAR1") {
        in.kind = InputKind::kParquet;
        result.stats.issues.push_back(
            {FileIssue::Level::kError, in.path,
             "Parquet flow logs are not supported: no Debian package reads Parquet; deliver the flow log as "
             "plain-text (FileFormat plain-text) or convert with Athena (fortress flows --emit-athena)"});
        continue;
      } else {
        const size_t nonspace = data.find_first_not_of(" \t\r\n");
        if (nonspace != std::string_view::npos && (data[nonspace] == '{' || data[nonspace] == '[')) {
          in.kind = InputKind::kCloudWatchJson;
        } else {
          in.kind = InputKind::kText;
          if (data.empty()) continue;
          const std::string_view first = first_line(data);
          if (is_header_line(first)) {
            Expected<LogFormat> f = parse_log_format(first);
            if (f) {
              in.format = *f;
              in.has_header = true;
            } else {
              result.stats.issues.push_back({FileIssue::Level::kError, in.path,
                                             "header line is not a flow log format (" + f.error().message +
                                                 "); the default format is used"});
              in.format = LogFormat::default_v2();
              in.has_header = true;
            }
          } else {
            std::string source;
            in.strip_timestamp = has_export_timestamp(first);
            std::string_view probe = first;
            if (in.strip_timestamp) probe.remove_prefix(std::min(probe.size(), probe.find(' ') + 1));
            in.format = headerless_format(in.key.flow_log_id, probe, source);
          }
          note_format(planner, in, in.format);
          result.stats.bytes += data.size();
        }
      }
      files_.push_back(std::move(in));
      const size_t idx = files_.size() - 1;
      const InputFile& f = files_.back();
      if (f.kind == InputKind::kText && f.size > options_.chunk_bytes) {
        uint64_t begin = 0;
        while (begin < f.size) {
          uint64_t end = std::min<uint64_t>(f.size, begin + options_.chunk_bytes);
          if (end < f.size) {
            const char* nl = static_cast<const char*>(std::memchr(data.data() + end, '\n', f.size - end));
            end = nl == nullptr ? f.size : uint64_t(nl - data.data()) + 1;
          }
          tasks.push_back({idx, begin, end, begin == 0});
          begin = end;
        }
      } else {
        tasks.push_back({idx, 0, f.size, true});
      }
    }
    planner.take_samples();
    result.stats.add(std::move(planner.agg.stats), options_.max_samples);
    std::stable_sort(tasks.begin(), tasks.end(), [](const Task& a, const Task& b) { return a.end - a.begin > b.end - b.begin; });

    unsigned threads = options_.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options_.threads;
    threads = unsigned(std::min<size_t>(threads, std::max<size_t>(1, tasks.size())));
    std::vector<Worker> workers(threads);
    for (Worker& w : workers) w.stager.set_min_limit(options_.stage_records);
    FlushRounds rounds(workers, result);
    std::atomic<size_t> next{0};
    auto work = [&](Worker& w) {
      w.max_samples = options_.max_samples;
      for (size_t i = next++; i < tasks.size(); i = next++) {
        w.start_task();
        InputFile& in = files_[tasks[i].file];
        switch (in.kind) {
          case InputKind::kText:
            run_text(w, in, tasks[i]);
            in.map->release(tasks[i].begin, tasks[i].end);
            break;
          case InputKind::kGzip:
            run_gzip(w, in);
            in.map->release(0, in.size);
            break;
          case InputKind::kCloudWatchJson: run_cloudwatch(w, in); break;
          case InputKind::kParquet: break;
        }
      }
      rounds.finish(w.index);  // the last round adds what every stager holds
      w.flush();               // the observations (the flow keys are in the shared table already)
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, std::ref(workers[t]));
    work(workers[0]);
    for (std::thread& t : pool) t.join();

    // Line numbers of samples from chunks that did not start the file: each file's newlines counted
    // once, up to its last such sample.
    std::vector<Worker::KeptSample*> pending;
    for (Worker& w : workers) {
      w.trim_samples();
      for (Worker::KeptSample& k : w.kept_samples)
        if (k.sample.line == 0) pending.push_back(&k);
    }
    std::sort(pending.begin(), pending.end(), [](const Worker::KeptSample* a, const Worker::KeptSample* b) {
      return Worker::KeptSample::before(*a, *b);
    });
    for (size_t i = 0; i < pending.size();) {
      const std::string& file = pending[i]->sample.file;
      size_t j = i;
      while (j < pending.size() && pending[j]->sample.file == file) ++j;
      const InputFile* f = nullptr;
      for (const InputFile& in : files_)
        if (in.path == file && in.map != nullptr) f = &in;
      if (f != nullptr) {
        const std::string_view v = f->map->view();
        uint64_t at = 0, lines = 1;
        for (size_t k = i; k < j; ++k) {
          const uint64_t to = std::max(at, std::min<uint64_t>(pending[k]->offset, v.size()));
          lines += uint64_t(std::count(v.data() + at, v.data() + to, '\n'));
          at = to;
          pending[k]->sample.line = lines;
        }
      }
      i = j;
    }
    for (Worker& w : workers) w.take_samples();
    for (Worker& w : workers) result.merge(std::move(w.agg), options_.max_samples, threads);
    return result;
  }

 private:
  const ReadOptions& options_;
  SnapshotFormats formats_;
  std::vector<InputFile> files_;
};

}  // namespace

std::vector<std::string> list_inputs(std::span<const std::string> paths, std::vector<FileIssue>& issues) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      issues.push_back({FileIssue::Level::kError, p, "no such file or directory"});
      continue;
    }
    if (fs::is_directory(st)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const std::string name = it->path().filename().string();
        if (keep_name(name)) found.push_back(it->path().string());
      }
      if (ec) issues.push_back({FileIssue::Level::kError, p, "cannot walk the directory: " + ec.message()});
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(p);
    }
  }
  return out;
}

void aggregate_cloudwatch_export(std::string_view json, std::string_view name, const ReadOptions& options,
                                 Aggregate& into) {
  Reader reader(options);
  reader.cloudwatch(json, name, into);
}

Aggregate read_flow_logs(std::span<const std::string> paths, const ReadOptions& options) {
  Reader reader(options);
  Aggregate result = reader.run(paths);
  result.stats.note_malformed_files();
  return result;
}

void aggregate_text(std::string_view text, std::string_view name, const LogFormat& format, Aggregate& into,
                    size_t max_samples) {
  Worker w;
  w.max_samples = max_samples;
  FileContext ctx;
  ctx.name = std::string(name);
  LogFormat header;
  ctx.format = &format;
  uint64_t line_no = 1;
  const std::string_view first = first_line(text);
  if (is_header_line(first)) {
    Expected<LogFormat> f = parse_log_format(first);
    if (f) {
      header = *f;
      ctx.format = &header;
    }
    text.remove_prefix(std::min(text.size(), first.size() + 1));
    line_no = 2;
  }
  ctx.attributable = ctx.format->missing_for_attribution().empty();
  ctx.v2_default = ctx.format->fields == LogFormat::default_v2().fields;
  ctx.flow_log = w.agg.flow_logs.id(parse_s3_key(name).flow_log_id);
  w.agg.stats.bytes += text.size();
  ++w.agg.stats.files;
  process_lines(w, ctx, text.data(), text.data() + text.size(), line_no, 0);
  w.flush();
  w.take_samples();
  w.agg.stats.note_malformed_files();
  into.merge(std::move(w.agg), max_samples);
}

}  // namespace fortress::flows
