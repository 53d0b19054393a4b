// IAM wildcard patterns: the `*` and `?` of Action, NotAction, Resource and NotResource values.
//
// AWS matches action names case-insensitively and resource ARNs case-sensitively; `*` matches any
// run of characters (colons and slashes included: "arn:aws:s3:::*" covers every bucket and object)
// and `?` exactly one. A Resource value may hold policy variables (`${aws:username}`, in documents
// of Version 2012-10-17 only); the ones the evaluation knows are substituted, the others stay as
// "unknown" parts that make a match uncertain rather than true or false.
//
// Queries are patterns too: "iam:*" asks about every IAM action, "*" about every resource, an ARN
// about that one resource. So besides matching a text, two patterns can be compared: does P cover
// everything Q names, and do P and Q name anything in common.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fortress::iam {

// One compiled pattern: each element is a literal byte (0..255), kAnyOne (`?`), kAnyRun (`*`) or
// kUnknown (a policy variable whose value is not known: it might expand to anything).
class Pattern {
 public:
  static constexpr char16_t kAnyOne = 0x100;
  static constexpr char16_t kAnyRun = 0x101;
  static constexpr char16_t kUnknown = 0x102;

  Pattern() = default;

  // A pattern from policy text: `*` and `?` are wildcards. With `fold_case` (actions) letters are
  // compared without case. Policy variables are not interpreted (see with_variables()).
  [[nodiscard]] static Pattern wildcard(std::string_view text, bool fold_case);
  // A literal text (a concrete ARN or action name): `*` and `?` in it are ordinary characters.
  [[nodiscard]] static Pattern literal(std::string_view text, bool fold_case);

  [[nodiscard]] const std::u16string& elements() const { return elements_; }
  [[nodiscard]] bool empty() const { return elements_.empty(); }
  // Contains no wildcard and no unknown part: names exactly one text.
  [[nodiscard]] bool is_literal() const { return literal_; }
  [[nodiscard]] bool has_unknown() const { return unknown_; }
  // The pattern as text again (`*`, `?`, `${?}` for unknown parts).
  [[nodiscard]] std::string to_string() const;

 private:
  friend class PatternBuilder;
  void classify();  // sets literal_ and unknown_ from elements_
  std::u16string elements_;
  bool literal_ = true;
  bool unknown_ = false;
};

// Builds patterns piece by piece (used for policy variables).
class PatternBuilder {
 public:
  explicit PatternBuilder(bool fold_case) : fold_case_(fold_case) {}
  void literal(std::string_view text);
  void any_one() { p_.elements_.push_back(Pattern::kAnyOne); }
  void any_run() { p_.elements_.push_back(Pattern::kAnyRun); }
  void unknown() { p_.elements_.push_back(Pattern::kUnknown); }
  [[nodiscard]] Pattern done() && {
    p_.classify();
    return std::move(p_);
  }

 private:
  bool fold_case_;
  Pattern p_;
};

// Three-valued: a match involving an unknown policy variable is kMaybe.
enum class Match : uint8_t { kNo, kMaybe, kYes };

// Every text Q names is named by P ("s3:Get*" covers "s3:GetObject" and "s3:Get*Acl"; "*" covers
// everything). Sound: kYes only when it is certain. An unknown part of P gives at most kMaybe; an
// unknown part of Q is treated as "any text" (so P must cover any text there to say kYes).
[[nodiscard]] Match covers(const Pattern& p, const Pattern& q);
// Some text is named by both P and Q. kMaybe when only an unknown part of P makes them meet.
[[nodiscard]] Match intersects(const Pattern& p, const Pattern& q);

}  // namespace fortress::iam
