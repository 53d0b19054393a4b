#include "util/json_value.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

#include "checks/evidence.h"

namespace fortress {
namespace {

JsonValue sample() {
  JsonValue rule = JsonValue::object();
  rule.set("rule_id", "sgr-1");
  rule.set("ports", JsonValue::array());
  rule.set("note", "a \"quoted\" {brace}, [bracket]: and \\ backslash");
  JsonValue o = JsonValue::object();
  o.set("group_id", "sg-1");
  o.set("attached_enis", 2);
  o.set("share", 0.5);
  o.set("empty", JsonValue::object());
  o.set("public", true);
  o.set("nothing", JsonValue());
  o.set("rules", JsonValue::Array{rule, rule});
  return o;
}

// append_json_string (16 bytes a step) against the byte-at-a-time rule: random texts of every length
// up to 80, dense in the bytes that need escaping and in UTF-8 and DEL, which do not.
TEST(JsonValue, StringEscapesAgreeWithTheByteRule) {
  auto reference = [](std::string_view s) {
    std::string out = "\"";
    for (const char ch : s) {
      const unsigned char c = static_cast<unsigned char>(ch);
      if (c == '"') out += "\\\"";
      else if (c == '\\') out += "\\\\";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else if (c == '\b') out += "\\b";
      else if (c == '\f') out += "\\f";
      else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else out += ch;
    }
    return out + "\"";
  };
  std::mt19937_64 rng(9);
  static constexpr char kBytes[] = "abc \"\\\n\r\t\b\f\x01\x1f\x7f\xc3\xa9\xff/{}:,";
  const std::string alphabet = std::string(kBytes, sizeof kBytes - 1) + std::string(1, '\0');
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 81, 'x');
    for (char& c : s) c = rng() % 4 == 0 ? alphabet[rng() % alphabet.size()] : char('a' + rng() % 26);
    std::string got = "prefix";
    append_json_string(got, s);
    ASSERT_EQ(got, "prefix" + reference(s)) << i;
  }
}

TEST(JsonValue, ParseReadsBackWhatDumpWrote) {
  const JsonValue v = sample();
  const Expected<JsonValue> parsed = parse_json_text(v.dump());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, v);
  EXPECT_EQ(parsed->dump(2), v.dump(2)) << "key order is kept";
  EXPECT_FALSE(parse_json_text("{\"a\":").has_value());
  EXPECT_FALSE(parse_json_text("").has_value());
  EXPECT_EQ(parse_json_text("18446744073709551615")->as_double(), 18446744073709551615.0);
}

TEST(JsonValue, ReindentedCompactTextIsWhatDumpPrettyPrints) {
  const JsonValue v = sample();
  for (int indent : {0, 2, 4}) {
    for (int depth : {0, 1, 3}) {
      std::string expected;
      v.dump_to(expected, indent, depth);
      std::string got;
      append_reindented_json(got, v.dump(), indent, depth);
      EXPECT_EQ(got, expected) << "indent " << indent << " depth " << depth;
    }
  }
  std::string compact;
  append_reindented_json(compact, v.dump(), -1, 0);
  EXPECT_EQ(compact, v.dump());
}

TEST(JsonValue, RawTextIsWrittenInPlace) {
  JsonValue o = JsonValue::object();
  o.set("evidence", JsonValue::raw(sample().dump()));
  JsonValue expected = JsonValue::object();
  expected.set("evidence", sample());
  EXPECT_EQ(o.dump(), expected.dump());
  EXPECT_EQ(o.dump(2), expected.dump(2));
}

TEST(Evidence, BuildsTheSameObjectAsJsonValue) {
  Evidence e;
  EXPECT_TRUE(e.empty());
  EXPECT_EQ(e.json(), "{}");
  EXPECT_FALSE(e.get("anything").has_value());

  e.set("group_id", "sg-1");
  e.set("attached_enis", 2);
  e.set("rules", JsonValue::Array{JsonValue("sgr-1")});
  EXPECT_EQ(e.json(), R"({"group_id":"sg-1","attached_enis":2,"rules":["sgr-1"]})");
  EXPECT_EQ(e.get("attached_enis")->as_int(), 2);
  EXPECT_EQ(e.get("rules")->as_array()[0].as_string(), "sgr-1");
  EXPECT_FALSE(e.get("group").has_value()) << "a prefix of a key is not the key";
}

TEST(Evidence, SettingAKeyAgainReplacesItInPlace) {
  Evidence e = sample();
  e.set("attached_enis", 3);
  e.set("rule_id", "top-level, unlike the nested one");
  JsonValue expected = sample();
  expected.set("attached_enis", 3);
  expected.set("rule_id", "top-level, unlike the nested one");
  EXPECT_EQ(e.json(), expected.dump());
  EXPECT_EQ(e.value(), expected);
}

TEST(Evidence, EmptyObjectOrNullIsEmpty) {
  EXPECT_TRUE(Evidence(JsonValue::object()).empty());
  EXPECT_TRUE(Evidence(JsonValue()).empty());
  EXPECT_EQ(Evidence(JsonValue::object()), Evidence());
}

}  // namespace
}  // namespace fortress
