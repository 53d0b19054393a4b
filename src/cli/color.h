// Whether a command's terminal report gets colour: only on a terminal, never into a file, never with
// --no-color, a non-empty NO_COLOR (https://no-color.org) or TERM=dumb. One rule for scan, flows and
// reach.
#pragma once

namespace fortress::cli {

[[nodiscard]] bool stdout_wants_color(bool no_color_flag, bool writes_to_file);

}  // namespace fortress::cli
