#include "flows/athena.h"

#include <fmt/format.h>

#include "flows/aggregate.h"

namespace fortress::flows {

namespace {

std::string column(Field f) {
  std::string c(field_info(f).name);
  for (char& ch : c)
    if (ch == '-') ch = '_';
  return c;
}

std::string quoted(Field f) {
  const std::string c = column(f);
  return c == "end" || c == "start" || c == "version" || c == "region" || c == "type" || c == "bytes" ? "\"" + c + "\"" : c;
}

std::string ddl_type(Field f) {
  switch (f) {
    case Field::kVersion: case Field::kSrcPort: case Field::kDstPort: case Field::kProtocol:
    case Field::kTcpFlags: case Field::kTrafficPath:
      return "int";
    case Field::kPackets: case Field::kBytes: case Field::kStart: case Field::kEnd:
      return "bigint";
    default:
      return "string";
  }
}

}  // namespace

std::string athena_statements(const AthenaOptions& o) {
  const LogFormat& f = o.format;
  const std::string location = o.location.empty() ? "s3://<bucket>/<prefix>" : o.location;
  const std::string account = o.account_id.empty() ? "<account-id>" : o.account_id;
  std::string regions;
  for (const std::string& r : o.regions) regions += (regions.empty() ? "" : ",") + r;
  if (regions.empty()) regions = "<region>";
  std::string base = location;
  while (!base.empty() && base.back() == '/') base.pop_back();

  std::string cols;
  size_t unknown = 0;
  for (Field field : f.fields) {
    std::string name = field == Field::kUnknown ? f.unknown_names[unknown++] : std::string(field_info(field).name);
    for (char& ch : name)
      if (ch == '-') ch = '_';
    cols += fmt::format("  `{}` {},\n", name, field == Field::kUnknown ? "string" : ddl_type(field));
  }
  if (!cols.empty()) cols.resize(cols.size() - 2);

  std::string out;
  out += "-- fortress flows --emit-athena: run the DDL once, then the query; save the query result as CSV and\n";
  out += "-- attribute it with: fortress flows --snapshot DIR --from-aggregate result.csv\n";
  out += fmt::format("-- Flow log format: {}\n\n", f.to_string());
  out += "-- 1. The table: partition projection over the S3 delivery layout (no crawler, no MSCK REPAIR).\n";
  std::string template_path;
  std::string partitions;
  std::string projection;
  if (o.hive) {
    partitions = "`aws-region` string, `year` string, `month` string, `day` string";
    template_path = fmt::format("{}/AWSLogs/aws-account-id={}/aws-service=vpcflowlogs/aws-region=${{aws-region}}/"
                                "year=${{year}}/month=${{month}}/day=${{day}}",
                                base, account);
    projection = fmt::format(
        "  'projection.aws-region.type' = 'enum',\n  'projection.aws-region.values' = '{}',\n"
        "  'projection.year.type' = 'integer',\n  'projection.year.range' = '{},2099',\n"
        "  'projection.month.type' = 'integer',\n  'projection.month.range' = '1,12',\n  'projection.month.digits' = '2',\n"
        "  'projection.day.type' = 'integer',\n  'projection.day.range' = '1,31',\n  'projection.day.digits' = '2',\n",
        regions, o.from_day.substr(0, 4));
  } else {
    partitions = "`region_partition` string, `day` string";
    template_path = fmt::format("{}/AWSLogs/{}/vpcflowlogs/${{region_partition}}/${{day}}", base, account);
    projection = fmt::format(
        "  'projection.region_partition.type' = 'enum',\n  'projection.region_partition.values' = '{}',\n"
        "  'projection.day.type' = 'date',\n  'projection.day.range' = '{},NOW',\n"
        "  'projection.day.format' = 'yyyy/MM/dd',\n  'projection.day.interval' = '1',\n"
        "  'projection.day.interval.unit' = 'DAYS',\n",
        regions, o.from_day);
  }
  out += fmt::format(
      "CREATE EXTERNAL TABLE IF NOT EXISTS {} (\n{}\n)\nPARTITIONED BY ({})\n"
      "ROW FORMAT DELIMITED FIELDS TERMINATED BY ' '\nLOCATION '{}/AWSLogs/{}'\nTBLPROPERTIES (\n"
      "  'skip.header.line.count' = '1',\n  'projection.enabled' = 'true',\n{}"
      "  'storage.location.template' = '{}'\n);\n\n",
      o.table, cols, partitions, base, o.hive ? "aws-account-id=" + account : account + "/vpcflowlogs", projection,
      template_path);

  // 2. The aggregate: the same key and counters as fortress's reader (flows/aggregate.h, docs/flows.md).
  auto has = [&](Field x) { return f.has(x); };
  const std::string src = has(Field::kPktSrcAddr) ? "COALESCE(NULLIF(pkt_srcaddr, '-'), srcaddr)" : "srcaddr";
  const std::string dst = has(Field::kPktDstAddr) ? "COALESCE(NULLIF(pkt_dstaddr, '-'), dstaddr)" : "dstaddr";
  const std::string flags = has(Field::kTcpFlags) ? "tcp_flags" : "CAST(NULL AS integer)";
  const std::string direction = has(Field::kFlowDirection) ? "COALESCE(NULLIF(flow_direction, '-'), '-')" : "'-'";
  const std::string status = has(Field::kLogStatus) ? "log_status" : "'OK'";
  const std::string day_filter = o.hive ? "year >= '2020'" : "day >= '2020/01/01'";
  out += "-- 2. The aggregate (fortress's CSV): one row per flow key, one per (interface, flow log) observation.\n";
  out += "--    Narrow the partitions in both WHERE clauses to the window you want.\n";
  out += fmt::format(
      "WITH r AS (\n"
      "  SELECT interface_id, {src} AS src, {dst} AS dst,\n"
      "         COALESCE(srcport, 0) AS srcport, COALESCE(dstport, 0) AS dstport, protocol, action,\n"
      "         {direction} AS flow_direction, {flags} AS tcp_flags, COALESCE(packets, 0) AS packets,\n"
      "         COALESCE(bytes, 0) AS bytes, start, \"end\", {status} AS log_status,\n"
      "         COALESCE(regexp_extract(\"$path\", '_vpcflowlogs_[a-z0-9-]+_(fl-[0-9a-f]+)_', 1), '') AS flow_log_id\n"
      "  FROM {table}\n"
      "  WHERE {day_filter}\n"
      "), k AS (\n"
      "  SELECT *, CASE\n"
      "      WHEN protocol = 6 AND tcp_flags IS NOT NULL AND bitwise_and(tcp_flags, 18) = 2 THEN 'src-flags'\n"
      "      WHEN protocol = 6 AND tcp_flags IS NOT NULL AND bitwise_and(tcp_flags, 18) = 18 THEN 'dst-flags'\n"
      "      WHEN protocol NOT IN (6, 17) THEN 'unknown'\n"
      "      WHEN (srcport < 1024) <> (dstport < 1024) THEN IF(dstport < 1024, 'src-port', 'dst-port')\n"
      "      WHEN (srcport >= {eph}) <> (dstport >= {eph}) THEN IF(srcport >= {eph}, 'src-port', 'dst-port')\n"
      "      ELSE 'unknown' END AS initiator\n"
      "  FROM r\n"
      "  WHERE log_status = 'OK' AND interface_id <> '-' AND src <> '-' AND dst <> '-' AND protocol IS NOT NULL\n"
      "    AND action IN ('ACCEPT', 'REJECT')\n"
      ")\n"
      "SELECT 'flow' AS kind, interface_id, '' AS flow_log_id, src AS src_addr, dst AS dst_addr,\n"
      "       IF(protocol IN (6, 17) AND initiator NOT IN ('src-flags', 'src-port'), srcport, 0) AS src_port,\n"
      "       IF(protocol IN (6, 17) AND initiator NOT IN ('dst-flags', 'dst-port'), dstport, 0) AS dst_port,\n"
      "       protocol, action, flow_direction, initiator, count(*) AS flows, sum(packets) AS packets,\n"
      "       sum(bytes) AS bytes, COALESCE(min(start), 0) AS first_start, COALESCE(max(\"end\"), 0) AS last_end,\n"
      "       0 AS nodata, 0 AS skipdata\n"
      "FROM k\n"
      "GROUP BY 2, 4, 5, 6, 7, 8, 9, 10, 11\n"
      "UNION ALL\n"
      "SELECT 'observation', interface_id, flow_log_id, '', '', NULL, NULL, NULL, '', '', '', count(*), 0, 0,\n"
      "       COALESCE(min(start), 0), COALESCE(max(\"end\"), 0), count_if(log_status = 'NODATA'),\n"
      "       count_if(log_status = 'SKIPDATA')\n"
      "FROM r\n"
      "WHERE interface_id <> '-'\n"
      "GROUP BY 2, 3;\n",
      fmt::arg("src", src), fmt::arg("dst", dst), fmt::arg("direction", direction), fmt::arg("flags", flags),
      fmt::arg("status", status), fmt::arg("table", o.table), fmt::arg("day_filter", day_filter),
      fmt::arg("eph", kEphemeralFrom));
  (void)quoted;
  return out;
}

}  // namespace fortress::flows
