// Calls made once per parent resource ("fan-out": get-trail-status per trail, describe-target-health
// per target group, ...) can fail for one parent while the rest succeed. The dataset's coverage is
// then kError (its detail names the resource) and the parent's child data stays nullopt; this record
// lets a check ask about one resource: Region::fan_out_failure(dataset, id).
#pragma once

#include <string>

#include "model/dataset.h"
#include "util/intern.h"

namespace fortress {

struct FanOutFailure {
  Dataset dataset;
  Symbol id;           // the parent's ID as the call took it (trail ARN, target group ARN, detector ID)
  std::string detail;  // "AccessDenied: ... (us-east-1/cloudtrail/get-trail-status/<file>.error.json)"
};

}  // namespace fortress
