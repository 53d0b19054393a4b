// One snapshot file: recognize its kind by its top-level members, parse it, report what went wrong
// where.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "load/collection_error.h"
#include "load/json_stream.h"
#include "load/json_syntax.h"
#include "load/kinds.h"
#include "load/loader.h"

namespace fortress::load {

namespace {

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// Members of the top-level object other than the kind's list.
struct TopLevel {
  const SnapshotKind* kind = nullptr;       // the first (non-companion) list kind seen
  const SnapshotKind* companion = nullptr;  // a companion list seen before any other of its dataset
  const DocumentKind* document = nullptr;   // a document kind, recognized by `keys`
  std::vector<std::string> keys;            // top-level members that are no list kind's (capped)
  bool has_collection_error = false;
  std::string account;        // get-caller-identity
  std::string arn;
  std::string user_id;
  std::string prefix_list_id;  // get-managed-prefix-list-entries, when the collector added it
};

// The dataset a file would have held, guessed from its top-level member names (for a file that
// failed to parse, so its coverage can still say kError).
std::optional<Dataset> dataset_from_keys(const std::vector<std::string>& keys) {
  bool account = false;
  bool arn = false;
  for (const std::string& key : keys) {
    if (const SnapshotKind* kind = kind_by_list_member(key); kind != nullptr && !kind->companion) return kind->dataset;
    account = account || key == "Account";
    arn = arn || key == "Arn";
  }
  if (account && arn) return Dataset::kCallerIdentity;
  if (const DocumentKind* document = document_kind_for(keys)) return document->dataset;
  return std::nullopt;
}

// Top-level member names kept per file for document recognition: outputs have a handful.
constexpr size_t kMaxTopLevelKeys = 64;


class FileParser {
 public:
  FileParser(std::string_view path, uint32_t source, std::string_view text, od::parser& parser)
      : text_(text), parser_(parser), ctx_(path, source, text, result_) {
    result_.region = region_of_path(path);
  }

  FileResult run() {
    std::string_view body = text_;
    if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);  // a UTF-8 byte order mark
    body_ = body;
    if (body.starts_with("\xFF\xFE") || body.starts_with("\xFE\xFF")) {
      fail(1, "the file is UTF-16 encoded (PowerShell's '>' does this); export it as UTF-8");
      return std::move(result_);
    }
    if (is_blank(body)) {
      result_.outcome = FileOutcome::kEmpty;
      ctx_.add(LoadDiagnostic::Level::kInfo, nullptr, "empty file: not collected");
      return std::move(result_);
    }
    if (error_code e = parse(body)) {
      fail_syntax(e);
    } else {
      decide();
    }
    ctx_.flush_suppressed();
    return std::move(result_);
  }

  // The streamed parse (see parse_file_streaming); nullopt sends the file to run().
  std::optional<FileResult> run_stream(ByteStream& stream, StreamBuffers& buffers, const StreamOptions& options,
                                       bool* deferred) {
    options_ = &options;
    ctx_.set_groups_with_rules(options.groups_with_rules);
    StreamWindow window(stream, buffers);
    window_ = &window;
    buffers_ = &buffers;
    ValueSplitter splitter(window);
    splitter_ = &splitter;
    if (!stream_top_level()) {
      if (deferred != nullptr) *deferred = deferred_;
      return std::nullopt;
    }
    decide();
    ctx_.flush_suppressed();
    return std::move(result_);
  }

