// The AWS shared config and credentials files (~/.aws/config, ~/.aws/credentials), read the way the
// AWS CLI reads them: `[default]` and `[profile NAME]` sections in the config file, `[NAME]` in the
// credentials file (which wins for the keys it has), `key = value` lines, `#` and `;` comments,
// indented continuation lines belong to a nested block (e.g. `s3 =`) and are kept as that key's raw
// value. Locations follow AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "util/expected.h"

namespace fortress::aws {

using Profile = std::map<std::string, std::string>;  // key → value, keys lower-case as written

struct SharedConfig {
  std::map<std::string, Profile> profiles;  // merged: config file first, then credentials file over it
  std::map<std::string, Profile> sso_sessions;  // [sso-session NAME]

  [[nodiscard]] const Profile* profile(std::string_view name) const;
};

// Parses the text of a config (is_credentials_file = false) or credentials file into `into`.
// Malformed lines are errors naming `origin` and the line.
[[nodiscard]] Status parse_shared_config(std::string_view text, std::string_view origin, bool is_credentials_file,
                                         SharedConfig& into);

// Where the files are: env AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else $HOME/.aws/{config,credentials}.
struct SharedConfigPaths {
  std::filesystem::path config;
  std::filesystem::path credentials;
};
using GetEnv = std::function<std::optional<std::string>(const std::string& name)>;
[[nodiscard]] SharedConfigPaths shared_config_paths(const GetEnv& getenv_fn);

// Reads both files (a missing file is not an error; an unreadable or malformed one is).
[[nodiscard]] Expected<SharedConfig> load_shared_config(const SharedConfigPaths& paths);

}  // namespace fortress::aws
