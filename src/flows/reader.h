// Reading flow logs into an Aggregate: files, directories (the S3 delivery tree, plain or Hive-style
// partitions), .log and .log.gz (ISA-L inflate, multi-member, truncation kept and reported),
// CloudWatch Logs exports (`aws logs filter-log-events` / `get-log-events` JSON), on several threads.
//
// Bad input never stops the run: a malformed line is counted and sampled (file:line, reason), a
// truncated or corrupt .gz keeps what it inflated and is reported, an unreadable or unsupported file
// (Parquet: no Debian package reads it) is reported and skipped. Library code: no printing.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "flows/aggregate.h"
#include "flows/format.h"
#include "model/account.h"

namespace fortress::flows {

struct ReadOptions {
  // --format-string: the format of files without a header line (CloudWatch exports, headerless .log).
  std::optional<LogFormat> format_override;
  // The snapshot, for the formats of files without a header: the flow log named by the file's S3 key
  // (..._fl-0abc_...), else the flow log covering the record's interface. May be null.
  const Account* account = nullptr;
  unsigned threads = 0;              // 0 = all cores
  size_t chunk_bytes = size_t(32) << 20;  // plain files larger than this are split at line boundaries
  size_t max_samples = 20;           // malformed-line samples kept
  // Records a thread stages before they go into the flow table in a round (aggregate.h FlowStager;
  // at least the table's keys). Tests make it small to run many rounds.
  size_t stage_records = size_t(1) << 20;
};

// What an S3 key (file name) says: "123456789012_vpcflowlogs_us-east-1_fl-0abc_20240101T0000Z_hash.log.gz".
struct S3KeyInfo {
  std::string account_id;
  std::string region;
  std::string flow_log_id;  // "" when the name does not follow AWS's pattern
};
[[nodiscard]] S3KeyInfo parse_s3_key(std::string_view path);

// The input files under `paths` (files as given; directories walked recursively, in name order,
// keeping .log, .log.gz, .gz, .txt, .json and .parquet files). Paths that do not exist are issues.
[[nodiscard]] std::vector<std::string> list_inputs(std::span<const std::string> paths, std::vector<FileIssue>& issues);

// Reads every input into one aggregate (stats.files counts the files read).
[[nodiscard]] Aggregate read_flow_logs(std::span<const std::string> paths, const ReadOptions& options);

// The building block, for tests, the fuzz target and benchmarks: aggregates the lines of one
// in-memory text (a header line first is honoured). `name` is used in samples.
void aggregate_text(std::string_view text, std::string_view name, const LogFormat& format, Aggregate& into,
                    size_t max_samples = 20);

// The same for a CloudWatch Logs export (`aws logs filter-log-events` / `get-log-events` JSON).
void aggregate_cloudwatch_export(std::string_view json, std::string_view name, const ReadOptions& options,
                                 Aggregate& into);

// Inflates a whole gzip buffer (all members) with ISA-L, calling `sink` with decompressed pieces.
// Returns "" when complete, else why it stopped ("truncated: ...", "corrupt: ..."); what was inflated
// before that was passed to `sink`.
struct InflateResult {
  uint64_t out_bytes = 0;
  std::string error;  // "" when the whole input inflated
};
template <typename Sink>
InflateResult inflate_gzip(std::string_view compressed, Sink&& sink);
InflateResult inflate_gzip_into(std::string_view compressed, std::string& out);  // convenience
// The same straight into the caller's buffer `out` (no copy): after each step sink(out, filled) gets
// the bytes in out[0, filled) and returns how many at the end it did not consume (a cut-off line,
// fewer than out_size); those are moved to the front and the next bytes are inflated after them.
template <typename Sink>
InflateResult inflate_gzip_blocks(std::string_view compressed, char* out, size_t out_size, Sink&& sink);

}  // namespace fortress::flows

#include "flows/inflate_impl.h"
