// The default-v2 fast parser (parse_record_v2) against the general one (parse_record): on random and
// adversarial lines, whenever the fast parser accepts a line the general parser must accept it too and
// give the same value for every field; and the fast parser must take the ordinary lines (else the
// reader would silently fall back to the slow path).
#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "flows/record.h"

namespace fortress::flows {
namespace {

// The line in a buffer followed by '\n' and junk, as in a file: parse_record_v2 reads past the end. The
// record's views point into the buffer, which lives as long as the test.
// Both variants run (SSE2 and, when the CPU has it, AVX2) and must agree on the verdict and every field;
// `r` is the SSE2 variant's.
bool same_fields(const V2Record& a, const V2Record& b) {
  return a.version == b.version && a.account_id == b.account_id && a.interface_id == b.interface_id &&
         a.has_src == b.has_src && a.has_dst == b.has_dst && (!a.has_src || a.src == b.src) && (!a.has_dst || a.dst == b.dst) &&
         a.src_port == b.src_port && a.dst_port == b.dst_port && a.protocol == b.protocol && a.packets == b.packets &&
         a.bytes == b.bytes && a.start == b.start && a.end == b.end && a.action == b.action &&
         a.log_status == b.log_status;
}
size_t avx512_own = 0;  // lines the AVX-512 variant's own path took (not handed to the AVX2 variant)
bool last_own = false;  // ... and whether it took the last one
bool fast(const std::string& line, V2Record& r, std::mt19937_64& rng) {
  static std::string buf;
  buf = line + "\n";
  for (int i = 0; i < 24; ++i) buf.push_back(rng() % 3 == 0 ? ' ' : char('0' + rng() % 10));
  const std::string_view view(buf.data(), line.size());
  const bool sse2 = parse_record_v2(view, r, V2Path::kSse2);
  V2Record automatic;
  EXPECT_EQ(parse_record_v2(view, automatic), sse2) << line;
  if (sse2) EXPECT_TRUE(same_fields(automatic, r)) << line;
  if (v2_avx2_available()) {
    V2Record avx2;
    EXPECT_EQ(parse_record_v2(view, avx2, V2Path::kAvx2), sse2) << "AVX2 and SSE2 disagree: " << line;
    if (sse2) EXPECT_TRUE(same_fields(avx2, r)) << "AVX2 and SSE2 disagree: " << line;
  }
  if (v2_avx512_available()) {
    V2Record avx512;
    EXPECT_EQ(parse_record_v2(view, avx512, V2Path::kAvx512), sse2) << "AVX-512 and SSE2 disagree: " << line;
    if (sse2) EXPECT_TRUE(same_fields(avx512, r)) << "AVX-512 and SSE2 disagree: " << line;
    V2Record own;
    last_own = detail::parse_v2_avx512_only(view, own);
    if (last_own) {
      ++avx512_own;
      EXPECT_TRUE(sse2) << "taken by the AVX-512 path only: " << line;
      if (sse2) EXPECT_TRUE(same_fields(own, r)) << "the AVX-512 path and SSE2 disagree: " << line;
    }
  }
  return sse2;
}

void expect_same(const std::string& line, const V2Record& v, const FlowRecord& f) {
  SCOPED_TRACE(line);
  EXPECT_EQ(v.version, f.version);
  EXPECT_EQ(v.account_id, f.account_id);
  EXPECT_EQ(v.interface_id, f.interface_id);
  EXPECT_EQ(v.has_src, f.has_src);
  EXPECT_EQ(v.has_dst, f.has_dst);
  if (f.has_src) EXPECT_EQ(v.src, f.src);
  if (f.has_dst) EXPECT_EQ(v.dst, f.dst);
  EXPECT_EQ(v.src_port, f.src_port);
  EXPECT_EQ(v.dst_port, f.dst_port);
  EXPECT_EQ(v.protocol, f.protocol);
  EXPECT_EQ(v.packets, f.packets);
  EXPECT_EQ(v.bytes, f.bytes);
  EXPECT_EQ(v.start, f.start);
  EXPECT_EQ(v.end, f.end);
  EXPECT_EQ(v.action, f.action);
  EXPECT_EQ(v.log_status, f.log_status);
}

// Values for a column: mostly valid ones, then edge and invalid ones.
std::string pick(std::mt19937_64& rng, const std::vector<std::string>& good, const std::vector<std::string>& odd) {
  if (rng() % 4 != 0) return good[rng() % good.size()];
  return odd[rng() % odd.size()];
}

std::string random_digits(std::mt19937_64& rng, int max_len) {
  std::string s;
  const int n = 1 + int(rng() % uint64_t(max_len));
  for (int i = 0; i < n; ++i) s.push_back(char('0' + rng() % 10));
  return s;
}

std::string random_bytes(std::mt19937_64& rng) {
  std::string s;
  const int n = 1 + int(rng() % 6);
  for (int i = 0; i < n; ++i) {
    const char alphabet[] = "0123456789.:-abcdefACEPTOKR\r\t\x01\x7f\xff";
    s.push_back(alphabet[rng() % (sizeof alphabet - 1)]);
  }
  return s;
}

std::string random_v4(std::mt19937_64& rng) {
  return std::to_string(rng() % 300) + "." + std::to_string(rng() % 256) + "." + std::to_string(rng() % 256) + "." +
         std::to_string(rng() % 260);
}

std::string random_line(std::mt19937_64& rng) {
  const std::vector<std::string> odd_num = {"-", "0", "00", "01", "+1", "-1", "1a", "", "65535", "65536", "255", "256",
                                            "127", "128", "4294967295", "4294967296", "18446744073709551615",
                                            "18446744073709551616", "99999999999999999999", "000000000000000000001",
                                            "1234567890123456", "12345678901234567"};
  const std::vector<std::string> odd_addr = {"-", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "256.1.1.1",
                                             "1..2.3", "::", "2001:db8::1", "2001:db8::g", "::ffff:1.2.3.4",
                                             "1.2.3.4:", "fe80::1%eth0", "0.0.0.0", "255.255.255.255",
                                             "2001:db8:1234:a100:8d6e:3477:df66:f105"};
  std::vector<std::string> f;
  f.push_back(pick(rng, {"2"}, {"-", "3", "02", "127", "128", "x"}));
  f.push_back(pick(rng, {"123456789010", "000000000000"}, {"-", random_bytes(rng), std::string(70, '1')}));
  f.push_back(pick(rng, {"eni-1235b8ca123456789", "eni-0a1b2c3d"}, {"-", "eni-", random_bytes(rng)}));
  for (int i = 0; i < 2; ++i) f.push_back(pick(rng, {random_v4(rng), "10.0.0.1"}, odd_addr));
  for (int i = 0; i < 2; ++i) f.push_back(pick(rng, {std::to_string(rng() % 65536)}, odd_num));
  f.push_back(pick(rng, {"6", "17", "1"}, odd_num));
  for (int i = 0; i < 2; ++i) f.push_back(pick(rng, {random_digits(rng, 12)}, odd_num));
  for (int i = 0; i < 2; ++i) f.push_back(pick(rng, {"1418530010"}, odd_num));
  f.push_back(pick(rng, {"ACCEPT", "REJECT"}, {"-", "ACCEPTED", "accept", "REJEC", random_bytes(rng)}));
  f.push_back(pick(rng, {"OK", "NODATA", "SKIPDATA"}, {"-", "ok", "NODATAX", "SKIP", random_bytes(rng)}));
  // Structure: drop or add a column now and then.
  const uint64_t shape = rng() % 20;
  if (shape == 0) f.erase(f.begin() + long(rng() % f.size()));
  if (shape == 1) f.insert(f.begin() + long(rng() % f.size()), random_bytes(rng));
  std::string line;
  if (rng() % 30 == 0) line += " ";
  for (size_t i = 0; i < f.size(); ++i) {
    if (i != 0) line += rng() % 40 == 0 ? (rng() % 2 ? "  " : "\t") : " ";
    line += f[i];
  }
  if (rng() % 30 == 0) line += " ";
  if (rng() % 20 == 0) line += "\r";
  return line;
}

TEST(RecordV2, AgreesWithTheGeneralParserOnRandomLines) {
  std::mt19937_64 rng(20261204);
  size_t general_ok = 0, fast_ok = 0, ordinary = 0, ordinary_fast = 0, avx512_common = 0;
  avx512_own = 0;
  for (int i = 0; i < 300000; ++i) {
    const std::string line = random_line(rng);
    FlowRecord f;
    const bool g = !parse_record(line, LogFormat::default_v2(), f);
    V2Record v;
    const bool q = fast(line, v, rng);
    general_ok += g;
    if (q) {
      ++fast_ok;
      ASSERT_TRUE(g) << "accepted by the fast parser only: \"" << line << "\"";
      expect_same(line, v, f);
      if (::testing::Test::HasFailure()) return;
    }
    const std::string bare = !line.empty() && line.back() == '\r' ? line.substr(0, line.size() - 1) : line;
    // The AVX-512 path's own lines: IPv4, every field present, status OK, at most 127 bytes, counters
    // of at most 16 digits. It must take every one of them itself.
    if (q && v2_avx512_available() && v.log_status == LogStatus::kOk && v.src.family == IpFamily::kV4 &&
        v.dst.family == IpFamily::kV4 && (" " + bare + " ").find(" - ") == std::string::npos && bare.size() <= 127 &&
        v.packets < 10000000000000000ull && v.bytes < 10000000000000000ull) {
      ++avx512_common;
      if (!last_own) ADD_FAILURE() << "a common line handed on by the AVX-512 path: \"" << line << "\"";
    }
    if (g && bare.find("  ") == std::string::npos && bare.front() != ' ' && bare.back() != ' ' &&
        bare.find('\t') == std::string::npos && bare.size() <= 200) {
      ++ordinary;
      ordinary_fast += q;
      if (!q) ADD_FAILURE() << "an ordinary line left to the general parser: \"" << line << "\"";
    }
  }
  // The fast parser takes every ordinary line (single spaces, not too long) the general one accepts.
  EXPECT_GT(general_ok, 10000u);
  EXPECT_EQ(ordinary_fast, ordinary);
  EXPECT_GT(fast_ok, general_ok / 2);
  // The AVX-512 path itself takes the common lines, not only hands them on.
  if (v2_avx512_available()) {
    EXPECT_GT(avx512_common, 2000u);
    EXPECT_GE(avx512_own, avx512_common);
  }
}

TEST(RecordV2, AdversarialLines) {
  std::mt19937_64 rng(7);
  const std::string ok =
      "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";
  std::vector<std::string> lines = {
      ok,
      ok + "\r",
      ok + " ",
      " " + ok,
      ok + " extra",
      "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT",
      "2 123456789010 eni-1235b8ca123456789 172.31.16.139  172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
      "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
      "- - - - - - - - - - - - - -",
      "2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8::1 22 443 6 1 2 3 4 REJECT OK",
      "2 1 e 1.2.3.4 1.2.3.4 1 1 1 1 1 1 1 - -",
      "2 1 e 1.2.3.4 1.2.3.4 65536 1 1 1 1 1 1 ACCEPT OK",
      "2 1 e 1.2.3.4 1.2.3.4 1 1 256 1 1 1 1 ACCEPT OK",
      "2 1 e 1.2.3.4 1.2.3.4 1 1 1 18446744073709551616 1 1 1 ACCEPT OK",
      "2 1 e 1.2.3.4 1.2.3.4 1 1 1 18446744073709551615 1 1 4294967296 ACCEPT OK",
      "128 1 e 1.2.3.4 1.2.3.4 1 1 1 1 1 1 1 ACCEPT OK",
      "2 1 e 1.2.3.04 1.2.3.4 1 1 1 1 1 1 1 ACCEPT OK",
      "2 1 e 1.2.3.4 1.2.3.4 1 1 1 1 1 1 1 ACCEPT\rOK",
      "2 1 e 1.2.3.4 1.2.3.4 1 1 1 1 1 1 1 ACCEPT OK\r\r",
      "2\t1 e 1.2.3.4 1.2.3.4 1 1 1 1 1 1 1 1 ACCEPT OK",
      "2 " + std::string(240, 'a') + " e 1.2.3.4 1.2.3.4 1 1 1 1 1 1 1 ACCEPT OK",  // over 256 bytes
      "2 " + std::string(60, 'a') + " e 1.2.3.4 1.2.3.4 1 1 1 1 1 1 1 ACCEPT OK",   // across 64-bit words
  };
  // Every length around the 16-byte blocks and the 64-bit words.
  for (size_t pad = 0; pad < 200; ++pad) lines.push_back("2 " + std::string(pad + 1, '9') + " e 1.2.3.4 1.2.3.4 1 1 1 1 1 1 1 ACCEPT OK");
  size_t taken = 0;
  for (const std::string& line : lines) {
    FlowRecord f;
    const bool g = !parse_record(line, LogFormat::default_v2(), f);
    V2Record v;
    if (fast(line, v, rng)) {
      ++taken;
      ASSERT_TRUE(g) << "accepted by the fast parser only: \"" << line << "\"";
      expect_same(line, v, f);
    }
  }
  V2Record v;
  EXPECT_TRUE(fast(ok, v, rng));
  EXPECT_TRUE(fast(ok + "\r", v, rng));
  EXPECT_FALSE(fast(ok + " extra", v, rng));
  EXPECT_FALSE(fast(" " + ok, v, rng));  // the general parser decides (it accepts it)
  EXPECT_GT(taken, 150u);
}

// Each variant reads at most 16 bytes past the line's end: lines of every length end 16 bytes before an
// unreadable page (a read beyond is a crash). Both agree with the general parser there too.
TEST(RecordV2, ReadsAtMostSixteenBytesPastTheEnd) {
  const size_t page = size_t(sysconf(_SC_PAGESIZE));
  void* mem = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(mem, MAP_FAILED);
  char* const base = static_cast<char*>(mem);
  ASSERT_EQ(mprotect(base + page, page, PROT_NONE), 0);
  size_t taken = 0;
  for (size_t len = 27; len <= 260; ++len) {
    // "2 1 e 1.2.3.4 1.2.3.4 1 1 1 1 1 1 1 ACCEPT OK" with the account ID stretched to `len` bytes.
    const std::string head = "2 ", rest = " e 1.2.3.4 1.2.3.4 1 1 1 1 1 1 1 ACCEPT OK";
    const std::string line = len >= head.size() + rest.size() + 1 ? head + std::string(len - head.size() - rest.size(), '7') + rest
                                                                  : "2 1 e 1.2.3.4 1.2.3.4 1 1 1 1 1 1 1 - -";
    char* const at = base + page - 16 - line.size();
    std::memcpy(at, line.data(), line.size());
    std::memset(at + line.size(), ' ', 16);
    const std::string_view view(at, line.size());
    FlowRecord f;
    const bool g = !parse_record(line, LogFormat::default_v2(), f);
    V2Record a, b;
    const bool sse2 = parse_record_v2(view, a, V2Path::kSse2);
    if (sse2) {
      ++taken;
      ASSERT_TRUE(g) << line;
      expect_same(line, a, f);
    }
    if (v2_avx2_available()) {
      ASSERT_EQ(parse_record_v2(view, b, V2Path::kAvx2), sse2) << line;
      if (sse2) EXPECT_TRUE(same_fields(a, b)) << line;
    }
    if (v2_avx512_available()) {
      V2Record c;
      ASSERT_EQ(parse_record_v2(view, c, V2Path::kAvx512), sse2) << line;
      if (sse2) EXPECT_TRUE(same_fields(a, c)) << line;
    }
  }
  munmap(mem, 2 * page);
  EXPECT_GT(taken, 200u);
}

}  // namespace
}  // namespace fortress::flows