 private:
  // The top-level object, member by member; false for anything the whole-file parse must judge.
  bool stream_top_level() {
    StreamWindow& w = *window_;
    size_t keep = 0;
    if (!w.ensure(keep)) return false;  // empty or unreadable
    // A byte order mark; UTF-16 is left to run().
    static constexpr std::string_view kBom = "\xEF\xBB\xBF";
    while (w.size() < kBom.size() && w.ensure(keep)) w.pos = w.size();
    w.pos = 0;
    if (std::string_view(w.data(), std::min(w.size(), kBom.size())) == kBom) w.pos = kBom.size();
    if (!w.skip_ws() || w.data()[w.pos] != '{') return false;
    ++w.pos;
    Element top_element(ctx_, 0, nullptr);
    bool first = true;
    for (;;) {
      if (!w.skip_ws()) return false;
      char c = w.data()[w.pos];
      if (c == '}' && first) {
        ++w.pos;
        break;
      }
      first = false;
      if (c != '"') return false;
      size_t key_start = w.pos;
      if (!splitter_->skip_string(key_start)) return false;
      // Copied: the window may move while the value is read.
      std::string_view raw_key(w.data() + key_start + 1, w.pos - key_start - 2);
      if (raw_key.find('\\') != std::string_view::npos || raw_key.size() > 64) return false;
      char key_bytes[64];
      std::memcpy(key_bytes, raw_key.data(), raw_key.size());
      std::string_view key(key_bytes, raw_key.size());
      if (!w.skip_ws() || w.data()[w.pos] != ':') return false;
      ++w.pos;
      if (!w.skip_ws()) return false;
      if (!stream_member(key, top_element)) return false;
      if (!w.skip_ws()) return false;
      c = w.data()[w.pos++];
      if (c == '}') break;
      if (c != ',') return false;
    }
    if (w.skip_ws() || w.failed()) return false;  // content after the object, or a read error
    if (!top_element.ok()) top_level_problem_ = top_element.problem();
    // A document kind is parsed whole (run()): such outputs are small.
    if (top_.kind == nullptr && !top_.has_collection_error && document_kind_for(top_.keys) != nullptr) return false;
    return true;
  }

  // The first list kind of the file, companion or not.
  const SnapshotKind* first_list() const { return top_.kind != nullptr ? top_.kind : top_.companion; }

  void take_list_kind(const SnapshotKind* kind) {
    if (kind->companion) {
      if (top_.kind == nullptr && top_.companion == nullptr) top_.companion = kind;
    } else if (top_.kind == nullptr) {
      top_.kind = kind;
    }
    result_.dataset = kind->dataset;
  }

  void note_key(std::string_view key) {
    if (top_.keys.size() < kMaxTopLevelKeys) top_.keys.emplace_back(key);
  }

  // One top-level member, with the window on its value's first byte (mirrors top_level_member()).
  bool stream_member(std::string_view key, Element& top_element) {
    StreamWindow& w = *window_;
    if (const SnapshotKind* kind = kind_by_list_member(key)) {
      if (options_->defer_security_groups && kind->dataset == Dataset::kSecurityGroups && top_.kind == nullptr &&
          !top_.has_collection_error) {
        deferred_ = true;
        return false;
      }
      if (const SnapshotKind* first = first_list(); first != nullptr && first->dataset != kind->dataset) {
        size_t start = w.pos;
        uint64_t line = w.line_at(start);
        ctx_.add(LoadDiagnostic::Level::kWarning, nullptr,
                 fmt::format("the file holds both \"{}\" and \"{}\"; only \"{}\" was read", first->list_member,
                             kind->list_member, first->list_member));
        result_.diagnostics.back().line = line;
        return skip_unread_value();
      }
      take_list_kind(kind);
      if (!dataset_info(kind->dataset).account_wide && result_.region.empty()) {
        result_.outcome = FileOutcome::kMisplaced;
        return skip_unread_value();
      }
      if (w.data()[w.pos] != '[') return false;  // the shape problem is told by run()
      return stream_list(*kind);
    }
    // Members read whole: small values.
    note_key(key);
    size_t start = w.pos;
    if (!splitter_->skip_value(start)) return false;
    std::string_view raw(w.data() + start, w.pos - start);
    bool read_here = key == kCollectionErrorKey || key == "Account" || key == "Arn" || key == "UserId" ||
                     key == "PrefixListId";
    if (find_json_syntax_error(raw)) return false;
    if (!read_here) return true;  // NextToken and anything else
    return parse_wrapped(raw, 1, 1, [&](od::value& value) -> error_code {
      if (key == kCollectionErrorKey) {
        top_.has_collection_error = true;
        return parse_collection_error(value, top_element, result_.collection_error);
      }
      if (key == "Account") return read(value, key, top_element, top_.account);
      if (key == "Arn") return read(value, key, top_element, top_.arn);
      if (key == "UserId") return read(value, key, top_element, top_.user_id);
      return read(value, key, top_element, top_.prefix_list_id);
    });
  }

