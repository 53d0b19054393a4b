// The reachability report (`fortress reach DIR`): what the internet reaches and through which path,
// what each exposed instance reaches next (blast radius), which internet rules of security groups
// reach nothing and why, and the attack graph over classes of ENIs. Built from an Exposure; written as
// terminal text, JSON (docs/output.md), Graphviz DOT or SVG (rendered in process by libgvc).
#pragma once

#include <ostream>
#include <string>

#include "model/account.h"
#include "reach/exposure.h"
#include "reach/lateral.h"
#include "util/expected.h"
#include "util/json_value.h"

namespace fortress::reach {

struct ReachOptions {
  bool all_edges = false;       // the graph also holds the lateral edges between every pair of classes
  size_t max_classes_for_all_edges = 2000;
  size_t max_second_hops = 200;  // per exposed class
};

// The whole report as a JSON value (the `--format json` document).
[[nodiscard]] JsonValue reach_report(const Account& account, const Config& config, const Exposure& exposure,
                                     const ReachOptions& options, std::string_view tool_version);
// The terminal text of a report made by reach_report(). `color`: section headings bold, the exposed
// resources red, the not-assessed lines yellow (ANSI escapes; the caller decides, as for `scan`). Every
// text that came from the snapshot (names, descriptions, reasons) is printed through terminal_safe().
void write_reach_terminal(const JsonValue& report, std::ostream& out, bool color = false);
// Graphviz DOT of the report's graph: one node per class of ENIs (its security groups, subnet and
// members), the internet in red, edges labelled with the ports.
[[nodiscard]] std::string reach_dot(const JsonValue& report);
// SVG of a DOT document, laid out by Graphviz's dot engine (libgvc); an error when Graphviz fails.
[[nodiscard]] Expected<std::string> render_svg(const std::string& dot);

}  // namespace fortress::reach
