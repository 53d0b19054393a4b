// The reverse of src/aws/protocol.h, for the local AWS test endpoint: turns the JSON the AWS CLI prints
// for an operation (a snapshot file) back into the response body the service would send, in the
// service's own wire protocol (ec2 and query XML, json 1.0/1.1, rest-json), and writes the error
// responses each protocol uses. Driven by the same botocore models, so whatever fortress's parser or the
// AWS CLI reads from it is what the fixture says -- which is the point of the fidelity tests.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/shape_model.h"
#include "util/json_value.h"

namespace fortress::endpoint {

struct WireReply {
  int status = 200;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// The successful response to `operation` whose result is `output` (CLI JSON: member names as keys,
// timestamps as the CLI prints them, IAM policy documents decoded).
[[nodiscard]] WireReply write_output(const aws::ServiceModel& model, const aws::Operation& operation,
                                     const JsonValue& output, std::string_view request_id);

// An error response with AWS's error `code` ("Throttling", "AccessDenied") and HTTP status.
[[nodiscard]] WireReply write_error(const aws::ServiceModel& model, int status, std::string_view code,
                                    std::string_view message, std::string_view request_id);

}  // namespace fortress::endpoint
