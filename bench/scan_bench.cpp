// scan_bench: how long fortress takes to load a large snapshot and run every check over it.
//
// Reads the snapshot directory named by FORTRESS_BENCH_SNAPSHOT (default bench/.data/large, relative
// to the working directory; bench/run.sh generates it with fortress_gen_account). When it is absent
// every benchmark is skipped with a message saying how to make it.
//
//   BM_LoadSnapshot/threads:N  load_snapshot() (walk, read, parse, assemble, index); 0 = all cores
//   BM_RunChecks               the exposure analysis and run_checks() over an account loaded once beforehand
//   BM_LoadAndCheck/all:1      load, exposure and every check, as `fortress scan` does minus the report
//   BM_LoadAndCheck/all:0      the same with the foundation's twelve checks only (issue 2's table)
//   BM_Exposure                the exposure analysis alone
//   BM_Check/<id>              one check (the account and its exposure computed once): where the time goes
//
// Times are wall-clock (UseRealTime): the loader runs on several threads, so the main thread's CPU
// time would undercount. The CPU column is the whole process's CPU time (MeasureProcessCPUTime), all
// threads added up: on a busy machine it is the steadier figure. Counters: sgs, rules (normalized), enis, files, findings, fail,
// BM_LoadAndCheck's load_ms and checks_ms (each phase's wall time; the checks' includes the
// exposure, computed beside the checks that do not read it), and peak_rss_mb, the process's high-water mark so far (getrusage), which includes every earlier
// benchmark in the run; bench/run.sh measures a real scan's peak RSS on its own.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "checks/registry.h"
#include "config/config.h"
#include "load/snapshot.h"
#include "reach/exposure.h"
#include "util/allocator.h"

