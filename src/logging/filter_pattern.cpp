#include "logging/filter_pattern.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <unordered_map>

namespace fortress {

std::string_view to_string(NumericOp op) {
  switch (op) {
    case NumericOp::kEq: return "=";
    case NumericOp::kNe: return "!=";
    case NumericOp::kLt: return "<";
    case NumericOp::kLe: return "<=";
    case NumericOp::kGt: return ">";
    case NumericOp::kGe: return ">=";
  }
  return "?";
}

namespace {

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

std::string PatternAtom::key() const {
  switch (kind) {
    case AtomKind::kStringEquals: return selector + " = " + quote(value);
    case AtomKind::kStringNotEquals: return selector + " != " + quote(value);
    case AtomKind::kNumeric:
      return fmt::format("{} {} #{}", selector, fortress::to_string(op), number == 0 ? 0.0 : number);
    case AtomKind::kRegexEquals: return selector + " = %" + value + "%";
    case AtomKind::kRegexNotEquals: return selector + " != %" + value + "%";
    case AtomKind::kIsNull: return selector + " IS NULL";
    case AtomKind::kNotExists: return selector + " NOT EXISTS";
    case AtomKind::kIsTrue: return selector + " IS TRUE";
    case AtomKind::kIsFalse: return selector + " IS FALSE";
  }
  return selector;
}

std::string PatternAtom::to_string() const {
  if (kind == AtomKind::kNumeric) return fmt::format("{} {} {}", selector, fortress::to_string(op), value);
  return key();
}

namespace {

void node_text(const FilterPattern& p, const PatternNode& n, std::string& out) {
  if (n.kind == PatternNode::Kind::kAtom) {
    out += p.atoms[n.atom].to_string();
    return;
  }
  const bool is_and = n.kind == PatternNode::Kind::kAnd;
  for (size_t i = 0; i < n.children.size(); ++i) {
    if (i > 0) out += is_and ? " && " : " || ";
    const PatternNode& c = n.children[i];
    const bool parens = is_and && c.kind == PatternNode::Kind::kOr;
    if (parens) out += '(';
    node_text(p, c, out);
    if (parens) out += ')';
  }
}

}  // namespace

std::string FilterPattern::to_string() const {
  switch (form) {
    case PatternForm::kMatchAll: return "";
    case PatternForm::kText: return text;
    case PatternForm::kJson: break;
  }
  std::string out = "{ ";
  node_text(*this, root, out);
  out += " }";
  return out;
}

namespace {

constexpr int kMaxNesting = 64;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// Characters that end an unquoted value.
bool ends_value(char c) {
  return is_space(c) || c == '(' || c == ')' || c == '{' || c == '}' || c == '"' || c == '&' || c == '|' ||
         c == '=' || c == '!' || c == '<' || c == '>' || c == '%';
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = char(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = char(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

// The NUMBER of the grammar: [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?
bool parse_number(std::string_view s, double& out) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const size_t mantissa = i;
  size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != s.size()) return false;
  std::string_view body = s.substr(mantissa);
  // from_chars does not take a leading '.' with libstdc++ in every version: give it "0.".
  std::string normalized = body.starts_with('.') ? "0" + std::string(body) : std::string(body);
  double v = 0;
  auto [ptr, ec] = std::from_chars(normalized.data(), normalized.data() + normalized.size(), v);
  if (ptr != normalized.data() + normalized.size()) return false;
  if (ec == std::errc::result_out_of_range) return false;
  if (ec != std::errc()) return false;
  out = s[0] == '-' ? -v : v;
  return true;
}

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 24)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  if (s.size() > 24) out += "...";
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Expected<FilterPattern> parse() {
    FilterPattern p;
    skip();
    if (at_end()) {
      p.form = PatternForm::kMatchAll;
      return p;
    }
    if (s_[pos_] != '{') {
      p.form = PatternForm::kText;
      p.text = std::string(s_);
      return p;
    }
    ++pos_;
    Expected<PatternNode> root = parse_or(p, 0);
    if (!root) return root.error();
    skip();
    if (at_end()) return error("the pattern ends before its closing '}'");
    if (s_[pos_] != '}') return error(fmt::format("expected '&&', '||' or '}}', found {}", here()));
    ++pos_;
    skip();
    if (!at_end()) return error(fmt::format("unexpected text after the closing '}}': {}", here()));
    p.root = std::move(*root);
    p.form = PatternForm::kJson;
    return p;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;

  bool at_end() const { return pos_ >= s_.size(); }
  void skip() {
    while (!at_end() && is_space(s_[pos_])) ++pos_;
  }
  bool starts(std::string_view t) const { return s_.substr(pos_).starts_with(t); }
  std::string here() const {
    if (at_end()) return "the end of the pattern";
    return fmt::format("'{}'", printable(s_.substr(pos_)));
  }
  Error error(std::string message) const { return error_at(pos_, std::move(message)); }
  Error error_at(size_t at, std::string message) const {
    Error e;
    e.code = ErrorCode::kParse;
    e.message = fmt::format("column {}: {}", at + 1, message);
    e.offset = at;
    return e;
  }

  static PatternNode combine(PatternNode::Kind kind, std::vector<PatternNode> parts) {
    if (parts.size() == 1) return std::move(parts.front());
    PatternNode n;
    n.kind = kind;
    for (PatternNode& part : parts) {
      // Flatten a && (b && c) into one node so equal trees print and compare equal.
      if (part.kind == kind) {
        for (PatternNode& c : part.children) n.children.push_back(std::move(c));
      } else {
        n.children.push_back(std::move(part));
      }
    }
    return n;
  }

  Expected<PatternNode> parse_or(FilterPattern& p, int depth) {
    if (depth > kMaxNesting) return error(fmt::format("parentheses nested deeper than {} levels", kMaxNesting));
    std::vector<PatternNode> parts;
    for (;;) {
      Expected<PatternNode> part = parse_and(p, depth);
      if (!part) return part.error();
      parts.push_back(std::move(*part));
      skip();
      if (!starts("||")) break;
      pos_ += 2;
    }
    return combine(PatternNode::Kind::kOr, std::move(parts));
  }

  Expected<PatternNode> parse_and(FilterPattern& p, int depth) {
    std::vector<PatternNode> parts;
    for (;;) {
      Expected<PatternNode> part = parse_primary(p, depth);
      if (!part) return part.error();
      parts.push_back(std::move(*part));
      skip();
      if (!starts("&&")) break;
      pos_ += 2;
    }
    return combine(PatternNode::Kind::kAnd, std::move(parts));
  }

  Expected<PatternNode> parse_primary(FilterPattern& p, int depth) {
    skip();
    if (at_end()) return error("expected a condition or '(', found the end of the pattern");
    if (s_[pos_] == '(') {
      ++pos_;
      Expected<PatternNode> inner = parse_or(p, depth + 1);
      if (!inner) return inner.error();
      skip();
      if (at_end() || s_[pos_] != ')') return error(fmt::format("expected ')', found {}", here()));
      ++pos_;
      return inner;
    }
    Expected<PatternAtom> atom = parse_condition();
    if (!atom) return atom.error();
    PatternNode n;
    n.kind = PatternNode::Kind::kAtom;
    n.atom = uint32_t(p.atoms.size());
    p.atoms.push_back(std::move(*atom));
    return n;
  }

  Expected<std::string> parse_selector() {
    if (at_end() || s_[pos_] != '$') {
      return error(fmt::format("expected a selector starting with '$' (like $.eventName), found {}", here()));
    }
    const size_t start = pos_;
    std::string sel = "$";
    ++pos_;
    size_t segments = 0;
    for (;;) {
      if (!at_end() && s_[pos_] == '.') {
        ++pos_;
        const size_t name_start = pos_;
        while (!at_end() && is_name_char(s_[pos_])) ++pos_;
        if (pos_ == name_start) {
          return error(fmt::format("expected a property name after '.' in the selector, found {}", here()));
        }
        sel += '.';
        sel += s_.substr(name_start, pos_ - name_start);
        ++segments;
      } else if (!at_end() && s_[pos_] == '[') {
        if (segments == 0) return error("an array index must follow a property name (like $.users[0])");
        ++pos_;
        const size_t digits_start = pos_;
        while (!at_end() && is_digit(s_[pos_])) ++pos_;
        if (pos_ == digits_start || at_end() || s_[pos_] != ']') {
          return error(fmt::format("expected an array index like [0], found {}", here()));
        }
        // Canonical index: no leading zeros.
        std::string_view digits = s_.substr(digits_start, pos_ - digits_start);
        while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
        sel += '[';
        sel += digits;
        sel += ']';
        ++pos_;
        ++segments;
      } else {
        break;
      }
    }
    if (segments == 0) return error_at(start, "a selector needs a property after '$' (like $.eventName)");
    return sel;
  }

  std::string_view word() {
    const size_t start = pos_;
    while (!at_end() && is_letter(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  Expected<PatternAtom> parse_condition() {
    PatternAtom atom;
    Expected<std::string> sel = parse_selector();
    if (!sel) return sel.error();
    atom.selector = std::move(*sel);
    skip();
    if (at_end()) return error("expected an operator (=, !=, <, <=, >, >=, IS, NOT) after the selector");

    // Keyword conditions.
    if (is_letter(s_[pos_])) {
      const size_t at = pos_;
      std::string_view first = word();
      skip();
      std::string_view second = word();
      if (iequals(first, "IS") && iequals(second, "NULL")) {
        atom.kind = AtomKind::kIsNull;
      } else if (iequals(first, "IS") && iequals(second, "TRUE")) {
        atom.kind = AtomKind::kIsTrue;
      } else if (iequals(first, "IS") && iequals(second, "FALSE")) {
        atom.kind = AtomKind::kIsFalse;
      } else if (iequals(first, "NOT") && iequals(second, "EXISTS")) {
        atom.kind = AtomKind::kNotExists;
      } else {
        return error_at(at, fmt::format("expected IS NULL, IS TRUE, IS FALSE or NOT EXISTS, found '{} {}'",
                                        printable(first), printable(second)));
      }
      return atom;
    }

    NumericOp op;
    const size_t op_at = pos_;
    if (starts("!=")) {
      op = NumericOp::kNe, pos_ += 2;
    } else if (starts("<=")) {
      op = NumericOp::kLe, pos_ += 2;
    } else if (starts(">=")) {
      op = NumericOp::kGe, pos_ += 2;
    } else if (starts("=")) {
      op = NumericOp::kEq, pos_ += 1;
      if (starts("=")) return error_at(op_at, "'==' is not an operator of filter patterns; use '='");
    } else if (starts("<")) {
      op = NumericOp::kLt, pos_ += 1;
    } else if (starts(">")) {
      op = NumericOp::kGt, pos_ += 1;
    } else {
      return error(fmt::format("expected an operator (=, !=, <, <=, >, >=, IS, NOT), found {}", here()));
    }
    skip();
    if (at_end()) return error("expected a value after the operator, found the end of the pattern");
    const size_t value_at = pos_;
    const bool equality = op == NumericOp::kEq || op == NumericOp::kNe;

    if (s_[pos_] == '"') {
      if (!equality) return error("a quoted string can only be compared with = or !=");
      ++pos_;
      std::string value;
      for (;;) {
        if (at_end()) return error_at(value_at, "the quoted string is not closed");
        const char c = s_[pos_];
        if (c == '"') {
          ++pos_;
          break;
        }
        if (c == '\\' && pos_ + 1 < s_.size() && (s_[pos_ + 1] == '"' || s_[pos_ + 1] == '\\')) {
          value += s_[pos_ + 1];
          pos_ += 2;
          continue;
        }
        value += c;
        ++pos_;
      }
      atom.kind = op == NumericOp::kEq ? AtomKind::kStringEquals : AtomKind::kStringNotEquals;
      atom.value = std::move(value);
      return atom;
    }

    if (s_[pos_] == '%') {
      if (!equality) return error("a regular expression can only be compared with = or !=");
      ++pos_;
      std::string body;
      for (;;) {
        if (at_end()) return error_at(value_at, "the regular expression is not closed with '%'");
        const char c = s_[pos_];
        if (c == '%') {
          ++pos_;
          break;
        }
        if (c == '\\' && pos_ + 1 < s_.size()) {
          body += c;
          body += s_[pos_ + 1];
          pos_ += 2;
          continue;
        }
        body += c;
        ++pos_;
      }
      if (body.empty()) return error_at(value_at, "the regular expression is empty");
      atom.kind = op == NumericOp::kEq ? AtomKind::kRegexEquals : AtomKind::kRegexNotEquals;
      atom.value = std::move(body);
      return atom;
    }

    while (!at_end() && !ends_value(s_[pos_])) ++pos_;
    std::string_view token = s_.substr(value_at, pos_ - value_at);
    if (token.empty()) return error(fmt::format("expected a value after the operator, found {}", here()));
    double number = 0;
    if (parse_number(token, number)) {
      atom.kind = AtomKind::kNumeric;
      atom.op = op;
      atom.value = std::string(token);
      atom.number = number;
      return atom;
    }
    if (!equality) {
      return error_at(value_at, fmt::format("'{}' compares with {} but is not a number",
                                            printable(token), fortress::to_string(op)));
    }
    atom.kind = op == NumericOp::kEq ? AtomKind::kStringEquals : AtomKind::kStringNotEquals;
    atom.value = std::string(token);
    return atom;
  }
};

// DNF of a node: conjuncts over canonical atom ids.
using Conjunct = std::vector<uint32_t>;

Expected<std::vector<Conjunct>> dnf_of(const PatternNode& n, const std::vector<uint32_t>& canonical,
                                       size_t max_conjuncts) {
  if (n.kind == PatternNode::Kind::kAtom) return std::vector<Conjunct>{{canonical[n.atom]}};
  std::vector<Conjunct> result;
  if (n.kind == PatternNode::Kind::kOr) {
    for (const PatternNode& c : n.children) {
      Expected<std::vector<Conjunct>> part = dnf_of(c, canonical, max_conjuncts);
      if (!part) return part.error();
      for (Conjunct& k : *part) result.push_back(std::move(k));
      if (result.size() > max_conjuncts) break;
    }
  } else {
    result.push_back({});
    for (const PatternNode& c : n.children) {
      Expected<std::vector<Conjunct>> part = dnf_of(c, canonical, max_conjuncts);
      if (!part) return part.error();
      if (result.size() * part->size() > max_conjuncts) {
        result.resize(max_conjuncts + 1);
        break;
      }
      std::vector<Conjunct> next;
      next.reserve(result.size() * part->size());
      for (const Conjunct& a : result) {
        for (const Conjunct& b : *part) {
          Conjunct k = a;
          k.insert(k.end(), b.begin(), b.end());
          next.push_back(std::move(k));
        }
      }
      result = std::move(next);
    }
  }
  if (result.size() > max_conjuncts) {
    Error e;
    e.code = ErrorCode::kUnsupported;
    e.message = fmt::format("the pattern expands to more than {} alternatives; too complex to analyze",
                            max_conjuncts);
    return e;
  }
  for (Conjunct& k : result) {
    std::sort(k.begin(), k.end());
    k.erase(std::unique(k.begin(), k.end()), k.end());
  }
  return result;
}

}  // namespace

Expected<FilterPattern> parse_filter_pattern(std::string_view text) {
  return Parser(text).parse();
}

Expected<PatternDnf> to_dnf(const FilterPattern& pattern, size_t max_conjuncts) {
  if (pattern.form != PatternForm::kJson) {
    Error e;
    e.code = ErrorCode::kUnsupported;
    e.message = pattern.form == PatternForm::kMatchAll ? "the empty pattern has no conditions"
                                                       : "not a JSON pattern";
    return e;
  }
  PatternDnf out;
  std::unordered_map<std::string, uint32_t> by_key;
  std::vector<uint32_t> canonical(pattern.atoms.size());
  for (size_t i = 0; i < pattern.atoms.size(); ++i) {
    auto [it, inserted] = by_key.emplace(pattern.atoms[i].key(), uint32_t(out.atoms.size()));
    if (inserted) out.atoms.push_back(pattern.atoms[i]);
    canonical[i] = it->second;
  }
  Expected<std::vector<Conjunct>> conjuncts = dnf_of(pattern.root, canonical, max_conjuncts);
  if (!conjuncts) return conjuncts.error();
  std::sort(conjuncts->begin(), conjuncts->end());
  conjuncts->erase(std::unique(conjuncts->begin(), conjuncts->end()), conjuncts->end());
  out.conjuncts = std::move(*conjuncts);
  return out;
}

}  // namespace fortress
