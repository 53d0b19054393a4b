// The snapshot directory: walk it, read and parse its JSON files in parallel, assemble the Account.
#include "load/snapshot.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <numeric>
#include <system_error>
#include <unordered_set>
#include <utility>

#include "load/file_parser.h"
#include "load/loader.h"
#include "util/allocator.h"
#include "util/parallel.h"

namespace fortress {

namespace fs = std::filesystem;

std::string LoadDiagnostic::to_string() const {
  if (file.empty()) return message;
  if (line == 0) return fmt::format("{}: {}", file, message);
  return fmt::format("{}:{}: {}", file, line, message);
}

bool LoadResult::incomplete() const {
  auto has_error = [](const CoverageTable& table) {
    return std::any_of(table.begin(), table.end(), [](const Coverage& c) { return c.status == CoverageStatus::kError; });
  };
  if (has_error(account.global_coverage)) return true;
  if (std::any_of(account.regions.begin(), account.regions.end(),
                  [&](const Region& r) { return has_error(r.coverage); })) {
    return true;
  }
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const LoadDiagnostic& d) { return d.level == LoadDiagnostic::Level::kError; });
}

namespace load {
namespace {

// A reusable read buffer with the zeroed padding simdjson reads past the end of the input.
class PaddedBuffer {
 public:
  // Room for `size` bytes plus padding; contents are not preserved.
  char* reserve(size_t size) {
    size_t needed = size + simdjson::SIMDJSON_PADDING;
    if (needed > capacity_) {
      capacity_ = std::max(needed, capacity_ + capacity_ / 2);
      data_ = std::make_unique_for_overwrite<char[]>(capacity_);
    }
    std::memset(data_.get() + size, 0, simdjson::SIMDJSON_PADDING);
    return data_.get();
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t capacity_ = 0;
};

// The bytes of one file, followed by at least SIMDJSON_PADDING readable bytes: a read-only mapping
// of the file when its last page has room for the padding (no copy), else the worker's buffer.
class FileBytes {
 public:
  FileBytes(std::string_view text, void* mapping = nullptr, size_t mapping_size = 0)
      : text_(text), mapping_(mapping), mapping_size_(mapping_size) {}
  FileBytes(FileBytes&& o) noexcept : text_(o.text_), mapping_(std::exchange(o.mapping_, nullptr)),
                                      mapping_size_(o.mapping_size_) {}
  FileBytes& operator=(FileBytes&&) = delete;
  ~FileBytes() {
    if (mapping_ != nullptr) ::munmap(mapping_, mapping_size_);
  }
  [[nodiscard]] std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  void* mapping_;
  size_t mapping_size_;
};

// Where the bytes of the i-th file come from: the disk, or memory (tests and fuzzing).
class FileSource {
 public:
  virtual ~FileSource() = default;
  [[nodiscard]] virtual size_t count() const = 0;
  [[nodiscard]] virtual const std::string& relative_path(size_t i) const = 0;
  [[nodiscard]] virtual uint64_t size_hint(size_t i) const = 0;  // for scheduling only
  // Reads file i whole (into `buffer` when it must copy), or returns an error message.
  [[nodiscard]] virtual Expected<FileBytes> read(size_t i, PaddedBuffer& buffer) const = 0;
  // Opens file i to be read front to back, or returns an error message.
  [[nodiscard]] virtual Expected<std::unique_ptr<ByteStream>> open(size_t i) const = 0;
};

// A file on disk, read sequentially: mapped (no copy; pages already parsed are dropped as the parse
// moves on, so the resident part stays small), else read in chunks.
class FileStream final : public ByteStream {
 public:
  explicit FileStream(int fd) : fd_(fd) {
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || st.st_size <= 0) return;
    size_ = size_t(st.st_size);
    void* mapping = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (mapping == MAP_FAILED) return;
    ::madvise(mapping, size_, MADV_SEQUENTIAL);
    mapping_ = static_cast<const char*>(mapping);
    populate(0);
  }
  FileStream(const FileStream&) = delete;
  FileStream& operator=(const FileStream&) = delete;
  ~FileStream() override {
    if (mapping_ != nullptr) ::munmap(const_cast<char*>(mapping_), size_);
    ::close(fd_);
  }
  std::string_view contiguous() override { return mapping_ != nullptr ? std::string_view(mapping_, size_) : std::string_view(); }
  void done_before(size_t offset) override {
    static const auto page = size_t(::sysconf(_SC_PAGESIZE));
    size_t end = offset / page * page;
    if (mapping_ == nullptr || end <= dropped_) return;
    ::madvise(const_cast<char*>(mapping_) + dropped_, end - dropped_, MADV_DONTNEED);
    dropped_ = end;
    populate(end);
  }
  ptrdiff_t read(char* out, size_t n) override {
    for (;;) {
      ssize_t got = ::read(fd_, out, n);
      if (got < 0 && errno == EINTR) continue;
      return got < 0 ? -1 : ptrdiff_t(got);
    }
  }

