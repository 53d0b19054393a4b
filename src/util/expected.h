// Error values and Expected<T>: how fallible calls report failure across module boundaries.
//
// Library code never throws across a module boundary and never prints. A fallible call returns
// Expected<T>; the Error carries a code, a human message and where it happened (file and line, or
// region and API call), so the CLI can point the user at the exact input that was wrong.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace fortress {

enum class ErrorCode : uint8_t {
  kInvalidArgument,  // the caller passed something malformed (a CIDR, a port, a flag value)
  kParse,            // input text could not be parsed (JSON, YAML, CSV)
  kIo,               // a file could not be read or written
  kSchema,           // well-formed input of the wrong shape (a string where a number belongs)
  kNotFound,
  kUnsupported,
};

struct Error {
  ErrorCode code = ErrorCode::kInvalidArgument;
  std::string message;
  // Where: a path (may be empty) and a 1-based line (0 = unknown) or byte offset.
  std::string file;
  uint64_t line = 0;
  uint64_t offset = 0;

  // "file:line: message" (or "file: message" / "message"), the form every error is shown in.
  [[nodiscard]] std::string to_string() const;
};

// A small stand-in for std::expected (C++23). Holds either a T or an Error.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Expected(Error error) : v_(std::move(error)) {}    // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Expected<void>: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  [[nodiscard]] bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace fortress
