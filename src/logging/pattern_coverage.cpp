#include "logging/pattern_coverage.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <queue>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace fortress {

std::string_view to_string(CoverageVerdict v) {
  switch (v) {
    case CoverageVerdict::kCovered: return "covered";
    case CoverageVerdict::kNotCovered: return "not covered";
    case CoverageVerdict::kUnknown: return "unknown";
  }
  return "?";
}

namespace {

enum class Tri : uint8_t { kFalse, kTrue, kUnknown };

// kPossible: an atom whose behaviour is not documented may be true or false (used to prove).
// kDefinite: every atom must be decided by documented behaviour (used to build a counterexample).
enum class Mode : uint8_t { kPossible, kDefinite };

enum class ValueKind : uint8_t { kString, kNumber, kAbsent, kNull, kTrue, kFalse, kComposite };

// ---------------------------------------------------------------------------------------------
// String values with * wildcards as token sequences: a byte (0..255) or kAny.

constexpr int kAny = -1;
using Glob = std::vector<int>;

// Leading and trailing '*' are wildcards (documented); a '*' inside the value is a wildcard when
// `inner_wild`, a literal character otherwise (CloudWatch's documentation has said both).
Glob glob_of(std::string_view v, bool inner_wild) {
  Glob g;
  size_t lead = 0;
  while (lead < v.size() && v[lead] == '*') ++lead;
  if (lead == v.size()) {
    if (!v.empty()) g.push_back(kAny);
    return g;
  }
  size_t end = v.size();
  while (end > lead && v[end - 1] == '*') --end;
  if (lead > 0) g.push_back(kAny);
  for (size_t i = lead; i < end; ++i) {
    const int t = (v[i] == '*' && inner_wild) ? kAny : int(static_cast<unsigned char>(v[i]));
    if (t == kAny && !g.empty() && g.back() == kAny) continue;
    g.push_back(t);
  }
  if (end < v.size()) g.push_back(kAny);
  return g;
}

// NFA simulation: a set of positions in the glob, closed over "kAny matches nothing".
using Positions = std::vector<bool>;

void close(const Glob& g, Positions& set) {
  for (size_t p = 0; p < g.size(); ++p) {
    if (set[p] && g[p] == kAny) set[p + 1] = true;
  }
}
Positions start_of(const Glob& g) {
  Positions s(g.size() + 1, false);
  s[0] = true;
  close(g, s);
  return s;
}
Positions step(const Glob& g, const Positions& set, int c) {
  Positions next(g.size() + 1, false);
  for (size_t p = 0; p < g.size(); ++p) {
    if (!set[p]) continue;
    if (g[p] == kAny) {
      next[p] = true;
    } else if (g[p] == c) {
      next[p + 1] = true;
    }
  }
  close(g, next);
  return next;
}
bool accepts(const Glob& g, const Positions& set) {
  return set[g.size()];
}
bool empty_set(const Positions& set) {
  return std::find(set.begin(), set.end(), true) == set.end();
}
// Every continuation is accepted: the set holds the final kAny.
bool universal(const Glob& g, const Positions& set) {
  return !g.empty() && g.back() == kAny && set[g.size() - 1];
}
bool glob_matches(const Glob& g, std::string_view s) {
  Positions set = start_of(g);
  for (char c : s) {
    set = step(g, set, int(static_cast<unsigned char>(c)));
    if (empty_set(set)) return false;
  }
  return accepts(g, set);
}

struct GlobConstraint {
  const Glob* glob;
  bool must_match;
};

enum class Search : uint8_t { kFound, kEmpty, kLimit };

// The characters a number's text can hold ("-12.5e+3").
bool numeric_char(int c) {
  return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
}

// What the string must look like besides the globs.
enum class CharClass : uint8_t {
  kAny,
  kOnlyNumeric,     // every character could be part of a number
  kSomeNonNumeric,  // at least one character cannot be (so the string is not a number)
};

// Shortest non-empty string meeting every constraint ("" when only it does), breadth-first over the
// product of the automata.
Search find_string(const std::vector<GlobConstraint>& cs, CharClass chars, size_t max_states, std::string& out) {
  std::vector<bool> used(256, false);
  for (const GlobConstraint& c : cs) {
    for (int t : *c.glob) {
      if (t != kAny) used[size_t(t)] = true;
    }
  }
  std::vector<int> alphabet;
  for (int c = 0; c < 256; ++c) {
    if (used[size_t(c)]) alphabet.push_back(c);
  }
  // One unused character stands for all the others; one of each class when the class matters.
  auto add_representative = [&](std::string_view preferred, bool numeric) {
    for (char ch : preferred) {
      const auto c = static_cast<unsigned char>(ch);
      if (!used[c] && numeric_char(c) == numeric) {
        alphabet.push_back(c);
        return;
      }
    }
    for (int c = 1; c < 256; ++c) {
      if (!used[size_t(c)] && numeric_char(c) == numeric) {
        alphabet.push_back(c);
        return;
      }
    }
  };
  add_representative("xqzjkXQZJK_:/", false);
  add_representative("0123456789", true);
  if (chars == CharClass::kOnlyNumeric) {
    std::erase_if(alphabet, [](int c) { return !numeric_char(c); });
  }

  auto satisfies = [&](std::string_view text) {
    if (chars == CharClass::kOnlyNumeric &&
        !std::all_of(text.begin(), text.end(), [](char c) { return numeric_char(static_cast<unsigned char>(c)); })) {
      return false;
    }
    if (chars == CharClass::kSomeNonNumeric &&
        std::all_of(text.begin(), text.end(), [](char c) { return numeric_char(static_cast<unsigned char>(c)); })) {
      return false;
    }
    for (const GlobConstraint& c : cs) {
      if (glob_matches(*c.glob, text) != c.must_match) return false;
    }
    return true;
  };
  // Fast paths (the common case: field = literal, field != literals). A glob without wildcards that
  // must match leaves exactly one candidate.
  for (const GlobConstraint& c : cs) {
    if (!c.must_match || std::find(c.glob->begin(), c.glob->end(), kAny) != c.glob->end()) continue;
    std::string literal;
    for (int t : *c.glob) literal += char(t);
    if (!satisfies(literal)) return Search::kEmpty;
    out = std::move(literal);
    return Search::kFound;
  }
  for (int c : alphabet) {
    const std::string one(1, char(c));
    if (!used[size_t(c)] && satisfies(one)) {
      out = one;
      return Search::kFound;
    }
  }

  // A state: the position set of every automaton, and whether a non-numeric character was seen.
  struct State {
    std::vector<Positions> sets;
    bool non_numeric = false;
  };
  auto key_of = [](const State& s) {
    std::string k(s.non_numeric ? "n" : "-");
    for (const Positions& p : s.sets) {
      for (bool b : p) k += b ? '1' : '0';
      k += '|';
    }
    return k;
  };
  auto dead = [&](const State& s) {
    for (size_t i = 0; i < cs.size(); ++i) {
      if (cs[i].must_match && empty_set(s.sets[i])) return true;
      if (!cs[i].must_match && universal(*cs[i].glob, s.sets[i])) return true;
    }
    return false;
  };
  auto goal = [&](const State& s) {
    if (chars == CharClass::kSomeNonNumeric && !s.non_numeric) return false;
    for (size_t i = 0; i < cs.size(); ++i) {
      if (accepts(*cs[i].glob, s.sets[i]) != cs[i].must_match) return false;
    }
    return true;
  };

  struct Node {
    State state;
    size_t parent;
    int symbol;
  };
  std::vector<Node> nodes;
  std::unordered_set<std::string> seen;
  State start;
  for (const GlobConstraint& c : cs) start.sets.push_back(start_of(*c.glob));
  if (dead(start)) return Search::kEmpty;
  seen.insert(key_of(start));
  nodes.push_back({std::move(start), SIZE_MAX, 0});
  // The empty string is a poor example ("$.a = \"\""): prefer the shortest non-empty one.
  const bool empty_is_goal = goal(nodes[0].state);
  for (size_t at = 0; at < nodes.size(); ++at) {
    if (at > 0 && goal(nodes[at].state)) {
      std::string s;
      for (size_t n = at; nodes[n].parent != SIZE_MAX; n = nodes[n].parent) s += char(nodes[n].symbol);
      std::reverse(s.begin(), s.end());
      out = std::move(s);
      return Search::kFound;
    }
    for (int c : alphabet) {
      State next;
      next.non_numeric = nodes[at].state.non_numeric || !numeric_char(c);
      next.sets.reserve(cs.size());
      for (size_t i = 0; i < cs.size(); ++i) next.sets.push_back(step(*cs[i].glob, nodes[at].state.sets[i], c));
      if (dead(next)) continue;
      if (!seen.insert(key_of(next)).second) continue;
      if (nodes.size() >= max_states) {
        if (!empty_is_goal) return Search::kLimit;
        out.clear();
        return Search::kFound;
      }
      nodes.push_back({std::move(next), at, c});
    }
  }
  if (empty_is_goal) {
    out.clear();
    return Search::kFound;
  }
  return Search::kEmpty;
}

// ---------------------------------------------------------------------------------------------
// Atoms and their meaning on each kind of value.

struct AtomInfo {
  PatternAtom atom;
  Glob lo;  // strings the atom's value matches under both readings of an inner '*'
  Glob hi;  // strings it matches under either reading
};

struct Witness {
  ValueKind kind = ValueKind::kAbsent;
  double number = 0;
  std::string text;
};

bool is_string_atom(AtomKind k) {
  return k == AtomKind::kStringEquals || k == AtomKind::kStringNotEquals;
}

// Could the glob match the text of some number ("400", "-1.5e3")? CloudWatch does not document
// whether a string comparison sees a number's text, so only a pattern that could spell one leaves
// the question open.
bool could_spell_number(const Glob& g) {
  return std::all_of(g.begin(), g.end(), [](int t) { return t == kAny || numeric_char(t); });
}

// A string comparison on a value that is not a string: false unless the value's text could match.
Tri string_atom_on_scalar(const AtomInfo& info, ValueKind kind) {
  bool could_match = false;
  switch (kind) {
    case ValueKind::kNumber:
      // `= *` matches any value, numbers included (the documented "{ $.latency = * }").
      if (info.atom.kind == AtomKind::kStringEquals && info.hi == Glob{kAny}) return Tri::kTrue;
      could_match = could_spell_number(info.hi);
      break;
    case ValueKind::kNull: could_match = glob_matches(info.hi, "null"); break;
    case ValueKind::kTrue:
    case ValueKind::kFalse:
      could_match = glob_matches(info.hi, "true") || glob_matches(info.hi, "false");
      break;
    default: break;
  }
  if (info.atom.kind == AtomKind::kStringEquals) return could_match ? Tri::kUnknown : Tri::kFalse;
  return Tri::kUnknown;  // != across types: "not equal" or "not comparable"?
}

// An atom on a value that is not a string (strings: string_tri).
Tri value_tri(const AtomInfo& info, ValueKind kind, double number) {
  const PatternAtom& a = info.atom;
  const bool composite = kind == ValueKind::kComposite;
  switch (a.kind) {
    case AtomKind::kStringEquals:
      if (kind == ValueKind::kAbsent || composite) return Tri::kFalse;
      return string_atom_on_scalar(info, kind);
    case AtomKind::kStringNotEquals:
      return composite ? Tri::kFalse : string_atom_on_scalar(info, kind);
    case AtomKind::kNumeric: {
      if (composite) return Tri::kFalse;
      if (kind != ValueKind::kNumber) return a.op == NumericOp::kNe ? Tri::kUnknown : Tri::kFalse;
      bool r = false;
      switch (a.op) {
        case NumericOp::kEq: r = number == a.number; break;
        case NumericOp::kNe: r = number != a.number; break;
        case NumericOp::kLt: r = number < a.number; break;
        case NumericOp::kLe: r = number <= a.number; break;
        case NumericOp::kGt: r = number > a.number; break;
        case NumericOp::kGe: r = number >= a.number; break;
      }
      return r ? Tri::kTrue : Tri::kFalse;
    }
    case AtomKind::kRegexEquals:
      return (kind == ValueKind::kAbsent || composite) ? Tri::kFalse : Tri::kUnknown;
    case AtomKind::kRegexNotEquals:
      return composite ? Tri::kFalse : Tri::kUnknown;
    case AtomKind::kIsNull:
      return kind == ValueKind::kNull ? Tri::kTrue : Tri::kFalse;
    case AtomKind::kNotExists:
      return kind == ValueKind::kAbsent ? Tri::kTrue : Tri::kFalse;
    case AtomKind::kIsTrue:
    case AtomKind::kIsFalse: {
      const ValueKind want = a.kind == AtomKind::kIsTrue ? ValueKind::kTrue : ValueKind::kFalse;
      if (kind == ValueKind::kTrue || kind == ValueKind::kFalse) return kind == want ? Tri::kTrue : Tri::kFalse;
      if (kind == ValueKind::kNumber) return Tri::kUnknown;
      return Tri::kFalse;
    }
  }
  return Tri::kUnknown;
}

// An atom that is not a string comparison, on a string value that is not read as a number.
Tri nonstring_on_string(const AtomInfo& info) {
  switch (info.atom.kind) {
    case AtomKind::kIsNull:
    case AtomKind::kNotExists: return Tri::kFalse;
    case AtomKind::kNumeric: return info.atom.op == NumericOp::kNe ? Tri::kUnknown : Tri::kFalse;
    default: return Tri::kUnknown;  // regexes, IS TRUE on "true"
  }
}

Tri string_tri(const AtomInfo& info, std::string_view s) {
  if (info.atom.kind == AtomKind::kNumeric && !s.empty() &&
      std::all_of(s.begin(), s.end(), [](char c) { return numeric_char(static_cast<unsigned char>(c)); })) {
    return Tri::kUnknown;  // a string that reads as a number: compared as one or not?
  }
  if (!is_string_atom(info.atom.kind)) return nonstring_on_string(info);
  const bool lo = glob_matches(info.lo, s);
  const bool hi = glob_matches(info.hi, s);
  Tri eq = lo ? Tri::kTrue : (hi ? Tri::kUnknown : Tri::kFalse);
  if (info.atom.kind == AtomKind::kStringEquals) return eq;
  return eq == Tri::kTrue ? Tri::kFalse : (eq == Tri::kFalse ? Tri::kTrue : Tri::kUnknown);
}

Tri witness_tri(const AtomInfo& info, const Witness& w) {
  if (w.kind == ValueKind::kString) return string_tri(info, w.text);
  return value_tri(info, w.kind, w.number);
}

bool admits(Tri t, bool positive, Mode m) {
  if (m == Mode::kPossible) return positive ? t != Tri::kFalse : t != Tri::kTrue;
  return positive ? t == Tri::kTrue : t == Tri::kFalse;
}

struct Literal {
  uint32_t atom;
  bool positive;
};

std::string quote_text(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u >= 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string describe(std::string_view selector, const Witness& w) {
  switch (w.kind) {
    case ValueKind::kString: return fmt::format("{} = {}", selector, quote_text(w.text));
    case ValueKind::kNumber: return fmt::format("{} = {}", selector, w.number);
    case ValueKind::kAbsent: return fmt::format("{} missing", selector);
    case ValueKind::kNull: return fmt::format("{} = null", selector);
    case ValueKind::kTrue: return fmt::format("{} = true", selector);
    case ValueKind::kFalse: return fmt::format("{} = false", selector);
    case ValueKind::kComposite: return fmt::format("{} an object or array", selector);
  }
  return std::string(selector);
}

std::string_view value_phrase(ValueKind k) {
  switch (k) {
    case ValueKind::kString: return "a string";
    case ValueKind::kNumber: return "a number";
    case ValueKind::kAbsent: return "a missing field";
    case ValueKind::kNull: return "null";
    case ValueKind::kTrue:
    case ValueKind::kFalse: return "a boolean";
    case ValueKind::kComposite: return "an object or array";
  }
  return "a value";
}

// ---------------------------------------------------------------------------------------------
// One field's constraints.

class FieldSolver {
 public:
  FieldSolver(const std::vector<AtomInfo>& atoms, const CoverageLimits& limits) : atoms_(atoms), limits_(limits) {}

  // A value meeting every literal under `mode`, or nullopt. Sets limit_hit() when the string
  // automaton ran out of states (then kPossible answers "maybe" and kDefinite "no").
  std::optional<Witness> solve(const std::vector<Literal>& lits, Mode mode) {
    std::string key = mode == Mode::kPossible ? "p" : "d";
    std::vector<std::pair<uint32_t, bool>> sorted;
    for (const Literal& l : lits) sorted.emplace_back(l.atom, l.positive);
    std::sort(sorted.begin(), sorted.end());
    for (auto [a, pos] : sorted) key += fmt::format("{}{},", pos ? '+' : '-', a);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    ++computed_;
    std::optional<Witness> w = compute(lits, mode);
    cache_.emplace(std::move(key), w);
    return w;
  }

  [[nodiscard]] bool limit_hit() const { return limit_hit_; }
  [[nodiscard]] size_t computed() const { return computed_; }

 private:
  const std::vector<AtomInfo>& atoms_;
  const CoverageLimits& limits_;
  std::unordered_map<std::string, std::optional<Witness>> cache_;
  bool limit_hit_ = false;
  size_t computed_ = 0;

  bool all_admit(const std::vector<Literal>& lits, const Witness& w, Mode mode) const {
    for (const Literal& l : lits) {
      if (!admits(witness_tri(atoms_[l.atom], w), l.positive, mode)) return false;
    }
    return true;
  }

  // A string value. Numeric comparisons on a string are not documented: a string that is not a number
  // fails them (`!=` left open); one that is may be read as its number or not. Both are tried.
  std::optional<Witness> string_value(const std::vector<Literal>& lits, Mode mode) {
    std::vector<GlobConstraint> cs;
    std::vector<Literal> numeric;
    for (const Literal& l : lits) {
      const AtomInfo& info = atoms_[l.atom];
      if (info.atom.kind == AtomKind::kNumeric) {
        numeric.push_back(l);
        continue;
      }
      if (!is_string_atom(info.atom.kind)) {
        if (!admits(nonstring_on_string(info), l.positive, mode)) return std::nullopt;
        continue;
      }
      // "= v" required true, or "!= v" required false: the string matches v.
      const bool want_match = (info.atom.kind == AtomKind::kStringEquals) == l.positive;
      const bool possible = mode == Mode::kPossible;
      if (want_match) {
        cs.push_back({possible ? &info.hi : &info.lo, true});
      } else {
        cs.push_back({possible ? &info.lo : &info.hi, false});
      }
    }
    // Not read as a number.
    bool plain_ok = true;
    for (const Literal& l : numeric) plain_ok &= admits(nonstring_on_string(atoms_[l.atom]), l.positive, mode);
    if (plain_ok) {
      const CharClass chars = (mode == Mode::kDefinite && !numeric.empty()) ? CharClass::kSomeNonNumeric
                                                                            : CharClass::kAny;
      if (auto w = find(cs, chars, mode)) return w;
    }
    // Read as its number (only ever a possibility).
    if (mode == Mode::kPossible && !numeric.empty() && number_value(numeric, mode)) {
      if (auto w = find(cs, CharClass::kOnlyNumeric, mode)) return w;
    }
    return std::nullopt;
  }

  std::optional<Witness> find(const std::vector<GlobConstraint>& cs, CharClass chars, Mode mode) {
    std::string s;
    switch (find_string(cs, chars, limits_.max_automaton_states, s)) {
      case Search::kFound: return Witness{ValueKind::kString, 0, std::move(s)};
      case Search::kEmpty: return std::nullopt;
      case Search::kLimit:
        limit_hit_ = true;
        if (mode == Mode::kDefinite) return std::nullopt;
        return Witness{ValueKind::kString, 0, "?"};
    }
    return std::nullopt;
  }

  std::optional<Witness> number_value(const std::vector<Literal>& lits, Mode mode) const {
    std::vector<double> constants;
    for (const Literal& l : lits) {
      if (atoms_[l.atom].atom.kind == AtomKind::kNumeric) constants.push_back(atoms_[l.atom].atom.number);
    }
    std::sort(constants.begin(), constants.end());
    constants.erase(std::unique(constants.begin(), constants.end()), constants.end());
    std::vector<double> candidates;
    if (constants.empty()) {
      candidates.push_back(0);
    } else {
      candidates.push_back(constants.front() - std::max(1.0, std::abs(constants.front())));
      for (size_t i = 0; i < constants.size(); ++i) {
        candidates.push_back(constants[i]);
        if (i + 1 < constants.size()) candidates.push_back(constants[i] / 2 + constants[i + 1] / 2);
      }
      candidates.push_back(constants.back() + std::max(1.0, std::abs(constants.back())));
    }
    for (double c : candidates) {
      Witness w{ValueKind::kNumber, c, ""};
      if (all_admit(lits, w, mode)) return w;
    }
    return std::nullopt;
  }

  std::optional<Witness> compute(const std::vector<Literal>& lits, Mode mode) {
    bool any_positive = false;
    for (const Literal& l : lits) any_positive |= l.positive;
    // Readable counterexamples: a field that is only excluded is shown missing when that works.
    static constexpr ValueKind kWithPositive[] = {ValueKind::kString, ValueKind::kNumber, ValueKind::kAbsent,
                                                  ValueKind::kNull,   ValueKind::kTrue,   ValueKind::kFalse,
                                                  ValueKind::kComposite};
    static constexpr ValueKind kOnlyNegative[] = {ValueKind::kAbsent, ValueKind::kString, ValueKind::kNumber,
                                                  ValueKind::kNull,   ValueKind::kTrue,   ValueKind::kFalse,
                                                  ValueKind::kComposite};
    for (ValueKind k : any_positive ? kWithPositive : kOnlyNegative) {
      if (k == ValueKind::kString) {
        if (auto w = string_value(lits, mode)) return w;
      } else if (k == ValueKind::kNumber) {
        if (auto w = number_value(lits, mode)) return w;
      } else {
        Witness w{k, 0, ""};
        if (all_admit(lits, w, mode)) return w;
      }
    }
    return std::nullopt;
  }
};

// ---------------------------------------------------------------------------------------------
// The search for an event that the reference conjunct matches and no candidate conjunct does.

class CounterexampleSearch {
 public:
  CounterexampleSearch(const std::vector<AtomInfo>& atoms, const std::vector<std::vector<uint32_t>>& candidate,
                       Mode mode, FieldSolver& solver, const CoverageLimits& limits, size_t& steps)
      : atoms_(atoms), candidate_(candidate), mode_(mode), solver_(solver), limits_(limits), steps_(steps),
        state_(atoms.size(), 0), used_(candidate.size(), false) {}

  // True when an event exists (kPossible: may exist; then also when a limit was hit).
  bool run(const std::vector<uint32_t>& reference_conjunct) {
    for (uint32_t a : reference_conjunct) {
      if (!push(a, true)) return false;  // the reference conjunct matches nothing
    }
    return search();
  }

  // Valid after run() returned true: the value of every constrained field.
  [[nodiscard]] const std::map<std::string, Witness>& example() const { return example_; }
  [[nodiscard]] bool limit_hit() const { return limit_hit_; }

 private:
  const std::vector<AtomInfo>& atoms_;
  const std::vector<std::vector<uint32_t>>& candidate_;
  Mode mode_;
  FieldSolver& solver_;
  const CoverageLimits& limits_;
  size_t& steps_;
  std::vector<int8_t> state_;  // per atom: +1 required true, -1 required false, 0 free
  std::vector<bool> used_;     // candidate conjuncts already falsified by a choice on this path
  std::map<std::string, std::vector<Literal>> fields_;
  std::map<std::string, Witness> example_;
  bool limit_hit_ = false;

  bool field_ok(const std::string& selector) { return solver_.solve(fields_[selector], mode_).has_value(); }

  // Adds a literal if it is new; false (and nothing added) when it contradicts the state.
  bool push(uint32_t atom, bool positive) {
    const int8_t want = positive ? 1 : -1;
    if (state_[atom] == want) return true;
    if (state_[atom] == -want) return false;
    const std::string& sel = atoms_[atom].atom.selector;
    fields_[sel].push_back({atom, positive});
    state_[atom] = want;
    if (!field_ok(sel)) {
      pop(atom);
      return false;
    }
    return true;
  }
  void pop(uint32_t atom) {
    std::vector<Literal>& lits = fields_[atoms_[atom].atom.selector];
    lits.pop_back();
    state_[atom] = 0;
  }

  bool out_of_steps() {
    if (++steps_ <= limits_.max_steps) return false;
    limit_hit_ = true;
    return true;
  }

  bool structure_consistent() const {
    // A field that holds a value makes every enclosing selector an object (".") or array ("[").
    for (const auto& [outer, w] : example_) {
      bool needs_object = false, needs_array = false;
      for (const auto& [inner, v] : example_) {
        if (inner.size() <= outer.size() || !inner.starts_with(outer)) continue;
        const char next = inner[outer.size()];
        if (next != '.' && next != '[') continue;
        if (v.kind == ValueKind::kAbsent) continue;
        (next == '.' ? needs_object : needs_array) = true;
      }
      if ((needs_object || needs_array) && w.kind != ValueKind::kComposite) return false;
      if (needs_object && needs_array) return false;
    }
    return true;
  }

  bool leaf() {
    example_.clear();
    for (const auto& [sel, lits] : fields_) {
      if (lits.empty()) continue;
      std::optional<Witness> w = solver_.solve(lits, mode_);
      if (!w) return false;  // cannot happen: every push was checked
      example_.emplace(sel, std::move(*w));
    }
    if (mode_ == Mode::kDefinite && !structure_consistent()) return false;
    return true;
  }

  bool search() {
    if (out_of_steps()) return mode_ == Mode::kPossible;
    size_t best = SIZE_MAX;
    std::vector<uint32_t> best_options;
    for (size_t j = 0; j < candidate_.size(); ++j) {
      if (used_[j]) continue;
      bool falsified = false;
      for (uint32_t a : candidate_[j]) falsified |= state_[a] == -1;
      if (falsified) continue;
      std::vector<uint32_t> options;
      for (uint32_t a : candidate_[j]) {
        if (state_[a] == 1) continue;
        if (push(a, false)) {
          options.push_back(a);
          pop(a);
        }
        if (out_of_steps()) return mode_ == Mode::kPossible;
      }
      if (options.empty()) return false;  // this conjunct of the candidate matches: no counterexample here
      if (best == SIZE_MAX || options.size() < best_options.size()) {
        best = j;
        best_options = std::move(options);
        if (best_options.size() == 1) break;
      }
    }
    if (best == SIZE_MAX) {
      if (leaf()) return true;
      return false;
    }
    used_[best] = true;
    for (uint32_t a : best_options) {
      if (!push(a, false)) continue;
      if (search()) return true;
      pop(a);
      if (limit_hit_) break;
    }
    used_[best] = false;
    return limit_hit_ && mode_ == Mode::kPossible;
  }
};

std::string describe_example(const std::map<std::string, Witness>& example) {
  std::string out;
  for (const auto& [sel, w] : example) {
    if (!out.empty()) out += ", ";
    out += describe(sel, w);
  }
  return out;
}

// The atoms whose truth at the example CloudWatch does not document.
std::string undocumented_at(const std::vector<AtomInfo>& atoms, const std::map<std::string, Witness>& example,
                            const std::vector<uint32_t>& relevant) {
  std::vector<std::string> parts;
  for (uint32_t a : relevant) {
    const AtomInfo& info = atoms[a];
    auto it = example.find(info.atom.selector);
    if (it == example.end()) continue;
    if (witness_tri(info, it->second) != Tri::kUnknown) continue;
    std::string part;
    if (info.atom.kind == AtomKind::kRegexEquals || info.atom.kind == AtomKind::kRegexNotEquals) {
      part = fmt::format("{} (fortress does not evaluate regular expressions)", info.atom.to_string());
    } else if (it->second.kind == ValueKind::kString && is_string_atom(info.atom.kind)) {
      part = fmt::format("{} (a '*' inside a value: wildcard or literal?)", info.atom.to_string());
    } else {
      part = fmt::format("{} on {}", info.atom.to_string(), value_phrase(it->second.kind));
    }
    if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.push_back(std::move(part));
  }
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += "; ";
    out += p;
  }
  return out;
}

CoverageResult unknown(std::string detail) {
  return CoverageResult{CoverageVerdict::kUnknown, std::move(detail)};
}

}  // namespace

