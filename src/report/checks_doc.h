// The check catalogue, generated from check metadata: `fortress checks` and docs/checks.md.
#pragma once

#include <ostream>

namespace fortress {

void write_checks_text(std::ostream& out);      // one line per check
void write_checks_json(std::ostream& out);      // array of metadata objects
void write_checks_markdown(std::ostream& out);  // docs/checks.md, byte for byte

}  // namespace fortress
