#include "cli/color.h"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace fortress::cli {

bool stdout_wants_color(bool no_color_flag, bool writes_to_file) {
  if (no_color_flag || writes_to_file) return false;
  if (const char* no_color = std::getenv("NO_COLOR"); no_color != nullptr && *no_color != '\0') return false;
  if (const char* term = std::getenv("TERM"); term != nullptr && std::string_view(term) == "dumb") return false;
  return isatty(STDOUT_FILENO) == 1;
}

}  // namespace fortress::cli
