// `fortress flows --emit-athena`: the Athena DDL over the S3 delivery layout (partition projection, so
// no crawler and no MSCK REPAIR) and the SQL whose result is exactly fortress's aggregate CSV
// (flows/aggregate_io.h), so an organization's terabytes are scanned by Athena and the result is
// attributed by `fortress flows --snapshot DIR --from-aggregate result.csv`.
#pragma once

#include <string>
#include <vector>

#include "flows/format.h"

namespace fortress::flows {

struct AthenaOptions {
  std::string table = "vpc_flow_logs";
  // The S3 prefix that holds AWSLogs/ (s3://bucket/prefix); "s3://<bucket>/<prefix>" when not given.
  std::string location;
  std::string account_id;           // "<account-id>" when unknown
  std::vector<std::string> regions;  // projection.region.values; "<region>" when empty
  bool hive = false;                 // Hive-compatible partitions (aws-account-id=/.../year=/month=/day=)
  std::string from_day = "2020/01/01";  // first day of the projection range (yyyy/MM/dd)
  LogFormat format = LogFormat::default_v2();
};

// The DDL, then the SQL, as one text with comments saying which is which.
[[nodiscard]] std::string athena_statements(const AthenaOptions& options);

}  // namespace fortress::flows