  // A value nobody reads: it must still be well-formed for the file to load.
  bool skip_unread_value() {
    size_t start = window_->pos;
    if (!splitter_->skip_value(start)) return false;
    return !find_json_syntax_error(std::string_view(window_->data() + start, window_->pos - start));
  }

  // The kind's list, with the window on its '['. Elements are split one by one and parsed in
  // batches of consecutive elements (about kBatchBytes), each batch its own document.
  bool stream_list(const SnapshotKind& kind) {
    static constexpr size_t kBatchBytes = size_t{128} << 10;
    StreamWindow& w = *window_;
    ++w.pos;
    size_t index = 0;
    if (!w.skip_ws()) return false;
    if (w.data()[w.pos] == ']') {
      ++w.pos;
      return true;
    }
    size_t batch = w.pos;  // first byte of the batch's first element; shifts with the window
    size_t batch_items = 0;
    auto flush = [&](size_t end) {
      std::string_view raw(w.data() + batch, end - batch);
      uint64_t line = w.line_at(batch);
      w.done_before(batch);
      return parse_wrapped(raw, line, batch_items, [&](od::value& value) -> error_code {
        Element el(ctx_, index++, location_of(value));
        if (error_code e = kind.parse(value, el)) return e;
        if (!el.ok()) ctx_.element_skipped(el.where, kind.noun, el.index, el.id, el.problem());
        return SUCCESS;
      });
    };
    for (;;) {
      size_t offset = w.pos - batch;
      char first = w.data()[w.pos];
      if (!splitter_->skip_value(batch)) return false;
      if (first != '{' && first != '[' &&
          find_json_syntax_error(std::string_view(w.data() + batch + offset, w.pos - batch - offset))) {
        return false;
      }
      ++batch_items;
      if (!w.skip_ws(batch)) return false;
      char c = w.data()[w.pos];
      if (c == ']') {
        if (!flush(w.pos)) return false;
        ++w.pos;
        break;
      }
      if (c != ',') return false;
      if (w.pos - batch >= kBatchBytes) {
        if (!flush(w.pos)) return false;
        batch_items = 0;
        ++w.pos;
        if (!w.skip_ws()) return false;
        batch = w.pos;
      } else {
        ++w.pos;
        if (!w.skip_ws(batch)) return false;
      }
    }
    result_.elements_seen += index;
    return true;
  }

  // Parses `raw` (`items` comma-separated JSON values, starting on line `line`) as the items of a
  // list, its own padded document, and calls on_value with each. False on a fatal error.
  template <typename OnValue>
  bool parse_wrapped(std::string_view raw, uint64_t line, size_t items, OnValue&& on_value) {
    StreamBuffers& b = *buffers_;
    size_t size = raw.size() + 2;
    if (size + simdjson::SIMDJSON_PADDING > b.element_capacity) {
      b.element_capacity = std::max(size + simdjson::SIMDJSON_PADDING, b.element_capacity * 2);
      b.element = std::make_unique_for_overwrite<char[]>(b.element_capacity);
    }
    char* data = b.element.get();
    data[0] = '[';
    std::memcpy(data + 1, raw.data(), raw.size());
    data[size - 1] = ']';
    std::memset(data + size, 0, simdjson::SIMDJSON_PADDING);
    ctx_.set_input(std::string_view(data, size), line);
    od::document doc;
    od::array list;
    if (parser_.iterate(data, size, b.element_capacity).get(doc) || doc.get_array().get(list)) return false;
    size_t seen = 0;
    for (auto item : list) {
      od::value value;
      if (item.get(value) || ++seen > items) return false;
      if (on_value(value)) return false;
    }
    const char* after = nullptr;
    if (doc.current_location().get(after) == SUCCESS) return false;  // trailing content
    return seen == items;
  }

