// reach_bench: how long the reachability analysis takes on the large synthetic account.
//
// Reads the snapshot named by FORTRESS_BENCH_SNAPSHOT (default bench/.data/large; bench/run.sh or
// `fortress_gen_account bench/.data/large` makes it), loads it once, then measures:
//   BM_Exposure          compute_exposure(): ENI classes and the internet exposure of every class
//   BM_ExposureLateral   the same, then the lateral index (classes per VPC, where every route table
//                        sends every destination) and the first hop of the blast radius of the first
//                        100 exposed classes: pairs of classes, never pairs of ENIs. `per_class_ms` is
//                        the cost of one blast-radius hop (a class against its VPC and peered VPCs).
// Counters: enis, classes, evaluations (distinct internet evaluations), exposed (classes), edges.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "config/config.h"
#include "load/snapshot.h"
#include "reach/exposure.h"
#include "reach/lateral.h"

namespace {

const fortress::Account* account() {
  static std::optional<fortress::LoadResult> loaded = [] {
    const char* env = std::getenv("FORTRESS_BENCH_SNAPSHOT");
    const std::string dir = env && *env ? env : "bench/.data/large";
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return std::optional<fortress::LoadResult>();
    fortress::Expected<fortress::LoadResult> r = fortress::load_snapshot(dir);
    if (!r) return std::optional<fortress::LoadResult>();
    return std::optional<fortress::LoadResult>(std::move(*r));
  }();
  return loaded ? &loaded->account : nullptr;
}

void count(benchmark::State& state, const fortress::reach::Exposure& ex) {
  size_t enis = 0, exposed = 0;
  for (const auto& c : ex.classes()) {
    enis += c.members.size();
    exposed += ex.internet(c).state == fortress::reach::ClassState::kExposed ? 1 : 0;
  }
  state.counters["enis"] = double(enis);
  state.counters["classes"] = double(ex.classes().size());
  state.counters["exposed"] = double(exposed);
}

void BM_Exposure(benchmark::State& state) {
  const fortress::Account* a = account();
  if (a == nullptr) {
    state.SkipWithError("snapshot not found: run `fortress_gen_account bench/.data/large` or set FORTRESS_BENCH_SNAPSHOT");
    return;
  }
  const fortress::Config config;
  for (auto _ : state) {
    fortress::reach::Exposure ex = fortress::reach::compute_exposure(*a, config);
    benchmark::DoNotOptimize(ex);
    state.PauseTiming();
    count(state, ex);
    state.ResumeTiming();
  }
}
BENCHMARK(BM_Exposure)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

void BM_ExposureLateral(benchmark::State& state) {
  const fortress::Account* a = account();
  if (a == nullptr) {
    state.SkipWithError("snapshot not found: run `fortress_gen_account bench/.data/large` or set FORTRESS_BENCH_SNAPSHOT");
    return;
  }
  const fortress::Config config;
  for (auto _ : state) {
    fortress::reach::Exposure ex = fortress::reach::compute_exposure(*a, config);
    const fortress::reach::Lateral lateral(ex);
    size_t edges = 0, sources = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const auto& c : ex.classes()) {
      if (ex.internet(c).state != fortress::reach::ClassState::kExposed) continue;
      if (++sources > 100) break;
      edges += lateral.from(c).size();
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    state.counters["edges"] = double(edges);
    state.counters["per_class_ms"] = ms / double(std::min<size_t>(sources, 100));
    count(state, ex);
  }
}
BENCHMARK(BM_ExposureLateral)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
