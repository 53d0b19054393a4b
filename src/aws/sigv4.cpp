#include "aws/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace fortress::aws {

namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char kHexUpper[] = "0123456789ABCDEF";

std::string to_hex(const unsigned char* data, size_t n) {
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 15];
  }
  return out;
}

using Digest = std::array<unsigned char, 32>;

Digest hmac(std::string_view key, std::string_view data) {
  Digest out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       out.data(), &len);
  return out;
}

std::string_view as_view(const Digest& d) { return {reinterpret_cast<const char*>(d.data()), d.size()}; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Header values: trim, and collapse runs of spaces to one (outside quotes is not distinguished by
// the AWS test suite's applicable cases; AWS documents a plain collapse).
std::string canonical_header_value(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

bool unsigned_header(std::string_view lowered) {
  return lowered == "authorization" || lowered == "user-agent" || lowered == "expect" ||
         lowered == "x-amzn-trace-id" || lowered == "content-length";
}

// Removes "." and ".." segments and repeated slashes, as AWS does for every service but S3.
std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    i = j + 1;
  }
  std::string out;
  for (std::string_view s : segments) {
    out.push_back('/');
    out.append(s);
  }
  if (out.empty() || (path.size() > 1 && path.back() == '/')) out.push_back('/');
  return out;
}

}  // namespace

std::string uri_encode(std::string_view s, bool keep_slash) {
  std::string out;
  out.reserve(s.size() * 3 / 2);
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out.push_back(char(c));
    } else {
      out.push_back('%');
      out.push_back(kHexUpper[c >> 4]);
      out.push_back(kHexUpper[c & 15]);
    }
  }
  return out;
}

std::string uri_decode(std::string_view s) {
  auto hexval = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      out.push_back(char(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), d);
  return to_hex(d, sizeof d);
}

std::string canonical_request(const HttpRequest& request, std::string* signed_headers_out) {
  std::string out = request.method;
  out.push_back('\n');
  // Canonical URI: the normalized path, each segment URI-encoded once more (all services but S3).
  out += uri_encode(normalize_path(request.path), /*keep_slash=*/true);
  out.push_back('\n');

  // Canonical query: decode each name and value, re-encode the AWS way, sort by name then value.
  std::vector<std::pair<std::string, std::string>> params;
  std::string_view q = request.query;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view item = q.substr(0, amp);
    if (!item.empty()) {
      size_t eq = item.find('=');
      std::string_view name = item.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
      params.emplace_back(uri_encode(uri_decode(name), false), uri_encode(uri_decode(value), false));
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  std::sort(params.begin(), params.end());
  for (size_t i = 0; i < params.size(); ++i) {
    if (i > 0) out.push_back('&');
    out += params[i].first;
    out.push_back('=');
    out += params[i].second;
  }
  out.push_back('\n');

  // Canonical headers: lower-case names, sorted; repeated headers joined by commas.
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : request.headers) {
    std::string n = lower(name);
    if (unsigned_header(n)) continue;
    std::string v = canonical_header_value(value);
    auto it = std::find_if(headers.begin(), headers.end(), [&](const auto& h) { return h.first == n; });
    if (it != headers.end()) {
      it->second += "," + v;
    } else {
      headers.emplace_back(std::move(n), std::move(v));
    }
  }
  std::sort(headers.begin(), headers.end());
  std::string signed_headers;
  for (const auto& [name, value] : headers) {
    out += name;
    out.push_back(':');
    out += value;
    out.push_back('\n');
    if (!signed_headers.empty()) signed_headers.push_back(';');
    signed_headers += name;
  }
  out.push_back('\n');
  out += signed_headers;
  out.push_back('\n');
  out += sha256_hex(request.body);
  if (signed_headers_out != nullptr) *signed_headers_out = std::move(signed_headers);
  return out;
}

std::string string_to_sign(const SigningParams& params, std::string_view creq) {
  std::string out = "AWS4-HMAC-SHA256\n";
  out += params.amz_date;
  out.push_back('\n');
  out += params.amz_date.substr(0, 8) + "/" + params.region + "/" + params.service + "/aws4_request\n";
  out += sha256_hex(creq);
  return out;
}

std::string signature(const Credentials& creds, const SigningParams& params, std::string_view sts) {
  Digest k_date = hmac("AWS4" + creds.secret_access_key, params.amz_date.substr(0, 8));
  Digest k_region = hmac(as_view(k_date), params.region);
  Digest k_service = hmac(as_view(k_region), params.service);
  Digest k_signing = hmac(as_view(k_service), "aws4_request");
  Digest sig = hmac(as_view(k_signing), sts);
  return to_hex(sig.data(), sig.size());
}

void sign(HttpRequest& request, const Credentials& creds, const SigningParams& params) {
  auto has = [&](std::string_view name) {
    return std::any_of(request.headers.begin(), request.headers.end(),
                       [&](const auto& h) { return lower(h.first) == name; });
  };
  if (!has("x-amz-date")) request.headers.emplace_back("X-Amz-Date", params.amz_date);
  if (!creds.session_token.empty() && !has("x-amz-security-token")) {
    request.headers.emplace_back("X-Amz-Security-Token", creds.session_token);
  }
  std::string signed_headers;
  std::string creq = canonical_request(request, &signed_headers);
  std::string sts = string_to_sign(params, creq);
  std::string authz = "AWS4-HMAC-SHA256 Credential=" + creds.access_key_id + "/" + params.amz_date.substr(0, 8) +
                      "/" + params.region + "/" + params.service + "/aws4_request, SignedHeaders=" +
                      signed_headers + ", Signature=" + signature(creds, params, sts);
  request.headers.emplace_back("Authorization", std::move(authz));
}

}  // namespace fortress::aws
