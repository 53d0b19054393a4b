// inflate_gzip's template body (ISA-L igzip). Included by reader.h only.
#pragma once

#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fortress::flows {

namespace detail {
std::string inflate_error_text(int code);
}

template <typename Sink>
InflateResult inflate_gzip_blocks(std::string_view compressed, char* out, size_t out_size, Sink&& sink) {
  InflateResult result;
  auto state = std::make_unique<inflate_state>();
  const uint8_t* in = reinterpret_cast<const uint8_t*>(compressed.data());
  size_t remaining = compressed.size();
  bool any_member = false;
  size_t kept = 0;  // bytes at the front of out the sink handed back (a cut-off line)
  while (remaining > 0) {
    if (in[0] != 0x1f || (remaining >= 2 && in[1] != 0x8b)) {
      // Trailing bytes after a complete member: zero padding is harmless, anything else is reported.
      bool zeros = true;
      for (size_t i = 0; i < remaining && zeros; ++i) zeros = in[i] == 0;
      if (!zeros) result.error = any_member ? "corrupt: bytes after the last gzip member are not gzip"
                                            : "not gzip: the file does not start with the gzip magic bytes";
      return result;
    }
    isal_inflate_init(state.get());
    state->crc_flag = ISAL_GZIP;
    state->next_in = const_cast<uint8_t*>(in);
    state->avail_in = uint32_t(std::min<size_t>(remaining, UINT32_MAX));
    size_t fed = state->avail_in;
    while (true) {
      state->next_out = reinterpret_cast<uint8_t*>(out + kept);
      state->avail_out = uint32_t(std::min<size_t>(out_size - kept, UINT32_MAX));
      const size_t room = state->avail_out;
      const int rc = isal_inflate(state.get());
      const size_t produced = room - state->avail_out;
      if (produced > 0) {
        result.out_bytes += produced;
        const size_t filled = kept + produced;
        kept = sink(out, filled);
        if (kept >= out_size) kept = 0;  // the sink must consume something; never stall
        if (kept > 0) std::memmove(out, out + filled - kept, kept);
      }
      if (rc < 0) {
        result.error = "corrupt: " + detail::inflate_error_text(rc);
        return result;
      }
      if (state->block_state == ISAL_BLOCK_FINISH) break;
      if (state->avail_in == 0) {
        if (fed < remaining) {  // more than 4 GiB of input: feed the next part
          const size_t used = fed;
          in += used;
          remaining -= used;
          state->next_in = const_cast<uint8_t*>(in);
          state->avail_in = uint32_t(std::min<size_t>(remaining, UINT32_MAX));
          fed = state->avail_in;
          continue;
        }
        if (produced == 0) {
          result.error = "truncated: the gzip stream ends before its last block";
          return result;
        }
      }
    }
    any_member = true;
    const size_t consumed = fed - state->avail_in;
    in += consumed;
    remaining -= consumed;
  }
  if (!any_member) result.error = "not gzip: empty file";
  return result;
}

template <typename Sink>
InflateResult inflate_gzip(std::string_view compressed, Sink&& sink) {
  std::vector<char> out(size_t(1) << 20);
  return inflate_gzip_blocks(compressed, out.data(), out.size(), [&](const char* data, size_t filled) -> size_t {
    sink(std::string_view(data, filled));
    return 0;
  });
}

}  // namespace fortress::flows
