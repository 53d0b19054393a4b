// flows_bench: Google Benchmark of the flow-log reader (read + aggregate, no output) and of the
// attribution, over FORTRESS_FLOWS_BENCH_LOGS (flow logs, e.g. from fortress_gen_flow_logs) and
// FORTRESS_FLOWS_BENCH_SNAPSHOT (the snapshot they belong to). bench/flows_bench.sh runs it; time is
// the process's CPU time (all threads), bytes/s are of uncompressed records.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "flows/reader.h"
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
