// reach_bench: how long the reachability analysis takes on the large synthetic account.
//
// Reads the snapshot named by FORTRESS_BENCH_SNAPSHOT (default bench/.data/large; bench/run.sh or
// `fortress_gen_account bench/.data/large` makes it), loads it once, then measures:
//   BM_Exposure          compute_exposure(): ENI classes and the internet exposure of every class
//   BM_ExposureLateral   the same, then the lateral index (classes per VPC, where every route table
//                        sends every destination) and the first hop of the blast radius of the first
//                        100 exposed classes: pairs of classes, never pairs of ENIs. `per_class_ms` is
//                        the cost of one blast-radius hop (a class against its VPC and peered VPCs).
//   BM_LateralFirstHop/100, /0   lateral alone on an exposure computed once: the index, then the first
//                        hop of 100 exposed classes (/100) or of every exposed class (/0).
//   BM_LateralGraphSample/100    the whole class-level lateral graph, from every 100th evaluated class,
//                        extrapolated (graph_edges, graph_s).
// Counters: enis, classes, evaluations (distinct internet evaluations), exposed (classes), edges.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
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


// The exposure of the account, computed once for the lateral-only benchmarks below.
const fortress::reach::Exposure* exposure() {
  static std::optional<fortress::reach::Exposure> ex = []() -> std::optional<fortress::reach::Exposure> {
    const fortress::Account* a = account();
    if (a == nullptr) return std::nullopt;
    return fortress::reach::compute_exposure(*a, fortress::Config{});
  }();
  return ex ? &*ex : nullptr;
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// Lateral alone (the exposure computed beforehand): the index (`index_ms`: constructing the Lateral
// and compiling every group, wall), then the first hop of the blast radius of the first `range(0)`
// exposed classes; 0 = every exposed class, which is what `fortress reach` computes first.
void BM_LateralFirstHop(benchmark::State& state) {
  const fortress::reach::Exposure* ex = exposure();
  if (ex == nullptr) {
    state.SkipWithError("snapshot not found: run `fortress_gen_account bench/.data/large` or set FORTRESS_BENCH_SNAPSHOT");
    return;
  }
  const size_t limit = state.range(0) == 0 ? SIZE_MAX : size_t(state.range(0));
  size_t edges = 0, sources = 0, rules = 0;
  double ms = 0, index_ms = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const fortress::reach::Lateral lateral(*ex);
    (void)lateral.between(ex->classes()[0], ex->classes()[0]);  // builds the index
    index_ms = ms_since(start);
    edges = sources = rules = 0;
    for (const auto& c : ex->classes()) {
      if (ex->internet(c).state != fortress::reach::ClassState::kExposed) continue;
      if (sources == limit) break;
      ++sources;
      for (const auto& e : lateral.from(c)) {
        ++edges;
        rules += e.egress_rules.size() + e.ingress_rules.size();
      }
    }
    ms = ms_since(start);
  }
  state.counters["sources"] = double(sources);
  state.counters["edges"] = double(edges);
  state.counters["rules_per_edge"] = double(rules) / double(std::max<size_t>(edges, 1));
  state.counters["index_ms"] = index_ms;
  state.counters["per_class_ms"] = (ms - index_ms) / double(std::max<size_t>(sources, 1));  // wall
}
BENCHMARK(BM_LateralFirstHop)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(3);
BENCHMARK(BM_LateralFirstHop)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(1);

// The whole class-level lateral graph (every evaluated class's from()), estimated from a sample:
// every `range(0)`-th evaluated class. `graph_edges` and `graph_s` extrapolate the sample to every
// class (wall seconds of the from() calls; the index is built once, before the sample).
void BM_LateralGraphSample(benchmark::State& state) {
  const fortress::reach::Exposure* ex = exposure();
  if (ex == nullptr) {
    state.SkipWithError("snapshot not found: run `fortress_gen_account bench/.data/large` or set FORTRESS_BENCH_SNAPSHOT");
    return;
  }
  const size_t every = size_t(state.range(0));
  size_t evaluated = 0, sampled = 0, edges = 0;
  double ms = 0;
  for (auto _ : state) {
    const fortress::reach::Lateral lateral(*ex);
    (void)lateral.between(ex->classes()[0], ex->classes()[0]);  // builds the index
    const auto start = std::chrono::steady_clock::now();
    evaluated = sampled = edges = 0;
    for (const auto& c : ex->classes()) {
      if (ex->internet(c).state == fortress::reach::ClassState::kNotEvaluated) continue;
      if (evaluated++ % every != 0) continue;
      ++sampled;
      edges += lateral.from(c).size();
    }
    ms = ms_since(start);
  }
  const double scale = double(evaluated) / double(std::max<size_t>(sampled, 1));
  state.counters["sampled"] = double(sampled);
  state.counters["edges"] = double(edges);
  state.counters["graph_edges"] = double(edges) * scale;
  state.counters["graph_s"] = ms * scale / 1000;
}
BENCHMARK(BM_LateralGraphSample)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
