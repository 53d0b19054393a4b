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
  std::vector<char> next(m + 1, 0), row(m + 1, 0);
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
  std::vector<char> next(m + 1, 0), row(m + 1, 0);
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
  return p;
}

Pattern Pattern::literal(std::string_view text, bool fold_case) {
  Pattern p;
  p.elements_.reserve(text.size());
  for (const char c : text) p.elements_.push_back(fold(static_cast<unsigned char>(c), fold_case));
  return p;
}

bool Pattern::is_literal() const {
  for (const char16_t e : elements_) {
    if (e >= kAnyOne) return false;
  }
  return true;
}

bool Pattern::has_unknown() const {
  return elements_.find(kUnknown) != std::u16string::npos;
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
  } else {
    yes = intersects_dp(p.elements(), q.elements());
  }
  if (!yes) return Match::kNo;
  return p.has_unknown() ? Match::kMaybe : Match::kYes;
}

}  // namespace fortress::iam
