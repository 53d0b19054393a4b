#include "aws/shared_config.h"

#include <fmt/format.h>

#include <cctype>
#include <fstream>
#include <sstream>

namespace fortress::aws {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A comment starts a line with # or ;, or follows whitespace mid-line (as botocore reads values).
std::string_view strip_inline_comment(std::string_view value) {
  for (size_t i = 1; i < value.size(); ++i) {
    if ((value[i] == '#' || value[i] == ';') && std::isspace(static_cast<unsigned char>(value[i - 1]))) {
      return trim(value.substr(0, i));
    }
  }
  return value;
}

Error config_error(std::string_view origin, uint64_t line, std::string message) {
  Error e;
  e.code = ErrorCode::kParse;
  e.file = std::string(origin);
  e.line = line;
  e.message = std::move(message);
  return e;
}

}  // namespace

const Profile* SharedConfig::profile(std::string_view name) const {
  auto it = profiles.find(std::string(name));
  return it == profiles.end() ? nullptr : &it->second;
}

Status parse_shared_config(std::string_view text, std::string_view origin, bool is_credentials_file,
                           SharedConfig& into) {
  Profile* current = nullptr;
  bool skipping_section = false;  // a section we do not use (e.g. [services x]) is read but ignored
  std::string last_key;
  uint64_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;

    if (line.front() == '[') {
      if (line.back() != ']') return config_error(origin, line_no, "section header without closing ']'");
      std::string_view name = trim(line.substr(1, line.size() - 2));
      last_key.clear();
      skipping_section = false;
      if (is_credentials_file) {
        current = &into.profiles[std::string(name)];
      } else if (name == "default") {
        current = &into.profiles["default"];
      } else if (name.substr(0, 8) == "profile " || name.substr(0, 8) == "profile\t") {
        current = &into.profiles[std::string(trim(name.substr(8)))];
      } else if (name.substr(0, 12) == "sso-session ") {
        current = &into.sso_sessions[std::string(trim(name.substr(12)))];
      } else {
        current = nullptr;  // [services ...], [plugins], unknown: not a profile
        skipping_section = true;
      }
      continue;
    }

    const bool indented = std::isspace(static_cast<unsigned char>(raw.front())) != 0;
    if (indented && !last_key.empty()) {
      // A nested block (`s3 =` followed by indented `key = value` lines): kept raw under its key.
      if (current != nullptr) {
        std::string& v = (*current)[last_key];
        if (!v.empty()) v.push_back('\n');
        v.append(line);
      }
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return config_error(origin, line_no, fmt::format("expected 'key = value', found '{}'", line));
    }
    if (current == nullptr && !skipping_section) {
      return config_error(origin, line_no, "setting outside of any [section]");
    }
    std::string key(trim(line.substr(0, eq)));
    if (key.empty()) return config_error(origin, line_no, "empty key before '='");
    std::string_view value = strip_inline_comment(trim(line.substr(eq + 1)));
    last_key = key;
    if (current != nullptr) (*current)[key] = std::string(value);
  }
  return {};
}

SharedConfigPaths shared_config_paths(const GetEnv& getenv_fn) {
  SharedConfigPaths p;
  std::filesystem::path home;
  if (auto h = getenv_fn("HOME")) home = *h;
  auto expand = [&](const std::string& s) -> std::filesystem::path {
    if (s.size() >= 1 && s[0] == '~' && (s.size() == 1 || s[1] == '/')) return home / s.substr(s.size() > 1 ? 2 : 1);
    return s;
  };
  if (auto c = getenv_fn("AWS_CONFIG_FILE"); c && !c->empty()) {
    p.config = expand(*c);
  } else {
    p.config = home / ".aws" / "config";
  }
  if (auto c = getenv_fn("AWS_SHARED_CREDENTIALS_FILE"); c && !c->empty()) {
    p.credentials = expand(*c);
  } else {
    p.credentials = home / ".aws" / "credentials";
  }
  return p;
}

Expected<SharedConfig> load_shared_config(const SharedConfigPaths& paths) {
  SharedConfig config;
  // Config first, then credentials over it: the credentials file wins for the keys it sets.
  for (bool creds : {false, true}) {
    const std::filesystem::path& path = creds ? paths.credentials : paths.config;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      Error e;
      e.code = ErrorCode::kIo;
      e.file = path.string();
      e.message = "cannot read the AWS shared config file";
      return e;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    SharedConfig part;
    if (Status s = parse_shared_config(ss.str(), path.string(), creds, part); !s) return s.error();
    for (auto& [name, profile] : part.profiles) {
      for (auto& [k, v] : profile) config.profiles[name][k] = std::move(v);
    }
    for (auto& [name, session] : part.sso_sessions) config.sso_sessions[name] = std::move(session);
  }
  return config;
}

}  // namespace fortress::aws
