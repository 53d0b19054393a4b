#include "util/expected.h"

#include <fmt/format.h>

namespace fortress {

std::string Error::to_string() const {
  if (file.empty()) return message;
  if (line > 0) return fmt::format("{}:{}: {}", file, line, message);
  if (offset > 0) return fmt::format("{}: byte {}: {}", file, offset, message);
  return fmt::format("{}: {}", file, message);
}

}  // namespace fortress