 private:
  // Maps the pages of the next kAhead bytes from `offset` in one go: one fault per page costs more.
  // Best effort (MADV_POPULATE_READ is Linux 5.14+).
  void populate(size_t offset) {
    static constexpr size_t kAhead = size_t{16} << 20;
#ifdef MADV_POPULATE_READ
    size_t from = std::max(offset, populated_);
    size_t to = std::min(size_, offset + kAhead);
    if (from >= to) return;
    static const auto page = size_t(::sysconf(_SC_PAGESIZE));
    from = from / page * page;
    ::madvise(const_cast<char*>(mapping_) + from, to - from, MADV_POPULATE_READ);
    populated_ = to;
#else
    (void)offset;
#endif
  }

  int fd_;
  size_t populated_ = 0;
  const char* mapping_ = nullptr;
  size_t size_ = 0;
  size_t dropped_ = 0;
};

// Bytes in memory: handed over whole, or (`trickle`, for tests and fuzzing) a few bytes per read(),
// which takes the chunked path through every element boundary and window refill.
class MemoryStream final : public ByteStream {
 public:
  MemoryStream(std::string_view bytes, bool trickle) : rest_(bytes), trickle_(trickle) {}
  ptrdiff_t read(char* out, size_t n) override {
    n = std::min({n, rest_.size(), trickle_ ? size_t{7} : rest_.size()});
    std::memcpy(out, rest_.data(), n);
    rest_.remove_prefix(n);
    return ptrdiff_t(n);
  }
  std::string_view contiguous() override {
    if (trickle_) return {};
    return rest_.data() != nullptr ? rest_ : std::string_view("", 0);
  }

 private:
  std::string_view rest_;
  bool trickle_;
};

struct DiskFile {
  std::string relative_path;
  fs::path path;
  uint64_t size = 0;
};

class DiskFiles final : public FileSource {
 public:
  explicit DiskFiles(std::vector<DiskFile> files) : files_(std::move(files)) {}
  size_t count() const override { return files_.size(); }
  const std::string& relative_path(size_t i) const override { return files_[i].relative_path; }
  uint64_t size_hint(size_t i) const override { return files_[i].size; }