namespace {

// One table of atoms for several patterns: an atom written the same way means the same thing.
class AtomTable {
 public:
  std::vector<std::vector<uint32_t>> add(const PatternDnf& dnf) {
    std::vector<uint32_t> ids;
    for (const PatternAtom& a : dnf.atoms) ids.push_back(intern(a));
    std::vector<std::vector<uint32_t>> out;
    for (const auto& k : dnf.conjuncts) {
      std::vector<uint32_t> m;
      for (uint32_t i : k) m.push_back(ids[i]);
      std::sort(m.begin(), m.end());
      m.erase(std::unique(m.begin(), m.end()), m.end());
      out.push_back(std::move(m));
    }
    return out;
  }
  std::vector<AtomInfo> atoms;

 private:
  std::unordered_map<std::string, uint32_t> by_key_;
  uint32_t intern(const PatternAtom& a) {
    auto [it, inserted] = by_key_.emplace(a.key(), uint32_t(atoms.size()));
    if (inserted) {
      AtomInfo info{a, {}, {}};
      if (is_string_atom(a.kind)) {
        info.lo = glob_of(a.value, false);
        info.hi = glob_of(a.value, true);
      }
      atoms.push_back(std::move(info));
    }
    return it->second;
  }
};

}  // namespace

bool share_a_condition(const FilterPattern& a, const FilterPattern& b) {
  if (a.form != PatternForm::kJson || b.form != PatternForm::kJson) return false;
  std::unordered_set<std::string> keys;
  for (const PatternAtom& x : a.atoms) keys.insert(x.key());
  for (const PatternAtom& y : b.atoms) {
    if (keys.contains(y.key())) return true;
  }
  return false;
}

