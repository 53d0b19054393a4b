#include "iam/pattern.h"

#include <vector>

namespace fortress::iam {

namespace {

char16_t fold(unsigned char c, bool fold_case) {
  if (fold_case && c >= 'A' && c <= 'Z') return char16_t(c - 'A' + 'a');
  return char16_t(c);
}

// Unknown parts are compared as "any run": an upper bound of what they may expand to.
char16_t as_wildcard(char16_t e) {
  return e == Pattern::kUnknown ? Pattern::kAnyRun : e;
}

bool is_single(char16_t e) {
  return e != Pattern::kAnyRun;
}

// A pattern against a text with no wildcards: the classic greedy match with one backtrack point,
// linear in practice.
bool glob_match(const std::u16string& p, const std::u16string& text) {
  size_t i = 0, j = 0;
  size_t star = std::u16string::npos, resume = 0;
  while (j < text.size()) {
    const char16_t e = i < p.size() ? as_wildcard(p[i]) : 0;
    if (i < p.size() && (e == Pattern::kAnyOne || e == text[j])) {
      ++i;
      ++j;
    } else if (i < p.size() && e == Pattern::kAnyRun) {
      star = i++;
      resume = j;
    } else if (star != std::u16string::npos) {
      i = star + 1;
      j = ++resume;
    } else {
      return false;
    }
  }
  while (i < p.size() && as_wildcard(p[i]) == Pattern::kAnyRun) ++i;
  return i == p.size();
}

// P covers Q: every text matched by Q is matched by P. Dynamic programming over suffixes,
// O(|P| * |Q|); Q is a query (short), P a policy value.
bool covers_dp(const std::u16string& p, const std::u16string& q) {
  const size_t n = p.size(), m = q.size();
  thread_local std::vector<char> next, row;
  next.assign(m + 1, 0);
  row.assign(m + 1, 0);
  next[m] = 1;  // row n: the empty pattern covers only the empty rest
  for (size_t i = n; i-- > 0;) {
    const char16_t pe = as_wildcard(p[i]);
    for (size_t j = m + 1; j-- > 0;) {
      bool v = false;
      if (pe == Pattern::kAnyRun) {
        v = next[j] || (j < m && row[j + 1]);
      } else if (j < m) {
        const char16_t qe = as_wildcard(q[j]);
        if (qe != Pattern::kAnyRun) {
          if (pe == Pattern::kAnyOne || pe == qe) v = next[j + 1];
        }
      }
      row[j] = v;
    }
    std::swap(row, next);
  }
  return next[0];
}

// Some text is matched by both P and Q.
bool intersects_dp(const std::u16string& p, const std::u16string& q) {
  const size_t n = p.size(), m = q.size();
  thread_local std::vector<char> next, row;
  next.assign(m + 1, 0);
  row.assign(m + 1, 0);
  // Row n (P exhausted): the rest of Q must be able to match the empty text (only stars).
  next[m] = 1;
  for (size_t j = m; j-- > 0;) next[j] = as_wildcard(q[j]) == Pattern::kAnyRun && next[j + 1];
  for (size_t i = n; i-- > 0;) {
    const char16_t pe = as_wildcard(p[i]);
    const bool p_star = pe == Pattern::kAnyRun;
    for (size_t j = m + 1; j-- > 0;) {
      bool v = false;
      if (j == m) {
        v = p_star && next[m];
      } else {
        const char16_t qe = as_wildcard(q[j]);
        const bool q_star = qe == Pattern::kAnyRun;
        if (p_star && next[j]) v = true;                        // P's star matches nothing
        if (!v && q_star && row[j + 1]) v = true;               // Q's star matches nothing
        if (!v && p_star && !q_star && row[j + 1]) v = true;    // P's star absorbs Q's one character
        if (!v && q_star && !p_star && next[j]) v = true;       // Q's star absorbs P's one character
        if (!v && is_single(pe) && is_single(qe)) {
          if (pe == Pattern::kAnyOne || qe == Pattern::kAnyOne || pe == qe) v = next[j + 1];
        }
      }
      row[j] = v;
    }
    std::swap(row, next);
  }
  return next[0];
}

// A cheap test before the dynamic programming: where both patterns start (or end) with single
// characters, a pair that can never be equal means they share no text, so neither covers the other.
bool ends_disagree(const std::u16string& p, const std::u16string& q) {
  const auto single = [](char16_t e) { return as_wildcard(e) != Pattern::kAnyRun; };
  const auto clash = [](char16_t a, char16_t b) {
    return a != Pattern::kAnyOne && b != Pattern::kAnyOne && as_wildcard(a) == a && as_wildcard(b) == b && a != b;
  };
  for (size_t i = 0; i < p.size() && i < q.size() && single(p[i]) && single(q[i]); ++i) {
    if (clash(p[i], q[i])) return true;
  }
  for (size_t i = 1; i <= p.size() && i <= q.size() && single(p[p.size() - i]) && single(q[q.size() - i]); ++i) {
    if (clash(p[p.size() - i], q[q.size() - i])) return true;
  }
  return false;
}

// Only `*` (or unknown parts): the pattern names every text.
bool only_runs(const std::u16string& p) {
  for (const char16_t e : p) {
    if (as_wildcard(e) != Pattern::kAnyRun) return false;
  }
  return true;
}

}  // namespace

Pattern Pattern::wildcard(std::string_view text, bool fold_case) {
  Pattern p;
  p.elements_.reserve(text.size());
  for (const char c : text) {
    if (c == '*') {
      p.elements_.push_back(kAnyRun);
    } else if (c == '?') {
      p.elements_.push_back(kAnyOne);
    } else {
      p.elements_.push_back(fold(static_cast<unsigned char>(c), fold_case));
    }
  }
  p.classify();
  return p;
}

Pattern Pattern::literal(std::string_view text, bool fold_case) {
  Pattern p;
  p.elements_.reserve(text.size());
  for (const char c : text) p.elements_.push_back(fold(static_cast<unsigned char>(c), fold_case));
  p.classify();
  return p;
}

void Pattern::classify() {
  literal_ = true;
  unknown_ = false;
  for (const char16_t e : elements_) {
    if (e >= kAnyOne) literal_ = false;
    if (e == kUnknown) unknown_ = true;
  }
}

std::string Pattern::to_string() const {
  std::string out;
  out.reserve(elements_.size());
  for (const char16_t e : elements_) {
    if (e == kAnyRun) {
      out += '*';
    } else if (e == kAnyOne) {
      out += '?';
    } else if (e == kUnknown) {
      out += "${?}";
    } else {
      out += char(e);
    }
  }
  return out;
}

void PatternBuilder::literal(std::string_view text) {
  for (const char c : text) p_.elements_.push_back(fold(static_cast<unsigned char>(c), fold_case_));
}

Match covers(const Pattern& p, const Pattern& q) {
  bool yes = false;
  if (q.is_literal()) {
    yes = glob_match(p.elements(), q.elements());
  } else if (only_runs(q.elements())) {
    yes = !p.empty() && only_runs(p.elements());  // only "*" covers everything
  } else if (p.is_literal()) {
    yes = false;  // one text never covers a pattern that names several
  } else if (ends_disagree(p.elements(), q.elements())) {
    yes = false;
  } else {
    yes = covers_dp(p.elements(), q.elements());
  }
  if (!yes) return Match::kNo;
  return p.has_unknown() ? Match::kMaybe : Match::kYes;
}

Match intersects(const Pattern& p, const Pattern& q) {
  bool yes = false;
  if (q.is_literal()) {
    yes = glob_match(p.elements(), q.elements());
  } else if (p.is_literal()) {
    yes = glob_match(q.elements(), p.elements());
  } else if (only_runs(q.elements()) || only_runs(p.elements())) {
    yes = true;  // every pattern names at least one text
  } else if (ends_disagree(p.elements(), q.elements())) {
    yes = false;
  } else {
    yes = intersects_dp(p.elements(), q.elements());
  }
  if (!yes) return Match::kNo;
  return p.has_unknown() ? Match::kMaybe : Match::kYes;
}

}  // namespace fortress::iam
