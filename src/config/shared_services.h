// The `shared_services:` configuration key (docs/configuration.md): which instances are shared
// services (directory, DNS, file servers) whose reachability shared-service-reachable-broadly reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fortress {

struct SharedServices {
  std::vector<std::string> instances;  // instance IDs
  struct TagMatch {
    std::string key;
    std::string value;  // "" with any_value: the tag present with any value
    bool any_value = false;
  };
  std::vector<TagMatch> tags;          // "Key=Value" or "Key"
  bool recognize_directory_ports = true;  // also instances whose groups open Kerberos (88) and LDAP (389/636/3268/3269)
  uint32_t max_sources = 10;              // FAIL when more ENIs than this can reach the service
};

}  // namespace fortress