CoverageResult pattern_covers(const FilterPattern& candidate, const FilterPattern& reference,
                              const CoverageLimits& limits) {
  if (candidate.form == PatternForm::kMatchAll) {
    return {CoverageVerdict::kCovered, "the empty pattern matches every event"};
  }
  if (candidate.form == PatternForm::kText) {
    return unknown("a text or space-delimited pattern; fortress analyzes JSON patterns ({ ... }) only");
  }
  if (reference.form != PatternForm::kJson) {
    return unknown("the reference is not a JSON pattern");
  }
  Expected<PatternDnf> cand = to_dnf(candidate, limits.max_conjuncts);
  if (!cand) return unknown(cand.error().message);
  Expected<PatternDnf> ref = to_dnf(reference, limits.max_conjuncts);
  if (!ref) return unknown("reference: " + ref.error().message);

  AtomTable table;
  const std::vector<std::vector<uint32_t>> ref_conjuncts = table.add(*ref);
  const std::vector<std::vector<uint32_t>> cand_conjuncts = table.add(*cand);
  const std::vector<AtomInfo>& atoms = table.atoms;

  FieldSolver solver(atoms, limits);
  size_t steps = 0;
  size_t covered = 0;
  std::optional<CoverageResult> first_unknown;
  std::optional<CoverageResult> first_counterexample;
  for (const std::vector<uint32_t>& conjunct : ref_conjuncts) {
    CounterexampleSearch possible(atoms, cand_conjuncts, Mode::kPossible, solver, limits, steps);
    if (!possible.run(conjunct)) {  // proved: no event of this conjunct escapes the candidate
      ++covered;
      continue;
    }
    if (first_counterexample) continue;  // the verdict is known; the rest only counts what is covered

    size_t definite_steps = 0;
    CounterexampleSearch definite(atoms, cand_conjuncts, Mode::kDefinite, solver, limits, definite_steps);
    if (definite.run(conjunct)) {
      first_counterexample =
          CoverageResult{CoverageVerdict::kNotCovered, "an event with " + describe_example(definite.example())};
      continue;
    }
    if (first_unknown) continue;
    if (possible.limit_hit() || solver.limit_hit()) {
      first_unknown = unknown(fmt::format("could not decide within fortress's search limits ({} steps)",
                                          limits.max_steps));
      continue;
    }
    std::vector<uint32_t> relevant;
    for (const auto& k : cand_conjuncts) relevant.insert(relevant.end(), k.begin(), k.end());
    relevant.insert(relevant.end(), conjunct.begin(), conjunct.end());
    std::string why = undocumented_at(atoms, possible.example(), relevant);
    first_unknown = unknown(fmt::format(
        "could not prove it for an event with {}: CloudWatch does not document {}", describe_example(possible.example()),
        why.empty() ? std::string("how such an event is matched") : why));
  }
  CoverageResult result = first_counterexample ? std::move(*first_counterexample)
                         : first_unknown      ? std::move(*first_unknown)
                                              : CoverageResult{CoverageVerdict::kCovered, ""};
  result.conjuncts_covered = covered;
  result.conjuncts_total = ref_conjuncts.size();
  return result;
}

}  // namespace fortress
