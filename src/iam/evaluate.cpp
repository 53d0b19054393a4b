#include "iam/evaluate.h"

#include <fmt/format.h>

#include <algorithm>

namespace fortress::iam {

namespace {

Match min_match(Match a, Match b) {
  return a < b ? a : b;
}
Match max_match(Match a, Match b) {
  return a < b ? b : a;
}

// How far one element (Action/NotAction or Resource/NotResource) reaches into what is asked:
// `all` = it applies to everything asked, `some` = to at least part of it.
struct Reach {
  Match all = Match::kNo;
  Match some = Match::kNo;
};

// For a literal (one action, one ARN) covering and meeting are the same question: ask it once.
void relate(const Pattern& p, const Pattern& asked, bool literal, Match& all, Match& some) {
  const Match c = covers(p, asked);
  all = max_match(all, c);
  some = max_match(some, literal ? c : intersects(p, asked));
}

Reach action_reach(const Statement& st, const Pattern& asked) {
  Reach r;
  const bool literal = asked.is_literal();
  if (!st.not_action) {
    for (const Pattern& p : st.action_patterns) relate(p, asked, literal, r.all, r.some);
    return r;
  }
  // NotAction: every action except the listed ones.
  Match excluded_all = Match::kNo, excluded_some = Match::kNo;
  for (const Pattern& n : st.action_patterns) relate(n, asked, literal, excluded_all, excluded_some);
  const auto negate = [](Match m) { return m == Match::kYes ? Match::kNo : m == Match::kNo ? Match::kYes : Match::kMaybe; };
  r.all = negate(excluded_some);  // applies to all asked only if none of it is excluded
  r.some = negate(excluded_all);  // applies to some unless all of it is excluded
  return r;
}

const Pattern& resource_pattern(const Statement& st, size_t i, const PolicyVariables& vars, Pattern& scratch) {
  if (!st.resource_has_variables[i]) return st.resource_patterns[i];
  scratch = compile_resource(st.resources[i], true, &vars);
  return scratch;
}

Reach resource_reach(const Statement& st, const Pattern& asked, const PolicyVariables& vars) {
  Reach r;
  Pattern scratch;
  const bool literal = asked.is_literal();
  if (!st.not_resource) {
    for (size_t i = 0; i < st.resource_patterns.size(); ++i) {
      relate(resource_pattern(st, i, vars, scratch), asked, literal, r.all, r.some);
    }
    return r;
  }
  Match excluded_all = Match::kNo, excluded_some = Match::kNo;
  for (size_t i = 0; i < st.resource_patterns.size(); ++i) {
    relate(resource_pattern(st, i, vars, scratch), asked, literal, excluded_all, excluded_some);
  }
  const auto negate = [](Match m) { return m == Match::kYes ? Match::kNo : m == Match::kNo ? Match::kYes : Match::kMaybe; };
  r.all = negate(excluded_some);
  r.some = negate(excluded_all);
  return r;
}

struct PartResult {
  std::vector<StatementRef> grants;
  std::vector<StatementRef> full_denies;
  std::vector<StatementRef> part_denies;
  std::vector<const AttachedPolicy*> unknown;
};

void scan(const AttachedPolicy& policy, const Request& req, const PolicyVariables& vars, PartResult& out) {
  if (policy.document == nullptr) {
    out.unknown.push_back(&policy);
    return;
  }
  for (const Statement& st : policy.document->statements) {
    const Reach a = action_reach(st, req.action);
    if (a.some == Match::kNo) continue;
    const Reach res = resource_reach(st, req.resource, vars);
    if (st.effect == Effect::kAllow) {
      const Match grant = req.scope == Scope::kEvery ? min_match(a.all, res.all) : min_match(a.all, res.some);
      if (grant == Match::kNo) continue;
      out.grants.push_back({&policy, &st, st.conditional() || grant == Match::kMaybe});
      continue;
    }
    const Match full = min_match(a.all, res.all);
    if (full != Match::kNo) {
      out.full_denies.push_back({&policy, &st, st.conditional() || full == Match::kMaybe});
      continue;
    }
    const Match part = min_match(a.some, res.some);
    if (part != Match::kNo) out.part_denies.push_back({&policy, &st, st.conditional() || part == Match::kMaybe});
  }
}

// The Resource patterns of an Allow through which it grants something of what is asked.
std::vector<Pattern> granting_patterns(const StatementRef& g, const Request& req, const PolicyVariables& vars) {
  std::vector<Pattern> out;
  Pattern scratch;
  for (size_t i = 0; i < g.statement->resource_patterns.size(); ++i) {
    const Pattern& p = resource_pattern(*g.statement, i, vars, scratch);
    if (intersects(p, req.resource) != Match::kNo) out.push_back(p);
  }
  return out;
}

// A Deny covers pattern `g` entirely (for the asked actions).
bool deny_covers(const StatementRef& d, const Pattern& g, const PolicyVariables& vars) {
  Pattern scratch;
  const Statement& st = *d.statement;
  if (!st.not_resource) {
    for (size_t i = 0; i < st.resource_patterns.size(); ++i) {
      if (covers(resource_pattern(st, i, vars, scratch), g) == Match::kYes) return true;
    }
    return false;
  }
  for (size_t i = 0; i < st.resource_patterns.size(); ++i) {
    if (intersects(resource_pattern(st, i, vars, scratch), g) != Match::kNo) return false;
  }
  return true;
}

// Scope::kSome: an Allow on specific resources is blocked by a Deny that covers every resource it
// grants, even when that Deny covers only part of what was asked. Blocked grants are removed (or
// made conditional when the Deny is); the Deny moves from the exceptions to the denies.
void apply_partial_denies(std::vector<StatementRef>& grants, std::vector<StatementRef>& part_denies,
                          std::vector<StatementRef>& uncertain_denies, const Request& req,
                          const PolicyVariables& vars) {
  std::vector<StatementRef> kept;
  std::vector<bool> used(part_denies.size(), false);
  for (StatementRef& g : grants) {
    if (g.statement->not_resource) {
      kept.push_back(g);
      continue;
    }
    const std::vector<Pattern> granting = granting_patterns(g, req, vars);
    bool removed = false;
    for (size_t k = 0; k < part_denies.size() && !removed; ++k) {
      const StatementRef& d = part_denies[k];
      if (action_reach(*d.statement, req.action).all != Match::kYes) continue;
      const bool all_covered = !granting.empty() && std::all_of(granting.begin(), granting.end(), [&](const Pattern& p) {
        return deny_covers(d, p, vars);
      });
      if (!all_covered) continue;
      used[k] = true;
      if (d.conditional) {
        g.conditional = true;
        uncertain_denies.push_back(d);
      } else {
        removed = true;
      }
    }
    if (!removed) kept.push_back(g);
  }
  grants = std::move(kept);
  std::vector<StatementRef> rest;
  for (size_t k = 0; k < part_denies.size(); ++k) {
    if (!used[k]) rest.push_back(part_denies[k]);
  }
  part_denies = std::move(rest);
}

// 2: granted without conditions, 1: only conditionally, 0: not granted.
int grant_level(const std::vector<StatementRef>& grants) {
  int level = 0;
  for (const StatementRef& g : grants) level = std::max(level, g.conditional ? 1 : 2);
  return level;
}

// Scope::kSome with a boundary: the identity grants and the boundary grants must meet on some
// resource. 2: certainly, 1: maybe (unknown parts), 0: they grant disjoint resources.
int grants_meet(const std::vector<StatementRef>& identity, const std::vector<StatementRef>& boundary,
                const Request& req, const PolicyVariables& vars) {
  int best = 0;
  for (const StatementRef& i : identity) {
    for (const StatementRef& b : boundary) {
      if (i.statement->not_resource || b.statement->not_resource) return 2;
      for (const Pattern& pi : granting_patterns(i, req, vars)) {
        for (const Pattern& pb : granting_patterns(b, req, vars)) {
          const Match m = max_match(intersects(pi, pb), intersects(pb, pi));
          if (m == Match::kYes) return 2;
          if (m == Match::kMaybe) best = 1;
        }
      }
    }
  }
  return best;
}

std::string join_labels(const std::vector<StatementRef>& refs, bool only_certain = false) {
  std::string out;
  size_t shown = 0, total = 0;
  for (const StatementRef& r : refs) {
    if (only_certain && r.conditional) continue;
    ++total;
    if (shown == 3) continue;
    if (!out.empty()) out += "; ";
    out += r.label();
    ++shown;
  }
  if (total > shown) out += fmt::format(" and {} more", total - shown);
  return out;
}

std::string_view origin_name(PolicyOrigin o) {
  switch (o) {
    case PolicyOrigin::kInline: return "inline";
    case PolicyOrigin::kCustomerManaged: return "customer-managed";
    case PolicyOrigin::kAwsManaged: return "aws-managed";
    case PolicyOrigin::kTrustPolicy: return "trust-policy";
  }
  return "inline";
}

JsonValue policy_json(const AttachedPolicy& p) {
  JsonValue o = JsonValue::object();
  o.set("policy", p.name);
  o.set("kind", origin_name(p.origin));
  if (!p.arn.empty()) o.set("arn", p.arn);
  if (!p.via_group.empty()) o.set("via_group", p.via_group);
  if (p.boundary) o.set("boundary", true);
  return o;
}

JsonValue refs_json(const std::vector<StatementRef>& refs) {
  JsonValue a = JsonValue::array();
  for (const StatementRef& r : refs) {
    JsonValue o = policy_json(*r.policy);
    o.set("statement", uint64_t(r.statement->index + 1));
    if (!r.statement->sid.empty()) o.set("sid", r.statement->sid);
    o.set("effect", r.statement->effect == Effect::kAllow ? "Allow" : "Deny");
    o.set("conditional", r.conditional);
    if (!r.statement->conditions.empty()) {
      std::vector<std::string> conds;
      for (const ConditionClause& c : r.statement->conditions) conds.push_back(c.op + " " + c.key);
      o.set("conditions", JsonValue::strings(conds));
    }
    a.push(std::move(o));
  }
  return a;
}

}  // namespace

std::string AttachedPolicy::label() const {
  std::string out;
  if (origin == PolicyOrigin::kTrustPolicy) return name;
  if (boundary) {
    out = fmt::format("permissions boundary \"{}\"", name);
  } else if (origin == PolicyOrigin::kInline) {
    out = fmt::format("inline policy \"{}\"", name);
    if (!via_group.empty()) out += fmt::format(" of group \"{}\"", via_group);
    return out;
  } else {
    out = fmt::format("{} managed policy \"{}\"", origin == PolicyOrigin::kAwsManaged ? "AWS" : "customer", name);
  }
  if (!via_group.empty()) out += fmt::format(" via group \"{}\"", via_group);
  return out;
}

std::string StatementRef::label() const {
  return policy->label() + " " + statement->label();
}

std::string_view to_string(Decision d) {
  switch (d) {
    case Decision::kAllowed: return "allowed";
    case Decision::kConditional: return "conditional";
    case Decision::kNotAllowed: return "not-allowed";
    case Decision::kDenied: return "denied";
    case Decision::kUnknown: return "unknown";
  }
  return "unknown";
}

Request Request::exact(std::string_view action, std::string_view resource) {
  return Request{Pattern::literal(action, true), Pattern::literal(resource, false), Scope::kEvery,
                 std::string(action), std::string(resource)};
}

Request Request::every(std::string_view action_pattern, std::string_view resource_pattern) {
  return Request{Pattern::wildcard(action_pattern, true), Pattern::wildcard(resource_pattern, false), Scope::kEvery,
                 std::string(action_pattern), std::string(resource_pattern)};
}

Request Request::some(std::string_view action_pattern, std::string_view resource_pattern) {
  Request r = every(action_pattern, resource_pattern);
  r.scope = Scope::kSome;
  return r;
}

Answer evaluate(const PolicySet& policies, const Request& request, const PolicyVariables& variables) {
  PartResult identity, boundary;
  for (const AttachedPolicy& p : policies.identity) scan(p, request, variables, identity);
  if (policies.boundary) scan(*policies.boundary, request, variables, boundary);

  Answer answer;
  // An unconditional Deny anywhere decides, whatever else is unknown.
  for (const PartResult* part : {&identity, &boundary}) {
    for (const StatementRef& d : part->full_denies) {
      if (!d.conditional) answer.denies.push_back(d);
    }
  }
  if (!answer.denies.empty()) {
    answer.decision = Decision::kDenied;
    return answer;
  }

  std::vector<StatementRef> uncertain_denies;
  for (const PartResult* part : {&identity, &boundary}) {
    uncertain_denies.insert(uncertain_denies.end(), part->full_denies.begin(), part->full_denies.end());
  }
  std::vector<StatementRef> part_denies = identity.part_denies;
  part_denies.insert(part_denies.end(), boundary.part_denies.begin(), boundary.part_denies.end());
  if (request.scope == Scope::kSome && !part_denies.empty()) {
    std::vector<StatementRef> unused = part_denies;
    apply_partial_denies(identity.grants, unused, uncertain_denies, request, variables);
    std::vector<StatementRef> unused_b = part_denies;
    apply_partial_denies(boundary.grants, unused_b, uncertain_denies, request, variables);
    // A Deny is still an exception if it blocked none of either side's grants.
    part_denies.clear();
    for (const StatementRef& d : unused) {
      if (std::any_of(unused_b.begin(), unused_b.end(), [&](const StatementRef& e) { return e.statement == d.statement; })) {
        part_denies.push_back(d);
      }
    }
    std::sort(uncertain_denies.begin(), uncertain_denies.end(),
              [](const StatementRef& a, const StatementRef& b) { return a.statement < b.statement; });
    uncertain_denies.erase(std::unique(uncertain_denies.begin(), uncertain_denies.end(),
                                       [](const StatementRef& a, const StatementRef& b) { return a.statement == b.statement; }),
                           uncertain_denies.end());
  }

  answer.grants = identity.grants;
  answer.boundary_grants = boundary.grants;
  answer.exceptions = part_denies;

  if (!identity.unknown.empty()) {
    answer.unknown = identity.unknown;
    answer.decision = Decision::kUnknown;
    return answer;
  }
  int level = grant_level(identity.grants);
  if (level == 0) {
    answer.decision = Decision::kNotAllowed;
    return answer;
  }
  if (policies.boundary) {
    if (!boundary.unknown.empty()) {
      answer.unknown = boundary.unknown;
      answer.decision = Decision::kUnknown;
      return answer;
    }
    int b_level = grant_level(boundary.grants);
    if (b_level > 0 && request.scope == Scope::kSome) {
      b_level = std::min(b_level, grants_meet(identity.grants, boundary.grants, request, variables));
    }
    if (b_level == 0) {
      answer.boundary_blocks = true;
      answer.decision = Decision::kNotAllowed;
      return answer;
    }
    level = std::min(level, b_level);
  }
  if (!uncertain_denies.empty()) {
    answer.denies = uncertain_denies;
    level = std::min(level, 1);
  }
  answer.decision = level == 2 ? Decision::kAllowed : Decision::kConditional;
  return answer;
}

std::string Answer::explain() const {
  std::string out;
  switch (decision) {
    case Decision::kDenied:
      return "explicitly denied by " + join_labels(denies);
    case Decision::kUnknown: {
      out = "cannot be decided: ";
      for (size_t i = 0; i < unknown.size(); ++i) {
        if (i > 0) out += "; ";
        out += fmt::format("{} ({})", unknown[i]->label(), unknown[i]->problem);
      }
      if (!grants.empty()) out += "; the readable policies grant it through " + join_labels(grants);
      return out;
    }
    case Decision::kNotAllowed:
      if (boundary_blocks) {
        return fmt::format("granted by {} but not by the permissions boundary", join_labels(grants));
      }
      return "no policy allows it";
    case Decision::kAllowed:
      out = "allowed by " + join_labels(grants, true);
      break;
    case Decision::kConditional: {
      const bool certain_grant = grant_level(grants) == 2;
      const bool certain_boundary = boundary_grants.empty() || grant_level(boundary_grants) == 2;
      if (certain_grant) {
        out = "allowed by " + join_labels(grants, true);
      } else {
        out = "allowed only when the condition of " + join_labels(grants) + " holds";
      }
      if (!certain_boundary) {
        out += "; the permissions boundary allows it only when the condition of " + join_labels(boundary_grants) +
               " holds";
      }
      if (!denies.empty()) out += ", unless the condition of " + join_labels(denies) + " holds";
      break;
    }
  }
  if (!exceptions.empty()) out += "; except where " + join_labels(exceptions) + " denies";
  return out;
}

JsonValue Answer::to_json() const {
  JsonValue o = JsonValue::object();
  o.set("decision", to_string(decision));
  o.set("grants", refs_json(grants));
  if (!boundary_grants.empty()) o.set("boundary_grants", refs_json(boundary_grants));
  if (!denies.empty()) o.set("denies", refs_json(denies));
  if (!exceptions.empty()) o.set("exceptions", refs_json(exceptions));
  if (!unknown.empty()) {
    JsonValue a = JsonValue::array();
    for (const AttachedPolicy* p : unknown) {
      JsonValue u = policy_json(*p);
      u.set("problem", p->problem);
      a.push(std::move(u));
    }
    o.set("unknown", std::move(a));
  }
  if (boundary_blocks) o.set("boundary_blocks", true);
  return o;
}

}  // namespace fortress::iam
