// Internals shared by the protocol implementations (protocol_query.cpp, protocol_json.cpp). Not part
// of the public interface: include protocol.h instead.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/protocol.h"

namespace fortress::aws::detail {

// "Bad Request" for 400 and so on ("" for codes without a common phrase).
[[nodiscard]] std::string reason_phrase(long status);
// A 5xx whose body is empty or an HTML page: no protocol error to parse (botocore's generic error).
[[nodiscard]] bool is_generic_error_body(long status, std::string_view body);
// kInvalidArgument naming an input parameter path ("Filters[0].Name").
[[nodiscard]] Error param_error(std::string_view path, std::string message);
// kSchema naming a response member path.
[[nodiscard]] Error shape_error(std::string_view path, std::string message);
// The operation's endpoint.hostPrefix with {Label} replaced from params; nullopt when the operation
// has none or on error (then `error` is set and its message non-empty).
[[nodiscard]] std::optional<std::string> expand_host_prefix(const Operation& operation,
                                                            const ServiceModel& model,
                                                            const JsonValue& params, Error& error);

}  // namespace fortress::aws::detail
