// run_checks() on the demo account: the exposure it computes beside the checks gives what a given
// exposure gives, and the checks outside reads_exposure() do not read it (they run without it).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checks/registry.h"
#include "config/config.h"
#include "load/snapshot.h"
#include "reach/exposure.h"

namespace fortress {
namespace {

struct Demo {
  LoadResult loaded;
  Config config;
};

const Demo& demo() {
  static const Demo d = [] {
    Demo out;
    auto r = load_snapshot(std::string(FORTRESS_SOURCE_DIR) + "/examples/demo-account");
    EXPECT_TRUE(r) << r.error().to_string();
    if (r) out.loaded = std::move(r).value();
    auto c = load_config(std::string(FORTRESS_SOURCE_DIR) + "/examples/demo-fortress.yaml");
    EXPECT_TRUE(c) << c.error().to_string();
    if (c) out.config = std::move(c).value();
    return out;
  }();
  return d;
}

// Everything a report shows of a finding, one line.
std::string line(const Finding& f) {
  return fmt::format("{} {} {} {} | {} | {} | {}", f.check_id, to_string(f.status), f.region, f.resource_id, f.detail,
                     f.evidence.json(), f.remediation_cli);
}

std::vector<std::string> lines(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(line(f));
  return out;
}

TEST(RunChecks, ComputedExposureGivesWhatAGivenOneGives) {
  const Demo& d = demo();
  const reach::Exposure exposure = reach::compute_exposure(d.loaded.account, d.config);
  CheckContext given{d.loaded.account, d.config};
  given.exposure = &exposure;
  CheckContext computed{d.loaded.account, d.config};
  computed.compute_exposure = true;
  const std::vector<std::string> expected = lines(run_checks(given));
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(lines(run_checks(computed)), expected);
  // Only some checks selected, exposure readers among them.
  const std::vector<std::string> only = {"sg-unused", "exposed-admin-port", "sg-admin-port-open-ipv4", "vpc-flow-logs-disabled"};
  EXPECT_EQ(lines(run_checks(computed, only)), lines(run_checks(given, only)));
  // Without either, the readers cannot say whether the internet reaches anything.
  const CheckContext neither{d.loaded.account, d.config};
  EXPECT_NE(lines(run_checks(neither, only)), lines(run_checks(given, only)));
}

TEST(RunChecks, ChecksOutsideTheExposureReadersDoNotReadIt) {
  const Demo& d = demo();
  const reach::Exposure exposure = reach::compute_exposure(d.loaded.account, d.config);
  size_t readers = 0, differ = 0;
  for (const Check& check : all_checks()) {
    const std::vector<std::string> only = {std::string(check.meta.id)};
    CheckContext with{d.loaded.account, d.config};
    with.exposure = &exposure;
    const CheckContext without{d.loaded.account, d.config};
    const bool same = lines(run_checks(with, only)) == lines(run_checks(without, only));
    if (reads_exposure(check.meta.id)) {
      ++readers;
      differ += !same;
    } else {
      EXPECT_TRUE(same) << check.meta.id << " reads the exposure: add it to reads_exposure()";
    }
  }
  EXPECT_EQ(readers, 9u);  // every name in the list is a check
  EXPECT_GE(differ, 5u);   // and the demo account shows what most of them read
}

}  // namespace
}  // namespace fortress
