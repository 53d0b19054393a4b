// The CLI as an explicit list of steps (after Falco's app/app.cpp): each step returns a RunResult that
// says whether it worked and whether to go on, and carries the exit status the run ends with.
#pragma once

#include <string>
#include <utility>

#include "report/scan_summary.h"

namespace fortress::cli {

struct RunResult {
  bool success = true;  // false: `error` says what went wrong (printed on stderr by the caller)
  std::string error;
  bool proceed = true;  // false: stop here, the run is over
  ScanExit exit = ScanExit::kClean;

  static RunResult ok() { return {}; }
  // Stop with an error message and an exit status.
  static RunResult fail(ScanExit exit, std::string message) {
    return {false, std::move(message), false, exit};
  }
  // Stop successfully with an exit status (the last step).
  static RunResult done(ScanExit exit) { return {true, {}, false, exit}; }
};

// Runs `steps` over `state` in order until one says not to proceed; returns the last result.
template <typename State, typename Step, size_t N>
RunResult run_steps(State& state, const Step (&steps)[N]) {
  RunResult result;
  for (const Step& step : steps) {
    result = step(state);
    if (!result.proceed) break;
  }
  return result;
}

}  // namespace fortress::cli
