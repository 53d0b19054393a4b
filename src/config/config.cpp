#include "config/config.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <span>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace fortress {

namespace {

constexpr std::array<std::string_view, 5> kTopLevelKeys = {"trusted_cidrs", "sensitive_ports", "thresholds",
                                                           "mutes", "shared_services"};
constexpr std::array<std::string_view, 4> kSharedServiceKeys = {"instances", "tags", "recognize_directory_ports",
                                                                "max_sources"};
constexpr std::array<std::string_view, 4> kThresholdKeys = {"wide_port_range", "max_rules_per_group",
                                                             "iam_privileged_share_percent", "credentials_unused_days"};
constexpr std::array<std::string_view, 5> kMuteKeys = {"check", "resource", "region", "account", "reason"};

Error config_error(ErrorCode code, std::string message, std::string_view file, uint64_t line = 0) {
  Error e;
  e.code = code;
  e.message = std::move(message);
  e.file = std::string(file);
  e.line = line;
  return e;
}

// Levenshtein distance, for "did you mean" on unknown keys (keys are short).
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Reads one parsed YAML document into a Config. Every error carries the origin and the 1-based line
// of the offending node. yaml-cpp may throw from its accessors; parse_config() catches that.
class ConfigReader {
 public:
  explicit ConfigReader(std::string_view origin) : origin_(origin) {}

  Status read(const YAML::Node& root, Config& config) const {
    if (root.IsNull()) return {};  // empty file or only comments: defaults
    if (!root.IsMap()) return error_at(root, ErrorCode::kSchema, "the configuration must be a map of keys");
    if (Status s = check_keys(root, kTopLevelKeys, "at the top level"); !s) return s;

    for (const auto& entry : root) {
      const std::string key = entry.first.Scalar();
      const YAML::Node& value = entry.second;
      Status s;
      if (key == "trusted_cidrs") {
        s = read_trusted_cidrs(entry.first, value, config.trusted_cidrs);
      } else if (key == "sensitive_ports") {
        s = read_sensitive_ports(entry.first, value, config.sensitive_ports);
      } else if (key == "thresholds") {
        s = read_thresholds(entry.first, value, config);
      } else if (key == "mutes") {
        s = read_mutes(entry.first, value, config.mutes);
      } else if (key == "shared_services") {
        s = read_shared_services(entry.first, value, config.shared_services);
      }
      if (!s) return s;
    }
    return {};
  }

  [[nodiscard]] Error error_at(const YAML::Node& node, ErrorCode code, std::string message) const {
    return config_error(code, std::move(message), origin_, line_of(node));
  }

  static uint64_t line_of(const YAML::Node& node) {
    const YAML::Mark mark = node.Mark();
    return mark.line >= 0 ? uint64_t(mark.line) + 1 : 0;
  }

 private:
  // The node to point at for a problem with a value: the value itself, or its key when the value is
  // empty (yaml-cpp gives null values no position).
  static const YAML::Node& where(const YAML::Node& key, const YAML::Node& value) {
    return value.IsNull() || value.Mark().line < 0 ? key : value;
  }

  Status check_keys(const YAML::Node& map, std::span<const std::string_view> valid,
                    std::string_view context) const {
    std::vector<std::string> seen;
    for (const auto& entry : map) {
      if (!entry.first.IsScalar()) {
        return error_at(entry.first, ErrorCode::kSchema, fmt::format("keys {} must be plain names", context));
      }
      const std::string& key = entry.first.Scalar();
      if (std::find(valid.begin(), valid.end(), key) == valid.end()) {
        std::string message = fmt::format("unknown key \"{}\" {}", key, context);
        auto closest =
            std::min_element(valid.begin(), valid.end(), [&](std::string_view a, std::string_view b) {
              return edit_distance(key, a) < edit_distance(key, b);
            });
        if (closest != valid.end() && edit_distance(key, *closest) <= 3) {
          message += fmt::format(" (did you mean \"{}\"?)", *closest);
        }
        message += fmt::format("; valid keys: {}", fmt::join(valid, ", "));
        return error_at(entry.first, ErrorCode::kSchema, std::move(message));
      }
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        return error_at(entry.first, ErrorCode::kSchema,
                        fmt::format("duplicate key \"{}\" {}", key, context));
      }
      seen.push_back(key);
    }
    return {};
  }