namespace {

namespace fs = std::filesystem;
using fortress::Account;

std::string snapshot_dir() {
  const char* env = std::getenv("FORTRESS_BENCH_SNAPSHOT");
  return env && *env ? std::string(env) : std::string("bench/.data/large");
}

// Skips the benchmark (with a message) when the snapshot is missing; true when it may run.
bool have_snapshot(benchmark::State& state) {
  std::error_code ec;
  if (fs::is_directory(snapshot_dir(), ec)) return true;
  state.SkipWithError(("snapshot " + snapshot_dir() +
                       " not found: run bench/run.sh, or fortress_gen_account DIR and set FORTRESS_BENCH_SNAPSHOT=DIR")
                          .c_str());
  return false;
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

struct Sizes {
  size_t sgs = 0, rules = 0, enis = 0;
};
Sizes sizes(const Account& account) {
  Sizes s;
  for (const fortress::Region& r : account.regions) {
    s.sgs += r.security_groups.size();
    s.enis += r.network_interfaces.size();
    for (const fortress::SecurityGroup& g : r.security_groups) s.rules += g.rules.size();
  }
  return s;
}

void set_counters(benchmark::State& state, const Account& account) {
  Sizes s = sizes(account);
  state.counters["sgs"] = double(s.sgs);
  state.counters["rules"] = double(s.rules);
  state.counters["enis"] = double(s.enis);
}

void set_finding_counters(benchmark::State& state, const std::vector<fortress::Finding>& findings) {
  size_t fail = 0;
  for (const auto& f : findings) fail += f.status == fortress::FindingStatus::kFail;
  state.counters["findings"] = double(findings.size());
  state.counters["fail"] = double(fail);
}

// The account BM_RunChecks scans, loaded on first use and kept for the rest of the run.
const fortress::LoadResult* shared_load(benchmark::State& state) {
  static std::unique_ptr<fortress::LoadResult> loaded;
  static std::string error;
  if (!loaded && error.empty()) {
    auto r = fortress::load_snapshot(snapshot_dir());
    if (r) {
      loaded = std::make_unique<fortress::LoadResult>(std::move(r).value());
    } else {
      error = r.error().to_string();
    }
  }
  if (!loaded) state.SkipWithError(("load_snapshot failed: " + error).c_str());
  return loaded.get();
}

void BM_LoadSnapshot(benchmark::State& state) {
  if (!have_snapshot(state)) return;
  fortress::LoadOptions options;
  options.threads = unsigned(state.range(0));
  size_t files = 0;
  for (auto _ : state) {
    auto r = fortress::load_snapshot(snapshot_dir(), options);
    if (!r) {
      state.SkipWithError(("load_snapshot failed: " + r.error().to_string()).c_str());
      break;
    }
    files = r->files_loaded;
    state.PauseTiming();  // the counters and the Account's destruction are not part of loading
    set_counters(state, r->account);
    { auto discard = std::move(r); }
    state.ResumeTiming();
  }
  state.counters["files"] = double(files);
  state.counters["peak_rss_mb"] = peak_rss_mb();
}
BENCHMARK(BM_LoadSnapshot)->ArgName("threads")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

void BM_RunChecks(benchmark::State& state) {
  if (!have_snapshot(state)) return;
  const fortress::LoadResult* loaded = shared_load(state);
  if (!loaded) return;
  fortress::Config config;
  std::vector<fortress::Finding> findings;
  for (auto _ : state) {
    fortress::CheckContext ctx{loaded->account, config};
    ctx.compute_exposure = true;
    findings = fortress::run_checks(ctx);
    benchmark::DoNotOptimize(findings.data());
  }
  set_counters(state, loaded->account);
  set_finding_counters(state, findings);
  state.counters["checks"] = double(fortress::all_checks().size());
  state.counters["peak_rss_mb"] = peak_rss_mb();
}
BENCHMARK(BM_RunChecks)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

// The checks of the foundation (issue 2's table), for BM_LoadAndCheck/foundation: the scope its
// target (under 1 s, under 300 MB) was set for. BM_LoadAndCheck/all runs every registered check.
const std::vector<std::string>& foundation_checks() {
  static const std::vector<std::string> ids = {
      "sg-admin-port-open-ipv4", "sg-admin-port-open-ipv6", "sg-all-traffic-open", "sg-sensitive-port-open",
      "sg-wide-port-range",      "sg-public-cidr-ingress",  "sg-default-not-restricted", "sg-egress-open",
      "sg-unused",               "sg-too-many-rules",       "nacl-admin-port-open",      "vpc-flow-logs-disabled"};
  return ids;
}

void BM_LoadAndCheck(benchmark::State& state) {
  if (!have_snapshot(state)) return;
  fortress::Config config;
  const std::span<const std::string> only =
      state.range(0) == 0 ? std::span<const std::string>(foundation_checks()) : std::span<const std::string>();
  std::vector<fortress::Finding> findings;
  using Clock = std::chrono::steady_clock;
  auto ms_since = [](Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); };
  double load_ms = 0, checks_ms = 0;  // the phases' wall time, summed over iterations
  for (auto _ : state) {
    Clock::time_point t = Clock::now();
    auto r = fortress::load_snapshot(snapshot_dir());
    if (!r) {
      state.SkipWithError(("load_snapshot failed: " + r.error().to_string()).c_str());
      break;
    }
    load_ms += ms_since(t);
    t = Clock::now();
    fortress::CheckContext ctx{r->account, config};
    ctx.compute_exposure = true;  // as `fortress scan` does: without it the exposed-* checks only say NOT_ASSESSED
    findings = fortress::run_checks(ctx, only);
    checks_ms += ms_since(t);
    state.PauseTiming();
    set_counters(state, r->account);
    { auto discard = std::move(r); }
    state.ResumeTiming();
  }
  set_finding_counters(state, findings);
  const double n = double(std::max<benchmark::IterationCount>(state.iterations(), 1));
  state.counters["load_ms"] = load_ms / n;
  state.counters["checks_ms"] = checks_ms / n;
  state.counters["peak_rss_mb"] = peak_rss_mb();
}
BENCHMARK(BM_LoadAndCheck)
    ->ArgName("all")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// The exposure analysis alone, over the shared account (the exposed-* and lateral checks read it).
void BM_Exposure(benchmark::State& state) {
  if (!have_snapshot(state)) return;
  const fortress::LoadResult* loaded = shared_load(state);
  if (!loaded) return;
  fortress::Config config;
  size_t classes = 0, exposed = 0, grants = 0;
  for (auto _ : state) {
    const fortress::reach::Exposure exposure = fortress::reach::compute_exposure(loaded->account, config);
    classes = exposure.classes().size();
    exposed = 0;
    grants = 0;
    for (const fortress::reach::ReachClass& c : exposure.classes()) {
      exposed += exposure.internet(c).state == fortress::reach::ClassState::kExposed;
      grants += exposure.internet(c).grants.size();
    }
  }
  state.counters["classes"] = double(classes);
  state.counters["exposed_classes"] = double(exposed);
  state.counters["grants"] = double(grants);
  state.counters["peak_rss_mb"] = peak_rss_mb();
}
BENCHMARK(BM_Exposure)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

// One check at a time over the shared account and its exposure (computed once): where the time of
// BM_RunChecks goes. Registered per check in main(); run with --benchmark_filter=BM_Check/.
void BM_Check(benchmark::State& state, std::string id) {
  if (!have_snapshot(state)) return;
  const fortress::LoadResult* loaded = shared_load(state);
  if (!loaded) return;
  static const fortress::Config config;
  static const fortress::reach::Exposure exposure = fortress::reach::compute_exposure(loaded->account, config);
  fortress::CheckContext ctx{loaded->account, config};
  ctx.exposure = &exposure;
  const std::string only[] = {id};
  std::vector<fortress::Finding> findings;
  for (auto _ : state) {
    findings = fortress::run_checks(ctx, only);
    benchmark::DoNotOptimize(findings.data());
  }
  set_finding_counters(state, findings);
}

}  // namespace

int main(int argc, char** argv) {
  fortress::set_allocator_policy();  // as the fortress binary does
  for (const fortress::Check& c : fortress::all_checks()) {
    const std::string id(c.meta.id);
    benchmark::RegisterBenchmark(("BM_Check/" + id).c_str(), BM_Check, id)
        ->Unit(benchmark::kMillisecond)
        ->MeasureProcessCPUTime()
        ->UseRealTime()
        ->Iterations(1);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
