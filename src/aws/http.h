// The HTTP transport behind every AWS call: an interface so tests swap in a local endpoint or a fake,
// and a libcurl implementation (connection reuse, TLS verification always on, compressed responses).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/expected.h"

namespace fortress::aws {

struct HttpCall {
  std::string method = "GET";
  std::string url;  // scheme://host[:port]/path?query, already encoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds total_timeout{30000};
};

struct HttpReply {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  long new_connections = 0;  // connections opened for this call (0: an open one was reused)
  [[nodiscard]] std::string_view header(std::string_view lower_name) const;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Performs the call. An Error means no HTTP response was received (connection refused, timeout,
  // TLS failure); any HTTP status, 4xx and 5xx included, is a reply.
  [[nodiscard]] virtual Expected<HttpReply> send(const HttpCall& call) = 0;
};

struct CurlOptions {
  std::string ca_bundle;  // AWS_CA_BUNDLE / ca_bundle: a PEM file to verify against ("" = system store)
  std::string user_agent = "fortress";
};

// One transport per thread (a libcurl easy handle is not shareable); connections are kept alive
// between calls of the same transport.
[[nodiscard]] std::unique_ptr<HttpTransport> make_curl_transport(const CurlOptions& options = {});

}  // namespace fortress::aws
