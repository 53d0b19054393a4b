// User configuration (fortress.yaml): trusted ranges, the sensitive-port list, thresholds and the
// mutelist. Every key is documented in docs/configuration.md; an unknown key is an error, so a typo
// never silently turns a check off.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/shared_services.h"
#include "model/net.h"
#include "util/expected.h"

namespace fortress {

// A mutelist entry: findings of `check` (or "*") on `resource` (ID, or "*") in `region` (or "*")
// are reported as MUTED instead of FAIL, with the reason. Mutes never hide NOT_ASSESSED.
struct MuteRule {
  std::string check = "*";
  std::string resource = "*";
  std::string region = "*";
  std::string account = "*";
  std::string reason;
};

struct Config {
  // Public source ranges the organization owns or trusts (office egress, VPN concentrators); ingress
  // from inside them is not reported by sg-public-cidr-ingress.
  std::vector<Cidr> trusted_cidrs;
  // Service ports that must never be open to the internet (sg-sensitive-port-open).
  std::vector<PortRange> sensitive_ports = default_sensitive_ports();
  // sg-wide-port-range: a tcp/udp rule spanning more than this many ports.
  uint32_t wide_port_range_threshold = 1000;
  // sg-too-many-rules: a group with more rules than this.
  uint32_t max_rules_per_group = 50;
  // iam-privileged-share: fails when more than this percentage of the human IAM users (console
  // password) are admin-equivalent.
  uint32_t iam_privileged_share_percent = 50;
  // credentials-unused-45-days (CIS 1.12): a password or active access key unused for this many
  // days or more (CIS: 45).
  uint32_t credentials_unused_days = 45;
  std::vector<MuteRule> mutes;
  SharedServices shared_services;  // shared-service-reachable-broadly

  [[nodiscard]] static std::vector<PortRange> default_sensitive_ports();
  [[nodiscard]] bool is_trusted(const Cidr& block) const;  // inside one of trusted_cidrs
};

// Reads a YAML config file. Errors name the file, line and key.
[[nodiscard]] Expected<Config> load_config(const std::filesystem::path& path);
// Parses YAML text (`origin` names it in errors).
[[nodiscard]] Expected<Config> parse_config(std::string_view yaml_text, std::string_view origin);

}  // namespace fortress