  Expected<FileBytes> read(size_t i, PaddedBuffer& buffer) const override {
    int fd = ::open(files_[i].path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error("cannot open");
    struct stat st {};
    if (::fstat(fd, &st) != 0) return io_error("cannot stat", fd);
    auto size = size_t(st.st_size);
    // Map when the rest of the last page (zeros past the end of the file) holds simdjson's padding.
    static const auto page = size_t(::sysconf(_SC_PAGESIZE));
    if (size > 0 && size % page != 0 && page - size % page >= simdjson::SIMDJSON_PADDING) {
      void* mapping = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (mapping != MAP_FAILED) {
        ::close(fd);
        return FileBytes(std::string_view(static_cast<const char*>(mapping), size), mapping, size);
      }
    }
    char* data = buffer.reserve(size);
    size_t done = 0;
    while (done < size) {
      ssize_t n = ::read(fd, data + done, size - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return io_error("cannot read", fd);
      if (n == 0) break;  // shrank while we read: parse what is there
      done += size_t(n);
    }
    ::close(fd);
    std::memset(data + done, 0, simdjson::SIMDJSON_PADDING);
    return FileBytes(std::string_view(data, done));
  }

  Expected<std::unique_ptr<ByteStream>> open(size_t i) const override {
    int fd = ::open(files_[i].path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error("cannot open");
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return std::unique_ptr<ByteStream>(std::make_unique<FileStream>(fd));
  }

 private:
  static Error io_error(const char* what, int fd = -1) {
    int saved = errno;
    if (fd >= 0) ::close(fd);
    Error error;
    error.code = ErrorCode::kIo;
    error.message = fmt::format("{}: {}", what, std::strerror(saved));
    return error;
  }
  std::vector<DiskFile> files_;
};

class MemoryFiles final : public FileSource {
 public:
  MemoryFiles(std::vector<const SnapshotFileBytes*> files, bool trickle) : files_(std::move(files)), trickle_(trickle) {}
  size_t count() const override { return files_.size(); }
  const std::string& relative_path(size_t i) const override { return files_[i]->relative_path; }
  uint64_t size_hint(size_t i) const override { return files_[i]->bytes.size(); }
  Expected<FileBytes> read(size_t i, PaddedBuffer& buffer) const override {
    const std::string& bytes = files_[i]->bytes;
    char* data = buffer.reserve(bytes.size());
    std::memcpy(data, bytes.data(), bytes.size());
    return FileBytes(std::string_view(data, bytes.size()));
  }
  Expected<std::unique_ptr<ByteStream>> open(size_t i) const override {
    return std::unique_ptr<ByteStream>(std::make_unique<MemoryStream>(files_[i]->bytes, trickle_));
  }

 private:
  std::vector<const SnapshotFileBytes*> files_;
  bool trickle_;
};

// One worker: its own parser and buffers, reused across the files it takes.
struct Worker {
  simdjson::ondemand::parser parser;
  StreamBuffers stream_buffers;
  PaddedBuffer buffer;

  // Streams the file; one that is not a well-formed snapshot object is read whole and parsed again,
  // for the diagnostics.
  // With options.defer_security_groups, a describe-security-groups file may be left for later:
  // then *deferred is set and the result is empty.
  FileResult parse(const FileSource& files, size_t i, const StreamOptions& options, bool* deferred) {
    const std::string& path = files.relative_path(i);
    try {
      Expected<std::unique_ptr<ByteStream>> stream = files.open(i);
      if (!stream) return unreadable_file(path, stream.error().message);
      std::optional<FileResult> streamed =
          parse_file_streaming(path, uint32_t(i), **stream, stream_buffers, parser, options, deferred);
      if (streamed) return std::move(*streamed);
      if (*deferred) return {};
      stream->reset();
      Expected<FileBytes> bytes = files.read(i, buffer);
      if (!bytes) return unreadable_file(path, bytes.error().message);
      std::string_view text = bytes->text();
      if (text.size() > simdjson::SIMDJSON_MAXSIZE_BYTES) {
        return unreadable_file(path, fmt::format("file too large for the JSON parser ({} bytes)", text.size()));
      }
      return parse_file(path, uint32_t(i), text, parser);
    } catch (const std::exception& e) {  // std::bad_alloc: this file fails, the load goes on
      return unreadable_file(path, fmt::format("cannot load: {}", e.what()));
    }
  }
};

// Parses every file on `threads` threads, largest first for balance; results are indexed like the
// files, so what follows never depends on which thread finished first.
//
// Two rounds: describe-security-groups files wait for the rest, so that the IpPermissions of groups
// whose rules describe-security-group-rules replaces (assemble.cpp) are not kept only to be dropped.
std::vector<FileResult> parse_all(const FileSource& files, unsigned threads) {
  size_t n = files.count();
  std::vector<FileResult> results(n);
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return files.size_hint(a) > files.size_hint(b); });

  std::vector<char> deferred(n, 0);
  StreamOptions first_round;
  first_round.defer_security_groups = true;
  parallel_for<Worker>(n, threads, [&](size_t k, Worker& worker) {
    bool is_deferred = false;
    results[order[k]] = worker.parse(files, order[k], first_round, &is_deferred);
    deferred[order[k]] = is_deferred ? 1 : 0;
  });

  std::vector<size_t> later;  // largest first, as `order`
  for (size_t i : order) {
    if (deferred[i] != 0) later.push_back(i);
  }
  if (later.empty()) return results;
  // The groups each region's rules files cover, from the first round's results (not touched by the
  // second, which only fills the deferred files' slots).
  std::map<std::string, std::vector<const FileResult*>> by_region;
  for (size_t i = 0; i < n; ++i) {
    if (deferred[i] == 0 && results[i].dataset == Dataset::kSecurityGroupRules) {
      by_region[results[i].region].push_back(&results[i]);
    }
  }
  std::map<std::string, std::unordered_set<std::string_view, TextHash>> covered;
  for (const auto& [region, region_results] : by_region) covered[region] = groups_with_rules(region_results);
  std::vector<StreamOptions> second_round(later.size());
  for (size_t k = 0; k < later.size(); ++k) {
    auto it = covered.find(region_of_path(files.relative_path(later[k])));
    if (it != covered.end()) second_round[k].groups_with_rules = &it->second;
  }
  parallel_for<Worker>(later.size(), threads, [&](size_t k, Worker& worker) {
    bool is_deferred = false;
    results[later[k]] = worker.parse(files, later[k], second_round[k], &is_deferred);
  });
  return results;
}

bool is_json_name(std::string_view name) { return name.size() > 5 && name.ends_with(".json"); }

// Walks `root`; folder errors become diagnostics and the walk goes on. Hidden entries (".git",
// ".DS_Store") are not snapshot data and are skipped.
void walk(const fs::path& root, std::vector<DiskFile>& json_files, std::vector<std::string>& other_files,
          std::vector<LoadDiagnostic>& diagnostics) {
  std::vector<fs::path> pending{root};
  while (!pending.empty()) {
    fs::path dir = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      const fs::directory_entry& entry = *it;
      std::string name = entry.path().filename().string();
      if (name.starts_with(".")) continue;
      std::error_code type_ec;
      if (entry.is_directory(type_ec)) {
        // Linked folders are not followed (a link cycle would never end).
        if (!entry.is_symlink(type_ec)) pending.push_back(entry.path());
        continue;
      }
      std::string relative = entry.path().lexically_relative(root).generic_string();
      if (!entry.is_regular_file(type_ec)) continue;  // sockets, dangling links
      if (is_json_name(name)) {
        std::error_code size_ec;
        uint64_t size = entry.file_size(size_ec);
        json_files.push_back({std::move(relative), entry.path(), size_ec ? 0 : size});
      } else {
        other_files.push_back(std::move(relative));
      }
    }
    if (ec) {
      std::string relative = dir == root ? "." : dir.lexically_relative(root).generic_string();
      diagnostics.push_back(
          {LoadDiagnostic::Level::kError, relative, 0, fmt::format("cannot list folder: {}", ec.message())});
    }
  }
}

LoadResult load(const FileSource& files, const LoadOptions& options) {
  std::vector<FileResult> results = parse_all(files, options.threads);
  release_free_memory();  // the parsers' buffers: their pages serve the assembly instead
  std::vector<std::string> paths;
  paths.reserve(files.count());
  for (size_t i = 0; i < files.count(); ++i) paths.push_back(files.relative_path(i));
  return assemble(std::move(paths), std::move(results), options.threads);
}

}  // namespace
}  // namespace load