  error_code parse(std::string_view body) {
    if (error_code e = parser_.iterate(body.data(), body.size(), body.size() + simdjson::SIMDJSON_PADDING).get(doc_)) {
      return e;
    }
    od::object top;
    error_code e = doc_.get_object().get(top);
    if (e == simdjson::INCORRECT_TYPE) {
      // Not an object. Well-formed JSON (a list, a scalar) is of no kind of ours; anything else is
      // malformed JSON and reported as such, with its line.
      return find_json_syntax_error(body, nullptr) ? simdjson::TAPE_ERROR : SUCCESS;
    }
    if (e) return e;
    Element top_element(ctx_, 0, body.data());
    for (auto field : top) {
      std::string_view key;
      if (error_code fe = field.unescaped_key().get(key)) return fe;
      od::value value;
      if (error_code fe = field.value().get(value)) return fe;
      if (error_code fe = top_level_member(key, value, top_element)) return fe;
    }
    // Anything after the top-level object is malformed.
    const char* after = nullptr;
    if (doc_.current_location().get(after) == SUCCESS) return simdjson::TRAILING_CONTENT;
    if (top_.kind == nullptr && !top_.has_collection_error) {
      if (const DocumentKind* document = document_kind_for(top_.keys)) {
        if (error_code e = parse_document(*document, top_element)) return e;
      }
    }
    if (!top_element.ok()) {
      top_level_problem_ = top_element.problem();
    }
    return SUCCESS;
  }

  // The top-level object again, as a document kind.
  error_code parse_document(const DocumentKind& document, Element& top_element) {
    top_.document = &document;
    result_.dataset = document.dataset;
    if (document.dataset && !dataset_info(*document.dataset).account_wide && result_.region.empty()) {
      result_.outcome = FileOutcome::kMisplaced;
      return SUCCESS;  // not read
    }
    doc_.rewind();
    od::object top;
    if (error_code e = doc_.get_object().get(top)) return e;
    return document.parse(top, top_element);
  }

  error_code top_level_member(std::string_view key, od::value& value, Element& top_element) {
    if (const SnapshotKind* kind = kind_by_list_member(key)) {
      if (const SnapshotKind* first = first_list(); first != nullptr && first->dataset != kind->dataset) {
        ctx_.add(LoadDiagnostic::Level::kWarning, location_of(value),
                 fmt::format("the file holds both \"{}\" and \"{}\"; only \"{}\" was read", first->list_member,
                             kind->list_member, first->list_member));
        return SUCCESS;
      }
      take_list_kind(kind);
      if (!dataset_info(kind->dataset).account_wide && result_.region.empty()) {
        result_.outcome = FileOutcome::kMisplaced;
        return SUCCESS;  // not read
      }
      return parse_list(value, *kind, top_element);
    }
    if (key == kCollectionErrorKey) {
      top_.has_collection_error = true;
      return parse_collection_error(value, top_element, result_.collection_error);
    }
    if (key == "Account") return read(value, key, top_element, top_.account);
    if (key == "Arn") return read(value, key, top_element, top_.arn);
    if (key == "UserId") return read(value, key, top_element, top_.user_id);
    if (key == "PrefixListId") return read(value, key, top_element, top_.prefix_list_id);
    note_key(key);
    return SUCCESS;  // NextToken, a document kind's members, anything else
  }

  error_code parse_list(od::value& list, const SnapshotKind& kind, Element& top_element) {
    od::array array;
    if (error_code e = list.get_array().get(array)) return shape_error(list, e, kind.list_member, "a list", top_element);
    size_t index = 0;
    for (auto item : array) {
      od::value value;
      if (error_code e = item.get(value)) return e;
      Element el(ctx_, index++, location_of(value));
      if (error_code e = kind.parse(value, el)) return e;
      if (!el.ok()) ctx_.element_skipped(el.where, kind.noun, el.index, el.id, el.problem());
    }
    result_.elements_seen += index;
    return SUCCESS;
  }

