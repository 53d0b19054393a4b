// Points in time, as the model holds them: whole seconds since the Unix epoch, UTC.
//
// The AWS CLI prints timestamps as ISO 8601 ("2026-11-30T08:15:02+00:00", "2022-04-11T12:33:08.421Z");
// the JSON wire protocols send epoch seconds. Both read to the same UtcTime; fractions of a second
// are dropped (no check needs them). A timestamp that is absent is std::optional's nullopt in the
// model, never the epoch.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace fortress {

using UtcTime = std::chrono::sys_seconds;

// "YYYY-MM-DDTHH:MM:SS" with optional fraction and a zone ("Z", "+00:00", "-0500"; none = UTC), or
// a date alone ("2026-11-30"). nullopt for anything else, including "" and out-of-range fields.
[[nodiscard]] std::optional<UtcTime> parse_utc_time(std::string_view text);
// Epoch seconds (a JSON number; fractions dropped). nullopt outside years 1970..9999.
[[nodiscard]] std::optional<UtcTime> utc_time_from_epoch(double seconds);
// "2026-11-30T08:15:02Z"
[[nodiscard]] std::string format_utc_time(UtcTime t);

}  // namespace fortress