Expected<LoadResult> load_snapshot(const fs::path& root, const LoadOptions& options) {
  std::error_code ec;
  fs::file_status status = fs::status(root, ec);
  if (ec || !fs::exists(status)) {
    return Error{ErrorCode::kNotFound, "snapshot folder does not exist", root.string()};
  }
  if (!fs::is_directory(status)) return Error{ErrorCode::kInvalidArgument, "not a folder", root.string()};
  fs::directory_iterator probe(root, ec);
  if (ec) return Error{ErrorCode::kIo, fmt::format("cannot list the snapshot folder: {}", ec.message()), root.string()};

  std::vector<load::DiskFile> json_files;
  std::vector<std::string> other_files;
  std::vector<LoadDiagnostic> walk_diagnostics;
  load::walk(root, json_files, other_files, walk_diagnostics);
  std::sort(json_files.begin(), json_files.end(),
            [](const load::DiskFile& a, const load::DiskFile& b) { return a.relative_path < b.relative_path; });

  LoadResult result = load::load(load::DiskFiles(std::move(json_files)), options);
  result.diagnostics.insert(result.diagnostics.begin(), walk_diagnostics.begin(), walk_diagnostics.end());
  result.unknown_files.insert(result.unknown_files.end(), other_files.begin(), other_files.end());
  std::sort(result.unknown_files.begin(), result.unknown_files.end());
  return result;
}

namespace {

LoadResult load_files(const std::vector<SnapshotFileBytes>& files, const LoadOptions& options, bool trickle) {
  std::vector<const SnapshotFileBytes*> json_files;
  std::vector<std::string> other_files;
  for (const SnapshotFileBytes& f : files) {
    if (load::is_json_name(f.relative_path)) {
      json_files.push_back(&f);
    } else {
      other_files.push_back(f.relative_path);
    }
  }
  std::stable_sort(json_files.begin(), json_files.end(), [](const SnapshotFileBytes* a, const SnapshotFileBytes* b) {
    return a->relative_path < b->relative_path;
  });
  LoadResult result = load::load(load::MemoryFiles(std::move(json_files), trickle), options);
  result.unknown_files.insert(result.unknown_files.end(), other_files.begin(), other_files.end());
  std::sort(result.unknown_files.begin(), result.unknown_files.end());
  return result;
}

}  // namespace

LoadResult load_snapshot_files(const std::vector<SnapshotFileBytes>& files, const LoadOptions& options) {
  return load_files(files, options, false);
}

void load_snapshot_file_for_test(std::string_view bytes, std::string_view relative_path, Account& account,
                                 std::vector<LoadDiagnostic>& diagnostics) {
  std::vector<SnapshotFileBytes> files{{std::string(relative_path), std::string(bytes)}};
  LoadResult result = load_files(files, LoadOptions{1}, true);
  account = std::move(result.account);
  diagnostics.insert(diagnostics.end(), result.diagnostics.begin(), result.diagnostics.end());
}

}  // namespace fortress