  // What the file turned out to be, once all of it was read.
  void decide() {
    std::string_view path = ctx_.path();
    if (result_.outcome == FileOutcome::kMisplaced) {
      std::string what = dataset_name(*result_.dataset);
      result_.failure = fmt::format("{}: {} is regional data but the file is in no region folder", path, what);
      ctx_.add(LoadDiagnostic::Level::kError, nullptr,
               fmt::format("{} is regional data but the file is in no region folder "
                           "(expected <region>/...; e.g. us-east-1/ec2/...); skipped",
                           what));
      return;
    }
    if (!top_level_problem_.empty() &&
        (top_.kind != nullptr || top_.has_collection_error || top_.document != nullptr)) {
      fail(1, "unexpected shape: " + top_level_problem_);
      return;
    }
    if (top_.kind != nullptr) {
      result_.outcome = FileOutcome::kLoaded;
      if (top_.kind->finish != nullptr) top_.kind->finish(ctx_, top_.prefix_list_id);
      return;
    }
    if (top_.companion != nullptr && !top_.has_collection_error) {
      // "Policies" alone (iam list-policies) is not get-account-authorization-details.
      unknown_kind();
      return;
    }
    if (top_.document != nullptr && !top_.has_collection_error) {
      result_.outcome = top_.document->dataset ? FileOutcome::kLoaded : FileOutcome::kRecognized;
      if (top_.document->finish != nullptr) top_.document->finish(ctx_, top_.prefix_list_id);
      return;
    }
    if (top_.has_collection_error) {
      collection_error();
      return;
    }
    if (!top_.account.empty() && !top_.arn.empty() && top_level_problem_.empty()) {
      result_.outcome = FileOutcome::kLoaded;
      result_.dataset = Dataset::kCallerIdentity;
      result_.caller_identity = CallerIdentity{top_.account, top_.arn, top_.user_id};
      return;
    }
    result_.outcome = FileOutcome::kUnknownKind;
  }

  // Drops what was read: the file is of no kind the loader knows.
  void unknown_kind() {
    std::string region = std::move(result_.region);
    std::vector<LoadDiagnostic> diagnostics = std::move(result_.diagnostics);
    result_ = FileResult{};
    result_.region = std::move(region);
    result_.diagnostics = std::move(diagnostics);
    result_.outcome = FileOutcome::kUnknownKind;
  }

  void collection_error() {
    CollectionErrorRecord& record = result_.collection_error;
    result_.outcome = FileOutcome::kCollectionError;
    result_.dataset = dataset_by_command(record.service, record.command);
    if (!result_.dataset) {
      // Not a dataset the model knows, but a failed collection all the same: the scan is incomplete.
      ctx_.add(LoadDiagnostic::Level::kError, nullptr,
               fmt::format("collection of {} {} failed: {}: {}", record.service, record.command, record.error_code,
                           record.message));
      return;
    }
    if (result_.region.empty() && looks_like_region(record.region)) result_.region = record.region;
    if (!record.region.empty() && record.region != result_.region) {
      ctx_.add(LoadDiagnostic::Level::kWarning, nullptr,
               fmt::format("the collection error names region {} but the file is in {}; the folder wins", record.region,
                           result_.region.empty() ? "no region folder" : result_.region));
    }
    if (!dataset_info(*result_.dataset).account_wide && result_.region.empty()) {
      result_.outcome = FileOutcome::kMisplaced;
      result_.failure = fmt::format("{}: collection error for regional {} in no region folder", ctx_.path(),
                                    dataset_name(*result_.dataset));
      ctx_.add(LoadDiagnostic::Level::kError, nullptr,
               fmt::format("collection error for regional {} is in no region folder; skipped",
                           dataset_name(*result_.dataset)));
      return;
    }
    // A fan-out call that failed for one parent: which one (the record names a prefix list; for the
    // rest the file name does).
    if (fan_out_kind(*result_.dataset) != nullptr) {
      result_.fan_out_id = fan_out_id(ctx_, *result_.dataset, record.prefix_list_id);
    }
    // IAM answers NoSuchEntity when the account has no password policy: collected, and none is set.
    if (*result_.dataset == Dataset::kAccountPasswordPolicy && record.error_code == "NoSuchEntity") {
      result_.outcome = FileOutcome::kLoaded;
      result_.iam.password_policy = PasswordPolicy{};
      result_.iam.password_policy->exists = false;
      result_.iam.password_policy->source = ctx_.source();
      ctx_.add(LoadDiagnostic::Level::kInfo, nullptr,
               "the account has no IAM password policy (get-account-password-policy: NoSuchEntity)");
    }
  }

