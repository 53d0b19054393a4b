// The query and ec2 protocols: form-encoded request bodies (Action=...&Version=...) and XML
// responses. Used through protocol.h; declared here for protocol.cpp and tests.
#pragma once

#include "aws/protocol.h"

namespace fortress::aws::detail {

// ec2 / query request: POST, Content-Type application/x-www-form-urlencoded; charset=utf-8.
[[nodiscard]] Expected<SerializedRequest> serialize_query(const ServiceModel& model,
                                                          const Operation& operation,
                                                          const JsonValue& params);
// XML response → CLI JSON. query: the output sits in <OperationResult> (the output's
// resultWrapper); ec2: directly under the root element.
[[nodiscard]] Expected<JsonValue> parse_xml_response(const ServiceModel& model, const Operation& operation,
                                                     const HttpReply& reply);
// <ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse> (query) or
// <Response><Errors><Error>...</Error></Errors><RequestID/></Response> (ec2).
[[nodiscard]] ServiceError parse_xml_error(const ServiceModel& model, const HttpReply& reply);

}  // namespace fortress::aws::detail
