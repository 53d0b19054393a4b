// The json (JSON 1.0/1.1 RPC) and rest-json protocols. Used through protocol.h; declared here for
// protocol.cpp and tests.
#pragma once

#include "aws/protocol.h"

namespace fortress::aws::detail {

// json: POST /, X-Amz-Target: <targetPrefix>.<Operation>, Content-Type application/x-amz-json-<v>,
// body = the params as JSON ("{}" when there are none).
[[nodiscard]] Expected<SerializedRequest> serialize_json(const ServiceModel& model,
                                                         const Operation& operation, const JsonValue& params);
// rest-json: members bound to URI labels ({Name}, greedy {Name+}), query string, headers (and
// header maps); the rest (or the payload member) as the JSON body.
[[nodiscard]] Expected<SerializedRequest> serialize_rest_json(const ServiceModel& model,
                                                              const Operation& operation,
                                                              const JsonValue& params);
// JSON body (and, for rest-json, header / status-code bound members) → CLI JSON.
[[nodiscard]] Expected<JsonValue> parse_json_response(const ServiceModel& model, const Operation& operation,
                                                      const HttpReply& reply);
// {"__type": "...", "message": "..."} with X-Amzn-ErrorType / "code" taking precedence for rest-json.
[[nodiscard]] ServiceError parse_json_error(const ServiceModel& model, const HttpReply& reply);

}  // namespace fortress::aws::detail