  // A list, or nothing (a key with no value, e.g. every entry commented out) when `null_ok`.
  Status expect_list(const YAML::Node& key, const YAML::Node& value, bool null_ok) const {
    if (value.IsSequence() || (null_ok && value.IsNull())) return {};
    return error_at(where(key, value), ErrorCode::kSchema,
                    fmt::format("\"{}\" must be a list", key.Scalar()));
  }

  Status read_trusted_cidrs(const YAML::Node& key, const YAML::Node& value, std::vector<Cidr>& out) const {
    if (Status s = expect_list(key, value, true); !s) return s;
    out.clear();
    for (const YAML::Node& item : value) {
      if (!item.IsScalar()) {
        return error_at(item, ErrorCode::kSchema,
                        "trusted_cidrs entries must be CIDR strings like \"203.0.113.0/24\"");
      }
      const std::string& text = item.Scalar();
      Expected<ParsedCidr> parsed = parse_cidr(text);
      if (!parsed) {
        std::string message = parsed.error().message;
        if (parse_ip(text))
          message +=
              fmt::format(" (for one address write \"{}/{}\")", text, text.find(':') == text.npos ? 32 : 128);
        return error_at(item, ErrorCode::kInvalidArgument, std::move(message));
      }
      const Cidr& cidr = parsed->cidr;
      // Trust widens what fortress accepts, so an ambiguous entry is an error, not a guess.
      if (parsed->host_bits_cleared) {
        return error_at(
            item, ErrorCode::kInvalidArgument,
            fmt::format("trusted CIDR \"{}\" has host bits set: write \"{}\" for the block or \"{}/{}\" "
                        "for the single address",
                        text, cidr.to_string(), text.substr(0, text.find('/')),
                        cidr.family() == IpFamily::kV4 ? 32 : 128));
      }
      if (cidr.is_any()) {
        return error_at(item, ErrorCode::kInvalidArgument,
                        fmt::format("trusted CIDR \"{}\" would trust every address", text));
      }
      out.push_back(cidr);
    }
    return {};
  }

  Status read_sensitive_ports(const YAML::Node& key, const YAML::Node& value,
                              std::vector<PortRange>& out) const {
    // No "null means empty" here: an empty list turns sg-sensitive-port-open off, so it must be explicit.
    if (Status s = expect_list(key, value, false); !s) return s;
    out.clear();
    for (const YAML::Node& item : value) {
      if (!item.IsScalar()) {
        return error_at(item, ErrorCode::kSchema,
                        "sensitive_ports entries must be ports (22) or ranges (\"137-139\")");
      }
      Expected<PortRange> range = parse_port_range(item.Scalar());
      if (!range) return error_at(item, ErrorCode::kInvalidArgument, range.error().message);
      out.push_back(*range);
    }
    return {};
  }

  Status read_count(const YAML::Node& key, const YAML::Node& value, uint32_t max, uint32_t& out) const {
    const YAML::Node& at = where(key, value);
    const std::string what = fmt::format("thresholds.{} must be a whole number 0..{}", key.Scalar(), max);
    if (!value.IsScalar()) return error_at(at, ErrorCode::kSchema, what);
    const std::string& text = value.Scalar();
    if (text.empty() || text.size() > 10 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return error_at(at, ErrorCode::kInvalidArgument, fmt::format("{}, not \"{}\"", what, text));
    }
    const uint64_t n = std::stoull(text);
    if (n > max) return error_at(at, ErrorCode::kInvalidArgument, fmt::format("{}, not {}", what, text));
    out = uint32_t(n);
    return {};
  }

  Status read_thresholds(const YAML::Node& key, const YAML::Node& value, Config& config) const {
    if (value.IsNull()) return {};
    if (!value.IsMap())
      return error_at(where(key, value), ErrorCode::kSchema, "\"thresholds\" must be a map");
    if (Status s = check_keys(value, kThresholdKeys, "in thresholds"); !s) return s;
    for (const auto& entry : value) {
      const std::string& name = entry.first.Scalar();
      Status s;
      if (name == "wide_port_range") {
        s = read_count(entry.first, entry.second, 65535, config.wide_port_range_threshold);
      } else if (name == "max_rules_per_group") {
        s = read_count(entry.first, entry.second, std::numeric_limits<uint32_t>::max(),
                       config.max_rules_per_group);
      } else if (name == "iam_privileged_share_percent") {
        s = read_count(entry.first, entry.second, 100, config.iam_privileged_share_percent);
      } else if (name == "credentials_unused_days") {
        s = read_count(entry.first, entry.second, 3650, config.credentials_unused_days);
      }
      if (!s) return s;
    }
    return {};
  }