  // Malformed JSON: find where, report it, and drop whatever was read from the file.
  void fail_syntax(error_code e) {
    std::vector<std::string> keys;
    std::optional<JsonSyntaxError> found = find_json_syntax_error(body_, &keys);
    if (!result_.dataset) result_.dataset = dataset_from_keys(keys);
    if (found) {
      size_t offset = size_t(body_.data() - text_.data()) + found->offset;
      fail(line_of_offset(text_, offset), "malformed JSON: " + found->message);
      return;
    }
    // simdjson refused what the scanner accepts: nesting too deep, a number out of range ...
    const char* where = nullptr;
    if (doc_.current_location().get(where) != SUCCESS) where = nullptr;
    fail(ctx_.line_at(where), fmt::format("malformed JSON: {}", simdjson::error_message(e)));
  }

  void fail(uint64_t line, std::string message) {
    std::optional<Dataset> dataset = result_.dataset;
    std::string region = std::move(result_.region);
    std::vector<LoadDiagnostic> diagnostics = std::move(result_.diagnostics);
    result_ = FileResult{};
    result_.outcome = FileOutcome::kFailed;
    result_.dataset = dataset;
    result_.region = std::move(region);
    result_.diagnostics = std::move(diagnostics);
    result_.failure = line > 0 ? fmt::format("{}:{}: {}", ctx_.path(), line, message)
                               : fmt::format("{}: {}", ctx_.path(), message);
    // A fan-out file that failed is a gap for its one parent (named by the file).
    if (dataset && fan_out_kind(*dataset) != nullptr && *dataset != Dataset::kPrefixListEntries) {
      result_.fan_out_id = fan_out_id(ctx_, *dataset, {});
    }
    result_.diagnostics.push_back({LoadDiagnostic::Level::kError, std::string(ctx_.path()), line, std::move(message)});
  }

  std::string_view text_;
  std::string_view body_;  // text_ without a byte order mark
  StreamWindow* window_ = nullptr;  // run_stream() only
  const StreamOptions* options_ = nullptr;
  bool deferred_ = false;
  StreamBuffers* buffers_ = nullptr;
  ValueSplitter* splitter_ = nullptr;
  od::parser& parser_;
  od::document doc_;
  FileResult result_;
  FileContext ctx_;
  TopLevel top_;
  std::string top_level_problem_;
};

}  // namespace

FileResult parse_file(std::string_view relative_path, uint32_t source, std::string_view text, od::parser& parser) {
  return FileParser(relative_path, source, text, parser).run();
}

std::optional<FileResult> parse_file_streaming(std::string_view relative_path, uint32_t source, ByteStream& bytes,
                                               StreamBuffers& buffers, od::parser& parser, const StreamOptions& options,
                                               bool* deferred) {
  if (deferred != nullptr) *deferred = false;
  return FileParser(relative_path, source, std::string_view(), parser).run_stream(bytes, buffers, options, deferred);
}

std::unordered_set<std::string_view, TextHash> groups_with_rules(const std::vector<const FileResult*>& results) {
  std::unordered_set<std::string_view, TextHash> groups;
  std::unordered_set<std::string_view, TextHash> rule_ids;
  std::unordered_set<std::string_view, TextHash> incomplete;
  for (const FileResult* r : results) {
    if (r->outcome != FileOutcome::kLoaded || r->dataset != Dataset::kSecurityGroupRules) continue;
    rule_ids.reserve(rule_ids.size() + r->security_group_rules.size());
    for (const SecurityGroupRuleRecord& record : r->security_group_rules) {
      if (rule_ids.insert(record.rule.rule_id).second) groups.insert(record.group_id);
    }
    incomplete.insert(r->groups_with_skipped_rules.begin(), r->groups_with_skipped_rules.end());
  }
  for (std::string_view group : incomplete) groups.erase(group);
  return groups;
}

FileResult unreadable_file(std::string_view relative_path, std::string reason) {
  FileResult result;
  result.outcome = FileOutcome::kFailed;
  result.region = region_of_path(relative_path);
  result.failure = fmt::format("{}: {}", relative_path, reason);
  result.diagnostics.push_back({LoadDiagnostic::Level::kError, std::string(relative_path), 0, std::move(reason)});
  return result;
}

}  // namespace fortress::load
