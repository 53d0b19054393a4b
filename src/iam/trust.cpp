#include "iam/trust.h"

#include <fmt/format.h>

#include <algorithm>

namespace fortress::iam {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

bool action_applies(const Statement& st, const Pattern& action) {
  bool listed = false;
  for (const Pattern& p : st.action_patterns) listed = listed || covers(p, action) == Match::kYes;
  return st.not_action ? !listed : listed;
}

// "arn:<partition>:iam::<account>:root"
bool is_account_root(std::string_view entry, std::string_view account) {
  if (!entry.starts_with("arn:")) return false;
  const size_t iam = entry.find(":iam::");
  return iam != std::string_view::npos && entry.substr(iam + 6) == fmt::format("{}:root", account);
}

// "arn:<partition>:sts::<account>:assumed-role/<role>/<session>"
bool is_session_of(std::string_view entry, const Caller& caller) {
  if (!caller.is_role || caller.role_name.empty()) return false;
  const std::string marker = fmt::format(":sts::{}:assumed-role/{}/", caller.account, caller.role_name);
  return entry.starts_with("arn:") && entry.find(marker) != std::string_view::npos;
}

int rank(TrustPath p) {
  switch (p) {
    case TrustPath::kNamed: return 3;
    case TrustPath::kAccount: return 2;
    case TrustPath::kAnyone: return 1;
    case TrustPath::kNone: return 0;
  }
  return 0;
}

struct Named {
  TrustPath path = TrustPath::kNone;
  bool account_listed = false;  // the caller's account is listed too (what NotPrincipal needs to exclude it)
};

// How a Principal element names the caller.
Named principal_names(const PrincipalSpec& spec, const Caller& caller, bool& session_only) {
  Named out;
  if (spec.anyone) out.path = TrustPath::kAnyone;
  for (const std::string& e : spec.aws) {
    if (e == caller.account || is_account_root(e, caller.account)) {
      out.account_listed = true;
      if (rank(out.path) < rank(TrustPath::kAccount)) out.path = TrustPath::kAccount;
    }
  }
  for (const std::string& e : spec.aws) {
    if (e == caller.arn || (!caller.unique_id.empty() && e == caller.unique_id)) {
      out.path = TrustPath::kNamed;
      session_only = false;
      break;
    }
    if (is_session_of(e, caller)) {
      out.path = TrustPath::kNamed;
      session_only = true;
    }
  }
  return out;
}

bool names_service(const PrincipalSpec& spec, std::string_view service) {
  if (spec.anyone) return true;
  const std::string wanted = lower(service);
  return std::any_of(spec.service.begin(), spec.service.end(), [&](const std::string& s) { return lower(s) == wanted; });
}

// The shared walk: `matches` says how a statement's principal element names the one asking.
template <typename Matches>
TrustAnswer walk(const PolicyDocument* trust, std::string_view action, Matches matches) {
  TrustAnswer out;
  if (trust == nullptr) {
    out.decision = Decision::kUnknown;
    out.problem = "the trust policy is not available";
    return out;
  }
  static const Pattern kAssumeRole = Pattern::literal("sts:AssumeRole", true);
  const Pattern asked = action == "sts:AssumeRole" ? kAssumeRole : Pattern::literal(action, true);
  std::vector<const Statement*> certain_denies, maybe_denies, allows;
  TrustPath best_certain = TrustPath::kNone, best_uncertain = TrustPath::kNone;
  for (const Statement& st : trust->statements) {
    if (!st.principal || !action_applies(st, asked)) continue;
    bool uncertain = st.conditional();
    const Named found = matches(*st.principal, uncertain);
    TrustPath named = found.path;
    if (st.not_principal) {
      // NotPrincipal excludes a caller only when it lists both the caller and its account (IAM User
      // Guide, "NotPrincipal"); everyone else is matched. Allow with NotPrincipal is discouraged by
      // AWS and read here as conditional.
      const bool excluded = found.path == TrustPath::kNamed && found.account_listed;
      named = excluded ? TrustPath::kNone : TrustPath::kAnyone;
      if (st.effect == Effect::kAllow) uncertain = true;
    }
    if (named == TrustPath::kNone) continue;
    if (st.effect == Effect::kDeny) {
      (uncertain ? maybe_denies : certain_denies).push_back(&st);
      continue;
    }
    TrustPath& best = uncertain ? best_uncertain : best_certain;
    if (rank(named) > rank(best)) best = named;
    allows.push_back(&st);
  }
  const bool certain_allow = best_certain != TrustPath::kNone;
  out.path = certain_allow ? best_certain : best_uncertain;
  if (!certain_denies.empty()) {
    out.decision = Decision::kDenied;
    out.path = TrustPath::kNone;
    out.statements = certain_denies;
    return out;
  }
  if (allows.empty()) return out;
  out.statements = allows;
  out.decision = certain_allow && maybe_denies.empty() ? Decision::kAllowed : Decision::kConditional;
  out.statements.insert(out.statements.end(), maybe_denies.begin(), maybe_denies.end());
  return out;
}

}  // namespace

std::string_view to_string(TrustPath p) {
  switch (p) {
    case TrustPath::kNamed: return "named";
    case TrustPath::kAccount: return "account";
    case TrustPath::kAnyone: return "anyone";
    case TrustPath::kNone: return "none";
  }
  return "none";
}

TrustAnswer trust_admits(const PolicyDocument* trust, const Caller& caller, std::string_view action) {
  return walk(trust, action, [&](const PrincipalSpec& spec, bool& uncertain) {
    bool session_only = false;
    const Named n = principal_names(spec, caller, session_only);
    if (session_only) uncertain = true;  // only some of the role's sessions (by session name)
    return n;
  });
}

TrustAnswer trust_admits_service(const PolicyDocument* trust, std::string_view service) {
  return walk(trust, "sts:AssumeRole", [&](const PrincipalSpec& spec, bool&) {
    return names_service(spec, service) ? Named{TrustPath::kNamed, true} : Named{};
  });
}

std::string TrustAnswer::explain() const {
  std::string where;
  for (const Statement* st : statements) {
    if (!where.empty()) where += ", ";
    where += st->label();
  }
  switch (decision) {
    case Decision::kUnknown: return problem;
    case Decision::kDenied: return "the trust policy denies it (" + where + ")";
    case Decision::kNotAllowed: return "the trust policy does not admit it";
    case Decision::kAllowed:
    case Decision::kConditional: {
      const char* how = path == TrustPath::kNamed     ? "names it"
                        : path == TrustPath::kAccount ? "trusts its account"
                                                      : "trusts everyone (\"*\")";
      return fmt::format("the trust policy {} ({}){}", how, where,
                         decision == Decision::kConditional ? ", under a condition" : "");
    }
  }
  return {};
}

}  // namespace fortress::iam
