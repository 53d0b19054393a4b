// flows_bench: Google Benchmark of the flow-log reader (read + aggregate, no output) and of the
// attribution, over FORTRESS_FLOWS_BENCH_LOGS (flow logs, e.g. from fortress_gen_flow_logs) and
// FORTRESS_FLOWS_BENCH_SNAPSHOT (the snapshot they belong to). bench/flows_bench.sh runs it; time is
// the process's CPU time (all threads), bytes/s are of uncompressed records.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "flows/reader.h"
#include "flows/record.h"
#include "flows/rule_usage.h"
#include "load/snapshot.h"

namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : nullptr;
}

void BM_ReadAggregate(benchmark::State& state) {
  const char* logs = env("FORTRESS_FLOWS_BENCH_LOGS");
  if (logs == nullptr) {
    state.SkipWithError("set FORTRESS_FLOWS_BENCH_LOGS to a folder of flow logs (bench/flows_bench.sh)");
    return;
  }
  const std::vector<std::string> paths = {logs};
  fortress::flows::ReadOptions o;
  o.threads = unsigned(state.range(0));
  uint64_t bytes = 0;
  size_t keys = 0;
  for (auto _ : state) {
    fortress::flows::Aggregate a = fortress::flows::read_flow_logs(paths, o);
    bytes += a.stats.bytes;
    keys = a.flows.size();
    benchmark::DoNotOptimize(keys);
  }
  state.SetBytesProcessed(int64_t(bytes));
  state.counters["keys"] = double(keys);
}
// The default-v2 line parser alone (parse_record_v2, the variant this CPU runs), over every line of the
// .log files under FORTRESS_FLOWS_BENCH_LOGS held in memory: what the reader's hot loop spends on
// parsing, without reading, splitting or aggregating.
void BM_ParseV2(benchmark::State& state) {
  const char* logs = env("FORTRESS_FLOWS_BENCH_LOGS");
  if (logs == nullptr) {
    state.SkipWithError("set FORTRESS_FLOWS_BENCH_LOGS to a folder of flow logs (bench/flows_bench.sh)");
    return;
  }
  std::string text;
  for (const auto& e : std::filesystem::recursive_directory_iterator(logs)) {
    if (!e.is_regular_file() || e.path().extension() != ".log") continue;
    std::ifstream in(e.path(), std::ios::binary);
    text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  text.append(64, '\n');  // the parser reads up to 16 bytes past a line
  std::vector<std::string_view> lines;
  for (size_t pos = 0; pos < text.size();) {
    const size_t nl = text.find('\n', pos);
    if (nl > pos && text.compare(pos, 8, "version ") != 0) lines.emplace_back(text.data() + pos, nl - pos);
    pos = nl + 1;
  }
  size_t parsed = 0;
  for (auto _ : state) {
    parsed = 0;
    fortress::flows::V2Record r;
    for (std::string_view line : lines) {
      parsed += fortress::flows::parse_record_v2(line, r);
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetItemsProcessed(int64_t(lines.size()) * state.iterations());
  state.counters["ns_per_line"] =
      benchmark::Counter(double(lines.size()) * double(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["fast_share"] = lines.empty() ? 0.0 : double(parsed) / double(lines.size());
}
BENCHMARK(BM_ParseV2)->Unit(benchmark::kMillisecond)->Iterations(3);

BENCHMARK(BM_ReadAggregate)->Arg(1)->Arg(2)->MeasureProcessCPUTime()->UseRealTime()->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_Attribute(benchmark::State& state) {
  const char* logs = env("FORTRESS_FLOWS_BENCH_LOGS");
  const char* snapshot = env("FORTRESS_FLOWS_BENCH_SNAPSHOT");
  if (logs == nullptr || snapshot == nullptr) {
    state.SkipWithError("set FORTRESS_FLOWS_BENCH_LOGS and FORTRESS_FLOWS_BENCH_SNAPSHOT (bench/flows_bench.sh)");
    return;
  }
  const std::vector<std::string> paths = {logs};
  fortress::flows::Aggregate a = fortress::flows::read_flow_logs(paths, {});
  fortress::Expected<fortress::LoadResult> loaded = fortress::load_snapshot(snapshot);
  if (!loaded) {
    state.SkipWithError("the snapshot does not load");
    return;
  }
  for (auto _ : state) {
    fortress::flows::RuleUsage u = fortress::flows::attribute(a, loaded->account);
    benchmark::DoNotOptimize(u.stats.keys);
  }
  state.counters["keys"] = double(a.flows.size());
}
BENCHMARK(BM_Attribute)->MeasureProcessCPUTime()->UseRealTime()->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