  Status read_mutes(const YAML::Node& key, const YAML::Node& value, std::vector<MuteRule>& out) const {
    if (Status s = expect_list(key, value, true); !s) return s;
    out.clear();
    size_t index = 0;
    for (const YAML::Node& item : value) {
      const std::string context = fmt::format("in mutes[{}]", index++);
      if (!item.IsMap()) {
        return error_at(
            item, ErrorCode::kSchema,
            fmt::format("each entry of mutes must be a map with check, resource, region, account and "
                        "reason ({} is not)",
                        context.substr(3)));
      }
      if (Status s = check_keys(item, kMuteKeys, context); !s) return s;
      MuteRule rule;
      bool has_reason = false;
      for (const auto& entry : item) {
        const std::string& field = entry.first.Scalar();
        const YAML::Node& v = entry.second;
        if (!v.IsScalar() || v.Scalar().empty()) {
          return error_at(where(entry.first, v), ErrorCode::kSchema,
                          fmt::format("\"{}\" {} must be a non-empty string{}", field, context,
                                      field == "reason" ? "" : " (\"*\" matches anything)"));
        }
        const std::string& text = v.Scalar();
        if (field == "check") rule.check = text;
        if (field == "resource") rule.resource = text;
        if (field == "region") rule.region = text;
        if (field == "account") rule.account = text;
        if (field == "reason") {
          rule.reason = text;
          has_reason = true;
        }
      }
      if (!has_reason) {
        return error_at(
            item, ErrorCode::kSchema,
            fmt::format("missing \"reason\" {}: every mute must say why the finding is accepted", context));
      }
      out.push_back(std::move(rule));
    }
    return {};
  }

  Status read_shared_services(const YAML::Node& key, const YAML::Node& value, SharedServices& out) const {
    if (value.IsNull()) return {};
    if (!value.IsMap()) return error_at(where(key, value), ErrorCode::kSchema, "\"shared_services\" must be a map");
    if (Status s = check_keys(value, kSharedServiceKeys, "in shared_services"); !s) return s;
    for (const auto& entry : value) {
      const std::string& name = entry.first.Scalar();
      const YAML::Node& v = entry.second;
      if (name == "max_sources") {
        if (Status s = read_count(entry.first, v, std::numeric_limits<uint32_t>::max(), out.max_sources); !s) return s;
        continue;
      }
      if (name == "recognize_directory_ports") {
        if (!v.IsScalar() || (v.Scalar() != "true" && v.Scalar() != "false"))
          return error_at(where(entry.first, v), ErrorCode::kSchema,
                          "shared_services.recognize_directory_ports must be true or false");
        out.recognize_directory_ports = v.Scalar() == "true";
        continue;
      }
      if (Status s = expect_list(entry.first, v, true); !s) return s;
      for (const YAML::Node& item : v) {
        if (!item.IsScalar() || item.Scalar().empty())
          return error_at(item, ErrorCode::kSchema, fmt::format("shared_services.{} entries must be non-empty strings", name));
        const std::string& text = item.Scalar();
        if (name == "instances") {
          if (!text.starts_with("i-"))
            return error_at(item, ErrorCode::kInvalidArgument,
                            fmt::format("shared_services.instances: \"{}\" is not an instance ID (i-...)", text));
          out.instances.push_back(text);
        } else {
          SharedServices::TagMatch m;
          const size_t eq = text.find('=');
          m.key = text.substr(0, eq);
          if (eq == std::string::npos) {
            m.any_value = true;
          } else {
            m.value = text.substr(eq + 1);
          }
          if (m.key.empty())
            return error_at(item, ErrorCode::kInvalidArgument,
                            fmt::format("shared_services.tags: \"{}\" has no tag key (write Key=Value or Key)", text));
          out.tags.push_back(std::move(m));
        }
      }
    }
    return {};
  }

