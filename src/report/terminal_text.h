// Text that reaches a terminal. Resource names, tag values, rule descriptions and file names come
// from the scanned account, which an attacker may control: printed raw, an escape sequence in a Name
// tag could recolour, hide or rewrite the report. Everything fortress prints that came from input
// goes through terminal_safe().
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fortress {

// `text` with every C0/C1 control character, DEL and invalid UTF-8 byte replaced by a visible escape
// ("\x1b", "\u009b"); tabs become a space. Valid UTF-8 otherwise passes through unchanged.
[[nodiscard]] std::string terminal_safe(std::string_view text);

// Display width of `text` in columns: each UTF-8 code point is one column; the colour escape
// sequences fortress itself adds ("\x1b[...m") take none.
[[nodiscard]] size_t display_width(std::string_view text);

// Splits `text` into lines of at most `width` columns at spaces. A word longer than `width` gets a
// line of its own rather than being cut (it may be an ID or ARN the user copies). Embedded newlines
// start new lines. Never returns an empty vector.
[[nodiscard]] std::vector<std::string> wrap_words(std::string_view text, size_t width);

}  // namespace fortress
