// inflate_gzip's template body (ISA-L igzip). Included by reader.h only.
#pragma once

#include <isa-l/igzip_lib.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fortress::flows {

namespace detail {
std::string inflate_error_text(int code);
}

template <typename Sink>
InflateResult inflate_gzip(std::string_view compressed, Sink&& sink) {
  InflateResult result;
  auto state = std::make_unique<inflate_state>();
  std::vector<uint8_t> out(size_t(1) << 20);
  const uint8_t* in = reinterpret_cast<const uint8_t*>(compressed.data());
  size_t remaining = compressed.size();
  bool any_member = false;
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
      state->next_out = out.data();
      state->avail_out = uint32_t(out.size());
      const int rc = isal_inflate(state.get());
      const size_t produced = out.size() - state->avail_out;
      if (produced > 0) {
        result.out_bytes += produced;
        sink(std::string_view(reinterpret_cast<const char*>(out.data()), produced));
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

}  // namespace fortress::flows