  std::string_view origin_;
};

}  // namespace

std::vector<PortRange> Config::default_sensitive_ports() {
  // Databases, caches, message brokers, directory and file services, remote desktops other than RDP,
  // container and orchestration APIs, dashboards and common admin consoles. 22 and 3389 have their
  // own checks (sg-admin-port-open-*) and are deliberately absent.
  return {
      PortRange::single(20),    PortRange::single(21),    PortRange::single(23),    PortRange::single(25),
      PortRange::single(53),    PortRange::single(88),    PortRange::single(110),   PortRange::single(135),
      PortRange{137, 139},      PortRange::single(143),   PortRange::single(389),   PortRange::single(445),
      PortRange::single(636),   PortRange::single(1433),  PortRange::single(1434),  PortRange::single(1521),
      PortRange::single(2049),  PortRange::single(2375),  PortRange::single(2376),  PortRange::single(2379),
      PortRange::single(2483),  PortRange::single(2484),  PortRange::single(3000),  PortRange::single(3306),
      PortRange::single(4333),  PortRange::single(5000),  PortRange::single(5432),  PortRange::single(5500),
      PortRange::single(5601),  PortRange::single(5900),  PortRange::single(6379),  PortRange::single(6443),
      PortRange::single(7000),  PortRange::single(7001),  PortRange::single(7199),  PortRange::single(8020),
      PortRange::single(8080),  PortRange::single(8088),  PortRange::single(8888),  PortRange::single(9042),
      PortRange::single(9092),  PortRange::single(9160),  PortRange::single(9200),  PortRange::single(9300),
      PortRange::single(11211), PortRange::single(27017), PortRange::single(27018),
  };
}

bool Config::is_trusted(const Cidr& block) const {
  return std::any_of(trusted_cidrs.begin(), trusted_cidrs.end(),
                     [&](const Cidr& t) { return t.contains(block); });
}

namespace {

// Notes where each document of a YAML stream starts; ignores everything else.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
  }
  void OnMapEnd() override {}
};

}  // namespace

Expected<Config> parse_config(std::string_view yaml_text, std::string_view origin) {
  const ConfigReader reader(origin);
  try {
    const std::string text(yaml_text);
    const YAML::Node root = YAML::Load(text);
    // A second document is an error. YAML::LoadAll() is not used to find one: in yaml-cpp 0.7 it
    // loops forever, allocating, on some malformed input (",", jbeder/yaml-cpp#1040, fixed upstream
    // in #1319), so the stream is walked again and at most two documents are asked for.
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentStarts starts;
    if (parser.HandleNextDocument(starts) && parser.HandleNextDocument(starts) && starts.starts.size() == 2) {
      const YAML::Mark& second = starts.starts[1];
      const uint64_t line = second.line >= 0 ? uint64_t(second.line) + 1 : 0;
      if (second.pos == starts.starts[0].pos) {  // the parser is stuck: what it saw is not YAML
        return config_error(ErrorCode::kParse, "invalid YAML: unexpected content", origin, line);
      }
      return config_error(ErrorCode::kParse, "more than one YAML document; write a single one", origin, line);
    }
    Config config;
    if (Status s = reader.read(root, config); !s) return s.error();
    return config;
  } catch (const YAML::Exception& e) {
    const uint64_t line = e.mark.line >= 0 ? uint64_t(e.mark.line) + 1 : 0;
    return config_error(ErrorCode::kParse, "invalid YAML: " + e.msg, origin, line);
  } catch (const std::exception& e) {
    return config_error(ErrorCode::kParse, std::string("invalid YAML: ") + e.what(), origin);
  } catch (...) {
    return config_error(ErrorCode::kParse, "invalid YAML", origin);
  }
}

Expected<Config> load_config(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return config_error(ErrorCode::kIo, "is a directory, not a config file", path.string());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return config_error(ErrorCode::kIo, fmt::format("cannot read config file: {}", std::strerror(errno)),
                        path.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return config_error(ErrorCode::kIo, "error while reading config file", path.string());
  return parse_config(text.str(), path.string());
}

}  // namespace fortress
