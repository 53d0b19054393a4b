// AWS Signature Version 4 (header signing) for the requests fortress sends to AWS.
//
// Implements the documented algorithm: canonical request → string to sign → HMAC-SHA256 chain over
// date/region/service → Authorization header. Tested against the AWS SigV4 test suite
// (../shared/reference/sigv4). Secrets are used only to compute the key; nothing here logs or
// returns the secret, and callers must never print the Authorization header.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fortress::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // "" for long-term keys
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// An HTTP request as it will go on the wire. `path` and `query` are wire text (already
// percent-encoded as sent; query without the leading '?').
struct HttpRequest {
  std::string method = "GET";
  std::string path = "/";
  std::string query;
  HeaderList headers;  // must include Host; X-Amz-Date is added by sign() when absent
  std::string body;
};

struct SigningParams {
  std::string region;   // "us-east-1"
  std::string service;  // signing name: "ec2", "iam", "sts", "guardduty" ...
  std::string amz_date;  // "20150830T123600Z" (UTC)
};

// The pieces of a signature, exposed for tests.
[[nodiscard]] std::string canonical_request(const HttpRequest& request, std::string* signed_headers = nullptr);
[[nodiscard]] std::string string_to_sign(const SigningParams& params, std::string_view canonical_request);
[[nodiscard]] std::string signature(const Credentials& creds, const SigningParams& params,
                                    std::string_view string_to_sign);

// Adds X-Amz-Date (when absent), X-Amz-Security-Token (when the credentials have one) and the
// Authorization header to `request`.
void sign(HttpRequest& request, const Credentials& creds, const SigningParams& params);

// AWS's URI encoding: every byte except A-Z a-z 0-9 - _ . ~ becomes %XX (uppercase hex); '/' is kept
// when keep_slash is true.
[[nodiscard]] std::string uri_encode(std::string_view s, bool keep_slash);
[[nodiscard]] std::string uri_decode(std::string_view s);
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace fortress::aws
